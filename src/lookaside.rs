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
//! What a slot remembers is one boxed [`Held`]: the nodes and a handle to
//! their manager. The box itself moves (one pointer) from the slot to the
//! guard and back when the guard is released on the same thread; a guard
//! released elsewhere, or after its slot went to another path, frees it. So
//! a remembered acquisition changes no reference count and moves no chain:
//! two threads on disjoint paths then share no cache line that either
//! writes. A slot given to a new path reuses the box it has, if it has it.
//! A manager is kept alive by the slots that remember it until they are
//! reused or the thread exits; when its last user handle is dropped it
//! empties its tree at once (`HiLok`'s `Drop`), so what stays is a few
//! kilobytes of empty table.

use std::cell::RefCell;

use hilok_core::OwnerId;

use crate::node::Chain;
use crate::sync::Arc;
use crate::Inner;

/// Paths remembered per thread.
const SLOTS: usize = 4;

/// What a guard holds: the nodes it took, root first, and their manager.
pub(crate) struct Held {
    /// The nodes, root first.
    pub(crate) chain: Chain,
    /// The manager the nodes belong to.
    pub(crate) inner: Arc<Inner>,
}

impl Held {
    /// A new box with no nodes, for `inner`.
    #[cold]
    fn boxed(inner: &Arc<Inner>) -> Box<Held> {
        Box::new(Held {
            chain: Chain::new(),
            inner: inner.clone(),
        })
    }

    /// Empties the box for a new path of `inner`.
    #[cold]
    fn reset(&mut self, inner: &Arc<Inner>) {
        self.chain.clear();
        if !Arc::ptr_eq(&self.inner, inner) {
            self.inner = inner.clone();
        }
    }
}

/// One remembered path.
#[derive(Default)]
struct Slot {
    /// The table it belongs to ([`crate::table::Table::id`]); 0 when empty.
    table: u64,
    path: String,
    /// Its nodes and manager; `None` while a guard has them (or before the
    /// first guard gave them back).
    held: Option<Box<Held>>,
    /// Bumped whenever the slot is given to another path.
    generation: u32,
}

/// A claim to give a [`Held`] back to a slot of the thread that took it
/// (the guard keeps the thread's owner id next to it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ticket {
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

/// What an acquisition starts from.
pub(crate) struct Taken {
    /// The calling thread.
    pub(crate) owner: OwnerId,
    /// The nodes the thread remembers for the path (then `remembered`), or
    /// none; the acquisition fills it and its guard keeps it.
    pub(crate) held: Box<Held>,
    /// Whether `held` has the remembered nodes of the path.
    pub(crate) remembered: bool,
    /// Where to give `held` back; `None` while another guard of this
    /// thread has the path's slot.
    pub(crate) ticket: Option<Ticket>,
}

/// The calling thread's owner identity and what it remembers of `path` of
/// `inner`'s table (see [`Taken`]).
#[inline]
pub(crate) fn take(inner: &Arc<Inner>, path: &str) -> Taken {
    SLOTS_OF_THREAD
        .try_with(|s| s.borrow_mut().take(inner, path))
        .unwrap_or_else(|_| Taken {
            owner: crate::owner::current(),
            held: Held::boxed(inner),
            remembered: false,
            ticket: None,
        })
}

/// Gives `held` back to the slot `ticket` names, if this is `owner`'s
/// thread and the slot is still that path's; otherwise drops it.
#[inline]
pub(crate) fn give_back(ticket: Ticket, owner: OwnerId, held: Box<Held>) {
    // At thread exit the slots are gone: it is simply dropped.
    let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().give_back(ticket, owner, held));
}

