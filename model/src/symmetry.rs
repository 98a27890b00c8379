//! Symmetry reduction over owners: every owner runs the same nondeterministic
//! program, so two states that differ only by a renaming of owners have the
//! same futures. The representative is a canonical renaming of the owners,
//! applied everywhere (owner list, node holders, queue entries, wake-up
//! tokens).
//!
//! Node states are rebuilt through the core's public transitions
//! (`apply_transfer` onto an empty node, then `enqueue`), which keep the
//! holders' and the queue's order.

use hilok_core::node::Want;
use hilok_core::{Counts, NodeState, OwnerId, Pending, Transfer, Wakeup, Wakeups};

use crate::driver::id;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::state::{Pc, State, Token};

/// `n` with every owner `i` renamed `perm[i]`, or `None` if the queue is not
/// in the shape the core keeps (escalations first), which would make the
/// rebuild unfaithful.
fn relabel(n: &NodeState<Token>, perm: &[u8]) -> Option<NodeState<Token>> {
    let map = |o: OwnerId| id(perm[o.0 as usize]);
    let mut out = NodeState::new();
    let add: Vec<(OwnerId, Counts)> = n
        .holders()
        .iter()
        .map(|h| (map(h.owner), h.counts))
        .collect();
    let mut wake: Wakeups<Token> = Wakeups::new();
    out.apply_transfer(
        Transfer {
            remove: &[],
            add: &add,
        },
        &mut wake,
    );
    let queue: Vec<_> = n.queue().collect();
    let escalations = queue
        .iter()
        .take_while(|e| matches!(e.want, Want::Escalate(_)))
        .count();
    if queue[escalations..]
        .iter()
        .any(|e| matches!(e.want, Want::Escalate(_)))
    {
        return None;
    }
    for e in &queue[escalations..] {
        out.enqueue(
            Pending {
                owner: map(e.owner),
                want: e.want,
            },
            perm[usize::from(e.token)],
        );
    }
    for e in queue[..escalations].iter().rev() {
        out.enqueue(
            Pending {
                owner: map(e.owner),
                want: e.want,
            },
            perm[usize::from(e.token)],
        );
    }
    wake.is_empty().then_some(out)
}

/// `s` with every owner `i` renamed `perm[i]`.
fn permuted(s: &State, perm: &[u8]) -> Option<State> {
    let mut nodes = s.nodes.clone();
    for (p, n) in &s.nodes {
        nodes.insert(p.clone(), relabel(n, perm)?);
    }
    let mut owners = s.owners.clone();
    for (old, o) in s.owners.iter().enumerate() {
        let mut o = o.clone();
        if let Pc::Release(r) = &mut o.pc {
            r.holder = perm[usize::from(r.holder)];
        }
        owners[usize::from(perm[old])] = o;
    }
    Some(State {
        nodes,
        owners,
        violated: s.violated,
        last: s.last,
    })
}

/// Every permutation of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

/// The sort key of owner `i`'s local state, the same under every renaming
/// of owners (a release names its holder only as itself or another).
fn key(s: &State, i: usize) -> impl Ord + '_ {
    let o = &s.owners[i];
    let inbox = match o.inbox {
        None => 0u8,
        Some(Wakeup::Granted) => 1,
        Some(Wakeup::Moved) => 2,
        Some(Wakeup::Changed) => 3,
    };
    let mut pc = o.pc.clone();
    if let Pc::Release(r) = &mut pc {
        r.holder = u8::from(usize::from(r.holder) != i);
    }
    (o.ops_left, &o.guards, pc, inbox)
}

/// Candidate orders: owners sorted by [`key`], with every arrangement of
/// owners whose keys tie.
fn candidate_orders(s: &State) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..s.owners.len()).collect();
    order.sort_by(|&a, &b| key(s, a).cmp(&key(s, b)));
    let mut orders = vec![Vec::new()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && key(s, order[j]) == key(s, order[i]) {
            j += 1;
        }
        let group = permutations(&order[i..j]);
        orders = orders
            .iter()
            .flat_map(|prefix| {
                group.iter().map(move |g| {
                    let mut o = prefix.clone();
                    o.extend_from_slice(g);
                    o
                })
            })
            .collect();
        i = j;
    }
    orders
}

fn digest(s: &State) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The representative of `s`'s symmetry class: owners sorted by their local
/// state, ties broken by the least digest over the tied owners' arrangements
/// (a canonical choice, so the number of states explored does not depend on
/// the order of exploration).
pub fn representative(s: &State) -> State {
    let candidates = candidate_orders(s).into_iter().filter_map(|order| {
        let mut perm = vec![0u8; order.len()];
        for (new, &old) in order.iter().enumerate() {
            perm[old] = new as u8;
        }
        permuted(s, &perm)
    });
    candidates.min_by_key(digest).unwrap_or_else(|| s.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configs;
    use stateright::Model;

    #[test]
    fn representative_is_a_fixpoint_and_keeps_the_properties() {
        let cfg = configs::by_name("ordered-recursive").expect("config");
        let mut frontier = vec![cfg.initial()];
        for _ in 0..6 {
            let mut next = Vec::new();
            for s in &frontier {
                let r = representative(s);
                assert_eq!(representative(&r), r);
                assert_eq!(r.nodes.len(), s.nodes.len());
                for p in cfg.properties() {
                    assert_eq!(
                        (p.condition)(&cfg, s),
                        (p.condition)(&cfg, &r),
                        "{}",
                        p.name
                    );
                }
                next.extend(cfg.next_states(s));
            }
            frontier = next;
        }
    }
}
