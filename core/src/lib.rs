//! The hilok lock algorithm, written once, as a pure state machine.
//!
//! This crate decides; it never waits. It is written in Rust's safe subset
//! only, which the workspace lints in the root `Cargo.toml` enforce. It has
//! no threads, atomics, clocks or I/O, so the same code is driven by the
//! parking_lot runtime (the `hilok` crate), explored exhaustively by the
//! model checker, and could be driven by an async or a distributed runtime. Owners and wake-up tokens are plain
//! arguments; node state is plain data.
//!
//! - [`path`]: splitting a path into components, and its bounds.
//! - [`access`]: the intention protocol (which mode each node is taken in).
//! - [`mode`], [`counts`], [`recursion`]: the compatibility and re-entry tables.
//! - [`node`]: one node's state and the request / enqueue / release / cancel
//!   transitions, with the fairness rule and the wake-up decision.
//! - [`transfer`], [`rename`]: the rename plan and its per-node transitions.
//! - [`packed`]: a node state with at most one holder and no waiter in one
//!   word, so a driver can keep the common case in an atomic.
//!
//! An acquisition of a path takes its nodes root to leaf, calling
//! [`node::NodeState::request`] on each with the mode [`access::Access::mode_at`]
//! gives; a release releases leaf to root. The driver delivers the
//! [`node::Wakeups`] each transition returns.
#![no_std]

extern crate alloc;

pub mod access;
pub mod counts;
pub mod flags;
pub mod mode;
pub mod node;
pub mod owner;
pub mod packed;
pub mod path;
pub mod recursion;
pub mod rename;
pub mod storage;
pub mod transfer;

pub use access::Access;
pub use counts::Counts;
pub use flags::{Flags, Recursion};
pub use mode::Mode;
pub use node::{Blocking, Cancel, Decision, NodeState, NotHeld, Pending, Refusal, Wakeup, Wakeups};
pub use owner::OwnerId;
pub use packed::Word;
pub use path::PathError;
pub use rename::{RenameError, RenamePlan};
pub use transfer::{Transfer, TransferCheck};
