"""Recursion modes, escalation and de-escalation, loose release."""

from __future__ import annotations

import concurrent.futures
import threading
import time

import pytest
from conftest import PATIENCE, later

from hilok import (
    HiLok,
    HiLokError,
    HiLokFlags,
    HiLokTimeoutError,
    HiLokWouldBlockError,
    HiLokWouldDeadlockError,
    HiLokWrongThreadError,
)

F = HiLokFlags

# (mode, held, requested on the same path by the same thread, allowed?)
REENTRY = [
    (F.STRICT, "read", "read", True),
    (F.STRICT, "read", "write", False),
    (F.STRICT, "write", "read", False),
    (F.STRICT, "write", "write", False),
    (F.RECURSIVE_WRITE, "read", "read", True),
    (F.RECURSIVE_WRITE, "read", "write", False),
    (F.RECURSIVE_WRITE, "write", "read", False),
    (F.RECURSIVE_WRITE, "write", "write", True),
    (F.RECURSIVE_ONEWAY, "read", "read", True),
    (F.RECURSIVE_ONEWAY, "read", "write", False),
    (F.RECURSIVE_ONEWAY, "write", "read", True),
    (F.RECURSIVE_ONEWAY, "write", "write", True),
    (F.RECURSIVE, "read", "read", True),
    (F.RECURSIVE, "read", "write", True),  # escalation (only reader)
    (F.RECURSIVE, "write", "read", True),
    (F.RECURSIVE, "write", "write", True),
]


@pytest.mark.parametrize("flags,held,requested,allowed", REENTRY)
@pytest.mark.parametrize("loose", [0, F.LOOSE_UNLOCK])
def test_reentry_on_one_path(flags, held, requested, allowed, loose) -> None:
    h = HiLok(flags=flags | loose)
    first = getattr(h, held)("a/b")
    if allowed:
        second = getattr(h, requested)("a/b", block=False)
        second.release()
        third = getattr(h, requested)("a/b")  # blocking form too
        third.release()
    else:
        # Fails at once even when allowed to block forever: waiting could
        # only end if this thread released its own lock.
        t0 = time.monotonic()
        with pytest.raises(HiLokWouldDeadlockError):
            getattr(h, requested)("a/b")
        with pytest.raises(HiLokWouldDeadlockError):
            getattr(h, requested)("a/b", timeout=PATIENCE)
        with pytest.raises(HiLokError):
            getattr(h, requested)("a/b", block=False)
        assert time.monotonic() - t0 < 1.0
    first.release()
    assert h.node_count() == 0


@pytest.mark.parametrize("flags", [F.STRICT, F.RECURSIVE_WRITE, F.RECURSIVE_ONEWAY, F.RECURSIVE])
def test_ancestor_reads_stack_in_every_mode(flags) -> None:
    # A write on a/b holds shared on a; another write below a shares it.
    h = HiLok(flags=flags)
    with h.write("a/b"), h.write("a/c"), h.read("a/d/e"):
        assert h.node_count() == 5


@pytest.mark.parametrize(
    "flags,allowed",
    [(F.STRICT, False), (F.RECURSIVE_WRITE, False), (F.RECURSIVE_ONEWAY, True), (F.RECURSIVE, True)],
)
def test_reading_below_own_write(flags, allowed) -> None:
    h = HiLok(flags=flags)
    with h.write("a"):
        if allowed:
            h.read("a/b").release()
        else:
            with pytest.raises(HiLokWouldDeadlockError):
                h.read("a/b")


@pytest.mark.parametrize(
    "flags,allowed",
    [(F.STRICT, False), (F.RECURSIVE_WRITE, False), (F.RECURSIVE_ONEWAY, False), (F.RECURSIVE, True)],
)
def test_writing_the_parent_of_own_lock_escalates(flags, allowed) -> None:
    h = HiLok(flags=flags)
    with h.write("a/b"):
        if allowed:
            h.write("a").release()
        else:
            with pytest.raises(HiLokWouldDeadlockError):
                h.write("a")


