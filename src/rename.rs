//! Renaming a held path: the driver around the core's rename plan.
//!
//! Renames are serialised among themselves (by a mutex held only while a
//! rename inspects or changes the tree, never while it waits). One attempt:
//! pin the nodes of both paths, lock every node the plan touches (shards
//! first, then by ascending depth), ask the core whether each node accepts its
//! transfer, and either apply them all and re-link the moved node, or leave a
//! watch on the node that blocked and wait with nothing held.

use hilok_core::rename::{Change, Gain, RenamePlan, Site};
use hilok_core::{path, Cancel, Counts, OwnerId, Transfer, TransferCheck, Wakeups};

use crate::acquire::Wait;
use crate::error::Error;
use crate::events::{woken, Event};
use crate::name::Key;
use crate::node::{Locked, Name, NodeRef};
use crate::sync::{MutexGuard, NodeArc};
use crate::table::Shard;
use crate::waiter::{deliver, Token, Waiter};
use crate::Inner;

/// The nodes of both paths, pinned so they stay in the tree.
struct Chains {
    /// `from[k]` is the prefix of `from` with `k + 1` components.
    from: Vec<NodeRef>,
    /// The proper prefixes of `to`, created if absent.
    to: Vec<NodeRef>,
    /// The node at `to`, if one exists.
    dest: Option<NodeRef>,
}

impl Chains {
    fn all(&self) -> impl Iterator<Item = &NodeRef> {
        self.from.iter().chain(&self.to).chain(&self.dest)
    }

    fn moved(&self) -> &NodeRef {
        &self.from[self.from.len() - 1]
    }

    fn site(&self, site: Site) -> &NodeRef {
        match site {
            Site::From(k) => &self.from[k - 1],
            Site::To(k) if k <= self.to.len() => &self.to[k - 1],
            Site::To(_) => self
                .dest
                .as_ref()
                .expect("a destination gain implies a destination node"),
        }
    }
}

/// What one attempt ended with.
enum Attempt {
    Done,
    /// A node appeared at `to` between resolving and locking: start over.
    Retry,
    Blocked(TransferCheck, NodeRef),
}

/// The paths of one rename, split into components.
struct Paths<'a> {
    from: Vec<&'a str>,
    to: Vec<&'a str>,
}

impl Paths<'_> {
    fn source_name(&self) -> &str {
        self.from[self.from.len() - 1]
    }

    fn target_name(&self) -> &str {
        self.to[self.to.len() - 1]
    }
}

/// Every lock one attempt holds.
struct LockSet<'a> {
    shards: Vec<(usize, MutexGuard<'a, Shard>)>,
    nodes: Vec<(&'a NodeRef, Locked<'a>)>,
}

impl<'a> LockSet<'a> {
    fn get(&mut self, n: &NodeRef) -> &mut Locked<'a> {
        self.nodes
            .iter_mut()
            .find(|(r, _)| NodeArc::ptr_eq(r, n))
            .map(|(_, g)| g)
            .expect("every node a rename touches is in its lock set")
    }

    fn holds(&self, n: &NodeRef) -> bool {
        self.nodes.iter().any(|(r, _)| NodeArc::ptr_eq(r, n))
    }

    fn shard(&mut self, i: usize) -> &mut Shard {
        self.shards
            .iter_mut()
            .find(|(j, _)| *j == i)
            .map(|(_, s)| &mut **s)
            .expect("every shard a rename touches is in its lock set")
    }
}

