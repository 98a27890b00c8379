//! Manager flags: the recursion mode and the loose-release bits.
//!
//! The numeric values are those of the original `hilok` package, so that a
//! value stored or passed by existing code means the same thing here.

use crate::mode::Mode;

bitflags::bitflags! {
    /// How a manager treats re-entry and release from another thread.
    ///
    /// The low two bits are the recursion mode (see [`Recursion`]); the values
    /// 4 to 7 are undefined and [`Flags::from_bits`] rejects them, as it
    /// rejects every unknown bit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Flags: u32 {
        /// No re-entry of an exclusive lock; shared holdings may stack.
        const STRICT = 0;
        /// Everything re-enters; shared escalates to exclusive when the
        /// requester is the only reader. The default. (Declared before its
        /// two bits so that it is the name `Debug` prints.)
        const RECURSIVE = 3;
        /// An owner holding exclusive may take exclusive again.
        const RECURSIVE_WRITE = 1;
        /// An owner holding exclusive may take shared or exclusive again.
        const RECURSIVE_ONEWAY = 2;
        /// Both loose bits.
        const LOOSE_UNLOCK = 24;
        /// A read guard may be released by a thread other than its owner.
        const LOOSE_READ_UNLOCK = 8;
        /// A write guard may be released by a thread other than its owner.
        const LOOSE_WRITE_UNLOCK = 16;
    }
}

impl Default for Flags {
    fn default() -> Self {
        Flags::RECURSIVE
    }
}

/// The recursion mode selected by the low bits of [`Flags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Recursion {
    /// `STRICT` (0).
    Strict = 0,
    /// `RECURSIVE_WRITE` (1).
    RecursiveWrite = 1,
    /// `RECURSIVE_ONEWAY` (2).
    RecursiveOneway = 2,
    /// `RECURSIVE` (3).
    Recursive = 3,
}

/// Number of recursion modes; the size of the re-entry table's first axis.
pub const RECURSION_COUNT: usize = 4;

impl Recursion {
    /// Every recursion mode, in table order.
    pub const ALL: [Recursion; RECURSION_COUNT] = [
        Recursion::Strict,
        Recursion::RecursiveWrite,
        Recursion::RecursiveOneway,
        Recursion::Recursive,
    ];

    /// The mode's row in the re-entry table.
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The flag value that selects this mode.
    pub const fn flags(self) -> Flags {
        Flags::from_bits_retain(self as u32)
    }
}

const RECURSION_MASK: u32 = 0b11;

impl Flags {
    /// The recursion mode these flags select.
    #[inline]
    pub const fn recursion(self) -> Recursion {
        match self.bits() & RECURSION_MASK {
            0 => Recursion::Strict,
            1 => Recursion::RecursiveWrite,
            2 => Recursion::RecursiveOneway,
            _ => Recursion::Recursive,
        }
    }

    /// Whether a guard whose leaf mode is `leaf` may be released by a thread
    /// other than the one that acquired it.
    #[inline]
    pub const fn loose_release(self, leaf: Mode) -> bool {
        let bit = match leaf {
            Mode::Shared => Flags::LOOSE_READ_UNLOCK.bits(),
            Mode::Exclusive => Flags::LOOSE_WRITE_UNLOCK.bits(),
        };
        self.bits() & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_the_original_package() {
        assert_eq!(Flags::STRICT.bits(), 0);
        assert_eq!(Flags::RECURSIVE_WRITE.bits(), 1);
        assert_eq!(Flags::RECURSIVE_ONEWAY.bits(), 2);
        assert_eq!(Flags::RECURSIVE.bits(), 3);
        assert_eq!(Flags::LOOSE_READ_UNLOCK.bits(), 8);
        assert_eq!(Flags::LOOSE_WRITE_UNLOCK.bits(), 16);
        assert_eq!(Flags::LOOSE_UNLOCK.bits(), 24);
        assert_eq!(Flags::default(), Flags::RECURSIVE);
    }

    #[test]
    fn from_bits_rejects_unknown_and_undefined_values() {
        for bad in [4, 5, 6, 7, 32, 1 << 31, 4 | 8] {
            assert_eq!(Flags::from_bits(bad), None, "{bad}");
        }
        for good in [0, 1, 2, 3, 8, 16, 24, 3 | 24, 1 | 8] {
            assert_eq!(Flags::from_bits(good).map(|f| f.bits()), Some(good));
        }
    }

    #[test]
    fn recursion_and_loose_bits_decode() {
        let f = Flags::RECURSIVE_ONEWAY | Flags::LOOSE_WRITE_UNLOCK;
        assert_eq!(f.recursion(), Recursion::RecursiveOneway);
        assert!(f.loose_release(Mode::Exclusive));
        assert!(!f.loose_release(Mode::Shared));
        for r in Recursion::ALL {
            assert_eq!(r.flags().recursion(), r);
        }
    }
}
