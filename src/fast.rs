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
//!
//! A packed state's transition is a pure function of its word and the
//! request, so each thread remembers the last ones the core decided for it
//! ([`Memo`]): the same step again (the same word, the same request) takes
//! the core's earlier answer after a few comparisons instead of a call.

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

/// The transitions on a word the core last granted to one owner, one per
/// mode for requests and one per mode for releases: the word before, what
/// was asked (a request's recursion and blocking; the mode is the index),
/// and the word after. Only grants and releases that stayed packed are
/// kept (the only steps taken on the word). An entry whose word before is
/// [`Word::INFLATED_WORD`] is empty; a memo never answers for an inflated
/// word (its state is behind the node's lock, whatever its bits).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Memo {
    owner: OwnerId,
    request: [(u64, Recursion, Blocking, Word); Mode::ALL.len()],
    release: [(u64, Word); Mode::ALL.len()],
}

/// No step remembered.
const EMPTY: u64 = Word::INFLATED_WORD.0;

impl Memo {
    /// A memo for the steps of `owner`.
    pub(crate) fn new(owner: OwnerId) -> Self {
        Memo {
            owner,
            request: [(EMPTY, Recursion::Strict, Blocking::Try, Word::FREE); Mode::ALL.len()],
            release: [(EMPTY, Word::FREE); Mode::ALL.len()],
        }
    }

    /// The word after `ask` on `seen`, as the core decided it last time.
    #[inline]
    fn requested(&self, seen: u64, ask: &Ask) -> Option<Word> {
        let (before, recursion, blocking, after) = self.request[ask.mode.index()];
        let same = before == seen
            && !Word(seen).is_inflated()
            && ask.owner == self.owner
            && recursion == ask.recursion
            && blocking == ask.blocking;
        same.then_some(after)
    }

    /// The word after releasing `mode` of `owner` on `seen`, as the core
    /// decided it last time.
    #[inline]
    fn released(&self, seen: u64, owner: OwnerId, mode: Mode) -> Option<Word> {
        let (before, after) = self.release[mode.index()];
        let same = before == seen && !Word(seen).is_inflated() && owner == self.owner;
        same.then_some(after)
    }
}

/// The word after granting `ask` on `seen`, by the core; `None` unless
/// granted and still packed.
#[cold]
fn decide_request(seen: u64, ask: &Ask, memo: &mut Memo) -> Option<Word> {
    let mut state = Word(seen).unpacked::<()>()?;
    let decision = state.request(ask.owner, ask.mode, ask.recursion, ask.blocking);
    let next = state.packed().filter(|_| decision == Decision::Granted)?;
    if ask.owner == memo.owner {
        memo.request[ask.mode.index()] = (seen, ask.recursion, ask.blocking, next);
    }
    Some(next)
}

/// The word after releasing `mode` of `owner` on `seen`, by the core;
/// `None` unless that is an error-free release that stays packed.
#[cold]
fn decide_release(seen: u64, owner: OwnerId, mode: Mode, memo: &mut Memo) -> Option<Word> {
    let mut state = Word(seen).unpacked::<()>()?;
    let mut wake = Wakeups::new();
    state.release(owner, mode, &mut wake).ok()?;
    let next = state.packed()?;
    if owner == memo.owner {
        memo.release[mode.index()] = (seen, next);
    }
    Some(next)
}

/// Asks for `mode` on behalf of `owner` at `node`; `true` if granted here.
#[inline]
pub(crate) fn request(
    node: &Node,
    owner: OwnerId,
    mode: Mode,
    recursion: Recursion,
    blocking: Blocking,
    memo: &mut Memo,
) -> bool {
    let ask = Ask {
        owner,
        mode,
        recursion,
        blocking,
    };
    let mut seen = node.word.load(Ordering::Acquire);
    loop {
        let next = match memo.requested(seen, &ask) {
            Some(next) => next,
            None => match decide_request(seen, &ask, memo) {
                Some(next) => next,
                None => return false,
            },
        };
        let swapped = node
            .log()
            .exchange(|| exchange(node, seen, next), || granted(node, ask));
        match swapped {
            Ok(_) => return true,
            Err(now) => seen = now,
        }
    }
}

