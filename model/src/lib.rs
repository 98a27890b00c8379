//! The stateright model of `hilok-core`.
//!
//! The model is the shipped core driven the way the runtime drives it: every
//! lock decision (grant, wait, refuse, whom to wake, whether a rename may
//! proceed) is a call into [`hilok_core`]. The model's own code is
//! bookkeeping only: the node table keyed by path, each owner's operation
//! in progress, wake-up delivery, and the property predicates.
//!
//! - [`config`]: a configuration (the stateright [`stateright::Model`]);
//!   [`configs`]: the named ones.
//! - [`state`], [`action`]: the state graph's vertices and edges.
//! - [`driver`], [`ops`], [`rename`]: the transitions, calling the core.
//! - [`properties`]: the properties as predicates over a [`properties::Snapshot`]
//!   (reusable on runtime traces); [`step`], [`reach`]: step and
//!   reachability properties; [`snapshot`]: state to snapshot.
//! - [`check`]: running the checker and reporting.
//!
//! `docs/spec.md` states every property and the command that checks it.

pub mod action;
pub mod check;
pub mod config;
pub mod configs;
pub(crate) mod driver;
pub mod format;
mod model;
pub(crate) mod ops;
pub mod path;
pub mod properties;
pub mod reach;
pub(crate) mod rename;
pub mod snapshot;
pub mod state;
pub mod step;
pub mod symmetry;

pub use action::Action;
pub use config::{Config, Kind, Mutation};
pub use state::State;
