//! Try-once and timed acquisitions: one deadline, all or nothing.

mod common;
use common::{free_for_other, take, HANG};
use hilok::{Error, HiLok};
use std::time::{Duration, Instant};

#[test]
fn try_fails_at_once_and_holds_nothing() {
    let h = HiLok::new();
    let h2 = h.clone();
    let blocker = common::other(move || take(&h2, "a/b/c", true));
    let before = h.node_count();
    assert_eq!(
        common::other({
            let h = h.clone();
            move || h.try_read("a/b/c/d").map(drop)
        }),
        Err(Error::WouldBlock)
    );
    assert_eq!(h.node_count(), before);
    // Nothing was left on the ancestors it passed: a writer on `a/b` only
    // conflicts with the blocker, which holds shared there.
    assert_eq!(h.status("a/b").unwrap().readers, 1);
    drop(blocker);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn timeout_is_no_earlier_than_the_deadline_and_holds_nothing() {
    let h = HiLok::new();
    let _blocker = take(&h, "a", true);
    let timeout = Duration::from_millis(50);
    let h2 = h.clone();
    let (elapsed, r) = common::other(move || {
        let start = Instant::now();
        let r = h2.read_for("a/b/c", timeout).map(drop);
        (start.elapsed(), r)
    });
    assert_eq!(r, Err(Error::Timeout));
    assert!(elapsed >= timeout, "{elapsed:?}");
    assert_eq!(h.node_count(), 1);
    assert_eq!(h.status("a").unwrap().waiting, 0);
}

#[test]
fn a_timeout_mid_path_gives_back_the_ancestors() {
    let h = HiLok::new();
    let _leaf = take(&h, "a/b/c", true);
    let h2 = h.clone();
    let r = common::other(move || h2.write_for("a/b/c", Duration::from_millis(30)).map(drop));
    assert_eq!(r, Err(Error::Timeout));
    // The waiter had shared holdings on `a` and `a/b`; they are gone.
    assert_eq!(h.status("a").unwrap().readers, 1);
    assert_eq!(h.status("a/b").unwrap().readers, 1);
    assert_eq!(h.node_count(), 3);
}

#[test]
fn a_timed_out_writer_lets_queued_readers_in() {
    let h = HiLok::new();
    let reader = take(&h, "a", false);
    let h2 = h.clone();
    let writer =
        std::thread::spawn(move || h2.write_for("a", Duration::from_millis(300)).map(drop));
    common::eventually(|| h.status("a").unwrap().waiting == 1);
    let h3 = h.clone();
    // Queues behind the writer, then is let in when the writer gives up.
    let late = std::thread::spawn(move || h3.read_for("a", HANG).map(drop));
    assert_eq!(writer.join().unwrap(), Err(Error::Timeout));
    assert_eq!(late.join().unwrap(), Ok(()));
    drop(reader);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn one_deadline_covers_the_whole_path() {
    // The acquisition queues at `a` behind a writer that gives up after
    // 700 ms, then waits at `a/b/c` behind a holder. With a deadline per node
    // it would wait about 700 ms + 1 s; with one deadline it gives up at 1 s.
    let h = HiLok::new();
    let h1 = h.clone();
    let holder = common::other(move || take(&h1, "a/b/c", true));
    let h2 = h.clone();
    let writer =
        std::thread::spawn(move || h2.write_for("a", Duration::from_millis(700)).map(drop));
    common::eventually(|| h.status("a").unwrap().waiting == 1);
    let h3 = h.clone();
    let timed = std::thread::spawn(move || {
        let start = Instant::now();
        let r = h3.read_for("a/b/c", Duration::from_secs(1)).map(drop);
        (start.elapsed(), r)
    });
    assert_eq!(writer.join().unwrap(), Err(Error::Timeout));
    let (elapsed, r) = timed.join().unwrap();
    assert_eq!(r, Err(Error::Timeout));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(1600),
        "per-node deadline: {elapsed:?}"
    );
    drop(holder);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn zero_timeout_fails_like_try_when_busy_and_succeeds_when_free() {
    let h = HiLok::new();
    assert!(h.read_for("a", Duration::ZERO).is_ok());
    let _w = take(&h, "a", true);
    assert!(!free_for_other(&h, "a", false));
    let h2 = h.clone();
    let r = common::other(move || h2.read_for("a", Duration::ZERO).map(drop));
    assert_eq!(r, Err(Error::Timeout));
}

#[test]
fn huge_timeouts_mean_forever() {
    let h = HiLok::new();
    let g = h.write_for("a", Duration::MAX).unwrap();
    drop(g);
    assert_eq!(h.node_count(), 0);
}
