//! Where a node state keeps its holders and its waiting queue.
//!
//! The transitions of [`crate::node::NodeState`] are written once, against
//! these two small interfaces. The general storage (a small vector of
//! holders, a double-ended queue of entries) holds any state; the packed
//! storage of [`crate::packed`] holds only what fits in one word, and notes
//! when a transition left that shape, so the same transitions can run on a
//! word without a second copy of the algorithm.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use core::hash::{Hash, Hasher};
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

impl HolderList for SmallVec<[Holder; 1]> {
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

/// The general queue: one word and no allocation while nobody waits (most
/// nodes, most of the time), a double-ended queue otherwise. Equal and
/// hashed as the sequence of its entries.
#[derive(Clone, Debug)]
#[allow(
    clippy::box_collection,
    reason = "one word in every node instead of a four-word VecDeque; the box exists only while someone waits"
)]
pub struct Queue<T>(Option<Box<VecDeque<Entry<T>>>>);

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue(None)
    }
}

impl<T> Queue<T> {
    /// Takes every entry out, front first.
    pub fn take_all(&mut self) -> impl Iterator<Item = Entry<T>> {
        self.0.take().into_iter().flat_map(|q| q.into_iter())
    }
}

impl<T: PartialEq> PartialEq for Queue<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for Queue<T> {}

impl<T: Hash> Hash for Queue<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for e in self.iter() {
            e.hash(state);
        }
    }
}

impl<T> QueueList<T> for Queue<T> {
    #[inline]
    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |q| q.len())
    }
    #[inline]
    fn get(&self, i: usize) -> Option<&Entry<T>> {
        self.0.as_ref()?.get(i)
    }
    fn iter<'a>(&'a self) -> impl Iterator<Item = &'a Entry<T>>
    where
        T: 'a,
    {
        self.0.iter().flat_map(|q| q.iter())
    }
    fn push_back(&mut self, entry: Entry<T>) {
        self.0.get_or_insert_with(Box::default).push_back(entry);
    }
    fn push_front(&mut self, entry: Entry<T>) {
        self.0.get_or_insert_with(Box::default).push_front(entry);
    }
    fn remove(&mut self, i: usize) -> Option<Entry<T>> {
        let q = self.0.as_mut()?;
        let e = q.remove(i);
        if q.is_empty() {
            self.0 = None;
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Want;
    use crate::owner::OwnerId;
    use crate::Mode;

    fn entry(o: u64) -> Entry<u8> {
        Entry {
            owner: OwnerId(o),
            want: Want::Fresh(Mode::Shared),
            token: 0,
        }
    }

    #[test]
    fn an_emptied_queue_equals_a_new_one_and_frees_its_table() {
        let mut q: Queue<u8> = Queue::default();
        q.push_back(entry(1));
        q.push_front(entry(2));
        assert_eq!(
            q.iter().map(|e| e.owner.0).collect::<alloc::vec::Vec<_>>(),
            [2, 1]
        );
        assert!(q != Queue::default());
        assert!(q.remove(0).is_some() && q.remove(0).is_some());
        assert!(q.0.is_none());
        assert!(q == Queue::default());
        q.push_back(entry(3));
        assert_eq!(q.take_all().count(), 1);
        assert!(q.is_empty());
    }
}
