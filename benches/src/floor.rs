//! The floor: the least a depth-`d` acquisition can cost on this hardware.
//!
//! `d` preallocated, uncontended `parking_lot::RwLock`s taken root to leaf
//! (shared, the leaf exclusive for a write) and released leaf to root: no
//! lookup, no allocation, no bookkeeping. The guards live on the stack of a
//! recursion, one frame per level. Each lock has a cache line of its own, as
//! separately allocated nodes would, so two floors never share a line.

use parking_lot::RwLock;

/// A lock alone on its cache line.
#[repr(align(64))]
struct Line(RwLock<()>);

/// `d` reader/writer locks standing for the nodes of one path.
pub struct Floor {
    locks: Box<[Line]>,
}

impl Floor {
    /// A path of `depth` locks.
    pub fn new(depth: usize) -> Self {
        Floor {
            locks: (0..depth).map(|_| Line(RwLock::new(()))).collect(),
        }
    }

    /// Shared on every lock, then releases them leaf to root.
    pub fn read(&self) {
        take(&self.locks, false);
    }

    /// Shared on the ancestors and exclusive on the leaf, then releases.
    pub fn write(&self) {
        take(&self.locks, true);
    }
}

/// Takes `locks[0]`, then the rest, then releases `locks[0]`.
fn take(locks: &[Line], write: bool) {
    match locks {
        [] => {}
        [leaf] if write => drop(leaf.0.write()),
        [first, rest @ ..] => {
            let _held = first.0.read();
            take(rest, write);
        }
    }
}
