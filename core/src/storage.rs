//! Where a node state keeps its holders and its waiting queue.
//!
//! The transitions of [`crate::node::NodeState`] are written once, against
//! these two small interfaces. The general storage (a small vector of
//! holders, a double-ended queue of entries) holds any state; the packed
//! storage of [`crate::packed`] holds only what fits in one word, and notes
//! when a transition left that shape, so the same transitions can run on a
//! word without a second copy of the algorithm.

use alloc::collections::VecDeque;
use smallvec::SmallVec;

use crate::node::{Entry, Holder};

/// A node's holders, in the order they first took it.
pub trait HolderList: Default {
    /// The holders.
    fn as_slice(&self) -> &[Holder];
    /// The holders, to change their counts.
    fn as_mut_slice(&mut self) -> &mut [Holder];
    /// Adds a holder at the end.
    fn push(&mut self, holder: Holder);
    /// Removes the holder at `i`, moving the last one there.
    fn swap_remove(&mut self, i: usize);
}

/// A node's waiting entries, front first.
pub trait QueueList<T>: Default {
    /// How many entries wait.
    fn len(&self) -> usize;
    /// Whether none waits.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The entry at `i`.
    fn get(&self, i: usize) -> Option<&Entry<T>>;
    /// The entries, front first.
    fn iter<'a>(&'a self) -> impl Iterator<Item = &'a Entry<T>>
    where
        T: 'a;
    /// Adds an entry at the back.
    fn push_back(&mut self, entry: Entry<T>);
    /// Adds an entry at the front.
    fn push_front(&mut self, entry: Entry<T>);
    /// Removes the entry at `i`.
    fn remove(&mut self, i: usize) -> Option<Entry<T>>;
}

impl HolderList for SmallVec<[Holder; 2]> {
    #[inline]
    fn as_slice(&self) -> &[Holder] {
        self
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [Holder] {
        self
    }
    #[inline]
    fn push(&mut self, holder: Holder) {
        SmallVec::push(self, holder);
    }
    #[inline]
    fn swap_remove(&mut self, i: usize) {
        SmallVec::swap_remove(self, i);
    }
}

impl<T> QueueList<T> for VecDeque<Entry<T>> {
    #[inline]
    fn len(&self) -> usize {
        VecDeque::len(self)
    }
    #[inline]
    fn get(&self, i: usize) -> Option<&Entry<T>> {
        VecDeque::get(self, i)
    }
    fn iter<'a>(&'a self) -> impl Iterator<Item = &'a Entry<T>>
    where
        T: 'a,
    {
        VecDeque::iter(self)
    }
    fn push_back(&mut self, entry: Entry<T>) {
        VecDeque::push_back(self, entry);
    }
    fn push_front(&mut self, entry: Entry<T>) {
        VecDeque::push_front(self, entry);
    }
    fn remove(&mut self, i: usize) -> Option<Entry<T>> {
        VecDeque::remove(self, i)
    }
}
