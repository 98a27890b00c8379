//! A deliberately simple reference implementation of `docs/semantics.md`
//! for try-once and zero-timeout calls.
//!
//! It is written from the specification, independently of `hilok-core`: the
//! only state is the list of guards (owner, path, mode, whether still held);
//! what each owner holds on a node is recomputed from them on every question.
//! No call ever waits, so no request is ever queued: a request that would
//! have to wait fails with `WouldBlock` (try) or `Timeout` (zero timeout).
//! Owners are plain numbers.

mod holdings;
pub mod path;
mod reentry;
mod rename;

use std::collections::{BTreeMap, BTreeSet};

use hilok::Error;

pub use holdings::{Held, NodeHoldings};
pub use path::Components;
pub use reentry::{reentry, Recursion, Reentry};

/// The loose-release flag bits, as in `hilok::Flags`.
const LOOSE_READ_UNLOCK: u32 = 8;
const LOOSE_WRITE_UNLOCK: u32 = 16;

/// How long a call may wait: not at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// A try-once call (`try_read`, `try_write`, `try_rename`).
    Try,
    /// A timed call with a zero timeout (`read_for`, `write_for`, `rename_for`).
    ZeroTimeout,
}

impl Wait {
    /// The error of a call that would have to wait.
    pub fn blocked(self) -> Error {
        match self {
            Wait::Try => Error::WouldBlock,
            Wait::ZeroTimeout => Error::Timeout,
        }
    }
}

/// Where a guard stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardState {
    /// It holds its lock.
    Held,
    /// `release()` succeeded; the guard object still exists.
    Released,
    /// The guard object was dropped (which always releases).
    Dropped,
}

/// One guard the reference handed out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardRecord {
    /// The owner that acquired it.
    pub owner: usize,
    /// Its path now (renames move it).
    pub path: Components,
    /// Whether it is a write guard.
    pub write: bool,
    /// Whether it still holds.
    pub state: GuardState,
}

/// What `status(path)` reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusView {
    /// Owners holding the node shared only.
    pub readers: usize,
    /// Owners holding it exclusive.
    pub writers: usize,
    /// Waiting requests (always 0: nothing here ever waits).
    pub waiting: usize,
}

/// The errors a refused call may answer; more than one only where the
/// runtime's choice among them is unspecified.
pub type Allowed = Vec<Error>;

/// A lock manager, as the specification describes it.
#[derive(Clone, Debug)]
pub struct Reference {
    sep: char,
    recursion: Recursion,
    flags: u32,
    guards: Vec<GuardRecord>,
}

impl Reference {
    /// A manager with separator `sep` and the flag value `flags` (as
    /// `hilok::Flags::bits`).
    pub fn new(sep: char, flags: u32) -> Self {
        Reference {
            sep,
            recursion: Recursion::from_flag_bits(flags),
            flags,
            guards: Vec::new(),
        }
    }

    /// Every guard handed out so far, by id (the order of acquisition).
    pub fn guards(&self) -> &[GuardRecord] {
        &self.guards
    }

    /// The path guard `id` holds now, joined with the separator; `None` once
    /// released.
    pub fn guard_path(&self, id: usize) -> Option<String> {
        let g = &self.guards[id];
        (g.state == GuardState::Held).then(|| g.path.join(&self.sep.to_string()))
    }

    fn held_guards(&self) -> impl Iterator<Item = &GuardRecord> {
        self.guards.iter().filter(|g| g.state == GuardState::Held)
    }

    /// What each owner holds on `node`.
    pub fn holdings(&self, node: &[String]) -> NodeHoldings {
        self.along(node).pop().unwrap_or_default()
    }

    /// What each owner holds on each node of `path`: entry `k` is for the
    /// prefix of `k + 1` components. (One pass over the guards, so that paths
    /// at the depth bound stay cheap.)
    pub fn along(&self, path: &[String]) -> Vec<NodeHoldings> {
        let mut out = vec![NodeHoldings::new(); path.len()];
        for g in self.held_guards() {
            let common = g.path.iter().zip(path).take_while(|(a, b)| a == b).count();
            for (k, node) in out.iter_mut().enumerate().take(common) {
                let h = node.entry(g.owner).or_default();
                if g.write && g.path.len() == k + 1 {
                    h.exclusive += 1;
                } else {
                    h.shared += 1;
                }
            }
        }
        out
    }

    /// Whether a node exists at `node`: something at or below it is held.
    pub fn exists(&self, node: &[String]) -> bool {
        self.held_guards().any(|g| path::is_prefix(node, &g.path))
    }

