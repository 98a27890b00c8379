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
use crate::events::{woken, Event};
use crate::fast::{self, Ask, Memo};
use crate::lookaside::{self, Held, Taken};
use crate::node::{current, with_current, Chain, NodeRef};
use crate::sync::{Arc, NodeArc};
use crate::waiter::{deliver, Token, Waiter};
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

/// One node of an acquisition: where it is, and what it asks for.
struct Request<'a> {
    owner: OwnerId,
    mode: Mode,
    wait: Wait,
    parent: Option<&'a NodeRef>,
    name: &'a str,
    next: Option<&'a str>,
}

/// A node to request next, as found in its parent's map.
pub(crate) enum Found {
    /// Pinned by the lookup: it stays in the tree until unpinned.
    Pinned(NodeRef),
    /// Not pinned: asked on its word only, where a grant proves it is still
    /// in the tree (a removed node is retired); otherwise looked up again,
    /// pinned.
    Unpinned(NodeRef),
    /// Made by the lookup, with the request already granted on it
    /// ([`fast::grant_new`]).
    Granted(NodeRef),
}

/// How one node's request ended.
enum Step {
    /// Granted at `node`, the node asked; `at` is where the holding is now
    /// if a rename merged `node` away meanwhile; `next` is the child of
    /// where the holding is to take next, if the path goes on.
    Granted {
        node: NodeRef,
        at: Option<NodeRef>,
        next: Option<Found>,
    },
    /// The node moved away before it was granted: look the name up again.
    Retry,
    Failed(Error),
}

impl Inner {
    /// Acquires `path` for `access`: first the nodes this thread remembers
    /// for it, lock-free, then the rest the locked way. On failure holds
    /// nothing. The nodes come back in the box the guard keeps, and whether
    /// that box was only lent for the acquisition
    /// ([`Taken::Boxless`]).
    #[inline]
    pub(crate) fn acquire(
        inner: &Arc<Inner>,
        path: &str,
        access: Access,
        wait: Wait,
    ) -> Result<(Box<Held>, bool), Error> {
        match lookaside::take(inner, path) {
            Taken::Remembered(mut held) => {
                let (owner, h) = (held.owner, &mut *held);
                if inner.take_remembered(&mut h.chain, &mut h.memo, access, owner, wait) {
                    return Ok((held, false));
                }
                let held = inner.acquire_slow(path, held, true, access, wait)?;
                Ok((held, false))
            }
            Taken::Fresh(held) => {
                let held = inner.acquire_slow(path, held, false, access, wait)?;
                Ok((held, false))
            }
            Taken::Boxless(held) => {
                let held = inner.acquire_slow(path, held, false, access, wait)?;
                Ok((held, true))
            }
        }
    }

    /// [`Inner::acquire`] past what the fast path granted (`held.chain`):
    /// checks the path unless it was remembered (it was checked when it was
    /// first acquired), then takes the rest the locked way.
    #[cold]
    fn acquire_slow(
        &self,
        path: &str,
        mut held: Box<Held>,
        remembered: bool,
        access: Access,
        wait: Wait,
    ) -> Result<Box<Held>, Error> {
        let checked = if remembered {
            Ok(())
        } else if held.resume.nodes > 0 {
            // It shares components with a path checked before.
            path::check_known_nonempty(path, self.sep).map_err(Error::from)
        } else {
            path::check(path, self.sep).map_err(Error::from)
        };
        let owner = held.owner;
        if !remembered && checked.is_ok() {
            // Ancestors the thread remembers from a path it took before.
            self.take_ancestors(&mut held.chain, &mut held.memo, owner, wait);
        }
        let rest = checked.and_then(|()| self.acquire_rest(path, &mut held, access, wait));
        match rest {
            Ok(key) => {
                if key.is_some() {
                    held.leaf_key = key;
                }
                Ok(held)
            }
            Err(e) => {
                lookaside::forget(&held);
                Err(e)
            }
        }
    }

