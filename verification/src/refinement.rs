//! The refinement check: replays the runtime's event log on fresh core
//! states and judges every step.
//!
//! The runtime (feature `events`) records each core transition it applies,
//! under the node's lock, so the log is in the order things happened. The
//! replay applies the same core call to its own copy of that node's state:
//! the recorded answer and wake-ups must be the ones the core gives (a
//! runtime that wakes the wrong thread, skips a wake or applies steps out of
//! order fails here). Each step is then judged by the stateright model's own
//! predicate functions (`hilok_model::properties`, not copies): `exclusion`
//! on the whole table after every step, `no_overtaking` for every grant
//! (fresh or handed off), `no_false_would_deadlock` for every refusal.

mod judge;
mod table;

use hilok::Event;
use hilok_core::{Cancel, OwnerId, Transfer, TransferCheck, Wakeups};

pub use table::Replay;

impl Replay {
    /// Applies every event in order; panics at the first illegal step or
    /// broken property, naming the step and printing the log.
    pub fn check(events: &[Event]) -> Replay {
        let mut r = Replay::default();
        for (i, e) in events.iter().enumerate() {
            if let Err(why) = r.apply(e).and_then(|()| judge::exclusion(&r.snapshot())) {
                panic!("step {i} {e:?}: {why}\nlog: {events:#?}");
            }
        }
        r
    }

    fn apply(&mut self, e: &Event) -> Result<(), String> {
        match e {
            Event::Created { node, parent, name } => self.create(*node, *parent, name),
            Event::Removed { node } => self.remove(*node),
            Event::Request {
                node,
                owner,
                mode,
                recursion,
                blocking,
                decision,
            } => {
                let s = self.state(*node)?;
                let before = s.clone();
                let got = s.request(OwnerId(*owner), *mode, *recursion, *blocking);
                judge::same(&got, decision)?;
                judge::request(&before, *owner, *mode, *recursion, got)
            }
            Event::Enqueue { node, pending } => {
                self.state(*node)?.enqueue(*pending, pending.owner.0);
                Ok(())
            }
            Event::Release {
                node,
                owner,
                mode,
                ok,
                woken,
            } => self.transition(*node, woken, |s, w| {
                judge::same(&s.release(OwnerId(*owner), *mode, w).is_ok(), ok)
            }),
            Event::Cancel {
                node,
                outcome: Cancel::NotWaiting,
                woken,
                ..
            } if !self.has(*node) && woken.is_empty() => {
                // A watch already woken, on a node that has left the tree
                // since: the core call changed nothing.
                Ok(())
            }
            Event::Cancel {
                node,
                owner,
                outcome,
                woken,
            } => self.transition(*node, woken, |s, w| {
                judge::same(&s.cancel(OwnerId(*owner), w), outcome)
            }),
            Event::Watch { node, owner } => {
                self.state(*node)?.watch(OwnerId(*owner), *owner);
                Ok(())
            }
            Event::Transfer {
                node,
                remove,
                add,
                woken,
            } => self.transition(*node, woken, |s, w| {
                let t = Transfer { remove, add };
                judge::same(&s.check_transfer(t, OwnerId(0)), &TransferCheck::Ready)?;
                s.apply_transfer(t, w);
                Ok(())
            }),
            Event::Notify { node, by, woken } => self.transition(*node, woken, |s, w| {
                s.notify(OwnerId(*by), w);
                Ok(())
            }),
            Event::Evict { node, woken } => self.transition(*node, woken, |s, w| {
                s.evict_waiters(w);
                Ok(())
            }),
            Event::Relink { node, parent, name } => self.relink(*node, *parent, name),
            Event::Merge { node, into } => self.merge(*node, *into),
            Event::Acquired { .. } | Event::Releasing { .. } => Ok(()),
            other => Err(format!("unknown event {other:?}")),
        }
    }

    /// Applies `f` to a copy of the node's state; the wake-ups must be the
    /// recorded ones, and every grant handed off is judged.
    fn transition(
        &mut self,
        node: u64,
        woken: &[(u64, hilok_core::Wakeup)],
        f: impl FnOnce(&mut hilok_core::NodeState<u64>, &mut Wakeups<u64>) -> Result<(), String>,
    ) -> Result<(), String> {
        let s = self.state(node)?;
        let before = s.clone();
        let mut w = Wakeups::new();
        f(s, &mut w)?;
        judge::same(&w.as_slice(), &woken)?;
        judge::handoffs(&before, s, &w)
    }
}
