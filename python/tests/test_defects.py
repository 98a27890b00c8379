"""The original's defects (reference note, "Defects") do not recur.

Escalation deadlock (3), strict re-entry (7), empty paths (8), the timed-out
rename (9), the wrong-thread release (11), rename onto a held path (5) and
per-node timeouts (6) are covered next to the features they concern; this
file has the starved writer (2), the waiting rename that stalls the manager
(4), ``timeout=0`` (10) and node leaks (13), and repeats the short ones so
that the list is checkable in one place.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time

import pytest
from conftest import PATIENCE

from hilok import (
    HiLok,
    HiLokFlags,
    HiLokInvalidPathError,
    HiLokWouldBlockError,
    HiLokWouldDeadlockError,
)


@pytest.mark.parametrize("writer_on_main_thread", [False, True])
def test_writer_is_not_starved_by_a_stream_of_readers(workers, writer_on_main_thread) -> None:
    # Four readers keep the path read-locked: each holds for a moment and
    # comes back at once, staggered, so that at almost every instant some
    # reader holds it. Under reader preference (the original) a writer waits
    # until by chance no reader holds; with fair queuing, readers that come
    # after the writer queue behind it.
    h = HiLok()
    stop = threading.Event()
    rounds = [0] * 4

    def reader(i: int) -> None:
        time.sleep(0.0005 * i)
        while not stop.is_set():
            with h.read("db/table"):
                rounds[i] += 1
                time.sleep(0.002)

    readers = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in readers:
        t.start()
    time.sleep(0.1)
    assert all(rounds), "readers are not running"

    def write() -> float:
        t0 = time.monotonic()
        with h.write("db/table", timeout=PATIENCE):
            return time.monotonic() - t0

    try:
        waited = write() if writer_on_main_thread else workers().call(write, PATIENCE + 1)
    finally:
        stop.set()
        for t in readers:
            t.join(PATIENCE)
    assert waited < PATIENCE
    assert h.node_count() == 0


def test_two_escalators_do_not_hang(workers) -> None:
    h = HiLok()
    PATH = "x"
    w1, w2 = workers(), workers()
    reads = {w1: w1.call(lambda: h.read(PATH)), w2: w2.call(lambda: h.read(PATH))}
    # Both escalate at about the same time; whichever comes second gets the
    # would-deadlock error at once (the original hung forever), and the
    # first completes once the loser has released its read.
    futs = {w1: w1.submit(lambda: h.write(PATH)), w2: w2.submit(lambda: h.write(PATH))}
    done, _ = concurrent.futures.wait(
        futs.values(), timeout=PATIENCE, return_when=concurrent.futures.FIRST_COMPLETED
    )
    assert done, "both escalators hang"
    loser_w = next(w for w, f in futs.items() if f in done)
    winner_w = w2 if loser_w is w1 else w1
    assert isinstance(futs[loser_w].exception(), HiLokWouldDeadlockError)
    time.sleep(0.05)
    assert not futs[winner_w].done()  # still waiting for the loser's read
    loser_w.call(reads[loser_w].release)
    up = futs[winner_w].result(PATIENCE)
    assert up.mode == "write"
    winner_w.call(up.release)
    winner_w.call(reads[winner_w].release)
    assert h.node_count() == 0


def test_strict_reentry_fails_at_once() -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write("a/b"):
        t0 = time.monotonic()
        for call in (lambda: h.write("a/b"), lambda: h.read("a/b"), lambda: h.read("a/b/c")):
            with pytest.raises(HiLokWouldDeadlockError):
                call()
        assert time.monotonic() - t0 < 1.0


@pytest.mark.parametrize("path", ["", "/", "////"])
def test_empty_path_is_an_error(path: str) -> None:
    h = HiLok()
    with pytest.raises(HiLokInvalidPathError, match="no component"):
        h.write(path)
    with pytest.raises(HiLokInvalidPathError):
        h.read(path, block=False)


def test_timeout_zero_does_not_wait(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    t0 = time.monotonic()
    with pytest.raises(HiLokWouldBlockError):
        h.read("a", timeout=0)
    assert time.monotonic() - t0 < 1.0
    worker.call(hd.release)


def test_rename_onto_a_held_path_never_gives_two_writers(worker) -> None:
    h = HiLok()
    mine = h.write("a")
    theirs = worker.call(lambda: h.write("b"))
    with pytest.raises(HiLokWouldBlockError):
        h.rename("a", "b", block=False)
    assert (mine.path, theirs.path) == ("a", "b")
    worker.call(theirs.release)
    mine.release()


def test_no_nodes_leak_under_concurrency() -> None:
    # The original kept tens of thousands of nodes after two threads locked
    # sibling leaves in a loop.
    h = HiLok()

    def hammer(leaf: str) -> None:
        for _ in range(20_000):
            h.write(leaf).release()

    ts = [threading.Thread(target=hammer, args=(f"dir/{c}",)) for c in "ab"]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert h.node_count() == 0


def test_a_waiting_rename_does_not_stall_the_manager(workers) -> None:
    # The original held its global mutex while a rename waited, so every
    # other acquisition and release in the manager stalled behind it.
    h = HiLok()
    holder, owner, mover, other = workers(), workers(), workers(), workers()
    dst = holder.call(lambda: h.write("dst"))
    src = owner.call(lambda: h.write("src"))
    fut = mover.submit(lambda: h.rename("src", "dst"))
    time.sleep(0.1)
    assert not fut.done()
    t0 = time.monotonic()
    for i in range(100):
        other.call(lambda: h.write(f"elsewhere/{i % 7}", timeout=PATIENCE).release())
    assert time.monotonic() - t0 < PATIENCE / 2
    assert not fut.done()
    holder.call(dst.release)
    fut.result(PATIENCE)
    assert src.path == "dst"
    owner.call(src.release)
    assert h.node_count() == 0
