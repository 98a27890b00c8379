//! Bad input gets a typed error and leaves the manager usable.

mod common;
use common::take;
use hilok::{Error, Flags, HiLok, PathError, MAX_COMPONENTS, MAX_PATH_BYTES};

fn all_calls(h: &HiLok, path: &str) -> Vec<Result<(), Error>> {
    vec![
        h.read(path).map(drop),
        h.write(path).map(drop),
        h.try_read(path).map(drop),
        h.try_write(path).map(drop),
        h.read_for(path, common::HANG).map(drop),
        h.write_for(path, common::HANG).map(drop),
        h.rename(path, "ok").map(drop),
        h.rename("ok", path).map(drop),
        h.status(path).map(drop),
    ]
}

#[test]
fn empty_and_separator_only_paths_are_invalid() {
    let h = HiLok::new();
    let _held = take(&h, "ok", true);
    for p in ["", "/", "//////"] {
        for r in all_calls(&h, p) {
            assert_eq!(r, Err(Error::InvalidPath(PathError::Empty)), "{p:?}");
        }
    }
    assert_eq!(h.node_count(), 1);
    assert!(h.write("a/b").is_ok());
}

#[test]
fn paths_past_the_bounds_are_invalid() {
    let h = HiLok::new();
    let deep = "a/".repeat(MAX_COMPONENTS + 1);
    assert_eq!(
        h.read(&deep).unwrap_err(),
        Error::InvalidPath(PathError::TooDeep)
    );
    let long = "x".repeat(MAX_PATH_BYTES + 1);
    assert_eq!(
        h.write(&long).unwrap_err(),
        Error::InvalidPath(PathError::TooLong)
    );
    assert_eq!(
        h.rename("a", &long).unwrap_err(),
        Error::InvalidPath(PathError::TooLong)
    );
    assert_eq!(h.node_count(), 0);
    // At the bound itself it works, and releases every node.
    let at_bound = "a/".repeat(MAX_COMPONENTS);
    let g = h.write(&at_bound).unwrap();
    assert_eq!(h.node_count(), MAX_COMPONENTS);
    drop(g);
    assert_eq!(h.node_count(), 0);
}

#[test]
fn unicode_names_and_separators() {
    let h = HiLok::builder().separator('→').build();
    let g = take(&h, "данные→ключ→🔑", true);
    assert_eq!(g.path().as_deref(), Some("данные→ключ→🔑"));
    assert!(!common::free_for_other(&h, "данные", true));
    assert!(common::free_for_other(&h, "данные→другое", true));
}

#[test]
fn unknown_flag_bits_are_rejected() {
    for bits in [4, 5, 6, 7, 32, 64, u32::MAX] {
        assert_eq!(Flags::from_bits(bits), None, "{bits}");
    }
    assert_eq!(
        Flags::from_bits(3 | 24),
        Some(Flags::RECURSIVE | Flags::LOOSE_UNLOCK)
    );
}

#[test]
fn errors_display_clearly() {
    let cases = [
        (Error::WouldBlock, "not free"),
        (Error::Timeout, "deadline"),
        (Error::WouldDeadlock, "release its own"),
        (Error::InvalidPath(PathError::Empty), "no component"),
        (Error::NotHeld, "not held"),
        (Error::WrongThread, "another thread"),
        (Error::InvalidRename, "own subtree"),
    ];
    for (e, text) in cases {
        assert!(e.to_string().contains(text), "{e}");
        let _: &dyn std::error::Error = &e;
    }
}
