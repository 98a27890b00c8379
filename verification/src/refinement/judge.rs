//! Each replayed step judged by the model's own predicates.

use hilok_core::node::Want;
use hilok_core::{Decision, Mode, NodeState, OwnerId, Recursion, Refusal, Wakeup, Wakeups};
use hilok_model::properties::{self, Grant, Snapshot, WouldDeadlock};

/// The recorded value must be the core's.
pub(super) fn same<T: PartialEq + std::fmt::Debug>(core: &T, recorded: &T) -> Result<(), String> {
    ok_if(core == recorded, || {
        format!("the core answers {core:?}, the runtime recorded {recorded:?}")
    })
}

/// The model's `exclusion` on the whole table.
pub(super) fn exclusion(s: &Snapshot) -> Result<(), String> {
    ok_if(properties::exclusion(s), || {
        format!("exclusion violated: {:?}", s.owners)
    })
}

/// A request's answer: a grant must not overtake (`no_overtaking`), a
/// would-deadlock must be real (`no_false_would_deadlock`).
pub(super) fn request(
    before: &NodeState<u64>,
    owner: u64,
    mode: Mode,
    recursion: Recursion,
    got: Decision,
) -> Result<(), String> {
    match got {
        Decision::Granted => {
            let grant = Grant {
                mode,
                fresh: before.holding(OwnerId(owner)).is_zero(),
                still_waiting_ahead: before
                    .queue()
                    .filter(|e| e.owner.0 != owner)
                    .map(|e| e.want)
                    .collect(),
            };
            ok_if(properties::no_overtaking(&grant), || {
                format!("owner {owner} overtook: {grant:?}")
            })
        }
        Decision::Refused(Refusal::WouldDeadlock) => {
            let why = WouldDeadlock::Request {
                recursion,
                own: before.holding(OwnerId(owner)),
                requested: mode,
                other_escalator_waiting: before.has_escalation(),
            };
            ok_if(properties::no_false_would_deadlock(&why), || {
                format!("false would-deadlock: {why:?}")
            })
        }
        Decision::Refused(Refusal::WouldBlock) | Decision::Wait(_) => Ok(()),
    }
}

/// Every grant handed off by a release, cancel or transfer: the requests
/// ahead of it that still wait must not conflict with it (`no_overtaking`).
pub(super) fn handoffs(
    before: &NodeState<u64>,
    after: &NodeState<u64>,
    woken: &Wakeups<u64>,
) -> Result<(), String> {
    let queue: Vec<_> = before.queue().collect();
    for (owner, _) in woken.iter().filter(|(_, w)| *w == Wakeup::Granted) {
        let at = queue
            .iter()
            .position(|e| e.owner.0 == *owner)
            .ok_or_else(|| format!("owner {owner} was granted without waiting"))?;
        let mode = match queue[at].want {
            Want::Fresh(m) | Want::Escalate(m) => m,
            Want::Watch => return Err(format!("a watch of owner {owner} was granted")),
        };
        let grant = Grant {
            mode,
            fresh: matches!(queue[at].want, Want::Fresh(_)),
            still_waiting_ahead: queue[..at]
                .iter()
                .filter(|e| after.queue().any(|a| a.owner == e.owner))
                .map(|e| e.want)
                .collect(),
        };
        ok_if(properties::no_overtaking(&grant), || {
            format!("hand-off to owner {owner} overtook: {grant:?}")
        })?;
    }
    Ok(())
}

fn ok_if(holds: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(why())
    }
}
