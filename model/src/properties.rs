//! The properties, as plain predicates over a [`Snapshot`] of a lock table.
//!
//! Nothing here depends on the model: a snapshot can as well be taken from
//! the runtime's tables during a schedule test, and the same functions judge
//! it. Paths in a snapshot are written with `/` between components.
//!
//! State properties ([`exclusion`], [`accounting`], [`deadlock_free`],
//! [`only_user_cycles`]) judge one snapshot. Step properties
//! ([`no_overtaking`], [`no_false_would_deadlock`], [`rename_moves_holdings`],
//! [`timeout_leaves_nothing`]) judge what one transition did.

use hilok_core::node::Want;
use hilok_core::{Access, Counts, Mode, Recursion};

/// An owner's identity in a snapshot (the core's `OwnerId.0`).
pub type OwnerNo = u64;

/// A lock table at one moment: nodes and owners.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Every node present in the table.
    pub nodes: Vec<NodeView>,
    /// Every owner.
    pub owners: Vec<OwnerView>,
    /// Whether no owner can take any step (a final or a stuck state).
    pub terminal: bool,
}

/// One node as the core holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// The node's path.
    pub path: String,
    /// Holders and their counts, in the core's order.
    pub holders: Vec<(OwnerNo, Counts)>,
    /// Waiting entries, front first.
    pub queue: Vec<(OwnerNo, Want)>,
}

/// One owner as its driver sees itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnerView {
    /// Its identity.
    pub id: OwnerNo,
    /// Guards of completed acquisitions: path and access. A guard holds its
    /// leaf mode at its path and [`Mode::Shared`] on every proper prefix.
    pub guards: Vec<(String, Access)>,
    /// Single nodes held by the operation in progress (including a grant
    /// handed off to it that it has not acted on yet).
    pub partial: Vec<(String, Mode)>,
    /// The node where it has a queue entry, if any.
    pub waits_at: Option<String>,
    /// Finished: nothing in progress, nothing held, nothing left to do.
    pub done: bool,
}

/// The components of a snapshot path.
fn comps(p: &str) -> impl Iterator<Item = &str> + Clone {
    p.split('/').filter(|c| !c.is_empty())
}

/// Whether `p` is `q` or lies below it.
pub fn at_or_below(p: &str, q: &str) -> bool {
    let mut mine = comps(p);
    comps(q).all(|c| mine.next() == Some(c))
}

/// The non-empty prefixes of `p`, root first.
fn prefixes(p: &str) -> Vec<String> {
    let cs: Vec<&str> = comps(p).collect();
    (1..=cs.len()).map(|k| cs[..k].join("/")).collect()
}

/// What an owner holds on paths: guards, and each partially taken node as a
/// one-node lock (shared = read there, exclusive = write there).
fn path_holdings(o: &OwnerView) -> impl Iterator<Item = (&str, bool)> {
    let guards = o
        .guards
        .iter()
        .map(|(p, a)| (p.as_str(), *a == Access::Write));
    let partial = o
        .partial
        .iter()
        .map(|(p, m)| (p.as_str(), *m == Mode::Exclusive));
    guards.chain(partial)
}

/// **exclusion**: no two owners hold conflicting locks on related paths. A
/// writer on `p` excludes every holding of another owner at or below `p`; a
/// reader at `q` therefore excludes writers at or above `q`. Stated on paths,
/// not on node counters, so that the intention protocol itself is checked.
pub fn exclusion(s: &Snapshot) -> bool {
    s.owners.iter().all(|a| {
        s.owners.iter().filter(|b| b.id != a.id).all(|b| {
            path_holdings(a)
                .all(|(p, write)| !write || path_holdings(b).all(|(q, _)| !at_or_below(q, p)))
        })
    })
}

/// The counts `o` should have at node `path`, from its guards and partial
/// holdings.
pub fn expected_counts(o: &OwnerView, path: &str) -> Counts {
    let mut c = Counts::ZERO;
    for (g, access) in &o.guards {
        let pre = prefixes(g);
        let depth = pre.len();
        for (level, p) in pre.iter().enumerate() {
            if p == path {
                c.add(&Counts::of(access.mode_at(level, depth), 1));
            }
        }
    }
    for (p, m) in &o.partial {
        if p == path {
            c.add(&Counts::of(*m, 1));
        }
    }
    c
}

