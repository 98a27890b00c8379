"""The pure-Python parts of the public API: the flag enum and the errors.

They live in Python (not in the extension) so that the exception classes can
use multiple inheritance and ``HiLokFlags`` is a real :class:`enum.IntFlag`.
The extension module looks these classes up here when it raises or returns
them; nothing in this file takes part in locking.
"""

from __future__ import annotations

import enum

__all__ = [
    "HiLokFlags",
    "HiLokError",
    "HiLokWouldBlockError",
    "HiLokTimeoutError",
    "HiLokWouldDeadlockError",
    "HiLokInvalidPathError",
    "HiLokNotHeldError",
    "HiLokWrongThreadError",
    "HiLokInvalidRenameError",
]


class HiLokFlags(enum.IntFlag):
    """Manager flags: a recursion mode, optionally or-ed with loose-release bits.

    The values are those of the original ``hilok`` package; plain ints are
    accepted wherever a ``HiLokFlags`` is. The low two bits select the
    recursion mode; values 4 to 7 and unknown bits are rejected with
    :class:`ValueError` by :class:`~hilok.HiLok`.
    """

    STRICT = 0
    """No re-entry: re-taking an exclusive lock the thread holds fails at
    once with :class:`HiLokWouldDeadlockError`. Shared locks may stack."""

    RECURSIVE_WRITE = 1
    """A thread holding write may take write again (not read)."""

    RECURSIVE_ONEWAY = 2
    """A thread holding write may take read or write again; a reader may not
    escalate to write."""

    RECURSIVE = 3
    """Everything re-enters (the default). A reader may escalate to write when
    it is the only reader; a writer may take read and release the write."""

    LOOSE_READ_UNLOCK = 8
    """A read handle may be released by a thread other than its owner."""

    LOOSE_WRITE_UNLOCK = 16
    """A write handle may be released by a thread other than its owner."""

    LOOSE_UNLOCK = 24
    """Both loose-release bits."""


class HiLokError(TimeoutError):
    """A lock, rename or release could not be done.

    Subclasses :class:`TimeoutError`, as in the original package, so existing
    ``except HiLokError`` and ``except TimeoutError`` clauses keep working. The
    subclasses below tell the reasons apart. After any error the manager holds
    exactly what it held before the call.
    """


class HiLokWouldBlockError(HiLokError):
    """The lock was not free and the call was not allowed to wait
    (``block=False`` or ``timeout=0``)."""


class HiLokTimeoutError(HiLokError):
    """The deadline (``timeout`` seconds, for the whole path) passed before the
    lock was granted."""


class HiLokWouldDeadlockError(HiLokError):
    """The request could only be granted after the calling thread released a
    lock it holds itself (forbidden re-entry in the current recursion mode,
    or a second concurrent escalation from read to write), so it fails at
    once instead of waiting forever."""


class HiLokInvalidPathError(HiLokError, ValueError):
    """The path is empty, consists only of separators, or exceeds the
    documented bounds. Also a :class:`ValueError`."""


class HiLokNotHeldError(HiLokError):
    """The lock is not held: ``rename`` of a path that nothing at or below
    holds. (A second ``release()`` of a handle is silently ignored.)"""


class HiLokWrongThreadError(HiLokError):
    """``release()`` from a thread other than the one that acquired the handle,
    without the matching loose-release flag. The lock stays held."""


class HiLokInvalidRenameError(HiLokError, ValueError):
    """``rename`` onto a path strictly below its source (a subtree cannot be
    moved into itself). Also a :class:`ValueError`."""