    /// The names of the nodes one level below `node`.
    pub fn children(&self, node: &[String]) -> BTreeSet<String> {
        self.held_guards()
            .filter(|g| g.path.len() > node.len() && path::is_prefix(node, &g.path))
            .map(|g| g.path[node.len()].clone())
            .collect()
    }

    /// The tree of nodes: every prefix of every held path.
    fn tree(&self) -> Tree {
        let mut root = Tree::default();
        for g in self.held_guards() {
            let mut t = &mut root;
            for name in &g.path {
                t = t.0.entry(name.clone()).or_default();
            }
        }
        root
    }

    /// The nodes at most `max_depth` components deep.
    pub fn nodes(&self, max_depth: usize) -> Vec<Components> {
        let mut out = Vec::new();
        self.tree().walk(&mut Vec::new(), max_depth, &mut out);
        out
    }

    /// How many nodes exist.
    pub fn node_count(&self) -> usize {
        self.tree().size()
    }

    /// `try_read` / `read_for(0)` (`write == false`) or `try_write` /
    /// `write_for(0)` by `owner`; the new guard's id on success.
    pub fn lock(
        &mut self,
        owner: usize,
        path: &str,
        write: bool,
        wait: Wait,
    ) -> Result<usize, Error> {
        let components = path::parse(path, self.sep)?;
        for (k, node) in self.along(&components).into_iter().enumerate() {
            let asks_exclusive = write && k + 1 == components.len();
            request(self.recursion, owner, node, asks_exclusive, wait)?;
        }
        self.guards.push(GuardRecord {
            owner,
            path: components,
            write,
            state: GuardState::Held,
        });
        Ok(self.guards.len() - 1)
    }

    /// Guard `id`'s `release()` called on owner `by`'s thread.
    pub fn release(&mut self, by: usize, id: usize) -> Result<(), Error> {
        let loose = if self.guards[id].write {
            LOOSE_WRITE_UNLOCK
        } else {
            LOOSE_READ_UNLOCK
        };
        let g = &mut self.guards[id];
        if g.state != GuardState::Held {
            return Err(Error::NotHeld);
        }
        if by != g.owner && self.flags & loose == 0 {
            return Err(Error::WrongThread);
        }
        g.state = GuardState::Released;
        Ok(())
    }

    /// Guard `id` dropped (on any thread): it releases if it still held.
    pub fn drop_guard(&mut self, id: usize) {
        self.guards[id].state = GuardState::Dropped;
    }

    /// `status(path)`.
    pub fn status(&self, path: &str) -> Result<StatusView, Error> {
        let node = path::parse(path, self.sep)?;
        let mut s = StatusView::default();
        for h in self.holdings(&node).values() {
            if h.is_exclusive() {
                s.writers += 1;
            } else {
                s.readers += 1;
            }
        }
        Ok(s)
    }
}

/// One node's request, given what each owner holds there: fresh, or
/// re-entry by the table.
fn request(
    recursion: Recursion,
    owner: usize,
    mut others: NodeHoldings,
    asks_exclusive: bool,
    wait: Wait,
) -> Result<(), Error> {
    let mine = others.remove(&owner).unwrap_or_default();
    let asked = if asks_exclusive {
        Held {
            shared: 0,
            exclusive: 1,
        }
    } else {
        Held {
            shared: 1,
            exclusive: 0,
        }
    };
    let compatible = others.values().all(|h| asked.coexists_with(h));
    if mine.is_empty() {
        return if compatible {
            Ok(())
        } else {
            Err(wait.blocked())
        };
    }
    match reentry(recursion, mine.is_exclusive(), asks_exclusive) {
        Reentry::Grant => Ok(()),
        Reentry::Refuse => Err(Error::WouldDeadlock),
        Reentry::Escalate if compatible => Ok(()),
        Reentry::Escalate => Err(wait.blocked()),
    }
}

/// The node tree, by name.
#[derive(Default)]
struct Tree(BTreeMap<String, Tree>);

impl Tree {
    fn size(&self) -> usize {
        self.0.values().map(|t| 1 + t.size()).sum()
    }

    fn walk(&self, at: &mut Components, max_depth: usize, out: &mut Vec<Components>) {
        if at.len() == max_depth {
            return;
        }
        for (name, t) in &self.0 {
            at.push(name.clone());
            out.push(at.clone());
            t.walk(at, max_depth, out);
            at.pop();
        }
    }
}

#[cfg(test)]
mod tests;
