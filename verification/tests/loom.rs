//! The runtime's node-state path, park/wake and node collection under loom.
//!
//! Run in release mode with `RUSTFLAGS="--cfg loom"`; the preemption bound is
//! `LOOM_MAX_PREEMPTIONS` (docs/verification.md gives the value CI uses).
#![cfg(loom)]

use hilok::{Error, HiLok};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;
use std::time::Duration;

/// The end of every interleaving: nothing left, and (with the `events`
/// feature) the runtime's transitions replay on the core.
fn finish(h: &HiLok) {
    assert_eq!(h.node_count(), 0);
    #[cfg(feature = "events")]
    {
        let replay = hilok_verification::refinement::Replay::check(&h.take_events());
        assert_eq!(replay.nodes(), 0);
    }
}

/// Holds a write on `path` and checks nobody else is inside meanwhile.
fn exclusive(h: &HiLok, inside: &AtomicUsize, path: &str) {
    let g = h.write(path).unwrap();
    assert_eq!(
        inside.fetch_add(1, Ordering::SeqCst),
        0,
        "two writers on {path}"
    );
    inside.fetch_sub(1, Ordering::SeqCst);
    drop(g);
}

#[test]
fn two_writers_exclude_each_other_and_leave_nothing() {
    loom::model(|| {
        let h = HiLok::new();
        let inside = Arc::new(AtomicUsize::new(0));
        let (h2, in2) = (h.clone(), inside.clone());
        let t = thread::spawn(move || exclusive(&h2, &in2, "a"));
        exclusive(&h, &inside, "a");
        t.join().unwrap();
        finish(&h);
    });
}

#[test]
fn a_writer_on_the_parent_waits_for_a_reader_below() {
    loom::model(|| {
        let h = HiLok::new();
        let inside = Arc::new(AtomicUsize::new(0));
        let (h2, in2) = (h.clone(), inside.clone());
        let t = thread::spawn(move || {
            let g = h2.read("a/b").unwrap();
            in2.fetch_add(1, Ordering::SeqCst);
            in2.fetch_sub(1, Ordering::SeqCst);
            drop(g);
        });
        let g = h.write("a").unwrap();
        assert_eq!(inside.load(Ordering::SeqCst), 0);
        drop(g);
        t.join().unwrap();
        finish(&h);
    });
}

#[test]
fn siblings_collect_their_shared_parent() {
    loom::model(|| {
        let h = HiLok::new();
        let h2 = h.clone();
        let t = thread::spawn(move || drop(h2.write("a/b").unwrap()));
        drop(h.write("a/c").unwrap());
        t.join().unwrap();
        finish(&h);
    });
}

#[test]
fn a_timed_waiter_either_gets_in_or_leaves_nothing() {
    loom::model(|| {
        let h = HiLok::new();
        let g = h.write("a").unwrap();
        let h2 = h.clone();
        let t = thread::spawn(move || match h2.write_for("a", Duration::from_millis(1)) {
            Ok(g) => drop(g),
            Err(Error::Timeout) => {}
            Err(e) => panic!("{e:?}"),
        });
        drop(g);
        t.join().unwrap();
        finish(&h);
    });
}
