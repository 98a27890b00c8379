//! The reference against the examples in `docs/semantics.md`, so that a
//! disagreement with the runtime can be blamed on the right side.

use super::*;
use hilok::PathError;

const A: usize = 0;
const B: usize = 1;

fn default() -> Reference {
    Reference::new('/', 3)
}

fn read(r: &mut Reference, o: usize, p: &str) -> Result<usize, Error> {
    r.lock(o, p, false, Wait::Try)
}

fn write(r: &mut Reference, o: usize, p: &str) -> Result<usize, Error> {
    r.lock(o, p, true, Wait::Try)
}

#[test]
fn the_conflict_table() {
    // (held by A, requested by B, compatible)
    let rows = [
        ((false, "a/b"), (true, "a"), false),
        ((false, "a"), (true, "a/b"), true),
        ((true, "a"), (false, "a/b/c"), false),
        ((true, "a/b"), (true, "a/c"), true),
        ((false, "a/b"), (false, "a/b"), true),
        ((true, "a/b"), (false, "a"), true),
        ((true, "a"), (true, "a/b/c"), false),
    ];
    for ((hw, hp), (rw, rp), ok) in rows {
        let mut r = default();
        r.lock(A, hp, hw, Wait::Try).unwrap();
        let got = r.lock(B, rp, rw, Wait::Try);
        assert_eq!(got.is_ok(), ok, "{hp} then {rp}");
        if !ok {
            assert_eq!(got, Err(Error::WouldBlock));
            assert_eq!(r.lock(B, rp, rw, Wait::ZeroTimeout), Err(Error::Timeout));
        }
    }
}

#[test]
fn the_reentry_table_per_mode() {
    use Reentry::{Escalate as E, Grant as G, Refuse as D};
    // [held shared asks shared, shared/exclusive, exclusive/shared, exclusive/exclusive]
    let table = [
        (0, [G, D, D, D]),
        (1, [G, D, D, G]),
        (2, [G, D, G, G]),
        (3, [G, E, G, G]),
    ];
    for (bits, cells) in table {
        let rec = Recursion::from_flag_bits(bits);
        let got = [
            reentry(rec, false, false),
            reentry(rec, false, true),
            reentry(rec, true, false),
            reentry(rec, true, true),
        ];
        assert_eq!(got, cells, "mode {bits}");
    }
}

#[test]
fn escalation_needs_the_only_holder() {
    let mut r = default();
    read(&mut r, A, "a").unwrap();
    write(&mut r, A, "a").unwrap();
    let mut r = default();
    read(&mut r, A, "a").unwrap();
    read(&mut r, B, "a").unwrap();
    assert_eq!(write(&mut r, A, "a"), Err(Error::WouldBlock));
    // Strict: a forbidden re-entry is would-deadlock; siblings still work.
    let mut r = Reference::new('/', 0);
    write(&mut r, A, "a/b").unwrap();
    write(&mut r, A, "a/c").unwrap();
    assert_eq!(read(&mut r, A, "a/b"), Err(Error::WouldDeadlock));
    assert_eq!(r.node_count(), 3);
}

#[test]
fn release_rules() {
    let mut r = default();
    let w = write(&mut r, A, "a").unwrap();
    assert_eq!(r.release(B, w), Err(Error::WrongThread));
    assert_eq!(r.release(A, w), Ok(()));
    assert_eq!(r.release(A, w), Err(Error::NotHeld));
    let mut r = Reference::new('/', 3 | 8);
    let w = write(&mut r, A, "a").unwrap();
    let g = read(&mut r, A, "b").unwrap();
    assert_eq!(r.release(B, w), Err(Error::WrongThread));
    assert_eq!(r.release(B, g), Ok(()));
    r.drop_guard(w);
    assert_eq!(r.node_count(), 0);
}

#[test]
fn renames_move_subtrees_and_merge() {
    let mut r = default();
    let dir = read(&mut r, A, "a/b").unwrap();
    let file = write(&mut r, B, "a/b/f").unwrap();
    assert_eq!(r.rename(A, "a/b", "x", Wait::Try), Ok(()));
    assert_eq!(r.guard_path(dir).as_deref(), Some("x"));
    assert_eq!(r.guard_path(file).as_deref(), Some("x/f"));
    assert_eq!(r.node_count(), 2);
    assert_eq!(
        r.rename(A, "x", "x/y", Wait::Try),
        Err(vec![Error::InvalidRename])
    );
    assert_eq!(r.rename(A, "q", "x", Wait::Try), Err(vec![Error::NotHeld]));
    assert_eq!(r.rename(A, "//x/", "x", Wait::Try), Ok(()));

    let mut r = default();
    let g = write(&mut r, A, "a/b/c/d").unwrap();
    assert_eq!(r.rename(A, "a/b/c/d", "a/b", Wait::Try), Ok(()));
    assert_eq!(r.guard_path(g).as_deref(), Some("a/b"));
    assert_eq!(r.status("a/b").unwrap().writers, 1);
    assert_eq!(r.node_count(), 2);
}

#[test]
fn renames_that_conflict() {
    let mut r = default();
    write(&mut r, B, "x").unwrap();
    write(&mut r, A, "a").unwrap();
    assert_eq!(
        r.rename(A, "a", "x", Wait::Try),
        Err(vec![Error::WouldBlock])
    );
    assert_eq!(
        r.rename(A, "a", "x", Wait::ZeroTimeout),
        Err(vec![Error::Timeout])
    );
    // Only the caller's own holding conflicts with the mover's.
    assert_eq!(
        r.rename(B, "a", "x", Wait::Try),
        Err(vec![Error::WouldDeadlock])
    );
    // A merge onto a destination whose child is in use on both sides.
    let mut r = default();
    read(&mut r, B, "x/f").unwrap();
    read(&mut r, A, "a/f").unwrap();
    assert_eq!(
        r.rename(A, "a", "x", Wait::Try),
        Err(vec![Error::WouldBlock])
    );
}

#[test]
fn status_and_bad_paths() {
    let mut r = default();
    read(&mut r, A, "a/b").unwrap();
    write(&mut r, B, "a/c").unwrap();
    let s = r.status("a").unwrap();
    assert_eq!((s.readers, s.writers, s.waiting), (2, 0, 0));
    assert_eq!(r.status("a/c").unwrap().writers, 1);
    assert_eq!(r.status("zz").unwrap(), StatusView::default());
    assert_eq!(r.status("//"), Err(Error::InvalidPath(PathError::Empty)));
    assert_eq!(
        read(&mut r, A, ""),
        Err(Error::InvalidPath(PathError::Empty))
    );
}
