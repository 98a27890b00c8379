"""The public surface: names, flag values, error classes, argument checking."""

from __future__ import annotations

import enum
import importlib
import math
import re

import pytest

import hilok
from hilok import (
    HiHandle,
    HiLok,
    HiLokError,
    HiLokFlags,
    HiLokInvalidPathError,
    HiLokInvalidRenameError,
    HiLokNotHeldError,
    HiLokTimeoutError,
    HiLokWouldBlockError,
    HiLokWouldDeadlockError,
    HiLokWrongThreadError,
)


def test_version_is_the_distribution_version() -> None:
    from importlib.metadata import version

    assert re.fullmatch(r"\d+\.\d+\.\d+.*", hilok.__version__)
    assert hilok.__version__ == version("hilok")


def test_the_extension_is_installed_not_shadowed() -> None:
    # The tests must exercise the built package, not a source checkout.
    assert hilok.HiLok.__module__ == "hilok"
    native = importlib.import_module("hilok._hilok")
    assert native.__file__ is not None and native.__file__.endswith((".so", ".pyd"))


def test_flag_values_are_the_originals() -> None:
    assert issubclass(HiLokFlags, enum.IntFlag)
    assert {name: int(f) for name, f in HiLokFlags.__members__.items()} == {
        "STRICT": 0,
        "RECURSIVE_WRITE": 1,
        "RECURSIVE_ONEWAY": 2,
        "RECURSIVE": 3,
        "LOOSE_READ_UNLOCK": 8,
        "LOOSE_WRITE_UNLOCK": 16,
        "LOOSE_UNLOCK": 24,
    }
    assert HiLokFlags.STRICT == 0
    assert HiLokFlags.RECURSIVE_WRITE == 1
    assert HiLokFlags.RECURSIVE_ONEWAY == 2
    assert HiLokFlags.RECURSIVE == 3
    assert HiLokFlags.LOOSE_READ_UNLOCK == 8
    assert HiLokFlags.LOOSE_WRITE_UNLOCK == 16
    assert HiLokFlags.LOOSE_UNLOCK == 24
    assert HiLokFlags.LOOSE_READ_UNLOCK | HiLokFlags.LOOSE_WRITE_UNLOCK == HiLokFlags.LOOSE_UNLOCK


def test_defaults() -> None:
    h = HiLok()
    assert h.sep == "/"
    assert h.flags == HiLokFlags.RECURSIVE
    assert isinstance(h.flags, HiLokFlags)
    assert h.node_count() == 0
    assert repr(h) == "HiLok(sep='/', flags=HiLokFlags.RECURSIVE)"


@pytest.mark.parametrize("sep", ["/", ":", "'", "→"])
@pytest.mark.parametrize("flags", [0, 1, 2, 3, 8, 16, 24, 3 | 8, 27])
def test_repr_evaluates_to_an_equal_manager(sep: str, flags: int) -> None:
    h = HiLok(sep, flags)
    again = eval(repr(h), vars(hilok))
    assert (again.sep, again.flags) == (sep, flags)


@pytest.mark.parametrize(
    "flags",
    [0, 1, 2, 3, 8, 16, 24, 3 | 8, 3 | 24, 0 | 16, HiLokFlags.STRICT | HiLokFlags.LOOSE_UNLOCK, True],
)
def test_accepted_flags_round_trip(flags: int) -> None:
    h = HiLok("/", flags)
    assert h.flags == int(flags)
    assert HiLok(flags=flags).flags == int(flags)


@pytest.mark.parametrize("flags", [4, 5, 6, 7, 32, 3 | 64, -1, 2**40])
def test_unknown_flag_bits_are_rejected(flags: int) -> None:
    with pytest.raises(ValueError, match="invalid flags"):
        HiLok(flags=flags)


@pytest.mark.parametrize("flags", [3.0, "3", None.__class__])
def test_non_int_flags_are_a_type_error(flags: object) -> None:
    with pytest.raises(TypeError, match="flags must be an int"):
        HiLok(flags=flags)  # type: ignore[arg-type]


def test_none_flags_means_default() -> None:
    assert HiLok(flags=None).flags == HiLokFlags.RECURSIVE  # type: ignore[arg-type]


@pytest.mark.parametrize("sep", ["", "::", "ab"])
def test_separator_must_be_one_character(sep: str) -> None:
    with pytest.raises(ValueError, match="exactly one character"):
        HiLok(sep)


@pytest.mark.parametrize("sep", [b"/", 47, ["/"]])
def test_separator_must_be_a_str(sep: object) -> None:
    with pytest.raises(TypeError, match="sep must be a str"):
        HiLok(sep)  # type: ignore[arg-type]


def test_non_ascii_separator(worker) -> None:
    h = HiLok("→")
    with h.read("a→b") as hd:
        assert hd.path == "a→b"
        with pytest.raises(HiLokWouldBlockError):
            worker.call(lambda: h.write("a", block=False))
        worker.call(lambda: h.write("a/b", block=False).release())
    assert h.node_count() == 0


