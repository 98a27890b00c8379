"""Shared helpers: worker threads that own locks, and timing tolerances."""

from __future__ import annotations

import concurrent.futures
import os
import queue
import signal
import threading
import time
from typing import Any, Callable, Iterator, List

import pytest

# How long a test waits for something that must happen promptly before it
# declares a hang. Generous: the CI machine is small and shared.
PATIENCE = 10.0


# A test that takes longer than this is hung (a lock that is never granted).
# pytest's own faulthandler_timeout (pyproject.toml, set below this) dumps
# every thread's stack first; then SIGALRM, whose default action ends the
# process even if a thread is stuck holding the GIL, fails the run instead of
# hanging CI.
HANG_LIMIT = int(os.environ.get("HILOK_TEST_HANG_LIMIT", "120"))


@pytest.fixture(autouse=True)
def hang_watchdog() -> Iterator[None]:
    """Ends the process (SIGALRM) if a test hangs; POSIX only."""
    if not hasattr(signal, "alarm"):
        yield
        return
    signal.alarm(HANG_LIMIT)
    yield
    signal.alarm(0)


def later(delay: float, fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn``, called after sleeping ``delay`` seconds (for ``Worker.submit``)."""

    def run() -> Any:
        time.sleep(delay)
        return fn()

    return run


class Worker(threading.Thread):
    """A thread that runs submitted callables one after another.

    Locks taken by a callable are owned by this thread, which is how the tests
    play "another owner" deterministically.
    """

    def __init__(self, name: str = "worker") -> None:
        super().__init__(name=name, daemon=True)
        self._jobs: "queue.Queue[Any]" = queue.Queue()
        self.start()

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                fut.set_exception(e)

    def submit(self, fn: Callable[[], Any]) -> "concurrent.futures.Future[Any]":
        """Runs ``fn`` on this thread; returns its future."""
        fut: "concurrent.futures.Future[Any]" = concurrent.futures.Future()
        self._jobs.put((fn, fut))
        return fut

    def call(self, fn: Callable[[], Any], timeout: float = PATIENCE) -> Any:
        """Runs ``fn`` on this thread and returns its result (or raises)."""
        return self.submit(fn).result(timeout)

    def stop(self) -> None:
        """Ends the thread after the jobs already submitted."""
        self._jobs.put(None)
        self.join(PATIENCE)


@pytest.fixture
def workers() -> Iterator[Callable[[], Worker]]:
    """A factory of worker threads, all stopped at the end of the test."""
    made: List[Worker] = []

    def make() -> Worker:
        w = Worker(f"worker-{len(made)}")
        made.append(w)
        return w

    yield make
    for w in made:
        w.stop()


@pytest.fixture
def worker(workers: Callable[[], Worker]) -> Worker:
    """One worker thread."""
    return workers()
