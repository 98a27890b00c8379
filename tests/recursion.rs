//! Re-entry, escalation and de-escalation under each recursion mode.

mod common;
use common::{free_for_other, take, with_flags, HANG};
use hilok::{Error, Flags};

/// Outcome of taking `second` on "p" while holding `first` on "p", same thread.
fn reenter(flags: Flags, first_write: bool, second_write: bool) -> Result<(), Error> {
    let h = with_flags(flags);
    let _g = take(&h, "p", first_write);
    let r = if second_write {
        h.write_for("p", HANG)
    } else {
        h.read_for("p", HANG)
    };
    r.map(drop)
}

#[test]
fn same_thread_reentry_on_one_node_per_mode() {
    use Error::WouldDeadlock as D;
    // (flags, held write, requested write, expected)
    let cases: &[(Flags, bool, bool, Result<(), Error>)] = &[
        (Flags::STRICT, false, false, Ok(())),
        (Flags::STRICT, false, true, Err(D)),
        (Flags::STRICT, true, false, Err(D)),
        (Flags::STRICT, true, true, Err(D)),
        (Flags::RECURSIVE_WRITE, false, false, Ok(())),
        (Flags::RECURSIVE_WRITE, false, true, Err(D)),
        (Flags::RECURSIVE_WRITE, true, false, Err(D)),
        (Flags::RECURSIVE_WRITE, true, true, Ok(())),
        (Flags::RECURSIVE_ONEWAY, false, false, Ok(())),
        (Flags::RECURSIVE_ONEWAY, false, true, Err(D)),
        (Flags::RECURSIVE_ONEWAY, true, false, Ok(())),
        (Flags::RECURSIVE_ONEWAY, true, true, Ok(())),
        (Flags::RECURSIVE, false, false, Ok(())),
        (Flags::RECURSIVE, false, true, Ok(())),
        (Flags::RECURSIVE, true, false, Ok(())),
        (Flags::RECURSIVE, true, true, Ok(())),
    ];
    for &(flags, first, second, expected) in cases {
        assert_eq!(
            reenter(flags, first, second),
            expected,
            "{flags:?} {first} {second}"
        );
        let loose = flags | Flags::LOOSE_UNLOCK;
        assert_eq!(
            reenter(loose, first, second),
            expected,
            "{loose:?} {first} {second}"
        );
    }
}

#[test]
fn refused_reentry_leaves_the_first_lock_intact() {
    let h = with_flags(Flags::STRICT);
    let g = take(&h, "a/b", true);
    assert_eq!(h.try_write("a/b").unwrap_err(), Error::WouldDeadlock);
    assert_eq!(h.write("a/b/c").unwrap_err(), Error::WouldDeadlock);
    assert!(!free_for_other(&h, "a/b", false));
    assert_eq!(h.node_count(), 2);
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn strict_allows_siblings_under_a_shared_ancestor() {
    let h = with_flags(Flags::STRICT);
    let _b = take(&h, "a/b", true);
    let _c = take(&h, "a/c", true);
    let _r = take(&h, "a/d", false);
    assert!(!free_for_other(&h, "a", true));
}

#[test]
fn escalation_succeeds_for_the_only_reader() {
    let h = with_flags(Flags::RECURSIVE);
    let r = take(&h, "a", false);
    let w = take(&h, "a", true);
    assert!(!free_for_other(&h, "a", false));
    drop(w);
    assert!(free_for_other(&h, "a", false));
    drop(r);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn escalation_waits_for_other_readers() {
    let h = with_flags(Flags::RECURSIVE);
    let _mine = take(&h, "a", false);
    let h2 = h.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let reader = std::thread::spawn(move || {
        let g = take(&h2, "a", false);
        rx.recv().unwrap();
        drop(g);
    });
    common::eventually(|| h.status("a").unwrap().readers == 2);
    assert_eq!(h.try_write("a").unwrap_err(), Error::WouldBlock);
    tx.send(()).unwrap();
    let w = take(&h, "a", true);
    reader.join().unwrap();
    assert!(!free_for_other(&h, "a", false));
    drop(w);
}

#[test]
fn de_escalation_keeps_the_read() {
    for flags in [Flags::RECURSIVE, Flags::RECURSIVE_ONEWAY] {
        let h = with_flags(flags);
        let w = take(&h, "a/b", true);
        let r = take(&h, "a/b", false);
        assert!(!free_for_other(&h, "a/b", false));
        drop(w);
        assert!(free_for_other(&h, "a/b", false), "{flags:?}");
        assert!(!free_for_other(&h, "a/b", true), "{flags:?}");
        drop(r);
        assert_eq!(h.node_count(), 0);
    }
}

#[test]
fn nested_paths_reenter_ancestors() {
    for flags in [
        Flags::STRICT,
        Flags::RECURSIVE_WRITE,
        Flags::RECURSIVE_ONEWAY,
        Flags::RECURSIVE,
    ] {
        let h = with_flags(flags);
        let _a = take(&h, "a/b", false);
        let _b = take(&h, "a/b/c", true);
        assert!(!free_for_other(&h, "a/b/c", false));
        assert!(free_for_other(&h, "a/b", false));
    }
}

#[test]
fn write_under_own_write_per_mode() {
    // Holding write on a, write on a/b needs shared on a: read-under-write.
    let expect = [
        (Flags::STRICT, Err(Error::WouldDeadlock)),
        (Flags::RECURSIVE_WRITE, Err(Error::WouldDeadlock)),
        (Flags::RECURSIVE_ONEWAY, Ok(())),
        (Flags::RECURSIVE, Ok(())),
    ];
    for (flags, expected) in expect {
        let h = with_flags(flags);
        let _a = take(&h, "a", true);
        assert_eq!(h.write("a/b").map(drop), expected, "{flags:?}");
        assert_eq!(h.node_count(), 1, "{flags:?}");
    }
}

#[test]
fn two_escalators_second_would_deadlock_first_succeeds() {
    let h = with_flags(Flags::RECURSIVE);
    let h1 = h.clone();
    let (go, wait_go) = std::sync::mpsc::channel::<()>();
    let (held, wait_held) = std::sync::mpsc::channel::<()>();
    let first = std::thread::spawn(move || {
        let r = take(&h1, "a", false);
        held.send(()).unwrap();
        wait_go.recv().unwrap();
        let w = h1.write_for("a", HANG);
        drop(r);
        w.map(drop)
    });
    let _mine = take(&h, "a", false);
    wait_held.recv().unwrap();
    go.send(()).unwrap();
    // Until the first escalator queues, mine would only block; then it
    // would deadlock.
    common::eventually(|| match h.try_write("a") {
        Err(Error::WouldDeadlock) => true,
        Err(Error::WouldBlock) => false,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(h.write("a").unwrap_err(), Error::WouldDeadlock);
    drop(_mine);
    assert_eq!(first.join().unwrap(), Ok(()));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_timed_out_escalation_keeps_the_read() {
    let h = with_flags(Flags::RECURSIVE);
    let mine = take(&h, "a/b", false);
    let h2 = h.clone();
    let theirs = common::other(move || take(&h2, "a/b", false));
    assert_eq!(
        h.write_for("a/b", std::time::Duration::from_millis(20))
            .unwrap_err(),
        Error::Timeout
    );
    assert_eq!(h.status("a/b").unwrap().readers, 2);
    assert_eq!(h.status("a/b").unwrap().waiting, 0);
    drop(theirs);
    // Now the only reader: the escalation succeeds at once.
    drop(take(&h, "a/b", true));
    drop(mine);
    assert_eq!(h.node_count(), 0);
}
