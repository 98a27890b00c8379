//! The keyed-lock baseline: `lockable::LockPool`, one key per path prefix.
//!
//! A keyed lock is a map of mutexes: it has no shared mode, so every prefix
//! is taken exclusively (root to leaf, which rules out deadlock) for reads
//! and writes alike. That is stricter than hierarchical locking (two readers
//! of one path, or two writers under one parent, exclude each other), and a
//! rename cannot move held keys: the "save" step locks the destination key
//! too. Keys are owned `String`s, built per prefix, as a user would.

use lockable::{LockPool, Lockable};

use crate::subject::PathLock;

/// One `LockPool` keyed by path prefix.
#[derive(Default)]
pub struct Keyed {
    pool: LockPool<String>,
}

/// The held prefixes of one path, leaf last.
pub struct KeyedGuard<'a> {
    _held: Vec<<LockPool<String> as Lockable<String, ()>>::Guard<'a>>,
}

impl Keyed {
    /// An empty pool.
    pub fn new() -> Self {
        Keyed::default()
    }

    fn lock(&self, path: &str) -> KeyedGuard<'_> {
        let mut held = Vec::new();
        for (end, _) in path.match_indices('/').chain([(path.len(), "")]) {
            if end > 0 {
                held.push(self.pool.blocking_lock(path[..end].to_owned()));
            }
        }
        // Release leaf first, as the other managers do.
        held.reverse();
        KeyedGuard { _held: held }
    }
}

impl PathLock for Keyed {
    type Guard<'a> = KeyedGuard<'a>;

    #[inline]
    fn read(&self, path: &str) -> KeyedGuard<'_> {
        self.lock(path)
    }

    #[inline]
    fn write(&self, path: &str) -> KeyedGuard<'_> {
        self.lock(path)
    }

    fn write_and_rename(&self, from: &str, to: &str) {
        let g = self.lock(from);
        let leaf = self.pool.blocking_lock(to.to_owned());
        drop(leaf);
        drop(g);
    }

    fn nodes(&self) -> usize {
        self.pool.num_locked()
    }
}
