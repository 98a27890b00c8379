"""Hierarchical read/write locks over paths.

A drop-in replacement for the ``hilok`` 1.3 package, built on the Rust
``hilok`` crate (whose decision core is machine-checked)::

    from hilok import HiLok, HiLokError, HiLokFlags

    h = HiLok()                      # sep='/', flags=HiLokFlags.RECURSIVE
    with h.read("/some/path"):       # shared on some, some/path
        ...
    with h.write("/some"):           # exclusive on some: excludes some/path
        ...

``read(p)`` takes a shared lock on every prefix of ``p``; ``write(p)`` takes
shared locks on the proper prefixes and an exclusive lock on ``p`` itself.
Locks are owned by the calling thread. See the package README for the full
rules and for the few places where this package differs from the original.
"""

from ._types import (
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
from ._hilok import HiHandle, HiLok, __version__

__all__ = [
    "HiHandle",
    "HiLok",
    "HiLokError",
    "HiLokFlags",
    "HiLokInvalidPathError",
    "HiLokInvalidRenameError",
    "HiLokNotHeldError",
    "HiLokTimeoutError",
    "HiLokWouldBlockError",
    "HiLokWouldDeadlockError",
    "HiLokWrongThreadError",
    "__version__",
]
