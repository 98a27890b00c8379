//! Hierarchical read/write locks over paths, with a machine-checked core.
//!
//! `read("a/b/c")` takes shared locks on `a`, `a/b` and `a/b/c`;
//! `write("a/b/c")` takes shared locks on the ancestors and an exclusive lock
//! on `a/b/c`. A write on a directory excludes everything below it; locks on
//! disjoint subtrees never touch each other.
//!
//! ```
//! use hilok::{HiLok, Error};
//! use std::time::Duration;
//!
//! let h = HiLok::new();
//! let r = h.read("db/users/42")?;
//! let other = h.clone();
//! std::thread::spawn(move || {
//!     // A write on the parent directory must wait for the reader...
//!     assert_eq!(other.try_write("db/users").unwrap_err(), Error::WouldBlock);
//!     // ...while writes elsewhere proceed.
//!     other.write_for("db/orders/7", Duration::from_millis(10)).map(drop)
//! })
//! .join()
//! .unwrap()?;
//! drop(r);
//! assert_eq!(h.node_count(), 0);
//! # Ok::<(), Error>(())
//! ```
//!
//! Every decision (who is granted, who waits, who is woken) is made by the
//! pure state machine in [`hilok_core`]; this crate stores node states, parks
//! and wakes threads, and keeps time. `docs/semantics.md` states the rules.

mod acquire;
mod admission;
mod cache;
mod children;
mod error;
mod events;
mod fast;
mod guard;
mod lookaside;
mod name;
mod node;
mod owner;
mod rename;
mod status;
mod sync;
mod table;
mod waiter;

use std::time::{Duration, Instant};

pub use error::Error;
pub use events::Event;
pub use guard::Guard;
pub use hilok_core::path::{MAX_COMPONENTS, MAX_PATH_BYTES};
pub use hilok_core::{Flags, PathError};
pub use status::Status;

use acquire::Wait;
use hilok_core::{Access, Recursion};
use std::sync::atomic::{AtomicUsize, Ordering};
use sync::Arc;
use table::Table;

/// A lock manager over paths. Cheap to clone: clones share the same locks.
#[derive(Debug)]
pub struct HiLok {
    inner: Arc<Inner>,
}

/// The shared state behind every handle and guard.
pub(crate) struct Inner {
    sep: char,
    flags: Flags,
    recursion: Recursion,
    table: Table,
    renames: sync::Mutex<()>,
    /// Live [`HiLok`] handles (guards and threads' remembered paths also
    /// keep `Inner` alive, but do not count here).
    handles: AtomicUsize,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HiLok")
            .field("sep", &self.sep)
            .field("flags", &self.flags)
            .field("nodes", &self.table.count())
            .finish()
    }
}

/// Configures a [`HiLok`].
#[derive(Clone, Copy, Debug)]
#[must_use]
pub struct Builder {
    sep: char,
    flags: Flags,
    cache: usize,
}

/// Idle leaves a manager keeps for reuse unless told otherwise.
pub const DEFAULT_CACHE: usize = 1024;

impl Builder {
    /// The path separator (default `'/'`).
    pub fn separator(mut self, sep: char) -> Self {
        self.sep = sep;
        self
    }

    /// The recursion mode and loose-release bits (default [`Flags::RECURSIVE`]).
    pub fn flags(mut self, flags: Flags) -> Self {
        self.flags = flags;
        self
    }

    /// About how many idle leaves to keep in the tree for reuse, in all
    /// (default [`DEFAULT_CACHE`]; 0 removes every node as soon as it falls
    /// out of use). A path used again and again then costs no allocation;
    /// each kept leaf keeps its idle ancestors too. See [`HiLok::trim`].
    ///
    /// The leaves are kept in 8 rings, each with an eighth of the room, and
    /// a thread's leaves go to one ring (chosen by thread), so that threads
    /// releasing different paths do not contend for one lock: one thread
    /// alone keeps about `leaves / 8`, its most recent ones.
    ///
    /// A leaf is kept from the second time its thread releases it within
    /// its recent releases; the first time it leaves the tree at once (its
    /// parent is kept instead), so that a scan over paths taken once
    /// neither fills the cache nor pushes out the paths in use.
    pub fn cache(mut self, leaves: usize) -> Self {
        self.cache = leaves;
        self
    }

