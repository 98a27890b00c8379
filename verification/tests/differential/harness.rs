//! Runs one operation on the runtime and on the reference and compares.
//!
//! The runtime's owner is the calling thread, so each owner is an
//! [`OwnerThread`]; guards live in this (the driver's) table and travel to the
//! owner that releases or drops them. After every step the whole observable
//! state is compared: `node_count()`, every guard's `path()`, `is_held()` and
//! `is_write()`, and `status()` of every node.

use std::fmt::Debug;
use std::time::Duration;

use hilok::{Flags, Guard, HiLok};
use hilok_verification::owner_thread::OwnerThread;
use hilok_verification::reference::path::parse;
use hilok_verification::reference::{GuardState, Reference, Wait};

use crate::ops::{Op, Setup};

/// Nodes deeper than this are not swept by `status()` after each step (the
/// 1024-deep paths would make the sweep quadratic); `node_count()` still
/// covers them.
const STATUS_SWEEP_DEPTH: usize = 4;

/// What the `guard` field of an operation means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardRefs {
    /// The `k`-th guard not yet dropped, modulo their number (as generated:
    /// every value names some guard).
    Live,
    /// The guard created by the operation at this index, if it still exists
    /// (as minimized: deleting an unrelated step changes no reference).
    CreatingStep,
}

/// One step both sides agreed on.
pub struct Done {
    /// The call, e.g. `try_read` (for the outcome tally).
    pub call: &'static str,
    /// Its outcome, e.g. `Ok` or `Err(WouldBlock)`.
    pub outcome: String,
    /// The step as a transcript line.
    pub line: String,
}

/// The runtime and the reference, side by side.
pub struct Harness {
    sep: char,
    hilok: HiLok,
    owners: Vec<OwnerThread>,
    /// By guard id; `None` once dropped.
    guards: Vec<Option<Guard>>,
    /// By guard id: the index of the step that created it.
    created_by: Vec<usize>,
    /// By step: the guard its `guard` field named, if any.
    resolved: Vec<Option<usize>>,
    refs: GuardRefs,
    reference: Reference,
}

fn wait(timed: bool) -> Wait {
    if timed {
        Wait::ZeroTimeout
    } else {
        Wait::Try
    }
}

/// A path for a transcript, abbreviated when long.
fn show(path: &str) -> String {
    if path.chars().count() <= 24 {
        format!("{path:?}")
    } else {
        let head: String = path.chars().take(8).collect();
        format!("{head:?}… ({} bytes)", path.len())
    }
}

/// The outcome of a call, without the guard or the unit value.
fn outcome<T, E: Debug>(r: &Result<T, E>) -> String {
    match r {
        Ok(_) => "Ok".to_string(),
        Err(e) => format!("Err({e:?})"),
    }
}

fn done(call: &'static str, outcome: String, line: String) -> Done {
    Done {
        call,
        outcome,
        line,
    }
}

fn no_guard(call: &'static str) -> Result<Done, String> {
    Ok(done(call, "none".into(), format!("({call} of no guard)")))
}

impl Harness {
    /// A fresh manager configured by `setup`, with its owner threads;
    /// operations name guards as `refs` says.
    pub fn new(setup: &Setup, refs: GuardRefs) -> Self {
        let flags = Flags::from_bits(setup.flags).expect("generated flags are defined");
        Harness {
            sep: setup.sep,
            hilok: HiLok::builder().separator(setup.sep).flags(flags).build(),
            owners: (0..setup.owners)
                .map(|i| OwnerThread::spawn(&format!("owner-{i}")))
                .collect(),
            guards: Vec::new(),
            created_by: Vec::new(),
            resolved: Vec::new(),
            refs,
            reference: Reference::new(setup.sep, setup.flags),
        }
    }

