//! A node state in one word, for drivers that keep the common case in an
//! atomic.
//!
//! Most nodes, most of the time, are free or held by one owner with nobody
//! waiting. Such a state fits in 64 bits, and a driver can then decide a
//! request or a release with one compare-and-swap instead of a lock. The
//! word is only an encoding of a [`NodeState`]: the driver unpacks it, calls
//! the very transitions every other caller uses ([`NodeState::request`],
//! [`NodeState::release`]), and packs the result. A state that does not fit
//! (a second holder, a waiter, a count out of range) stays unpacked, and the
//! word says so with [`Word::INFLATED`].

use core::marker::PhantomData;

use crate::counts::Counts;
use crate::mode::{Mode, MODE_COUNT};
use crate::node::{Entry, Holder, NodeState};
use crate::owner::OwnerId;
use crate::storage::{HolderList, QueueList};

/// A [`NodeState`] with no waiter and at most one holder, in 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Word(pub u64);

impl Word {
    /// Bit 63. Set: the state lives unpacked in the driver (behind its lock)
    /// and every other bit is meaningless. Clear: the word is the state.
    pub const INFLATED: u64 = 1 << 63;
    /// Bits `0..OWNER_BITS`: the one holder's owner id; 0 when nobody holds.
    pub const OWNER_BITS: u32 = 40;
    /// Per mode, in [`Mode::index`] order above the owner: that many bits
    /// count the holder's holdings of the mode (all 0 when nobody holds).
    pub const COUNT_BITS: u32 = (63 - Self::OWNER_BITS) / MODE_COUNT as u32;
    /// Nobody holds, nobody waits.
    pub const FREE: Word = Word(0);
    /// The state is unpacked (see [`Word::INFLATED`]).
    pub const INFLATED_WORD: Word = Word(Self::INFLATED);

    const OWNER_MASK: u64 = (1 << Self::OWNER_BITS) - 1;
    const COUNT_MASK: u64 = (1 << Self::COUNT_BITS) - 1;

    /// Whether the state is not in this word.
    #[inline]
    pub fn is_inflated(self) -> bool {
        self.0 & Self::INFLATED != 0
    }

    /// Whether nobody holds (and so, packed, nobody waits).
    #[inline]
    pub fn is_free(self) -> bool {
        self == Self::FREE
    }

    #[inline]
    fn count_shift(mode: Mode) -> u32 {
        Self::OWNER_BITS + Self::COUNT_BITS * mode.index() as u32
    }

    /// The one holder, if any (`None` also for an inflated word).
    #[inline]
    fn holder(self) -> Option<Holder> {
        let owner = self.0 & Self::OWNER_MASK;
        if self.is_inflated() || owner == 0 {
            return None;
        }
        let mut counts = Counts::ZERO;
        for m in Mode::ALL {
            counts.0[m.index()] = ((self.0 >> Self::count_shift(m)) & Self::COUNT_MASK) as u32;
        }
        Some(Holder {
            owner: OwnerId(owner),
            counts,
        })
    }

    /// `h` in a word, if its owner and counts fit.
    #[inline]
    fn of_holder(h: &Holder) -> Option<Word> {
        let owner = h.owner.0;
        if owner == 0 || owner > Self::OWNER_MASK {
            return None;
        }
        let mut w = owner;
        for m in Mode::ALL {
            let n = u64::from(h.counts.get(m));
            if n > Self::COUNT_MASK {
                return None;
            }
            w |= n << Self::count_shift(m);
        }
        Some(Word(w))
    }
}

impl<T> NodeState<T> {
    /// This state as one word, if it fits: nobody waits, at most one
    /// holder, whose owner id and counts are in range.
    #[inline]
    pub fn pack(&self) -> Option<Word> {
        if !self.queue.is_empty() {
            return None;
        }
        match self.holders.as_slice() {
            [] => Some(Word::FREE),
            [h] => Word::of_holder(h),
            _ => None,
        }
    }