/// Forgets the path `ticket` names (its acquisition by `owner` failed).
pub(crate) fn forget(ticket: Ticket, owner: OwnerId) {
    let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().forget(ticket, owner));
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
    fn take(&mut self, inner: &Arc<Inner>, path: &str) -> Taken {
        let table = inner.table.id();
        let found = self
            .slots
            .iter()
            .position(|s| s.table == table && s.path == path);
        match found {
            Some(i) => match self.slots[i].held.take() {
                Some(held) => Taken {
                    owner: self.owner,
                    held,
                    remembered: true,
                    ticket: Some(self.ticket(i)),
                },
                None => self.untracked(inner),
            },
            None => self.claim(table, inner, path),
        }
    }

    /// A box of its own for an acquisition of a path whose slot is out.
    #[cold]
    fn untracked(&self, inner: &Arc<Inner>) -> Taken {
        Taken {
            owner: self.owner,
            held: Held::boxed(inner),
            remembered: false,
            ticket: None,
        }
    }

    /// Gives the next slot to `path`, with its box emptied (or a new one).
    #[cold]
    fn claim(&mut self, table: u64, inner: &Arc<Inner>, path: &str) -> Taken {
        let i = self.next;
        self.next = (i + 1) % SLOTS;
        let slot = &mut self.slots[i];
        slot.generation = slot.generation.wrapping_add(1);
        slot.table = table;
        slot.path.clear();
        slot.path.push_str(path);
        let held = match slot.held.take() {
            Some(mut held) => {
                held.reset(inner);
                held
            }
            None => Held::boxed(inner),
        };
        Taken {
            owner: self.owner,
            held,
            remembered: false,
            ticket: Some(self.ticket(i)),
        }
    }

    fn ticket(&self, i: usize) -> Ticket {
        Ticket {
            slot: i as u8,
            generation: self.slots[i].generation,
        }
    }

    #[inline]
    fn give_back(&mut self, ticket: Ticket, owner: OwnerId, held: Box<Held>) {
        if owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation && slot.held.is_none() {
            slot.held = Some(held);
        }
    }

    fn forget(&mut self, ticket: Ticket, owner: OwnerId) {
        if owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation {
            slot.generation = slot.generation.wrapping_add(1);
            slot.table = 0;
            slot.held = None;
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
    fn a_path_is_remembered_after_its_nodes_come_back() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let first = s.take(&a, "a/b");
        assert!(!first.remembered);
        let ticket = first.ticket.expect("a slot is claimed on a miss");
        // While out, the same path is not remembered and gets no slot.
        let again = s.take(&a, "a/b");
        assert!(!again.remembered && again.ticket.is_none());
        s.give_back(ticket, OwnerId(7), first.held);
        let hit = s.take(&a, "a/b");
        assert!(hit.remembered && hit.ticket.is_some());
        // Another table's path of the same name is another entry.
        let b = inner();
        let other = s.take(&b, "a/b");
        assert!(!other.remembered && other.ticket.is_some());
        assert!(Arc::ptr_eq(&other.held.inner, &b));
    }

    #[test]
    fn another_threads_release_is_not_taken_back() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let t = s.take(&a, "a");
        s.give_back(t.ticket.unwrap(), OwnerId(8), t.held);
        let again = s.take(&a, "a");
        assert!(!again.remembered && again.ticket.is_none(), "still out");
    }

    #[test]
    fn a_recycled_slot_refuses_a_stale_ticket() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let old = s.take(&a, "p0");
        for i in 1..=SLOTS {
            let t = s.take(&a, &format!("p{i}"));
            assert!(!t.remembered);
        }
        s.give_back(old.ticket.unwrap(), OwnerId(7), old.held);
        assert!(
            s.slots.iter().all(|x| x.held.is_none()),
            "the slot went to another path"
        );
    }

    #[test]
    fn a_claimed_slot_reuses_its_box_emptied() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let mut first = s.take(&a, "p0");
        let node = a.table.lookup(None, "x", true).expect("created");
        a.table.unpin(&node);
        first.held.chain.push(node);
        let addr: *const Held = &*first.held;
        s.give_back(first.ticket.unwrap(), OwnerId(7), first.held);
        for i in 1..SLOTS {
            let t = s.take(&a, &format!("p{i}"));
            s.give_back(t.ticket.unwrap(), OwnerId(7), t.held);
        }
        let b = inner();
        let reused = s.take(&b, "q");
        assert!(std::ptr::eq(&*reused.held, addr), "the same box");
        assert!(reused.held.chain.is_empty());
        assert!(Arc::ptr_eq(&reused.held.inner, &b));
    }

    #[test]
    fn a_forgotten_path_is_claimed_afresh() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let t = s.take(&a, "a");
        s.forget(t.ticket.unwrap(), OwnerId(7));
        let again = s.take(&a, "a");
        assert!(!again.remembered && again.ticket.is_some());
    }
}
