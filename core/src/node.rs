//! One node's lock state and its transitions.
//!
//! A [`NodeState`] is plain data: who holds the node in which modes, and who
//! waits for it in which order. Every transition is a method that takes the
//! owner (and, for waits, the driver's wake-up token) as arguments and tells
//! the driver whom to wake. The call order a driver follows is:
//!
//! 1. [`NodeState::request`]: granted now, refused now, or [`Pending`];
//! 2. for a pending request the driver either drops it (try-once: the request
//!    already answered would-block) or calls [`NodeState::enqueue`] with a
//!    token, and then waits for that token to be woken;
//! 3. [`NodeState::release`] and [`NodeState::cancel`] (a timed-out waiter
//!    leaving) push every token they wake into a [`Wakeups`] list, which the
//!    driver delivers after it has stopped touching the state.
//!
//! Grants are handed off: a woken [`Wakeup::Granted`] token already holds the
//! node. Fairness: a fresh request is granted only if it is compatible with
//! every holder and with every request still waiting; requests of current
//! holders follow the re-entry table and pass the queue.

use alloc::vec::Vec;
use smallvec::SmallVec;

use crate::counts::Counts;
use crate::flags::Recursion;
use crate::mode::Mode;
use crate::owner::OwnerId;
use crate::recursion::{reentry, Reentry};
use crate::storage::{HolderList, Queue, QueueList};
use core::marker::PhantomData;

/// The holdings of one owner on a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Holder {
    /// Who holds.
    pub owner: OwnerId,
    /// How many holdings of each mode (never all zero while listed).
    pub counts: Counts,
}

/// What a queued entry waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Want {
    /// A request from an owner that held nothing here when it asked.
    Fresh(Mode),
    /// An escalation by a current holder; at most one per node, at the front.
    Escalate(Mode),
    /// Not a request: a rename waiting for this node to change. Never blocks
    /// anyone; woken on every change of holdings or queue.
    Watch,
}

/// A waiting entry in a node's queue.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry<T> {
    /// Who waits.
    pub owner: OwnerId,
    /// For what.
    pub want: Want,
    /// The driver's handle to wake it.
    pub token: T,
}

/// Why a request failed at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// It would have to wait and the caller asked not to.
    WouldBlock,
    /// It could only be granted after its own owner released something.
    WouldDeadlock,
}

/// A request that must wait; hand it to [`NodeState::enqueue`] or drop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use = "a pending request must be enqueued or abandoned"]
pub struct Pending {
    /// Who asked.
    pub owner: OwnerId,
    /// What it will wait for.
    pub want: Want,
}

/// The answer to [`NodeState::request`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The owner now holds the node in the requested mode.
    Granted,
    /// The owner must wait (only when the caller may block).
    Wait(Pending),
    /// The request failed; the state is unchanged.
    Refused(Refusal),
}

/// Whether the caller of [`NodeState::request`] may wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Blocking {
    /// It may wait (blocking or timed acquisition).
    Wait,
    /// It may not (try-once acquisition).
    Try,
}

/// What a woken token learns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wakeup {
    /// Its request was granted: it holds the node now.
    Granted,
    /// The node it waited at was renamed away; it holds nothing there and
    /// must look its path up again.
    Moved,
    /// A watched node changed; a waiting rename should try again.
    Changed,
}

/// Tokens to wake, in the order they were decided.
pub type Wakeups<T> = Vec<(T, Wakeup)>;

/// Releasing something the owner does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NotHeld;

/// The answer to [`NodeState::cancel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cancel {
    /// The entry was removed; others may have been woken.
    Removed,
    /// The owner had no entry here (it was granted or moved meanwhile).
    NotWaiting,
}

/// Holders of one node; the first is stored inline. (A node with one holder
/// or none usually lives packed in its driver's word; the general state is
/// for the rest, and is kept small.)
pub(crate) type Holders = SmallVec<[Holder; 1]>;

/// The lock state of one node.
///
/// `H` and `Q` say where the holders and the queue are kept (see
/// [`crate::storage`]); every driver-facing state uses the defaults, which
/// hold any state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeState<T, H = Holders, Q = Queue<T>> {
    pub(crate) holders: H,
    pub(crate) queue: Q,
    pub(crate) token: PhantomData<fn() -> T>,
}