    /// The state `word` encodes; `None` for an inflated word.
    #[inline]
    pub fn unpack(word: Word) -> Option<Self> {
        if word.is_inflated() {
            return None;
        }
        let mut s = NodeState::new();
        if let Some(h) = word.holder() {
            s.holders.push(h);
        }
        Some(s)
    }
}

/// The holders of a [`Packed`] state: at most one. Adding a second one
/// marks the list as overflowed: the state no longer fits in a word.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OneHolder {
    one: Option<Holder>,
    overflow: bool,
}

impl HolderList for OneHolder {
    #[inline]
    fn as_slice(&self) -> &[Holder] {
        self.one.as_slice()
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [Holder] {
        self.one.as_mut_slice()
    }
    #[inline]
    fn push(&mut self, holder: Holder) {
        match self.one {
            None => self.one = Some(holder),
            Some(_) => self.overflow = true,
        }
    }
    #[inline]
    fn swap_remove(&mut self, i: usize) {
        if i == 0 {
            self.one = None;
        }
    }
}

/// The queue of a [`Packed`] state: always empty. Adding an entry marks it
/// as overflowed: the state no longer fits in a word.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoQueue<T> {
    overflow: bool,
    token: PhantomData<fn() -> T>,
}

impl<T> Default for NoQueue<T> {
    fn default() -> Self {
        NoQueue {
            overflow: false,
            token: PhantomData,
        }
    }
}

impl<T> QueueList<T> for NoQueue<T> {
    #[inline]
    fn len(&self) -> usize {
        0
    }
    #[inline]
    fn get(&self, _: usize) -> Option<&Entry<T>> {
        None
    }
    #[inline]
    fn iter<'a>(&'a self) -> impl Iterator<Item = &'a Entry<T>>
    where
        T: 'a,
    {
        core::iter::empty()
    }
    #[inline]
    fn push_back(&mut self, _: Entry<T>) {
        self.overflow = true;
    }
    #[inline]
    fn push_front(&mut self, _: Entry<T>) {
        self.overflow = true;
    }
    #[inline]
    fn remove(&mut self, _: usize) -> Option<Entry<T>> {
        None
    }
}

/// A node state kept the way a word keeps it, so that the transitions of
/// [`NodeState`] run on a word without allocation or a lock: unpack with
/// [`Word::unpacked`], step, and [`NodeState::packed`] gives the new word
/// (or `None` when the step left the shape a word can hold).
pub type Packed<T> = NodeState<T, OneHolder, NoQueue<T>>;

impl Word {
    /// This word's state, ready for transitions; `None` if inflated.
    #[inline]
    pub fn unpacked<T>(self) -> Option<Packed<T>> {
        if self.is_inflated() {
            return None;
        }
        let mut s = Packed::default();
        s.holders.one = self.holder();
        Some(s)
    }
}

