//! The node tree: top-level nodes in hash shards, deeper nodes in their
//! parent's child map, and the rules for adding and removing nodes.
//!
//! Lock order, which rules out deadlock between internal locks: a shard
//! before any node, a parent before its child. Every thread but a rename holds
//! at most a parent and one child; renames are serialised and lock in
//! ascending depth. No internal lock is held while a thread is parked.

use hashbrown::{DefaultHashBuilder, HashMap};
use hilok_core::{Mode, NotHeld, OwnerId, Wakeups};
use std::hash::BuildHasher;

use crate::node::{lock_current, node_of, Locked, Node, NodeRef};
use crate::sync::{Arc, AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::waiter::deliver;

const SHARDS: usize = 64;

/// One shard of top-level nodes.
pub(crate) type Shard = HashMap<Box<str>, NodeRef>;

/// Every live node, reachable from the shards.
pub(crate) struct Table {
    shards: Box<[Mutex<Shard>]>,
    hasher: DefaultHashBuilder,
    count: AtomicUsize,
}

impl Table {
    /// An empty tree.
    pub(crate) fn new() -> Self {
        Table {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::new())).collect(),
            hasher: DefaultHashBuilder::default(),
            count: AtomicUsize::new(0),
        }
    }

    /// Nodes now in the tree.
    pub(crate) fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// The shard a top-level name lives in.
    #[inline]
    pub(crate) fn shard_index(&self, name: &str) -> usize {
        (self.hasher.hash_one(name) as usize) % SHARDS
    }

    /// Locks shard `i`.
    pub(crate) fn shard(&self, i: usize) -> MutexGuard<'_, Shard> {
        self.shards[i].lock()
    }

    /// The child `name` of `parent` (a top-level node when `None`), created
    /// if absent, locked. The parent's lock is released once the child's is
    /// taken (hand-over-hand), so the child cannot vanish in between.
    #[inline]
    pub(crate) fn child_locked(&self, parent: Option<Locked>, name: &str) -> Locked {
        match parent {
            None => {
                let mut shard = self.shard(self.shard_index(name));
                let node = shard
                    .entry_ref(name)
                    .or_insert_with(|| self.created(Node::new(None, name)));
                node.lock_arc()
            }
            Some(mut pg) => {
                if let Some(node) = pg.children.get(name) {
                    return node.lock_arc();
                }
                let node = self.created(Node::new(Some(node_of(&pg).clone()), name));
                let g = node.lock_arc();
                pg.children.insert(name.into(), node);
                g
            }
        }
    }

    /// The existing child `name` of the locked `parent` (top-level when
    /// `None`), locked and pinned so it stays in the tree after unlocking.
    pub(crate) fn child_pinned(&self, parent: Option<&Locked>, name: &str) -> Option<Locked> {
        let mut g = self.child_existing(parent, name)?;
        g.pins += 1;
        Some(g)
    }

    /// The existing child `name` of the locked `parent`, locked.
    pub(crate) fn child_existing(&self, parent: Option<&Locked>, name: &str) -> Option<Locked> {
        match parent {
            None => self
                .shard(self.shard_index(name))
                .get(name)
                .map(|n| n.lock_arc()),
            Some(pg) => pg.children.get(name).map(|n| n.lock_arc()),
        }
    }

    fn created(&self, node: NodeRef) -> NodeRef {
        self.count.fetch_add(1, Ordering::Relaxed);
        node
    }

    /// Releases what one guard (or a partial acquisition) holds: `leaf_mode`
    /// at `leaf` (nothing there when `None`), then one shared holding on each
    /// ancestor, leaf to root, removing nodes that fall out of use.
    pub(crate) fn release_path(
        &self,
        leaf: &NodeRef,
        owner: OwnerId,
        leaf_mode: Option<Mode>,
    ) -> Result<(), NotHeld> {
        let mut wake = Wakeups::new();
        let mut g = lock_current(leaf);
        if let Some(m) = leaf_mode {
            g.state.release(owner, m, &mut wake)?;
        }
        let mut unused = g.is_unused();
        let mut child = node_of(&g).clone();
        let mut parent = g.parent.clone();
        drop(g);
        deliver(std::mem::take(&mut wake));
        while let Some(p) = parent {
            let mut pg = p.lock_arc();
            if unused {
                self.unlink(&mut pg, &child);
            }
            // An ancestor holding is always there; a failure here would be a
            // runtime bug and changes nothing.
            let _ = pg.state.release(owner, Mode::Shared, &mut wake);
            unused = pg.is_unused();
            parent = pg.parent.clone();
            drop(pg);
            deliver(std::mem::take(&mut wake));
            child = p;
        }
        if unused {
            self.unlink_top(&child);
        }
        Ok(())
    }

    /// Removes `child` from the locked `parent` if it is still its child and
    /// unused.
    pub(crate) fn unlink(&self, parent: &mut Locked, child: &NodeRef) {
        let cg = child.lock();
        if !cg.is_unused() || !cg.is_child_of(Some(node_of(parent))) {
            return;
        }
        // The same name may already belong to a newer node if this one was
        // removed by someone else meanwhile: remove only this very node.
        if parent
            .children
            .get(&*cg.name)
            .is_some_and(|n| Arc::ptr_eq(n, child))
        {
            parent.children.remove(&*cg.name);
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Removes the top-level `node` if it is still top-level and unused.
    pub(crate) fn unlink_top(&self, node: &NodeRef) {
        let i = {
            let g = node.lock();
            if !g.is_unused() || g.parent.is_some() || g.forward.is_some() {
                return;
            }
            self.shard_index(&g.name)
        };
        let mut shard = self.shard(i);
        let g = node.lock();
        if g.is_unused() && g.parent.is_none() && g.forward.is_none() {
            if let Some(n) = shard.get(&*g.name) {
                if Arc::ptr_eq(n, node) {
                    shard.remove(&*g.name);
                    self.count.fetch_sub(1, Ordering::Relaxed);
                }
            }
        }
    }

    /// Removes `node` if unused, then each ancestor that falls out of use.
    pub(crate) fn collect(&self, node: &NodeRef) {
        let mut node = node.clone();
        loop {
            let parent = {
                let g = node.lock();
                if !g.is_unused() || g.forward.is_some() {
                    return;
                }
                g.parent.clone()
            };
            let Some(p) = parent else {
                return self.unlink_top(&node);
            };
            let mut pg = p.lock_arc();
            self.unlink(&mut pg, &node);
            if !pg.is_unused() {
                return;
            }
            drop(pg);
            node = p;
        }
    }

    pub(crate) fn note_removed(&self) {
        self.count.fetch_sub(1, Ordering::Relaxed);
    }
}
