//! The reference design: a straightforward Rust rendering of the original
//! package's design, written only for comparison.
//!
//! One global mutex guards a map from `(parent id, name)` to node. Every
//! acquisition takes it once per node (find or create the node, count a
//! user), lets it go, then waits on that node's reader-preferring
//! reader/writer lock outside it, as the original does. Every release takes
//! it once per node, leaf to root (unlock, uncount, erase the node when
//! its last user leaves). Nodes are therefore created and erased on each use.
//!
//! Where it departs from the original, it favours the reference: users are
//! counted under the global mutex, so it never leaks nodes (the original's
//! clean-up race, defect 13, is not reproduced), and `rename` only renames
//! within one directory, the one case the workloads use, so it never blocks
//! while holding the global mutex (defect 4). Like the original, a thread
//! that waited at a node renamed away meanwhile holds the renamed node (and
//! its own rename of the old path then finds nothing).

mod rwlock;
mod table;

use std::time::{Duration, Instant};

use parking_lot::Mutex;

pub use rwlock::ReaderPrefRwLock;
use table::{Table, ROOT};

/// The reference lock manager.
#[derive(Default)]
pub struct Reference {
    table: Mutex<Table>,
}

/// A held path: the leaf's node id and the leaf's mode.
pub struct RefGuard<'a> {
    owner: &'a Reference,
    leaf: usize,
    write: bool,
}

impl Reference {
    /// An empty manager.
    pub fn new() -> Self {
        Reference::default()
    }

    /// Nodes in the map.
    pub fn len(&self) -> usize {
        self.table.lock().len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Shared on every node of `path`, exclusive on the leaf if `write`;
    /// the leaf waits at most until `deadline` (then `None`, nothing held).
    pub fn lock(&self, path: &str, write: bool, deadline: Option<Instant>) -> Option<RefGuard<'_>> {
        let mut parent = ROOT;
        let mut names = path.split('/').filter(|s| !s.is_empty()).peekable();
        while let Some(name) = names.next() {
            let (id, lock) = self.table.lock().enter(parent, name);
            let exclusive = write && names.peek().is_none();
            let taken = match (exclusive, deadline) {
                (false, _) => {
                    lock.read();
                    true
                }
                (true, None) => {
                    lock.write();
                    true
                }
                (true, Some(d)) => lock.write_until(d),
            };
            if !taken {
                self.table.lock().leave(id, None);
                if parent != ROOT {
                    self.release(parent, false);
                }
                return None;
            }
            parent = id;
        }
        Some(RefGuard {
            owner: self,
            leaf: parent,
            write,
        })
    }

    /// [`Reference::lock`] for a write with a timeout.
    pub fn write_for(&self, path: &str, timeout: Duration) -> Option<RefGuard<'_>> {
        self.lock(path, true, Some(Instant::now() + timeout))
    }

    /// Renames the node at `from` to the sibling name `to` (same parent);
    /// `false` if there is no node at `from` (see `Table::rename`).
    pub fn rename_sibling(&self, from: &str, to: &str) -> bool {
        let (dir, old) = from.rsplit_once('/').unwrap_or(("", from));
        let (dir2, new) = to.rsplit_once('/').unwrap_or(("", to));
        assert_eq!(dir, dir2, "the reference renames within a directory only");
        let mut t = self.table.lock();
        dir.split('/')
            .filter(|s| !s.is_empty())
            .try_fold(ROOT, |p, name| t.find(p, name))
            .is_some_and(|parent| t.rename(parent, old, new))
    }

    /// Releases, leaf to root, one node per turn of the global mutex.
    fn release(&self, leaf: usize, write: bool) {
        let mut id = leaf;
        let mut exclusive = write;
        while id != ROOT {
            id = self.table.lock().leave(id, Some(exclusive));
            exclusive = false;
        }
    }
}

impl Drop for RefGuard<'_> {
    fn drop(&mut self) {
        if self.leaf != ROOT {
            self.owner.release(self.leaf, self.write);
        }
    }
}

impl crate::subject::PathLock for Reference {
    type Guard<'a> = RefGuard<'a>;

    #[inline]
    fn read(&self, path: &str) -> RefGuard<'_> {
        self.lock(path, false, None).expect("no deadline")
    }

    #[inline]
    fn write(&self, path: &str) -> RefGuard<'_> {
        self.lock(path, true, None).expect("no deadline")
    }

    fn write_and_rename(&self, from: &str, to: &str) {
        let g = self.lock(from, true, None).expect("no deadline");
        // A refused rename (see `rename_sibling`) still counts as an operation.
        let _ = self.rename_sibling(from, to);
        drop(g);
    }

    fn nodes(&self) -> usize {
        self.len()
    }
}
