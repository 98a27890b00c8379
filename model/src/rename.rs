//! One rename attempt, driven as the runtime drives it (`src/rename.rs`):
//! check every node's transfer with the core, then either apply them all and
//! move the subtree, or watch the node that blocked.

use hilok_core::rename::{Change, Gain, RenamePlan, Site};
use hilok_core::{Counts, OwnerId, Transfer, TransferCheck, Wakeup, Wakeups};

use crate::config::Mutation;
use crate::driver::{id, Driver};
use crate::path::Path;
use crate::properties::{self, WouldDeadlock};
use crate::state::{Event, Pc, RenameOp, Token, WaitKind};
use crate::step;

/// The transfer for one change (as the runtime's `transfer_for`).
fn transfer_for<'a>(
    c: Change,
    own: &'a [(OwnerId, Counts)],
    anc: &'a [(OwnerId, Counts)],
) -> Transfer<'a> {
    Transfer {
        remove: if c.loses_ancestor_holds { anc } else { &[] },
        add: match c.gain {
            Gain::Nothing => &[],
            Gain::AncestorHolds => anc,
            Gain::Holdings => own,
        },
    }
}

/// The path of a plan site.
fn site(r: &RenameOp, s: Site) -> Path {
    match s {
        Site::From(k) => r.from.prefix(k),
        Site::To(k) => r.to.prefix(k),
    }
}

/// `Rename` (issue) or `Wake` with `Changed` (retry): one attempt.
pub(crate) fn attempt(d: &mut Driver<'_>, o: u8) {
    let Pc::Rename(r) = d.s.owners[usize::from(o)].pc.clone() else {
        return d.flag(step::DRIVER_CONSISTENT);
    };
    let done = |d: &mut Driver<'_>| d.s.owners[usize::from(o)].pc = Pc::Idle;
    let plan = match RenamePlan::new(r.from.components(), r.to.components()) {
        Ok(Some(plan)) => plan,
        // Into itself (an error) or onto itself (a check): nothing changes.
        Ok(None) | Err(_) => return done(d),
    };
    let holders = match d.s.nodes.get(&r.from) {
        Some(n) if !n.holders().is_empty() => n.holders().to_vec(),
        // Nothing held at `from`: the rename fails with not-held.
        _ => return done(d),
    };
    let dest_exists = d.s.nodes.contains_key(&r.to);
    let (own, anc) = RenamePlan::transfer_lists(&holders);
    let changes = plan.changes(dest_exists);
    let mut blocked = source_blocker(d, &r, o);
    if blocked.is_none() && dest_exists {
        blocked = merge_blocker(d, &r, o);
    }
    if blocked.is_none() {
        for c in &changes {
            let p = site(&r, c.site);
            let t = transfer_for(*c, &own, &anc);
            let node = d.s.nodes.get(&p).cloned().unwrap_or_default();
            let check = node.check_transfer(t, id(o));
            if check == TransferCheck::WouldDeadlock {
                let arriving = t
                    .add
                    .iter()
                    .filter(|(w, _)| *w != id(o))
                    .map(|(_, c)| *c)
                    .collect();
                let why = WouldDeadlock::Transfer {
                    own: node.holding(id(o)),
                    arriving,
                };
                if !properties::no_false_would_deadlock(&why) {
                    d.flag(step::NO_FALSE_WOULD_DEADLOCK);
                }
            }
            let ignore = check == TransferCheck::Wait
                && d.cfg.mutation == Some(Mutation::RenameWithoutWaiting);
            if check != TransferCheck::Ready && !ignore {
                blocked = Some((check, p));
                break;
            }
        }
    }
    match blocked {
        None => apply(d, o, &r, plan, &changes, &own, &anc),
        Some((TransferCheck::Wait, p)) if r.wait != WaitKind::Try => {
            let held_by_other =
                d.s.nodes
                    .get(&r.to)
                    .is_some_and(|n| n.holders().iter().any(|h| h.owner != id(o)));
            if held_by_other {
                d.event(Event::RenameOntoHeldWaited);
            }
            d.node_mut(&p).watch(id(o), o);
            d.s.owners[usize::from(o)].pc = Pc::Rename(RenameOp {
                watching: Some(p),
                ..r
            });
        }
        Some((TransferCheck::Wait, _)) => {
            d.event(Event::TryRefused);
            done(d);
        }
        Some((TransferCheck::Inconsistent, _)) => {
            d.flag(step::DRIVER_CONSISTENT);
            done(d);
        }
        Some(_) => done(d),
    }
}

/// The core's check of the moved node (`NodeState::check_source`): an
/// escalation waiting there blocks every rename of it, or would deadlock if
/// the caller holds the node. [`Mutation::RenameBesideEscalation`] ignores
/// the answer.
fn source_blocker(d: &mut Driver<'_>, r: &RenameOp, o: u8) -> Option<(TransferCheck, Path)> {
    let node = d.s.nodes.get(&r.from)?;
    let check = node.check_source(id(o));
    if check == TransferCheck::WouldDeadlock {
        let why = WouldDeadlock::Source {
            own: node.holding(id(o)),
        };
        if !properties::no_false_would_deadlock(&why) {
            d.flag(step::NO_FALSE_WOULD_DEADLOCK);
        }
    }
    let ignored = d.cfg.mutation == Some(Mutation::RenameBesideEscalation);
    (check != TransferCheck::Ready && !ignored).then(|| (check, r.from.clone()))
}

