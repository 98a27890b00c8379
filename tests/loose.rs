//! Releasing a guard from another thread, with and without the loose flags.

mod common;
use common::{free_for_other, other, take, with_flags};
use hilok::{Error, Flags};

#[test]
fn without_loose_flags_release_elsewhere_is_refused_and_the_lock_stays() {
    for flags in [Flags::STRICT, Flags::RECURSIVE, Flags::LOOSE_READ_UNLOCK] {
        let h = with_flags(flags);
        let g = take(&h, "a/b", true);
        let (g, r) = other(move || {
            let mut g = g;
            let r = g.release();
            (g, r)
        });
        assert_eq!(r, Err(Error::WrongThread), "{flags:?}");
        assert!(g.is_held());
        assert!(!free_for_other(&h, "a/b", false));
        let mut g = g;
        assert_eq!(g.release(), Ok(()));
        assert_eq!(h.node_count(), 0);
    }
}

#[test]
fn with_loose_flags_another_thread_releases() {
    let cases = [
        (Flags::LOOSE_READ_UNLOCK, false),
        (Flags::LOOSE_WRITE_UNLOCK, true),
        (Flags::LOOSE_UNLOCK, false),
        (Flags::LOOSE_UNLOCK | Flags::STRICT, true),
    ];
    for (flags, write) in cases {
        let h = with_flags(flags);
        let g = take(&h, "a/b/c", write);
        let r = other(move || {
            let mut g = g;
            g.release()
        });
        assert_eq!(r, Ok(()), "{flags:?}");
        assert_eq!(h.node_count(), 0, "{flags:?}");
        assert!(free_for_other(&h, "a", true));
    }
}

#[test]
fn loose_read_flag_does_not_cover_write_guards() {
    let h = with_flags(Flags::RECURSIVE | Flags::LOOSE_READ_UNLOCK);
    let g = take(&h, "a", true);
    let r = other(move || {
        let mut g = g;
        let r = g.release();
        drop(g);
        r
    });
    assert_eq!(r, Err(Error::WrongThread));
    // Dropping the guard over there released it all the same.
    assert_eq!(h.node_count(), 0);
}

#[test]
fn drop_on_another_thread_releases_without_loose_flags() {
    let h = with_flags(Flags::STRICT);
    let g = take(&h, "a/b", false);
    other(move || drop(g));
    assert_eq!(h.node_count(), 0);
    assert!(free_for_other(&h, "a/b", true));
}

#[test]
fn release_twice_is_a_typed_error_and_changes_nothing() {
    let h = with_flags(Flags::RECURSIVE);
    let mut g = take(&h, "a", false);
    let _other = take(&h, "a", false);
    assert_eq!(g.release(), Ok(()));
    assert_eq!(g.release(), Err(Error::NotHeld));
    assert!(!g.is_held());
    assert_eq!(g.path(), None);
    // The second holding of the same thread is still there.
    assert!(!free_for_other(&h, "a", true));
}
