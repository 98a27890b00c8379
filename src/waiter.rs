//! Parking a thread until the core names it in a wake-up.
//!
//! Each waiting request gets a [`Waiter`]: a slot for the wake-up the core
//! decided and a condition variable. The core's wake-up list is delivered
//! only after the node's lock is dropped, so no internal lock is held while a
//! thread is parked or woken.

use std::time::Instant;

use hilok_core::{Wakeup, Wakeups};

use crate::sync::{Arc, Condvar, Mutex};

/// One parked request.
#[derive(Debug, Default)]
pub(crate) struct Waiter {
    slot: Mutex<Option<Wakeup>>,
    cv: Condvar,
}

/// The core's wake-up token in this runtime.
pub(crate) type Token = Arc<Waiter>;

impl Waiter {
    /// A fresh token.
    pub(crate) fn token() -> Token {
        Arc::new(Waiter::default())
    }

    /// Records `w` and wakes the parked thread.
    pub(crate) fn wake(&self, w: Wakeup) {
        *self.slot.lock() = Some(w);
        self.cv.notify_one();
    }

    /// Parks until woken, or until `deadline` passes (then `None`).
    pub(crate) fn wait(&self, deadline: Option<Instant>) -> Option<Wakeup> {
        let mut slot = self.slot.lock();
        while slot.is_none() {
            match deadline {
                None => self.cv.wait(&mut slot),
                Some(d) => {
                    if self.cv.wait_until(&mut slot, d).timed_out() {
                        break;
                    }
                }
            }
        }
        slot.take()
    }
}

/// Delivers every wake-up the core decided. Call with no node lock held.
#[inline]
pub(crate) fn deliver(wakeups: Wakeups<Token>) {
    for (token, w) in wakeups {
        token.wake(w);
    }
}