@pytest.mark.parametrize("path", [1, None, 3.5, ["a"], object()])
def test_path_must_be_str_or_bytes(path: object) -> None:
    h = HiLok()
    for call in (h.read, h.write):
        with pytest.raises(TypeError, match="path must be str or bytes"):
            call(path)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="from_path must be str or bytes"):
        h.rename(path, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="to_path must be str or bytes"):
        h.rename("x", path)  # type: ignore[arg-type]
    assert h.node_count() == 0


def test_bytes_paths_are_utf8() -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write(b"a/b") as hd:
        assert hd.path == "a/b"
        with pytest.raises(HiLokError):
            h.write("a/b", timeout=0)
    with pytest.raises(UnicodeDecodeError):
        h.read(b"a/\xff")
    assert h.node_count() == 0


def test_lone_surrogate_path_is_rejected() -> None:
    h = HiLok()
    with pytest.raises(UnicodeEncodeError):
        h.read("a/\udc80")
    assert h.node_count() == 0


@pytest.mark.parametrize("timeout", [-1, -0.001, math.nan, -math.inf])
def test_bad_timeouts_are_value_errors(timeout: float) -> None:
    h = HiLok()
    with pytest.raises(ValueError, match="timeout must be None or a number >= 0"):
        h.read("a", timeout=timeout)
    with pytest.raises(ValueError, match="timeout"):
        h.write("a", block=False, timeout=timeout)
    with pytest.raises(ValueError, match="timeout"):
        h.rename("a", "b", timeout=timeout)
    assert h.node_count() == 0


@pytest.mark.parametrize("timeout", ["1", [1], object()])
def test_non_numeric_timeout_is_a_type_error(timeout: object) -> None:
    with pytest.raises(TypeError):
        HiLok().read("a", timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("block", ["yes", 1.0, [True]])
def test_non_bool_block_is_a_type_error(block: object) -> None:
    with pytest.raises(TypeError, match="block must be a bool"):
        HiLok().read("a", block=block)  # type: ignore[arg-type]


def test_block_accepts_ints_and_none_like_the_original() -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write("a"):
        for block in (0, False):
            with pytest.raises(HiLokWouldDeadlockError):
                h.write("a", block=block)  # type: ignore[arg-type]
    with h.read("a", block=None), h.read("a", block=1):  # type: ignore[arg-type]
        assert h.node_count() == 1


def test_infinite_timeout_means_forever() -> None:
    h = HiLok()
    with h.write("a", timeout=math.inf) as hd:
        assert hd.held
    with h.read("a", timeout=1e300):
        pass


def test_error_hierarchy() -> None:
    assert issubclass(HiLokError, TimeoutError)
    assert issubclass(HiLokError, OSError)
    kinds = [
        HiLokWouldBlockError,
        HiLokTimeoutError,
        HiLokWouldDeadlockError,
        HiLokInvalidPathError,
        HiLokNotHeldError,
        HiLokWrongThreadError,
        HiLokInvalidRenameError,
    ]
    for k in kinds:
        assert issubclass(k, HiLokError), k
        assert k.__doc__, k
    # Pairwise distinct: one can tell them apart.
    for a in kinds:
        for b in kinds:
            assert (a is b) == issubclass(a, b), (a, b)
    assert issubclass(HiLokInvalidPathError, ValueError)
    assert issubclass(HiLokInvalidRenameError, ValueError)


def test_errors_carry_the_operation_and_reason() -> None:
    h = HiLok(flags=HiLokFlags.STRICT)
    with h.write("a/b"):
        with pytest.raises(HiLokWouldDeadlockError) as e:
            h.write("a/b")
    assert 'write "a/b"' in str(e.value)
    with pytest.raises(HiLokInvalidPathError, match='read "//"'):
        h.read("//")


def test_handle_properties() -> None:
    h = HiLok()
    r = h.read("//a//b//")
    w = h.write("x/y")
    assert isinstance(r, HiHandle)
    assert (r.path, r.mode, r.held) == ("a/b", "read", True)
    assert (w.path, w.mode, w.held) == ("x/y", "write", True)
    assert repr(r) == '<HiHandle read "a/b">'
    r.release()
    w.release()
    assert (r.path, r.held) == (None, False)
    assert repr(w) == "<HiHandle write released>"
    assert h.node_count() == 0


def test_handles_cannot_be_created_directly() -> None:
    with pytest.raises(TypeError):
        HiHandle()  # type: ignore[call-arg]


def test_hilok_can_be_subclassed() -> None:
    class Mine(HiLok):
        def lock_file(self, path: str) -> HiHandle:
            return self.write(path)

    m = Mine(":", HiLokFlags.STRICT)
    with m.lock_file("a:b") as hd:
        assert hd.path == "a:b"
    assert m.sep == ":"


def test_every_public_name_is_documented() -> None:
    for name in hilok.__all__:
        obj = getattr(hilok, name)
        if name == "__version__":
            continue
        assert obj.__doc__ and obj.__doc__.strip(), name
    for cls in (HiLok, HiHandle):
        for attr in dir(cls):
            if attr.startswith("_"):
                continue
            assert getattr(cls, attr).__doc__, f"{cls.__name__}.{attr}"
    for dunder in ("__enter__", "__exit__"):
        assert getattr(HiHandle, dunder).__doc__
