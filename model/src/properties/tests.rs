use super::*;
use Mode::{Exclusive as X, Shared as S};

fn owner(id: OwnerNo, guards: &[(&str, Access)]) -> OwnerView {
    OwnerView {
        id,
        guards: guards.iter().map(|(p, a)| (p.to_string(), *a)).collect(),
        ..OwnerView::default()
    }
}

fn node(path: &str, holders: &[(OwnerNo, Counts)], queue: &[(OwnerNo, Want)]) -> NodeView {
    NodeView {
        path: path.to_string(),
        holders: holders.to_vec(),
        queue: queue.to_vec(),
    }
}

fn one(m: Mode) -> Counts {
    Counts::of(m, 1)
}

#[test]
fn exclusion_is_stated_on_paths() {
    let snap = |a: (&str, Access), b: (&str, Access)| Snapshot {
        owners: vec![owner(0, &[a]), owner(1, &[b])],
        ..Snapshot::default()
    };
    assert!(!exclusion(&snap(
        ("a", Access::Write),
        ("a/b", Access::Read)
    )));
    assert!(!exclusion(&snap(
        ("a/b", Access::Read),
        ("a", Access::Write)
    )));
    assert!(!exclusion(&snap(
        ("a", Access::Write),
        ("a", Access::Write)
    )));
    assert!(exclusion(&snap(
        ("a/b", Access::Write),
        ("a/c", Access::Write)
    )));
    assert!(exclusion(&snap(
        ("a", Access::Read),
        ("a/b", Access::Write)
    )));
    assert!(exclusion(&snap(("a", Access::Read), ("a", Access::Read))));
    assert!(exclusion(&snap(
        ("a/b", Access::Write),
        ("a/bc", Access::Read)
    )));
}

#[test]
fn accounting_matches_counts_to_guards() {
    let good = Snapshot {
        nodes: vec![
            node("a", &[(0, one(S))], &[]),
            node("a/b", &[(0, one(X))], &[]),
        ],
        owners: vec![owner(0, &[("a/b", Access::Write)])],
        terminal: false,
    };
    assert!(accounting(&good));
    let mut wrong_mode = good.clone();
    wrong_mode.nodes[1].holders[0].1 = one(S);
    assert!(!accounting(&wrong_mode));
    let mut leaked = good.clone();
    leaked.owners[0].guards.clear();
    assert!(!accounting(&leaked));
    let mut idle = good.clone();
    idle.nodes.push(node("c", &[], &[]));
    assert!(!accounting(&idle));
    let mut stray_waiter = good;
    stray_waiter.nodes[0].queue.push((0, Want::Fresh(X)));
    assert!(!accounting(&stray_waiter));
}

#[test]
fn a_stuck_state_must_be_a_user_cycle() {
    // Owner 0 holds write a/b and waits for a/c; owner 1 the reverse.
    let nodes = vec![
        node("a", &[(0, one(S)), (1, one(S))], &[]),
        node("a/b", &[(0, one(X))], &[(1, Want::Fresh(X))]),
        node("a/c", &[(1, one(X))], &[(0, Want::Fresh(X))]),
    ];
    let mut o0 = owner(0, &[("a/b", Access::Write)]);
    o0.partial = vec![("a".into(), S)];
    o0.waits_at = Some("a/c".into());
    let mut o1 = owner(1, &[("a/c", Access::Write)]);
    o1.partial = vec![("a".into(), S)];
    o1.waits_at = Some("a/b".into());
    let cycle = Snapshot {
        nodes,
        owners: vec![o0, o1],
        terminal: true,
    };
    assert!(!deadlock_free(&cycle));
    assert!(only_user_cycles(&cycle));
    assert_eq!(waits_for(&cycle).len(), 2);
    // The same wait with no guard held: a cycle the library made.
    let mut no_guards = cycle.clone();
    for o in &mut no_guards.owners {
        o.guards.clear();
    }
    assert!(!only_user_cycles(&no_guards));
    let mut running = cycle;
    running.terminal = false;
    assert!(deadlock_free(&running));
}

#[test]
fn fresh_grants_never_pass_conflicting_waiters() {
    let waiting_writer = vec![Want::Fresh(X)];
    assert!(!no_overtaking(&Grant {
        mode: S,
        fresh: true,
        still_waiting_ahead: waiting_writer.clone()
    }));
    assert!(no_overtaking(&Grant {
        mode: S,
        fresh: false,
        still_waiting_ahead: waiting_writer
    }));
    assert!(no_overtaking(&Grant {
        mode: S,
        fresh: true,
        still_waiting_ahead: vec![Want::Fresh(S), Want::Watch]
    }));
}

#[test]
fn would_deadlock_needs_a_reason() {
    let req = |recursion, own: Counts, requested, other| WouldDeadlock::Request {
        recursion,
        own,
        requested,
        other_escalator_waiting: other,
    };
    assert!(no_false_would_deadlock(&req(
        Recursion::Strict,
        one(X),
        X,
        false
    )));
    assert!(no_false_would_deadlock(&req(
        Recursion::RecursiveOneway,
        one(S),
        X,
        false
    )));
    assert!(!no_false_would_deadlock(&req(
        Recursion::RecursiveOneway,
        one(X),
        S,
        false
    )));
    assert!(no_false_would_deadlock(&req(
        Recursion::Recursive,
        one(S),
        X,
        true
    )));
    assert!(!no_false_would_deadlock(&req(
        Recursion::Recursive,
        one(S),
        X,
        false
    )));
    assert!(!no_false_would_deadlock(&req(
        Recursion::Strict,
        Counts::ZERO,
        X,
        false
    )));
    let t = |own, arriving: Vec<Counts>| WouldDeadlock::Transfer { own, arriving };
    assert!(no_false_would_deadlock(&t(one(S), vec![one(X)])));
    assert!(!no_false_would_deadlock(&t(one(S), vec![one(S)])));
    assert!(no_false_would_deadlock(&WouldDeadlock::Vacancy {
        own: one(S)
    }));
    assert!(!no_false_would_deadlock(&WouldDeadlock::Vacancy {
        own: Counts::ZERO
    }));
}

#[test]
fn renames_move_exact_counts() {
    assert!(rename_moves_holdings(false, one(X), Counts::ZERO, one(X)));
    assert!(!rename_moves_holdings(false, one(X), Counts::ZERO, one(S)));
    assert!(rename_moves_holdings(
        false,
        one(S),
        one(S),
        Counts::of(S, 2)
    ));
    // Onto an ancestor: it gives up the shared holding it had there for the
    // moved guard, and gains the guard's own.
    assert!(rename_moves_holdings(true, one(X), one(S), one(X)));
    assert!(!rename_moves_holdings(true, one(X), Counts::ZERO, one(X)));
}

#[test]
fn a_timeout_leaves_only_the_guards() {
    let clean = Snapshot {
        nodes: vec![node("a", &[(0, one(S))], &[])],
        owners: vec![owner(0, &[("a", Access::Read)])],
        terminal: false,
    };
    assert!(timeout_leaves_nothing(&clean, 0));
    let mut extra = clean.clone();
    extra.nodes[0].holders[0].1 = Counts::of(S, 2);
    assert!(!timeout_leaves_nothing(&extra, 0));
    let mut queued = clean.clone();
    queued.nodes[0].queue.push((0, Want::Fresh(X)));
    assert!(!timeout_leaves_nothing(&queued, 0));
    // A holding another owner's loose release still owes is not a leak.
    let mut owed = extra;
    owed.owners[0].partial.push(("a".into(), S));
    assert!(timeout_leaves_nothing(&owed, 0));
}
