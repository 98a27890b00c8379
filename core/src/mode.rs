//! Node-level lock modes and their tables.
//!
//! Every decision about whether two holdings may coexist on one node, or what
//! an owner holds in effect when it holds several modes, is a lookup in the
//! tables below. Adding Gray's intention modes (IS, IX, SIX) later means adding
//! rows and columns here, not new branches in the transitions.

/// A lock mode held or requested on a single node.
///
/// `read(p)` takes [`Mode::Shared`] on every node of `p`; `write(p)` takes
/// [`Mode::Shared`] on the ancestors and [`Mode::Exclusive`] on the leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Shared: compatible with other shared holdings of other owners.
    Shared = 0,
    /// Exclusive: compatible with no holding of any other owner.
    Exclusive = 1,
}

/// Number of modes; the size of every table indexed by [`Mode`].
pub const MODE_COUNT: usize = 2;

/// `COMPATIBLE[a][b]`: may one owner hold `a` while another owner holds `b`.
const COMPATIBLE: [[bool; MODE_COUNT]; MODE_COUNT] = [
    // Shared, Exclusive   (held by the other owner)
    [true, false],  // Shared requested
    [false, false], // Exclusive requested
];

/// `SUPREMUM[a][b]`: the weakest mode that is at least as strong as both.
const SUPREMUM: [[Mode; MODE_COUNT]; MODE_COUNT] = [
    [Mode::Shared, Mode::Exclusive],
    [Mode::Exclusive, Mode::Exclusive],
];

impl Mode {
    /// Every mode, in table order.
    pub const ALL: [Mode; MODE_COUNT] = [Mode::Shared, Mode::Exclusive];

    /// The mode's row and column in the tables.
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether a holding of `self` by one owner may coexist with a holding of
    /// `other` by a different owner.
    #[inline]
    pub const fn compatible_with(self, other: Mode) -> bool {
        COMPATIBLE[self.index()][other.index()]
    }

    /// The weakest mode covering both `self` and `other`.
    #[inline]
    pub const fn supremum(self, other: Mode) -> Mode {
        SUPREMUM[self.index()][other.index()]
    }

    /// A short lower-case name, as used in the docs and the model.
    pub const fn name(self) -> &'static str {
        match self {
            Mode::Shared => "shared",
            Mode::Exclusive => "exclusive",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatibility_is_symmetric() {
        for a in Mode::ALL {
            for b in Mode::ALL {
                assert_eq!(a.compatible_with(b), b.compatible_with(a), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn only_shared_pairs_are_compatible() {
        assert!(Mode::Shared.compatible_with(Mode::Shared));
        assert!(!Mode::Shared.compatible_with(Mode::Exclusive));
        assert!(!Mode::Exclusive.compatible_with(Mode::Exclusive));
    }

    #[test]
    fn supremum_is_an_upper_bound() {
        for a in Mode::ALL {
            for b in Mode::ALL {
                let s = a.supremum(b);
                assert!(s >= a && s >= b);
                assert_eq!(s, b.supremum(a));
            }
        }
    }
}
