//! The real runtime under shuttle's schedulers: random and PCT.
//!
//! Each scenario runs a few threads on the runtime built over shuttle's
//! primitives (`--features shuttle`), checks exclusion on paths with an
//! independent recorder after every acquisition, and ends with no node left.
//! Timed waits are nondeterministic timeouts under shuttle. A failure prints
//! shuttle's schedule; `replay` reruns it (see docs/verification.md).
#![cfg(feature = "shuttle")]

use hilok::{Error, Flags, Guard, HiLok};
use shuttle::sync::Mutex;
use shuttle::thread;
use std::sync::Arc;
use std::time::Duration;

/// Iterations per scenario and scheduler.
const RANDOM_ITERATIONS: usize = 2_000;
const PCT_ITERATIONS: usize = 2_000;
const PCT_DEPTH: usize = 3;

/// Holdings currently recorded: (thread, path components, write).
#[derive(Default)]
struct Recorder(Mutex<Vec<(usize, Vec<String>, bool)>>);

impl Recorder {
    fn hold(&self, thread: usize, path: &str, write: bool) {
        let p: Vec<String> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        let mut all = self.0.lock().unwrap();
        for (t, q, w) in all.iter() {
            let prefix = |a: &[String], b: &[String]| b.len() >= a.len() && b[..a.len()] == *a;
            let conflict = (write && prefix(&p, q)) || (*w && prefix(q, &p));
            assert!(
                *t == thread || !conflict,
                "overlap: {path} (write {write}) with {q:?} (write {w})"
            );
        }
        all.push((thread, p, write));
    }

    fn drop_one(&self, thread: usize, path: &str, write: bool) {
        let p: Vec<String> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        let mut all = self.0.lock().unwrap();
        if let Some(i) = all
            .iter()
            .position(|(t, q, w)| *t == thread && *q == p && *w == write)
        {
            all.remove(i);
        }
    }
}

/// Every path the scenarios use, for the node-state check.
const PATHS: &[&str] = &[
    "a",
    "a/b",
    "a/b/c",
    "a/b/c/d",
    "a/b/c/d/e",
    "a/b/c/x",
    "a/b/c/x/y",
    "x",
];

/// Checks the node states directly: while this thread holds write on
/// `path`, no node below it may have any holder.
fn check_states(h: &HiLok, path: &str, write: bool) {
    if !write {
        return;
    }
    let below = format!("{path}/");
    for q in PATHS.iter().filter(|q| q.starts_with(&below)) {
        let s = h.status(q).unwrap();
        assert_eq!(
            (s.readers, s.writers),
            (0, 0),
            "{q} is held below a write on {path}"
        );
    }
}

/// Takes, records, holds across a yield, un-records and releases.
fn hold(
    h: &HiLok,
    rec: &Recorder,
    thread: usize,
    path: &str,
    write: bool,
    timed: bool,
) -> Result<(), Error> {
    let g = match (write, timed) {
        (false, false) => h.read(path),
        (true, false) => h.write(path),
        (false, true) => h.read_for(path, Duration::from_millis(1)),
        (true, true) => h.write_for(path, Duration::from_millis(1)),
    }?;
    rec.hold(thread, path, write);
    check_states(h, path, write);
    thread::yield_now();
    rec.drop_one(thread, path, write);
    drop(g);
    Ok(())
}

fn run(name: &str, scenario: impl Fn() + Send + Sync + 'static) {
    let scenario = Arc::new(scenario);
    let s = scenario.clone();
    eprintln!("shuttle random: {name}");
    shuttle::check_random(move || s(), RANDOM_ITERATIONS);
    eprintln!("shuttle pct: {name}");
    shuttle::check_pct(move || scenario(), PCT_ITERATIONS, PCT_DEPTH);
}

/// Spawns one thread per job on a fresh manager, joins them, checks GC.
/// The manager caches one idle leaf per ring, so evictions race with use.
fn threads(flags: Flags, jobs: Vec<Job>) {
    let h = HiLok::builder().flags(flags).cache(1).build();
    let rec = Arc::new(Recorder::default());
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, job)| {
            let (h, rec) = (h.clone(), rec.clone());
            thread::spawn(move || job(h, rec, i))
        })
        .collect();
    for t in handles {
        t.join().unwrap();
    }
    finish(&h);
}

/// The end of every scenario: nothing left, and the runtime's transitions
/// replay on the core with every invariant holding after every step.
fn finish(h: &HiLok) {
    assert_eq!(h.node_count(), 0);
    let replay = hilok_verification::refinement::Replay::check(&h.take_events());
    assert_eq!(replay.nodes(), 0);
}

