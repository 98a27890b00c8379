//! A configuration of the model: who runs, on which paths, with which flags.
//! The configuration is the stateright [`stateright::Model`].

use hilok_core::Flags;

use crate::path::Path;
use crate::reach::Reach;
use crate::state::WaitKind;

/// Which deadlock property a configuration is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Owners acquire in the documented lock order (a new path never sorts
    /// before a path they hold) and rename only while holding nothing: the
    /// system must be deadlock-free.
    Ordered,
    /// Any order: every stuck state must be a user-level lock-order cycle.
    Free,
}

/// A bug seeded around the core's answers, to show the properties catch it.
/// The shipped core is never changed; the model alters what it does with
/// the core's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mutation {
    /// A fresh reader told to wait is granted anyway whenever no other owner
    /// holds the node exclusively (the reference's reader preference).
    ReaderPreference,
    /// The wake-ups a cancel (timeout) decides are dropped.
    DroppedWakeupOnCancel,
    /// A second escalator, refused with would-deadlock, is queued instead.
    NoEscalationCheck,
    /// A rename told to wait for the destination applies its transfers anyway.
    RenameWithoutWaiting,
    /// A rename of a node where an escalation waits proceeds (unless it
    /// merges into an existing destination). This is what `src/rename.rs`
    /// does today; see `docs/spec.md`, "Findings".
    RenameBesideEscalation,
}

impl Mutation {
    /// Every mutation.
    pub const ALL: [Mutation; 5] = [
        Mutation::ReaderPreference,
        Mutation::DroppedWakeupOnCancel,
        Mutation::NoEscalationCheck,
        Mutation::RenameWithoutWaiting,
        Mutation::RenameBesideEscalation,
    ];

    /// The mutation's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Mutation::ReaderPreference => "reader-preference",
            Mutation::DroppedWakeupOnCancel => "dropped-wakeup-on-cancel",
            Mutation::NoEscalationCheck => "no-escalation-check",
            Mutation::RenameWithoutWaiting => "rename-without-waiting",
            Mutation::RenameBesideEscalation => "rename-beside-escalation",
        }
    }
}

/// One named configuration of the model.
#[derive(Clone, Debug)]
pub struct Config {
    /// Its name (`--config NAME`).
    pub name: &'static str,
    /// One line on what it covers.
    pub summary: &'static str,
    /// Ordered or free.
    pub kind: Kind,
    /// The manager's flags (recursion mode and loose bits).
    pub flags: Flags,
    /// Number of owners.
    pub owners: u8,
    /// Operations (acquisitions and renames) each owner may issue.
    pub ops: u8,
    /// Paths owners may acquire.
    pub paths: Vec<Path>,
    /// Whether owners may write (else only read) and read.
    pub writes: bool,
    /// Whether owners may read.
    pub reads: bool,
    /// How acquisitions may wait.
    pub waits: Vec<WaitKind>,
    /// Renames owners may issue, as `(from, to)`.
    pub renames: Vec<(Path, Path)>,
    /// How renames may wait.
    pub rename_waits: Vec<WaitKind>,
    /// Reachability properties expected on this configuration.
    pub reach: Vec<Reach>,
    /// A seeded bug, if any.
    pub mutation: Option<Mutation>,
    /// Whether `cargo test --features model-check` checks it.
    pub ci: bool,
    /// Whether the checker reduces by owner symmetry.
    pub symmetry: bool,
}

impl Config {
    /// A configuration with defaults: two owners, two operations each, the
    /// paths `a` and `a/b`, blocking reads and writes, no renames.
    pub fn new(name: &'static str, summary: &'static str, kind: Kind, flags: Flags) -> Config {
        Config {
            name,
            summary,
            kind,
            flags,
            owners: 2,
            ops: 2,
            paths: vec![Path::new("a"), Path::new("a/b")],
            writes: true,
            reads: true,
            waits: vec![WaitKind::Block],
            renames: Vec::new(),
            rename_waits: vec![WaitKind::Block],
            reach: Vec::new(),
            mutation: None,
            ci: true,
            symmetry: true,
        }
    }

    /// The same configuration with `paths` to acquire.
    pub fn paths(mut self, paths: &[&str]) -> Config {
        self.paths = paths.iter().map(|p| Path::new(p)).collect();
        self
    }

    /// The same configuration with `n` owners and `ops` operations each.
    pub fn owners(mut self, n: u8, ops: u8) -> Config {
        self.owners = n;
        self.ops = ops;
        self
    }

    /// The same configuration with acquisitions waiting as `waits`.
    pub fn waits(mut self, waits: &[WaitKind]) -> Config {
        self.waits = waits.to_vec();
        self
    }

    /// The same configuration with `renames`, waiting as `waits`.
    pub fn renames(mut self, renames: &[(&str, &str)], waits: &[WaitKind]) -> Config {
        self.renames = renames
            .iter()
            .map(|(f, t)| (Path::new(f), Path::new(t)))
            .collect();
        self.rename_waits = waits.to_vec();
        self
    }

    /// The same configuration with these reachability properties.
    pub fn reach(mut self, reach: &[Reach]) -> Config {
        self.reach = reach.to_vec();
        self
    }

    /// The same configuration with only reads (`reads`) or only writes.
    pub fn only(mut self, reads: bool, writes: bool) -> Config {
        self.reads = reads;
        self.writes = writes;
        self
    }

    /// The same configuration with a seeded bug.
    pub fn mutated(mut self, m: Mutation) -> Config {
        self.mutation = Some(m);
        self
    }

    /// The same configuration, left out of the CI run.
    pub fn full_only(mut self) -> Config {
        self.ci = false;
        self
    }
}
