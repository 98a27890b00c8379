//! The model's state: the core's node table plus each owner's bookkeeping.

use std::collections::BTreeMap;

use hilok_core::{Access, NodeState, Wakeup};

use crate::path::Path;

/// The wake-up token the model hands the core: the waiting owner's index.
pub type Token = u8;

/// One global state of the model.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// The core's node states, by path; a node is present iff it is not idle.
    pub nodes: BTreeMap<Path, NodeState<Token>>,
    /// Every owner (thread), by index; owner `i` is `OwnerId(i)`.
    pub owners: Vec<Owner>,
    /// Property bits (see [`crate::step`]): sticky bits set when a step
    /// violated a step property, and bits that record the state properties'
    /// verdicts on this state (a function of the other fields).
    pub violated: u16,
    /// What the last step showed, for the reachability properties.
    pub last: Option<Event>,
}

/// One owner's bookkeeping.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Owner {
    /// Operations (acquisitions and renames) it may still issue.
    pub ops_left: u8,
    /// Guards from completed acquisitions, sorted.
    pub guards: Vec<Guard>,
    /// The operation in progress.
    pub pc: Pc,
    /// A wake-up the core named this owner for, not yet acted on.
    pub inbox: Option<Wakeup>,
}

/// A held guard: a completed acquisition.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guard {
    /// The path it holds now (renames move it).
    pub path: Path,
    /// Read or write.
    pub write: bool,
}

impl Guard {
    /// The guard's access.
    pub fn access(&self) -> Access {
        if self.write {
            Access::Write
        } else {
            Access::Read
        }
    }
}

/// How an operation may wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WaitKind {
    /// Until granted (`read`, `write`, `rename`).
    Block,
    /// Not at all (`try_read`, `try_write`, `try_rename`).
    Try,
    /// Until a deadline that may pass at any moment (`read_for`, ...).
    Timed,
}

impl WaitKind {
    /// The core's blocking argument.
    pub fn blocking(self) -> hilok_core::Blocking {
        match self {
            WaitKind::Try => hilok_core::Blocking::Try,
            WaitKind::Block | WaitKind::Timed => hilok_core::Blocking::Wait,
        }
    }
}

/// The operation an owner is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pc {
    /// Between operations.
    Idle,
    /// Acquiring a path root to leaf.
    Acquire(Acquisition),
    /// Renaming.
    Rename(RenameOp),
    /// Giving back ancestor holdings, leaf to root, one node a step: after
    /// releasing a guard's leaf, or backing out of a failed acquisition.
    Release(Releasing),
}

/// An acquisition in progress.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Acquisition {
    /// The path (renames of a node it holds move it).
    pub path: Path,
    /// Whether the leaf is taken exclusive.
    pub write: bool,
    /// How it may wait.
    pub wait: WaitKind,
    /// Nodes taken so far (prefixes `1..=taken`).
    pub taken: u8,
    /// Whether it waits at prefix `taken + 1`.
    pub waiting: bool,
}

impl Acquisition {
    /// The access requested.
    pub fn access(&self) -> Access {
        if self.write {
            Access::Write
        } else {
            Access::Read
        }
    }
}

/// A rename in progress (it holds nothing while it waits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RenameOp {
    /// Source path, looked up by name at every attempt.
    pub from: Path,
    /// Destination path.
    pub to: Path,
    /// How it may wait.
    pub wait: WaitKind,
    /// The node it watches after an attempt that had to wait.
    pub watching: Option<Path>,
}

/// A release in progress: `holder` still holds one shared holding on each
/// of the prefixes `1..=left` of `path`, which this owner gives back, the
/// longest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Releasing {
    /// Whose holdings (another owner's only under the loose flags).
    pub holder: u8,
    /// The guard's or the failed acquisition's path (renames move it).
    pub path: Path,
    /// Prefixes still held.
    pub left: u8,
    /// Whether this backs out of a timed-out call.
    pub timed_out: bool,
}

/// A step worth reaching, for the `sometimes` properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A re-entrant request was granted past a conflicting waiter.
    ReentryPassedWaiter,
    /// An escalation (shared to exclusive) was granted.
    EscalationGranted,
    /// A second escalator was refused with would-deadlock.
    SecondEscalatorRefused,
    /// A rename onto a path another owner holds had to wait.
    RenameOntoHeldWaited,
    /// A rename succeeded.
    Renamed,
    /// A timed acquisition timed out after taking at least one node.
    TimeoutMidPath,
    /// A try operation was refused with would-block.
    TryRefused,
    /// A guard was released by an owner other than its holder.
    LooseRelease,
    /// A waiter was sent away by a rename (woken with `Moved`).
    WaiterMoved,
}

impl State {
    /// Whether every owner is idle with nothing left to do or hold.
    pub fn all_done(&self) -> bool {
        self.owners.iter().all(Owner::done)
    }
}

impl Owner {
    /// Idle, out of operations, holding no guard.
    pub fn done(&self) -> bool {
        self.pc == Pc::Idle && self.ops_left == 0 && self.guards.is_empty() && self.inbox.is_none()
    }
}
