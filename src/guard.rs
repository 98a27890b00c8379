//! The guard a successful acquisition returns.

use hilok_core::{Mode, OwnerId};

use crate::error::Error;
use crate::events::Event;
use crate::lookaside::{self, Held};
use crate::node::path_of;

/// A held lock on a path. Dropping it releases the lock.
///
/// A guard may be sent to another thread. There, [`Guard::release`] succeeds
/// only if the manager has the loose-release flag for the guard's mode and
/// otherwise returns [`Error::WrongThread`] with the lock still held.
/// Dropping a guard always releases it, on whichever thread: once the guard is
/// gone nobody could release the lock any more, so keeping it would leak it.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct Guard {
    /// The nodes taken, root first (never empty while held), and their
    /// manager; `None` once released (they went back to the thread's memory
    /// of the path, or were dropped).
    held: Option<Box<Held>>,
    owner: OwnerId,
    mode: Mode,
}

impl Guard {
    #[inline]
    pub(crate) fn new(held: Box<Held>, mode: Mode) -> Self {
        Guard {
            owner: held.owner,
            held: Some(held),
            mode,
        }
    }

    /// Releases the lock.
    ///
    /// Idempotent: a second call changes nothing and returns
    /// [`Error::NotHeld`]. From a thread other than the owner, without the
    /// matching loose flag, returns [`Error::WrongThread`] and keeps the lock.
    pub fn release(&mut self) -> Result<(), Error> {
        let Some(held) = &self.held else {
            return Err(Error::NotHeld);
        };
        if crate::owner::current() != self.owner && !held.inner.flags.loose_release(self.mode) {
            return Err(Error::WrongThread);
        }
        self.release_now()
    }

    /// Whether the guard still holds its lock.
    pub fn is_held(&self) -> bool {
        self.held.is_some()
    }

    /// Whether this is a write (exclusive) guard.
    pub fn is_write(&self) -> bool {
        self.mode == Mode::Exclusive
    }

    /// The path the guard holds now (renames move it), joined with the
    /// manager's separator; `None` once released.
    pub fn path(&self) -> Option<String> {
        let held = self.held.as_ref()?;
        held.chain.last().map(|n| path_of(n, held.inner.sep))
    }

    #[inline]
    fn release_now(&mut self) -> Result<(), Error> {
        let held = self.held.take().ok_or(Error::NotHeld)?;
        let table = &held.inner.table;
        table.log.record(|| Event::Releasing {
            owner: self.owner.0,
            node: held.chain.last().map_or(0, |n| n.id()),
            mode: self.mode,
        });
        let released = table
            .release_path(&held.chain, self.owner, Some(self.mode))
            .map_err(|_| Error::NotHeld);
        lookaside::give_back(held);
        released
    }
}

impl Drop for Guard {
    #[inline]
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
