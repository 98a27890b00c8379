//! Owner identities for threads: the runtime's owner is the calling thread.

use hilok_core::OwnerId;
use std::sync::atomic::{AtomicU64, Ordering};

// Identities need no model checking: a plain std counter in every build.
static NEXT: AtomicU64 = AtomicU64::new(1);

fn fresh() -> OwnerId {
    OwnerId(NEXT.fetch_add(1, Ordering::Relaxed))
}

crate::sync::thread_local! {
    static CURRENT: OwnerId = fresh();
}

/// The calling thread's owner identity (unique for the life of the process).
///
/// During thread-local destruction at thread exit the identity is gone; the
/// caller then gets a fresh identity that owns nothing (never a panic).
#[inline]
pub(crate) fn current() -> OwnerId {
    CURRENT.try_with(|o| *o).unwrap_or_else(|_| fresh())
}