    /// Runs `op`, the operation at index `step`, on both sides; `Err`
    /// describes the first disagreement.
    pub fn step(&mut self, step: usize, op: &Op) -> Result<Done, String> {
        let n = self.owners.len();
        self.resolved.push(None);
        let guards_before = self.guards.len();
        let d = match op {
            Op::Lock {
                owner,
                write,
                timed,
                path,
            } => self.lock(*owner % n, *write, *timed, path.render(self.sep))?,
            Op::Rename {
                owner,
                timed,
                from,
                to,
            } => self.rename(
                *owner % n,
                *timed,
                from.render(self.sep),
                to.render(self.sep),
            )?,
            Op::RenameHeld {
                owner,
                timed,
                guard,
                up,
                to,
            } => {
                let Some(id) = self.resolve(*guard) else {
                    return no_guard("try_rename");
                };
                let held = &self.reference.guards()[id].path;
                let keep = held.len().saturating_sub(*up).max(1);
                let from = held[..keep].join(&self.sep.to_string());
                self.rename(*owner % n, *timed, from, to.render(self.sep))?
            }
            Op::Release { by, guard } => {
                let Some(id) = self.resolve(*guard) else {
                    return no_guard("release");
                };
                self.release(*by % n, id)?
            }
            Op::Drop { by, guard } => {
                let Some(id) = self.resolve(*guard) else {
                    return no_guard("drop");
                };
                self.drop_guard(*by % n, id)?
            }
            Op::Status { path } => self.status(&path.render(self.sep))?,
        };
        if self.guards.len() > guards_before {
            self.created_by.push(step);
        }
        Ok(d)
    }

    /// By guard id, the index of the step that created it.
    pub fn created_by(&self) -> &[usize] {
        &self.created_by
    }

    /// By step, the guard its `guard` field named (if it named one that
    /// still existed).
    pub fn resolved(&self) -> &[Option<usize>] {
        &self.resolved
    }

    /// The guard an operation's `guard` field names, if it still exists.
    fn resolve(&mut self, k: usize) -> Option<usize> {
        let exists = |id: &usize| self.guards[*id].is_some();
        let id = match self.refs {
            GuardRefs::Live => {
                let live: Vec<usize> = (0..self.guards.len()).filter(exists).collect();
                (!live.is_empty()).then(|| live[k % live.len()])
            }
            GuardRefs::CreatingStep => self.created_by.iter().position(|&s| s == k).filter(exists),
        };
        if let Some(last) = self.resolved.last_mut() {
            *last = id;
        }
        id
    }

    fn lock(
        &mut self,
        owner: usize,
        write: bool,
        timed: bool,
        path: String,
    ) -> Result<Done, String> {
        let call = match (write, timed) {
            (false, false) => "try_read",
            (true, false) => "try_write",
            (false, true) => "read_for",
            (true, true) => "write_for",
        };
        let timeout = if timed { ", 0s" } else { "" };
        let line = format!("owner {owner}: {call}({}{timeout})", show(&path));
        let expected = self.reference.lock(owner, &path, write, wait(timed));
        let h = self.hilok.clone();
        let got = self.owners[owner]
            .run(move || match (write, timed) {
                (false, false) => h.try_read(&path),
                (true, false) => h.try_write(&path),
                (false, true) => h.read_for(&path, Duration::ZERO),
                (true, true) => h.write_for(&path, Duration::ZERO),
            })
            .map_err(|e| format!("{line}: {e}; reference {expected:?}"))?;
        match (got, expected) {
            (Ok(g), Ok(id)) if id == self.guards.len() => {
                self.guards.push(Some(g));
                Ok(done(call, "Ok".into(), format!("{line} = guard {id}")))
            }
            (Err(e), Err(x)) if e == x => {
                let o = outcome::<(), _>(&Err(e));
                Ok(done(call, o.clone(), format!("{line} = {o}")))
            }
            (got, expected) => Err(format!(
                "{line}: runtime {:?}, reference {expected:?}",
                got.map(|g| g.path())
            )),
        }
    }

    fn rename(
        &mut self,
        owner: usize,
        timed: bool,
        from: String,
        to: String,
    ) -> Result<Done, String> {
        let call = if timed { "rename_for" } else { "try_rename" };
        let timeout = if timed { ", 0s" } else { "" };
        let line = format!(
            "owner {owner}: {call}({}, {}{timeout})",
            show(&from),
            show(&to)
        );
        let kind = self.rename_kind(&from, &to);
        let allowed = self.reference.rename(owner, &from, &to, wait(timed));
        let h = self.hilok.clone();
        let got = self.owners[owner]
            .run(move || {
                if timed {
                    h.rename_for(&from, &to, Duration::ZERO)
                } else {
                    h.try_rename(&from, &to)
                }
            })
            .map_err(|e| format!("{line}: {e}; reference {allowed:?}"))?;
        let agree = match (&got, &allowed) {
            (Ok(()), Ok(())) => true,
            (Err(e), Err(any_of)) => any_of.contains(e),
            _ => false,
        };
        if agree {
            let o = outcome(&got);
            let line = format!("{line} = {o}");
            let either = matches!(&allowed, Err(any_of) if any_of.len() > 1);
            let o = match (&got, either) {
                (Ok(()), _) => format!("Ok ({kind})"),
                (Err(_), true) => format!("{o} (either)"),
                (Err(_), false) => o,
            };
            Ok(done(call, o, line))
        } else {
            Err(format!("{line}: runtime {got:?}, reference {allowed:?}"))
        }
    }

