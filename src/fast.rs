//! Requests and releases decided on a node's word, without its lock.
//!
//! While a node's state fits in a [`Word`] (nobody waits, at most one
//! holder), a request or a release unpacks the word, calls the core's own
//! transition on the result, packs it again and installs it with one
//! compare-and-swap. Only outcomes that stay packed are taken here: a grant
//! to the first or the same holder, a release that wakes nobody. Anything
//! else (a second holder, a refusal, a wait, an inflated word) answers
//! `false` / [`Released::Slow`] and the caller takes the node's lock, where
//! the same transitions run on the unpacked state.

use hilok_core::{Blocking, Decision, Mode, OwnerId, Recursion, Wakeups, Word};

use crate::events::Event;
use crate::node::Node;
use crate::sync::Ordering;

/// How a lock-free release went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Released {
    /// Released; `idle` when nobody holds the node now.
    Done { idle: bool },
    /// Not decidable on the word: take the lock.
    Slow,
}

/// Asks for `mode` on behalf of `owner` at `node`; `true` if granted here.
#[inline]
pub(crate) fn request(
    node: &Node,
    owner: OwnerId,
    mode: Mode,
    recursion: Recursion,
    blocking: Blocking,
) -> bool {
    let mut seen = node.word.load(Ordering::Acquire);
    loop {
        let Some(mut state) = Word(seen).unpacked::<()>() else {
            return false;
        };
        if state.request(owner, mode, recursion, blocking) != Decision::Granted {
            return false;
        }
        let Some(next) = state.packed() else {
            return false;
        };
        let swapped = node.log().exchange(
            || exchange(node, seen, next),
            || {
                let ask = Ask {
                    owner,
                    mode,
                    recursion,
                    blocking,
                };
                granted(node, ask)
            },
        );
        match swapped {
            Ok(_) => return true,
            Err(now) => seen = now,
        }
    }
}

/// A request to grant on a node as it is made (see [`grant_new`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ask {
    pub(crate) owner: OwnerId,
    pub(crate) mode: Mode,
    pub(crate) recursion: Recursion,
    pub(crate) blocking: Blocking,
}

/// Grants `ask` at `node`, just made and not yet reachable by any other
/// thread: the transition [`request`] makes, on the free word, installed
/// with a plain store (the lock that publishes the node publishes it).
/// `true` if granted, which a free node always is.
#[inline]
pub(crate) fn grant_new(node: &Node, ask: Ask) -> bool {
    let Ask {
        owner,
        mode,
        recursion,
        blocking,
    } = ask;
    let Some(mut state) = Word::FREE.unpacked::<()>() else {
        return false;
    };
    if state.request(owner, mode, recursion, blocking) != Decision::Granted {
        return false;
    }
    let Some(next) = state.packed() else {
        return false;
    };
    node.word.store(next.0, Ordering::Relaxed);
    node.log().record(|| granted(node, ask));
    true
}

/// The event of `ask` granted at `node` on its word.
fn granted(node: &Node, ask: Ask) -> Event {
    Event::Request {
        node: node.id(),
        owner: ask.owner.0,
        mode: ask.mode,
        recursion: ask.recursion,
        blocking: ask.blocking,
        decision: Decision::Granted,
    }
}

/// Releases one holding of `mode` by `owner` at `node`.
#[inline]
pub(crate) fn release(node: &Node, owner: OwnerId, mode: Mode) -> Released {
    let mut seen = node.word.load(Ordering::Acquire);
    loop {
        let Some(mut state) = Word(seen).unpacked::<()>() else {
            return Released::Slow;
        };
        let mut wake = Wakeups::new();
        if state.release(owner, mode, &mut wake).is_err() {
            // Not ours to answer: the locked path reports it.
            return Released::Slow;
        }
        let Some(next) = state.packed() else {
            return Released::Slow;
        };
        let swapped = node.log().exchange(
            || exchange(node, seen, next),
            || Event::Release {
                node: node.id(),
                owner: owner.0,
                mode,
                ok: true,
                woken: Vec::new(),
            },
        );
        match swapped {
            Ok(_) => {
                return Released::Done {
                    idle: next.is_free(),
                }
            }
            Err(now) => seen = now,
        }
    }
}

#[inline]
fn exchange(node: &Node, seen: u64, next: Word) -> Result<u64, u64> {
    node.word
        .compare_exchange_weak(seen, next.0, Ordering::AcqRel, Ordering::Acquire)
}
