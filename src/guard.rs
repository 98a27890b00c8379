//! The guard a successful acquisition returns.

use hilok_core::{Mode, OwnerId};

use crate::error::Error;
use crate::events::Event;
use crate::lookaside::{self, Held};
use crate::node::{path_of, NodeRef};
use crate::sync::Arc;
use crate::table::Table;
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
    /// What is held; `None` once released.
    held: Option<Holding>,
    owner: OwnerId,
    mode: Mode,
}

/// How a guard keeps what it holds.
enum Holding {
    /// The nodes taken, root first (never empty), and their manager, in a
    /// box that goes back to the thread's memory of the path on release.
    Nodes(Box<Held>),
    /// The leaf only, for a guard beyond what the thread's memory keeps
    /// (see [`lookaside`]): the release finds the ancestors through the
    /// tree's parent links.
    Leaf(Arc<Inner>, NodeRef),
}

impl Holding {
    fn inner(&self) -> &Arc<Inner> {
        match self {
            Holding::Nodes(held) => &held.inner,
            Holding::Leaf(inner, _) => inner,
        }
    }

    fn leaf(&self) -> Option<&NodeRef> {
        match self {
            Holding::Nodes(held) => held.chain.last(),
            Holding::Leaf(_, leaf) => Some(leaf),
        }
    }
}

impl Guard {
    /// The guard of an acquisition that took `held`; `boxless` when the box
    /// was only lent for the acquisition (it goes back at once).
    #[inline]
    pub(crate) fn new(held: Box<Held>, mode: Mode, boxless: bool) -> Self {
        let owner = held.owner;
        let held = if boxless {
            Guard::leaf_of(held)
        } else {
            Holding::Nodes(held)
        };
        Guard {
            owner,
            held: Some(held),
            mode,
        }
    }

    /// Keeps the leaf of a lent box and gives the box back.
    #[cold]
    fn leaf_of(held: Box<Held>) -> Holding {
        let inner = held.inner.clone();
        let leaf = held.chain.last().cloned();
        lookaside::spare(held);
        // An acquisition takes at least one node.
        Holding::Leaf(inner, leaf.expect("a held path has a leaf"))
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
        if crate::owner::current() != self.owner && !held.inner().flags.loose_release(self.mode) {
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
        held.leaf().map(|n| path_of(n, held.inner().sep))
    }

    #[inline]
    fn release_now(&mut self) -> Result<(), Error> {
        match self.held.take().ok_or(Error::NotHeld)? {
            Holding::Nodes(mut held) => {
                let h = &mut *held;
                let table = &h.inner.table;
                self.log_releasing(table, h.chain.last());
                let released = table
                    .release_path(
                        &h.chain,
                        self.owner,
                        Some(self.mode),
                        h.leaf_key,
                        &mut h.memo,
                    )
                    .map_err(|_| Error::NotHeld);
                lookaside::give_back(held);
                released
            }
            Holding::Leaf(inner, leaf) => self.release_leaf(&inner, &leaf),
        }
    }

    /// Releases a guard that kept only its leaf, the locked way.
    #[cold]
    fn release_leaf(&self, inner: &Inner, leaf: &NodeRef) -> Result<(), Error> {
        self.log_releasing(&inner.table, Some(leaf));
        inner
            .table
            .release_locked(leaf, self.owner, Some(self.mode), None)
            .map_err(|_| Error::NotHeld)
    }

    #[inline]
    fn log_releasing(&self, table: &Table, leaf: Option<&NodeRef>) {
        table.log.record(|| Event::Releasing {
            owner: self.owner.0,
            node: leaf.map_or(0, |n| n.id()),
            mode: self.mode,
        });
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
