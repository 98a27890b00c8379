//! `rename(from, to)` as the specification describes it (`docs/semantics.md`,
//! Rename), for calls that never wait.
//!
//! The rename moves every guard at or below `from` to the same place below
//! `to`. It is refused, in this order, when a path is invalid; when `to` lies
//! strictly below `from` (`InvalidRename`); when nothing is held at `from`
//! (`NotHeld`; `from == to` succeeds iff something is held there); when the
//! destination exists and has a child named like a child of the moved node
//! (subtrees merge one level only; would-deadlock if that child is held by the
//! caller alone, else it would block); and when a node whose holdings change
//! receives a holding that conflicts with another owner's holding there. The
//! nodes that change are, root first: the ancestors of `from` that are not
//! ancestors of `to` (each loses one shared holding per moved holding; if
//! `to` is one of them it also receives the moved holdings), the ancestors of
//! `to` that are not ancestors of `from` (each gains one shared holding per
//! moved holding), and the node at `to` if one exists (it receives the moved
//! holdings). The first node that refuses decides: would-deadlock if the
//! caller's own holding there conflicts with an arriving one, else it would
//! block.

use hilok::Error;

use super::holdings::{Held, NodeHoldings};
use super::path;
use super::{Allowed, GuardState, Reference, Wait};

/// One node whose holdings a rename changes.
struct Site {
    before: NodeHoldings,
    loses: NodeHoldings,
    gains: NodeHoldings,
}

/// A node's answer to its part of a rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Ready,
    Blocked,
    Deadlock,
}

impl Reference {
    /// `try_rename` / `rename_for(.., 0)` by `caller`.
    pub fn rename(
        &mut self,
        caller: usize,
        from: &str,
        to: &str,
        wait: Wait,
    ) -> Result<(), Allowed> {
        let f = path::parse(from, self.sep).map_err(|e| vec![e])?;
        let t = path::parse(to, self.sep).map_err(|e| vec![e])?;
        if f == t {
            return if self.exists(&f) {
                Ok(())
            } else {
                Err(vec![Error::NotHeld])
            };
        }
        if t.len() > f.len() && path::is_prefix(&f, &t) {
            return Err(vec![Error::InvalidRename]);
        }
        if !self.exists(&f) {
            return Err(vec![Error::NotHeld]);
        }
        if self.exists(&t) {
            let blockers = self.merge_blockers(caller, &f, &t, wait);
            if !blockers.is_empty() {
                return Err(blockers);
            }
        }
        for site in self.sites(&f, &t) {
            match verdict(caller, &site) {
                Verdict::Ready => {}
                Verdict::Blocked => return Err(vec![wait.blocked()]),
                Verdict::Deadlock => return Err(vec![Error::WouldDeadlock]),
            }
        }
        for g in &mut self.guards {
            if g.state == GuardState::Held && path::is_prefix(&f, &g.path) {
                let mut moved = t.clone();
                moved.extend_from_slice(&g.path[f.len()..]);
                g.path = moved;
            }
        }
        Ok(())
    }

    /// The answers of the destination's children that share a name with a
    /// child of the moved node (each such child blocks the merge). Several
    /// different answers mean the runtime may give any of them.
    fn merge_blockers(&self, caller: usize, f: &[String], t: &[String], wait: Wait) -> Allowed {
        let at_destination = self.children(t);
        let mut out = Allowed::new();
        for name in self.children(f) {
            if !at_destination.contains(&name) {
                continue;
            }
            let mut child = t.to_vec();
            child.push(name);
            let holders = self.holdings(&child);
            let e = if !holders.is_empty() && holders.keys().all(|o| *o == caller) {
                Error::WouldDeadlock
            } else {
                wait.blocked()
            };
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }

    /// The nodes whose holdings change, root first (see the module docs),
    /// with what each owner holds there now.
    fn sites(&self, f: &[String], t: &[String]) -> Vec<Site> {
        let mut at_from = self.along(f);
        let mut at_to = self.along(t);
        let moved = at_from.pop().expect("paths have a component");
        let at_destination = at_to.pop().expect("paths have a component");
        let as_ancestor: NodeHoldings = moved
            .iter()
            .map(|(o, h)| {
                let shared = Held {
                    shared: h.total(),
                    exclusive: 0,
                };
                (*o, shared)
            })
            .collect();
        let common = f.iter().zip(t).take_while(|(a, b)| a == b).count();
        let onto_ancestor = common == t.len();
        let kept = common.min(t.len() - 1);
        let mut sites = Vec::new();
        for (k, before) in at_from.into_iter().enumerate().skip(kept) {
            let is_destination = onto_ancestor && k + 1 == t.len();
            sites.push(Site {
                before,
                loses: as_ancestor.clone(),
                gains: if is_destination {
                    moved.clone()
                } else {
                    NodeHoldings::new()
                },
            });
        }
        for before in at_to.into_iter().skip(kept) {
            sites.push(Site {
                before,
                loses: NodeHoldings::new(),
                gains: as_ancestor.clone(),
            });
        }
        if !onto_ancestor && !at_destination.is_empty() {
            sites.push(Site {
                before: at_destination,
                loses: NodeHoldings::new(),
                gains: moved,
            });
        }
        sites
    }
}

/// Whether every holding arriving at `site` goes with every other owner's
/// holding there after the change.
fn verdict(caller: usize, site: &Site) -> Verdict {
    let before = &site.before;
    let mut after = before.clone();
    for (o, lost) in &site.loses {
        let h = after.entry(*o).or_default();
        *h = h
            .minus(lost)
            .expect("an ancestor holds one shared holding per holding below it");
    }
    for (o, gained) in &site.gains {
        after.entry(*o).or_default().add(gained);
    }
    after.retain(|_, h| !h.is_empty());
    let mine = before.get(&caller).copied().unwrap_or_default();
    let mut verdict = Verdict::Ready;
    for (o, arriving) in &site.gains {
        for (other, theirs) in after.iter().filter(|(x, _)| *x != o) {
            if arriving.coexists_with(theirs) {
                continue;
            }
            if *other == caller && !mine.coexists_with(arriving) {
                verdict = Verdict::Deadlock;
            } else if verdict == Verdict::Ready {
                verdict = Verdict::Blocked;
            }
        }
    }
    verdict
}
