//! Idle leaves kept in the tree for reuse.
//!
//! Without it, a path used again and again would be built on every
//! acquisition and torn down on every release: an allocation, a map insert
//! and a map removal per node each time. A leaf that falls out of use is
//! instead marked `cached` and kept in one of a few rings, oldest first.
//! When a ring holds more than its share of the capacity, its oldest entry
//! is evicted: taken out of the tree if it is still unused, together with
//! every ancestor that falls out of use by that. [`crate::HiLok::trim`]
//! evicts every entry. A cached node is an ordinary idle node: the lock
//! decisions never see the cache.

use std::collections::VecDeque;

use crate::node::NodeRef;
use crate::sync::Mutex;

/// Rings, so that threads releasing different paths rarely meet on one lock.
#[cfg(not(any(loom, feature = "shuttle")))]
const RINGS: usize = 8;
/// One ring under the model checkers: the ring is chosen by owner id, and
/// ids are not the same from one explored execution to the next.
#[cfg(any(loom, feature = "shuttle"))]
const RINGS: usize = 1;

/// The rings of idle leaves.
pub(crate) struct Cache {
    rings: Box<[Mutex<VecDeque<NodeRef>>]>,
    /// Entries one ring keeps before it evicts; 0 turns the cache off.
    per_ring: usize,
}

impl Cache {
    /// A cache keeping about `capacity` leaves (rounded up to a multiple of
    /// the ring count; 0 keeps none).
    pub(crate) fn new(capacity: usize) -> Self {
        Cache {
            rings: (0..RINGS).map(|_| Mutex::new(VecDeque::new())).collect(),
            per_ring: capacity.div_ceil(RINGS),
        }
    }

    /// Whether idle leaves are kept at all.
    #[inline]
    pub(crate) fn is_enabled(&self) -> bool {
        self.per_ring > 0
    }

    /// Keeps `node` in ring `key % RINGS`; returns the entry that this pushed
    /// out, if the ring was full.
    pub(crate) fn push(&self, key: u64, node: NodeRef) -> Option<NodeRef> {
        let mut ring = self.rings[(key % RINGS as u64) as usize].lock();
        ring.push_back(node);
        (ring.len() > self.per_ring)
            .then(|| ring.pop_front())
            .flatten()
    }

    /// Takes every entry out.
    pub(crate) fn drain(&self) -> Vec<NodeRef> {
        let mut all = Vec::new();
        for ring in self.rings.iter() {
            all.extend(ring.lock().drain(..));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Name, Node};

    fn node() -> NodeRef {
        Node::new(None, Name::from("n"), &Default::default())
    }

    #[test]
    fn a_full_ring_pushes_out_its_oldest_entry() {
        let cache = Cache::new(2 * RINGS);
        let (a, b, c) = (node(), node(), node());
        assert!(cache.push(3, a.clone()).is_none());
        assert!(cache.push(3, b).is_none());
        let out = cache.push(3, c).expect("third entry of a two-entry ring");
        assert!(crate::sync::Arc::ptr_eq(&out, &a));
        assert_eq!(cache.drain().len(), 2);
        assert!(cache.drain().is_empty());
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let cache = Cache::new(0);
        assert!(!cache.is_enabled());
        let a = node();
        let out = cache.push(0, a.clone()).expect("nothing is kept");
        assert!(crate::sync::Arc::ptr_eq(&out, &a));
    }
}
