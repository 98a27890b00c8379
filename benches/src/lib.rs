//! Benchmarks of `hilok` against its baselines (issue 5).
//!
//! The library holds what the bench targets in `benches/` share: the
//! baselines, the workloads' inputs, and the custom harnesses for figures
//! criterion cannot take (several threads, latency distributions, memory).
//!
//! - [`floor`]: the hardware lower bound, `d` preallocated `parking_lot`
//!   reader/writer locks.
//! - [`reference`]: a Rust rendering of the original package's design, one
//!   global mutex over a node map, written only for comparison.
//! - [`keyed`]: the `lockable` crate's keyed lock, one key per path prefix.
//! - [`subject`]: the one interface the workloads drive all of them through.
//! - [`paths`], [`zipf`], [`mix`]: workload inputs.
//! - [`parallel`], [`latency`], [`alloc`]: custom harnesses.
//! - [`config`], [`output`], [`stats`]: criterion settings, result files,
//!   percentiles.

pub mod alloc;
pub mod config;
pub mod floor;
pub mod keyed;
pub mod latency;
pub mod mix;
pub mod output;
pub mod parallel;
pub mod paths;
pub mod reference;
pub mod stats;
pub mod subject;
pub mod zipf;