    /// Takes the remembered `nodes`, root first, while the fast path grants
    /// them: `true` with all of them, or `false` with `nodes` cut to the
    /// prefix granted.
    #[inline]
    fn take_remembered(
        &self,
        nodes: &mut Chain,
        memo: &mut Memo,
        access: Access,
        owner: OwnerId,
        wait: Wait,
    ) -> bool {
        let (recursion, blocking) = (self.recursion, wait.blocking());
        let Some((leaf, ancestors)) = nodes.split_last() else {
            return true;
        };
        // Shared on every ancestor: a loop of its own, with the mode known,
        // so that the word's transitions fold for it.
        let granted = ancestors
            .iter()
            .take_while(|n| fast::request(n, owner, Mode::Shared, recursion, blocking, memo))
            .count();
        if granted == ancestors.len()
            && fast::request(leaf, owner, access.leaf_mode(), recursion, blocking, memo)
        {
            return true;
        }
        nodes.truncate(granted);
        false
    }

    /// Takes `nodes` in shared mode, root first, while the fast path grants
    /// them, and cuts `nodes` to the prefix granted.
    #[inline]
    fn take_ancestors(&self, nodes: &mut Chain, memo: &mut Memo, owner: OwnerId, wait: Wait) {
        let (recursion, blocking) = (self.recursion, wait.blocking());
        let granted = nodes
            .iter()
            .take_while(|n| fast::request(n, owner, Mode::Shared, recursion, blocking, memo))
            .count();
        nodes.truncate(granted);
    }

    /// Acquires the components of `path` past the chain `held` has already,
    /// adding them to it; on failure holds nothing. Where those components
    /// start is known (`held.resume`) when the chain is what the thread kept.
    /// Returns the leaf's key for the cache's admission
    /// ([`crate::table::Table::leaf_key`]) if it looked the leaf up.
    fn acquire_rest(
        &self,
        path: &str,
        held: &mut Held,
        access: Access,
        wait: Wait,
    ) -> Result<Option<u64>, Error> {
        let (resume, owner) = (held.resume, held.owner);
        let Held { chain, memo, .. } = held;
        let (rest, skip) = match path.get(resume.at..) {
            Some(rest) if resume.nodes == chain.len() => (rest, 0),
            _ => (path, chain.len()),
        };
        let mut names = path::components(rest, self.sep);
        for _ in 0..skip {
            names.next();
        }
        // The common case, a leaf below known ancestors, in one scan.
        let (mut name, mut next_name) = match path::single(rest, self.sep).filter(|_| skip == 0) {
            Some(leaf) => {
                names = path::components("", self.sep);
                (leaf, None)
            }
            None => match names.next() {
                Some(first) => (first, names.next()),
                None => return Ok(None),
            },
        };
        // The chain keeps the nodes as granted (a release follows them, and
        // a node merged away meanwhile is retired, which sends the release
        // to the tree's own links from there). Lookups go on below the last
        // node granted, or below `at` when a merge moved its holding. The
        // chain so far is held, so the first lookup is below a held node.
        // A node the first lookup makes is granted as it is made.
        let ask = Ask {
            owner,
            mode: access.mode_for(next_name.is_none()),
            recursion: self.recursion,
            blocking: wait.blocking(),
        };
        let (mut at, mut node) = match chain.last() {
            Some(last) => self.table.child_of_held(last, name, Some(ask)),
            None => (None, Found::Pinned(self.pinned(None, name))),
        };
        loop {
            let parent = at.as_ref().or(chain.last());
            let key = next_name
                .is_none()
                .then(|| self.table.leaf_key(parent, name));
            let req = Request {
                owner,
                mode: access.mode_for(next_name.is_none()),
                wait,
                parent,
                name,
                next: next_name,
            };
            match self.enter(node, req, memo) {
                Step::Granted {
                    node: held,
                    at: moved,
                    next,
                } => {
                    chain.push(held);
                    let Some(child) = next else {
                        return Ok(key);
                    };
                    at = moved;
                    node = child;
                    name = next_name.unwrap_or(name);
                    next_name = names.next();
                }
                Step::Retry => {
                    at = at.or_else(|| chain.last().cloned()).map(|p| current(&p));
                    node = Found::Pinned(self.pinned(at.as_ref(), name));
                }
                Step::Failed(e) => {
                    let _ = self
                        .table
                        .release_path(chain, owner, Some(Mode::Shared), None, memo);
                    return Err(e);
                }
            }
        }
    }

    fn pinned(&self, parent: Option<&NodeRef>, name: &str) -> NodeRef {
        self.table
            .lookup(parent, name, true)
            .expect("a lookup that may create always finds")
    }

