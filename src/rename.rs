//! Renaming a held path: the driver around the core's rename plan.
//!
//! Renames are serialised among themselves (by a mutex held only while a
//! rename inspects or changes the tree, never while it waits). One attempt:
//! pin the nodes of both paths, lock every node the plan touches (shards
//! first, then by ascending depth), ask the core whether each node accepts its
//! transfer, and either apply them all and re-link the moved node, or leave a
//! watch on the node that blocked and wait with nothing held.

use hashbrown::HashSet;
use hilok_core::rename::{Change, Gain, RenamePlan, Site};
use hilok_core::{path, Counts, OwnerId, Transfer, TransferCheck, Wakeups};

use crate::acquire::Wait;
use crate::error::Error;
use crate::node::{node_of, Locked, NodeRef};
use crate::sync::{Arc, MutexGuard};
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

/// What one attempt ended with.
enum Attempt {
    Done,
    /// A node appeared at `to` between resolving and locking: start over.
    Retry,
    Blocked(TransferCheck, NodeRef),
}

/// Every lock one attempt holds.
struct LockSet<'a> {
    shards: Vec<(usize, MutexGuard<'a, Shard>)>,
    nodes: Vec<Locked>,
}

impl LockSet<'_> {
    fn get(&mut self, n: &NodeRef) -> &mut Locked {
        self.nodes
            .iter_mut()
            .find(|g| Arc::ptr_eq(node_of(g), n))
            .expect("every node a rename touches is in its lock set")
    }

    fn shard(&mut self, i: usize) -> &mut Shard {
        let (_, s) = self
            .shards
            .iter_mut()
            .find(|(j, _)| *j == i)
            .expect("every shard a rename touches is in its lock set");
        s
    }
}

