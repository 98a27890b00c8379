//! The stateright [`Model`] implementation: initial state, enabled actions,
//! transitions and the list of checked properties.

use std::cmp::Ordering;

use stateright::{Model, Property};

use crate::action::Action;
use crate::config::{Config, Kind};
use crate::driver::Driver;
use crate::properties;
use crate::reach::Reach;
use crate::rename;
use crate::snapshot::snapshot;
use crate::state::{Guard, Owner, Pc, RenameOp, State, WaitKind};
use crate::step;

impl Config {
    /// The state every run starts in: no node, every owner idle.
    pub fn initial(&self) -> State {
        let owner = Owner {
            ops_left: self.ops,
            guards: Vec::new(),
            pc: Pc::Idle,
            inbox: None,
        };
        let mut s = State {
            nodes: Default::default(),
            owners: vec![owner; usize::from(self.owners)],
            violated: 0,
            last: None,
        };
        self.judge(&mut s);
        s
    }

    /// Whether `s` has no successor.
    pub fn is_terminal(&self, s: &State) -> bool {
        let mut acts = Vec::new();
        self.actions(s, &mut acts);
        acts.is_empty()
    }

    /// Evaluates the state properties on `s` (one snapshot) and sets their
    /// bits in `s.violated`.
    fn judge(&self, s: &mut State) {
        let terminal = self.is_terminal(s);
        let snap = snapshot(s, terminal);
        let deadlock_ok = match self.kind {
            Kind::Ordered => properties::deadlock_free(&snap),
            Kind::Free => properties::only_user_cycles(&snap),
        };
        let mut bits = 0;
        for (ok, bit) in [
            (properties::exclusion(&snap), step::EXCLUSION),
            (properties::accounting(&snap), step::ACCOUNTING),
            (deadlock_ok, step::DEADLOCK),
            (!terminal, step::TERMINAL),
        ] {
            if !ok {
                bits |= bit;
            }
        }
        s.violated = (s.violated & !step::STATE_BITS) | bits;
    }

    fn idle_actions(&self, s: &State, i: u8, out: &mut Vec<Action>) {
        let o = &s.owners[usize::from(i)];
        let mut own = o.guards.clone();
        own.dedup();
        for guard in own {
            out.push(Action::Release {
                owner: i,
                holder: i,
                guard,
            });
        }
        for (j, other) in s.owners.iter().enumerate() {
            let j = j as u8;
            if j == i {
                continue;
            }
            let mut theirs: Vec<Guard> = other
                .guards
                .iter()
                .filter(|g| self.flags.loose_release(g.access().leaf_mode()))
                .cloned()
                .collect();
            theirs.dedup();
            out.extend(theirs.into_iter().map(|guard| Action::Release {
                owner: i,
                holder: j,
                guard,
            }));
        }
        if o.ops_left == 0 {
            return;
        }
        let ordered = self.kind == Kind::Ordered;
        for path in &self.paths {
            if ordered
                && o.guards
                    .iter()
                    .any(|g| g.path.lock_order(path) == Ordering::Greater)
            {
                continue;
            }
            for write in [false, true] {
                if (write && !self.writes) || (!write && !self.reads) {
                    continue;
                }
                for &wait in &self.waits {
                    out.push(Action::Acquire {
                        owner: i,
                        path: path.clone(),
                        write,
                        wait,
                    });
                }
            }
        }
        if ordered && !o.guards.is_empty() {
            return;
        }
        for (from, to) in &self.renames {
            for &wait in &self.rename_waits {
                out.push(Action::Rename {
                    owner: i,
                    from: from.clone(),
                    to: to.clone(),
                    wait,
                });
            }
        }
    }
}

macro_rules! reach_fns {
    ($($v:ident),*) => {
        fn reach_property(r: Reach) -> Property<Config> {
            match r {
                $(Reach::$v => Property::sometimes(Reach::$v.name(), |_: &Config, s: &State| {
                    Reach::$v.witnessed(s, s.violated & step::TERMINAL != 0)
                }),)*
            }
        }
    };
}