impl Inner {
    /// `rename(from, to)` under `wait`; see the module docs.
    pub(crate) fn rename(&self, from: &str, to: &str, wait: Wait) -> Result<(), Error> {
        path::depth(from, self.sep)?;
        path::depth(to, self.sep)?;
        let paths = Paths {
            from: path::components(from, self.sep).collect(),
            to: path::components(to, self.sep).collect(),
        };
        let plan = match RenamePlan::new(paths.from.iter().copied(), paths.to.iter().copied()) {
            Err(_) => return Err(Error::InvalidRename),
            Ok(None) => return self.check_held(&paths.from),
            Ok(Some(plan)) => plan,
        };
        let owner = crate::owner::current();
        let mut first = true;
        loop {
            // Woken again and again (others keep changing the nodes it
            // waits on), a timed rename still ends at its deadline.
            if !first
                && wait
                    .deadline()
                    .is_some_and(|d| std::time::Instant::now() >= d)
            {
                return Err(Error::Timeout);
            }
            first = false;
            let token = Waiter::token(owner);
            let attempt = {
                let _serial = self.renames.lock();
                let chains = self.resolve(&paths)?;
                let attempt = self.attempt(&chains, plan, &paths, owner, (&token, wait));
                self.unpin_all(&chains);
                attempt?
            };
            let (check, node) = match attempt {
                Attempt::Done => return Ok(()),
                Attempt::Retry => continue,
                Attempt::Blocked(check, node) => (check, node),
            };
            match (check, wait) {
                (TransferCheck::WouldDeadlock, _) => return Err(Error::WouldDeadlock),
                (TransferCheck::Inconsistent, _) => return Err(Error::NotHeld),
                (_, Wait::Try) => return Err(Error::WouldBlock),
                _ => self.await_change(&node, owner, &token, wait)?,
            }
        }
    }

    /// A rename onto itself: succeeds iff something is held at `path`.
    fn check_held(&self, path: &[&str]) -> Result<(), Error> {
        let chains = self.resolve(&Paths {
            from: path.to_vec(),
            to: Vec::new(),
        })?;
        let held = !chains.moved().lock().state.holders().is_empty();
        self.unpin_all(&chains);
        held.then_some(()).ok_or(Error::NotHeld)
    }

    /// Pins the nodes of `from` (which must exist) and of `to`'s proper
    /// prefixes (created if absent), and finds the node at `to`.
    fn resolve(&self, paths: &Paths<'_>) -> Result<Chains, Error> {
        let mut chains = Chains {
            from: Vec::with_capacity(paths.from.len()),
            to: Vec::with_capacity(paths.to.len()),
            dest: None,
        };
        for name in &paths.from {
            match self.table.lookup(chains.from.last(), name, false) {
                Some(n) => chains.from.push(n),
                None => {
                    self.unpin_all(&chains);
                    return Err(Error::NotHeld);
                }
            }
        }
        for (i, name) in paths.to.iter().enumerate() {
            let last = i + 1 == paths.to.len();
            let n = self.table.lookup(chains.to.last(), name, !last);
            match n {
                Some(n) if !last => chains.to.push(n),
                n => chains.dest = n,
            }
        }
        Ok(chains)
    }

    fn unpin_all(&self, chains: &Chains) {
        for n in chains.all() {
            self.table.unpin(n);
        }
    }

    /// One attempt under the rename mutex.
    fn attempt(
        &self,
        chains: &Chains,
        plan: RenamePlan,
        paths: &Paths<'_>,
        owner: OwnerId,
        (token, wait): (&Token, Wait),
    ) -> Result<Attempt, Error> {
        let mut wake = Wakeups::new();
        let (shards, order) = self.lock_order(chains, plan, paths);
        let outcome = {
            let mut locks = LockSet {
                shards: shards
                    .into_iter()
                    .map(|i| (i, self.table.shard(i)))
                    .collect(),
                nodes: order.iter().map(|n| (n, n.lock())).collect(),
            };
            let outcome = self.decide(&mut locks, chains, plan, paths, owner)?;
            match &outcome {
                Attempt::Done => self.apply(&mut locks, chains, plan, paths, &mut wake),
                Attempt::Blocked(TransferCheck::Wait, n) if !matches!(wait, Wait::Try) => {
                    locks.get(n).state.watch(owner, token.clone());
                    self.table.log.record(|| Event::Watch {
                        node: n.id(),
                        owner: owner.0,
                    });
                }
                Attempt::Blocked(..) | Attempt::Retry => {}
            }
            outcome
        };
        deliver(wake);
        Ok(outcome)
    }

