//! Property bits of [`crate::state::State::violated`].
//!
//! Step properties judge what one transition did. The model evaluates them
//! (with the predicates of [`crate::properties`]) while it takes the step
//! and records a violation as a sticky bit, so the state graph does not grow
//! with history.
//!
//! State properties ([`EXCLUSION`], [`ACCOUNTING`], [`DEADLOCK`]) are
//! evaluated once on every state the model creates, from one snapshot; their
//! bits are a function of the rest of the state, so they add no states.

/// A fresh request was granted past a conflicting waiter.
pub const NO_OVERTAKING: u16 = 1 << 0;
/// A would-deadlock answer had no justification.
pub const NO_FALSE_WOULD_DEADLOCK: u16 = 1 << 1;
/// A rename did not move holdings exactly.
pub const RENAME_MOVES_HOLDINGS: u16 = 1 << 2;
/// A timeout left something held or queued.
pub const TIMEOUT_LEAVES_NOTHING: u16 = 1 << 3;
/// The core answered a driver request it should never get (releasing what
/// is not held, an inconsistent transfer, a wake-up for a busy owner): the
/// bookkeeping and the core disagree. Reported under `accounting`.
pub const DRIVER_CONSISTENT: u16 = 1 << 4;
/// [`crate::properties::exclusion`] fails in this state.
pub const EXCLUSION: u16 = 1 << 5;
/// [`crate::properties::accounting`] fails in this state.
pub const ACCOUNTING: u16 = 1 << 6;
/// The configuration's deadlock property ([`crate::properties::deadlock_free`]
/// or [`crate::properties::only_user_cycles`]) fails in this state.
pub const DEADLOCK: u16 = 1 << 7;
/// This state has no successor.
pub const TERMINAL: u16 = 1 << 8;
/// The bits that describe the state itself (not sticky).
pub const STATE_BITS: u16 = EXCLUSION | ACCOUNTING | DEADLOCK | TERMINAL;
