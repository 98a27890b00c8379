//! Checks that tie the shipped `hilok` runtime to its specification and to
//! its checked core (issue 4). `docs/verification.md` lists every layer, what
//! it proves, its bounds and its command.
//!
//! - [`reference`](mod@reference): a deliberately simple, independent implementation of
//!   `docs/semantics.md` for try-once and zero-timeout calls, against which the
//!   differential property tests (`tests/differential.rs`) compare the runtime
//!   step by step.
//! - [`owner_thread`]: one long-lived thread per lock owner, so that a single
//!   test thread can drive several owners deterministically.
//! - `refinement` (feature `events`): replays the runtime's log of core
//!   transitions on fresh core states; `tests/shuttle.rs` and `tests/loom.rs`
//!   run it after every schedule.

pub mod owner_thread;
pub mod reference;
#[cfg(feature = "events")]
pub mod refinement;