    /// The shards and nodes an attempt locks, in lock order.
    fn lock_order(
        &self,
        c: &Chains,
        plan: RenamePlan,
        paths: &Paths<'_>,
    ) -> (Vec<usize>, Vec<NodeRef>) {
        let mut shards = Vec::new();
        let mut nodes: Vec<(usize, NodeRef)> = Vec::new();
        let (fl, tl) = (plan.from_len, plan.to_len);
        nodes.push((fl, c.moved().clone()));
        match fl {
            1 => shards.push(self.table.shard_index(Key::of(paths.from[0]))),
            _ => nodes.push((fl - 1, c.from[fl - 2].clone())),
        }
        nodes.extend(plan.old_ancestors().map(|k| (k, c.from[k - 1].clone())));
        nodes.extend(plan.new_ancestors().map(|k| (k, c.to[k - 1].clone())));
        match tl {
            1 => shards.push(self.table.shard_index(Key::of(paths.to[0]))),
            _ => nodes.push((tl - 1, c.to[tl - 2].clone())),
        }
        nodes.extend(c.dest.iter().map(|d| (tl, d.clone())));
        shards.sort_unstable();
        shards.dedup();
        nodes.sort_by_key(|(d, n)| (*d, NodeArc::as_ptr(n) as usize));
        nodes.dedup_by(|a, b| NodeArc::ptr_eq(&a.1, &b.1));
        (shards, nodes.into_iter().map(|(_, n)| n).collect())
    }

    /// Asks the core whether every node accepts its part, in plan order.
    fn decide(
        &self,
        locks: &mut LockSet<'_>,
        c: &Chains,
        plan: RenamePlan,
        paths: &Paths<'_>,
        owner: OwnerId,
    ) -> Result<Attempt, Error> {
        let holders = locks.get(c.moved()).state.holders().to_vec();
        if holders.is_empty() {
            return Err(Error::NotHeld);
        }
        match locks.get(c.moved()).state.check_source(owner) {
            TransferCheck::Ready => {}
            check => return Ok(Attempt::Blocked(check, c.moved().clone())),
        }
        match &c.dest {
            Some(d) => {
                if let Some(blocked) = self.merge_blocker(locks, c.moved(), d, owner) {
                    return Ok(blocked);
                }
            }
            None if self.destination_appeared(locks, c, paths) => return Ok(Attempt::Retry),
            None => {}
        }
        let (own, anc) = RenamePlan::transfer_lists(&holders);
        for change in plan.changes(c.dest.is_some()) {
            let node = c.site(change.site);
            match locks
                .get(node)
                .state
                .check_transfer(transfer_for(change, &own, &anc), owner)
            {
                TransferCheck::Ready => {}
                check => return Ok(Attempt::Blocked(check, node.clone())),
            }
        }
        Ok(Attempt::Done)
    }

    /// Whether a node now exists at `to` although none did when resolving.
    fn destination_appeared(&self, locks: &mut LockSet<'_>, c: &Chains, paths: &Paths<'_>) -> bool {
        let name = Key::of(paths.target_name());
        match c.to.last() {
            None => locks
                .shard(self.table.shard_index(name))
                .contains_key(&name),
            Some(p) => locks.get(p).children.contains_key(name),
        }
    }

    /// Why the moved node cannot merge into `dest` now: a child of both is
    /// in use (subtrees merge one level only).
    fn merge_blocker(
        &self,
        locks: &mut LockSet<'_>,
        moved: &NodeRef,
        dest: &NodeRef,
        owner: OwnerId,
    ) -> Option<Attempt> {
        let names: Vec<Name> = locks.get(moved).children.names();
        let mut blocked: Option<TransferCheck> = None;
        for name in names {
            let Some(check) = self.collision(locks, dest, name.key(), owner) else {
                continue;
            };
            // The worst answer wins, whatever the map's order.
            blocked = Some(blocked.map_or(check, |b| b.worst(check)));
        }
        // Watch the destination: it is locked here, and whoever holds its
        // children holds it too, so every change there reaches it.
        blocked.map(|check| Attempt::Blocked(check, dest.clone()))
    }

    /// Whether the child `name` of `dest` is in the way of a merge: `None`
    /// if there is no such child (or only an unused one, which goes now,
    /// with its idle subtree).
    fn collision(
        &self,
        locks: &mut LockSet<'_>,
        dest: &NodeRef,
        name: Key<'_>,
        owner: OwnerId,
    ) -> Option<TransferCheck> {
        let other = locks.get(dest).children.get(name).cloned()?;
        let check = if locks.holds(&other) {
            self.unless_vacant(&other, locks.get(&other), owner)
        } else {
            self.unless_vacant(&other, &mut other.lock(), owner)
        };
        if check.is_none() {
            locks.get(dest).children.remove(name);
            self.table.note_removed(&other);
        }
        check
    }

