"""Conflicts between threads, paths, separators, block=False and timeouts."""

from __future__ import annotations

import threading
import time
from typing import Optional

import pytest
from conftest import PATIENCE, later

from hilok import (
    HiLok,
    HiLokFlags,
    HiLokInvalidPathError,
    HiLokTimeoutError,
    HiLokWouldBlockError,
)

# (held by another thread, requested here, compatible?) -- the reference
# note's table, plus the cases it implies.
TABLE = [
    ("read", "a/b", "write", "a", False),
    ("read", "a", "write", "a/b", True),
    ("write", "a", "read", "a/b/c", False),
    ("write", "a/b", "write", "a/c", True),
    ("read", "a/b", "read", "a/b", True),
    ("write", "a/b", "read", "a/b", False),
    ("write", "a/b", "write", "a/b", False),
    ("read", "a/b", "write", "a/b", False),
    ("write", "a/b", "read", "a", True),
    ("write", "a/b", "write", "a", False),
    ("read", "a/b/c", "write", "a/b", False),
    ("write", "a", "write", "b", True),
    ("write", "a/b/c", "read", "a/b", True),
]


@pytest.mark.parametrize("held_mode,held,mode,path,ok", TABLE)
@pytest.mark.parametrize("flags", [HiLokFlags.STRICT, HiLokFlags.RECURSIVE])
def test_conflict_table(worker, held_mode, held, mode, path, ok, flags) -> None:
    h = HiLok(flags=flags)
    hd = worker.call(lambda: getattr(h, held_mode)(held))
    try:
        if ok:
            getattr(h, mode)(path, block=False).release()
            getattr(h, mode)(path).release()
        else:
            with pytest.raises(HiLokWouldBlockError):
                getattr(h, mode)(path, block=False)
            with pytest.raises(HiLokWouldBlockError):
                getattr(h, mode)(path, timeout=0)
            with pytest.raises(HiLokTimeoutError):
                getattr(h, mode)(path, timeout=0.05)
    finally:
        worker.call(hd.release)
    # Free now, for everyone.
    getattr(h, mode)(path, block=False).release()
    assert h.node_count() == 0


