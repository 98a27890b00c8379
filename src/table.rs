//! The node tree: top-level nodes in hash shards, deeper nodes in their
//! parent's child map, and the rules for adding and removing nodes.
//!
//! Lock order, which rules out deadlock between internal locks: a shard
//! before any node, a parent before its child. (Collection, holding a
//! child's links, only *tries* its parent's links lock and never waits for
//! it, so it closes no cycle; see `Node::take_from_below`.) Every thread
//! but a rename holds at most a parent and one child at a time; renames
//! are serialised and lock in ascending depth. No internal lock is held
//! while a thread is parked. A node found in its parent's map is pinned
//! before the parent's lock is released, so it cannot be removed before it
//! is locked.

use hashbrown::{DefaultHashBuilder, HashMap};
use hilok_core::{Mode, NotHeld, OwnerId, Wakeups};
use std::hash::BuildHasher;

use crate::acquire::Found;
use crate::admission;
use crate::cache::Cache;
use crate::children::Children;
use crate::events::{woken, Event, Log};
use crate::fast::{self, Ask, Memo, Released};
use crate::name::Key;
use crate::node::{with_current, Locked, Name, Node, NodeRef, Unlinked};
use crate::sync::{AtomicBool, Mutex, MutexGuard, NodeArc, Ordering};
use crate::waiter::{deliver, Token};

const SHARDS: usize = 64;

/// One shard of top-level nodes.
pub(crate) type Shard = HashMap<Name, NodeRef>;

/// Every live node, reachable from the shards.
pub(crate) struct Table {
    /// Where transitions are reported (`events` feature).
    pub(crate) log: std::sync::Arc<Log>,
    shards: Box<[Mutex<Shard>]>,
    hasher: DefaultHashBuilder,
    /// Idle leaves kept for reuse.
    cache: Cache,
    /// Set when the last handle to the manager is dropped: from then on
    /// nothing is cached.
    closed: AtomicBool,
    /// Unique among all tables ever made: names this table in the
    /// per-thread memory of paths ([`crate::lookaside`]).
    id: u64,
}

impl Table {
    /// An empty tree that keeps about `cached` idle leaves for reuse.
    pub(crate) fn new(cached: usize) -> Self {
        Table {
            log: std::sync::Arc::default(),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::new())).collect(),
            hasher: DefaultHashBuilder::default(),
            cache: Cache::new(cached),
            closed: AtomicBool::new(false),
            id: {
                // Identities need no model checking: a plain std counter.
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    /// This table's identity.
    #[inline]
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Nodes now in the tree, cached idle ones included.
    ///
    /// Counted by walking the tree, one node locked at a time (exact when
    /// nothing changes meanwhile): the tree keeps no shared counter, which
    /// every node creation and removal would have to update.
    pub(crate) fn count(&self) -> usize {
        let mut count = 0;
        let mut next: Vec<NodeRef> = Vec::new();
        for shard in self.shards.iter() {
            next.extend(shard.lock().values().cloned());
            while let Some(node) = next.pop() {
                count += 1;
                node.with_links(|l| next.extend(l.children.nodes().cloned()));
            }
        }
        count
    }

    /// Takes every cached idle leaf out of the tree, and the ancestors that
    /// fall out of use by that.
    pub(crate) fn trim(&self) {
        for node in self.cache.drain() {
            self.evict(node);
        }
    }

    /// Stops caching and frees what is cached.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.trim();
    }

    /// Whether idle leaves are kept for reuse now.
    #[inline]
    fn caching(&self) -> bool {
        self.cache.is_enabled() && !self.closed.load(Ordering::Relaxed)
    }

    /// `node` left the cache: remove it if it is unused (and keep its
    /// allocation for reuse if nothing refers to it then).
    fn evict(&self, node: NodeRef) {
        node.unmark_cached();
        self.collect(&node);
        Node::recycle(node);
    }

