//! The refinement check: replays the runtime's event log on fresh core
//! states and judges every step.
//!
//! The runtime (feature `events`) records each core transition it applies,
//! under the node's lock, so the log is in the order things happened. The
//! replay applies the same core call to its own copy of that node's state:
//! the recorded answer and wake-ups must be the ones the core gives (a
//! runtime that wakes the wrong thread, skips a wake or applies steps out of
//! order fails here). After every step the invariants must hold: exclusion on
//! paths, no fresh grant overtaking a conflicting waiter, no node removed
//! while in use.

use std::collections::HashMap;

use hilok::Event;
use hilok_core::{Cancel, Decision, Mode, NodeState, OwnerId, Transfer, TransferCheck, Wakeups};

/// Replayed state: the core state of every node, and the tree.
#[derive(Default)]
pub struct Replay {
    nodes: HashMap<u64, NodeState<u64>>,
    tree: HashMap<u64, (Option<u64>, String)>,
    steps: usize,
}

impl Replay {
    /// Applies every event in order; panics at the first illegal step or
    /// broken invariant, naming the step.
    pub fn check(events: &[Event]) -> Replay {
        let mut r = Replay::default();
        for (i, e) in events.iter().enumerate() {
            r.apply(e)
                .unwrap_or_else(|why| panic!("step {i} {e:?}: {why}\nlog: {events:#?}"));
            if let Err(why) = r.exclusion() {
                panic!("after step {i} {e:?}: {why}\nlog: {events:#?}");
            }
            r.steps += 1;
        }
        r
    }

    /// Nodes still present.
    pub fn nodes(&self) -> usize {
        self.nodes.len()
    }

    fn state(&mut self, node: u64) -> Result<&mut NodeState<u64>, String> {
        self.nodes
            .get_mut(&node)
            .ok_or_else(|| format!("node {node} is not in the tree"))
    }

    fn apply(&mut self, e: &Event) -> Result<(), String> {
        match e {
            Event::Created { node, parent, name } => {
                if self.nodes.insert(*node, NodeState::new()).is_some() {
                    return Err("created twice".into());
                }
                self.tree.insert(*node, (*parent, name.clone()));
            }
            Event::Removed { node } => {
                if !self.state(*node)?.is_idle() {
                    return Err("removed while held or awaited".into());
                }
                if self.tree.values().any(|(p, _)| *p == Some(*node)) {
                    return Err("removed while it has children".into());
                }
                self.nodes.remove(node);
                self.tree.remove(node);
            }
            Event::Request {
                node,
                owner,
                mode,
                recursion,
                blocking,
                decision,
            } => {
                let s = self.state(*node)?;
                let before = s.clone();
                let got = s.request(OwnerId(*owner), *mode, *recursion, *blocking);
                if got != *decision {
                    return Err(format!("the core answers {got:?}"));
                }
                if got == Decision::Granted && before.holding(OwnerId(*owner)).is_zero() {
                    no_overtaking(&before, *owner, *mode)?;
                }
            }
            Event::Enqueue { node, pending } => {
                self.state(*node)?.enqueue(*pending, pending.owner.0)
            }
            Event::Release {
                node,
                owner,
                mode,
                ok,
                woken,
            } => {
                let mut w = Wakeups::new();
                let r = self.state(*node)?.release(OwnerId(*owner), *mode, &mut w);
                same(r.is_ok(), *ok, &w, woken)?;
            }
            Event::Cancel {
                node,
                outcome: Cancel::NotWaiting,
                woken,
                ..
            } if !self.nodes.contains_key(node) && woken.is_empty() => {
                // A watch that was already woken, on a node that has left the
                // tree since: the core call changed nothing.
            }
            Event::Cancel {
                node,
                owner,
                outcome,
                woken,
            } => {
                let mut w = Wakeups::new();
                let got = self.state(*node)?.cancel(OwnerId(*owner), &mut w);
                same(got, *outcome, &w, woken)?;
            }
            Event::Watch { node, owner } => self.state(*node)?.watch(OwnerId(*owner), *owner),
            Event::Transfer {
                node,
                remove,
                add,
                woken,
            } => {
                let t = Transfer { remove, add };
                let s = self.state(*node)?;
                let check = s.check_transfer(t, OwnerId(0));
                if check != TransferCheck::Ready {
                    return Err(format!("transfer applied while the core says {check:?}"));
                }
                let mut w = Wakeups::new();
                s.apply_transfer(t, &mut w);
                same((), (), &w, woken)?;
            }
            Event::Evict { node, woken } => {
                let mut w = Wakeups::new();
                self.state(*node)?.evict_waiters(&mut w);
                same((), (), &w, woken)?;
            }
            Event::Relink { node, parent, name } => {
                self.state(*node)?;
                self.tree.insert(*node, (*parent, name.clone()));
            }
            Event::Merge { node, into } => {
                drop(self.state(*node)?.take_holders());
                if !self.state(*node)?.is_idle() {
                    return Err("merged while still awaited".into());
                }
                for (p, _) in self.tree.values_mut() {
                    if *p == Some(*node) {
                        *p = Some(*into);
                    }
                }
                self.nodes.remove(node);
                self.tree.remove(node);
            }
            Event::Acquired { .. } | Event::Releasing { .. } => {}
            other => return Err(format!("unknown event {other:?}")),
        }
        Ok(())
    }

    /// The path of `node`, root first.
    fn path(&self, node: u64) -> Vec<&str> {
        let mut out = Vec::new();
        let mut cur = Some(node);
        while let Some(n) = cur {
            let Some((p, name)) = self.tree.get(&n) else {
                break;
            };
            out.push(name.as_str());
            cur = *p;
        }
        out.reverse();
        out
    }

    /// No two owners hold conflicting locks on related paths: an owner with
    /// an exclusive holding at `p` excludes every other owner's holding at
    /// or below `p`.
    fn exclusion(&self) -> Result<(), String> {
        let mut held: Vec<(Vec<&str>, u64, bool)> = Vec::new();
        for (id, s) in &self.nodes {
            for h in s.holders() {
                held.push((self.path(*id), h.owner.0, h.counts.get(Mode::Exclusive) > 0));
            }
        }
        for (p, o, x) in held.iter().filter(|(_, _, x)| *x) {
            for (q, o2, _) in &held {
                if o2 != o && q.len() >= p.len() && q[..p.len()] == p[..] {
                    return Err(format!(
                        "owner {o} writes {p:?} while owner {o2} holds {q:?} ({x})"
                    ));
                }
            }
        }
        Ok(())
    }
}

fn same<R: PartialEq + std::fmt::Debug>(
    got: R,
    want: R,
    w: &Wakeups<u64>,
    woken: &[(u64, hilok_core::Wakeup)],
) -> Result<(), String> {
    if got != want {
        return Err(format!("the core answers {got:?}"));
    }
    if w.as_slice() != woken {
        return Err(format!("the core wakes {w:?}"));
    }
    Ok(())
}

/// A fresh grant must not pass an earlier conflicting request.
fn no_overtaking(before: &NodeState<u64>, owner: u64, mode: Mode) -> Result<(), String> {
    use hilok_core::node::Want;
    for e in before.queue() {
        let m = match e.want {
            Want::Fresh(m) | Want::Escalate(m) => m,
            Want::Watch => continue,
        };
        if e.owner.0 != owner && !mode.compatible_with(m) {
            return Err(format!("owner {owner} overtook waiting {e:?}"));
        }
    }
    Ok(())
}
