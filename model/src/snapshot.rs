//! Turning a model state into the [`Snapshot`] the properties judge.

use hilok_core::{Mode, Wakeup};

use crate::properties::{NodeView, OwnerView, Snapshot};
use crate::state::{Owner, Pc, State};

/// The snapshot of `s`; `terminal` says whether `s` has no successor.
pub fn snapshot(s: &State, terminal: bool) -> Snapshot {
    let nodes = s
        .nodes
        .iter()
        .map(|(p, n)| NodeView {
            path: p.as_str().to_owned(),
            holders: n.holders().iter().map(|h| (h.owner.0, h.counts)).collect(),
            queue: n.queue().map(|e| (e.owner.0, e.want)).collect(),
        })
        .collect();
    let mut owners: Vec<OwnerView> = s
        .owners
        .iter()
        .enumerate()
        .map(|(i, o)| owner_view(i, o))
        .collect();
    // Ancestor holdings a release (possibly by another owner) still has to
    // give back belong to the guard's holder.
    for o in &s.owners {
        if let Pc::Release(r) = &o.pc {
            for k in 1..=usize::from(r.left) {
                owners[usize::from(r.holder)]
                    .partial
                    .push((r.path.prefix(k).as_str().to_owned(), Mode::Shared));
            }
        }
    }
    Snapshot {
        nodes,
        owners,
        terminal,
    }
}

fn owner_view(i: usize, o: &Owner) -> OwnerView {
    let guards = o
        .guards
        .iter()
        .map(|g| (g.path.as_str().to_owned(), g.access()))
        .collect();
    let mut partial = Vec::new();
    let mut waits_at = None;
    match &o.pc {
        Pc::Acquire(a) => {
            let depth = a.path.depth();
            let taken = usize::from(a.taken);
            let granted = usize::from(a.waiting && o.inbox == Some(Wakeup::Granted));
            for level in 0..taken + granted {
                partial.push((
                    a.path.prefix(level + 1).as_str().to_owned(),
                    a.access().mode_at(level, depth),
                ));
            }
            if a.waiting && o.inbox.is_none() {
                waits_at = Some(a.path.prefix(taken + 1).as_str().to_owned());
            }
        }
        Pc::Rename(r) => {
            if o.inbox.is_none() {
                waits_at = r.watching.as_ref().map(|p| p.as_str().to_owned());
            }
        }
        Pc::Idle | Pc::Release(_) => {}
    }
    OwnerView {
        id: i as u64,
        guards,
        partial,
        waits_at,
        done: o.done(),
    }
}
