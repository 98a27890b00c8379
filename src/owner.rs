//! Owner identities for threads: the runtime's owner is the calling thread.

use crate::sync::{AtomicU64, Ordering};
use hilok_core::OwnerId;

static NEXT: AtomicU64 = AtomicU64::new(1);

std::thread_local! {
    static CURRENT: OwnerId = OwnerId(NEXT.fetch_add(1, Ordering::Relaxed));
}

/// The calling thread's owner identity (unique for the life of the process).
///
/// During thread-local destruction at thread exit the identity is gone; the
/// caller then gets a fresh identity that owns nothing (never a panic).
#[inline]
pub(crate) fn current() -> OwnerId {
    CURRENT
        .try_with(|o| *o)
        .unwrap_or_else(|_| OwnerId(NEXT.fetch_add(1, Ordering::Relaxed)))
}