    /// The manager.
    pub fn build(self) -> HiLok {
        HiLok {
            inner: Arc::new(Inner {
                sep: self.sep,
                flags: self.flags,
                recursion: self.flags.recursion(),
                table: Table::new(self.cache),
                renames: sync::Mutex::new(()),
                handles: AtomicUsize::new(1),
            }),
        }
    }
}

impl Clone for HiLok {
    fn clone(&self) -> Self {
        self.inner.handles.fetch_add(1, Ordering::Relaxed);
        HiLok {
            inner: self.inner.clone(),
        }
    }
}

impl Drop for HiLok {
    /// The last handle gone: the manager stops caching and frees its cached
    /// nodes now, although guards or threads' remembered paths may keep the
    /// (then nearly empty) manager alive a while longer.
    fn drop(&mut self) {
        if self.inner.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.inner.table.close();
        }
    }
}

impl Default for HiLok {
    fn default() -> Self {
        HiLok::new()
    }
}

fn until(timeout: Duration) -> Wait {
    Instant::now()
        .checked_add(timeout)
        .map_or(Wait::Forever, Wait::Until)
}

impl HiLok {
    /// A manager with separator `'/'` and [`Flags::RECURSIVE`].
    pub fn new() -> Self {
        HiLok::builder().build()
    }

    /// A builder for other separators and flags.
    pub fn builder() -> Builder {
        Builder {
            sep: '/',
            flags: Flags::RECURSIVE,
            cache: DEFAULT_CACHE,
        }
    }

    /// The separator.
    pub fn separator(&self) -> char {
        self.inner.sep
    }

    /// The flags.
    pub fn flags(&self) -> Flags {
        self.inner.flags
    }

    /// Shared lock on every node of `path`; blocks until granted.
    #[inline]
    pub fn read(&self, path: &str) -> Result<Guard, Error> {
        self.lock(path, Access::Read, Wait::Forever)
    }

    /// Shared on the ancestors, exclusive on the leaf; blocks until granted.
    #[inline]
    pub fn write(&self, path: &str) -> Result<Guard, Error> {
        self.lock(path, Access::Write, Wait::Forever)
    }

    /// [`HiLok::read`], or [`Error::WouldBlock`] if not free now.
    pub fn try_read(&self, path: &str) -> Result<Guard, Error> {
        self.lock(path, Access::Read, Wait::Try)
    }

    /// [`HiLok::write`], or [`Error::WouldBlock`] if not free now.
    pub fn try_write(&self, path: &str) -> Result<Guard, Error> {
        self.lock(path, Access::Write, Wait::Try)
    }

    /// [`HiLok::read`] with one deadline for the whole path
    /// ([`Error::Timeout`] after it).
    pub fn read_for(&self, path: &str, timeout: Duration) -> Result<Guard, Error> {
        self.lock(path, Access::Read, until(timeout))
    }

    /// [`HiLok::write`] with one deadline for the whole path.
    pub fn write_for(&self, path: &str, timeout: Duration) -> Result<Guard, Error> {
        self.lock(path, Access::Write, until(timeout))
    }

