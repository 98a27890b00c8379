//! The guard a successful acquisition returns.

use hilok_core::{Mode, OwnerId};

use crate::error::Error;
use crate::events::Event;
use crate::node::{path_of, NodeRef};
use crate::sync::Arc;
use crate::Inner;

/// A held lock on a path. Dropping it releases the lock.
///
/// A guard may be sent to another thread. There, [`Guard::release`] succeeds
/// only if the manager has the loose-release flag for the guard's mode and
/// otherwise returns [`Error::WrongThread`] with the lock still held.
/// Dropping a guard always releases it, on whichever thread: once the guard is
/// gone nobody could release the lock any more, so keeping it would leak it.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct Guard {
    inner: Arc<Inner>,
    leaf: Option<NodeRef>,
    owner: OwnerId,
    mode: Mode,
}

impl Guard {
    pub(crate) fn new(inner: Arc<Inner>, leaf: NodeRef, owner: OwnerId, mode: Mode) -> Self {
        Guard {
            inner,
            leaf: Some(leaf),
            owner,
            mode,
        }
    }

    /// Releases the lock.
    ///
    /// Idempotent: a second call changes nothing and returns
    /// [`Error::NotHeld`]. From a thread other than the owner, without the
    /// matching loose flag, returns [`Error::WrongThread`] and keeps the lock.
    pub fn release(&mut self) -> Result<(), Error> {
        if self.leaf.is_none() {
            return Err(Error::NotHeld);
        }
        if crate::owner::current() != self.owner && !self.inner.flags.loose_release(self.mode) {
            return Err(Error::WrongThread);
        }
        self.release_now()
    }

    /// Whether the guard still holds its lock.
    pub fn is_held(&self) -> bool {
        self.leaf.is_some()
    }

    /// Whether this is a write (exclusive) guard.
    pub fn is_write(&self) -> bool {
        self.mode == Mode::Exclusive
    }

    /// The path the guard holds now (renames move it), joined with the
    /// manager's separator; `None` once released.
    pub fn path(&self) -> Option<String> {
        self.leaf.as_ref().map(|n| path_of(n, self.inner.sep))
    }

    fn release_now(&mut self) -> Result<(), Error> {
        match self.leaf.take() {
            None => Err(Error::NotHeld),
            Some(leaf) => {
                let table = &self.inner.table;
                table.log.record(|| Event::Releasing {
                    owner: self.owner.0,
                    node: leaf.id(),
                    mode: self.mode,
                });
                table
                    .release_path(&leaf, self.owner, Some(self.mode))
                    .map_err(|_| Error::NotHeld)
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.release_now();
    }
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("path", &self.path())
            .field("write", &self.is_write())
            .field("owner", &self.owner.0)
            .finish()
    }
}
