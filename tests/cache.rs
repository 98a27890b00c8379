//! The idle cache: paths released again stay in the tree for reuse,
//! within the configured bound, and are never in anyone's way; a path
//! released once leaves, but for its parent.

mod common;
use common::{other, take};
use hilok::{HiLok, DEFAULT_CACHE};

/// Takes and releases `path` twice: from the second release on, its leaf is
/// cached.
fn take_twice(h: &HiLok, path: &str, write: bool) {
    drop(take(h, path, write));
    drop(take(h, path, write));
}

#[test]
fn a_path_released_once_leaves_and_its_parent_stays() {
    let h = HiLok::new();
    drop(take(&h, "a/b/c", true));
    assert_eq!(h.tree_size(), 2, "a and a/b, cached for c's siblings");
    drop(take(&h, "a/b/d", false));
    assert_eq!(h.tree_size(), 2);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_scan_does_not_push_a_reused_path_out_of_the_cache() {
    let h = HiLok::new();
    take_twice(&h, "hot/file", false);
    assert_eq!(h.tree_size(), 2);
    // Far more fresh paths than this thread's share of the cache (128
    // leaves), each taken once (fewer under miri, which is slow).
    let n = if cfg!(miri) { 300 } else { 5_000 };
    for i in 0..n {
        drop(take(&h, &format!("scan/d{}/f{i}", i / 100), false));
    }
    // hot/file is still in the tree: holding it adds no node.
    let before = h.tree_size();
    let g = take(&h, "hot/file", false);
    assert_eq!(h.tree_size(), before, "hot/file was pushed out");
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_released_path_stays_until_trimmed() {
    let h = HiLok::new();
    take_twice(&h, "a/b/c", true);
    assert_eq!(h.tree_size(), 3);
    h.trim();
    assert_eq!(h.tree_size(), 0);
    drop(take(&h, "a/b/c", false));
    assert_eq!(h.node_count(), 0, "node_count trims first");
    assert_eq!(h.tree_size(), 0);
}

#[test]
fn reuse_keeps_one_copy_of_each_node() {
    let h = HiLok::new();
    for _ in 0..100 {
        drop(take(&h, "a/b/c", false));
        drop(take(&h, "a/b/d", true));
    }
    assert_eq!(h.tree_size(), 4, "a, a/b, a/b/c, a/b/d");
    assert_eq!(h.node_count(), 0);
}

#[test]
fn cache_zero_removes_nodes_at_once() {
    let h = HiLok::builder().cache(0).build();
    let g = take(&h, "a/b/c", true);
    assert_eq!(h.tree_size(), 3);
    drop(g);
    assert_eq!(h.tree_size(), 0);
}

#[test]
fn the_cache_is_bounded() {
    let h = HiLok::builder().cache(16).build();
    for i in 0..10_000 {
        drop(take(&h, &format!("p/{i}"), i % 2 == 0));
    }
    // 16 leaves at most, plus their one shared ancestor.
    assert!(h.tree_size() <= 17, "{} nodes kept", h.tree_size());
    assert_eq!(h.node_count(), 0);
}

#[test]
fn default_bound_holds_with_many_threads() {
    let h = HiLok::new();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let h = h.clone();
            std::thread::spawn(move || {
                for i in 0..5_000 {
                    drop(take(&h, &format!("t{t}/d{}/f{i}", i % 7), i % 3 == 0));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Each kept leaf keeps at most its two idle ancestors.
    assert!(h.tree_size() <= 3 * DEFAULT_CACHE.next_multiple_of(8));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn cached_nodes_are_invisible_to_status_and_conflicts() {
    let h = HiLok::new();
    drop(take(&h, "a/b", true));
    let s = h.status("a/b").unwrap();
    assert_eq!((s.readers, s.writers, s.waiting), (0, 0, 0));
    let hc = h.clone();
    assert!(other(move || hc.try_write("a").is_ok()));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_rename_is_not_held_up_by_a_cached_subtree() {
    let h = HiLok::new();
    let moved = take(&h, "a/x", true);
    // Leaves b, b/x and b/x/y idle in the cache.
    take_twice(&h, "b/x/y", true);
    assert_eq!(h.tree_size(), 5);
    // a/x must merge into b/x, which only idle nodes occupy.
    h.try_rename("a", "b").unwrap();
    assert_eq!(moved.path().as_deref(), Some("b/x"));
    assert!(!common::free_for_other(&h, "b/x", false));
    drop(moved);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn renaming_a_cached_path_is_not_held() {
    let h = HiLok::new();
    drop(take(&h, "a/b", true));
    assert_eq!(h.rename("a/b", "c"), Err(hilok::Error::NotHeld));
    assert_eq!(h.rename("a/b", "a/b"), Err(hilok::Error::NotHeld));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_remembered_path_through_an_evicted_node_takes_the_new_node() {
    // One leaf per ring: caching another path on this thread evicts p/q.
    let h = HiLok::builder().cache(8).build();
    take_twice(&h, "p/q", false);
    take_twice(&h, "r/s", false);
    assert_eq!(h.tree_size(), 2, "p and p/q were evicted");
    // This thread still remembers p and p/q; they are out of the tree now.
    let g = take(&h, "p/q", false);
    assert_eq!(h.tree_size(), 4);
    let hc = h.clone();
    assert!(
        other(move || hc.try_write("p").is_err()),
        "the reader must hold the tree's p, not a remembered stale one"
    );
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_remembered_path_does_not_follow_a_renamed_node() {
    let h = HiLok::new();
    drop(take(&h, "a/b/c", false));
    let w = take(&h, "a/b", true);
    h.rename("a/b", "x/y").unwrap();
    assert_eq!(w.path().as_deref(), Some("x/y"));
    // Remembered: a, a/b (now x/y), a/b/c (now x/y/c).
    let r = take(&h, "a/b/c", false);
    assert_eq!(r.path().as_deref(), Some("a/b/c"));
    assert_eq!(h.status("x/y").unwrap().writers, 1);
    assert_eq!(h.status("x/y/c").unwrap().readers, 0);
    assert_eq!(h.status("a/b/c").unwrap().readers, 1);
    drop((r, w));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_path_held_twice_on_one_thread_and_released_on_another_stays_usable() {
    let h = HiLok::new();
    for round in 0..3 {
        let first = h.read("x/y").unwrap();
        // The path's remembered nodes are out with `first`: the second
        // guard takes the path on its own.
        let second = h.read("x/y").unwrap();
        assert_eq!(h.status("x/y").unwrap().readers, 1, "one owner");
        std::thread::spawn(move || drop(second)).join().unwrap();
        assert!(first.is_held());
        let elsewhere = |h: &HiLok| {
            let h = h.clone();
            std::thread::spawn(move || h.try_write("x/y").map(drop))
                .join()
                .unwrap()
        };
        assert_eq!(
            elsewhere(&h),
            Err(hilok::Error::WouldBlock),
            "round {round}: still read-held by this thread"
        );
        drop(first);
        assert_eq!(elsewhere(&h), Ok(()), "round {round}: free again");
        assert_eq!(h.node_count(), 0);
    }
}

#[test]
fn a_fresh_path_reuses_remembered_ancestors_only_while_they_are_in_place() {
    let h = HiLok::new();
    // Fill every remembered slot with paths below a/b, so that the next
    // fresh path's slot remembers a and a/b.
    for i in 0..8 {
        drop(take(&h, &format!("a/b/f{i}"), false));
    }
    let g = take(&h, "a/b/new", true);
    assert_eq!(g.path().as_deref(), Some("a/b/new"));
    assert_eq!(h.status("a/b").unwrap().readers, 1, "a/b is an ancestor");
    drop(g);
    // Move a/b away: the remembered a/b is retired; a fresh path below the
    // old name must take a new a/b, not the moved node.
    let w = take(&h, "a/b", true);
    h.rename("a/b", "x/y").unwrap();
    for i in 0..8 {
        let r = take(&h, &format!("a/b/g{i}"), false);
        assert_eq!(r.path().as_deref(), Some(format!("a/b/g{i}").as_str()));
        assert_eq!(h.status("x/y").unwrap().readers, 0, "not the moved node");
        assert_eq!(h.status("a/b").unwrap().readers, 1);
    }
    drop(w);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_fresh_path_below_an_ancestor_another_thread_writes_is_refused() {
    let h = HiLok::new();
    for i in 0..8 {
        drop(take(&h, &format!("d/e/f{i}"), false));
    }
    // Another thread writes d/e: a fresh path below it, whose ancestors this
    // thread remembers, must not get in.
    let (hc, (tx, rx)) = (h.clone(), std::sync::mpsc::channel());
    let (tx2, rx2) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        let g = hc.write("d/e").unwrap();
        tx.send(()).unwrap();
        rx2.recv().unwrap();
        drop(g);
    });
    rx.recv().unwrap();
    assert_eq!(h.try_read("d/e/new").err(), Some(hilok::Error::WouldBlock));
    tx2.send(()).unwrap();
    writer.join().unwrap();
    drop(take(&h, "d/e/new", true));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_thread_holding_many_paths_keeps_every_one_and_frees_them_all() {
    let h = HiLok::new();
    // Far more than the thread remembers: most guards keep only their leaf
    // (fewer under miri, which is slow).
    let n = if cfg!(miri) { 12 } else { 200 };
    let guards: Vec<_> = (0..n)
        .map(|i| take(&h, &format!("m/d{}/f{i}", i % 7), i % 3 == 0))
        .collect();
    for (i, g) in guards.iter().enumerate() {
        let path = format!("m/d{}/f{i}", i % 7);
        assert_eq!(g.path().as_deref(), Some(path.as_str()));
        let write = i % 3 == 0;
        assert!(!common::free_for_other(&h, &path, true), "{path}");
        assert_eq!(common::free_for_other(&h, &path, false), !write, "{path}");
    }
    assert!(!common::free_for_other(&h, "m", true), "m is read-held");
    assert_eq!(h.status("m").unwrap().readers, 1, "one owner");
    drop(guards);
    assert!(common::free_for_other(&h, "m", true));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_guard_keeping_only_its_leaf_is_released_on_another_thread() {
    let h = HiLok::builder().flags(hilok::Flags::LOOSE_UNLOCK).build();
    let mut guards: Vec<_> = (0..20)
        .map(|i| take(&h, &format!("l/p{i}"), true))
        .collect();
    let last = guards.pop().unwrap();
    let first = guards.remove(0);
    for mut g in [first, last] {
        let path = g.path().unwrap();
        other(move || g.release()).unwrap();
        assert!(common::free_for_other(&h, &path, true), "{path}");
    }
    drop(guards);
    assert_eq!(h.node_count(), 0);
}