def test_recursive_write_counts_reentries(worker) -> None:
    h = HiLok(flags=F.RECURSIVE_WRITE)
    outer = h.write("a")
    inner = h.write("a")
    inner.release()
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.read("a", block=False))
    outer.release()
    worker.call(lambda: h.read("a", block=False).release())


def test_escalation_waits_for_other_readers(worker) -> None:
    h = HiLok()
    mine = h.read("a")
    theirs = worker.call(lambda: h.read("a"))
    with pytest.raises(HiLokWouldBlockError):
        h.write("a", block=False)
    with pytest.raises(HiLokTimeoutError):
        h.write("a", timeout=0.1)
    worker.submit(later(0.1, theirs.release))
    up = h.write("a", timeout=PATIENCE)  # granted once the other reader left
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.read("a", block=False))
    up.release()
    # Back to a shared holding: readers may come in, writers may not.
    worker.call(lambda: h.read("a", block=False).release())
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.write("a", block=False))
    mine.release()
    assert h.node_count() == 0


def test_escalation_goes_ahead_of_waiting_writers(workers) -> None:
    h = HiLok()
    other, writer = workers(), workers()
    mine = h.read("a")
    theirs = other.call(lambda: h.read("a"))
    queued = writer.submit(lambda: h.write("a"))
    time.sleep(0.1)
    assert not queued.done()
    other.submit(later(0.1, theirs.release))
    up = h.write("a", timeout=PATIENCE)
    assert not queued.done()
    up.release()
    mine.release()
    writer.call(lambda: queued.result().release())
    assert h.node_count() == 0


def test_two_escalators_one_gets_would_deadlock(workers) -> None:
    h = HiLok()
    PATH = "a/b"
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


def test_deescalation(worker) -> None:
    # write, read, release write: the thread keeps a read lock.
    h = HiLok()
    w = h.write("a")
    r = h.read("a")
    w.release()
    worker.call(lambda: h.read("a", block=False).release())
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.write("a", block=False))
    r.release()
    worker.call(lambda: h.write("a", block=False).release())


# --- loose release -------------------------------------------------------


@pytest.mark.parametrize(
    "flags,read_loose,write_loose",
    [
        (F.RECURSIVE, False, False),
        (F.STRICT, False, False),
        (F.RECURSIVE | F.LOOSE_READ_UNLOCK, True, False),
        (F.RECURSIVE | F.LOOSE_WRITE_UNLOCK, False, True),
        (F.RECURSIVE | F.LOOSE_UNLOCK, True, True),
        (F.STRICT | F.LOOSE_UNLOCK, True, True),
        (F.RECURSIVE_ONEWAY | F.LOOSE_WRITE_UNLOCK, False, True),
    ],
)
def test_release_from_another_thread(worker, flags, read_loose, write_loose) -> None:
    h = HiLok(flags=flags)
    for mode, loose, path in (("read", read_loose, "r/x"), ("write", write_loose, "w/x")):
        hd = getattr(h, mode)(path)
        if loose:
            worker.call(hd.release)
            assert not hd.held
            worker.call(lambda: h.write(path, block=False).release())
        else:
            with pytest.raises(HiLokWrongThreadError):
                worker.call(hd.release)
            # The failed release kept the whole lock (the original leaked
            # the remaining levels instead).
            assert hd.held and hd.path == path
            with pytest.raises(HiLokWouldBlockError):
                worker.call(lambda: h.write(path.split("/")[0], block=False))
            hd.release()  # the owner can
        assert h.node_count() == 0


def test_loose_release_from_a_plain_thread() -> None:
    h = HiLok(flags=F.LOOSE_UNLOCK)
    hd = h.write("a/b")
    t = threading.Thread(target=hd.release)
    t.start()
    t.join(PATIENCE)
    assert not hd.held
    assert h.node_count() == 0
