//! A node of the lock tree as the runtime stores it.
//!
//! The lock decisions live in [`NodeState`] (from `hilok-core`); a node adds
//! where it hangs in the tree, so that a path costs one hash lookup per level
//! under a lock the acquisition takes anyway, and so that a rename can move a
//! whole subtree by re-linking one node.
//!
//! A node's state has two homes. While it fits in a [`Word`] (nobody waits,
//! at most one holder) it lives in the node's atomic `word`, where
//! [`crate::fast`] decides requests and releases with one compare-and-swap.
//! Otherwise it lives in a spill box behind the node's lock, and the word
//! says [`Word::INFLATED`]. Locking a node always inflates it, so code
//! holding a [`Locked`] node sees the whole state; unlocking deflates it again
//! when it fits, unless the node is retired (out of the tree, or moved by a
//! rename), which keeps every later fast attempt on it failing.
//!
//! Memory per node is what a tree of a million held paths costs, so the
//! layout is tight: the state is in the word (or a spill allocated only
//! under contention), the name inline when short, the flags in the spare
//! bits of the pin and child counts ([`marks`]). A node the cache evicts
//! that nothing refers to any more is kept by the evicting thread as its
//! spare, and reused for the next node it makes ([`Node::recycle`]).

use std::cell::Cell;
use std::ops::{Deref, DerefMut};

use crate::children::Children;
use crate::events::Log;
use crate::name::Key;
use hilok_core::{NodeState, Word};

use crate::sync::{AtomicU32, AtomicU64, Mutex, MutexGuard, NodeArc, Ordering};
use crate::waiter::Token;

/// A shared node.
pub(crate) type NodeRef = NodeArc<Node>;

#[cfg(not(loom))]
crate::sync::thread_local! {
    /// A node this thread took out of the tree that nothing else referred
    /// to, emptied, kept for the next node the thread makes (see
    /// [`Node::recycle`]).
    static SPARE: Cell<Option<NodeRef>> = const { Cell::new(None) };
}

#[cfg(loom)]
crate::sync::thread_local! {
    // `SPARE` under loom, whose thread-locals have no `const` form.
    static SPARE: Cell<Option<NodeRef>> = Cell::new(None);
}

/// The nodes one acquisition took, root first: the leaf is the last.
pub(crate) type Chain = smallvec::SmallVec<[NodeRef; 4]>;

/// What a removal leaves to collect next: the parent, if it seems unused
/// now, and its parent link when known (`None` at the top).
pub(crate) type Unlinked = Option<(NodeRef, Option<Option<NodeRef>>)>;

pub(crate) use crate::name::Name;

/// A locked node: its links, and its whole lock state taken out of the
/// word or the spill (see [`Node`]); put back on drop.
pub(crate) struct Locked<'a> {
    node: &'a Node,
    links: MutexGuard<'a, Links>,
    /// Holders and waiters, as the core keeps them, while locked.
    pub(crate) state: NodeState<Token>,
}

impl Deref for Locked<'_> {
    type Target = Links;

    #[inline]
    fn deref(&self) -> &Links {
        &self.links
    }
}

impl DerefMut for Locked<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Links {
        &mut self.links
    }
}

impl Locked<'_> {
    /// Retires the node (see [`marks::RETIRED`]).
    #[inline]
    pub(crate) fn retire(&mut self) {
        self.node.retire();
    }
}

impl Drop for Locked<'_> {
    #[inline]
    fn drop(&mut self) {
        self.node.publish(&mut self.links, &mut self.state);
    }
}