/// **accounting**: every node's holdings equal what its owners' guards and
/// partial acquisitions imply; a node is present iff someone holds or awaits
/// it; every queue entry is an owner waiting there and vice versa; nothing is
/// left when every owner is done.
pub fn accounting(s: &Snapshot) -> bool {
    let counts_match = s.nodes.iter().all(|n| {
        s.owners.iter().all(|o| {
            let held = n
                .holders
                .iter()
                .find(|(h, _)| *h == o.id)
                .map_or(Counts::ZERO, |(_, c)| *c);
            held == expected_counts(o, &n.path)
        }) && n
            .holders
            .iter()
            .all(|(h, c)| !c.is_zero() && s.owners.iter().any(|o| o.id == *h))
    });
    let nothing_missing = s.owners.iter().all(|o| {
        let paths = o
            .guards
            .iter()
            .flat_map(|(g, _)| prefixes(g))
            .chain(o.partial.iter().map(|(p, _)| p.clone()));
        paths
            .into_iter()
            .all(|p| s.nodes.iter().any(|n| n.path == p))
    });
    let none_idle = s
        .nodes
        .iter()
        .all(|n| !n.holders.is_empty() || !n.queue.is_empty());
    let queues_match = s.nodes.iter().all(|n| {
        n.queue.iter().all(|(w, _)| {
            s.owners
                .iter()
                .any(|o| o.id == *w && o.waits_at.as_deref() == Some(n.path.as_str()))
        })
    }) && s.owners.iter().all(|o| match &o.waits_at {
        None => true,
        Some(p) => s
            .nodes
            .iter()
            .any(|n| &n.path == p && n.queue.iter().filter(|(w, _)| *w == o.id).count() == 1),
    });
    let clean_end = !s.owners.iter().all(|o| o.done) || s.nodes.is_empty();
    counts_match && nothing_missing && none_idle && queues_match && clean_end
}

/// **deadlock_free** (ordered configurations): every state in which no owner
/// can move has every owner finished.
pub fn deadlock_free(s: &Snapshot) -> bool {
    !s.terminal || s.owners.iter().all(|o| o.done)
}

/// Who `w`, waiting at node `n`, waits for: other holders whose holdings
/// conflict with what it wants, and (for a fresh request) other owners'
/// conflicting requests ahead of it. A watching rename waits for every other
/// owner present at the node.
pub fn blockers(n: &NodeView, w: OwnerNo) -> Vec<OwnerNo> {
    let Some(pos) = n.queue.iter().position(|(o, _)| *o == w) else {
        return Vec::new();
    };
    let want = n.queue[pos].1;
    let conflicts = |c: &Counts| match want {
        Want::Fresh(m) | Want::Escalate(m) => !Counts::of(m, 1).compatible_with(c),
        Want::Watch => true,
    };
    let mut out: Vec<OwnerNo> = n
        .holders
        .iter()
        .filter(|(h, c)| *h != w && conflicts(c))
        .map(|(h, _)| *h)
        .collect();
    match want {
        Want::Fresh(_) => out.extend(n.queue[..pos].iter().filter(|(o, x)| {
            *o != w && matches!(x, Want::Fresh(m) | Want::Escalate(m) if conflicts(&Counts::of(*m, 1)))
        }).map(|(o, _)| *o)),
        Want::Watch => out.extend(n.queue.iter().filter(|(o, x)| *o != w && *x != Want::Watch).map(|(o, _)| *o)),
        Want::Escalate(_) => {}
    }
    out
}

/// The waits-for graph: an edge from every waiting owner to its blockers.
pub fn waits_for(s: &Snapshot) -> Vec<(OwnerNo, OwnerNo)> {
    let mut edges = Vec::new();
    for o in &s.owners {
        if let Some(p) = &o.waits_at {
            if let Some(n) = s.nodes.iter().find(|n| &n.path == p) {
                edges.extend(blockers(n, o.id).into_iter().map(|b| (o.id, b)));
            }
        }
    }
    edges
}

/// **only_user_cycles** (free configurations): in every stuck state each
/// waiting owner reaches, in the waits-for graph, a cycle through an owner
/// that waits while holding a guard of a completed operation. Such a cycle
/// is a lock-order cycle in the user's program; the library adds none.
pub fn only_user_cycles(s: &Snapshot) -> bool {
    if deadlock_free(s) {
        return true;
    }
    let edges = waits_for(s);
    let next = |a: OwnerNo| edges.iter().filter(move |(x, _)| *x == a).map(|(_, y)| *y);
    let holds_and_waits = |a: OwnerNo| {
        s.owners
            .iter()
            .any(|o| o.id == a && !o.guards.is_empty() && o.waits_at.is_some())
    };
    // Owners on a cycle: those that can reach themselves.
    let reach = |from: OwnerNo| {
        let mut seen = vec![from];
        let mut stack = vec![from];
        while let Some(a) = stack.pop() {
            for b in next(a) {
                if !seen.contains(&b) {
                    seen.push(b);
                    stack.push(b);
                }
            }
        }
        seen
    };
    let on_user_cycle = |a: OwnerNo| holds_and_waits(a) && next(a).any(|b| reach(b).contains(&a));
    s.owners
        .iter()
        .filter(|o| o.waits_at.is_some())
        .all(|o| reach(o.id).into_iter().any(on_user_cycle))
}

