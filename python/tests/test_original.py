"""Code written for the original package runs unchanged.

``README_EXAMPLE`` is the example from the original's PyPI page, byte for byte
(indentation included). The other tests are the original's own test suite,
with ``HiLok(recursive=False)`` (a pre-1.0 spelling) written as
``HiLok(flags=HiLokFlags.STRICT)``, its 1.x equivalent.
"""

from __future__ import annotations

import textwrap

import pytest

from hilok import HiLok, HiLokError, HiLokFlags

README_EXAMPLE = textwrap.dedent(
    """\
    from hilok import HiLok, HiLokError, HiLokFlags

    h = HiLok()     # default sep is '/', can pass it in here

    rd = h.read("/some/path")

    # nonblocking, this will fail!
    try:
        wr = h.write("/some", block=False)
    except HiLokError:
        pass

    rd.release()

    wr = h.write("/some")

    # timeout=0 is the the same as block=False
    rd = h.read("/some/path", block=False)

    # with syntax is fine:
    with h.read("/some/path"):
        pass
    """
)


def test_readme_example_runs_unchanged() -> None:
    ns: dict = {}
    exec(compile(README_EXAMPLE, "README", "exec"), ns)
    h = ns["h"]
    # What the example leaves: a write on "some" and a read on "some/path",
    # both owned by this thread (RECURSIVE lets a writer read below itself).
    assert ns["wr"].path == "some" and ns["wr"].held
    assert ns["rd"].path == "some/path" and ns["rd"].held
    assert h.node_count() == 2
    # Dropping the example's handles releases everything.
    ns.clear()
    assert h.node_count() == 0


def test_readme_example_conflicts_hold_for_another_thread(worker) -> None:
    # The example's "this will fail!" is about another owner: the original
    # README's comment describes the write on a parent of a read-locked path.
    h = HiLok()
    rd = h.read("/some/path")
    with pytest.raises(HiLokError):
        worker.call(lambda: h.write("/some", block=False))
    rd.release()
    wr = h.write("/some")
    with pytest.raises(HiLokError):
        worker.call(lambda: h.read("/some/path", block=False))
    with pytest.raises(HiLokError):
        worker.call(lambda: h.read("/some/path", timeout=0))
    wr.release()
    assert h.node_count() == 0


def strict() -> HiLok:
    return HiLok(flags=HiLokFlags.STRICT)


def test_wr_no_lev() -> None:
    h = strict()
    lk = h.write("/a/b")
    lk.release()
    lk = h.write("/a/b")

    with pytest.raises(HiLokError):
        lk = h.write("/a/b", block=False)
    assert lk.held


def test_with_wr() -> None:
    h = strict()
    with h.write("/a/b"):
        with pytest.raises(HiLokError):
            h.write("/a/b", block=False)

    with h.write("/a/b", block=False) as hh:
        assert hh.held
    assert h.node_count() == 0


def test_early_rel() -> None:
    h = strict()
    with h.write("/a/b") as lk:
        lk.release()
        h.write("/a/b", block=False)
    assert h.node_count() == 0


def test_rename() -> None:
    h = strict()
    with h.write("/a/b"):
        h.rename("/a/b", "x")
        with pytest.raises(HiLokError):
            h.write("x", block=False)
        with h.write("/a/b", block=False):
            pass
    assert h.node_count() == 0


def test_riaa() -> None:
    h = strict()
    lk = h.write("/a/b")
    del lk
    lk = h.write("/a/b")
    del lk
    assert h.node_count() == 0


def test_none() -> None:
    h = strict()
    lk = h.write("/a/b")
    with pytest.raises(HiLokError):
        # none is allowed, and is ignored
        h.write("/a/b", block=False, timeout=None)

    with pytest.raises(HiLokError):
        # none is allowed, and is ignored
        h.read("/a/b", block=False, timeout=None)
    lk.release()


def test_with_rd() -> None:
    h = strict()
    with h.read("/a/b"):
        with h.read("/a/b", block=False):
            pass
        with pytest.raises(HiLokError):
            h.write("/a/b", block=False)
    with h.write("/a/b", block=False):
        pass


def test_other_sep() -> None:
    h = HiLok(":", HiLokFlags.STRICT)
    with h.read("a:b"):
        with pytest.raises(HiLokError):
            h.write("a", block=False)


def test_positional_arguments_like_the_original() -> None:
    h = HiLok(":", 3)
    hd = h.write("a:b", False, None)
    h.rename("a:b", "c", False, None)
    assert hd.path == "c"
    hd.release()
    assert h.node_count() == 0


def test_package_readme_examples_run(capsys) -> None:
    # The python blocks of python/README.md (next to these tests) run as
    # written and leave nothing held.
    import re
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(), re.S)
    assert blocks
    for block in blocks:
        ns: dict = {}
        exec(compile(block, str(readme), "exec"), ns)
        assert ns["h"].node_count() == 0, "the example leaves locks held"
    assert "busy" in capsys.readouterr().out
