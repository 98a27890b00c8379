//! Workloads 3 and 4: aggregate throughput of one and of two threads.
//!
//! Timed with criterion's `iter_custom`: each sample runs `iters` operations
//! split evenly over the threads, all started together, and reports the
//! wall time, so criterion's time per iteration is the inverse of the
//! aggregate throughput. `hilok` runs in its default RECURSIVE mode.
//!
//! - disjoint: thread t writes `t{t}/x/y/z`;
//! - siblings: thread t writes `s/x/y/f{t}`;
//! - same-read: every thread reads `s/x/y/z`;
//! - mix: the file-system-like mix of `hilok_benches::mix`.

use criterion::Criterion;
use hilok::HiLok;
use hilok_benches::floor::Floor;
use hilok_benches::keyed::Keyed;
use hilok_benches::mix::Mix;
use hilok_benches::parallel;
use hilok_benches::reference::Reference;
use hilok_benches::subject::PathLock;

/// The path thread `t` locks in `scenario`, and whether it writes.
fn target(scenario: &str, t: usize) -> (String, bool) {
    match scenario {
        "disjoint" => (format!("t{t}/x/y/z"), true),
        "siblings" => (format!("s/x/y/f{t}"), true),
        _ => ("s/x/y/z".to_owned(), false),
    }
}

/// One and two threads of `scenario` on `lock`.
fn scaling<L: PathLock>(c: &mut Criterion, scenario: &str, id: &str, lock: &L) {
    let mut g = c.benchmark_group(format!("two-{scenario}"));
    let targets: Vec<_> = (0..2).map(|t| target(scenario, t)).collect();
    for threads in [1, 2] {
        g.bench_function(format!("{id}-{threads}t"), |b| {
            b.iter_custom(|iters| {
                parallel::run(threads, iters, |t, _| {
                    let (p, write) = &targets[t];
                    if *write {
                        drop(lock.write(p));
                    } else {
                        drop(lock.read(p));
                    }
                })
            })
        });
    }
    g.finish();
}

/// The floor: each thread on its own locks (disjoint) or on shared ones.
fn floor(c: &mut Criterion, scenario: &str, shared: bool) {
    let floors = [Floor::new(4), Floor::new(4)];
    let mut g = c.benchmark_group(format!("two-{scenario}"));
    for threads in [1, 2] {
        g.bench_function(format!("floor-{threads}t"), |b| {
            b.iter_custom(|iters| {
                parallel::run(threads, iters, |t, _| {
                    if shared {
                        floors[0].read();
                    } else {
                        floors[t].write();
                    }
                })
            })
        });
    }
    g.finish();
}

/// Diagnostic: disjoint subtrees with one manager per thread, so that the
/// threads share nothing of `hilok` (its manager-wide counters and
/// reference counts included). The gap to `ours-2t` is what sharing one
/// manager costs.
fn separate_managers(c: &mut Criterion) {
    let managers = [HiLok::new(), HiLok::new()];
    let paths: Vec<_> = (0..2).map(|t| target("disjoint", t).0).collect();
    let mut g = c.benchmark_group("two-disjoint");
    g.bench_function("ours-separate-2t", |b| {
        b.iter_custom(|iters| {
            parallel::run(2, iters, |t, _| {
                drop(PathLock::write(&managers[t], &paths[t]))
            })
        })
    });
    g.finish();
}

fn two_threads(c: &mut Criterion) {
    for scenario in ["disjoint", "siblings", "same-read"] {
        scaling(c, scenario, "ours", &HiLok::new());
        scaling(c, scenario, "reference", &Reference::new());
        scaling(c, scenario, "keyed", &Keyed::new());
    }
    separate_managers(c);
    floor(c, "disjoint", false);
    floor(c, "same-read", true);
}

/// The mix on one and two threads.
fn mix_on<L: PathLock>(c: &mut Criterion, id: &str, lock: &L, mix: &Mix) {
    let mut g = c.benchmark_group("mix");
    for threads in [1, 2] {
        g.bench_function(format!("{id}-{threads}t"), |b| {
            b.iter_custom(|iters| parallel::run(threads, iters, |t, n| mix.run(lock, t, n)))
        });
    }
    g.finish();
}

fn mix(c: &mut Criterion) {
    let m = Mix::new(2, 5);
    mix_on(c, "ours", &HiLok::new(), &m);
    mix_on(c, "reference", &Reference::new(), &m);
    mix_on(c, "keyed", &Keyed::new(), &m);
}

fn main() {
    let mut c = hilok_benches::config::criterion();
    two_threads(&mut c);
    mix(&mut c);
    c.final_summary();
}