/// A request to grant on a node as it is made (see [`grant_new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    let Some(mut state) = Word::FREE.unpacked::<()>() else {
        return false;
    };
    if state.request(ask.owner, ask.mode, ask.recursion, ask.blocking) != Decision::Granted {
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
pub(crate) fn release(node: &Node, owner: OwnerId, mode: Mode, memo: &mut Memo) -> Released {
    let mut seen = node.word.load(Ordering::Acquire);
    loop {
        let next = match memo.released(seen, owner, mode) {
            Some(next) => next,
            // An error is not ours to answer: the locked path reports it.
            None => match decide_release(seen, owner, mode, memo) {
                Some(next) => next,
                None => return Released::Slow,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word three grants or fewer away from free (owners 1 and 2).
    fn words() -> Vec<u64> {
        let mut words = vec![Word::FREE.0];
        let mut level = words.clone();
        for _ in 0..3 {
            let mut next_level = Vec::new();
            for &w in &level {
                for owner in [OwnerId(1), OwnerId(2)] {
                    for mode in Mode::ALL {
                        let mut memo = Memo::new(owner);
                        let ask = Ask {
                            owner,
                            mode,
                            recursion: Recursion::Recursive,
                            blocking: Blocking::Try,
                        };
                        match decide_request(w, &ask, &mut memo) {
                            Some(next) if !words.contains(&next.0) => {
                                words.push(next.0);
                                next_level.push(next.0);
                            }
                            _ => {}
                        }
                    }
                }
            }
            level = next_level;
        }
        words
    }

    fn asks() -> Vec<Ask> {
        let mut asks = Vec::new();
        for owner in [OwnerId(1), OwnerId(2), OwnerId(3)] {
            for mode in Mode::ALL {
                for recursion in Recursion::ALL {
                    for blocking in [Blocking::Try, Blocking::Wait] {
                        asks.push(Ask {
                            owner,
                            mode,
                            recursion,
                            blocking,
                        });
                    }
                }
            }
        }
        asks
    }

    #[test]
    fn a_remembered_request_is_the_cores_answer_and_only_for_the_same_step() {
        let (words, asks) = (words(), asks());
        assert!(words.len() > 10, "{} words", words.len());
        let mut remembered = 0;
        for &w in &words {
            for ask in &asks {
                let mut memo = Memo::new(ask.owner);
                let Some(next) = decide_request(w, ask, &mut memo) else {
                    assert_eq!(memo.requested(w, ask), None, "a refusal is not kept");
                    continue;
                };
                remembered += 1;
                assert_eq!(memo.requested(w, ask), Some(next));
                // Any other step gets no answer, or the core's (a sample
                // of them under miri, where this is slow).
                for &w2 in &words {
                    for ask2 in asks.iter().step_by(if cfg!(miri) { 31 } else { 1 }) {
                        if let Some(answer) = memo.requested(w2, ask2) {
                            let core = decide_request(w2, ask2, &mut Memo::new(ask2.owner));
                            assert_eq!(Some(answer), core, "{w:#x} {ask:?} -> {w2:#x} {ask2:?}");
                        }
                    }
                }
            }
        }
        assert!(remembered > 100, "{remembered} grants");
    }

    #[test]
    fn a_memo_never_answers_for_an_inflated_word() {
        // Empty or filled, whatever the inflated word's other bits (an
        // empty entry is marked by the bare inflated word).
        let owner = OwnerId(1);
        let mut filled = Memo::new(owner);
        for &w in &words() {
            for ask in asks().iter().filter(|a| a.owner == owner) {
                decide_request(w, ask, &mut filled);
            }
            for mode in Mode::ALL {
                decide_release(w, owner, mode, &mut filled);
            }
        }
        for memo in [Memo::new(owner), filled] {
            for inflated in [Word::INFLATED, Word::INFLATED | 1, u64::MAX] {
                for ask in &asks() {
                    assert_eq!(memo.requested(inflated, ask), None, "{inflated:#x} {ask:?}");
                }
                for mode in Mode::ALL {
                    assert_eq!(memo.released(inflated, owner, mode), None, "{inflated:#x}");
                }
            }
        }
    }

    #[test]
    fn a_remembered_release_is_the_cores_answer_and_only_for_the_same_step() {
        let words = words();
        let owners = [OwnerId(1), OwnerId(2), OwnerId(3)];
        let mut remembered = 0;
        for &w in &words {
            for owner in owners {
                for mode in Mode::ALL {
                    let mut memo = Memo::new(owner);
                    let Some(next) = decide_release(w, owner, mode, &mut memo) else {
                        assert_eq!(memo.released(w, owner, mode), None);
                        continue;
                    };
                    remembered += 1;
                    assert_eq!(memo.released(w, owner, mode), Some(next));
                    for &w2 in &words {
                        for owner2 in owners {
                            for mode2 in Mode::ALL {
                                if let Some(answer) = memo.released(w2, owner2, mode2) {
                                    let core =
                                        decide_release(w2, owner2, mode2, &mut Memo::new(owner2));
                                    assert_eq!(Some(answer), core);
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(remembered > 10, "{remembered} releases");
    }
}
