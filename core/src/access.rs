//! The intention protocol: which mode each node of a path is taken in.

use crate::mode::Mode;

/// What a caller asks for on a whole path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Shared on every node of the path, the leaf included.
    Read,
    /// Shared on every ancestor, exclusive on the leaf.
    Write,
}

impl Access {
    /// The mode taken on the leaf.
    #[inline]
    pub const fn leaf_mode(self) -> Mode {
        match self {
            Access::Read => Mode::Shared,
            Access::Write => Mode::Exclusive,
        }
    }

    /// The mode taken on every proper ancestor of the leaf.
    #[inline]
    pub const fn ancestor_mode(self) -> Mode {
        Mode::Shared
    }

    /// The mode taken at `level` (0 is the first component) of a path with
    /// `depth` components.
    #[inline]
    pub const fn mode_at(self, level: usize, depth: usize) -> Mode {
        self.mode_for(level + 1 == depth)
    }

    /// The mode taken on a node that is the leaf or an ancestor.
    #[inline]
    pub const fn mode_for(self, leaf: bool) -> Mode {
        if leaf {
            self.leaf_mode()
        } else {
            self.ancestor_mode()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_is_exclusive_only_at_the_leaf() {
        assert_eq!(Access::Write.mode_at(0, 3), Mode::Shared);
        assert_eq!(Access::Write.mode_at(1, 3), Mode::Shared);
        assert_eq!(Access::Write.mode_at(2, 3), Mode::Exclusive);
        for l in 0..3 {
            assert_eq!(Access::Read.mode_at(l, 3), Mode::Shared);
        }
    }
}