/// A grant made by one step: to whom, in what mode, and what still waits
/// ahead of the request that was granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The mode granted.
    pub mode: Mode,
    /// Whether the owner held nothing at the node when it asked.
    pub fresh: bool,
    /// Requests of other owners that were ahead of it (for a request just
    /// made: the whole queue) and still wait after the step.
    pub still_waiting_ahead: Vec<Want>,
}

/// **no_overtaking**: a fresh request is never granted at a node while an
/// earlier conflicting request of another owner still waits there; only
/// requests of current holders (re-entry, escalation) pass waiters.
pub fn no_overtaking(g: &Grant) -> bool {
    !g.fresh
        || g.still_waiting_ahead.iter().all(|w| match w {
            Want::Fresh(m) | Want::Escalate(m) => g.mode.compatible_with(*m),
            Want::Watch => true,
        })
}

/// A would-deadlock answer and the facts that should justify it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WouldDeadlock {
    /// A request by an owner already holding the node.
    Request {
        /// The manager's recursion mode.
        recursion: Recursion,
        /// What the requester holds at the node.
        own: Counts,
        /// The mode it asked for.
        requested: Mode,
        /// Whether another holder's escalation waits at the node.
        other_escalator_waiting: bool,
    },
    /// A rename's transfer onto a node.
    Transfer {
        /// What the renaming owner holds at the node.
        own: Counts,
        /// Holdings of other owners that would arrive at the node.
        arriving: Vec<Counts>,
    },
    /// A rename needing a node to be vacant (merging subtrees).
    Vacancy {
        /// What the renaming owner holds at the node.
        own: Counts,
    },
    /// A rename of a node where another owner's escalation waits.
    Source {
        /// What the renaming owner holds at the node (the escalation waits
        /// for every other holder to leave).
        own: Counts,
    },
}

/// Whether the documented re-entry rules let an owner holding `held` (its
/// effective mode) take `requested` again without waiting for itself.
pub fn reentry_documented(recursion: Recursion, held: Mode, requested: Mode) -> bool {
    use Mode::{Exclusive as X, Shared as S};
    matches!(
        (recursion, held, requested),
        (_, S, S)
            | (Recursion::RecursiveWrite, X, X)
            | (Recursion::RecursiveOneway, X, _)
            | (Recursion::Recursive, _, _)
    )
}

/// **no_false_would_deadlock**: the core answers would-deadlock only when
/// waiting could never end without the requester releasing: its own holding
/// blocks it (re-entry the recursion mode does not allow, or a rename whose
/// arriving holdings conflict with the caller's own), or two holders both
/// escalate.
pub fn no_false_would_deadlock(c: &WouldDeadlock) -> bool {
    match c {
        WouldDeadlock::Request {
            recursion,
            own,
            requested,
            other_escalator_waiting,
        } => match own.effective() {
            None => false,
            Some(Mode::Shared)
                if *requested == Mode::Exclusive && *recursion == Recursion::Recursive =>
            {
                *other_escalator_waiting
            }
            Some(held) => !reentry_documented(*recursion, held, *requested),
        },
        WouldDeadlock::Transfer { own, arriving } => {
            arriving.iter().any(|a| !a.compatible_with(own))
        }
        WouldDeadlock::Vacancy { own } | WouldDeadlock::Source { own } => !own.is_zero(),
    }
}

/// **rename_moves_holdings**: after `rename(from, to)` each owner holds at
/// `to` what it held at `from`, added to what it held at `to` before (when a
/// node was there) less the ancestor holdings it gives up when `to` is an
/// ancestor of `from`. `from_before`, `to_before` and `to_after` are one
/// owner's counts.
pub fn rename_moves_holdings(
    onto_ancestor: bool,
    from_before: Counts,
    to_before: Counts,
    to_after: Counts,
) -> bool {
    let mut expected = to_before;
    if onto_ancestor {
        match expected.checked_sub(&Counts::of(Mode::Shared, from_before.total())) {
            Some(e) => expected = e,
            None => return false,
        }
    }
    expected.add(&from_before);
    expected == to_after
}

/// **timeout_leaves_nothing**: once a timed-out call has given back what it
/// took, the owner holds exactly what its guards imply (what it held before
/// the call, less guards other owners released meanwhile under the loose
/// flags, whose ancestors those owners may still be giving back: `partial`)
/// and waits nowhere. Judge it when the owner has nothing in progress.
pub fn timeout_leaves_nothing(s: &Snapshot, owner: OwnerNo) -> bool {
    let Some(o) = s.owners.iter().find(|o| o.id == owner) else {
        return false;
    };
    o.waits_at.is_none()
        && s.nodes.iter().all(|n| {
            let held = n
                .holders
                .iter()
                .find(|(h, _)| *h == owner)
                .map_or(Counts::ZERO, |(_, c)| *c);
            held == expected_counts(o, &n.path) && n.queue.iter().all(|(w, _)| *w != owner)
        })
}

#[cfg(test)]
mod tests;
