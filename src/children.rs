//! A node's children by name: a short vector while there are few, a hash
//! map beyond.
//!
//! Most nodes have no child or a handful: a leaf's empty set must cost no
//! allocation, and a directory of ten must not pay for a hash table (a
//! million held paths are as many nodes, so bytes per child count).

use hashbrown::HashMap;

use crate::name::{Key, Name};
use crate::node::NodeRef;
use crate::sync::NodeArc;

/// Children kept in a vector, searched linearly; one more moves them to a
/// map.
const FEW: usize = 32;

/// A map back down to this many children moves them back to a vector. Far
/// below [`FEW`], so that a directory whose entries come and go around
/// [`FEW`] does not move them back and forth at every change.
const SHRINK: usize = FEW / 4;

/// The children of one node.
#[derive(Debug)]
pub(crate) enum Children {
    /// At most [`FEW`] children, unordered; the vector starts with room for
    /// four, grows by half its length (at least four), and keeps its room
    /// when emptied (freed with the node).
    Few(Vec<(Name, NodeRef)>),
    /// More than [`SHRINK`] children (boxed, so the set costs one vector's
    /// room inline).
    Many(Box<HashMap<Name, NodeRef>>),
}

impl Default for Children {
    fn default() -> Self {
        Children::Few(Vec::new())
    }
}

impl Children {
    /// The child called `name`.
    #[inline]
    pub(crate) fn get(&self, name: Key<'_>) -> Option<&NodeRef> {
        match self {
            Children::Few(v) => v.iter().find(|(k, _)| k.is(name)).map(|(_, n)| n),
            Children::Many(m) => m.get(&name),
        }
    }

    /// Whether a child is called `name`.
    pub(crate) fn contains_key(&self, name: Key<'_>) -> bool {
        self.get(name).is_some()
    }

    /// Adds the child called `name`; returns the one it replaces.
    pub(crate) fn insert(&mut self, name: Name, node: NodeRef) -> Option<NodeRef> {
        if let Children::Few(v) = self {
            if let Some(i) = v.iter().position(|(k, _)| k.is(name.key())) {
                return Some(std::mem::replace(&mut v[i].1, node));
            }
        }
        match self {
            Children::Many(m) => m.insert(name, node),
            Children::Few(_) => {
                self.push_name(name, node);
                None
            }
        }
    }

    /// The child called `name`; if there is none, the one `make` makes for
    /// that name, added.
    #[inline]
    pub(crate) fn get_or_insert_with(
        &mut self,
        name: Key<'_>,
        make: impl FnOnce(&Name) -> NodeRef,
    ) -> NodeRef {
        if let Some(n) = self.get(name) {
            return n.clone();
        }
        // One name for the node and the map (a long one is shared).
        let name = Name::from(name);
        let node = make(&name);
        self.push_new(name, node.clone());
        node
    }

    /// Adds a child whose name is not taken.
    #[inline]
    fn push_new(&mut self, name: Name, node: NodeRef) {
        match self {
            Children::Few(v) if v.len() < v.capacity().min(FEW) => v.push((name, node)),
            _ => self.push_name(name, node),
        }
    }

    /// [`Children::push_new`] for a name made already, which also grows
    /// a full vector or moves it to a map.
    #[cold]
    fn push_name(&mut self, name: Name, node: NodeRef) {
        let v = match self {
            Children::Many(m) => {
                m.insert(name, node);
                return;
            }
            Children::Few(v) => v,
        };
        if v.len() == FEW {
            let mut m = Box::new(HashMap::with_capacity(2 * FEW));
            m.extend(v.drain(..));
            m.insert(name, node);
            *self = Children::Many(m);
            return;
        }
        if v.len() == v.capacity() {
            v.reserve_exact((v.len() / 2).max(4));
        }
        v.push((name, node));
    }

    /// Removes `node`, whose name is `name`, if it is a child here; whether
    /// it was. (A node is its parent's child under its own name only, so a
    /// vector is searched by identity alone.)
    #[inline]
    pub(crate) fn remove_node(&mut self, name: Key<'_>, node: &NodeRef) -> bool {
        let found = match self {
            Children::Few(v) => v
                .iter()
                .position(|(_, n)| NodeArc::ptr_eq(n, node))
                .map(|i| drop(v.swap_remove(i)))
                .is_some(),
            Children::Many(m) => m.get(&name).is_some_and(|n| NodeArc::ptr_eq(n, node)),
        };
        if found && matches!(self, Children::Many(_)) {
            self.remove(name);
        }
        found
    }

    /// Removes the child called `name`.
    pub(crate) fn remove(&mut self, name: Key<'_>) -> Option<NodeRef> {
        match self {
            Children::Few(v) => {
                let i = v.iter().position(|(k, _)| k.is(name))?;
                Some(v.swap_remove(i).1)
            }
            Children::Many(m) => {
                let removed = m.remove(&name);
                if m.len() <= SHRINK {
                    let few = m.drain().collect();
                    *self = Children::Few(few);
                }
                removed
            }
        }
    }