impl<T, H: Default, Q: Default> Default for NodeState<T, H, Q> {
    fn default() -> Self {
        NodeState {
            holders: H::default(),
            queue: Q::default(),
            token: PhantomData,
        }
    }
}

impl<T> NodeState<T> {
    /// A node nobody holds or awaits.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<T, H: HolderList, Q: QueueList<T>> NodeState<T, H, Q> {
    /// Current holders, in the order they first took the node.
    pub fn holders(&self) -> &[Holder] {
        self.holders.as_slice()
    }

    /// Current waiting entries, front first.
    pub fn queue(&self) -> impl Iterator<Item = &Entry<T>> {
        self.queue.iter()
    }

    /// What `owner` holds here.
    #[inline]
    pub fn holding(&self, owner: OwnerId) -> Counts {
        self.position(owner)
            .map_or(Counts::ZERO, |i| self.holders.as_slice()[i].counts)
    }

    /// Whether nobody holds or awaits the node: the driver may discard it.
    #[inline]
    pub fn is_idle(&self) -> bool {
        self.holders.as_slice().is_empty() && self.queue.is_empty()
    }

    /// Whether an escalation waits here.
    pub fn has_escalation(&self) -> bool {
        self.queue
            .iter()
            .any(|e| matches!(e.want, Want::Escalate(_)))
    }

    /// Asks for `mode` on behalf of `owner`. See the module docs for the rule.
    #[inline]
    pub fn request(
        &mut self,
        owner: OwnerId,
        mode: Mode,
        recursion: Recursion,
        blocking: Blocking,
    ) -> Decision {
        match self.position(owner) {
            None => self.request_fresh(owner, mode, blocking),
            Some(i) => self.request_reentry(i, mode, recursion, blocking),
        }
    }

    /// Puts a pending request in the queue; `token` will be woken.
    pub fn enqueue(&mut self, pending: Pending, token: T) {
        let entry = Entry {
            owner: pending.owner,
            want: pending.want,
            token,
        };
        match pending.want {
            Want::Escalate(_) => self.queue.push_front(entry),
            Want::Fresh(_) | Want::Watch => self.queue.push_back(entry),
        }
    }

    /// Registers a rename's interest in the next change of this node.
    pub fn watch(&mut self, owner: OwnerId, token: T) {
        self.enqueue(
            Pending {
                owner,
                want: Want::Watch,
            },
            token,
        );
    }

    /// The node's subtree changed without its holdings changing (a child
    /// left the tree): wakes every rename watching here but `by`'s own (the
    /// owner whose step removed the child), which may now proceed.
    pub fn notify(&mut self, by: OwnerId, wake: &mut Wakeups<T>) {
        let mut i = 0;
        while let Some(e) = self.queue.get(i) {
            if e.want == Want::Watch && e.owner != by {
                if let Some(e) = self.queue.remove(i) {
                    wake.push((e.token, Wakeup::Changed));
                }
            } else {
                i += 1;
            }
        }
    }

    /// Releases one holding of `mode` by `owner`, then grants whatever can now
    /// be granted, pushing the woken tokens to `wake`.
    #[inline]
    pub fn release(
        &mut self,
        owner: OwnerId,
        mode: Mode,
        wake: &mut Wakeups<T>,
    ) -> Result<(), NotHeld> {
        let i = self.position(owner).ok_or(NotHeld)?;
        // Counted on a copy: writing one count and then reading both back
        // from memory would stall the processor's store forwarding.
        let mut counts = self.holders.as_slice()[i].counts;
        counts.0[mode.index()] = counts.get(mode).checked_sub(1).ok_or(NotHeld)?;
        if counts.is_zero() {
            self.holders.swap_remove(i);
        } else {
            self.holders.as_mut_slice()[i].counts = counts;
        }
        if !self.queue.is_empty() {
            self.settle(wake);
        }
        Ok(())
    }

    /// Removes `owner`'s waiting entry (a timeout), then grants whatever that
    /// unblocks.
    pub fn cancel(&mut self, owner: OwnerId, wake: &mut Wakeups<T>) -> Cancel {
        let Some(i) = self.queue.iter().position(|e| e.owner == owner) else {
            return Cancel::NotWaiting;
        };
        let entry = self.queue.remove(i);
        if !matches!(entry.map(|e| e.want), Some(Want::Watch)) {
            self.settle(wake);
        }
        Cancel::Removed
    }

