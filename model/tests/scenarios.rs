//! Hand-written runs through the model: each step's effect on the core's
//! node table and on the owners, checked against the documented semantics.

use hilok_core::node::Want;
use hilok_core::{Counts, Mode, OwnerId, Wakeup};
use hilok_model::path::Path;
use hilok_model::state::{Guard, Pc, WaitKind};
use hilok_model::{configs, Action, Config, State};
use stateright::Model;

fn run(cfg: &Config, actions: &[Action]) -> State {
    actions.iter().fold(cfg.initial(), |s, a| {
        let mut enabled = Vec::new();
        cfg.actions(&s, &mut enabled);
        assert!(enabled.contains(a), "{a:?} is not enabled in {s:#?}");
        cfg.next_state(&s, a.clone()).expect("a successor")
    })
}

fn acquire(owner: u8, path: &str, write: bool, wait: WaitKind) -> Action {
    Action::Acquire {
        owner,
        path: Path::new(path),
        write,
        wait,
    }
}

fn release(owner: u8, path: &str, write: bool) -> Action {
    Action::Release {
        owner,
        holder: owner,
        guard: Guard {
            path: Path::new(path),
            write,
        },
    }
}

fn holding(s: &State, path: &str, owner: u64) -> Counts {
    s.nodes
        .get(&Path::new(path))
        .map_or(Counts::ZERO, |n| n.holding(OwnerId(owner)))
}

#[test]
fn a_writer_waits_for_a_reader_and_is_handed_the_node() {
    let cfg = configs::by_name("ordered-recursive").expect("config");
    let s = run(
        &cfg,
        &[
            acquire(0, "a", false, WaitKind::Block),
            acquire(1, "a", true, WaitKind::Block),
        ],
    );
    let a = &s.nodes[&Path::new("a")];
    assert_eq!(
        a.queue().map(|e| (e.owner, e.want)).collect::<Vec<_>>(),
        [(OwnerId(1), Want::Fresh(Mode::Exclusive))]
    );
    let s = run(
        &cfg,
        &[
            acquire(0, "a", false, WaitKind::Block),
            acquire(1, "a", true, WaitKind::Block),
            release(0, "a", false),
        ],
    );
    // Handed off: owner 1 holds `a` before it has even woken up.
    assert_eq!(holding(&s, "a", 1), Counts::of(Mode::Exclusive, 1));
    assert_eq!(s.owners[1].inbox, Some(Wakeup::Granted));
    let s = cfg
        .next_state(&s, Action::Wake { owner: 1 })
        .expect("woken");
    assert_eq!(
        s.owners[1].guards,
        [Guard {
            path: Path::new("a"),
            write: true
        }]
    );
    assert_eq!(s.owners[1].pc, Pc::Idle);
}

#[test]
fn a_timeout_mid_path_gives_back_the_ancestors_it_took() {
    let cfg = configs::by_name("ordered-timeout").expect("config");
    let s = run(
        &cfg,
        &[
            acquire(0, "a/b", false, WaitKind::Block),
            Action::Step { owner: 0 },
            acquire(1, "a/b", true, WaitKind::Timed),
            Action::Step { owner: 1 },
        ],
    );
    assert_eq!(holding(&s, "a", 1), Counts::of(Mode::Shared, 1));
    let s = cfg
        .next_state(&s, Action::Timeout { owner: 1 })
        .expect("timed out");
    // The wait at a/b is cancelled; the shared holding on `a` goes next step.
    assert!(s.nodes.values().all(|n| n.queue().next().is_none()));
    assert_eq!(holding(&s, "a", 1), Counts::of(Mode::Shared, 1));
    assert!(matches!(s.owners[1].pc, Pc::Release(_)));
    let s = cfg
        .next_state(&s, Action::Step { owner: 1 })
        .expect("backed out");
    assert_eq!(holding(&s, "a", 1), Counts::ZERO);
    assert_eq!(s.owners[1].pc, Pc::Idle);
}

#[test]
fn a_rename_moves_the_holdings_and_sends_waiters_away() {
    let cfg = configs::by_name("rename-free").expect("config");
    let s = run(
        &cfg,
        &[
            acquire(0, "a/b", true, WaitKind::Block),
            Action::Step { owner: 0 },
            acquire(1, "a/b", false, WaitKind::Block),
            Action::Step { owner: 1 },
            Action::Rename {
                owner: 0,
                from: Path::new("a/b"),
                to: Path::new("c"),
                wait: WaitKind::Block,
            },
        ],
    );
    assert_eq!(holding(&s, "c", 0), Counts::of(Mode::Exclusive, 1));
    assert_eq!(holding(&s, "a", 0), Counts::ZERO);
    assert_eq!(
        s.owners[0].guards,
        [Guard {
            path: Path::new("c"),
            write: true
        }]
    );
    // Owner 1 waited at a/b: it is told to look a/b up again, and gets it.
    assert_eq!(s.owners[1].inbox, Some(Wakeup::Moved));
    let s = cfg
        .next_state(&s, Action::Wake { owner: 1 })
        .expect("woken");
    assert_eq!(
        s.owners[1].guards,
        [Guard {
            path: Path::new("a/b"),
            write: false
        }]
    );
}
