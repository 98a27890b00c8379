//! The runtime's report of every core transition it applies.
//!
//! With the `events` feature, each transition on a node is recorded while the
//! node's lock is held, so the log's order is the order in which the
//! transitions really happened. A checker replays the log on fresh core
//! states (`hilok-verification`): every recorded answer must be the one the
//! core gives, and the model's invariants must hold after every step.
//! Without the feature, recording compiles to nothing.

use hilok_core::rename::Amounts;
use hilok_core::{Blocking, Cancel, Decision, Mode, Pending, Recursion, Wakeup};

use crate::waiter::Token;

/// One transition, as applied by the runtime. Nodes and owners are numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A node entered the tree below `parent` (top-level when `None`).
    Created {
        /// The new node.
        node: u64,
        /// Its parent.
        parent: Option<u64>,
        /// Its last path component.
        name: String,
    },
    /// An unused node left the tree.
    Removed {
        /// The node.
        node: u64,
    },
    /// `NodeState::request` and its answer.
    Request {
        /// The node.
        node: u64,
        /// The requester.
        owner: u64,
        /// The mode asked for.
        mode: Mode,
        /// The manager's recursion mode.
        recursion: Recursion,
        /// Whether it could wait.
        blocking: Blocking,
        /// The core's answer.
        decision: Decision,
    },
    /// `NodeState::enqueue` of a pending request.
    Enqueue {
        /// The node.
        node: u64,
        /// The pending request.
        pending: Pending,
    },
    /// `NodeState::release` and whom it woke.
    Release {
        /// The node.
        node: u64,
        /// The owner whose holding is released.
        owner: u64,
        /// The mode released.
        mode: Mode,
        /// Whether the core accepted it.
        ok: bool,
        /// Owners woken, and how.
        woken: Vec<(u64, Wakeup)>,
    },
    /// `NodeState::cancel` (a timed-out waiter) and whom it woke.
    Cancel {
        /// The node.
        node: u64,
        /// The waiter.
        owner: u64,
        /// The core's answer.
        outcome: Cancel,
        /// Owners woken, and how.
        woken: Vec<(u64, Wakeup)>,
    },
    /// `NodeState::notify`: a child left the node's subtree.
    Notify {
        /// The node.
        node: u64,
        /// The owner whose step removed the child.
        by: u64,
        /// The watchers woken.
        woken: Vec<(u64, Wakeup)>,
    },
    /// `NodeState::watch` by a blocked rename.
    Watch {
        /// The node.
        node: u64,
        /// The renaming owner.
        owner: u64,
    },
    /// `NodeState::apply_transfer` of a rename.
    Transfer {
        /// The node.
        node: u64,
        /// Holdings removed.
        remove: Amounts,
        /// Holdings added.
        add: Amounts,
        /// Owners woken, and how.
        woken: Vec<(u64, Wakeup)>,
    },
    /// `NodeState::evict_waiters` on a renamed node.
    Evict {
        /// The node.
        node: u64,
        /// Owners woken, and how.
        woken: Vec<(u64, Wakeup)>,
    },
    /// A renamed node moved to a new place in the tree.
    Relink {
        /// The node.
        node: u64,
        /// Its new parent.
        parent: Option<u64>,
        /// Its new name.
        name: String,
    },
    /// A renamed node merged into `into`: its holders went there by a
    /// `Transfer`, its children now hang below `into`, and it left the tree.
    Merge {
        /// The node merged away.
        node: u64,
        /// The node it merged into.
        into: u64,
    },
    /// An acquisition completed: the owner has a guard on `node`.
    Acquired {
        /// The owner.
        owner: u64,
        /// The guard's leaf.
        node: u64,
        /// The leaf mode.
        mode: Mode,
    },
    /// A guard's release begins.
    Releasing {
        /// The guard's owner.
        owner: u64,
        /// The guard's leaf when it was acquired (follow `Merge` events for
        /// where its holding is now).
        node: u64,
        /// The leaf mode.
        mode: Mode,
    },
}

/// Where events go.
#[derive(Debug, Default)]
pub(crate) struct Log {
    #[cfg(feature = "events")]
    events: std::sync::Mutex<Vec<Event>>,
    /// Orders the transitions made without a node lock (a compare-and-swap
    /// on a node's word) with the inflations that end them, so that the log
    /// lists every node's transitions in the order they happened. A
    /// checker-aware lock: it is held across atomic operations.
    #[cfg(feature = "events")]
    order: crate::sync::Mutex<()>,
}

impl Log {
    /// A log that records nothing (without the `events` feature every log
    /// is one).
    #[cfg(not(feature = "events"))]
    pub(crate) const NONE: Log = Log {};

    /// Records the event `f` builds (only with the `events` feature). `f`
    /// must not lock anything: it runs under the log's own lock.
    #[inline(always)]
    pub(crate) fn record(&self, f: impl FnOnce() -> Event) {
        #[cfg(feature = "events")]
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f());
        #[cfg(not(feature = "events"))]
        let _ = f;
    }

    /// Runs `f`, a compare-and-swap on a node's word, and records `event`
    /// if it succeeded, as one step of the log (`events` feature).
    #[inline(always)]
    pub(crate) fn exchange(
        &self,
        f: impl FnOnce() -> Result<u64, u64>,
        event: impl FnOnce() -> Event,
    ) -> Result<u64, u64> {
        #[cfg(feature = "events")]
        {
            let _order = self.order.lock();
            let r = f();
            if r.is_ok() {
                self.record(event);
            }
            r
        }
        #[cfg(not(feature = "events"))]
        {
            let _ = event;
            f()
        }
    }

    /// Runs `f`, the inflation of a node's word, ordered with
    /// [`Log::exchange`] (`events` feature).
    #[inline(always)]
    pub(crate) fn ordered<R>(&self, f: impl FnOnce() -> R) -> R {
        #[cfg(feature = "events")]
        let _order = self.order.lock();
        f()
    }

    /// Takes the events recorded so far.
    #[cfg(feature = "events")]
    pub(crate) fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The owners a wake-up list wakes, and how.
pub(crate) fn woken(w: &[(Token, Wakeup)]) -> Vec<(u64, Wakeup)> {
    w.iter().map(|(t, k)| (t.owner().0, *k)).collect()
}