    /// Moves every holding of `from`, with everything held below it, to
    /// `to`; waits until the destination can take them without conflict.
    /// See `docs/semantics.md` for the full rule.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), Error> {
        self.inner.rename(from, to, Wait::Forever)
    }

    /// [`HiLok::rename`], or [`Error::WouldBlock`] if it would have to wait.
    pub fn try_rename(&self, from: &str, to: &str) -> Result<(), Error> {
        self.inner.rename(from, to, Wait::Try)
    }

    /// [`HiLok::rename`] with a deadline ([`Error::Timeout`] after it; nothing
    /// changes then).
    pub fn rename_for(&self, from: &str, to: &str, timeout: Duration) -> Result<(), Error> {
        self.inner.rename(from, to, until(timeout))
    }

    /// Who holds and awaits `path` right now (a snapshot: it may change as
    /// soon as it is returned). All zero when nothing is there.
    pub fn status(&self, path: &str) -> Result<Status, Error> {
        self.inner.status(path)
    }

    /// Distinct path prefixes now held, awaited, or being renamed. Frees
    /// the idle cache first ([`HiLok::trim`]), so after every guard is gone
    /// this is 0.
    pub fn node_count(&self) -> usize {
        self.inner.table.trim();
        self.inner.table.count()
    }

    /// Nodes now in the tree, idle cached ones included (no trim): what the
    /// tree costs in memory right now.
    pub fn tree_size(&self) -> usize {
        self.inner.table.count()
    }

    /// Frees every idle node kept for reuse (see [`Builder::cache`]). Nodes
    /// in use stay; so do idle ones that other threads cache meanwhile.
    pub fn trim(&self) {
        self.inner.table.trim();
    }

    /// Takes every transition recorded so far (`events` feature).
    #[cfg(feature = "events")]
    pub fn take_events(&self) -> Vec<Event> {
        self.inner.table.log.take()
    }

    #[inline]
    fn lock(&self, path: &str, access: Access, wait: Wait) -> Result<Guard, Error> {
        let (held, boxless) = Inner::acquire(&self.inner, path, access, wait)?;
        let mode = access.leaf_mode();
        self.inner.table.log.record(|| Event::Acquired {
            owner: held.owner.0,
            node: held.chain.last().map_or(0, |n| n.id()),
            mode,
        });
        Ok(Guard::new(held, mode, boxless))
    }
}

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn dropping_the_manager_frees_its_cached_nodes() {
        let h = HiLok::new();
        let h2 = h.clone();
        // On a thread of its own, so that its remembered paths go with it;
        // twice, as the cache takes a leaf the second time it falls idle.
        std::thread::spawn(move || {
            drop(h2.read("a/b/c").unwrap());
            drop(h2.read("a/b/c").unwrap());
        })
        .join()
        .unwrap();
        assert_eq!(h.tree_size(), 3, "cached");
        let top = h.inner.table.lookup(None, "a", false).unwrap();
        h.inner.table.unpin(&top);
        assert!(sync::NodeArc::strong_count(&top) > 1, "in the tree");
        drop(h);
        // Only this test's reference is left: nothing in the tree (the
        // shard, a cached child's parent link) keeps the node.
        assert_eq!(
            sync::NodeArc::strong_count(&top),
            1,
            "a cached node outlived its manager"
        );
    }

    #[test]
    fn the_last_handle_empties_the_tree_of_a_manager_a_thread_remembers() {
        let h = HiLok::new();
        // Twice: the cache takes a leaf the second time it falls idle.
        drop(h.read("a/b/c").unwrap());
        drop(h.read("a/b/c").unwrap());
        let weak = Arc::downgrade(&h.inner);
        let h2 = h.clone();
        drop(h);
        assert_eq!(h2.tree_size(), 3, "a handle is left: still cached");
        drop(h2);
        let inner = weak.upgrade().expect("this thread remembers the path");
        assert_eq!(inner.table.count(), 0);
        // A release on a closed manager caches nothing.
        let h3 = HiLok { inner };
        h3.inner.handles.fetch_add(1, Ordering::Relaxed);
        drop(h3.read("a/b/c").unwrap());
        assert_eq!(h3.tree_size(), 0);
    }

    #[test]
    fn handles_and_guards_cross_threads() {
        assert_send_sync::<HiLok>();
        assert_send_sync::<Guard>();
    }
}