/// One path prefix that someone holds, awaits, or is about to use.
///
/// Its lock state has two homes. While it fits in a [`Word`] it lives in
/// `word`; otherwise the word says [`Word::INFLATED`] and the state lives in
/// `links.spill` (a node that never had two holders or a waiter never
/// allocates one). Locking a node moves the state out of its home into the
/// [`Locked`] guard, and unlocking puts it back.
#[derive(Debug)]
pub(crate) struct Node {
    /// A number naming the node in the event log (`events` feature).
    #[cfg(feature = "events")]
    id: u64,
    /// The event log, whose order lock inflation takes (`events` feature).
    #[cfg(feature = "events")]
    log: std::sync::Arc<Log>,
    /// The lock state as a [`Word`] while it fits; [`Word::INFLATED`] while
    /// it lives in `links.spill` or is being changed under the lock.
    /// Inflated and deflated only under the node's lock; changed otherwise
    /// only by compare-and-swap from a deflated value.
    pub(crate) word: AtomicU64,
    /// Pins (see [`marks::PIN`]) and the [`marks::CACHED`] flag.
    pins: AtomicU32,
    /// The child count when the node was last unlocked, and the
    /// [`marks::RETIRED`] flag; written only under the node's lock.
    kids: AtomicU32,
    /// Everything else, behind the node's own lock.
    links: Mutex<Links>,
}

/// The bits of a node's `pins` and `kids` words.
pub(crate) mod marks {
    /// One pin, in `pins`: a thread that found the node in its parent's map
    /// and is about to lock it. Only ever added under the parent's lock (or
    /// the top-level shard's), so a node seen unpinned under its parent's
    /// lock stays unpinned. Pins count in the bits below [`CACHED`].
    pub(crate) const PIN: u32 = 1;
    /// In `pins`: the node is in the idle cache ([`crate::cache`]), so it is
    /// put there once however often it falls out of use.
    pub(crate) const CACHED: u32 = 1 << 31;
    /// In `kids`: the node left the tree or a rename moved it; its word
    /// stays inflated for good, so paths remembered through it are not
    /// trusted. Never unset. The bits below count children.
    pub(crate) const RETIRED: u32 = 1 << 31;
}

/// The part of a node behind its lock, apart from the lock state.
#[derive(Debug)]
pub(crate) struct Links {
    /// The lock state while it does not fit in the word (kept, emptied,
    /// once allocated, for the next time).
    spill: Option<Box<NodeState<Token>>>,
    /// The node one level up; `None` for a top-level node.
    pub(crate) parent: Option<NodeRef>,
    /// The last component of this node's path.
    pub(crate) name: Name,
    /// Nodes one level down, by name.
    pub(crate) children: Children,
    /// Set when a rename merged this node into another: its holdings are
    /// there now. Never unset.
    pub(crate) forward: Option<NodeRef>,
}

impl Node {
    /// A node with no holder, below `parent`, reporting to `log`: the
    /// thread's spare node (see [`Node::recycle`]) if it has one.
    pub(crate) fn new(parent: Option<&NodeRef>, name: &Name, log: &std::sync::Arc<Log>) -> NodeRef {
        if let Ok(Some(mut node)) = SPARE.try_with(Cell::take) {
            if let Some(n) = NodeArc::get_mut(&mut node) {
                n.renew(parent, name, log);
                return node;
            }
        }
        #[cfg(not(feature = "events"))]
        let _ = log;
        NodeArc::new(Node {
            #[cfg(feature = "events")]
            log: log.clone(),
            #[cfg(feature = "events")]
            id: next_id(),
            word: AtomicU64::new(Word::FREE.0),
            pins: AtomicU32::new(0),
            kids: AtomicU32::new(0),
            links: Mutex::new(Links {
                spill: None,
                parent: parent.cloned(),
                name: name.clone(),
                children: Children::default(),
                forward: None,
            }),
        })
    }

    /// Makes a spare node (which nothing else refers to) a new one, as
    /// [`Node::new`] does, keeping the room it has, and its parent link if
    /// that is `parent` already (siblings often follow one another: no
    /// reference count changes then).
    fn renew(&mut self, parent: Option<&NodeRef>, name: &Name, log: &std::sync::Arc<Log>) {
        #[cfg(feature = "events")]
        {
            self.log = log.clone();
            self.id = next_id();
        }
        #[cfg(not(feature = "events"))]
        let _ = log;
        self.word.store(Word::FREE.0, Ordering::Relaxed);
        self.pins.store(0, Ordering::Relaxed);
        self.kids.store(0, Ordering::Relaxed);
        let l = self.links.get_mut();
        if !l.is_child_of(parent) {
            l.parent = parent.cloned();
        }
        l.name = name.clone();
        // Emptied by its removal; the checks are for form's sake.
        if !l.children.is_empty() {
            l.children = Children::default();
        }
        if l.spill.as_deref().is_some_and(|s| !s.is_idle()) {
            l.spill = None;
        }
    }