    /// Grants every waiting entry that may now be granted, in queue order,
    /// and wakes every watcher.
    pub(crate) fn settle(&mut self, wake: &mut Wakeups<T>) {
        let mut i = 0;
        while let Some(e) = self.queue.get(i) {
            match e.want {
                Want::Watch => {
                    if let Some(e) = self.queue.remove(i) {
                        wake.push((e.token, Wakeup::Changed));
                    }
                }
                want if self.grantable_at(i, want) => {
                    if let Some(e) = self.queue.remove(i) {
                        self.grant(e.owner, want_mode(want));
                        wake.push((e.token, Wakeup::Granted));
                    }
                }
                _ => i += 1,
            }
        }
    }

    fn request_fresh(&mut self, owner: OwnerId, mode: Mode, blocking: Blocking) -> Decision {
        if self.fresh_grantable(owner, mode, self.queue.len()) {
            self.holders.push(Holder {
                owner,
                counts: Counts::of(mode, 1),
            });
            return Decision::Granted;
        }
        Self::wait_or_refuse(owner, Want::Fresh(mode), blocking)
    }

    fn request_reentry(
        &mut self,
        i: usize,
        mode: Mode,
        recursion: Recursion,
        blocking: Blocking,
    ) -> Decision {
        let Holder { owner, counts } = self.holders.as_slice()[i];
        let held = counts.effective().unwrap_or(mode);
        match reentry(recursion, held, mode) {
            Reentry::Grant => {
                self.holders.as_mut_slice()[i]
                    .counts
                    .add(&Counts::of(mode, 1));
                Decision::Granted
            }
            Reentry::Refuse => Decision::Refused(Refusal::WouldDeadlock),
            Reentry::Escalate => self.request_escalation(owner, mode, blocking),
        }
    }

    fn request_escalation(&mut self, owner: OwnerId, mode: Mode, blocking: Blocking) -> Decision {
        if self.others_compatible(owner, mode) {
            self.grant(owner, mode);
            Decision::Granted
        } else if self.has_escalation() {
            Decision::Refused(Refusal::WouldDeadlock)
        } else {
            Self::wait_or_refuse(owner, Want::Escalate(mode), blocking)
        }
    }

    fn wait_or_refuse(owner: OwnerId, want: Want, blocking: Blocking) -> Decision {
        match blocking {
            Blocking::Wait => Decision::Wait(Pending { owner, want }),
            Blocking::Try => Decision::Refused(Refusal::WouldBlock),
        }
    }

    fn grantable_at(&self, i: usize, want: Want) -> bool {
        let Some(owner) = self.queue.get(i).map(|e| e.owner) else {
            return false;
        };
        match want {
            Want::Fresh(m) => self.fresh_grantable(owner, m, i),
            Want::Escalate(m) => self.others_compatible(owner, m),
            Want::Watch => false,
        }
    }

    /// Compatible with every other holder and every request among the first
    /// `ahead` queue entries.
    fn fresh_grantable(&self, owner: OwnerId, mode: Mode, ahead: usize) -> bool {
        self.others_compatible(owner, mode)
            && self.queue.iter().take(ahead).all(|e| match e.want {
                Want::Fresh(m) | Want::Escalate(m) => e.owner == owner || mode.compatible_with(m),
                Want::Watch => true,
            })
    }

    fn others_compatible(&self, owner: OwnerId, mode: Mode) -> bool {
        let mine = Counts::of(mode, 1);
        self.holders
            .as_slice()
            .iter()
            .all(|h| h.owner == owner || mine.compatible_with(&h.counts))
    }

    pub(crate) fn grant(&mut self, owner: OwnerId, mode: Mode) {
        match self.position(owner) {
            Some(i) => self.holders.as_mut_slice()[i]
                .counts
                .add(&Counts::of(mode, 1)),
            None => self.holders.push(Holder {
                owner,
                counts: Counts::of(mode, 1),
            }),
        }
    }

    #[inline]
    pub(crate) fn position(&self, owner: OwnerId) -> Option<usize> {
        self.holders
            .as_slice()
            .iter()
            .position(|h| h.owner == owner)
    }
}

fn want_mode(want: Want) -> Mode {
    match want {
        Want::Fresh(m) | Want::Escalate(m) => m,
        Want::Watch => Mode::Shared,
    }
}

#[cfg(test)]
mod tests;
