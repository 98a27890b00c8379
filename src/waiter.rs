//! Parking a thread until the core names it in a wake-up.
//!
//! Each waiting request gets a [`Waiter`]; the core keeps it as the entry's
//! token. The core's wake-up list is delivered only after the node's lock is
//! dropped, so no internal lock is held while a thread is parked or woken.

use std::time::Instant;

use hilok_core::{OwnerId, Wakeup, Wakeups};

use crate::sync::{Arc, Slot};

/// One parked request.
#[derive(Debug)]
pub(crate) struct Waiter {
    owner: OwnerId,
    slot: Slot<Wakeup>,
}

/// The core's wake-up token in this runtime.
pub(crate) type Token = Arc<Waiter>;

impl Waiter {
    /// A fresh token for a request of `owner`.
    pub(crate) fn token(owner: OwnerId) -> Token {
        Arc::new(Waiter {
            owner,
            slot: Slot::default(),
        })
    }

    /// Whose request this is.
    pub(crate) fn owner(&self) -> OwnerId {
        self.owner
    }

    /// Records `w` and wakes the parked thread.
    pub(crate) fn wake(&self, w: Wakeup) {
        self.slot.put(w);
    }

    /// Parks until woken, or until `deadline` passes (then `None`).
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Option<Wakeup> {
        self.slot.take(deadline)
    }
}

/// Delivers every wake-up the core decided. Call with no node lock held.
#[inline]
pub(crate) fn deliver(wakeups: Wakeups<Token>) {
    if !wakeups.is_empty() {
        wake_all(wakeups);
    }
}

#[cold]
fn wake_all(wakeups: Wakeups<Token>) {
    for (token, w) in wakeups {
        token.wake(w);
    }
}
