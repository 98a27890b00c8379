//! A node of the lock tree as the runtime stores it.
//!
//! The lock decisions live in [`NodeState`] (from `hilok-core`); a node adds
//! where it hangs in the tree, so that a path costs one hash lookup per level
//! under a lock the acquisition takes anyway, and so that a rename can move a
//! whole subtree by re-linking one node.

use hashbrown::HashMap;
use hilok_core::NodeState;

use crate::sync::{Arc, ArcMutexGuard, Mutex};
use crate::waiter::Token;

/// A shared, lockable node.
pub(crate) type NodeRef = Arc<Mutex<Node>>;

/// A locked node that owns its reference (so locks can be handed over).
pub(crate) type Locked = ArcMutexGuard<Node>;

/// One path prefix that someone holds, awaits, or is renaming.
#[derive(Debug)]
pub(crate) struct Node {
    /// Holders and waiters, as the core keeps them.
    pub(crate) state: NodeState<Token>,
    /// The node one level up; `None` for a top-level node.
    pub(crate) parent: Option<NodeRef>,
    /// The last component of this node's path.
    pub(crate) name: Box<str>,
    /// Nodes one level down, by name.
    pub(crate) children: HashMap<Box<str>, NodeRef>,
    /// Set when a rename merged this node into another: holders of guards
    /// whose leaf was here find their holdings there.
    pub(crate) forward: Option<NodeRef>,
    /// Renames in progress that need this node to stay in the tree.
    pub(crate) pins: u32,
}

impl Node {
    /// A node with no holder, below `parent`.
    pub(crate) fn new(parent: Option<NodeRef>, name: &str) -> NodeRef {
        Arc::new(Mutex::new(Node {
            state: NodeState::new(),
            parent,
            name: name.into(),
            children: HashMap::new(),
            forward: None,
            pins: 0,
        }))
    }

    /// Nothing refers to this node any more: it may leave the tree.
    #[inline]
    pub(crate) fn is_unused(&self) -> bool {
        self.state.is_idle() && self.children.is_empty() && self.pins == 0
    }

    /// Whether `parent` is this node's parent (by identity).
    #[inline]
    pub(crate) fn is_child_of(&self, parent: Option<&NodeRef>) -> bool {
        match (&self.parent, parent) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The reference a locked node was locked through.
#[inline]
pub(crate) fn node_of(g: &Locked) -> &NodeRef {
    ArcMutexGuard::mutex(g)
}

/// Locks `node`, following merge forwards to the node that now holds its
/// holdings.
pub(crate) fn lock_current(node: &NodeRef) -> Locked {
    let mut g = node.lock_arc();
    while let Some(next) = g.forward.clone() {
        drop(g);
        g = next.lock_arc();
    }
    g
}

/// The path of `node`, root first, joined with `sep`.
pub(crate) fn path_of(node: &NodeRef, sep: char) -> String {
    let mut names = Vec::new();
    let mut cur = lock_current(node);
    loop {
        names.push(cur.name.to_string());
        let Some(p) = cur.parent.clone() else { break };
        drop(cur);
        cur = p.lock_arc();
    }
    names.reverse();
    names.join(&sep.to_string())
}
