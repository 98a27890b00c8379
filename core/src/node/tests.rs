use super::*;
use crate::transfer::{Transfer, TransferCheck};
use Mode::{Exclusive as X, Shared as S};

const A: OwnerId = OwnerId(1);
const B: OwnerId = OwnerId(2);
const C: OwnerId = OwnerId(3);

type N = NodeState<u32>;

fn req(n: &mut N, o: OwnerId, m: Mode, r: Recursion) -> Decision {
    n.request(o, m, r, Blocking::Wait)
}

fn wait(n: &mut N, o: OwnerId, m: Mode, token: u32) {
    match req(n, o, m, Recursion::Recursive) {
        Decision::Wait(p) => n.enqueue(p, token),
        d => panic!("expected to wait, got {d:?}"),
    }
}

#[test]
fn shared_holders_coexist_and_exclusive_waits() {
    let mut n = N::new();
    assert_eq!(req(&mut n, A, S, Recursion::Strict), Decision::Granted);
    assert_eq!(req(&mut n, B, S, Recursion::Strict), Decision::Granted);
    assert_eq!(
        n.request(C, X, Recursion::Strict, Blocking::Try),
        Decision::Refused(Refusal::WouldBlock)
    );
    wait(&mut n, C, X, 7);
    let mut wake = Wakeups::new();
    n.release(A, S, &mut wake).unwrap();
    assert!(wake.is_empty());
    n.release(B, S, &mut wake).unwrap();
    assert_eq!(wake, [(7, Wakeup::Granted)]);
    assert_eq!(n.holding(C), Counts::of(X, 1));
}

#[test]
fn a_fresh_reader_queues_behind_a_waiting_writer() {
    let mut n = N::new();
    assert_eq!(req(&mut n, A, S, Recursion::Recursive), Decision::Granted);
    wait(&mut n, B, X, 2);
    assert!(matches!(
        req(&mut n, C, S, Recursion::Recursive),
        Decision::Wait(_)
    ));
}

#[test]
fn a_holder_passes_the_queue() {
    let mut n = N::new();
    assert_eq!(req(&mut n, A, S, Recursion::Strict), Decision::Granted);
    wait(&mut n, B, X, 2);
    assert_eq!(req(&mut n, A, S, Recursion::Strict), Decision::Granted);
    assert_eq!(n.holding(A), Counts::of(S, 2));
}

#[test]
fn strict_reentry_of_exclusive_would_deadlock() {
    let mut n = N::new();
    assert_eq!(req(&mut n, A, X, Recursion::Strict), Decision::Granted);
    for m in [S, X] {
        assert_eq!(
            req(&mut n, A, m, Recursion::Strict),
            Decision::Refused(Refusal::WouldDeadlock)
        );
    }
    assert_eq!(n.holding(A), Counts::of(X, 1));
}

#[test]
fn escalation_alone_succeeds_and_second_escalator_would_deadlock() {
    let mut n = N::new();
    assert_eq!(req(&mut n, A, S, Recursion::Recursive), Decision::Granted);
    assert_eq!(req(&mut n, A, X, Recursion::Recursive), Decision::Granted);
    let mut wake = Wakeups::new();
    n.release(A, X, &mut wake).unwrap();
    assert_eq!(req(&mut n, B, S, Recursion::Recursive), Decision::Granted);
    wait(&mut n, A, X, 1);
    assert_eq!(
        req(&mut n, B, X, Recursion::Recursive),
        Decision::Refused(Refusal::WouldDeadlock)
    );
    n.release(B, S, &mut wake).unwrap();
    assert_eq!(wake, [(1, Wakeup::Granted)]);
    assert_eq!(n.holding(A), Counts([1, 1]));
}

#[test]
fn escalation_goes_ahead_of_fresh_waiters() {
    let mut n = N::new();
    req(&mut n, A, S, Recursion::Recursive);
    req(&mut n, B, S, Recursion::Recursive);
    wait(&mut n, C, X, 3);
    wait(&mut n, A, X, 1);
    assert_eq!(n.queue().next().map(|e| e.owner), Some(A));
    let mut wake = Wakeups::new();
    n.release(B, S, &mut wake).unwrap();
    assert_eq!(wake, [(1, Wakeup::Granted)]);
}

#[test]
fn cancel_unblocks_those_behind() {
    let mut n = N::new();
    req(&mut n, A, S, Recursion::Recursive);
    wait(&mut n, B, X, 2);
    wait(&mut n, C, S, 3);
    let mut wake = Wakeups::new();
    assert_eq!(n.cancel(B, &mut wake), Cancel::Removed);
    assert_eq!(wake, [(3, Wakeup::Granted)]);
    assert_eq!(n.cancel(B, &mut wake), Cancel::NotWaiting);
}

