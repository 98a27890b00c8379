//! Differential property tests: random operation sequences of 3 or 4 owners,
//! on the runtime and on the independent reference of `docs/semantics.md`
//! (`hilok_verification::reference`), compared after every step.
//!
//! Every call is try-once or has a zero timeout, so nothing ever waits and one
//! test thread drives all owners deterministically (each owner is a thread
//! that runs the operations it is sent, one at a time). A failure is shrunk to
//! a minimal sequence and printed as a transcript with the seed that replays
//! it. `PROPTEST_CASES` overrides the number of cases, `PROPTEST_RNG_SEED` the
//! seed; `-- --nocapture` shows how often each call had each outcome.
#![cfg(not(any(loom, feature = "shuttle")))]

#[path = "differential/harness.rs"]
mod harness;
#[path = "differential/ops.rs"]
mod ops;
#[path = "differential/runner.rs"]
mod runner;

use ops::{Name, Op, PathSpec, Setup};

/// Try-once and zero-timeout locks, try-once and zero-timeout renames,
/// releases from any owner, drops, status: the runtime answers exactly as the
/// reference.
#[test]
fn the_runtime_matches_the_reference() {
    runner::check(true);
}

/// Regression, found by these differential tests: the
/// destination `b` has a child `c` that another owner holds, as does the
/// moved node `a`; the rename must time out (nothing changes). The runtime
/// used to panic: it watched `b/c`, which is not among the nodes a rename
/// locks; it now watches `b`.
#[test]
fn a_timed_rename_onto_a_destination_whose_child_is_in_use() {
    let setup = Setup {
        owners: 3,
        flags: 3,
        sep: '/',
    };
    let read = |owner, names: &[Name]| Op::Lock {
        owner,
        write: false,
        timed: false,
        path: PathSpec::Plain(names.to_vec()),
    };
    let ops = [
        read(0, &[Name::A, Name::C]),
        read(1, &[Name::B, Name::C]),
        Op::Rename {
            owner: 0,
            timed: true,
            from: PathSpec::Plain(vec![Name::A]),
            to: PathSpec::Plain(vec![Name::B]),
        },
    ];
    runner::replay(&setup, &ops);
}
