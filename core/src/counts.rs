//! How many holdings of each mode one owner has on one node.

use crate::mode::{Mode, MODE_COUNT};

/// Holdings of one owner on one node, counted per mode.
///
/// Each guard whose path passes through a node contributes exactly one
/// holding there: its leaf mode at its leaf, [`Mode::Shared`] above it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Counts(pub [u32; MODE_COUNT]);

impl Counts {
    /// No holding at all.
    pub const ZERO: Counts = Counts([0; MODE_COUNT]);

    /// `n` holdings of `mode`.
    #[inline]
    pub fn of(mode: Mode, n: u32) -> Counts {
        let mut c = Counts::ZERO;
        c.0[mode.index()] = n;
        c
    }

    /// Holdings of `mode`.
    #[inline]
    pub fn get(&self, mode: Mode) -> u32 {
        self.0[mode.index()]
    }

    /// Total holdings, all modes together.
    #[inline]
    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    /// Whether there is no holding.
    #[inline]
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&n| n == 0)
    }

    /// The modes held at least once.
    #[inline]
    pub fn modes(&self) -> impl Iterator<Item = Mode> + '_ {
        Mode::ALL.into_iter().filter(|m| self.get(*m) > 0)
    }

    /// The weakest mode covering every mode held, if any is held.
    #[inline]
    pub fn effective(&self) -> Option<Mode> {
        self.modes().reduce(Mode::supremum)
    }

    /// Whether every holding here may coexist with every holding in `other`
    /// when the two belong to different owners.
    #[inline]
    pub fn compatible_with(&self, other: &Counts) -> bool {
        self.modes()
            .all(|a| other.modes().all(|b| a.compatible_with(b)))
    }

    /// Adds `other`, saturating (counts never wrap).
    #[inline]
    pub fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a = a.saturating_add(b);
        }
    }

    /// Subtracts `other`; `None` (and no change) if that would go below zero.
    #[inline]
    pub fn checked_sub(&self, other: &Counts) -> Option<Counts> {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a = a.checked_sub(b)?;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_mode_is_the_supremum() {
        let mut c = Counts::of(Mode::Shared, 2);
        assert_eq!(c.effective(), Some(Mode::Shared));
        c.add(&Counts::of(Mode::Exclusive, 1));
        assert_eq!(c.effective(), Some(Mode::Exclusive));
        assert_eq!(c.total(), 3);
        assert_eq!(Counts::ZERO.effective(), None);
    }

    #[test]
    fn subtraction_never_underflows() {
        let c = Counts::of(Mode::Shared, 1);
        assert_eq!(c.checked_sub(&Counts::of(Mode::Shared, 2)), None);
        assert_eq!(c.checked_sub(&c), Some(Counts::ZERO));
    }

    #[test]
    fn compatibility_between_owners() {
        let s = Counts::of(Mode::Shared, 1);
        let x = Counts::of(Mode::Exclusive, 1);
        assert!(s.compatible_with(&s));
        assert!(!s.compatible_with(&x));
        assert!(Counts::ZERO.compatible_with(&x));
    }
}
