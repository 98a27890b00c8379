//! Idle leaves kept in the tree for reuse.
//!
//! Without it, a path used again and again would be built on every
//! acquisition and torn down on every release: an allocation, a map insert
//! and a map removal per node each time. A leaf that falls out of use is
//! instead marked `cached` and kept in one of a few rings, if the cache
//! admits it ([`crate::admission`]: one seen idle before). Once a ring
//! holds its share of the capacity, each new entry takes the place of its
//! oldest, which is evicted: taken out of the tree if it is still unused,
//! together with every ancestor that falls out of use by that.
//! [`crate::HiLok::trim`] evicts every entry. A cached node is an ordinary
//! idle node: the lock decisions never see the cache.

use crate::node::NodeRef;
use crate::sync::Mutex;

/// Rings, so that threads releasing different paths rarely meet on one lock.
/// A thread always uses the same ring (by owner id), so one thread alone
/// keeps a ring's share of the capacity: its most recent leaves, which are
/// also the ones still in its processor's caches.
#[cfg(not(any(loom, feature = "shuttle")))]
const RINGS: usize = 8;
/// One ring under the model checkers: the ring is chosen by owner id, and
/// ids are not the same from one explored execution to the next.
#[cfg(any(loom, feature = "shuttle"))]
const RINGS: usize = 1;

/// One ring: entries in the order they came while it fills, then each new
/// entry takes the place of the oldest.
#[derive(Default)]
struct Ring {
    entries: Vec<NodeRef>,
    /// The oldest entry once the ring is full.
    oldest: usize,
}

/// The rings of idle leaves.
pub(crate) struct Cache {
    rings: Box<[Mutex<Ring>]>,
    /// Entries one ring keeps before it evicts; 0 turns the cache off.
    per_ring: usize,
}

impl Cache {
    /// A cache keeping about `capacity` leaves (rounded up to a multiple of
    /// the ring count; 0 keeps none).
    pub(crate) fn new(capacity: usize) -> Self {
        Cache {
            rings: (0..RINGS).map(|_| Mutex::new(Ring::default())).collect(),
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
        if self.per_ring == 0 {
            return Some(node);
        }
        let mut ring = self.rings[(key % RINGS as u64) as usize].lock();
        if ring.entries.len() < self.per_ring {
            ring.entries.push(node);
            return None;
        }
        let i = ring.oldest;
        ring.oldest = if i + 1 == self.per_ring { 0 } else { i + 1 };
        Some(std::mem::replace(&mut ring.entries[i], node))
    }

    /// Takes every entry out.
    pub(crate) fn drain(&self) -> Vec<NodeRef> {
        let mut all = Vec::new();
        for ring in self.rings.iter() {
            let mut ring = ring.lock();
            ring.oldest = 0;
            all.append(&mut ring.entries);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Name, Node};

    fn node() -> NodeRef {
        Node::new(None, &Name::from("n"), &Default::default())
    }

    #[test]
    fn a_full_ring_pushes_out_its_oldest_entry() {
        let cache = Cache::new(2 * RINGS);
        let (a, b, c) = (node(), node(), node());
        assert!(cache.push(3, a.clone()).is_none());
        assert!(cache.push(3, b.clone()).is_none());
        let out = cache
            .push(3, c.clone())
            .expect("third entry of a two-entry ring");
        assert!(crate::sync::NodeArc::ptr_eq(&out, &a));
        let out = cache.push(3, node()).expect("a full ring");
        assert!(crate::sync::NodeArc::ptr_eq(&out, &b));
        let out = cache.push(3, node()).expect("a full ring");
        assert!(crate::sync::NodeArc::ptr_eq(&out, &c));
        assert_eq!(cache.drain().len(), 2);
        assert!(cache.drain().is_empty());
        assert!(cache.push(3, node()).is_none(), "drained: room again");
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let cache = Cache::new(0);
        assert!(!cache.is_enabled());
        let a = node();
        let out = cache.push(0, a.clone()).expect("nothing is kept");
        assert!(crate::sync::NodeArc::ptr_eq(&out, &a));
    }
}
