//! The one place the runtime takes its synchronisation primitives from.
//!
//! Production uses parking_lot and std. Under `--cfg loom` the primitives
//! come from loom, and with the `shuttle` feature from shuttle, so that those
//! checkers drive the very same runtime code. Nothing else in the crate names
//! a mutex, condition variable, atomic or thread-local directly.
//!
//! Tree nodes are shared through [`NodeArc`]: in production triomphe's
//! `Arc`, which has no weak count, so that telling whether a node is
//! referenced only once (to reuse its allocation) is a load rather than a
//! compare-and-swap; under the checkers their own `Arc`.
//!
//! Waiting is expressed as a [`Slot`]: one value handed from a waker to a
//! parked thread. The checkers have no clock, so under them a timed wait is a
//! nondeterministic timeout: the waiter looks once and, if nothing has been
//! handed over by then, times out. The checker explores every interleaving of
//! that look with the waker, which covers both outcomes.

use std::time::Instant;

#[cfg(not(any(loom, feature = "shuttle")))]
mod imp {
    pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard};
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64};
    pub(crate) use std::sync::Arc;
    pub(crate) use std::thread_local;
    use std::time::Instant;
    pub(crate) use triomphe::Arc as NodeArc;

    /// Blocks until `slot` is filled or `deadline` passes.
    pub(crate) fn take<T>(
        cv: &Condvar,
        mut slot: MutexGuard<'_, Option<T>>,
        deadline: Option<Instant>,
    ) -> Option<T> {
        while slot.is_none() {
            match deadline {
                None => cv.wait(&mut slot),
                Some(d) => {
                    if cv.wait_until(&mut slot, d).timed_out() {
                        break;
                    }
                }
            }
        }
        slot.take()
    }
}

#[cfg(any(loom, feature = "shuttle"))]
mod imp {
    #[cfg(loom)]
    use loom as checker;
    #[cfg(all(feature = "shuttle", not(loom)))]
    use shuttle as checker;

    pub(crate) use checker::sync::atomic::{AtomicBool, AtomicU32, AtomicU64};
    pub(crate) use checker::sync::{Arc, Arc as NodeArc, Condvar};
    pub(crate) use checker::thread_local;
    use std::time::Instant;

    /// A checker's mutex with parking_lot's panic-free `lock()`.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(checker::sync::Mutex<T>);

    /// The guard of [`Mutex`].
    pub(crate) type MutexGuard<'a, T> = checker::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(checker::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }

        /// Locks the mutex if nobody holds it; never waits.
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(g) => Some(g),
                Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }

        /// The value, through a unique reference: no locking needed.
        pub(crate) fn get_mut(&mut self) -> &mut T {
            self.0.get_mut().unwrap_or_else(|e| e.into_inner())
        }
    }

    /// Blocks until `slot` is filled; with a deadline, looks once (a
    /// nondeterministic timeout, see the module docs).
    pub(crate) fn take<T>(
        cv: &Condvar,
        mut slot: MutexGuard<'_, Option<T>>,
        deadline: Option<Instant>,
    ) -> Option<T> {
        if deadline.is_none() {
            while slot.is_none() {
                slot = cv.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        }
        slot.take()
    }
}

pub(crate) use imp::*;
pub(crate) use std::sync::atomic::Ordering;

/// One value handed from a waker to a parked thread.
#[derive(Debug)]
pub(crate) struct Slot<T> {
    value: Mutex<Option<T>>,
    cv: Condvar,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: Mutex::new(None),
            cv: Condvar::new(),
        }
    }
}

impl<T> Slot<T> {
    /// Hands `value` over and wakes the parked thread.
    pub(crate) fn put(&self, value: T) {
        *self.value.lock() = Some(value);
        self.cv.notify_one();
    }

    /// Parks until a value is handed over, or until `deadline` (then `None`).
    pub(crate) fn take(&self, deadline: Option<Instant>) -> Option<T> {
        imp::take(&self.cv, self.value.lock(), deadline)
    }
}