reach_fns!(
    AllDone,
    WriterWaitsBehindReader,
    WaiterOvertakenByReentry,
    EscalationSucceeds,
    SecondEscalatorWouldDeadlock,
    RenameOntoHeldWaits,
    RenameSucceeds,
    TimeoutMidPath,
    TryWouldBlock,
    LooseRelease,
    WaiterMoved,
    SharedAndExclusive,
    UserDeadlock
);

impl Model for Config {
    type State = State;
    type Action = Action;

    fn format_action(&self, action: &Action) -> String {
        crate::format::action(action)
    }

    fn init_states(&self) -> Vec<State> {
        vec![self.initial()]
    }

    fn actions(&self, s: &State, out: &mut Vec<Action>) {
        for (i, o) in s.owners.iter().enumerate() {
            let i = i as u8;
            if o.inbox.is_some() {
                out.push(Action::Wake { owner: i });
                continue;
            }
            match &o.pc {
                Pc::Idle => self.idle_actions(s, i, out),
                Pc::Acquire(a) if !a.waiting => out.push(Action::Step { owner: i }),
                Pc::Release(_) => out.push(Action::Step { owner: i }),
                Pc::Acquire(a) if a.wait == WaitKind::Timed => {
                    out.push(Action::Timeout { owner: i })
                }
                Pc::Rename(r) if r.wait == WaitKind::Timed && r.watching.is_some() => {
                    out.push(Action::Timeout { owner: i })
                }
                Pc::Acquire(_) | Pc::Rename(_) => {}
            }
        }
    }

    fn next_state(&self, last: &State, action: Action) -> Option<State> {
        let mut s = last.clone();
        s.last = None;
        let mut d = Driver {
            cfg: self,
            s: &mut s,
            timed_out: None,
        };
        match action {
            Action::Acquire {
                owner,
                path,
                write,
                wait,
            } => d.issue_acquire(owner, path, write, wait),
            Action::Step { owner } => match d.s.owners[usize::from(owner)].pc {
                Pc::Release(_) => d.release_step(owner),
                _ => d.step(owner),
            },
            Action::Wake { owner } => d.wake(owner),
            Action::Timeout { owner } => d.timeout(owner),
            Action::Release {
                owner,
                holder,
                guard,
            } => d.release_guard(owner, holder, &guard),
            Action::Rename {
                owner,
                from,
                to,
                wait,
            } => {
                let o = &mut d.s.owners[usize::from(owner)];
                o.ops_left -= 1;
                o.pc = Pc::Rename(RenameOp {
                    from,
                    to,
                    wait,
                    watching: None,
                });
                rename::attempt(&mut d, owner);
            }
        }
        d.collect();
        if let Some(o) = d.timed_out {
            if !properties::timeout_leaves_nothing(&snapshot(d.s, false), u64::from(o)) {
                d.flag(step::TIMEOUT_LEAVES_NOTHING);
            }
        }
        self.judge(&mut s);
        Some(s)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        let mut p = vec![
            Property::always("exclusion", |_, s: &State| {
                s.violated & step::EXCLUSION == 0
            }),
            Property::always("accounting", |_, s: &State| {
                s.violated & (step::ACCOUNTING | step::DRIVER_CONSISTENT) == 0
            }),
            Property::always("no_overtaking", |_, s: &State| {
                s.violated & step::NO_OVERTAKING == 0
            }),
            Property::always("no_false_would_deadlock", |_, s: &State| {
                s.violated & step::NO_FALSE_WOULD_DEADLOCK == 0
            }),
            Property::always("rename_moves_holdings", |_, s: &State| {
                s.violated & step::RENAME_MOVES_HOLDINGS == 0
            }),
            Property::always("timeout_leaves_nothing", |_, s: &State| {
                s.violated & step::TIMEOUT_LEAVES_NOTHING == 0
            }),
        ];
        let deadlock = |_: &Config, s: &State| s.violated & step::DEADLOCK == 0;
        p.push(match self.kind {
            Kind::Ordered => Property::always("deadlock_free", deadlock),
            Kind::Free => Property::always("only_user_cycles", deadlock),
        });
        p.extend(self.reach.iter().map(|r| reach_property(*r)));
        p
    }
}