    /// How many children there are.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Children::Few(v) => v.len(),
            Children::Many(m) => m.len(),
        }
    }

    /// Whether there is no child.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The children's names.
    pub(crate) fn names(&self) -> Vec<Name> {
        self.iter().map(|(k, _)| k.clone()).collect()
    }

    /// Takes every child out.
    pub(crate) fn take(&mut self) -> Vec<(Name, NodeRef)> {
        match std::mem::take(self) {
            Children::Few(v) => v,
            Children::Many(m) => m.into_iter().collect(),
        }
    }

    /// Every child node.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &NodeRef> + '_ {
        self.iter().map(|(_, n)| n)
    }

    fn iter(&self) -> impl Iterator<Item = (&Name, &NodeRef)> + '_ {
        let (few, many) = match self {
            Children::Few(v) => (Some(v.iter().map(|(k, n)| (k, n))), None),
            Children::Many(m) => (None, Some(m.iter())),
        };
        few.into_iter().flatten().chain(many.into_iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Node;

    fn node(name: &str) -> (Name, NodeRef) {
        (
            Name::from(name),
            Node::new(None, &Name::from(name), &Default::default()),
        )
    }

    fn names(c: &Children) -> Vec<String> {
        let mut names: Vec<String> = c.names().iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_leaf_costs_one_vector_and_no_allocation() {
        assert_eq!(std::mem::size_of::<Children>(), 24);
        assert!(matches!(Children::default(), Children::Few(v) if v.capacity() == 0));
    }

    #[test]
    fn grows_into_a_map_and_shrinks_back() {
        let mut c = Children::default();
        let all: Vec<String> = (0..=FEW).map(|i| format!("c{i:02}")).collect();
        for name in &all {
            let (k, n) = node(name);
            assert!(c.insert(k, n).is_none());
        }
        assert!(matches!(c, Children::Many(_)), "{} children", FEW + 1);
        assert_eq!(names(&c), all);
        assert!(c.remove(Key::of("zz")).is_none());
        for name in &all {
            assert!(c.contains_key(Key::of(name)));
            assert!(c.remove(Key::of(name)).is_some());
            assert!(c.remove(Key::of(name)).is_none());
            assert!(!c.contains_key(Key::of(name)));
        }
        assert!(c.is_empty());
        assert!(matches!(c, Children::Few(_)), "back to a vector");
    }

    #[test]
    fn a_few_grow_by_half_their_length() {
        let mut c = Children::default();
        for i in 0..10 {
            let (k, n) = node(&format!("f{i}"));
            c.insert(k, n);
        }
        let Children::Few(v) = &c else {
            panic!("ten children stay in the vector")
        };
        assert_eq!(v.capacity(), 12, "4, 8, 12");
        assert_eq!(c.len(), 10);
    }

    #[test]
    fn insert_replaces_a_child_of_the_same_name() {
        let mut c = Children::default();
        let (k, first) = node("a");
        c.insert(k.clone(), first);
        let (_, second) = node("a");
        c.insert(k, second.clone());
        assert!(crate::sync::NodeArc::ptr_eq(
            c.get(Key::of("a")).unwrap(),
            &second
        ));
        assert_eq!(c.take().len(), 1);
        assert!(c.is_empty());
    }

    #[test]
    fn get_or_insert_makes_a_child_only_when_absent() {
        let mut c = Children::default();
        let mut made = 0;
        for _ in 0..2 {
            let n = c.get_or_insert_with(Key::of("a"), |k| {
                made += 1;
                Node::new(None, k, &Default::default())
            });
            assert!(crate::sync::NodeArc::ptr_eq(
                &n,
                c.get(Key::of("a")).unwrap()
            ));
        }
        assert_eq!(made, 1);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_long_name_is_one_allocation_for_the_node_and_the_map() {
        let mut c = Children::default();
        let long = "a-component-longer-than-fifteen-bytes";
        let n = c.get_or_insert_with(Key::of(long), |k| Node::new(None, k, &Default::default()));
        let Children::Few(v) = &c else {
            panic!("one child stays in the vector")
        };
        assert!(n.with_links(|l| l.name.shares_allocation_with(&v[0].0)));
    }

    #[test]
    fn remove_node_removes_only_that_very_node() {
        for count in [3, FEW + 2] {
            let mut c = Children::default();
            for i in 0..count {
                let (k, n) = node(&format!("c{i}"));
                c.insert(k, n);
            }
            let (_, stranger) = node("c1");
            assert!(
                !c.remove_node(Key::of("c1"), &stranger),
                "same name, other node"
            );
            let child = c.get(Key::of("c1")).unwrap().clone();
            assert!(c.remove_node(Key::of("c1"), &child));
            assert!(!c.remove_node(Key::of("c1"), &child), "already gone");
            assert_eq!(c.len(), count - 1);
        }
    }
}