    /// Keeps `node`, just taken out of the tree, as the thread's spare node
    /// if nothing else refers to it any more (no guard, no thread's memory
    /// of paths): the next node the thread makes reuses its allocation
    /// (and its child vector's room) instead of freeing it here and
    /// allocating one there. Otherwise it is only dropped.
    ///
    /// A spare keeps its parent link, for a next node below the same
    /// parent, and so keeps at most that parent and its ancestors alive,
    /// until the thread's next new node, its exit, or its dropping of a
    /// manager ([`Node::drop_spare`]); nothing else.
    pub(crate) fn recycle(mut node: NodeRef) {
        let Some(n) = NodeArc::get_mut(&mut node) else {
            return;
        };
        drop(n.links.get_mut().forward.take());
        // The previous spare (if any) is dropped after the access.
        let _ = SPARE.try_with(|s| s.replace(Some(node)));
    }

    /// Drops the calling thread's spare node, and the parent link it keeps.
    pub(crate) fn drop_spare() {
        let _ = SPARE.try_with(Cell::take);
    }

    /// The event log (`events` feature; a stand-in without it).
    #[inline(always)]
    pub(crate) fn log(&self) -> &Log {
        #[cfg(feature = "events")]
        return &self.log;
        #[cfg(not(feature = "events"))]
        &Log::NONE
    }

    /// The node's number in the event log (0 without the `events` feature).
    #[inline(always)]
    pub(crate) fn id(&self) -> u64 {
        #[cfg(feature = "events")]
        return self.id;
        #[cfg(not(feature = "events"))]
        0
    }