impl Inner {
    /// `rename(from, to)` under `wait`; see the module docs.
    pub(crate) fn rename(&self, from: &str, to: &str, wait: Wait) -> Result<(), Error> {
        path::depth(from, self.sep)?;
        path::depth(to, self.sep)?;
        let f: Vec<&str> = path::components(from, self.sep).collect();
        let t: Vec<&str> = path::components(to, self.sep).collect();
        let plan = match RenamePlan::new(f.iter().copied(), t.iter().copied()) {
            Err(_) => return Err(Error::InvalidRename),
            Ok(None) => return self.check_held(&f),
            Ok(Some(plan)) => plan,
        };
        let owner = crate::owner::current();
        loop {
            let token = Waiter::token();
            let blocked = {
                let _serial = self.renames.lock();
                let chains = self.resolve(&f, &t)?;
                let outcome = self.attempt(&chains, plan, (&f, &t), owner, (&token, wait));
                self.unpin(&chains);
                outcome?
            };
            let (check, node) = match blocked {
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
        let chains = self.resolve(path, &[])?;
        let held = chains
            .from
            .last()
            .is_some_and(|n| !n.lock().state.holders().is_empty());
        self.unpin(&chains);
        held.then_some(()).ok_or(Error::NotHeld)
    }

    /// Pins the nodes of `from` (which must exist) and of `to`'s proper
    /// prefixes (created if absent), and finds the node at `to`.
    fn resolve(&self, f: &[&str], t: &[&str]) -> Result<Chains, Error> {
        let mut chains = Chains {
            from: Vec::with_capacity(f.len()),
            to: Vec::new(),
            dest: None,
        };
        let mut held: Option<Locked> = None;
        for name in f {
            let Some(g) = self.table.child_pinned(held.as_ref(), name) else {
                drop(held);
                self.unpin(&chains);
                return Err(Error::NotHeld);
            };
            chains.from.push(node_of(&g).clone());
            held = Some(g);
        }
        held = None;
        for (i, name) in t.iter().enumerate() {
            if i + 1 == t.len() {
                let dest = self.table.child_pinned(held.as_ref(), name);
                chains.dest = dest.as_ref().map(|g| node_of(g).clone());
                break;
            }
            let mut g = self.table.child_locked(held.take(), name);
            g.pins += 1;
            chains.to.push(node_of(&g).clone());
            held = Some(g);
        }
        Ok(chains)
    }

    fn unpin(&self, chains: &Chains) {
        let all = chains.from.iter().chain(&chains.to).chain(&chains.dest);
        for n in all {
            n.lock().pins -= 1;
            self.table.collect(n);
        }
    }

    /// One attempt under the rename mutex.
    fn attempt(
        &self,
        chains: &Chains,
        plan: RenamePlan,
        (f, t): (&[&str], &[&str]),
        owner: OwnerId,
        (token, wait): (&Token, Wait),
    ) -> Result<Attempt, Error> {
        let mut wake = Wakeups::new();
        let outcome = {
            let mut locks = self.lock_all(chains, plan, f, t);
            let outcome = self.decide(&mut locks, chains, plan, t, owner)?;
            match &outcome {
                Attempt::Done => self.apply(&mut locks, chains, plan, f, t, &mut wake),
                Attempt::Blocked(TransferCheck::Wait, n) if !matches!(wait, Wait::Try) => {
                    locks.get(n).state.watch(owner, token.clone());
                }
                Attempt::Blocked(..) | Attempt::Retry => {}
            }
            outcome
        };
        deliver(wake);
        Ok(outcome)
    }

    fn lock_all<'a>(&'a self, c: &Chains, plan: RenamePlan, f: &[&str], t: &[&str]) -> LockSet<'a> {
        let mut shards = Vec::new();
        let mut nodes: Vec<(usize, NodeRef)> = Vec::new();
        let mut add = |depth: usize, n: &NodeRef| nodes.push((depth, n.clone()));
        let fl = plan.from_len;
        let tl = plan.to_len;
        add(fl, &c.from[fl - 1]);
        if fl >= 2 {
            add(fl - 1, &c.from[fl - 2]);
        } else {
            shards.push(self.table.shard_index(f[0]));
        }
        for k in plan.old_ancestors() {
            add(k, &c.from[k - 1]);
        }
        for k in plan.new_ancestors() {
            add(k, &c.to[k - 1]);
        }
        if tl >= 2 {
            add(tl - 1, &c.to[tl - 2]);
        } else {
            shards.push(self.table.shard_index(t[0]));
        }
        if let Some(d) = &c.dest {
            add(tl, d);
        }
        shards.sort_unstable();
        shards.dedup();
        nodes.sort_by_key(|(d, n)| (*d, Arc::as_ptr(n) as usize));
        nodes.dedup_by(|a, b| Arc::ptr_eq(&a.1, &b.1));
        LockSet {
            shards: shards
                .into_iter()
                .map(|i| (i, self.table.shard(i)))
                .collect(),
            nodes: nodes.into_iter().map(|(_, n)| n.lock_arc()).collect(),
        }
    }

    /// Asks the core whether every node accepts its part, in plan order.
    fn decide(
        &self,
        locks: &mut LockSet<'_>,
        c: &Chains,
        plan: RenamePlan,
        t: &[&str],
        owner: OwnerId,
    ) -> Result<Attempt, Error> {
        let moved = &c.from[plan.from_len - 1];
        let holders = locks.get(moved).state.holders().to_vec();
        if holders.is_empty() {
            return Err(Error::NotHeld);
        }
        match &c.dest {
            Some(d) => {
                if let Some(blocked) = self.merge_blocker(locks, moved, d, owner) {
                    return Ok(blocked);
                }
            }
            None if self.destination_appeared(locks, c, t) => return Ok(Attempt::Retry),
            None => {}
        }
        let (own, anc) = RenamePlan::transfer_lists(&holders);
        for change in plan.changes(c.dest.is_some()) {
            let node = site_node(c, change.site);
            let transfer = transfer_for(change, &own, &anc);
            match locks.get(node).state.check_transfer(transfer, owner) {
                TransferCheck::Ready => {}
                check => return Ok(Attempt::Blocked(check, node.clone())),
            }
        }
        Ok(Attempt::Done)
    }

    /// Whether a node now exists at `to` although none did when resolving.
    fn destination_appeared(&self, locks: &mut LockSet<'_>, c: &Chains, t: &[&str]) -> bool {
        let t_last = t[t.len() - 1];
        match c.to.last() {
            None => locks
                .shard(self.table.shard_index(t_last))
                .contains_key(t_last),
            Some(p) => locks.get(p).children.contains_key(t_last),
        }
    }