#[test]
fn release_of_what_is_not_held_changes_nothing() {
    let mut n = N::new();
    let mut wake = Wakeups::new();
    assert_eq!(n.release(A, S, &mut wake), Err(NotHeld));
    req(&mut n, A, S, Recursion::Recursive);
    assert_eq!(n.release(A, X, &mut wake), Err(NotHeld));
    assert_eq!(n.holding(A), Counts::of(S, 1));
}

#[test]
fn watchers_wake_on_change_and_never_block() {
    let mut n = N::new();
    req(&mut n, A, X, Recursion::Recursive);
    n.watch(B, 9);
    let mut wake = Wakeups::new();
    n.release(A, X, &mut wake).unwrap();
    assert_eq!(wake, [(9, Wakeup::Changed)]);
    assert!(n.is_idle());
}

#[test]
fn notify_wakes_watchers_only() {
    let mut n = N::new();
    req(&mut n, A, X, Recursion::Recursive);
    n.watch(B, 9);
    let pending = match n.request(C, S, Recursion::Recursive, Blocking::Wait) {
        Decision::Wait(p) => p,
        d => panic!("{d:?}"),
    };
    n.enqueue(pending, 7);
    let mut wake = Wakeups::new();
    n.notify(B, &mut wake);
    assert!(wake.is_empty(), "a rename is not woken by its own step");
    n.notify(A, &mut wake);
    assert_eq!(wake, [(9, Wakeup::Changed)]);
    assert_eq!(n.queue().count(), 1, "the waiting reader stays");
    assert_eq!(n.holders().len(), 1, "holdings do not change");
}

#[test]
fn transfer_waits_for_other_owners_and_refuses_self_deadlock() {
    let mut n = N::new();
    req(&mut n, A, X, Recursion::Recursive);
    let add = [(B, Counts::of(X, 1))];
    let t = Transfer {
        remove: &[],
        add: &add,
    };
    assert_eq!(n.check_transfer(t, C), TransferCheck::Wait);
    assert_eq!(n.check_transfer(t, A), TransferCheck::WouldDeadlock);
    let merge = [(A, Counts::of(X, 1))];
    let t = Transfer {
        remove: &[],
        add: &merge,
    };
    assert_eq!(n.check_transfer(t, A), TransferCheck::Ready);
    let mut wake = Wakeups::new();
    n.apply_transfer(t, &mut wake);
    assert_eq!(n.holding(A), Counts::of(X, 2));
}

#[test]
fn transfer_does_not_overtake_waiters() {
    let mut n = N::new();
    req(&mut n, A, S, Recursion::Recursive);
    wait(&mut n, B, X, 2);
    let add = [(C, Counts::of(S, 1))];
    let t = Transfer {
        remove: &[],
        add: &add,
    };
    assert_eq!(n.check_transfer(t, C), TransferCheck::Wait);
    let again = [(A, Counts::of(S, 1))];
    let t = Transfer {
        remove: &[],
        add: &again,
    };
    assert_eq!(n.check_transfer(t, C), TransferCheck::Ready);
}

#[test]
fn transfer_removal_beyond_holdings_is_inconsistent() {
    let n = N::new();
    let rm = [(A, Counts::of(S, 1))];
    let t = Transfer {
        remove: &rm,
        add: &[],
    };
    assert_eq!(n.check_transfer(t, A), TransferCheck::Inconsistent);
}

#[test]
fn a_waiting_escalation_holds_a_rename_of_its_node() {
    let mut n = N::new();
    req(&mut n, A, S, Recursion::Recursive);
    req(&mut n, B, S, Recursion::Recursive);
    assert_eq!(n.check_source(C), TransferCheck::Ready);
    wait(&mut n, A, X, 1);
    assert_eq!(n.check_source(C), TransferCheck::Wait);
    // B holds the node the escalation waits for: it would wait for itself.
    assert_eq!(n.check_source(B), TransferCheck::WouldDeadlock);
}

#[test]
fn a_colliding_child_blocks_while_it_exists() {
    let mut n = N::new();
    assert_eq!(n.check_collision(A), TransferCheck::Wait);
    req(&mut n, A, S, Recursion::Recursive);
    assert_eq!(n.check_collision(A), TransferCheck::WouldDeadlock);
    assert_eq!(n.check_collision(B), TransferCheck::Wait);
    assert_eq!(
        TransferCheck::Wait.worst(TransferCheck::WouldDeadlock),
        TransferCheck::WouldDeadlock
    );
    assert_eq!(
        TransferCheck::Ready.worst(TransferCheck::Wait),
        TransferCheck::Wait
    );
}
