//! The reference design's node map, guarded by its one global mutex.

use std::sync::Arc;

use hashbrown::{Equivalent, HashMap};

use super::rwlock::ReaderPrefRwLock;

/// The parent id of top-level nodes.
pub const ROOT: usize = usize::MAX;

/// A map key borrowed from the path being locked.
#[derive(Hash)]
struct KeyRef<'a>(usize, &'a str);

impl Equivalent<(usize, Arc<str>)> for KeyRef<'_> {
    fn equivalent(&self, key: &(usize, Arc<str>)) -> bool {
        self.0 == key.0 && self.1 == &*key.1
    }
}

/// One node: where it hangs, how many threads use it, and its lock.
struct Node {
    parent: usize,
    name: Arc<str>,
    users: usize,
    lock: Arc<ReaderPrefRwLock>,
}

/// Nodes by `(parent id, name)`, stored in a slab indexed by id.
#[derive(Default)]
pub struct Table {
    ids: HashMap<(usize, Arc<str>), usize>,
    slab: Vec<Option<Node>>,
    free: Vec<usize>,
}

impl Table {
    /// Nodes in the map.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The id of the existing child `name` of `parent`.
    pub fn find(&self, parent: usize, name: &str) -> Option<usize> {
        self.ids.get(&KeyRef(parent, name)).copied()
    }

    /// Finds or creates the child `name` of `parent`, counts one more user,
    /// and returns its id and lock.
    pub fn enter(&mut self, parent: usize, name: &str) -> (usize, Arc<ReaderPrefRwLock>) {
        let id = match self.find(parent, name) {
            Some(id) => id,
            None => self.create(parent, name),
        };
        let node = self.slab[id].as_mut().expect("live node");
        node.users += 1;
        (id, node.lock.clone())
    }

    fn create(&mut self, parent: usize, name: &str) -> usize {
        let name: Arc<str> = name.into();
        let node = Node {
            parent,
            name: name.clone(),
            users: 0,
            lock: Arc::new(ReaderPrefRwLock::new()),
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.slab[id] = Some(node);
                id
            }
            None => {
                self.slab.push(Some(node));
                self.slab.len() - 1
            }
        };
        self.ids.insert((parent, name), id);
        id
    }

    /// Unlocks node `id` (exclusive if `Some(true)`, shared if
    /// `Some(false)`, not at all if `None`), counts one user less, erases it
    /// when unused, and returns its parent id.
    pub fn leave(&mut self, id: usize, unlock: Option<bool>) -> usize {
        let node = self.slab[id].as_mut().expect("live node");
        match unlock {
            Some(true) => node.lock.unlock_write(),
            Some(false) => node.lock.unlock_read(),
            None => {}
        }
        node.users -= 1;
        let parent = node.parent;
        if node.users == 0 {
            let node = self.slab[id].take().expect("live node");
            // A rename may have put another node under this name: leave it.
            if let Some((key, other)) = self.ids.remove_entry(&KeyRef(node.parent, &node.name)) {
                if other != id {
                    self.ids.insert(key, other);
                }
            }
            self.free.push(id);
        }
        parent
    }

    /// Re-keys the child `old` of `parent` as `new` (overwriting any node
    /// there, as the original does); `false` if there is no `old`, which
    /// happens when the caller waited at a node that another thread renamed
    /// away meanwhile (the original raises "rename source lock not found").
    pub fn rename(&mut self, parent: usize, old: &str, new: &str) -> bool {
        let Some(id) = self.ids.remove(&KeyRef(parent, old)) else {
            return false;
        };
        let name: Arc<str> = new.into();
        self.slab[id].as_mut().expect("live node").name = name.clone();
        self.ids.insert((parent, name), id);
        true
    }
}
