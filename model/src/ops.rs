//! Acquisition, release, wake-up and timeout steps, driven the way the
//! runtime drives them (`src/acquire.rs`, `src/table.rs`): root to leaf on
//! acquisition, leaf to root on release and on backing out, one node a step.

use hilok_core::{Cancel, Decision, Mode, Wakeup};

use crate::driver::Driver;
use crate::path::Path;
use crate::rename;
use crate::state::{Acquisition, Event, Guard, Pc, Releasing, WaitKind};
use crate::step;

impl Driver<'_> {
    fn pc(&self, o: u8) -> &Pc {
        &self.s.owners[usize::from(o)].pc
    }

    fn set_pc(&mut self, o: u8, pc: Pc) {
        self.s.owners[usize::from(o)].pc = pc;
    }

    /// `Acquire`: issue an acquisition and request its first node.
    pub fn issue_acquire(&mut self, o: u8, path: Path, write: bool, wait: WaitKind) {
        let owner = &mut self.s.owners[usize::from(o)];
        owner.ops_left -= 1;
        owner.pc = Pc::Acquire(Acquisition {
            path,
            write,
            wait,
            taken: 0,
            waiting: false,
        });
        self.step(o);
    }

    /// `Step`: request the next node of the acquisition.
    pub fn step(&mut self, o: u8) {
        let Pc::Acquire(a) = self.pc(o).clone() else {
            return self.flag(step::DRIVER_CONSISTENT);
        };
        let depth = a.path.depth();
        let level = usize::from(a.taken);
        let node = a.path.prefix(level + 1);
        let mode = a.access().mode_at(level, depth);
        match self.request(o, &node, mode, a.wait) {
            Decision::Granted => self.advance(o),
            Decision::Wait(pending) => {
                self.node_mut(&node).enqueue(pending, o);
                self.set_pc(o, Pc::Acquire(Acquisition { waiting: true, ..a }));
            }
            Decision::Refused(_) => self.back_out(o, &a, false),
        }
    }

    /// One more node taken; completes the guard at the leaf.
    fn advance(&mut self, o: u8) {
        let Pc::Acquire(mut a) = self.pc(o).clone() else {
            return self.flag(step::DRIVER_CONSISTENT);
        };
        a.taken += 1;
        a.waiting = false;
        if usize::from(a.taken) == a.path.depth() {
            let owner = &mut self.s.owners[usize::from(o)];
            owner.guards.push(Guard {
                path: a.path,
                write: a.write,
            });
            owner.guards.sort();
            owner.pc = Pc::Idle;
        } else {
            self.set_pc(o, Pc::Acquire(a));
        }
    }

    /// Starts giving back the nodes an unfinished acquisition took (all
    /// shared: it never took its leaf), leaf to root, one a step.
    fn back_out(&mut self, o: u8, a: &Acquisition, timed_out: bool) {
        self.set_pc(o, Pc::Idle);
        if a.taken > 0 {
            let r = Releasing {
                holder: o,
                path: a.path.clone(),
                left: a.taken,
                timed_out,
            };
            self.set_pc(o, Pc::Release(r));
        } else if timed_out {
            self.timed_out = Some(o);
        }
    }

    /// `Step` of a release: give back the longest prefix still held.
    pub fn release_step(&mut self, o: u8) {
        let Pc::Release(mut r) = self.pc(o).clone() else {
            return self.flag(step::DRIVER_CONSISTENT);
        };
        self.release(r.holder, &r.path.prefix(usize::from(r.left)), Mode::Shared);
        r.left -= 1;
        if r.left > 0 {
            self.set_pc(o, Pc::Release(r));
        } else {
            self.set_pc(o, Pc::Idle);
            if r.timed_out {
                self.timed_out = Some(o);
            }
        }
    }

    /// `Wake`: act on the wake-up in the inbox.
    pub fn wake(&mut self, o: u8) {
        let w = self.s.owners[usize::from(o)].inbox.take();
        match (self.pc(o).clone(), w) {
            (Pc::Acquire(_), Some(Wakeup::Granted)) => {
                self.advance(o);
                if matches!(self.pc(o), Pc::Acquire(_)) {
                    self.step(o);
                }
            }
            (Pc::Acquire(a), Some(Wakeup::Moved)) => {
                self.set_pc(
                    o,
                    Pc::Acquire(Acquisition {
                        waiting: false,
                        ..a
                    }),
                );
                self.step(o);
            }
            (Pc::Rename(r), Some(Wakeup::Changed)) => {
                self.set_pc(
                    o,
                    Pc::Rename(crate::state::RenameOp {
                        watching: None,
                        ..r
                    }),
                );
                rename::attempt(self, o);
            }
            _ => self.flag(step::DRIVER_CONSISTENT),
        }
    }

    /// `Timeout`: the deadline passed while waiting.
    pub fn timeout(&mut self, o: u8) {
        let (node, partial) = match self.pc(o).clone() {
            Pc::Acquire(a) if a.waiting => (a.path.prefix(usize::from(a.taken) + 1), Some(a)),
            Pc::Rename(r) => match r.watching {
                Some(p) => (p, None),
                None => return self.flag(step::DRIVER_CONSISTENT),
            },
            _ => return self.flag(step::DRIVER_CONSISTENT),
        };
        match self.cancel(o, &node) {
            Cancel::Removed => {}
            Cancel::NotWaiting => return self.flag(step::DRIVER_CONSISTENT),
        }
        match partial {
            Some(a) => {
                if a.taken > 0 {
                    self.event(Event::TimeoutMidPath);
                }
                self.back_out(o, &a, true);
            }
            None => {
                self.set_pc(o, Pc::Idle);
                self.timed_out = Some(o);
            }
        }
    }

    /// `Release`: `o` releases `holder`'s guard: its leaf now, then each
    /// ancestor a step (`Step`), as the runtime's `release_path` does.
    pub fn release_guard(&mut self, o: u8, holder: u8, guard: &Guard) {
        let guards = &mut self.s.owners[usize::from(holder)].guards;
        let Some(i) = guards.iter().position(|g| g == guard) else {
            return self.flag(step::DRIVER_CONSISTENT);
        };
        guards.remove(i);
        self.release(holder, &guard.path, guard.access().leaf_mode());
        let left = (guard.path.depth() - 1) as u8;
        if left > 0 {
            let r = Releasing {
                holder,
                path: guard.path.clone(),
                left,
                timed_out: false,
            };
            self.set_pc(o, Pc::Release(r));
        }
        if o != holder {
            self.event(Event::LooseRelease);
        }
    }
}
