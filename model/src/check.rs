//! Running the checker on a configuration and collecting one row per
//! property.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use stateright::{Checker, Expectation, HasDiscoveries, Model, Path, Property};

use crate::action::Action;
use crate::state::State;

use crate::config::Config;

/// One property's outcome on one configuration.
#[derive(Clone, Debug)]
pub struct Row {
    /// The property's name.
    pub property: &'static str,
    /// `always` or `sometimes`.
    pub always: bool,
    /// Whether it holds: an `always` property found no counterexample, a
    /// `sometimes` property found an example.
    pub holds: bool,
    /// The counterexample (or, for `sometimes`, the example), rendered.
    pub path: Option<String>,
}

/// A whole configuration's outcome.
#[derive(Clone, Debug)]
pub struct Report {
    /// The configuration's name.
    pub config: &'static str,
    /// One row per property.
    pub rows: Vec<Row>,
    /// Unique states explored.
    pub unique_states: usize,
    /// Wall-clock time of the check.
    pub elapsed: Duration,
}

impl Report {
    /// Whether every property holds.
    pub fn all_hold(&self) -> bool {
        self.rows.iter().all(|r| r.holds)
    }

    /// The names of the properties that fail.
    pub fn failures(&self) -> Vec<&'static str> {
        self.rows
            .iter()
            .filter(|r| !r.holds)
            .map(|r| r.property)
            .collect()
    }
}

/// How far a check goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Explore every reachable state.
    Complete,
    /// Stop at the first counterexample (for seeded bugs).
    FirstFailure,
}

/// Checks `cfg` breadth-first on `threads` threads.
pub fn run(cfg: &Config, threads: usize, until: Until) -> Report {
    let start = Instant::now();
    let props = cfg.properties();
    let finish = match until {
        Until::Complete => HasDiscoveries::All,
        Until::FirstFailure => HasDiscoveries::AnyFailures,
    };
    let builder = cfg
        .clone()
        .checker()
        .threads(threads.max(1))
        .finish_when(finish);
    // Stateright reduces by symmetry only in its depth-first checker.
    let checker: Box<dyn Checker<Config>> = if cfg.symmetry && until == Until::Complete {
        Box::new(
            builder
                .symmetry_fn(crate::symmetry::representative)
                .spawn_dfs()
                .join(),
        )
    } else {
        Box::new(builder.spawn_bfs().join())
    };
    let rows = props
        .iter()
        .map(|p| {
            let found = checker.discovery(p.name);
            let always = p.expectation != Expectation::Sometimes;
            Row {
                property: p.name,
                always,
                holds: found.is_some() != always,
                path: found.map(|path| render(cfg, &shortest_prefix(cfg, p, path))),
            }
        })
        .collect();
    Report {
        config: cfg.name,
        rows,
        unique_states: checker.unique_state_count(),
        elapsed: start.elapsed(),
    }
}

/// The actions of `path` up to the first state that decides `p` (the first
/// counterexample for `always`, the first example for `sometimes`).
fn shortest_prefix(cfg: &Config, p: &Property<Config>, path: Path<State, Action>) -> Vec<Action> {
    let steps = path.into_vec();
    let always = p.expectation != Expectation::Sometimes;
    let end = steps
        .iter()
        .position(|(s, _)| (p.condition)(cfg, s) != always)
        .unwrap_or(steps.len().saturating_sub(1));
    steps.into_iter().take(end).filter_map(|(_, a)| a).collect()
}

/// A path as numbered actions, one a line.
pub fn render(cfg: &Config, actions: &[Action]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "path in {} ({} steps):", cfg.name, actions.len());
    for (i, a) in actions.iter().enumerate() {
        let _ = writeln!(out, "  {:>2}. {}", i + 1, crate::format::action(a));
    }
    out
}
