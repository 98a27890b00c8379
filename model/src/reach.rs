//! Reachability (`sometimes`) properties: witnesses that a configuration
//! exercises what it is meant to, so that its `always` properties are not
//! vacuous.

use hilok_core::node::Want;
use hilok_core::Mode;

use crate::state::{Event, State};

/// A situation a configuration must be able to reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Every owner finished.
    AllDone,
    /// A fresh writer waits at a node only readers hold.
    WriterWaitsBehindReader,
    /// A re-entrant request was granted past a conflicting waiter.
    WaiterOvertakenByReentry,
    /// An escalation was granted.
    EscalationSucceeds,
    /// A second escalator got would-deadlock.
    SecondEscalatorWouldDeadlock,
    /// A rename onto a path held by another owner waited.
    RenameOntoHeldWaits,
    /// A rename succeeded.
    RenameSucceeds,
    /// A timed acquisition timed out after taking a node.
    TimeoutMidPath,
    /// A try operation got would-block.
    TryWouldBlock,
    /// A guard was released by another owner (loose flags).
    LooseRelease,
    /// A waiter was sent away by a rename and looked its path up again.
    WaiterMoved,
    /// An owner holds one node both shared and exclusive (escalated or
    /// de-escalating).
    SharedAndExclusive,
    /// No owner can move although some are not finished (a user cycle).
    UserDeadlock,
}

impl Reach {
    /// The property's name.
    pub fn name(self) -> &'static str {
        match self {
            Reach::AllDone => "sometimes_all_done",
            Reach::WriterWaitsBehindReader => "sometimes_writer_waits_behind_reader",
            Reach::WaiterOvertakenByReentry => "sometimes_waiter_overtaken_by_reentry",
            Reach::EscalationSucceeds => "sometimes_escalation_succeeds",
            Reach::SecondEscalatorWouldDeadlock => "sometimes_second_escalator_would_deadlock",
            Reach::RenameOntoHeldWaits => "sometimes_rename_onto_held_waits",
            Reach::RenameSucceeds => "sometimes_rename_succeeds",
            Reach::TimeoutMidPath => "sometimes_timeout_mid_path",
            Reach::TryWouldBlock => "sometimes_try_would_block",
            Reach::LooseRelease => "sometimes_loose_release",
            Reach::WaiterMoved => "sometimes_waiter_moved",
            Reach::SharedAndExclusive => "sometimes_shared_and_exclusive",
            Reach::UserDeadlock => "sometimes_user_deadlock",
        }
    }

    /// Whether `s` witnesses the situation; `terminal` says whether `s` has
    /// no successor.
    pub fn witnessed(self, s: &State, terminal: bool) -> bool {
        let event = |e: Event| s.last == Some(e);
        match self {
            Reach::AllDone => s.all_done(),
            Reach::WriterWaitsBehindReader => s.nodes.values().any(|n| {
                n.holders()
                    .iter()
                    .all(|h| h.counts.effective() == Some(Mode::Shared))
                    && n.queue().any(|e| e.want == Want::Fresh(Mode::Exclusive))
            }),
            Reach::WaiterOvertakenByReentry => event(Event::ReentryPassedWaiter),
            Reach::EscalationSucceeds => event(Event::EscalationGranted),
            Reach::SecondEscalatorWouldDeadlock => event(Event::SecondEscalatorRefused),
            Reach::RenameOntoHeldWaits => event(Event::RenameOntoHeldWaited),
            Reach::RenameSucceeds => event(Event::Renamed),
            Reach::TimeoutMidPath => event(Event::TimeoutMidPath),
            Reach::TryWouldBlock => event(Event::TryRefused),
            Reach::LooseRelease => event(Event::LooseRelease),
            Reach::WaiterMoved => event(Event::WaiterMoved),
            Reach::SharedAndExclusive => s.nodes.values().any(|n| {
                n.holders()
                    .iter()
                    .any(|h| h.counts.get(Mode::Shared) > 0 && h.counts.get(Mode::Exclusive) > 0)
            }),
            Reach::UserDeadlock => terminal && !s.all_done(),
        }
    }
}