def test_blocked_acquire_proceeds_when_released(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    got = threading.Event()

    def wait_for_it() -> None:
        with h.read("a/b/c"):
            got.set()

    t = threading.Thread(target=wait_for_it)
    t.start()
    assert not got.wait(0.2), "read granted under another thread's write"
    worker.call(hd.release)
    assert got.wait(PATIENCE)
    t.join()
    assert h.node_count() == 0


def test_paths_are_split_and_empty_components_dropped(worker) -> None:
    h = HiLok()
    with h.write("//a//b//") as hd:
        assert hd.path == "a/b"
        with pytest.raises(HiLokWouldBlockError):
            worker.call(lambda: h.read("a/b", block=False))
        with pytest.raises(HiLokWouldBlockError):
            worker.call(lambda: h.read("/a/b/c/", block=False))
        worker.call(lambda: h.read("a", block=False).release())
        assert h.node_count() == 2
    assert h.node_count() == 0


def test_node_count_counts_prefixes() -> None:
    h = HiLok()
    hds = [h.read("a/b/c"), h.read("a/b/d"), h.write("e")]
    assert h.node_count() == 5  # a, a/b, a/b/c, a/b/d, e
    for hd in hds:
        hd.release()
    assert h.node_count() == 0


@pytest.mark.parametrize("path", ["", "/", "///", "//"])
@pytest.mark.parametrize("mode", ["read", "write"])
def test_empty_paths_are_rejected(mode: str, path: str) -> None:
    h = HiLok()
    with pytest.raises(HiLokInvalidPathError):
        getattr(h, mode)(path)
    with pytest.raises(ValueError):
        getattr(h, mode)(path, block=False)
    assert h.node_count() == 0


def test_too_deep_path_is_rejected() -> None:
    h = HiLok()
    with pytest.raises(HiLokInvalidPathError, match="components"):
        h.read("/".join(["x"] * 5000))
    with pytest.raises(HiLokInvalidPathError, match="longer"):
        h.read("x" * 100_000)
    assert h.node_count() == 0


def test_another_separator(worker) -> None:
    h = HiLok(":")
    with h.read("a:b") as hd:
        assert hd.path == "a:b"
        with pytest.raises(HiLokWouldBlockError):
            worker.call(lambda: h.write("a", block=False))
        # "/" is an ordinary character under another separator.
        worker.call(lambda: h.write("a/b", block=False).release())
        worker.call(lambda: h.write("a:c", block=False).release())
    with h.write("::x::y::") as hd:
        assert hd.path == "x:y"
    assert h.node_count() == 0


def test_managers_are_independent(worker) -> None:
    h1, h2 = HiLok(), HiLok()
    with h1.write("a"):
        worker.call(lambda: h2.write("a", block=False).release())


def test_block_false_fails_at_once(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    t0 = time.monotonic()
    with pytest.raises(HiLokWouldBlockError):
        h.read("a/b", block=False)
    with pytest.raises(HiLokWouldBlockError):
        # block=False wins over a timeout, as in the original.
        h.read("a/b", block=False, timeout=5)
    assert time.monotonic() - t0 < 1.0
    worker.call(hd.release)
    assert h.node_count() == 0


def test_timeout_zero_is_block_false(worker) -> None:
    # The original's README promise (its code waited forever instead).
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    t0 = time.monotonic()
    for t in (0, 0.0):
        with pytest.raises(HiLokWouldBlockError):
            h.write("a", timeout=t)
    assert time.monotonic() - t0 < 1.0
    worker.call(hd.release)
    h.write("a", timeout=0).release()


@pytest.mark.parametrize("on_main_thread", [True, False])
def test_timeout_waits_about_that_long(worker, workers, on_main_thread) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a/b/c/d"))

    def attempt() -> float:
        t0 = time.monotonic()
        with pytest.raises(HiLokTimeoutError):
            h.read("a/b/c/d", timeout=0.3)
        return time.monotonic() - t0

    waited = attempt() if on_main_thread else workers().call(attempt)
    assert 0.29 <= waited < 0.3 + 2.0
    worker.call(hd.release)
    assert h.node_count() == 0


@pytest.mark.parametrize("on_main_thread", [True, False])
def test_timeout_is_one_deadline_for_the_whole_path(worker, workers, on_main_thread) -> None:
    # The blocker holds write on x, and write on x/y below it. At 0.4 s it
    # releases x (keeping x/y) and at 0.8 s x/y. A waiter on x/y/z with a
    # 0.6 s timeout waits 0.4 s at x, then at x/y; if the timeout applied per
    # node (the original's defect) it would get x/y at 0.8 s, before its
    # second deadline (1.0 s); with one deadline for the whole path it fails
    # at 0.6 s.
    h = HiLok()
    top = worker.call(lambda: h.write("x"))
    below = worker.call(lambda: h.write("x/y"))
    worker.submit(later(0.4, top.release))
    worker.submit(later(0.4, below.release))

    def attempt() -> float:
        t0 = time.monotonic()
        with pytest.raises(HiLokTimeoutError):
            h.read("x/y/z", timeout=0.6)
        return time.monotonic() - t0

    waited = attempt() if on_main_thread else workers().call(attempt)
    assert 0.59 <= waited < 0.6 + 2.0
    worker.call(lambda: None)  # both released
    assert h.node_count() == 0


@pytest.mark.parametrize("on_main_thread", [True, False])
def test_timeout_succeeds_when_released_in_time(worker, workers, on_main_thread) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    worker.submit(later(0.15, hd.release))

    def attempt() -> Optional[str]:
        with h.write("a/b", timeout=PATIENCE) as mine:
            return mine.path

    assert (attempt() if on_main_thread else workers().call(attempt)) == "a/b"
    assert h.node_count() == 0


def test_failed_acquire_holds_nothing(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a/b/c"))
    with pytest.raises(HiLokTimeoutError):
        h.write("a/b/c/d", timeout=0.05)
    with pytest.raises(HiLokWouldBlockError):
        h.read("a/b/c", block=False)
    worker.call(hd.release)
    # Nothing of the failed attempts is left: a write on the root is free.
    assert h.node_count() == 0
    worker.call(lambda: h.write("a", block=False).release())