    /// Requests one node; waits if told to. First on the node's word: a node
    /// still in the tree is not retired, so a grant there needs no lock but
    /// the one for the next child's lookup.
    #[inline]
    fn enter(&self, found: Found, req: Request<'_>, memo: &mut Memo) -> Step {
        let (node, pinned) = match found {
            Found::Pinned(n) => (n, true),
            Found::Unpinned(n) => (n, false),
            Found::Granted(n) => return self.granted_fast(n, &req),
        };
        let (owner, mode, blocking) = (req.owner, req.mode, req.wait.blocking());
        if fast::request(&node, owner, mode, self.recursion, blocking, memo) {
            if pinned {
                node.unpin();
            }
            return self.granted_fast(node, &req);
        }
        if pinned {
            return self.enter_locked(node, req);
        }
        drop(node);
        let node = self.pinned(req.parent, req.name);
        self.enter_locked(node, req)
    }

    /// The step after a grant on the word at `node`.
    #[inline]
    fn granted_fast(&self, node: NodeRef, req: &Request<'_>) -> Step {
        let Some(name) = req.next else {
            return Step::Granted {
                node,
                at: None,
                next: None,
            };
        };
        let (at, next) = self.table.child_of_held(&node, name, None);
        Step::Granted {
            node,
            at,
            next: Some(next),
        }
    }

    /// [`Inner::enter`] under the node's lock.
    fn enter_locked(&self, node: NodeRef, req: Request<'_>) -> Step {
        let mut g = node.lock();
        node.unpin();
        if !g.is_at(req.parent, req.name) {
            drop(g);
            self.table.collect(&node);
            return Step::Retry;
        }
        let decision = g
            .state
            .request(req.owner, req.mode, self.recursion, req.wait.blocking());
        self.table.log.record(|| Event::Request {
            node: node.id(),
            owner: req.owner.0,
            mode: req.mode,
            recursion: self.recursion,
            blocking: req.wait.blocking(),
            decision,
        });
        match decision {
            Decision::Granted => {
                let next = req
                    .next
                    .and_then(|n| self.table.child(&node, &mut g, n, true));
                drop(g);
                Step::Granted {
                    node,
                    at: None,
                    next: next.map(Found::Pinned),
                }
            }
            Decision::Refused(r) => {
                drop(g);
                self.table.collect(&node);
                Step::Failed(r.into())
            }
            Decision::Wait(pending) => {
                let token = Waiter::token(req.owner);
                g.state.enqueue(pending, token.clone());
                self.table.log.record(|| Event::Enqueue {
                    node: node.id(),
                    pending,
                });
                drop(g);
                self.park(&node, &req, &token)
            }
        }
    }

    #[cold]
    fn park(&self, node: &NodeRef, req: &Request<'_>, token: &Token) -> Step {
        let woken = match token.wait(req.wait.deadline()) {
            Some(w) => w,
            None => match self.cancel(node, req.owner) {
                Cancel::Removed => return Step::Failed(Error::Timeout),
                // Woken meanwhile: the wake-up is on its way.
                Cancel::NotWaiting => token.wait(None).unwrap_or(Wakeup::Moved),
            },
        };
        match woken {
            Wakeup::Granted => with_current(node, |cur, g| Step::Granted {
                node: node.clone(),
                at: (!NodeArc::ptr_eq(cur, node)).then(|| cur.clone()),
                next: req
                    .next
                    .and_then(|n| self.table.child(cur, g, n, true))
                    .map(Found::Pinned),
            }),
            Wakeup::Moved | Wakeup::Changed => Step::Retry,
        }
    }

    fn cancel(&self, node: &NodeRef, owner: OwnerId) -> Cancel {
        let mut wake = Wakeups::new();
        let outcome = {
            let mut g = node.lock();
            let outcome = g.state.cancel(owner, &mut wake);
            self.table.log.record(|| Event::Cancel {
                node: node.id(),
                owner: owner.0,
                outcome,
                woken: woken(&wake),
            });
            outcome
        };
        // Seeded bug: whoever the cancel unblocked is never woken.
        #[cfg(feature = "seed-bug-lost-wake")]
        wake.clear();
        deliver(wake);
        if outcome == Cancel::Removed {
            // Seeded bug: the node leaves the tree although others still
            // hold or await it.
            #[cfg(feature = "seed-bug-early-gc")]
            self.table.force_unlink(node);
            self.table.collect(node);
        }
        outcome
    }
}