    /// Why the moved node cannot merge into `dest` now: an escalation waits
    /// on it, or a child of both is in use (subtrees merge one level only).
    fn merge_blocker(
        &self,
        locks: &mut LockSet<'_>,
        moved: &NodeRef,
        dest: &NodeRef,
        owner: OwnerId,
    ) -> Option<Attempt> {
        if locks.get(moved).state.has_escalation() {
            return Some(Attempt::Blocked(TransferCheck::Wait, moved.clone()));
        }
        let names: Vec<Box<str>> = locks.get(moved).children.keys().cloned().collect();
        let locked: HashSet<usize> = locks
            .nodes
            .iter()
            .map(|g| Arc::as_ptr(node_of(g)) as usize)
            .collect();
        for name in names {
            let Some(other) = locks.get(dest).children.get(&name).cloned() else {
                continue;
            };
            let check = if locked.contains(&(Arc::as_ptr(&other) as usize)) {
                locks.get(&other).state.check_vacant(owner)
            } else {
                let g = other.lock();
                if g.is_unused() {
                    drop(g);
                    locks.get(dest).children.remove(&name);
                    self.table.note_removed();
                    continue;
                }
                g.state.check_vacant(owner)
            };
            let check = if check == TransferCheck::Ready {
                TransferCheck::Wait
            } else {
                check
            };
            return Some(Attempt::Blocked(check, other));
        }
        None
    }

    /// Applies every transfer, then re-links the moved node.
    fn apply(
        &self,
        locks: &mut LockSet<'_>,
        c: &Chains,
        plan: RenamePlan,
        f: &[&str],
        t: &[&str],
        wake: &mut Wakeups<Token>,
    ) {
        let moved = &c.from[plan.from_len - 1];
        let holders = locks.get(moved).state.holders().to_vec();
        let (own, anc) = RenamePlan::transfer_lists(&holders);
        for change in plan.changes(c.dest.is_some()) {
            let node = site_node(c, change.site);
            locks
                .get(node)
                .state
                .apply_transfer(transfer_for(change, &own, &anc), wake);
        }
        locks.get(moved).state.evict_waiters(wake);
        let f_last = f[f.len() - 1];
        match c.from.len() {
            1 => locks.shard(self.table.shard_index(f_last)).remove(f_last),
            n => locks.get(&c.from[n - 2]).children.remove(f_last),
        };
        match &c.dest {
            Some(d) => self.merge(locks, moved, d),
            None => self.relink(locks, c, moved, t),
        }
    }

    fn merge(&self, locks: &mut LockSet<'_>, moved: &NodeRef, dest: &NodeRef) {
        let children: Vec<(Box<str>, NodeRef)> = {
            let g = locks.get(moved);
            drop(g.state.take_holders());
            g.forward = Some(dest.clone());
            g.children.drain().collect()
        };
        for (name, child) in children {
            child.lock().parent = Some(dest.clone());
            locks.get(dest).children.insert(name, child);
        }
        self.table.note_removed();
    }

    fn relink(&self, locks: &mut LockSet<'_>, c: &Chains, moved: &NodeRef, t: &[&str]) {
        let t_last = t[t.len() - 1];
        let parent = c.to.last().cloned();
        {
            let g = locks.get(moved);
            g.parent = parent.clone();
            g.name = t_last.into();
        }
        match parent {
            None => locks
                .shard(self.table.shard_index(t_last))
                .insert(t_last.into(), moved.clone()),
            Some(p) => locks.get(&p).children.insert(t_last.into(), moved.clone()),
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
        let cancelled = node.lock().state.cancel(owner, &mut wake);
        deliver(wake);
        self.table.collect(node);
        match cancelled {
            hilok_core::Cancel::Removed => Err(Error::Timeout),
            hilok_core::Cancel::NotWaiting => Ok(()),
        }
    }
}

fn site_node(c: &Chains, site: Site) -> &NodeRef {
    match site {
        Site::From(k) => &c.from[k - 1],
        Site::To(k) if k <= c.to.len() => &c.to[k - 1],
        Site::To(_) => c
            .dest
            .as_ref()
            .expect("a destination gain implies a destination node"),
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
