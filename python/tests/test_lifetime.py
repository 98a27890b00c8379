"""Handles: release(), context managers, release on garbage collection."""

from __future__ import annotations

import gc
import threading

import pytest
from conftest import PATIENCE

from hilok import HiLok, HiLokFlags, HiLokWouldBlockError, HiLokWouldDeadlockError


def free_for_others(h: HiLok, worker, path: str) -> bool:
    """Whether another thread can write ``path`` right now."""
    try:
        worker.call(lambda: h.write(path, block=False).release())
        return True
    except HiLokWouldBlockError:
        return False


def test_release_is_idempotent(worker) -> None:
    h = HiLok()
    hd = h.write("a")
    other = h.read("a")  # re-entry: a second holding by the same thread
    hd.release()
    hd.release()  # does nothing: in particular it does not release `other`
    hd.release()
    assert not free_for_others(h, worker, "a")
    other.release()
    assert free_for_others(h, worker, "a")


@pytest.mark.parametrize("mode", ["read", "write"])
def test_with_releases(worker, mode) -> None:
    h = HiLok()
    with getattr(h, mode)("a/b") as hd:
        assert hd.held
        assert not free_for_others(h, worker, "a")
    assert not hd.held
    assert free_for_others(h, worker, "a")
    assert h.node_count() == 0


def test_enter_returns_the_handle_itself() -> None:
    h = HiLok()
    hd = h.write("a")
    with hd as same:
        assert same is hd
    assert not hd.held


def test_with_releases_on_exception_and_propagates(worker) -> None:
    h = HiLok()
    with pytest.raises(KeyError):
        with h.write("a"):
            raise KeyError("boom")
    assert free_for_others(h, worker, "a")


def test_exit_does_not_swallow_exceptions() -> None:
    hd = HiLok().write("a")
    assert hd.__exit__(None, None, None) is False
    assert not hd.held


def test_release_inside_with_then_exit(worker) -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write("a") as hd:
        hd.release()
        assert free_for_others(h, worker, "a")
        with h.write("a", block=False):
            pass
    assert h.node_count() == 0


def test_nested_withs() -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.read("a"), h.read("a/b"), h.write("a/c"):
        with pytest.raises(HiLokWouldDeadlockError):
            h.write("a/c")
        assert h.node_count() == 3
    assert h.node_count() == 0


def test_del_releases(worker) -> None:
    h = HiLok()
    hd = h.write("a/b")
    assert not free_for_others(h, worker, "a")
    del hd
    assert free_for_others(h, worker, "a")
    assert h.node_count() == 0


def test_discarded_result_releases_at_once(worker) -> None:
    h = HiLok()
    h.write("a/b")  # never bound: released as soon as it is dropped
    assert free_for_others(h, worker, "a/b")


def test_handle_in_a_reference_cycle_is_released_by_the_collector(worker) -> None:
    h = HiLok()

    class Box:
        pass

    box = Box()
    box.me = box  # type: ignore[attr-defined]
    box.handle = h.write("a")  # type: ignore[attr-defined]
    del box
    assert not free_for_others(h, worker, "a")  # still referenced by the cycle
    gc.collect()
    assert free_for_others(h, worker, "a")


def test_handle_collected_on_another_thread_releases(worker) -> None:
    # Dropping releases on whichever thread drops it, loose flag or not:
    # nobody could release the lock any more otherwise.
    h = HiLok(flags=HiLokFlags.STRICT)
    holder = {"hd": h.write("a")}
    worker.call(lambda: holder.clear())
    assert h.node_count() == 0
    h.write("a", block=False).release()


def test_handle_outlives_its_thread(worker) -> None:
    h = HiLok()
    hd = worker.call(lambda: h.write("a"))
    worker.stop()
    assert hd.held
    with pytest.raises(HiLokWouldBlockError):
        h.read("a", block=False)
    del hd  # collected here; the owner thread is gone
    h.write("a", block=False).release()


def test_manager_outlived_by_handle() -> None:
    hd = HiLok().write("a/b")  # the manager object is dropped at once
    assert hd.held and hd.path == "a/b"
    hd.release()
    assert not hd.held


def test_handle_release_races_are_safe() -> None:
    # Many threads releasing the same (loose) handle: exactly one releases.
    h = HiLok(flags=HiLokFlags.LOOSE_UNLOCK)
    for _ in range(50):
        hd = h.write("a")
        ts = [threading.Thread(target=hd.release) for _ in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(PATIENCE)
        assert not hd.held
        assert h.node_count() == 0
