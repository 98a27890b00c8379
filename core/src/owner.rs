//! Owner identities.
//!
//! An owner is whoever holds locks: a thread in the parking_lot runtime, a
//! task in an async driver, a client in a distributed one. The core never asks
//! what an owner is; it only compares identities.

/// An owner's identity, as chosen by the driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnerId(pub u64);
