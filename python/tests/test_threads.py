"""Many threads, the GIL, and interrupting a wait."""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from collections import defaultdict
from typing import Any, Dict, List, Tuple

import pytest
from conftest import PATIENCE, later

from hilok import HiLok, HiLokError, HiLokFlags


class ExclusionChecker:
    """An independent record of who holds what, on the node level.

    ``read(p)`` is shared on every prefix of ``p``; ``write(p)`` is shared on
    the proper prefixes and exclusive on ``p``. A grant that puts another
    thread's hold next to an exclusive one on any node is a violation.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self.shared: Dict[Tuple[str, ...], Dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.exclusive: Dict[Tuple[str, ...], Dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.violations: List[str] = []
        self.grants = 0

    @staticmethod
    def _nodes(path: Tuple[str, ...], write: bool):
        for i in range(1, len(path) + 1):
            yield path[:i], write and i == len(path)

    def granted(self, path: Tuple[str, ...], write: bool) -> None:
        me = threading.get_ident()
        with self._mutex:
            self.grants += 1
            for node, excl in self._nodes(path, write):
                others_x = [t for t, n in self.exclusive[node].items() if n and t != me]
                others_s = [t for t, n in self.shared[node].items() if n and t != me]
                if others_x or (excl and others_s):
                    self.violations.append(f"{'write' if write else 'read'} {'/'.join(path)} at {'/'.join(node)}")
                (self.exclusive if excl else self.shared)[node][me] += 1

    def releasing(self, path: Tuple[str, ...], write: bool) -> None:
        me = threading.get_ident()
        with self._mutex:
            for node, excl in self._nodes(path, write):
                (self.exclusive if excl else self.shared)[node][me] -= 1


@pytest.mark.parametrize("flags", [HiLokFlags.RECURSIVE, HiLokFlags.STRICT])
def test_32_threads_on_random_paths_never_overlap(flags) -> None:
    h = HiLok(flags=flags)
    checker = ExclusionChecker()
    names = ["a", "b", "c"]
    errors: List[BaseException] = []
    outcomes: Dict[str, int] = defaultdict(int)
    out_mutex = threading.Lock()
    start = threading.Barrier(32)

    def run(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait(PATIENCE)
            for _ in range(300):
                path = tuple(rng.choice(names) for _ in range(rng.randint(1, 3)))
                write = rng.random() < 0.4
                how = rng.choice(["block", "try", "timeout"])
                kwargs: Dict[str, Any] = {"block": False} if how == "try" else {}
                if how == "timeout":
                    kwargs = {"timeout": rng.choice([0.0005, 0.005, 0.05])}
                try:
                    hd = (h.write if write else h.read)("/".join(path), **kwargs)
                except HiLokError as e:
                    with out_mutex:
                        outcomes[type(e).__name__] += 1
                    continue
                checker.granted(path, write)
                if rng.random() < 0.5:
                    time.sleep(rng.random() * 0.001)
                checker.releasing(path, write)
                hd.release()
                with out_mutex:
                    outcomes["granted"] += 1
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "threads hung"
    print(f"{flags!r}: {dict(outcomes)}")
    assert not errors, errors
    assert not checker.violations, checker.violations[:10]
    assert checker.grants == outcomes["granted"] > 1000
    # Contention happened (otherwise the test proves little), and every
    # failure is one of the expected kinds (one lock per thread: no
    # re-entry, so never would-deadlock).
    assert outcomes["HiLokWouldBlockError"] + outcomes["HiLokTimeoutError"] > 0, dict(outcomes)
    assert set(outcomes) <= {"granted", "HiLokWouldBlockError", "HiLokTimeoutError"}, dict(outcomes)
    assert h.node_count() == 0


def test_the_checker_detects_overlap() -> None:
    # The checker is what makes the test above meaningful.
    c = ExclusionChecker()
    c.granted(("a", "b"), True)
    t = threading.Thread(target=c.granted, args=(("a",), True))
    t.start()
    t.join()
    assert c.violations == ["write a at a"]


def test_a_blocked_acquire_releases_the_gil(worker) -> None:
    # A worker thread waits (up to 3 s) for a lock this thread holds. If the
    # wait kept the GIL, this thread could not run until it timed out.
    h = HiLok()
    hd = h.write("a")
    started = threading.Event()

    def blocked() -> str:
        started.set()
        try:
            h.write("a", timeout=3.0)
        except HiLokError as e:
            return type(e).__name__
        return "granted"

    fut = worker.submit(blocked)
    assert started.wait(PATIENCE)
    time.sleep(0.05)
    t0 = time.monotonic()
    n = 0
    while time.monotonic() - t0 < 0.3:
        n += 1
    assert not fut.done(), "the waiter finished early"
    assert n > 1000
    hd.release()
    assert fut.result(PATIENCE) == "granted"


def test_a_blocked_main_thread_releases_the_gil(worker) -> None:
    # The main thread waits in slices (to check for signals); other threads
    # run meanwhile.
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        worker.submit(later(0.5, hd.release))
        before = counter[0]
        h.write("a", timeout=PATIENCE).release()
        during = counter[0] - before
    finally:
        stop.set()
        t.join(PATIENCE)
    assert during > 1000


class Interrupted(Exception):
    pass


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("timeout", [None, 30.0])
@pytest.mark.parametrize("op", ["write", "rename"])
def test_a_signal_interrupts_a_wait_and_nothing_stays_held(worker, timeout, op) -> None:
    h = HiLok()
    blocker = worker.call(lambda: h.write("a"))
    mine = h.write("src") if op == "rename" else None

    def handler(signum, frame):
        raise Interrupted

    old = signal.signal(signal.SIGINT, handler)
    try:
        timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        t0 = time.monotonic()
        with pytest.raises(Interrupted):
            if op == "write":
                h.write("a/b", timeout=timeout)
            else:
                h.rename("src", "a", timeout=timeout)
        assert 0.15 < time.monotonic() - t0 < 5
        timer.join()
    finally:
        signal.signal(signal.SIGINT, old)
    if mine is not None:
        assert mine.path == "src"
        mine.release()
    worker.call(blocker.release)
    assert h.node_count() == 0
    worker.call(lambda: h.write("a", block=False).release())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_raises_keyboard_interrupt(tmp_path) -> None:
    # A real Ctrl-C (SIGINT, default handler) in a separate interpreter.
    import subprocess

    script = tmp_path / "ctrl_c.py"
    script.write_text(
        "import os, signal, threading, time\n"
        "from hilok import HiLok\n"
        "h = HiLok()\n"
        "ready = threading.Event()\n"
        "def hold():\n"
        "    with h.write('a'):\n"
        "        ready.set()\n"
        "        time.sleep(60)\n"
        "threading.Thread(target=hold, daemon=True).start()\n"
        "ready.wait()\n"
        "threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "try:\n"
        "    h.read('a')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', h.node_count())\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    # One node remains: the other thread's write on "a"; nothing of ours.
    assert out.stdout.strip() == "interrupted 1"
