//! The calls into the core, with the bookkeeping around them: step
//! properties, seeded mutations, wake-up delivery.
//!
//! This is the only file that calls the core's node transitions for
//! acquisitions and releases. It never decides anything itself: each call
//! returns the core's answer (altered only by a configured mutation).

use hilok_core::node::{Entry, Want};
use hilok_core::{
    Blocking, Cancel, Counts, Decision, Mode, NodeState, OwnerId, Recursion, Refusal, Transfer,
    Wakeup, Wakeups,
};

use crate::config::{Config, Mutation};
use crate::path::Path;
use crate::properties::{self, Grant, WouldDeadlock};
use crate::state::{Event, State, Token, WaitKind};
use crate::step;

/// A state being changed by one step.
pub(crate) struct Driver<'a> {
    pub cfg: &'a Config,
    pub s: &'a mut State,
    /// An owner whose timeout this step handled (checked at the end).
    pub timed_out: Option<u8>,
}

/// The core's identity of owner `o`.
pub(crate) fn id(o: u8) -> OwnerId {
    OwnerId(u64::from(o))
}

impl Driver<'_> {
    /// Records a violated step property.
    pub fn flag(&mut self, bit: u16) {
        self.s.violated |= bit;
    }

    /// Records a reachability event.
    pub fn event(&mut self, e: Event) {
        self.s.last = Some(e);
    }

    /// The node at `p`, created idle if absent.
    pub fn node_mut(&mut self, p: &Path) -> &mut NodeState<Token> {
        self.s.nodes.entry(p.clone()).or_default()
    }

    /// `NodeState::request` on node `p`.
    pub fn request(&mut self, o: u8, p: &Path, mode: Mode, wait: WaitKind) -> Decision {
        let recursion = self.cfg.flags.recursion();
        let mutation = self.cfg.mutation;
        let node = self.node_mut(p);
        let own = node.holding(id(o));
        let others: Vec<Want> = node
            .queue()
            .filter(|e| e.owner != id(o))
            .map(|e| e.want)
            .collect();
        let other_escalation = others.iter().any(|w| matches!(w, Want::Escalate(_)));
        let mut d = node.request(id(o), mode, recursion, wait.blocking());
        match (mutation, d) {
            (Some(Mutation::ReaderPreference), Decision::Wait(pending))
                if pending.want == Want::Fresh(Mode::Shared)
                    && node
                        .holders()
                        .iter()
                        .all(|h| h.counts.get(Mode::Exclusive) == 0) =>
            {
                let add = [(id(o), Counts::of(Mode::Shared, 1))];
                let mut wake = Wakeups::new();
                node.apply_transfer(
                    Transfer {
                        remove: &[],
                        add: &add,
                    },
                    &mut wake,
                );
                d = Decision::Granted;
                self.deliver(wake);
            }
            (Some(Mutation::NoEscalationCheck), Decision::Refused(Refusal::WouldDeadlock))
                if recursion == Recursion::Recursive
                    && own.effective() == Some(Mode::Shared)
                    && mode == Mode::Exclusive
                    && wait.blocking() == Blocking::Wait =>
            {
                d = Decision::Wait(hilok_core::Pending {
                    owner: id(o),
                    want: Want::Escalate(mode),
                });
            }
            _ => {}
        }
        let escalation = own.effective() == Some(Mode::Shared) && mode == Mode::Exclusive;
        match d {
            Decision::Granted => {
                let grant = Grant {
                    mode,
                    fresh: own.is_zero(),
                    still_waiting_ahead: others.clone(),
                };
                if !properties::no_overtaking(&grant) {
                    self.flag(step::NO_OVERTAKING);
                }
                if escalation {
                    self.event(Event::EscalationGranted);
                } else if !own.is_zero()
                    && !properties::no_overtaking(&Grant {
                        fresh: true,
                        ..grant
                    })
                {
                    self.event(Event::ReentryPassedWaiter);
                }
            }
            Decision::Refused(Refusal::WouldDeadlock) => {
                let c = WouldDeadlock::Request {
                    recursion,
                    own,
                    requested: mode,
                    other_escalator_waiting: other_escalation,
                };
                if !properties::no_false_would_deadlock(&c) {
                    self.flag(step::NO_FALSE_WOULD_DEADLOCK);
                }
                if escalation && other_escalation {
                    self.event(Event::SecondEscalatorRefused);
                }
            }
            Decision::Refused(Refusal::WouldBlock) => self.event(Event::TryRefused),
            Decision::Wait(_) => {}
        }
        d
    }

    /// `NodeState::release` of one holding of `mode` by `holder` at `p`.
    pub fn release(&mut self, holder: u8, p: &Path, mode: Mode) {
        let Some(node) = self.s.nodes.get_mut(p) else {
            return self.flag(step::DRIVER_CONSISTENT);
        };
        let before: Vec<Entry<Token>> = node.queue().cloned().collect();
        let mut wake = Wakeups::new();
        let result = node.release(id(holder), mode, &mut wake);
        if result.is_err() {
            self.flag(step::DRIVER_CONSISTENT);
        }
        self.check_handoffs(p, &before, &wake);
        self.deliver(wake);
    }

    /// `NodeState::cancel` of `o`'s entry at `p` (a timeout).
    pub fn cancel(&mut self, o: u8, p: &Path) -> Cancel {
        let Some(node) = self.s.nodes.get_mut(p) else {
            return Cancel::NotWaiting;
        };
        let before: Vec<Entry<Token>> = node.queue().cloned().collect();
        let mut wake = Wakeups::new();
        let outcome = node.cancel(id(o), &mut wake);
        if self.cfg.mutation == Some(Mutation::DroppedWakeupOnCancel) {
            wake.clear();
        }
        self.check_handoffs(p, &before, &wake);
        self.deliver(wake);
        outcome
    }

    /// `NodeState::apply_transfer` at `p` (creating the node if absent),
    /// collecting wake-ups in `wake` for delivery after the whole rename.
    pub fn apply_transfer(&mut self, p: &Path, t: Transfer<'_>, wake: &mut Wakeups<Token>) {
        let node = self.node_mut(p);
        let before: Vec<Entry<Token>> = node.queue().cloned().collect();
        let mut mine = Wakeups::new();
        node.apply_transfer(t, &mut mine);
        self.check_handoffs(p, &before, &mine);
        wake.extend(mine);
    }

    /// Checks every hand-off a transition at `p` made against
    /// [`properties::no_overtaking`]: what was ahead of the granted entry and
    /// still waits must be compatible with it.
    fn check_handoffs(&mut self, p: &Path, before: &[Entry<Token>], wake: &Wakeups<Token>) {
        let after: Vec<(OwnerId, Want)> = self
            .s
            .nodes
            .get(p)
            .map(|n| n.queue().map(|e| (e.owner, e.want)).collect())
            .unwrap_or_default();
        for (token, w) in wake {
            if *w != Wakeup::Granted {
                continue;
            }
            let Some(pos) = before
                .iter()
                .position(|e| e.token == *token && e.want != Want::Watch)
            else {
                self.flag(step::DRIVER_CONSISTENT);
                continue;
            };
            let entry = &before[pos];
            let (fresh, mode) = match entry.want {
                Want::Fresh(m) => (true, m),
                Want::Escalate(m) => (false, m),
                Want::Watch => continue,
            };
            let ahead = before[..pos]
                .iter()
                .filter(|e| e.owner != entry.owner && after.contains(&(e.owner, e.want)))
                .map(|e| e.want)
                .collect();
            if !properties::no_overtaking(&Grant {
                mode,
                fresh,
                still_waiting_ahead: ahead,
            }) {
                self.flag(step::NO_OVERTAKING);
            }
            if !fresh {
                self.event(Event::EscalationGranted);
            }
        }
    }

    /// Hands each wake-up to its owner, as the runtime's `deliver` does.
    pub fn deliver(&mut self, wake: Wakeups<Token>) {
        for (token, w) in wake {
            let Some(owner) = self.s.owners.get_mut(usize::from(token)) else {
                self.flag(step::DRIVER_CONSISTENT);
                continue;
            };
            if owner.inbox.replace(w).is_some() {
                self.flag(step::DRIVER_CONSISTENT);
            }
            if w == Wakeup::Moved {
                self.event(Event::WaiterMoved);
            }
        }
    }

    /// Drops idle nodes, as the runtime's collection does.
    pub fn collect(&mut self) {
        self.s.nodes.retain(|_, n| !n.is_idle());
    }
}
