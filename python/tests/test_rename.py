"""rename: moves holdings (with the whole subtree); waits for the destination."""

from __future__ import annotations

import time

import pytest
from conftest import PATIENCE, later

from hilok import (
    HiLok,
    HiLokFlags,
    HiLokInvalidPathError,
    HiLokInvalidRenameError,
    HiLokNotHeldError,
    HiLokTimeoutError,
    HiLokWouldBlockError,
    HiLokWouldDeadlockError,
)


def test_handles_follow_the_rename(worker) -> None:
    h = HiLok()
    hd = h.write("a/b")
    h.rename("a/b", "x/y")
    assert hd.path == "x/y"
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.read("x/y", block=False))
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.write("x", block=False))
    # The old path and its old ancestor are free.
    worker.call(lambda: h.write("a", block=False).release())
    hd.release()  # releases the new path
    assert h.node_count() == 0
    worker.call(lambda: h.write("x", block=False).release())


def test_every_holder_moves(workers) -> None:
    h = HiLok()
    w1, w2 = workers(), workers()
    r1 = w1.call(lambda: h.read("a/b"))
    r2 = w2.call(lambda: h.read("a/b"))
    h.rename("a/b", "c")  # the caller need not hold anything
    assert (r1.path, r2.path) == ("c", "c")
    with pytest.raises(HiLokWouldBlockError):
        h.write("c", block=False)
    h.write("a/b", block=False).release()
    w1.call(r1.release)
    w2.call(r2.release)
    assert h.node_count() == 0


def test_the_whole_subtree_moves(worker) -> None:
    # A directory renamed while files in it are locked.
    h = HiLok()
    f = worker.call(lambda: h.write("dir/sub/f"))
    g = worker.call(lambda: h.read("dir/sub/g/h"))
    h.rename("dir/sub", "other")
    assert f.path == "other/f"
    assert g.path == "other/g/h"
    with pytest.raises(HiLokWouldBlockError):
        h.read("other/f", block=False)
    with pytest.raises(HiLokWouldBlockError):
        h.write("other/g", block=False)
    h.write("dir/sub/f", block=False).release()
    h.write("dir", block=False).release()
    worker.call(f.release)
    worker.call(g.release)
    assert h.node_count() == 0


def test_deep_to_shallow_and_back(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.read("a/b/c/d"))
    h.rename("a/b/c/d", "z")
    assert hd.path == "z"
    h.write("a", block=False).release()  # left ancestors were released
    h.rename("z", "p/q/r/s")
    assert hd.path == "p/q/r/s"
    with pytest.raises(HiLokWouldBlockError):
        h.write("p/q", block=False)  # new ancestors gained shared holds
    worker.call(hd.release)
    assert h.node_count() == 0


def test_onto_an_ancestor(worker) -> None:
    # Used by the original's own tests: a/b/c/d onto a/b.
    h = HiLok()
    hd = worker.call(lambda: h.write("a/b/c/d"))
    h.rename("a/b/c/d", "a/b")
    assert hd.path == "a/b"
    with pytest.raises(HiLokWouldBlockError):
        h.read("a/b", block=False)
    worker.call(hd.release)
    assert h.node_count() == 0


def test_a_renamed_handle_releases_with_context_manager(worker) -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write("/a/b") as hd:
        h.rename("/a/b", "x")
        assert hd.path == "x"
        with pytest.raises(HiLokWouldBlockError):
            worker.call(lambda: h.read("x", block=False))
    assert h.node_count() == 0


def test_rename_of_an_unheld_path_is_not_held() -> None:
    h = HiLok()
    with pytest.raises(HiLokNotHeldError):
        h.rename("nothing", "x")
    with h.read("a/b"):
        with pytest.raises(HiLokNotHeldError):
            h.rename("a/c", "x")
        h.rename("a", "q")  # held below: the rename moves it
    assert h.node_count() == 0


def test_into_its_own_subtree_is_invalid() -> None:
    h = HiLok()
    with h.write("a/b"):
        with pytest.raises(HiLokInvalidRenameError):
            h.rename("a/b", "a/b/c")
        with pytest.raises(ValueError):
            h.rename("a", "a/x/y", block=False)


def test_rename_rejects_empty_paths() -> None:
    h = HiLok()
    with h.write("a"):
        with pytest.raises(HiLokInvalidPathError):
            h.rename("a", "")
        with pytest.raises(HiLokInvalidPathError):
            h.rename("//", "a")


def test_onto_itself_is_a_no_op_when_held() -> None:
    h = HiLok()
    with h.write("a/b") as hd:
        h.rename("a/b", "/a//b/")
        assert hd.path == "a/b"


def test_onto_a_path_another_thread_holds_waits(worker) -> None:
    # The original overwrote the destination: two writers at once.
    h = HiLok()
    mine = h.write("src")
    theirs = worker.call(lambda: h.write("dst"))
    with pytest.raises(HiLokWouldBlockError):
        h.rename("src", "dst", block=False)
    with pytest.raises(HiLokWouldBlockError):
        h.rename("src", "dst", timeout=0)
    t0 = time.monotonic()
    with pytest.raises(HiLokTimeoutError):
        h.rename("src", "dst", timeout=0.2)
    assert time.monotonic() - t0 >= 0.19
    # Nothing changed.
    assert (mine.path, theirs.path) == ("src", "dst")
    worker.submit(later(0.2, theirs.release))
    t0 = time.monotonic()
    h.rename("src", "dst")  # blocks until the other writer is gone
    assert time.monotonic() - t0 >= 0.15
    assert mine.path == "dst"
    with pytest.raises(HiLokWouldBlockError):
        worker.call(lambda: h.read("dst", block=False))
    mine.release()
    assert h.node_count() == 0


def test_timed_out_rename_leaves_no_holds_on_new_ancestors(worker) -> None:
    # The original left shared holds on the destination's new ancestors when
    # a rename timed out part-way; those ancestors could never be written.
    h = HiLok()
    mine = h.read("src")
    theirs = worker.call(lambda: h.write("new/parent/dst"))
    with pytest.raises(HiLokTimeoutError):
        h.rename("src", "new/parent/dst", timeout=0.1)
    worker.call(theirs.release)
    worker.call(lambda: h.write("new", block=False).release())
    mine.release()
    assert h.node_count() == 0


def test_rename_waits_on_a_worker_thread(worker, workers) -> None:
    h = HiLok()
    holder = worker.call(lambda: h.read("dst/x"))  # blocks a move onto dst
    mover, owner = workers(), workers()
    moved = owner.call(lambda: h.write("src"))
    fut = mover.submit(lambda: h.rename("src", "dst", timeout=PATIENCE))
    time.sleep(0.2)
    assert not fut.done()
    worker.call(holder.release)
    fut.result(PATIENCE)
    assert moved.path == "dst"
    owner.call(moved.release)
    assert h.node_count() == 0


def test_blocked_only_by_the_callers_own_lock_fails_at_once(worker) -> None:
    # Waiting could only end if the caller released its own lock.
    h = HiLok()
    moved = worker.call(lambda: h.write("src"))
    mine = h.read("dst")
    t0 = time.monotonic()
    with pytest.raises(HiLokWouldDeadlockError):
        h.rename("src", "dst")
    assert time.monotonic() - t0 < 1.0
    assert moved.path == "src"
    mine.release()
    h.rename("src", "dst")
    assert moved.path == "dst"
    worker.call(moved.release)
    assert h.node_count() == 0
