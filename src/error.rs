//! The errors every public operation returns.

use hilok_core::PathError;

/// Why a lock operation failed. After any error the manager holds exactly
/// what it held before the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A try-once call found the lock not free now.
    #[error("the lock is not free now")]
    WouldBlock,
    /// A timed call's deadline passed before the whole path was granted.
    #[error("the lock was not granted before the deadline")]
    Timeout,
    /// The request could only be granted after the caller released something
    /// it holds itself (forbidden re-entry, or a second escalation), so it
    /// fails at once instead of waiting forever.
    #[error("granting this would need the caller to release its own lock first")]
    WouldDeadlock,
    /// The path is empty, only separators, or beyond the documented bounds.
    #[error("invalid path: {0}")]
    InvalidPath(PathError),
    /// Release of a guard already released, or rename of a path nothing holds.
    #[error("the lock is not held")]
    NotHeld,
    /// Release from a thread other than the owner without a loose flag.
    #[error("the lock is owned by another thread and the loose-release flag is not set")]
    WrongThread,
    /// A rename onto a path strictly below its source.
    #[error("a path cannot be renamed into its own subtree")]
    InvalidRename,
}

impl From<PathError> for Error {
    fn from(e: PathError) -> Self {
        Error::InvalidPath(e)
    }
}

impl From<hilok_core::Refusal> for Error {
    fn from(r: hilok_core::Refusal) -> Self {
        match r {
            hilok_core::Refusal::WouldBlock => Error::WouldBlock,
            hilok_core::Refusal::WouldDeadlock => Error::WouldDeadlock,
        }
    }
}
