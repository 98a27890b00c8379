//! The model's actions. Their names are the TLA+ spec's action names.

use crate::path::Path;
use crate::state::{Guard, WaitKind};

/// One step of one owner.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Issue `read`/`write` (blocking, try or timed) on `path` and request
    /// its first node.
    Acquire {
        /// Who.
        owner: u8,
        /// Which path.
        path: Path,
        /// Write (else read).
        write: bool,
        /// How it may wait.
        wait: WaitKind,
    },
    /// Request the next node of the acquisition in progress, or give back
    /// the next ancestor of the release in progress.
    Step {
        /// Who.
        owner: u8,
    },
    /// Act on a wake-up the core decided for this owner (`Granted`: go on
    /// to the next node; `Moved`: look the node up again; `Changed`: retry
    /// the rename).
    Wake {
        /// Who.
        owner: u8,
    },
    /// The deadline of a timed wait passes: cancel, give back what the call
    /// took, fail.
    Timeout {
        /// Who.
        owner: u8,
    },
    /// Release a guard's leaf; its ancestors follow, one a `Step`. `holder`
    /// is the guard's owner; it differs from `owner` only under the loose
    /// flags.
    Release {
        /// Who releases.
        owner: u8,
        /// Whose guard.
        holder: u8,
        /// Which guard.
        guard: Guard,
    },
    /// Issue `rename(from, to)` and make its first attempt.
    Rename {
        /// Who.
        owner: u8,
        /// Source.
        from: Path,
        /// Destination.
        to: Path,
        /// How it may wait.
        wait: WaitKind,
    },
}

impl Action {
    /// The action's name (as in the TLA+ spec).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Acquire { .. } => "Acquire",
            Action::Step { .. } => "Step",
            Action::Wake { .. } => "Wake",
            Action::Timeout { .. } => "Timeout",
            Action::Release { .. } => "Release",
            Action::Rename { .. } => "Rename",
        }
    }
}