/// Why the moved node cannot be merged into the existing destination now
/// (the runtime's `merge_blocker`): a child of both is in use
/// (`NodeState::check_collision`; the worst answer over all such children).
/// Returns the check and the node to watch.
fn merge_blocker(d: &mut Driver<'_>, r: &RenameOp, o: u8) -> Option<(TransferCheck, Path)> {
    let depth = r.from.depth();
    let children: Vec<Path> =
        d.s.nodes
            .keys()
            .filter(|k| k.is_below(&r.from) && k.depth() == depth + 1)
            .cloned()
            .collect();
    let mut blocked: Option<TransferCheck> = None;
    for child in children {
        let Some(other) = child.rebase(&r.from, &r.to) else {
            continue;
        };
        if let Some(n) = d.s.nodes.get(&other) {
            let check = n.check_collision(id(o));
            if check == TransferCheck::WouldDeadlock {
                let why = WouldDeadlock::Vacancy {
                    own: n.holding(id(o)),
                };
                if !properties::no_false_would_deadlock(&why) {
                    d.flag(step::NO_FALSE_WOULD_DEADLOCK);
                }
            }
            blocked = Some(blocked.map_or(check, |b| b.worst(check)));
        }
    }
    // Watch the destination (as `src/rename.rs` does): whoever holds its
    // children holds it too, so every change there reaches it.
    blocked.map(|check| (check, r.to.clone()))
}

/// Applies every transfer, sends the moved node's waiters away, moves the
/// subtree, and updates every owner's paths.
fn apply(
    d: &mut Driver<'_>,
    o: u8,
    r: &RenameOp,
    plan: RenamePlan,
    changes: &[Change],
    own: &[(OwnerId, Counts)],
    anc: &[(OwnerId, Counts)],
) {
    let owners = d.s.owners.len();
    let holding = |d: &Driver<'_>, p: &Path, i: usize| {
        d.s.nodes
            .get(p)
            .map_or(Counts::ZERO, |n| n.holding(id(i as u8)))
    };
    let from_before: Vec<Counts> = (0..owners).map(|i| holding(d, &r.from, i)).collect();
    let to_before: Vec<Counts> = (0..owners).map(|i| holding(d, &r.to, i)).collect();
    let dest_exists = d.s.nodes.contains_key(&r.to);
    let mut wake: Wakeups<Token> = Wakeups::new();
    for c in changes {
        d.apply_transfer(&site(r, c.site), transfer_for(*c, own, anc), &mut wake);
    }
    if let Some(n) = d.s.nodes.get_mut(&r.from) {
        n.evict_waiters(&mut wake);
    }
    move_subtree(d, r, dest_exists);
    let evicted: Vec<u8> = wake
        .iter()
        .filter(|(_, w)| *w != Wakeup::Granted)
        .map(|(t, _)| *t)
        .collect();
    rebase_owners(d, r, &evicted);
    d.event(Event::Renamed);
    d.deliver(wake);
    for i in 0..owners {
        let after = holding(d, &r.to, i);
        if !properties::rename_moves_holdings(
            plan.onto_ancestor(),
            from_before[i],
            to_before[i],
            after,
        ) {
            d.flag(step::RENAME_MOVES_HOLDINGS);
        }
    }
    d.s.owners[usize::from(o)].pc = Pc::Idle;
}

/// Re-keys every node at or below `from` to the same place below `to`; when
/// a node already was at `to` the moved node is merged into it (its holdings
/// were transferred) and only its descendants move.
fn move_subtree(d: &mut Driver<'_>, r: &RenameOp, dest_exists: bool) {
    let keys: Vec<Path> =
        d.s.nodes
            .keys()
            .filter(|k| k.is_at_or_below(&r.from))
            .cloned()
            .collect();
    let mut moved = Vec::new();
    for k in keys {
        if let Some(n) = d.s.nodes.remove(&k) {
            moved.push((k, n));
        }
    }
    for (k, mut n) in moved {
        if k == r.from && dest_exists {
            drop(n.take_holders());
            if !n.is_idle() {
                d.flag(step::DRIVER_CONSISTENT);
            }
            continue;
        }
        let Some(nk) = k.rebase(&r.from, &r.to) else {
            continue;
        };
        if d.s.nodes.insert(nk, n).is_some() {
            d.flag(step::DRIVER_CONSISTENT);
        }
    }
}

/// Moves every guard, acquisition and watch that moved with the subtree.
/// Owners sent away (`evicted`) keep their path names: they look them up
/// again.
fn rebase_owners(d: &mut Driver<'_>, r: &RenameOp, evicted: &[u8]) {
    let from_depth = r.from.depth();
    let to_depth = r.to.depth();
    for (i, owner) in d.s.owners.iter_mut().enumerate() {
        for g in &mut owner.guards {
            if let Some(p) = g.path.rebase(&r.from, &r.to) {
                g.path = p;
            }
        }
        owner.guards.sort();
        let gone = evicted.contains(&(i as u8)) || owner.inbox == Some(Wakeup::Moved);
        match &mut owner.pc {
            Pc::Acquire(a) => {
                let taken = usize::from(a.taken);
                let holds_from =
                    taken >= from_depth || (a.waiting && taken + 1 == from_depth && !gone);
                if holds_from {
                    if let Some(p) = a.path.rebase(&r.from, &r.to) {
                        // The nodes it took are now the prefixes of the new
                        // path; its level moves with the depth change.
                        a.path = p;
                        a.taken = (usize::from(a.taken) + to_depth - from_depth) as u8;
                    }
                }
            }
            Pc::Rename(op) => {
                if let Some(w) = &op.watching {
                    if w.is_below(&r.from) {
                        op.watching = w.rebase(&r.from, &r.to);
                    }
                }
            }
            Pc::Release(rel) => {
                if usize::from(rel.left) >= from_depth {
                    if let Some(p) = rel.path.rebase(&r.from, &r.to) {
                        rel.path = p;
                        rel.left = (usize::from(rel.left) + to_depth - from_depth) as u8;
                    }
                }
            }
            Pc::Idle => {}
        }
    }
}
