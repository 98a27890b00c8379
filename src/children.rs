//! A node's children by name: inline while there are few, a hash map
//! beyond.
//!
//! Most nodes on a path have one child in use, and a node is created on
//! every first use, so the common case must not allocate a table.

use hashbrown::HashMap;
use smallvec::SmallVec;

use crate::node::{Name, NodeRef};

/// Children kept inline before switching to a hash map.
const INLINE: usize = 2;

/// The children of one node.
#[derive(Debug, Default)]
pub(crate) enum Children {
    /// No child (no allocation).
    #[default]
    None,
    /// Up to [`INLINE`] children, searched in order.
    Few(SmallVec<[(Name, NodeRef); INLINE]>),
    /// Many children.
    Many(HashMap<Name, NodeRef>),
}

impl Children {
    /// The child called `name`.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<&NodeRef> {
        match self {
            Children::None => None,
            Children::Few(v) => v.iter().find(|(k, _)| **k == *name).map(|(_, n)| n),
            Children::Many(m) => m.get(name),
        }
    }

    /// Whether a child is called `name`.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Adds the child called `name`; returns the one it replaces.
    pub(crate) fn insert(&mut self, name: Name, node: NodeRef) -> Option<NodeRef> {
        let old = self.remove(&name);
        match self {
            Children::None => *self = Children::Few(smallvec::smallvec![(name, node)]),
            Children::Few(v) if v.len() < INLINE => v.push((name, node)),
            Children::Few(v) => {
                let mut m: HashMap<Name, NodeRef> = v.drain(..).collect();
                m.insert(name, node);
                *self = Children::Many(m);
            }
            Children::Many(m) => {
                m.insert(name, node);
            }
        }
        old
    }

    /// Removes the child called `name`.
    pub(crate) fn remove(&mut self, name: &str) -> Option<NodeRef> {
        let removed = match self {
            Children::None => None,
            Children::Few(v) => {
                let i = v.iter().position(|(k, _)| **k == *name)?;
                Some(v.swap_remove(i).1)
            }
            Children::Many(m) => m.remove(name),
        };
        if self.is_empty() {
            *self = Children::None;
        }
        removed
    }

    /// Whether there is no child.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Children::None => true,
            Children::Few(v) => v.is_empty(),
            Children::Many(m) => m.is_empty(),
        }
    }

    /// The children's names.
    pub(crate) fn names(&self) -> Vec<Name> {
        self.iter().map(|(k, _)| k.clone()).collect()
    }

    /// Takes every child out.
    pub(crate) fn take(&mut self) -> Vec<(Name, NodeRef)> {
        let all = self.iter().map(|(k, n)| (k.clone(), n.clone())).collect();
        *self = Children::None;
        all
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (&Name, &NodeRef)> + '_> {
        match self {
            Children::None => Box::new(std::iter::empty()),
            Children::Few(v) => Box::new(v.iter().map(|(k, n)| (k, n))),
            Children::Many(m) => Box::new(m.iter()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Node;

    fn node(name: &str) -> (Name, NodeRef) {
        let n = Name::from(name);
        (n.clone(), Node::new(None, n))
    }

    #[test]
    fn grows_past_the_inline_room_and_shrinks_back() {
        let mut c = Children::default();
        assert!(c.is_empty());
        for name in ["a", "b", "c", "d"] {
            let (k, n) = node(name);
            c.insert(k, n);
        }
        assert!(matches!(c, Children::Many(_)));
        let mut names = c.names();
        names.sort();
        assert_eq!(
            names.iter().map(|n| &**n).collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        for name in ["a", "b", "c", "d"] {
            assert!(c.contains_key(name));
            assert!(c.remove(name).is_some());
            assert!(c.remove(name).is_none());
        }
        assert!(c.is_empty());
        assert!(matches!(c, Children::None));
    }

    #[test]
    fn insert_replaces_a_child_of_the_same_name() {
        let mut c = Children::default();
        let (k, first) = node("a");
        c.insert(k.clone(), first);
        let (_, second) = node("a");
        c.insert(k, second.clone());
        assert!(std::sync::Arc::ptr_eq(c.get("a").unwrap(), &second));
        assert_eq!(c.take().len(), 1);
        assert!(c.is_empty());
    }
}
