//! Acquiring a path: the driver loop around [`NodeState::request`].
//!
//! Nodes are taken root to leaf. At each node the core grants, refuses, or
//! says wait; a waiting thread parks with no internal lock held and is woken
//! by the core's hand-off (it then holds the node), by a rename that moved
//! the node away (it looks the name up again), or by its one deadline, after
//! which it cancels and gives back everything it took.
//!
//! [`NodeState::request`]: hilok_core::NodeState::request

use std::time::Instant;

use hilok_core::{path, Access, Blocking, Cancel, Decision, Mode, OwnerId, Wakeup, Wakeups};

use crate::error::Error;
use crate::node::{lock_current, node_of, Locked, NodeRef};
use crate::waiter::{deliver, Waiter};
use crate::Inner;

/// How long a call may wait.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait {
    /// Until granted.
    Forever,
    /// Not at all.
    Try,
    /// Until this instant.
    Until(Instant),
}

impl Wait {
    pub(crate) fn blocking(self) -> Blocking {
        match self {
            Wait::Try => Blocking::Try,
            Wait::Forever | Wait::Until(_) => Blocking::Wait,
        }
    }

    pub(crate) fn deadline(self) -> Option<Instant> {
        match self {
            Wait::Until(d) => Some(d),
            Wait::Forever | Wait::Try => None,
        }
    }
}

/// How one node's request ended.
enum Step {
    Granted(Locked),
    Moved,
    Failed(Error),
}

impl Inner {
    /// Acquires `path` for `access`; on success returns the locked-then-
    /// released leaf node, on failure holds nothing.
    pub(crate) fn acquire(&self, path: &str, access: Access, wait: Wait) -> Result<NodeRef, Error> {
        let depth = path::depth(path, self.sep)?;
        let owner = crate::owner::current();
        let mut held: Option<Locked> = None;
        let mut last: Option<NodeRef> = None;
        for (level, name) in path::components(path, self.sep).enumerate() {
            let mode = access.mode_at(level, depth);
            let g = loop {
                let g = self.table.child_locked(held.take(), name);
                match self.request(g, owner, mode, wait) {
                    Step::Granted(g) => break g,
                    Step::Moved => {
                        held = last.as_ref().map(lock_current);
                        last = held.as_ref().map(|g| node_of(g).clone());
                    }
                    Step::Failed(e) => {
                        if let Some(n) = last {
                            let _ = self.table.release_path(&n, owner, Some(Mode::Shared));
                        }
                        return Err(e);
                    }
                }
            };
            last = Some(node_of(&g).clone());
            held = Some(g);
        }
        drop(held);
        last.ok_or(Error::InvalidPath(hilok_core::PathError::Empty))
    }

    /// One node: request, and wait if told to.
    #[inline]
    fn request(&self, mut g: Locked, owner: OwnerId, mode: Mode, wait: Wait) -> Step {
        match g
            .state
            .request(owner, mode, self.recursion, wait.blocking())
        {
            Decision::Granted => Step::Granted(g),
            Decision::Refused(r) => {
                let node = node_of(&g).clone();
                drop(g);
                self.table.collect(&node);
                Step::Failed(r.into())
            }
            Decision::Wait(pending) => {
                let token = Waiter::token();
                g.state.enqueue(pending, token.clone());
                let node = node_of(&g).clone();
                drop(g);
                self.park(&node, owner, &token, wait.deadline())
            }
        }
    }

    #[cold]
    fn park(
        &self,
        node: &NodeRef,
        owner: OwnerId,
        token: &Waiter,
        deadline: Option<Instant>,
    ) -> Step {
        let woken = match token.wait(deadline) {
            Some(w) => w,
            None => match self.cancel(node, owner) {
                Cancel::Removed => return Step::Failed(Error::Timeout),
                // Woken meanwhile: the wake-up is on its way.
                Cancel::NotWaiting => token.wait(None).unwrap_or(Wakeup::Moved),
            },
        };
        match woken {
            Wakeup::Granted => Step::Granted(lock_current(node)),
            Wakeup::Moved | Wakeup::Changed => Step::Moved,
        }
    }

    fn cancel(&self, node: &NodeRef, owner: OwnerId) -> Cancel {
        let mut wake = Wakeups::new();
        let outcome = node.lock().state.cancel(owner, &mut wake);
        deliver(wake);
        if outcome == Cancel::Removed {
            self.table.collect(node);
        }
        outcome
    }
}