type Job = Box<dyn FnOnce(HiLok, Arc<Recorder>, usize) + Send>;

fn job(f: impl FnOnce(HiLok, Arc<Recorder>, usize) + Send + 'static) -> Job {
    Box::new(f)
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn readers_and_writers_on_related_paths() {
    run("readers_and_writers_on_related_paths", || {
        threads(
            Flags::RECURSIVE,
            vec![
                job(|h, r, t| hold(&h, &r, t, "a/b", true, false).unwrap()),
                job(|h, r, t| hold(&h, &r, t, "a", true, false).unwrap()),
                job(|h, r, t| hold(&h, &r, t, "a/b/c", false, false).unwrap()),
            ],
        )
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn timeouts_mid_path_give_everything_back() {
    run("timeouts_mid_path_give_everything_back", || {
        threads(
            Flags::RECURSIVE,
            vec![
                job(|h, r, t| hold(&h, &r, t, "a/b/c", true, false).unwrap()),
                job(|h, r, t| match hold(&h, &r, t, "a/b/c", false, true) {
                    Ok(()) | Err(Error::Timeout) => {}
                    Err(e) => panic!("{e:?}"),
                }),
                job(|h, r, t| match hold(&h, &r, t, "a", true, true) {
                    Ok(()) | Err(Error::Timeout) => {}
                    Err(e) => panic!("{e:?}"),
                }),
            ],
        )
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn two_escalators_never_hang() {
    run("two_escalators_never_hang", || {
        let escalate = |h: HiLok, r: Arc<Recorder>, t: usize| {
            let read = h.read("a").unwrap();
            r.hold(t, "a", false);
            match h.write("a") {
                Ok(w) => {
                    r.hold(t, "a", true);
                    r.drop_one(t, "a", true);
                    drop(w);
                }
                Err(Error::WouldDeadlock) => {}
                Err(e) => panic!("{e:?}"),
            }
            r.drop_one(t, "a", false);
            drop(read);
        };
        threads(Flags::RECURSIVE, vec![job(escalate), job(escalate)])
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn recursion_modes_reenter_or_refuse_without_hanging() {
    for flags in [
        Flags::STRICT,
        Flags::RECURSIVE_WRITE,
        Flags::RECURSIVE_ONEWAY,
        Flags::RECURSIVE,
    ] {
        run("recursion_modes", move || {
            let nested = |h: HiLok, r: Arc<Recorder>, t: usize| {
                let outer = h.write("a/b").unwrap();
                r.hold(t, "a/b", true);
                match h.read("a/b") {
                    Ok(inner) => drop(inner),
                    Err(Error::WouldDeadlock) => {}
                    Err(e) => panic!("{e:?}"),
                }
                r.drop_one(t, "a/b", true);
                drop(outer);
            };
            threads(
                flags,
                vec![
                    job(nested),
                    job(|h, r, t| hold(&h, &r, t, "a", false, false).unwrap()),
                ],
            )
        });
    }
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn a_writer_gets_in_between_two_readers() {
    run("a_writer_gets_in_between_two_readers", || {
        let reader = |h: HiLok, r: Arc<Recorder>, t: usize| {
            for _ in 0..3 {
                hold(&h, &r, t, "a", false, false).unwrap();
            }
        };
        threads(
            Flags::RECURSIVE,
            vec![
                job(reader),
                job(reader),
                job(|h, r, t| hold(&h, &r, t, "a", true, false).unwrap()),
            ],
        )
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn loose_release_from_another_thread() {
    run("loose_release_from_another_thread", || {
        let h = HiLok::builder()
            .flags(Flags::RECURSIVE | Flags::LOOSE_UNLOCK)
            .build();
        let g: Guard = h.write("a/b").unwrap();
        let h2 = h.clone();
        let other = thread::spawn(move || {
            let mut g = g;
            g.release().unwrap();
        });
        let waiter = thread::spawn(move || drop(h2.read("a/b").unwrap()));
        other.join().unwrap();
        waiter.join().unwrap();
        finish(&h);
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn renames_onto_free_and_held_paths() {
    run("renames_onto_free_and_held_paths", || {
        let h = HiLok::new();
        let rec = Arc::new(Recorder::default());
        let (h1, r1) = (h.clone(), rec.clone());
        let mover = thread::spawn(move || {
            let g = h1.write("a/b").unwrap();
            r1.hold(0, "a/b", true);
            r1.drop_one(0, "a/b", true);
            match h1.rename_for("a/b", "x", Duration::from_millis(1)) {
                Ok(()) => {
                    r1.hold(0, "x", true);
                    assert_eq!(g.path().as_deref(), Some("x"));
                    r1.drop_one(0, "x", true);
                }
                Err(Error::Timeout) => assert_eq!(g.path().as_deref(), Some("a/b")),
                Err(e) => panic!("{e:?}"),
            }
            drop(g);
        });
        let (h2, r2) = (h.clone(), rec.clone());
        let holder = thread::spawn(move || hold(&h2, &r2, 1, "x", true, false).unwrap());
        let (h3, r3) = (h.clone(), rec.clone());
        let reader = thread::spawn(move || hold(&h3, &r3, 2, "a/b", false, false).unwrap());
        for t in [mover, holder, reader] {
            t.join().unwrap();
        }
        finish(&h);
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn deep_paths_and_node_collection() {
    run("deep_paths_and_node_collection", || {
        threads(
            Flags::RECURSIVE,
            vec![
                job(|h, r, t| hold(&h, &r, t, "a/b/c/d/e", true, false).unwrap()),
                job(|h, r, t| hold(&h, &r, t, "a/b/c/x/y", true, false).unwrap()),
                job(|h, r, t| match hold(&h, &r, t, "a/b", true, true) {
                    Ok(()) | Err(Error::Timeout) => {}
                    Err(e) => panic!("{e:?}"),
                }),
            ],
        )
    });
}

/// A waiter queued behind a timed waiter is handed the lock when that one
/// gives up; it must be woken.
fn a_timed_out_waiter_hands_on() {
    threads(
        Flags::RECURSIVE,
        vec![
            job(|h, r, t| hold(&h, &r, t, "a", false, false).unwrap()),
            job(|h, r, t| match hold(&h, &r, t, "a", true, true) {
                Ok(()) | Err(Error::Timeout) => {}
                Err(e) => panic!("{e:?}"),
            }),
            job(|h, r, t| hold(&h, &r, t, "a", false, false).unwrap()),
        ],
    )
}

fn writers_on_one_leaf() {
    let w = |h: HiLok, r: Arc<Recorder>, t: usize| {
        for _ in 0..2 {
            hold(&h, &r, t, "a/b", true, false).unwrap();
        }
    };
    threads(Flags::RECURSIVE, vec![job(w), job(w)])
}

fn a_timed_writer_among_readers_and_writers() {
    threads(
        Flags::RECURSIVE,
        vec![
            job(|h, r, t| hold(&h, &r, t, "a", false, false).unwrap()),
            job(|h, r, t| match hold(&h, &r, t, "a", true, true) {
                Ok(()) | Err(Error::Timeout) => {}
                Err(e) => panic!("{e:?}"),
            }),
            job(|h, r, t| hold(&h, &r, t, "a", true, false).unwrap()),
        ],
    )
}

fn writers_on_nested_paths() {
    threads(
        Flags::RECURSIVE,
        vec![
            job(|h, r, t| hold(&h, &r, t, "a/b", true, false).unwrap()),
            job(|h, r, t| hold(&h, &r, t, "a", true, false).unwrap()),
        ],
    )
}

/// Runs `scenario` once per seed until it fails; returns how many schedules
/// that took. Panics if the budget passes without a failure.
#[allow(dead_code)]
fn schedules_until_caught(name: &str, scenario: fn(), budget: u64) -> u64 {
    use shuttle::scheduler::PctScheduler;
    for seed in 0..budget {
        let random =
            std::panic::catch_unwind(|| shuttle::check_random_with_seed(scenario, seed, 1))
                .is_err();
        let pct = random
            || std::panic::catch_unwind(|| {
                let scheduler = PctScheduler::new_from_seed(seed, PCT_DEPTH, 1);
                shuttle::Runner::new(scheduler, Default::default()).run(scenario)
            })
            .is_err();
        if random || pct {
            let by = if random { "random" } else { "pct" };
            eprintln!(
                "{name}: caught by {by} after {} schedules of each (seed {seed})",
                seed + 1
            );
            return seed + 1;
        }
    }
    panic!("{name}: not caught in {budget} schedules");
}

#[test]
#[cfg(feature = "seed-bug-lost-wake")]
fn teeth_lost_wake_on_cancel() {
    schedules_until_caught(
        "lost wake-up on cancel",
        a_timed_out_waiter_hands_on,
        20_000,
    );
}

#[test]
#[cfg(feature = "seed-bug-release-order")]
fn teeth_ancestors_released_before_the_leaf() {
    schedules_until_caught(
        "ancestors released before the leaf",
        writers_on_nested_paths,
        20_000,
    );
}

#[test]
#[cfg(feature = "seed-bug-early-gc")]
fn teeth_node_removed_while_still_in_use() {
    schedules_until_caught(
        "node removed while still held and awaited",
        a_timed_writer_among_readers_and_writers,
        20_000,
    );
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn teeth_scenarios_pass_without_bugs() {
    run("a_timed_out_waiter_hands_on", a_timed_out_waiter_hands_on);
    run("writers_on_one_leaf", writers_on_one_leaf);
    run("writers_on_nested_paths", writers_on_nested_paths);
    run(
        "a_timed_writer_among_readers_and_writers",
        a_timed_writer_among_readers_and_writers,
    );
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn merges_race_remembered_and_fresh_acquisitions() {
    run("merges_race_remembered_and_fresh_acquisitions", || {
        let h = HiLok::new();
        // Cached nodes: the merge destination c/d, and a sibling that keeps
        // a alive once a/b has moved.
        drop(h.read("c/d").unwrap());
        drop(h.read("a/y").unwrap());
        let h1 = h.clone();
        let reader = thread::spawn(move || {
            for _ in 0..2 {
                let g = h1.read("a/b/x").unwrap();
                assert!(matches!(g.path().as_deref(), Some("a/b/x" | "c/d/x")));
                drop(g);
            }
        });
        let h2 = h.clone();
        let mover = thread::spawn(move || match h2.try_rename("a/b", "c/d") {
            Ok(()) | Err(Error::NotHeld | Error::WouldBlock) => {}
            Err(e) => panic!("{e:?}"),
        });
        reader.join().unwrap();
        mover.join().unwrap();
        // Whatever happened, a/b/x is free again, and so is c.
        assert!(h.try_write("a/b/x").is_ok());
        assert!(h.try_write("c").is_ok());
        finish(&h);
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn a_rename_empties_a_parent_during_a_release() {
    run("a_rename_empties_a_parent_during_a_release", || {
        // No cache: every node must go as soon as it falls out of use.
        let h = HiLok::builder().cache(0).build();
        let (h1, h2, h3) = (h.clone(), h.clone(), h.clone());
        let deep = thread::spawn(move || drop(h1.read("h/s/l").unwrap()));
        let shallow = thread::spawn(move || drop(h2.read("h/s").unwrap()));
        let mover = thread::spawn(move || match h3.try_rename("h/s", "d/s") {
            Ok(()) | Err(Error::NotHeld | Error::WouldBlock) => {}
            Err(e) => panic!("{e:?}"),
        });
        for t in [deep, shallow, mover] {
            t.join().unwrap();
        }
        finish(&h);
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn a_merge_waits_out_a_status_lookup() {
    run("a_merge_waits_out_a_status_lookup", || {
        let h = HiLok::new();
        // b and b/x idle in the cache: the merge of a into b meets b/x.
        drop(h.read("b/x").unwrap());
        let h1 = h.clone();
        let looker = thread::spawn(move || {
            // Before the merge nobody holds b/x; after it, the mover does.
            let s = h1.status("b/x").unwrap();
            assert!(matches!((s.readers, s.writers), (0, 0) | (0, 1)));
        });
        let h2 = h.clone();
        let mover = thread::spawn(move || {
            let g = h2.write("a/x").unwrap();
            h2.rename("a", "b").unwrap();
            assert_eq!(g.path().as_deref(), Some("b/x"));
        });
        looker.join().unwrap();
        mover.join().unwrap();
        finish(&h);
    });
}

#[test]
#[cfg_attr(
    any(
        feature = "seed-bug-lost-wake",
        feature = "seed-bug-release-order",
        feature = "seed-bug-early-gc"
    ),
    ignore = "a seeded bug is on"
)]
fn guards_beyond_the_remembered_paths_release_through_the_tree() {
    run(
        "guards_beyond_the_remembered_paths_release_through_the_tree",
        || {
            let h = HiLok::builder().cache(1).build();
            let h1 = h.clone();
            // More paths than a thread remembers: the later guards keep only
            // their leaf and release through the parent links, which a
            // rename changes meanwhile.
            let holder = thread::spawn(move || {
                let guards: Vec<_> = (0..6)
                    .map(|i| h1.read(&format!("s/d/f{i}")).unwrap())
                    .collect();
                for (i, g) in guards.iter().enumerate() {
                    let p = g.path().unwrap();
                    assert!(p == format!("s/d/f{i}") || p == format!("t/f{i}"), "{p}");
                }
                drop(guards);
            });
            let h2 = h.clone();
            let mover = thread::spawn(move || match h2.try_rename("s/d", "t") {
                Ok(()) | Err(Error::NotHeld | Error::WouldBlock) => {}
                Err(e) => panic!("{e:?}"),
            });
            holder.join().unwrap();
            mover.join().unwrap();
            assert!(h.try_write("s").is_ok());
            assert!(h.try_write("t").is_ok());
            finish(&h);
        },
    );
}
