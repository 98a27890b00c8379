//! The conflict table of the reference, between two threads.

mod common;
use common::{free_for_other, take};
use hilok::HiLok;

/// `(held, held is write, requested, requested is write, compatible)`.
const TABLE: &[(&str, bool, &str, bool, bool)] = &[
    // The reference's rows.
    ("a/b", false, "a", true, false),
    ("a", false, "a/b", true, true),
    ("a", true, "a/b/c", false, false),
    ("a/b", true, "a/c", true, true),
    ("a/b", false, "a/b", false, true),
    // The rest of the matrix on related and unrelated paths.
    ("a", true, "a", true, false),
    ("a", true, "a", false, false),
    ("a", false, "a", true, false),
    ("a/b", true, "a", false, true),
    ("a/b", true, "a", true, false),
    ("a", true, "a/b/c", true, false),
    ("a/b/c", false, "a", true, false),
    ("a/b", true, "x/y", true, true),
    ("a/b", true, "a/bc", true, true),
];

#[test]
fn every_row_of_the_conflict_table() {
    for &(held, hw, req, rw, compatible) in TABLE {
        let h = HiLok::new();
        let g = take(&h, held, hw);
        assert_eq!(
            free_for_other(&h, req, rw),
            compatible,
            "held {held} write={hw}, requested {req} write={rw}"
        );
        drop(g);
        assert_eq!(h.node_count(), 0);
    }
}

#[test]
fn a_conflicting_request_is_granted_once_the_holder_releases() {
    let h = HiLok::new();
    let g = take(&h, "a/b", false);
    let h2 = h.clone();
    let waiter = std::thread::spawn(move || h2.write_for("a", common::HANG).map(|g| g.path()));
    common::eventually(|| h.status("a").unwrap().waiting == 1);
    drop(g);
    assert_eq!(waiter.join().unwrap().unwrap().as_deref(), Some("a"));
    assert_eq!(h.node_count(), 0);
}

#[test]
fn read_on_a_directory_protects_only_the_node() {
    let h = HiLok::new();
    let _g = take(&h, "dir", false);
    assert!(free_for_other(&h, "dir/file", true));
    assert!(!free_for_other(&h, "dir", true));
}

#[test]
fn another_separator() {
    let h = HiLok::builder().separator(':').build();
    let _g = take(&h, "a:b", true);
    assert!(!free_for_other(&h, "a:b:c", false));
    assert!(free_for_other(&h, "a:c", true));
    // With ':' as the separator, '/' is an ordinary character.
    assert!(free_for_other(&h, "a/b", true));
}
