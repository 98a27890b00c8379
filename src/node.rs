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
//! Otherwise it lives in `data.state`, behind the node's lock, and the word
//! says [`Word::INFLATED`]. Locking a node always inflates it, so code
//! holding a [`Locked`] node sees the whole state; unlocking deflates it again
//! when it fits, unless the node is retired (out of the tree, or moved by a
//! rename), which keeps every later fast attempt on it failing.

use std::ops::{Deref, DerefMut};

use crate::children::Children;
use crate::events::Log;
use hilok_core::{NodeState, Word};

use crate::sync::{Arc, AtomicBool, AtomicU32, AtomicU64, Mutex, MutexGuard, Ordering};
use crate::waiter::Token;

/// A shared node.
pub(crate) type NodeRef = Arc<Node>;

/// The nodes one acquisition took, root first: the leaf is the last.
pub(crate) type Chain = smallvec::SmallVec<[NodeRef; 4]>;

/// A path component, stored once: the node's name and its parent's map key
/// are the same allocation. (Immutable data, not a synchronisation
/// primitive: a plain std `Arc`.)
pub(crate) type Name = std::sync::Arc<str>;

/// A locked node's data, its state inflated; deflated again on drop.
pub(crate) struct Locked<'a> {
    node: &'a Node,
    data: MutexGuard<'a, NodeData>,
}

impl Deref for Locked<'_> {
    type Target = NodeData;

    #[inline]
    fn deref(&self) -> &NodeData {
        &self.data
    }
}

impl DerefMut for Locked<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut NodeData {
        &mut self.data
    }
}

impl Drop for Locked<'_> {
    #[inline]
    fn drop(&mut self) {
        self.node.publish(&self.data);
    }
}

/// One path prefix that someone holds, awaits, or is about to use.
#[derive(Debug)]
pub(crate) struct Node {
    /// A number naming the node in the event log (`events` feature).
    #[cfg(feature = "events")]
    id: u64,
    /// The event log, whose order lock inflation takes (`events` feature).
    #[cfg(feature = "events")]
    log: std::sync::Arc<Log>,
    /// The lock state as a [`Word`] while it fits; [`Word::INFLATED`] while
    /// it lives in `data.state`. Inflated and deflated only under `data`'s
    /// lock; changed otherwise only by compare-and-swap from a deflated value.
    pub(crate) word: AtomicU64,
    /// Threads that found this node in its parent's map and are about to
    /// lock it. Only ever raised under the parent's lock (or the top-level
    /// shard's), so a node seen unused under its parent's lock stays unused.
    pins: AtomicU32,
    /// How many children `data` had when it was last unlocked: lets a
    /// release that did not lock the node see whether it left an idle leaf.
    pub(crate) kids: AtomicU32,
    /// Set while the node is in the idle cache ([`crate::cache`]), so that it
    /// is put there once however often it falls out of use.
    pub(crate) cached: AtomicBool,
    /// Everything else, behind the node's own lock.
    data: Mutex<NodeData>,
}

/// The part of a node behind its lock.
#[derive(Debug)]
pub(crate) struct NodeData {
    /// Holders and waiters, as the core keeps them.
    pub(crate) state: NodeState<Token>,
    /// The node one level up; `None` for a top-level node.
    pub(crate) parent: Option<NodeRef>,
    /// The last component of this node's path.
    pub(crate) name: Name,
    /// Nodes one level down, by name.
    pub(crate) children: Children,
    /// Set when a rename merged this node into another: its holdings are
    /// there now. Never unset.
    pub(crate) forward: Option<NodeRef>,
    /// Set when the node left the tree or a rename moved it: its word stays
    /// inflated for good, so paths remembered through it are not trusted.
    pub(crate) retired: bool,
}

impl Node {
    /// A node with no holder, below `parent`, reporting to `log`.
    pub(crate) fn new(parent: Option<NodeRef>, name: Name, log: &std::sync::Arc<Log>) -> NodeRef {
        #[cfg(not(feature = "events"))]
        let _ = log;
        Arc::new(Node {
            #[cfg(feature = "events")]
            log: log.clone(),
            #[cfg(feature = "events")]
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            word: AtomicU64::new(Word::FREE.0),
            pins: AtomicU32::new(0),
            kids: AtomicU32::new(0),
            cached: AtomicBool::new(false),
            data: Mutex::new(NodeData {
                state: NodeState::new(),
                parent,
                name,
                children: Children::default(),
                forward: None,
                retired: false,
            }),
        })
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

    /// Locks the node, with its whole state in `data.state`.
    #[inline]
    pub(crate) fn lock(&self) -> Locked<'_> {
        let mut data = self.data.lock();
        self.inflate(&mut data);
        Locked { node: self, data }
    }

    /// Moves the state out of the word into `data` (locked). After this no
    /// compare-and-swap on the word can succeed until [`Node::publish`].
    #[inline]
    fn inflate(&self, data: &mut NodeData) {
        if self.word.load(Ordering::Relaxed) & Word::INFLATED != 0 {
            return;
        }
        let w = Word(
            self.log()
                .ordered(|| self.word.swap(Word::INFLATED, Ordering::AcqRel)),
        );
        if let Some(state) = NodeState::unpack(w) {
            data.state = state;
        }
    }

    /// Before `data` is unlocked: moves the state back into the word if it
    /// fits and the node is not retired, and records the child count.
    #[inline]
    fn publish(&self, data: &NodeData) {
        self.kids
            .store(data.children.len() as u32, Ordering::Release);
        if data.retired {
            return;
        }
        if let Some(w) = data.state.pack() {
            self.word.store(w.0, Ordering::Release);
        }
    }

    /// Adds a pin. Call only with the parent's (or shard's) lock held.
    #[inline]
    pub(crate) fn pin(&self) {
        self.pins.fetch_add(1, Ordering::Relaxed);
    }

    /// Removes a pin; the caller must then make the node used or collect it.
    #[inline]
    pub(crate) fn unpin(&self) {
        self.pins.fetch_sub(1, Ordering::Release);
    }

    /// Nothing refers to this node any more: it may leave the tree. Call
    /// with the node locked (`data`) and its parent locked.
    #[inline]
    pub(crate) fn is_unused(&self, data: &NodeData) -> bool {
        data.state.is_idle() && data.children.is_empty() && self.pins.load(Ordering::Acquire) == 0
    }
}

impl Node {
    /// Nobody holds, awaits or is about to lock this node, and it was not
    /// merged away (children aside). Call with the node locked (`data`).
    #[inline]
    pub(crate) fn is_vacant(&self, data: &NodeData) -> bool {
        data.state.is_idle() && data.forward.is_none() && self.pins.load(Ordering::Acquire) == 0
    }
}

impl NodeData {
    /// Whether `parent` is this node's parent (by identity).
    #[inline]
    pub(crate) fn is_child_of(&self, parent: Option<&NodeRef>) -> bool {
        match (&self.parent, parent) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Whether this node is still the child `name` of `parent`, not merged
    /// away or renamed since it was looked up.
    #[inline]
    pub(crate) fn is_at(&self, parent: Option<&NodeRef>, name: &str) -> bool {
        self.forward.is_none() && self.is_child_of(parent) && same_name(&self.name, name)
    }
}

/// Whether two path components are equal. Components are short: a byte
/// loop beats a call to `memcmp`.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
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
pub(crate) fn with_current<R>(node: &NodeRef, f: impl FnOnce(&NodeRef, &mut NodeData) -> R) -> R {
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
fn with_forwarded<R>(node: NodeRef, f: impl FnOnce(&NodeRef, &mut NodeData) -> R) -> R {
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
