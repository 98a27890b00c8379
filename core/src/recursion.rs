//! The re-entry table: what a request from an owner that already holds the
//! node means under each recursion mode.

use crate::flags::{Recursion, RECURSION_COUNT};
use crate::mode::{Mode, MODE_COUNT};

/// What a request means when its owner already holds the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reentry {
    /// Granted at once; it passes every waiter (the owner already holds).
    Grant,
    /// Escalation: granted once no other owner holds anything incompatible;
    /// until then it waits ahead of every fresh waiter.
    Escalate,
    /// Forbidden by the recursion mode. Waiting could only end if the owner
    /// released its own holding, so the request fails with would-deadlock.
    Refuse,
}

use Reentry::{Escalate as E, Grant as G, Refuse as R};

/// `REENTRY[recursion][held][requested]`, where `held` is the owner's
/// effective mode on the node (the supremum of what it holds there).
const REENTRY: [[[Reentry; MODE_COUNT]; MODE_COUNT]; RECURSION_COUNT] = [
    // STRICT:            request shared, exclusive
    [[G, R], [R, R]], // held shared / held exclusive
    // RECURSIVE_WRITE
    [[G, R], [R, G]],
    // RECURSIVE_ONEWAY
    [[G, R], [G, G]],
    // RECURSIVE
    [[G, E], [G, G]],
];

/// The table entry for `recursion`, an owner whose effective mode is `held`,
/// and a request for `requested`.
#[inline]
pub const fn reentry(recursion: Recursion, held: Mode, requested: Mode) -> Reentry {
    REENTRY[recursion.index()][held.index()][requested.index()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mode::{Exclusive as X, Shared as S};

    #[test]
    fn shared_always_stacks_on_shared() {
        for r in Recursion::ALL {
            assert_eq!(reentry(r, S, S), Reentry::Grant, "{r:?}");
        }
    }

    #[test]
    fn the_table_matches_the_reference() {
        use Recursion::*;
        assert_eq!(reentry(Strict, X, X), Reentry::Refuse);
        assert_eq!(reentry(Strict, X, S), Reentry::Refuse);
        assert_eq!(reentry(Strict, S, X), Reentry::Refuse);
        assert_eq!(reentry(RecursiveWrite, X, X), Reentry::Grant);
        assert_eq!(reentry(RecursiveWrite, X, S), Reentry::Refuse);
        assert_eq!(reentry(RecursiveWrite, S, X), Reentry::Refuse);
        assert_eq!(reentry(RecursiveOneway, X, S), Reentry::Grant);
        assert_eq!(reentry(RecursiveOneway, X, X), Reentry::Grant);
        assert_eq!(reentry(RecursiveOneway, S, X), Reentry::Refuse);
        assert_eq!(reentry(Recursive, S, X), Reentry::Escalate);
        assert_eq!(reentry(Recursive, X, S), Reentry::Grant);
        assert_eq!(reentry(Recursive, X, X), Reentry::Grant);
    }
}
