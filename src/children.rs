//! A node's children by name: inline while there is one, a hash map
//! beyond.
//!
//! Most nodes have no child or one child in use: those cases must not
//! allocate a table, and a leaf's empty map must be small.

use hashbrown::HashMap;

use crate::node::{same_name, Name, NodeRef};

/// The children of one node.
#[derive(Debug, Default)]
pub(crate) enum Children {
    /// No child (no allocation).
    #[default]
    None,
    /// One child, inline.
    One(Name, NodeRef),
    /// Two or more children (boxed, so a leaf's map costs one word).
    Many(Box<HashMap<Name, NodeRef>>),
}

impl Children {
    /// The child called `name`.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<&NodeRef> {
        match self {
            Children::None => None,
            Children::One(k, n) => same_name(k, name).then_some(n),
            Children::Many(m) => m.get(name),
        }
    }

    /// Whether a child is called `name`.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Adds the child called `name`; returns the one it replaces.
    pub(crate) fn insert(&mut self, name: Name, node: NodeRef) -> Option<NodeRef> {
        match std::mem::take(self) {
            Children::None => {
                *self = Children::One(name, node);
                None
            }
            Children::One(k, old) if same_name(&k, &name) => {
                *self = Children::One(name, node);
                Some(old)
            }
            Children::One(k, other) => {
                let mut m = Box::new(HashMap::with_capacity(2));
                m.insert(k, other);
                m.insert(name, node);
                *self = Children::Many(m);
                None
            }
            Children::Many(mut m) => {
                let old = m.insert(name, node);
                *self = Children::Many(m);
                old
            }
        }
    }

    /// Removes the child called `name`.
    pub(crate) fn remove(&mut self, name: &str) -> Option<NodeRef> {
        match std::mem::take(self) {
            Children::None => None,
            Children::One(k, n) if same_name(&k, name) => Some(n),
            one @ Children::One(..) => {
                *self = one;
                None
            }
            Children::Many(mut m) => {
                let removed = m.remove(name);
                *self = match m.len() {
                    0 => Children::None,
                    1 => m
                        .drain()
                        .next()
                        .map_or(Children::None, |(k, n)| Children::One(k, n)),
                    _ => Children::Many(m),
                };
                removed
            }
        }
    }

    /// How many children there are.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Children::None => 0,
            Children::One(..) => 1,
            Children::Many(m) => m.len(),
        }
    }

    /// Whether there is no child.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Children::None => true,
            Children::One(..) => false,
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

    /// Every child node.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &NodeRef> + '_ {
        self.iter().map(|(_, n)| n)
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (&Name, &NodeRef)> + '_> {
        match self {
            Children::None => Box::new(std::iter::empty()),
            Children::One(k, n) => Box::new(std::iter::once((k, n))),
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
        (n.clone(), Node::new(None, n, &Default::default()))
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
        assert!(c.remove("zz").is_none());
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
    fn a_map_down_to_one_child_goes_back_inline() {
        let mut c = Children::default();
        for name in ["a", "b"] {
            let (k, n) = node(name);
            assert!(c.insert(k, n).is_none());
        }
        assert!(c.remove("a").is_some());
        assert!(matches!(c, Children::One(..)));
        assert!(c.contains_key("b") && !c.contains_key("a"));
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