    /// The collision check at the locked `other`, or `None` after taking
    /// its subtree out of the tree if nothing in it is in use.
    fn unless_vacant(
        &self,
        other: &NodeRef,
        g: &mut Locked<'_>,
        owner: OwnerId,
    ) -> Option<TransferCheck> {
        if other.is_vacant(g) && self.table.vacant_below(g) {
            self.table.remove_below(g);
            g.retire();
            return None;
        }
        Some(g.state.check_collision(owner))
    }

    /// Applies every transfer, then re-links the moved node.
    fn apply(
        &self,
        locks: &mut LockSet<'_>,
        c: &Chains,
        plan: RenamePlan,
        paths: &Paths<'_>,
        wake: &mut Wakeups<Token>,
    ) {
        let moved = c.moved();
        let holders = locks.get(moved).state.holders().to_vec();
        let (own, anc) = RenamePlan::transfer_lists(&holders);
        for change in plan.changes(c.dest.is_some()) {
            let node = c.site(change.site);
            let transfer = transfer_for(change, &own, &anc);
            let before = wake.len();
            locks.get(node).state.apply_transfer(transfer, wake);
            self.table.log.record(|| Event::Transfer {
                node: node.id(),
                remove: transfer.remove.to_vec(),
                add: transfer.add.to_vec(),
                woken: woken(&wake[before..]),
            });
        }
        let before = wake.len();
        locks.get(moved).state.evict_waiters(wake);
        self.table.log.record(|| Event::Evict {
            node: moved.id(),
            woken: woken(&wake[before..]),
        });
        let name = Key::of(paths.source_name());
        match c.from.len() {
            1 => locks.shard(self.table.shard_index(name)).remove(&name),
            n => locks.get(&c.from[n - 2]).children.remove(name),
        };
        match &c.dest {
            Some(d) => self.merge(locks, moved, d),
            None => self.relink(locks, c, paths),
        }
    }

    fn merge(&self, locks: &mut LockSet<'_>, moved: &NodeRef, dest: &NodeRef) {
        let children: Vec<(Name, NodeRef)> = {
            let g = locks.get(moved);
            drop(g.state.take_holders());
            g.forward = Some(dest.clone());
            g.retire();
            g.children.take()
        };
        for (name, child) in children {
            let mut cg = child.lock();
            cg.parent = Some(dest.clone());
            cg.retire();
            drop(cg);
            locks.get(dest).children.insert(name, child);
        }
        self.table.note_merged(moved, dest);
    }

    fn relink(&self, locks: &mut LockSet<'_>, c: &Chains, paths: &Paths<'_>) {
        let name = paths.target_name();
        let key = Name::from(name);
        let parent = c.to.last().cloned();
        {
            let g = locks.get(c.moved());
            g.parent = parent.clone();
            g.name = key.clone();
            g.retire();
        }
        let moved = c.moved().clone();
        self.table.log.record(|| Event::Relink {
            node: moved.id(),
            parent: parent.as_ref().map(|p| p.id()),
            name: name.to_string(),
        });
        match parent {
            None => locks
                .shard(self.table.shard_index(key.key()))
                .insert(key, moved),
            Some(p) => locks.get(&p).children.insert(key, moved),
        };
    }

    /// Parks until the watched node changes or the deadline passes.
    fn await_change(
        &self,
        node: &NodeRef,
        owner: OwnerId,
        token: &Waiter,
        wait: Wait,
    ) -> Result<(), Error> {
        if token.wait(wait.deadline()).is_some() {
            return Ok(());
        }
        let mut wake = Wakeups::new();
        let cancelled = {
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
        deliver(wake);
        self.table.collect(node);
        match cancelled {
            Cancel::Removed => Err(Error::Timeout),
            Cancel::NotWaiting => Ok(()),
        }
    }
}

fn transfer_for<'a>(
    change: Change,
    own: &'a [(OwnerId, Counts)],
    anc: &'a [(OwnerId, Counts)],
) -> Transfer<'a> {
    Transfer {
        remove: if change.loses_ancestor_holds {
            anc
        } else {
            &[]
        },
        add: match change.gain {
            Gain::Nothing => &[],
            Gain::AncestorHolds => anc,
            Gain::Holdings => own,
        },
    }
}
