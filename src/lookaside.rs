//! Each thread remembers the nodes of the last few paths it acquired.
//!
//! Looking a path up costs a lock per level (the parent's, for its child
//! map). A thread that takes the same path again instead reuses the nodes it
//! took last time and asks each one with a compare-and-swap ([`crate::fast`]).
//! A remembered node may have left the tree or been moved by a rename since;
//! such a node is retired, its word stays inflated, and the fast request on
//! it fails: the acquisition then goes on from there the locked way. So a
//! remembered path is a hint that is never trusted, only tried.
//!
//! A slot is taken out while a guard uses its nodes and given back when the
//! guard is released on the same thread. The slot also keeps a handle to the
//! manager for the guard to take, so that a remembered acquisition changes
//! no reference count: two threads on disjoint paths then share no cache
//! line that either writes. A manager is kept alive by the slots that
//! remember it until they are reused or the thread exits; when its last user
//! handle is dropped it empties its tree at once (`HiLok`'s `Drop`), so what
//! stays is a few kilobytes of empty table.

use std::cell::RefCell;

use hilok_core::OwnerId;

use crate::node::Chain;
use crate::sync::Arc;
use crate::Inner;

/// Paths remembered per thread.
const SLOTS: usize = 4;

/// One remembered path.
#[derive(Default)]
struct Slot {
    /// The table it belongs to ([`crate::table::Table::id`]); 0 when empty.
    table: u64,
    path: String,
    /// Its nodes, root first; `None` while a guard has them.
    chain: Option<Chain>,
    /// A handle to the manager, for the next guard; `None` while a guard
    /// has it (or before the first guard gave one back).
    inner: Option<Arc<Inner>>,
    /// Bumped whenever the slot is given to another path.
    generation: u32,
}

/// A claim to give a chain back to a slot of the thread that took it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ticket {
    owner: OwnerId,
    slot: u8,
    generation: u32,
}

struct Slots {
    /// The thread's owner identity, kept here so that one thread-local
    /// access serves both.
    owner: OwnerId,
    slots: [Slot; SLOTS],
    /// The next slot to give to a new path.
    next: usize,
}

crate::sync::thread_local! {
    static SLOTS_OF_THREAD: RefCell<Slots> = RefCell::new(Slots::new(crate::owner::current()));
}

/// What a thread remembers of a path.
pub(crate) struct Remembered {
    /// The nodes, root first.
    pub(crate) chain: Chain,
    /// A handle to their manager, if one was given back.
    pub(crate) inner: Option<Arc<Inner>>,
}

/// The calling thread's owner identity; what it remembers of `path` of
/// table `table`, if anything; and a ticket to give back what the guard ends
/// up with. Nothing remembered and no ticket while another guard of this
/// thread has it.
#[inline]
pub(crate) fn take(table: u64, path: &str) -> (OwnerId, Option<Remembered>, Option<Ticket>) {
    SLOTS_OF_THREAD
        .try_with(|s| {
            let mut s = s.borrow_mut();
            let (remembered, ticket) = s.take(table, path);
            (s.owner, remembered, ticket)
        })
        .unwrap_or_else(|_| (crate::owner::current(), None, None))
}

/// Gives `chain` and `inner` back to the slot `ticket` names, if this is the
/// thread that took it and the slot is still that path's.
#[inline]
pub(crate) fn give_back(ticket: Ticket, chain: Chain, inner: Arc<Inner>) {
    // At thread exit the slots are gone: both are simply dropped.
    let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().give_back(ticket, chain, inner));
}

/// Forgets the path `ticket` names (its acquisition failed).
pub(crate) fn forget(ticket: Ticket) {
    let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().forget(ticket));
}

impl Slots {
    fn new(owner: OwnerId) -> Self {
        Slots {
            owner,
            slots: Default::default(),
            next: 0,
        }
    }

    #[inline]
    fn take(&mut self, table: u64, path: &str) -> (Option<Remembered>, Option<Ticket>) {
        let found = self
            .slots
            .iter()
            .position(|s| s.table == table && s.path == path);
        match found {
            Some(i) => {
                let slot = &mut self.slots[i];
                match slot.chain.take() {
                    Some(chain) => {
                        let inner = slot.inner.take();
                        (Some(Remembered { chain, inner }), Some(self.ticket(i)))
                    }
                    None => (None, None),
                }
            }
            None => (None, Some(self.claim(table, path))),
        }
    }

    #[cold]
    fn claim(&mut self, table: u64, path: &str) -> Ticket {
        let i = self.next;
        self.next = (i + 1) % SLOTS;
        let slot = &mut self.slots[i];
        slot.generation = slot.generation.wrapping_add(1);
        slot.table = table;
        slot.path.clear();
        slot.path.push_str(path);
        slot.chain = None;
        slot.inner = None;
        self.ticket(i)
    }

    fn ticket(&self, i: usize) -> Ticket {
        Ticket {
            owner: self.owner,
            slot: i as u8,
            generation: self.slots[i].generation,
        }
    }

    #[inline]
    fn give_back(&mut self, ticket: Ticket, chain: Chain, inner: Arc<Inner>) {
        if ticket.owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation && slot.chain.is_none() {
            slot.chain = Some(chain);
            slot.inner = Some(inner);
        }
    }

    fn forget(&mut self, ticket: Ticket) {
        if ticket.owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation {
            slot.generation = slot.generation.wrapping_add(1);
            slot.table = 0;
            slot.chain = None;
            slot.inner = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner() -> Arc<Inner> {
        crate::HiLok::new().inner.clone()
    }

    #[test]
    fn a_path_is_remembered_after_its_chain_comes_back() {
        let mut s = Slots::new(OwnerId(7));
        let (none, ticket) = s.take(1, "a/b");
        assert!(none.is_none());
        let ticket = ticket.expect("a slot is claimed on a miss");
        // While out, the same path is neither found nor claimed again.
        assert!(matches!(s.take(1, "a/b"), (None, None)));
        s.give_back(ticket, Chain::new(), inner());
        assert!(matches!(s.take(1, "a/b"), (Some(_), Some(_))));
        // Another table's path of the same name is another entry.
        assert!(matches!(s.take(2, "a/b"), (None, Some(_))));
    }

    #[test]
    fn another_threads_ticket_is_refused() {
        let mut s = Slots::new(OwnerId(7));
        let (_, t) = s.take(1, "a");
        let mut foreign = t.unwrap();
        foreign.owner = OwnerId(8);
        s.give_back(foreign, Chain::new(), inner());
        assert!(matches!(s.take(1, "a"), (None, None)), "still out");
    }

    #[test]
    fn a_recycled_slot_refuses_a_stale_ticket() {
        let mut s = Slots::new(OwnerId(7));
        let (_, old) = s.take(1, "p0");
        for i in 1..=SLOTS {
            let _ = s.take(1, &format!("p{i}"));
        }
        s.give_back(old.unwrap(), Chain::new(), inner());
        assert!(
            s.slots.iter().all(|x| x.chain.is_none()),
            "the slot went to another path"
        );
    }

    #[test]
    fn a_forgotten_path_is_claimed_afresh() {
        let mut s = Slots::new(OwnerId(7));
        let (_, t) = s.take(1, "a");
        s.forget(t.unwrap());
        assert!(matches!(s.take(1, "a"), (None, Some(_))));
    }
}
