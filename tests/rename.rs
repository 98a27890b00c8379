//! Renaming held paths.

mod common;
use common::{free_for_other, other, take, HANG};
use hilok::{Error, HiLok};
use std::time::Duration;

#[test]
fn deep_to_shallow() {
    let h = HiLok::new();
    let g = take(&h, "a/b/c/d", true);
    h.rename("a/b/c/d", "x").unwrap();
    assert_eq!(g.path().as_deref(), Some("x"));
    assert_eq!(h.node_count(), 1);
    assert!(!free_for_other(&h, "x", false));
    assert!(free_for_other(&h, "a/b/c/d", true));
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn shallow_to_deep() {
    let h = HiLok::new();
    let g = take(&h, "a", false);
    h.rename("a", "x/y/z").unwrap();
    assert_eq!(g.path().as_deref(), Some("x/y/z"));
    assert_eq!(h.status("x/y").unwrap().readers, 1);
    assert!(!free_for_other(&h, "x", true));
    assert!(free_for_other(&h, "a", true));
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn disjoint_trees_keep_common_ancestors() {
    let h = HiLok::new();
    let g = take(&h, "r/a/b", true);
    let other_reader = take(&h, "r/q", false);
    h.rename("r/a/b", "r/x/y").unwrap();
    assert_eq!(g.path().as_deref(), Some("r/x/y"));
    // `r` is held by both guards throughout; `r/a` is gone.
    assert_eq!(h.status("r").unwrap().readers, 1);
    assert_eq!(h.status("r/a").unwrap(), hilok::Status::default());
    assert_eq!(h.node_count(), 4);
    drop((g, other_reader));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn the_whole_subtree_moves() {
    let h = HiLok::new();
    let dir = take(&h, "a/b", false);
    let h2 = h.clone();
    let file = other(move || take(&h2, "a/b/f", true));
    h.rename("a/b", "x").unwrap();
    assert_eq!(file.path().as_deref(), Some("x/f"));
    assert_eq!(dir.path().as_deref(), Some("x"));
    assert!(!free_for_other(&h, "x/f", false));
    assert!(free_for_other(&h, "a/b/f", true));
    drop(file);
    drop(dir);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn onto_itself_is_a_no_op_if_held() {
    let h = HiLok::new();
    assert_eq!(h.rename("a", "a"), Err(Error::NotHeld));
    let g = take(&h, "a/b", true);
    h.rename("a/b", "//a//b/").unwrap();
    assert_eq!(g.path().as_deref(), Some("a/b"));
    assert_eq!(h.node_count(), 2);
}

#[test]
fn onto_a_path_the_same_owner_holds_merges() {
    let h = HiLok::new();
    let src = take(&h, "a/b", true);
    let dst = take(&h, "x", true);
    h.rename("a/b", "x").unwrap();
    assert_eq!(src.path().as_deref(), Some("x"));
    assert_eq!(h.status("x").unwrap().writers, 1);
    assert_eq!(h.node_count(), 1);
    drop(dst);
    // Still held through the renamed guard.
    assert!(!free_for_other(&h, "x", false));
    drop(src);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn onto_an_ancestor_merges_into_it() {
    let h = HiLok::new();
    let g = take(&h, "a/b/c/d", true);
    h.rename("a/b/c/d", "a/b").unwrap();
    assert_eq!(g.path().as_deref(), Some("a/b"));
    assert_eq!(h.status("a/b").unwrap().writers, 1);
    assert_eq!(h.node_count(), 2);
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn into_its_own_subtree_is_refused() {
    let h = HiLok::new();
    let _g = take(&h, "a", true);
    assert_eq!(h.rename("a", "a/b"), Err(Error::InvalidRename));
    assert_eq!(h.node_count(), 1);
}

#[test]
fn onto_a_path_another_owner_holds_waits_and_never_two_writers() {
    let h = HiLok::new();
    let h2 = h.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let g = take(&h2, "x", true);
        rx.recv().unwrap();
        drop(g);
    });
    common::eventually(|| h.status("x").unwrap().writers == 1);
    let g = take(&h, "a", true);
    assert_eq!(h.try_rename("a", "x"), Err(Error::WouldBlock));
    assert_eq!(
        h.rename_for("a", "x", Duration::from_millis(30)),
        Err(Error::Timeout)
    );
    // Nothing moved and nothing leaked.
    assert_eq!(g.path().as_deref(), Some("a"));
    assert_eq!(h.status("x").unwrap().writers, 1);
    assert_eq!(h.node_count(), 2);
    let h3 = h.clone();
    let renamer = std::thread::spawn(move || h3.rename_for("a", "x", HANG));
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(h.status("x").unwrap().writers, 1);
    tx.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(renamer.join().unwrap(), Ok(()));
    assert_eq!(g.path().as_deref(), Some("x"));
    assert_eq!(h.status("x").unwrap().writers, 1);
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn onto_a_path_only_the_caller_holds_against_the_mover_would_deadlock() {
    let h = HiLok::new();
    let h2 = h.clone();
    let moved = other(move || take(&h2, "a", true));
    let _mine = take(&h, "x", true);
    assert_eq!(h.rename("a", "x"), Err(Error::WouldDeadlock));
    assert_eq!(moved.path().as_deref(), Some("a"));
}

#[test]
fn a_rename_waits_behind_queued_requests_at_the_destination() {
    let h = HiLok::new();
    let reader = take(&h, "x", false);
    let h2 = h.clone();
    let writer = std::thread::spawn(move || h2.write_for("x", HANG).map(|g| g.path()));
    common::eventually(|| h.status("x").unwrap().waiting == 1);
    let h3 = h.clone();
    let moved = other(move || take(&h3, "a", false));
    // Shared onto shared is compatible, but it may not overtake the writer.
    assert_eq!(h.try_rename("a", "x"), Err(Error::WouldBlock));
    drop(reader);
    assert_eq!(writer.join().unwrap().unwrap().as_deref(), Some("x"));
    h.rename_for("a", "x", HANG).unwrap();
    assert_eq!(moved.path().as_deref(), Some("x"));
    drop(moved);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn waiters_for_the_source_keep_waiting_for_the_source_path() {
    let h = HiLok::new();
    let g = take(&h, "a/b", true);
    let h2 = h.clone();
    let waiter = std::thread::spawn(move || h2.write_for("a/b", HANG).map(|g| g.path()));
    common::eventually(|| h.status("a/b").unwrap().waiting == 1);
    h.rename("a/b", "z").unwrap();
    // The waiter wanted the path a/b, which is free now.
    assert_eq!(waiter.join().unwrap().unwrap().as_deref(), Some("a/b"));
    assert_eq!(g.path().as_deref(), Some("z"));
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn rename_of_an_unheld_path_is_not_held() {
    let h = HiLok::new();
    assert_eq!(h.rename("nope", "x"), Err(Error::NotHeld));
    let _g = take(&h, "a/b", false);
    assert_eq!(h.rename("a/c", "x"), Err(Error::NotHeld));
    assert_eq!(h.rename("a/b/c", "x"), Err(Error::NotHeld));
    assert_eq!(h.node_count(), 2);
}

#[test]
fn rename_of_a_path_with_only_a_held_descendant_moves_it() {
    let h = HiLok::new();
    let g = take(&h, "a/b/c", false);
    h.rename("a/b", "x").unwrap();
    assert_eq!(g.path().as_deref(), Some("x/c"));
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_subtree_merge_with_a_child_in_use_on_both_sides_waits() {
    let h = HiLok::new();
    let h2 = h.clone();
    let theirs = other(move || take(&h2, "x/f", false));
    let mine = take(&h, "a/f", false);
    assert_eq!(h.try_rename("a", "x"), Err(Error::WouldBlock));
    drop(theirs);
    h.rename_for("a", "x", HANG).unwrap();
    assert_eq!(mine.path().as_deref(), Some("x/f"));
    drop(mine);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn released_renamed_guards_release_the_new_path() {
    let h = HiLok::new();
    let mut g = take(&h, "a", true);
    h.rename("a", "b").unwrap();
    g.release().unwrap();
    assert!(free_for_other(&h, "b", true));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_waiting_merge_blocked_by_a_child_in_use_wakes_when_it_is_released() {
    let h = HiLok::new();
    let h2 = h.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let theirs = std::thread::spawn(move || {
        let g = take(&h2, "b/c", false);
        rx.recv().unwrap();
        drop(g);
    });
    common::eventually(|| h.status("b/c").unwrap().readers == 1);
    let mine = take(&h, "a/c", false);
    assert_eq!(h.rename_for("a", "b", Duration::ZERO), Err(Error::Timeout));
    let h3 = h.clone();
    let renamer = std::thread::spawn(move || h3.rename_for("a", "b", HANG));
    std::thread::sleep(Duration::from_millis(20));
    tx.send(()).unwrap();
    theirs.join().unwrap();
    assert_eq!(renamer.join().unwrap(), Ok(()));
    assert_eq!(mine.path().as_deref(), Some("b/c"));
    drop(mine);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_rename_waits_for_an_escalation_at_its_source() {
    let h = HiLok::new();
    let mine = take(&h, "a/b", false);
    let h2 = h.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let escalator = std::thread::spawn(move || {
        let read = take(&h2, "a/b", false);
        let write = h2.write_for("a/b", HANG).unwrap();
        rx.recv().unwrap();
        drop((write, read));
    });
    common::eventually(|| h.status("a/b").unwrap().waiting == 1);
    // The escalation waits for my read: moving a/b would wait for it forever.
    assert_eq!(h.rename("a/b", "c"), Err(Error::WouldDeadlock));
    let h3 = h.clone();
    // Another owner, holding nothing there, has to wait instead.
    assert_eq!(
        other(move || h3.try_rename("a/b", "c")),
        Err(Error::WouldBlock)
    );
    drop(mine);
    common::eventually(|| h.status("a/b").unwrap().writers == 1);
    tx.send(()).unwrap();
    escalator.join().unwrap();
    assert_eq!(h.node_count(), 0);
}
