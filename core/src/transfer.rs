//! Rename transitions on one node: moving holdings in and out atomically.
//!
//! A rename changes several nodes at once. The driver locks them all, asks
//! [`NodeState::check_transfer`] on each, and only if every node answers
//! [`TransferCheck::Ready`] applies [`NodeState::apply_transfer`] to each.
//! Otherwise it registers a [`NodeState::watch`] on the node that blocked and
//! tries again when woken, holding nothing meanwhile.

use alloc::vec::Vec;

use crate::counts::Counts;
use crate::node::{Holder, Holders, NodeState, Wakeup, Wakeups, Want};
use crate::owner::OwnerId;
use crate::storage::{Queue, QueueList};

/// Holdings that leave and arrive at one node in one rename.
#[derive(Clone, Copy, Debug, Default)]
pub struct Transfer<'a> {
    /// Holdings removed (ancestor holdings of the moved subtree).
    pub remove: &'a [(OwnerId, Counts)],
    /// Holdings added (ancestor holdings, or the moved node's own).
    pub add: &'a [(OwnerId, Counts)],
}

/// Whether a transfer may be applied now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransferCheck {
    /// Every arriving holding is compatible: apply it.
    Ready,
    /// Some other owner holds or awaits something incompatible: wait.
    Wait,
    /// Only the caller's own holdings block it: waiting would never end.
    WouldDeadlock,
    /// The removals exceed what is held (a driver bug); nothing may change.
    Inconsistent,
}

impl TransferCheck {
    /// The stronger of two answers for one rename: inconsistent over
    /// would-deadlock over wait over ready.
    pub fn worst(self, other: TransferCheck) -> TransferCheck {
        let rank = |c: TransferCheck| match c {
            TransferCheck::Ready => 0,
            TransferCheck::Wait => 1,
            TransferCheck::WouldDeadlock => 2,
            TransferCheck::Inconsistent => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl<T> NodeState<T> {
    /// Whether `transfer` may be applied now, for a rename called by `caller`.
    ///
    /// Arriving holdings must be compatible with every other owner's holdings
    /// after the removals. An owner that held nothing here before must also be
    /// compatible with every waiting request (it may not overtake them);
    /// owners already holding pass the queue, as re-entrant requests do.
    pub fn check_transfer(&self, transfer: Transfer<'_>, caller: OwnerId) -> TransferCheck {
        let Some(after) = self.holders_after(transfer) else {
            return TransferCheck::Inconsistent;
        };
        let mut blocked = false;
        let mut by_caller = false;
        for (owner, counts) in transfer.add {
            for h in after.iter().filter(|h| h.owner != *owner) {
                if !counts.compatible_with(&h.counts) {
                    blocked = true;
                    by_caller |= h.owner == caller && !self.holding(caller).compatible_with(counts);
                }
            }
            blocked |= self.position(*owner).is_none() && self.conflicts_with_queue(*owner, counts);
        }
        match (blocked, by_caller) {
            (false, _) => TransferCheck::Ready,
            (true, true) => TransferCheck::WouldDeadlock,
            (true, false) => TransferCheck::Wait,
        }
    }

    /// Applies a transfer that [`NodeState::check_transfer`] found ready, then
    /// grants what the removals unblocked and wakes every watcher.
    pub fn apply_transfer(&mut self, transfer: Transfer<'_>, wake: &mut Wakeups<T>) {
        if let Some(after) = self.holders_after(transfer) {
            self.holders = after;
            self.settle(wake);
        }
    }

    /// Takes every holding away (the node is being merged into another).
    pub fn take_holders(&mut self) -> Vec<Holder> {
        core::mem::take(&mut self.holders).into_vec()
    }

    /// Sends away every fresh request and watcher (the node is being renamed;
    /// they were waiting for its old path). Escalations stay: their owners
    /// hold the node and move with it.
    pub fn evict_waiters(&mut self, wake: &mut Wakeups<T>) {
        let mut kept = Queue::default();
        for e in self.queue.take_all() {
            match e.want {
                Want::Escalate(_) => kept.push_back(e),
                Want::Fresh(_) => wake.push((e.token, Wakeup::Moved)),
                Want::Watch => wake.push((e.token, Wakeup::Changed)),
            }
        }
        self.queue = kept;
    }

    /// Whether the node at a rename's source may move now, before any
    /// transfer is checked. An escalation waiting here belongs to an owner
    /// that took shared holdings on the ancestors for a guard that does not
    /// exist yet, which no transfer can move: the rename waits until the
    /// escalation is granted or gives up. If the caller holds the node
    /// itself, the escalation waits for the caller: would-deadlock.
    pub fn check_source(&self, caller: OwnerId) -> TransferCheck {
        if !self.has_escalation() {
            TransferCheck::Ready
        } else if self.holding(caller).is_zero() {
            TransferCheck::Wait
        } else {
            TransferCheck::WouldDeadlock
        }
    }

    /// Whether this node, a child of a merge's destination with the name of
    /// a child of the moved node, blocks the merge (subtrees merge one level
    /// only): it does as long as it exists; if only the caller holds it,
    /// waiting would never end.
    pub fn check_collision(&self, caller: OwnerId) -> TransferCheck {
        match self.check_vacant(caller) {
            TransferCheck::Ready => TransferCheck::Wait,
            check => check,
        }
    }

    /// Whether a subtree may not be merged onto this node now: it is held or
    /// awaited. Answers like [`NodeState::check_transfer`].
    pub fn check_vacant(&self, caller: OwnerId) -> TransferCheck {
        if self.is_idle() {
            TransferCheck::Ready
        } else if !self.holders.is_empty() && self.holders.iter().all(|h| h.owner == caller) {
            TransferCheck::WouldDeadlock
        } else {
            TransferCheck::Wait
        }
    }

    fn holders_after(&self, transfer: Transfer<'_>) -> Option<Holders> {
        let mut after = self.holders.clone();
        for (owner, counts) in transfer.remove {
            let h = after.iter_mut().find(|h| h.owner == *owner)?;
            h.counts = h.counts.checked_sub(counts)?;
        }
        for (owner, counts) in transfer.add {
            match after.iter_mut().find(|h| h.owner == *owner) {
                Some(h) => h.counts.add(counts),
                None => after.push(Holder {
                    owner: *owner,
                    counts: *counts,
                }),
            }
        }
        after.retain(|h| !h.counts.is_zero());
        Some(after)
    }

    fn conflicts_with_queue(&self, owner: OwnerId, counts: &Counts) -> bool {
        self.queue.iter().any(|e| match e.want {
            Want::Fresh(m) | Want::Escalate(m) => {
                e.owner != owner && !counts.compatible_with(&Counts::of(m, 1))
            }
            Want::Watch => false,
        })
    }
}