impl<T> Packed<T> {
    /// The word for this state, unless a transition made it overflow.
    #[inline]
    pub fn packed(&self) -> Option<Word> {
        if self.holders.overflow || self.queue.overflow {
            return None;
        }
        match &self.holders.one {
            None => Some(Word::FREE),
            Some(h) => Word::of_holder(h),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::Recursion;
    use crate::node::{Blocking, Wakeups};
    use alloc::vec;
    use alloc::vec::Vec;

    type State = NodeState<u8>;

    fn held(owner: u64, shared: u32, exclusive: u32) -> State {
        let mut s = State::new();
        s.holders.push(Holder {
            owner: OwnerId(owner),
            counts: Counts([shared, exclusive]),
        });
        s
    }

    #[test]
    fn free_and_one_holder_round_trip() {
        assert_eq!(State::new().pack(), Some(Word::FREE));
        assert_eq!(State::unpack(Word::FREE), Some(State::new()));
        for owner in [1, 2, 77, (1 << Word::OWNER_BITS) - 1] {
            for (sh, ex) in [(1, 0), (0, 1), (3, 2), ((1 << Word::COUNT_BITS) - 1, 1)] {
                let s = held(owner, sh, ex);
                let w = s.pack().expect("fits");
                assert!(!w.is_inflated() && !w.is_free());
                assert_eq!(State::unpack(w), Some(s));
            }
        }
    }

    #[test]
    fn what_does_not_fit_is_not_packed() {
        let mut two = held(1, 1, 0);
        two.holders.push(Holder {
            owner: OwnerId(2),
            counts: Counts::of(Mode::Shared, 1),
        });
        assert_eq!(two.pack(), None);
        let mut waiting = held(1, 0, 1);
        waiting.enqueue(
            crate::node::Pending {
                owner: OwnerId(2),
                want: crate::node::Want::Fresh(Mode::Shared),
            },
            0,
        );
        assert_eq!(waiting.pack(), None);
        assert_eq!(held(1 << Word::OWNER_BITS, 1, 0).pack(), None);
        assert_eq!(held(0, 1, 0).pack(), None);
        assert_eq!(held(1, 1 << Word::COUNT_BITS, 0).pack(), None);
        assert_eq!(State::unpack(Word::INFLATED_WORD), None);
    }

    #[test]
    fn every_state_one_step_away_round_trips() {
        // From every packed state of two owners with up to two holdings of
        // each mode, every request and release the fast path may take: a
        // result that packs unpacks to itself.
        let mut states = vec![State::new()];
        for o in 1..=2 {
            for (sh, ex) in [(1, 0), (0, 1), (2, 0), (1, 1), (2, 2)] {
                states.push(held(o, sh, ex));
            }
        }
        let mut checked = 0;
        for s in &states {
            for owner in [OwnerId(1), OwnerId(2)] {
                for mode in Mode::ALL {
                    for rec in [Recursion::Strict, Recursion::Recursive] {
                        let mut a = s.clone();
                        let _ = a.request(owner, mode, rec, Blocking::Wait);
                        checked += round_trips(&a);
                    }
                    let mut a = s.clone();
                    let mut wake: Wakeups<u8> = Vec::new();
                    let _ = a.release(owner, mode, &mut wake);
                    checked += round_trips(&a);
                }
            }
        }
        assert!(checked > 40, "{checked} packed results");
    }

    #[test]
    fn transitions_on_a_word_agree_with_the_general_state() {
        // The same transitions on both storages, from every small packed
        // state: where the general result packs, the word's result is that
        // word, with the same answer; where it does not, neither does the
        // word's.
        let mut states = vec![State::new()];
        for o in 1..=2 {
            for (sh, ex) in [(1, 0), (0, 1), (2, 0), (1, 1), (2, 2)] {
                states.push(held(o, sh, ex));
            }
        }
        for s in &states {
            let w = s.pack().expect("fits");
            for owner in [OwnerId(1), OwnerId(2), OwnerId(3)] {
                for mode in Mode::ALL {
                    for rec in Recursion::ALL {
                        for blocking in [Blocking::Try, Blocking::Wait] {
                            let mut a = s.clone();
                            let mut b = w.unpacked::<u8>().expect("packed");
                            let da = a.request(owner, mode, rec, blocking);
                            let db = b.request(owner, mode, rec, blocking);
                            assert_eq!(da, db, "{s:?} {owner:?} {mode:?} {rec:?}");
                            assert_eq!(a.pack(), b.packed(), "{s:?} {owner:?} {mode:?} {rec:?}");
                        }
                    }
                    let mut a = s.clone();
                    let mut b = w.unpacked::<u8>().expect("packed");
                    let (mut wa, mut wb): (Wakeups<u8>, Wakeups<u8>) = (Vec::new(), Vec::new());
                    assert_eq!(
                        a.release(owner, mode, &mut wa),
                        b.release(owner, mode, &mut wb)
                    );
                    assert_eq!(a.pack(), b.packed());
                }
            }
        }
    }

    fn round_trips(s: &State) -> usize {
        match s.pack() {
            Some(w) => {
                assert_eq!(State::unpack(w).as_ref(), Some(s));
                1
            }
            None => 0,
        }
    }
}
