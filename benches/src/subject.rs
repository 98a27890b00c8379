//! The interface every workload drives a lock manager through, and its
//! implementation for `hilok` itself.

use hilok::HiLok;

/// A lock manager over paths, as the workloads use it.
pub trait PathLock: Sync {
    /// What a held lock is; dropping it releases the lock.
    type Guard<'a>
    where
        Self: 'a;

    /// Shared lock on `path`.
    fn read(&self, path: &str) -> Self::Guard<'_>;

    /// Exclusive lock on `path`.
    fn write(&self, path: &str) -> Self::Guard<'_>;

    /// The file-system "save" step: write-lock `from`, move what is held
    /// there to `to` (a free sibling), then release it there.
    fn write_and_rename(&self, from: &str, to: &str);

    /// Nodes (or keys) the manager now stores for paths in use (`hilok`:
    /// after freeing its idle cache).
    fn nodes(&self) -> usize;

    /// Nodes the manager now stores, idle cached ones included.
    fn resident(&self) -> usize {
        self.nodes()
    }
}

impl PathLock for HiLok {
    type Guard<'a> = hilok::Guard;

    #[inline]
    fn read(&self, path: &str) -> hilok::Guard {
        HiLok::read(self, path).expect("read")
    }

    #[inline]
    fn write(&self, path: &str) -> hilok::Guard {
        HiLok::write(self, path).expect("write")
    }

    fn write_and_rename(&self, from: &str, to: &str) {
        let g = HiLok::write(self, from).expect("write");
        self.rename(from, to).expect("rename");
        drop(g);
    }

    fn nodes(&self) -> usize {
        self.node_count()
    }

    fn resident(&self) -> usize {
        self.tree_size()
    }
}
