//! The operations a differential run is made of, and how they are generated.
//!
//! Paths come mostly from a three-letter alphabet, one to three components
//! deep, so that owners conflict often; a few are unusual (unicode, a name
//! containing a separator character, doubled separators) or invalid (empty,
//! only separators, past the component or byte bound), and a few sit exactly
//! at a bound.

use hilok_verification::reference::path::{MAX_COMPONENTS, MAX_PATH_BYTES};
use proptest::prelude::*;

/// One path component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    /// `a`
    A,
    /// `b`
    B,
    /// `c`
    C,
    /// `é`: a two-byte character.
    Accented,
    /// `x/y`: one name when the separator is not `/`, two when it is.
    WithSlash,
    /// `x:y`: one name when the separator is not `:`, two when it is.
    WithColon,
}

impl Name {
    fn text(self) -> &'static str {
        match self {
            Name::A => "a",
            Name::B => "b",
            Name::C => "c",
            Name::Accented => "é",
            Name::WithSlash => "x/y",
            Name::WithColon => "x:y",
        }
    }
}

/// A path, before it is joined with the manager's separator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSpec {
    /// The names joined with one separator.
    Plain(Vec<Name>),
    /// The names with a leading, a doubled and a trailing separator.
    Messy(Vec<Name>),
    /// `""`.
    Empty,
    /// Three separators.
    SeparatorsOnly,
    /// Exactly [`MAX_COMPONENTS`] components: valid.
    Deepest,
    /// One component more: `TooDeep`.
    TooDeep,
    /// One component of exactly [`MAX_PATH_BYTES`] bytes: valid.
    Longest,
    /// One byte more: `TooLong`.
    TooLong,
}

impl PathSpec {
    /// The path as a string for a manager whose separator is `sep`.
    pub fn render(&self, sep: char) -> String {
        let join = |names: &[Name]| {
            names
                .iter()
                .map(|n| n.text())
                .collect::<Vec<_>>()
                .join(&sep.to_string())
        };
        match self {
            PathSpec::Plain(names) => join(names),
            PathSpec::Messy(names) => {
                let inner = join(names).replace(sep, &format!("{sep}{sep}"));
                format!("{sep}{inner}{sep}")
            }
            PathSpec::Empty => String::new(),
            PathSpec::SeparatorsOnly => sep.to_string().repeat(3),
            PathSpec::Deepest => format!("a{sep}").repeat(MAX_COMPONENTS),
            PathSpec::TooDeep => format!("a{sep}").repeat(MAX_COMPONENTS + 1),
            PathSpec::Longest => "x".repeat(MAX_PATH_BYTES),
            PathSpec::TooLong => "x".repeat(MAX_PATH_BYTES + 1),
        }
    }
}

/// One step of a run. Owners and guards are indices, taken modulo the
/// number of owners and of guards not yet dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `try_read`/`try_write`, or with `timed` `read_for`/`write_for` with a
    /// zero timeout, on `owner`'s thread.
    Lock {
        /// Who.
        owner: usize,
        /// Write, else read.
        write: bool,
        /// Zero timeout, else try-once.
        timed: bool,
        /// Where.
        path: PathSpec,
    },
    /// `try_rename`, or with `timed` `rename_for` with a zero timeout.
    Rename {
        /// Who.
        owner: usize,
        /// Zero timeout, else try-once.
        timed: bool,
        /// Source.
        from: PathSpec,
        /// Destination.
        to: PathSpec,
    },
    /// A rename whose source is where a guard is (or was last), cut `up`
    /// components short (at least one component stays), so that renames
    /// often move something held.
    RenameHeld {
        /// Who.
        owner: usize,
        /// Zero timeout, else try-once.
        timed: bool,
        /// Which guard's path.
        guard: usize,
        /// How many trailing components to drop.
        up: usize,
        /// Destination.
        to: PathSpec,
    },
    /// `release()` of a guard, called on owner `by`'s thread.
    Release {
        /// The calling owner.
        by: usize,
        /// Which guard.
        guard: usize,
    },
    /// Dropping a guard on owner `by`'s thread.
    Drop {
        /// The dropping owner.
        by: usize,
        /// Which guard.
        guard: usize,
    },
    /// `status(path)`.
    Status {
        /// Where.
        path: PathSpec,
    },
}

impl Op {
    /// The operation's `guard` field, if it has one.
    pub fn guard_mut(&mut self) -> Option<&mut usize> {
        match self {
            Op::RenameHeld { guard, .. } | Op::Release { guard, .. } | Op::Drop { guard, .. } => {
                Some(guard)
            }
            Op::Lock { .. } | Op::Rename { .. } | Op::Status { .. } => None,
        }
    }
}

/// A manager's configuration for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Number of owner threads.
    pub owners: usize,
    /// The flag value: a recursion mode or-ed with loose bits.
    pub flags: u32,
    /// The separator.
    pub sep: char,
}

fn name() -> impl Strategy<Value = Name> {
    prop_oneof![
        10 => Just(Name::A),
        10 => Just(Name::B),
        10 => Just(Name::C),
        1 => Just(Name::Accented),
        1 => Just(Name::WithSlash),
        1 => Just(Name::WithColon),
    ]
}

fn path() -> impl Strategy<Value = PathSpec> {
    let names = || prop::collection::vec(name(), 1..=3);
    prop_oneof![
        90 => names().prop_map(PathSpec::Plain),
        4 => names().prop_map(PathSpec::Messy),
        1 => Just(PathSpec::Empty),
        1 => Just(PathSpec::SeparatorsOnly),
        1 => Just(PathSpec::Deepest),
        1 => Just(PathSpec::TooDeep),
        1 => Just(PathSpec::Longest),
        1 => Just(PathSpec::TooLong),
    ]
}

fn op(timed_renames: bool) -> impl Strategy<Value = Op> {
    let who = 0usize..4;
    let guard = 0usize..8;
    let timed_rename = move || {
        if timed_renames {
            any::<bool>().boxed()
        } else {
            Just(false).boxed()
        }
    };
    prop_oneof![
        10 => (who.clone(), any::<bool>(), prop::bool::weighted(0.2), path())
            .prop_map(|(owner, write, timed, path)| Op::Lock { owner, write, timed, path }),
        2 => (who.clone(), timed_rename(), path(), path())
            .prop_map(|(owner, timed, from, to)| Op::Rename { owner, timed, from, to }),
        3 => (who.clone(), timed_rename(), guard.clone(), 0usize..3, path())
            .prop_map(|(owner, timed, guard, up, to)| Op::RenameHeld { owner, timed, guard, up, to }),
        3 => (who.clone(), guard.clone()).prop_map(|(by, guard)| Op::Release { by, guard }),
        2 => (who, guard).prop_map(|(by, guard)| Op::Drop { by, guard }),
        1 => path().prop_map(|path| Op::Status { path }),
    ]
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        3usize..=4,
        0u32..4,
        prop::sample::select(vec![0u32, 8, 16, 24]),
        prop_oneof![6 => Just('/'), 1 => Just(':'), 1 => Just('→')],
    )
        .prop_map(|(owners, recursion, loose, sep)| Setup {
            owners,
            flags: recursion | loose,
            sep,
        })
}

/// A configuration and up to `max_ops` operations; `timed_renames` says
/// whether renames may be zero-timeout `rename_for` calls too.
pub fn scenario(max_ops: usize, timed_renames: bool) -> impl Strategy<Value = (Setup, Vec<Op>)> {
    (
        setup(),
        prop::collection::vec(op(timed_renames), 1..=max_ops),
    )
}
