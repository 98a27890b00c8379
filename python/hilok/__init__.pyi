"""Type stubs for the ``hilok`` package (hierarchical read/write path locks)."""

import enum
from types import TracebackType
from typing import Literal, Optional, Type, Union, final

from typing_extensions import Self, disjoint_base

__version__: str

_Path = Union[str, bytes]

class HiLokFlags(enum.IntFlag):
    """Manager flags: a recursion mode, optionally or-ed with loose-release bits."""

    STRICT = 0
    RECURSIVE_WRITE = 1
    RECURSIVE_ONEWAY = 2
    RECURSIVE = 3
    LOOSE_READ_UNLOCK = 8
    LOOSE_WRITE_UNLOCK = 16
    LOOSE_UNLOCK = 24

class HiLokError(TimeoutError):
    """A lock, rename or release could not be done."""

class HiLokWouldBlockError(HiLokError):
    """Not free, and the call was not allowed to wait."""

class HiLokTimeoutError(HiLokError):
    """The deadline passed before the lock was granted."""

class HiLokWouldDeadlockError(HiLokError):
    """Only the caller's own locks stand in the way; waiting would never end."""

class HiLokInvalidPathError(HiLokError, ValueError):
    """The path is empty, only separators, or too long or deep."""

class HiLokNotHeldError(HiLokError):
    """Nothing at or below the rename source is held."""

class HiLokWrongThreadError(HiLokError):
    """Release from another thread without the loose-release flag."""

class HiLokInvalidRenameError(HiLokError, ValueError):
    """A rename into the source's own subtree."""

@final
class HiHandle:
    """A held lock, returned by ``HiLok.read`` and ``HiLok.write``."""

    def release(self) -> None:
        """Releases the lock; a second call does nothing."""

    @property
    def held(self) -> bool:
        """Whether the handle still holds its lock."""

    @property
    def path(self) -> Optional[str]:
        """The path held now (renames move it); ``None`` once released."""

    @property
    def mode(self) -> Literal["read", "write"]:
        """``"read"`` or ``"write"``."""

    def __enter__(self) -> "HiHandle":
        """Returns the handle itself."""

    def __exit__(
        self,
        _exc_type: Optional[Type[BaseException]] = None,
        _exc: Optional[BaseException] = None,
        _tb: Optional[TracebackType] = None,
    ) -> Literal[False]:
        """Releases the lock; exceptions propagate."""

@disjoint_base
class HiLok:
    """A hierarchical lock manager."""

    def __new__(cls, sep: str = "/", flags: Union[HiLokFlags, int] = HiLokFlags.RECURSIVE) -> Self:
        """A manager with separator ``sep`` and ``flags``."""

    def read(self, path: _Path, block: Optional[bool] = True, timeout: Optional[float] = None) -> HiHandle:
        """Shared lock on every prefix of ``path``."""

    def write(self, path: _Path, block: Optional[bool] = True, timeout: Optional[float] = None) -> HiHandle:
        """Shared on the proper prefixes, exclusive on ``path``."""

    def rename(
        self,
        from_path: _Path,
        to_path: _Path,
        block: Optional[bool] = True,
        timeout: Optional[float] = None,
    ) -> None:
        """Moves every lock held at or below ``from_path`` to ``to_path``."""

    def node_count(self) -> int:
        """Distinct path prefixes now held, awaited or being renamed."""

    @property
    def sep(self) -> str:
        """The path separator."""

    @property
    def flags(self) -> HiLokFlags:
        """The manager's flags."""

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