    /// The shard a top-level name lives in.
    #[inline]
    pub(crate) fn shard_index(&self, name: Key<'_>) -> usize {
        (self.hasher.hash_one(name) as usize) % SHARDS
    }

    /// Locks shard `i`.
    pub(crate) fn shard(&self, i: usize) -> MutexGuard<'_, Shard> {
        self.shards[i].lock()
    }

    /// The top-level node `name`, pinned; created if absent and `create`.
    #[inline]
    pub(crate) fn top(&self, name: &str, create: bool) -> Option<NodeRef> {
        let key = Key::of(name);
        let mut shard = self.shard(self.shard_index(key));
        let node = match shard.get(&key) {
            Some(n) => n.clone(),
            None if create => {
                let name = Name::from(key);
                let n = self.created(None, &name);
                shard.insert(name, n.clone());
                n
            }
            None => return None,
        };
        node.pin();
        Some(node)
    }

    /// The child `name` of the locked `parent`, pinned; created if absent and
    /// `create`.
    #[inline]
    pub(crate) fn child(
        &self,
        parent: &NodeRef,
        pg: &mut Locked<'_>,
        name: &str,
        create: bool,
    ) -> Option<NodeRef> {
        self.child_in(parent, &mut pg.children, name, create)
    }

    /// The child `name` of a node the caller holds (created if absent), and
    /// where the holding is now if a rename merged `node` away meanwhile.
    /// Locks the node for its links only, and then does not pin the child.
    /// A child it makes is granted `ask` as it is made, if given.
    #[inline]
    pub(crate) fn child_of_held(
        &self,
        node: &NodeRef,
        name: &str,
        ask: Option<Ask>,
    ) -> (Option<NodeRef>, Found) {
        let found = node.with_links(|links| {
            links.forward.is_none().then(|| {
                let mut granted = false;
                let child = links.children.get_or_insert_with(Key::of(name), |key| {
                    let child = self.created(Some(node), key);
                    granted = ask.is_some_and(|ask| fast::grant_new(&child, ask));
                    child
                });
                (child, granted)
            })
        });
        match found {
            Some((child, true)) => (None, Found::Granted(child)),
            Some((child, false)) => (None, Found::Unpinned(child)),
            None => with_current(node, |cur, g| {
                let child = self.child(cur, g, name, true);
                let child = child.expect("a lookup that may create always finds");
                (Some(cur.clone()), Found::Pinned(child))
            }),
        }
    }

    /// The child `name` in `children` of the locked `parent`, pinned;
    /// created if absent and `create`.
    #[inline]
    fn child_in(
        &self,
        parent: &NodeRef,
        children: &mut Children,
        name: &str,
        create: bool,
    ) -> Option<NodeRef> {
        let node = if create {
            children.get_or_insert_with(Key::of(name), |key| self.created(Some(parent), key))
        } else {
            children.get(Key::of(name))?.clone()
        };
        node.pin();
        Some(node)
    }

    /// The child `name` of `parent` (top-level when `None`), pinned.
    pub(crate) fn lookup(
        &self,
        parent: Option<&NodeRef>,
        name: &str,
        create: bool,
    ) -> Option<NodeRef> {
        match parent {
            None => self.top(name, create),
            Some(p) => with_current(p, |p, pg| self.child(p, pg, name, create)),
        }
    }

    /// What the cache's admission ([`crate::admission`]) knows the leaf
    /// `name` below `parent` (top-level when `None`) by.
    #[inline]
    pub(crate) fn leaf_key(&self, parent: Option<&NodeRef>, name: &str) -> u64 {
        let at = parent.map_or(0, |p| NodeArc::as_ptr(p) as usize);
        admission::key(at, name)
    }

    fn created(&self, parent: Option<&NodeRef>, name: &Name) -> NodeRef {
        let parent_id = parent.map(|p| p.id());
        let node = Node::new(parent, name, &self.log);
        self.log.record(|| Event::Created {
            node: node.id(),
            parent: parent_id,
            name: name.to_string(),
        });
        node
    }

    /// Releases one holding of `mode` by `owner` at the locked `node`.
    fn release_one(
        &self,
        node: &NodeRef,
        g: &mut Locked<'_>,
        owner: OwnerId,
        mode: Mode,
        wake: &mut Wakeups<crate::waiter::Token>,
    ) -> Result<(), NotHeld> {
        let r = g.state.release(owner, mode, wake);
        self.log.record(|| Event::Release {
            node: node.id(),
            owner: owner.0,
            mode,
            ok: r.is_ok(),
            woken: woken(wake),
        });
        r
    }

    /// Releases what one guard (or a partial acquisition) holds: `leaf_mode`
    /// at the last node of `chain` (the path as acquired, root first), then
    /// one shared holding on each ancestor, leaf to root. Each node is
    /// released on its word while it can be; from the first that cannot, the
    /// rest goes the locked way, following the tree's own parent links (a
    /// rename may have changed them since the acquisition). `key` is the
    /// leaf's for the cache's admission ([`Table::leaf_key`]; `None`: it is
    /// admitted).
    #[inline]
    pub(crate) fn release_path(
        &self,
        chain: &[NodeRef],
        owner: OwnerId,
        leaf_mode: Option<Mode>,
        key: Option<u64>,
        memo: &mut Memo,
    ) -> Result<(), NotHeld> {
        let Some((leaf, ancestors)) = chain.split_last() else {
            return Ok(());
        };
        let idle = match self.release_word(leaf, owner, leaf_mode, memo) {
            Released::Done { idle } => idle,
            Released::Slow => return self.release_locked(leaf, owner, leaf_mode, key),
        };
        // The leaf is settled while its ancestors are still held (see
        // [`Table::settle`]); if it left the tree, its parent is kept.
        let mut keep = idle
            && !leaf.has_kids()
            && !leaf.is_cached()
            && self.settle(owner, leaf, ancestors.last(), key);
        let mut strays: Strays<'_> = Strays::new();
        // Shared on every ancestor: a loop of its own, with the mode known,
        // so that the word's transitions fold for it.
        let slow = ancestors.iter().rev().find(|n| {
            let released = self.release_fast(n, owner, keep, &mut strays, memo);
            keep = false;
            !released
        });
        let r = match slow {
            Some(node) => self.release_locked(node, owner, Some(Mode::Shared), None),
            None => Ok(()),
        };
        self.collect_all(&strays);
        r
    }

    /// Releases `mode` at `node` on its word if it can.
    #[inline(always)]
    fn release_word(
        &self,
        node: &NodeRef,
        owner: OwnerId,
        mode: Option<Mode>,
        memo: &mut Memo,
    ) -> Released {
        match mode {
            Some(m) if !cfg!(feature = "seed-bug-release-order") => {
                fast::release(node, owner, m, memo)
            }
            _ => Released::Slow,
        }
    }

    /// Releases one shared holding at the ancestor `node` on its word if it
    /// can (`true`). One it leaves idle and childless (its path below was
    /// removed meanwhile) is cached if `keep` (the parent of a leaf that
    /// left the tree), else collected at the end.
    #[inline(always)]
    fn release_fast<'a>(
        &self,
        node: &'a NodeRef,
        owner: OwnerId,
        keep: bool,
        strays: &mut Strays<'a>,
        memo: &mut Memo,
    ) -> bool {
        match self.release_word(node, owner, Some(Mode::Shared), memo) {
            Released::Done { idle } => {
                if idle && !node.has_kids() && !node.is_cached() {
                    if keep {
                        self.keep(owner, node);
                    } else {
                        strays.push(node);
                    }
                }
                true
            }
            Released::Slow => false,
        }
    }

    /// Caches the idle, childless `node` (unless it is already).
    fn keep(&self, owner: OwnerId, node: &NodeRef) {
        if node.mark_cached() {
            self.cache_leaf(owner, node.clone());
        }
    }

    /// Collects every node a release left idle and childless.
    #[inline]
    fn collect_all(&self, strays: &[&NodeRef]) {
        for n in strays {
            self.collect(n);
        }
    }

    /// The idle, childless, uncached `leaf` must not stay in the tree
    /// unaccounted for: it goes to the cache if the cache admits it
    /// ([`crate::admission`]; `key` as for [`Table::release_path`]), and
    /// otherwise (or with the cache off) out of the tree. Whether it left
    /// the tree for want of admission: its parent, if that leaves the parent
    /// idle and childless, is then to be cached in its place, so that the
    /// leaf's siblings find it.
    ///
    /// Called while the caller still holds the leaf's ancestors: a removal
    /// then changes the parent's children under the caller's own holding,
    /// whose release (by the caller, or by whoever is handed the parent)
    /// sees it. (A removal beside another thread's release of the parent
    /// would need each to see the other's change.)
    fn settle(
        &self,
        owner: OwnerId,
        leaf: &NodeRef,
        parent: Option<&NodeRef>,
        key: Option<u64>,
    ) -> bool {
        if !self.caching() {
            self.collect_below(leaf, parent);
            false
        } else if key.is_none_or(admission::admit) {
            self.keep(owner, leaf);
            false
        } else {
            self.collect_below(leaf, parent);
            true
        }
    }

    /// Releases what one guard (or a partial acquisition) holds: `leaf_mode`
    /// at `leaf` (nothing there when `None`), then one shared holding on each
    /// ancestor, leaf to root. A leaf that falls out of use is settled as
    /// on the word ([`Table::settle`]: `key` as for [`Table::release_path`]).
    pub(crate) fn release_locked(
        &self,
        leaf: &NodeRef,
        owner: OwnerId,
        leaf_mode: Option<Mode>,
        key: Option<u64>,
    ) -> Result<(), NotHeld> {
        let mut wake = Wakeups::new();
        // Seeded bug: the ancestors are released before the leaf.
        if cfg!(feature = "seed-bug-release-order") && leaf_mode.is_some() {
            let parent = with_current(leaf, |_, g| g.parent.clone());
            if let Some(p) = parent {
                self.release_locked(&p, owner, Some(Mode::Shared), None)?;
            }
        }
        let (leaf, idle, parent) = with_current(leaf, |n, g| {
            if let Some(m) = leaf_mode {
                self.release_one(n, g, owner, m, &mut wake)?;
            }
            Ok((n.clone(), self.idle_leaf(n, g), g.parent.clone()))
        })?;
        deliver(wake);
        if cfg!(feature = "seed-bug-release-order") && leaf_mode.is_some() {
            self.collect(&leaf);
            return Ok(());
        }
        // Settled while the ancestors are held, as on the word.
        let left = match idle {
            Idle::InUse => false,
            Idle::Unused => self.settle(owner, &leaf, parent.as_ref(), key),
        };
        let strays = self.release_ancestors(parent.clone(), owner);
        for node in &strays {
            let is_parent = parent.as_ref().is_some_and(|p| NodeArc::ptr_eq(p, node));
            if left && is_parent {
                self.keep(owner, node);
            } else {
                self.collect(node);
            }
        }
        Ok(())
    }

    /// What becomes of the locked `node` after a release.
    #[inline]
    fn idle_leaf(&self, node: &NodeRef, g: &mut Locked<'_>) -> Idle {
        if node.is_unused(g) && !node.is_cached() {
            Idle::Unused
        } else {
            Idle::InUse
        }
    }

    /// Puts `leaf` in the cache, evicting what that pushes out.
    #[cold]
    fn cache_leaf(&self, owner: OwnerId, leaf: NodeRef) {
        if let Some(out) = self.cache.push(owner.0, leaf) {
            self.evict(out);
        }
    }

    /// Releases one shared holding on `parent` and each node above it; returns
    /// those that fell out of use (which happens only when someone removed
    /// the path below them meanwhile).
    #[inline]
    fn release_ancestors(&self, mut parent: Option<NodeRef>, owner: OwnerId) -> Vec<NodeRef> {
        let mut wake = Wakeups::new();
        let mut strays = Vec::new();
        while let Some(p) = parent {
            let unused;
            (parent, unused) = with_current(&p, |p, pg| {
                // An ancestor holding is always there; a failure here would
                // be a runtime bug, and changes nothing.
                let _ = self.release_one(p, pg, owner, Mode::Shared, &mut wake);
                (pg.parent.clone(), p.is_unused(pg).then(|| p.clone()))
            });
            deliver(std::mem::take(&mut wake));
            strays.extend(unused);
        }
        strays
    }

    /// Removes `child` from `parent` if it is still its child and unused.
    /// Returns the node the removal happened at (`parent`, or where a rename
    /// merged it) if that seems unused now, with its parent link if that is
    /// known already (see [`Node::unused_parent`]).
    ///
    /// A parent whose word is not inflated is locked for its links only: its
    /// child map is all that changes, and nobody waits at it, so no rename
    /// watches it for a child to leave. Otherwise it is locked fully, and a
    /// rename watching it is woken: the child may have been what kept it from
    /// merging.
    fn unlink(&self, parent: NodeRef, child: &NodeRef) -> Unlinked {
        let light = parent.with_links_deflated(|l| {
            // A node merged away is retired: its word is inflated.
            debug_assert!(l.forward.is_none());
            Node::take_unused(child, &parent, &mut l.children, || self.note_removed(child));
            if parent.is_free_after_change() {
                parent.idle_parent(l)
            } else {
                None
            }
        });
        match light {
            Some(None) => None,
            Some(Some(above)) => Some((parent, Some(above))),
            None => self.unlink_locked(&parent, child),
        }
    }

    /// [`Table::unlink`] below a parent whose word is inflated.
    #[cold]
    fn unlink_locked(&self, parent: &NodeRef, child: &NodeRef) -> Unlinked {
        let mut wake = Wakeups::new();
        let (p, unused) = with_current(parent, |p, pg| {
            let removed =
                Node::take_unused(child, p, &mut pg.children, || self.note_removed(child));
            if removed {
                self.notify(p, pg, &mut wake);
            }
            (p.clone(), p.is_unused(pg))
        });
        deliver(wake);
        unused.then_some((p, None))
    }

    /// Whether every node below the locked node `g` is vacant: then nobody
    /// can reach one without locking `g`'s node first.
    pub(crate) fn vacant_below(&self, g: &Locked<'_>) -> bool {
        g.children.nodes().all(|c| {
            let cg = c.lock();
            c.is_vacant(&cg) && self.vacant_below(&cg)
        })
    }

    /// Takes every node below the locked node `g` out of the tree, leaves
    /// first. Call only when [`Table::vacant_below`] holds.
    pub(crate) fn remove_below(&self, g: &mut Locked<'_>) {
        for (_, c) in g.children.take() {
            let mut cg = c.lock();
            cg.retire();
            self.remove_below(&mut cg);
            drop(cg);
            self.note_removed(&c);
        }
    }

    /// A child left the locked `parent`: a rename watching it for a merge
    /// may go on now.
    fn notify(&self, parent: &NodeRef, pg: &mut Locked<'_>, wake: &mut Wakeups<Token>) {
        if pg.state.queue().next().is_none() {
            return;
        }
        let before = wake.len();
        let by = crate::owner::current();
        pg.state.notify(by, wake);
        self.log.record(|| Event::Notify {
            node: parent.id(),
            by: by.0,
            woken: woken(&wake[before..]),
        });
    }

    /// Removes the top-level `node` if it is still top-level and unused.
    pub(crate) fn unlink_top(&self, node: &NodeRef) {
        let i = {
            let g = node.lock();
            if !node.is_unused(&g) || !is_top(&g) {
                return;
            }
            self.shard_index(g.name.key())
        };
        let mut shard = self.shard(i);
        let mut g = node.lock();
        if node.is_unused(&g)
            && is_top(&g)
            && shard
                .get(&g.name.key())
                .is_some_and(|n| NodeArc::ptr_eq(n, node))
        {
            g.retire();
            shard.remove(&g.name.key());
            self.note_removed(node);
        }
    }

    /// Removes `node` if unused, then each ancestor that falls out of use.
    pub(crate) fn collect(&self, node: &NodeRef) {
        self.collect_below(node, None);
    }

    /// [`Table::collect`] for a caller that holds `held` above `node` (see
    /// [`Node::take_from_below`]).
    fn collect_below(&self, node: &NodeRef, held: Option<&NodeRef>) {
        let taken = Node::take_from_below(node, held, || self.note_removed(node));
        let (mut node, mut parent) = match taken {
            Some(None) => return,
            Some(Some((next, above))) => match above.or_else(|| next.unused_parent()) {
                Some(above) => (next, above),
                None => return,
            },
            None => match node.unused_parent() {
                Some(parent) => (node.clone(), parent),
                None => return,
            },
        };
        loop {
            let Some(p) = parent else {
                return self.unlink_top(&node);
            };
            let Some((next, above)) = self.unlink(p, &node) else {
                return;
            };
            parent = match above {
                Some(above) => above,
                None => match next.unused_parent() {
                    Some(above) => above,
                    None => return,
                },
            };
            node = next;
        }
    }

    /// Unpins `node` and removes it if that left it unused.
    pub(crate) fn unpin(&self, node: &NodeRef) {
        node.unpin();
        self.collect(node);
    }

    /// Seeded bug: takes `node` out of the tree whatever its state.
    #[cfg(feature = "seed-bug-early-gc")]
    pub(crate) fn force_unlink(&self, node: &NodeRef) {
        let (parent, name) = {
            let mut g = node.lock();
            g.retire();
            (g.parent.clone(), g.name.clone())
        };
        let removed = match parent {
            None => self.shard(self.shard_index(name.key())).remove(&name.key()),
            Some(p) => p.lock().children.remove(name.key()),
        };
        if removed.is_some() {
            self.note_removed(node);
        }
    }

    /// Accounts for `node`, which a rename has just merged into `into`.
    pub(crate) fn note_merged(&self, node: &NodeRef, into: &NodeRef) {
        self.log.record(|| Event::Merge {
            node: node.id(),
            into: into.id(),
        });
    }

    /// Accounts for `node`, which has just left the tree.
    pub(crate) fn note_removed(&self, node: &NodeRef) {
        self.log.record(|| Event::Removed { node: node.id() });
    }
}

impl Drop for Table {
    /// No guard is left (guards keep the manager alive): frees the cached
    /// nodes, then unlinks whatever else remains, so that no parent and
    /// child keep each other alive.
    fn drop(&mut self) {
        self.trim();
        for shard in self.shards.iter() {
            let tops: Vec<NodeRef> = shard.lock().drain().map(|(_, n)| n).collect();
            for node in tops {
                unlink_all(&node);
            }
        }
        // The nodes this thread removed above are out of the tree now; its
        // spare's parent link would keep one of them.
        Node::drop_spare();
    }
}

/// Takes every node below `node` out of the tree, whatever its state.
fn unlink_all(node: &NodeRef) {
    let children = node.lock().children.take();
    for (_, child) in children {
        unlink_all(&child);
    }
}

/// Nodes a lock-free release left idle and childless, to collect.
type Strays<'a> = smallvec::SmallVec<[&'a NodeRef; 2]>;

/// What a release leaves at the leaf.
enum Idle {
    /// Still held, awaited, pinned or a parent; or already in the cache.
    InUse,
    /// Unused and not cached: to settle ([`Table::settle`]).
    Unused,
}

fn is_top(g: &Locked<'_>) -> bool {
    g.parent.is_none() && g.forward.is_none()
}