    /// Locks the node, with its whole state in [`Locked::state`].
    #[inline]
    pub(crate) fn lock(&self) -> Locked<'_> {
        let mut links = self.links.lock();
        let state = self.inflate(&mut links);
        Locked {
            node: self,
            links,
            state,
        }
    }

    /// Takes the state out of its home (`links` locked). After this no
    /// compare-and-swap on the word can succeed until [`Node::publish`].
    #[inline]
    fn inflate(&self, links: &mut Links) -> NodeState<Token> {
        if self.word.load(Ordering::Relaxed) & Word::INFLATED != 0 {
            return links
                .spill
                .as_deref_mut()
                .map(std::mem::take)
                .unwrap_or_default();
        }
        let w = Word(
            self.log()
                .ordered(|| self.word.swap(Word::INFLATED, Ordering::AcqRel)),
        );
        NodeState::unpack(w).unwrap_or_default()
    }

    /// Before `links` is unlocked: puts `state` back in the word if it fits
    /// and the node is not retired, else in the spill; records the child
    /// count.
    #[inline]
    fn publish(&self, links: &mut Links, state: &mut NodeState<Token>) {
        let retired = self.note_kids(links);
        if !retired {
            if let Some(w) = state.pack() {
                self.word.store(w.0, Ordering::Release);
                return;
            }
        }
        self.spill(links, state);
    }

    /// Stores the child count of `links` (locked); whether retired.
    #[inline]
    fn note_kids(&self, links: &Links) -> bool {
        let retired = self.kids.load(Ordering::Relaxed) & marks::RETIRED;
        // Counted up to the bit below the flag (only "any child" is read).
        let kids = links.children.len().min(marks::RETIRED as usize - 1) as u32;
        self.kids.store(kids | retired, Ordering::Release);
        retired != 0
    }

    /// Keeps a state that does not go back in the word.
    #[cold]
    fn spill(&self, links: &mut Links, state: &mut NodeState<Token>) {
        match &mut links.spill {
            Some(spill) => std::mem::swap(&mut **spill, state),
            None if state.is_idle() => {}
            None => links.spill = Some(Box::new(std::mem::take(state))),
        }
    }

    /// Runs `f` on the node's links, locked, leaving the lock state where
    /// it is (in the word, where others may change it meanwhile). For
    /// lookups below a node the caller holds.
    #[inline]
    pub(crate) fn with_links<R>(&self, f: impl FnOnce(&mut Links) -> R) -> R {
        let mut links = self.links.lock();
        let r = f(&mut links);
        self.note_kids(&links);
        r
    }

    /// Runs `f` on the node's links, locked, if its word is not inflated
    /// (`None` otherwise), leaving the lock state in the word. Then nobody
    /// waits at the node (a word holds no queue), so no rename watches it,
    /// and the word stays deflated until the lock is released.
    #[inline]
    pub(crate) fn with_links_deflated<R>(&self, f: impl FnOnce(&mut Links) -> R) -> Option<R> {
        let mut links = self.links.lock();
        if self.word.load(Ordering::Relaxed) & Word::INFLATED != 0 {
            return None;
        }
        let r = f(&mut links);
        self.note_kids(&links);
        Some(r)
    }

    /// Takes `node` out of `children`, the child map of `parent` (locked by
    /// the caller, at least its links), if it is unused (see
    /// [`Node::is_unused`]) and still that very child there; then retires
    /// it and runs `removed` before unlocking it. Whether it took it out.
    ///
    /// A node whose state is in its word is not unpacked: its word is
    /// inflated for good if it is free, and left alone if held.
    pub(crate) fn take_unused(
        node: &NodeRef,
        parent: &NodeRef,
        children: &mut Children,
        removed: impl FnOnce(),
    ) -> bool {
        let links = node.links.lock();
        let seen = node.word.load(Ordering::Relaxed);
        if seen != Word::FREE.0 {
            if seen & Word::INFLATED == 0 {
                // Held: in use.
                return false;
            }
            drop(links);
            return Node::take_unused_locked(node, parent, children, removed);
        }
        // Pins are added only under the parent's lock, which is held.
        if !links.children.is_empty() || node.is_pinned() || !links.is_child_of(Some(parent)) {
            return false;
        }
        let seen = node
            .log()
            .ordered(|| node.word.swap(Word::INFLATED, Ordering::AcqRel));
        if seen == Word::FREE.0 && children.remove_node(links.name.key(), node) {
            node.retire();
            removed();
            return true;
        }
        // Taken on its word since the look above (or not that child): the
        // state goes back, as the node was not retired (its word was
        // deflated).
        node.word.store(seen, Ordering::Release);
        false
    }

    /// [`Node::take_unused`] entered from the child, for collection's common
    /// case: `node` free on its word below a parent whose word is deflated.
    /// Locks the node's links first, which finds its parent without a
    /// second lock, then only tries the parent's: that is against the lock
    /// order (parent first), so it never waits. `None` when it cannot decide
    /// this way (the caller then goes the ordered way); otherwise what
    /// [`crate::table::Table`]'s `unlink` returns: the parent, if the
    /// removal left it seemingly unused, with its parent link.
    ///
    /// `held` is the node the caller holds above `node`, if any: if that is
    /// the parent, its release is the caller's to make, and it is not
    /// looked at.
    pub(crate) fn take_from_below(
        node: &NodeRef,
        held: Option<&NodeRef>,
        removed: impl FnOnce(),
    ) -> Option<Unlinked> {
        if !node.is_free() {
            return None;
        }
        let links = node.links.lock();
        let parent = links.parent.as_ref()?;
        let mut pl = parent.links.try_lock()?;
        if parent.word.load(Ordering::Relaxed) & Word::INFLATED != 0 {
            return None;
        }
        // Pins are added only under the parent's lock, which is held now.
        if !links.children.is_empty() || links.forward.is_some() || node.is_pinned() {
            return Some(None);
        }
        let seen = node
            .log()
            .ordered(|| node.word.swap(Word::INFLATED, Ordering::AcqRel));
        if seen != Word::FREE.0 || !pl.children.remove_node(links.name.key(), node) {
            // Taken on its word since the look above: the state goes back,
            // as the node was not retired.
            node.word.store(seen, Ordering::Release);
            return Some(None);
        }
        node.retire();
        removed();
        parent.note_kids(&pl);
        if held.is_some_and(|h| NodeArc::ptr_eq(h, parent)) {
            return Some(None);
        }
        let above = if parent.is_free_after_change() {
            parent.idle_parent(&pl)
        } else {
            None
        };
        Some(above.map(|above| (parent.clone(), Some(above))))
    }

    /// [`Node::take_unused`] for a node whose state is out of its word.
    #[cold]
    fn take_unused_locked(
        node: &NodeRef,
        parent: &NodeRef,
        children: &mut Children,
        removed: impl FnOnce(),
    ) -> bool {
        let mut g = node.lock();
        if !node.is_unused(&g)
            || !g.is_child_of(Some(parent))
            || !children.remove_node(g.name.key(), node)
        {
            return false;
        }
        g.retire();
        removed();
        true
    }

    /// Retires the node (see [`marks::RETIRED`]). Call with it locked (its
    /// links at least): `kids` is written only under that lock, so this
    /// needs no read-modify-write.
    #[inline]
    fn retire(&self) {
        let kids = self.kids.load(Ordering::Relaxed);
        self.kids.store(kids | marks::RETIRED, Ordering::Release);
    }

    /// Whether the node had children when last unlocked. (A node retired
    /// since its last release may still need collecting: not counted.)
    #[inline]
    pub(crate) fn has_kids(&self) -> bool {
        self.kids.load(Ordering::Acquire) & !marks::RETIRED != 0
    }

    /// Adds a pin. Call only with the parent's (or shard's) lock held.
    #[inline]
    pub(crate) fn pin(&self) {
        self.pins.fetch_add(marks::PIN, Ordering::Relaxed);
    }

    /// Removes a pin; the caller must then make the node used or collect it.
    #[inline]
    pub(crate) fn unpin(&self) {
        self.pins.fetch_sub(marks::PIN, Ordering::Release);
    }

    /// Whether a thread is about to lock the node.
    #[inline]
    fn is_pinned(&self) -> bool {
        self.pins.load(Ordering::Acquire) & !marks::CACHED != 0
    }

    /// Whether the node is in the idle cache.
    #[inline]
    pub(crate) fn is_cached(&self) -> bool {
        self.pins.load(Ordering::Relaxed) & marks::CACHED != 0
    }

    /// Marks the node cached; `false` if it already was.
    #[inline]
    pub(crate) fn mark_cached(&self) -> bool {
        self.pins.fetch_or(marks::CACHED, Ordering::Relaxed) & marks::CACHED == 0
    }

    /// The node left the cache.
    #[inline]
    pub(crate) fn unmark_cached(&self) {
        self.pins.fetch_and(!marks::CACHED, Ordering::Relaxed);
    }

    /// If nothing seems to refer to the node any more (not merged away
    /// either), its parent link (`None` at the top); a hint, which the
    /// removal checks again under the parent's lock. A node whose state is
    /// in its word is checked without touching the word.
    #[inline]
    pub(crate) fn unused_parent(&self) -> Option<Option<NodeRef>> {
        if self.word.load(Ordering::Acquire) == Word::FREE.0 {
            return self.with_links(|l| self.idle_parent(l));
        }
        let g = self.lock();
        let unused = self.is_unused(&g) && g.forward.is_none();
        unused.then(|| g.parent.clone())
    }

    /// [`Node::unused_parent`] with the links (`l`) locked, for a node seen
    /// free on its word (which is not looked at again).
    #[inline]
    pub(crate) fn idle_parent(&self, l: &Links) -> Option<Option<NodeRef>> {
        let unused = l.children.is_empty() && l.forward.is_none() && !self.is_pinned();
        unused.then(|| l.parent.clone())
    }

    /// Whether the node's word says it is free (nobody holds it there).
    #[inline]
    pub(crate) fn is_free(&self) -> bool {
        self.word.load(Ordering::Acquire) == Word::FREE.0
    }

    /// [`Node::is_free`] for a thread that has just changed the node's
    /// children (and so its child count) and decides from the answer
    /// whether to collect the node. A plain read may miss a release that
    /// is already under way, while that release's own read of the child
    /// count misses the change: then neither would collect the node. So a
    /// "held" answer is read again by a read-modify-write, which comes
    /// before or after any release in the word's order: before it, the
    /// release sees this thread's change; after it, this read sees the
    /// release.
    #[inline]
    pub(crate) fn is_free_after_change(&self) -> bool {
        self.is_free() || self.word.fetch_or(0, Ordering::AcqRel) == Word::FREE.0
    }

    /// Nothing refers to this node any more: it may leave the tree. Call
    /// with the node locked (`g`) and its parent locked.
    #[inline]
    pub(crate) fn is_unused(&self, g: &Locked<'_>) -> bool {
        g.state.is_idle() && g.children.is_empty() && !self.is_pinned()
    }

    /// Nobody holds, awaits or is about to lock this node, and it was not
    /// merged away (children aside). Call with the node locked (`g`).
    #[inline]
    pub(crate) fn is_vacant(&self, g: &Locked<'_>) -> bool {
        g.state.is_idle() && g.forward.is_none() && !self.is_pinned()
    }
}

