//! The replayed table: each node's core state and where it hangs.

use std::collections::HashMap;

use hilok_core::{Mode, NodeState};
use hilok_model::properties::{NodeView, OwnerView, Snapshot};

/// Replayed state: the core state of every node, and the tree.
#[derive(Debug, Default)]
pub struct Replay {
    nodes: HashMap<u64, NodeState<u64>>,
    tree: HashMap<u64, (Option<u64>, String)>,
}

impl Replay {
    /// Nodes still present.
    pub fn nodes(&self) -> usize {
        self.nodes.len()
    }

    pub(super) fn has(&self, node: u64) -> bool {
        self.nodes.contains_key(&node)
    }

    pub(super) fn state(&mut self, node: u64) -> Result<&mut NodeState<u64>, String> {
        self.nodes
            .get_mut(&node)
            .ok_or_else(|| format!("node {node} is not in the tree"))
    }

    pub(super) fn create(
        &mut self,
        node: u64,
        parent: Option<u64>,
        name: &str,
    ) -> Result<(), String> {
        if self.nodes.insert(node, NodeState::new()).is_some() {
            return Err("created twice".into());
        }
        self.tree.insert(node, (parent, name.to_string()));
        Ok(())
    }

    pub(super) fn remove(&mut self, node: u64) -> Result<(), String> {
        if !self.state(node)?.is_idle() {
            return Err("removed while held or awaited".into());
        }
        if self.tree.values().any(|(p, _)| *p == Some(node)) {
            return Err("removed while it has children".into());
        }
        self.nodes.remove(&node);
        self.tree.remove(&node);
        Ok(())
    }

    pub(super) fn relink(
        &mut self,
        node: u64,
        parent: Option<u64>,
        name: &str,
    ) -> Result<(), String> {
        self.state(node)?;
        self.tree.insert(node, (parent, name.to_string()));
        Ok(())
    }

    /// `node` merged into `into`: its holders went there by a transfer, its
    /// children hang below `into` now.
    pub(super) fn merge(&mut self, node: u64, into: u64) -> Result<(), String> {
        drop(self.state(node)?.take_holders());
        if !self.state(node)?.is_idle() {
            return Err("merged while still awaited".into());
        }
        for (p, _) in self.tree.values_mut() {
            if *p == Some(node) {
                *p = Some(into);
            }
        }
        self.nodes.remove(&node);
        self.tree.remove(&node);
        Ok(())
    }

    /// The path of `node`, root first, joined with `/`.
    fn path(&self, node: u64) -> String {
        let mut out = Vec::new();
        let mut cur = Some(node);
        while let Some((p, name)) = cur.and_then(|n| self.tree.get(&n)) {
            out.push(name.as_str());
            cur = *p;
        }
        out.reverse();
        out.join("/")
    }

    /// The replayed table as the model's [`Snapshot`]: each node holding of
    /// an owner is a one-node lock on that node's path (the model's partial
    /// holdings), so the model's path-level predicates judge it.
    pub fn snapshot(&self) -> Snapshot {
        let mut owners: Vec<OwnerView> = Vec::new();
        let mut nodes = Vec::new();
        for (id, s) in &self.nodes {
            let path = self.path(*id);
            for h in s.holders() {
                let i = owners
                    .iter()
                    .position(|o| o.id == h.owner.0)
                    .unwrap_or_else(|| {
                        owners.push(OwnerView {
                            id: h.owner.0,
                            ..OwnerView::default()
                        });
                        owners.len() - 1
                    });
                let mode = h.counts.effective().unwrap_or(Mode::Shared);
                owners[i].partial.push((path.clone(), mode));
            }
            nodes.push(NodeView {
                path,
                holders: s.holders().iter().map(|h| (h.owner.0, h.counts)).collect(),
                queue: s.queue().map(|e| (e.owner.0, e.want)).collect(),
            });
        }
        Snapshot {
            nodes,
            owners,
            terminal: false,
        }
    }
}
