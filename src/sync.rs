//! The one place the runtime takes its synchronisation primitives from.
//!
//! Production uses parking_lot and std atomics. Nothing else in the crate
//! names a mutex, condition variable or atomic type directly, so a checker
//! build (loom, shuttle) can swap them here without touching the logic.

pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard};
pub(crate) use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
pub(crate) use std::sync::Arc;

/// A lock guard that owns a reference to its mutex, so it can be carried
/// from one node to the next (hand-over-hand) without borrowing.
pub(crate) type ArcMutexGuard<T> = parking_lot::ArcMutexGuard<parking_lot::RawMutex, T>;