impl Links {
    /// Whether `parent` is this node's parent (by identity).
    #[inline]
    pub(crate) fn is_child_of(&self, parent: Option<&NodeRef>) -> bool {
        match (&self.parent, parent) {
            (None, None) => true,
            (Some(a), Some(b)) => NodeArc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Whether this node is still the child `name` of `parent`, not merged
    /// away or renamed since it was looked up.
    #[inline]
    pub(crate) fn is_at(&self, parent: Option<&NodeRef>, name: &str) -> bool {
        self.forward.is_none() && self.is_child_of(parent) && self.name.is(Key::of(name))
    }
}

/// A new node's number in the event log.
#[cfg(feature = "events")]
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The node that now holds `node`'s holdings (itself unless merged away).
pub(crate) fn current(node: &NodeRef) -> NodeRef {
    let mut cur = node.clone();
    loop {
        let next = cur.lock().forward.clone();
        match next {
            Some(n) => cur = n,
            None => return cur,
        }
    }
}

/// Runs `f` on the node that now holds `node`'s holdings, locked.
#[inline]
pub(crate) fn with_current<R>(node: &NodeRef, f: impl FnOnce(&NodeRef, &mut Locked<'_>) -> R) -> R {
    let mut g = node.lock();
    match g.forward.clone() {
        None => f(node, &mut g),
        Some(next) => {
            drop(g);
            with_forwarded(next, f)
        }
    }
}

/// [`with_current`] for a node a rename merged away.
#[cold]
fn with_forwarded<R>(node: NodeRef, f: impl FnOnce(&NodeRef, &mut Locked<'_>) -> R) -> R {
    let mut cur = node;
    loop {
        let mut g = cur.lock();
        match g.forward.clone() {
            None => return f(&cur, &mut g),
            Some(n) => {
                drop(g);
                cur = n;
            }
        }
    }
}

/// The path of `node`, root first, joined with `sep`.
pub(crate) fn path_of(node: &NodeRef, sep: char) -> String {
    let mut names = Vec::new();
    let mut cur = Some(current(node));
    while let Some(n) = cur {
        let (name, parent) = {
            let g = n.lock();
            (g.name.to_string(), g.parent.clone())
        };
        names.push(name);
        cur = parent.map(|p| current(&p));
    }
    names.reverse();
    names.join(&sep.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(any(loom, feature = "shuttle")))]
    fn a_spare_node_is_reused_as_new() {
        let log = std::sync::Arc::default();
        let parent = Node::new(None, &Name::from("p"), &log);
        for (below, name) in [(Some(&parent), "b"), (None, "c")] {
            let node = Node::new(Some(&parent), &Name::from("a"), &log);
            node.lock().retire();
            node.pin();
            let at = NodeArc::as_ptr(&node);
            Node::recycle(node);
            assert_eq!(NodeArc::strong_count(&parent), 2, "the spare's parent");
            let again = Node::new(below, &Name::from(name), &log);
            assert_eq!(NodeArc::as_ptr(&again), at, "the spare's allocation");
            let links = usize::from(below.is_some());
            assert_eq!(NodeArc::strong_count(&parent), 1 + links, "{name}");
            assert!(again.is_free() && !again.is_pinned() && !again.has_kids());
            let g = again.lock();
            assert!(again.is_vacant(&g) && g.is_at(below, name));
        }
        let again = Node::new(None, &Name::from("b"), &log);
        // A node something else refers to is not kept.
        let kept = again.clone();
        Node::recycle(again);
        let other = Node::new(None, &Name::from("c"), &log);
        assert!(!NodeArc::ptr_eq(&other, &kept));
    }

    #[test]
    #[cfg(not(any(loom, feature = "shuttle")))]
    fn a_child_is_taken_from_below_only_when_idle_and_its_parent_is_free() {
        let log = std::sync::Arc::default();
        let top = Node::new(None, &Name::from("t"), &log);
        let parent = Node::new(Some(&top), &Name::from("p"), &log);
        let child = Node::new(Some(&parent), &Name::from("c"), &log);
        for (name, n) in [("p", &parent), ("c", &child)] {
            let above = if name == "p" { &top } else { &parent };
            above.with_links(|l| l.children.insert(Name::from(name), n.clone()));
        }
        let removed = std::cell::Cell::new(0);
        let note = || removed.set(removed.get() + 1);
        // The parent's links are busy: no waiting, the caller goes the
        // ordered way.
        let busy = parent.links.lock();
        assert!(Node::take_from_below(&child, None, note).is_none());
        drop(busy);
        // A held child is left to the ordered way (which finds it in use).
        let held = Word(1 | 1 << Word::OWNER_BITS);
        child.word.store(held.0, Ordering::Relaxed);
        assert!(Node::take_from_below(&child, None, note).is_none());
        assert_eq!(removed.get(), 0);
        assert!(parent.with_links(|l| l.children.contains_key(Key::of("c"))));
        child.word.store(Word::FREE.0, Ordering::Relaxed);
        // An idle child leaves; its parent, now unused, comes back with its
        // own parent link, to be collected next.
        let next = Node::take_from_below(&child, None, note).expect("decided from below");
        let (p, above) = next.expect("the parent is unused now");
        assert!(NodeArc::ptr_eq(&p, &parent));
        assert!(matches!(above, Some(Some(t)) if NodeArc::ptr_eq(&t, &top)));
        assert_eq!(removed.get(), 1);
        assert!(parent.with_links(|l| l.children.is_empty()));
        assert!(!child.is_free(), "retired: its word stays inflated");
        assert!(child.kids.load(Ordering::Relaxed) & marks::RETIRED != 0);
        // The top keeps the parent and the parent the top: unlinked here,
        // as the table does when it is dropped.
        drop(top.with_links(|l| l.children.take()));
    }

    #[test]
    #[cfg(not(any(loom, feature = "shuttle", feature = "events")))]
    fn a_node_fits_in_88_bytes() {
        // What a million held paths cost: the node block (plus the shared
        // pointer's two counts) is most of it.
        assert_eq!(std::mem::size_of::<Name>(), 16);
        assert_eq!(std::mem::size_of::<Links>(), 64);
        assert!(
            std::mem::size_of::<Node>() <= 88,
            "{}",
            std::mem::size_of::<Node>()
        );
    }
}