    /// What a rename from `from` to `to` would do, for the outcome tally.
    fn rename_kind(&self, from: &str, to: &str) -> &'static str {
        let (Ok(f), Ok(t)) = (parse(from, self.sep), parse(to, self.sep)) else {
            return "invalid";
        };
        if f == t {
            "onto itself"
        } else if f.starts_with(&t) {
            "onto an ancestor"
        } else if self.reference.exists(&t) {
            "merge"
        } else {
            "move"
        }
    }

    fn release(&mut self, by: usize, id: usize) -> Result<Done, String> {
        let line = format!("owner {by}: guard {id}.release()");
        let expected = self.reference.release(by, id);
        let mut g = self.guards[id].take().expect("picked guards exist");
        let (g, got) = self.owners[by]
            .run(move || {
                let r = g.release();
                (g, r)
            })
            .map_err(|e| format!("{line}: {e}"))?;
        self.guards[id] = Some(g);
        if got == expected {
            let o = outcome(&got);
            Ok(done("release", o.clone(), format!("{line} = {o}")))
        } else {
            Err(format!("{line}: runtime {got:?}, reference {expected:?}"))
        }
    }

    fn drop_guard(&mut self, by: usize, id: usize) -> Result<Done, String> {
        let line = format!("owner {by}: drop(guard {id})");
        self.reference.drop_guard(id);
        let g = self.guards[id].take().expect("picked guards exist");
        self.owners[by]
            .run(move || drop(g))
            .map_err(|e| format!("{line}: {e}"))?;
        Ok(done("drop", "done".into(), line))
    }

    fn status(&self, path: &str) -> Result<Done, String> {
        let line = format!("status({})", show(path));
        let view = |s: hilok::Status| (s.readers, s.writers, s.waiting);
        let expected = self
            .reference
            .status(path)
            .map(|s| (s.readers, s.writers, s.waiting));
        let got = self.hilok.status(path).map(view);
        if got == expected {
            Ok(done("status", outcome(&got), format!("{line} = {got:?}")))
        } else {
            Err(format!(
                "{line}: runtime (readers, writers, waiting) {got:?}, reference {expected:?}"
            ))
        }
    }

    /// Compares everything observable.
    pub fn check_state(&self) -> Result<(), String> {
        let (got, expected) = (self.hilok.node_count(), self.reference.node_count());
        if got != expected {
            return Err(format!("node_count(): runtime {got}, reference {expected}"));
        }
        for (id, slot) in self.guards.iter().enumerate() {
            let Some(g) = slot else { continue };
            let r = &self.reference.guards()[id];
            let expected = (
                self.reference.guard_path(id),
                r.state == GuardState::Held,
                r.write,
            );
            let got = (g.path(), g.is_held(), g.is_write());
            if got != expected {
                return Err(format!(
                    "guard {id} (path, held, write): runtime {got:?}, reference {expected:?}"
                ));
            }
        }
        for node in self.reference.nodes(STATUS_SWEEP_DEPTH) {
            self.status(&node.join(&self.sep.to_string()))?;
        }
        Ok(())
    }

    /// Drops every remaining guard on its own owner's thread, then checks
    /// that the manager holds no node.
    pub fn finish(mut self) -> Result<(), String> {
        for id in 0..self.guards.len() {
            if let Some(g) = self.guards[id].take() {
                let owner = self.reference.guards()[id].owner;
                self.reference.drop_guard(id);
                self.owners[owner]
                    .run(move || drop(g))
                    .map_err(|e| format!("dropping guard {id} at the end: {e}"))?;
            }
        }
        match self.hilok.node_count() {
            0 => Ok(()),
            n => Err(format!("{n} nodes left after every guard was dropped")),
        }
    }
}
