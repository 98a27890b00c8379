//! A reader-preferring reader/writer lock, as the original's per-node lock
//! behaves: a reader is let in whenever no writer holds the lock, even while
//! a writer waits. Uncontended paths are one atomic compare-and-swap; waiters
//! sleep on a condition variable.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Instant;

use parking_lot::{Condvar, Mutex};

const WRITER: usize = 1 << (usize::BITS - 1);

/// The lock. Its state is the reader count, with the top bit for a writer.
#[derive(Default)]
pub struct ReaderPrefRwLock {
    state: AtomicUsize,
    sleepers: AtomicUsize,
    mutex: Mutex<()>,
    cv: Condvar,
}

impl ReaderPrefRwLock {
    /// An unlocked lock.
    pub fn new() -> Self {
        ReaderPrefRwLock::default()
    }

    fn try_read(&self) -> bool {
        let s = self.state.load(SeqCst);
        s & WRITER == 0
            && self
                .state
                .compare_exchange(s, s + 1, SeqCst, SeqCst)
                .is_ok()
    }

    fn try_write(&self) -> bool {
        self.state
            .compare_exchange(0, WRITER, SeqCst, SeqCst)
            .is_ok()
    }

    /// Shared; waits only while a writer holds the lock.
    pub fn read(&self) {
        loop {
            if self.try_read() {
                return;
            }
            if self.state.load(SeqCst) & WRITER != 0 {
                self.sleep(|l| l.try_read(), None);
                return;
            }
        }
    }

    /// Exclusive; waits until no one holds the lock.
    pub fn write(&self) {
        if !self.try_write() {
            self.sleep(|l| l.try_write(), None);
        }
    }

    /// Exclusive, or `false` once `deadline` has passed.
    pub fn write_until(&self, deadline: Instant) -> bool {
        self.try_write() || self.sleep(|l| l.try_write(), Some(deadline))
    }

    /// Releases a shared holding.
    pub fn unlock_read(&self) {
        if self.state.fetch_sub(1, SeqCst) == 1 {
            self.wake();
        }
    }

    /// Releases the exclusive holding.
    pub fn unlock_write(&self) {
        self.state.fetch_and(!WRITER, SeqCst);
        self.wake();
    }

    fn wake(&self) {
        if self.sleepers.load(SeqCst) > 0 {
            let _m = self.mutex.lock();
            self.cv.notify_all();
        }
    }

    fn sleep(&self, take: impl Fn(&Self) -> bool, deadline: Option<Instant>) -> bool {
        let mut m = self.mutex.lock();
        self.sleepers.fetch_add(1, SeqCst);
        let taken = loop {
            if take(self) {
                break true;
            }
            match deadline {
                None => self.cv.wait(&mut m),
                Some(d) => {
                    if self.cv.wait_until(&mut m, d).timed_out() {
                        break take(self);
                    }
                }
            }
        };
        self.sleepers.fetch_sub(1, SeqCst);
        taken
    }
}
