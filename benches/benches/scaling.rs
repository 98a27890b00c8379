//! Two-thread scaling, measured in interleaved pairs.
//!
//! The machine is shared, so its load drifts during a run. Here every trial
//! is a pair: the same number of operations on one thread, then split over
//! two threads, back to back (about 50 ms each); the pair's ratio is
//! (one-thread time) ÷ (two-thread time), the aggregate speed-up. Trials
//! rotate over all subjects, so each sees the same load. Subject `cpu` (pure
//! arithmetic, no memory shared) taken in the same rotation is what the
//! machine let two threads gain at all; the floor's ratio on disjoint locks
//! is the same for lock operations.

use std::time::Duration;

use hilok::HiLok;
use hilok_benches::floor::Floor;
use hilok_benches::keyed::Keyed;
use hilok_benches::mix::Mix;
use hilok_benches::output::{self, Record};
use hilok_benches::parallel;
use hilok_benches::reference::Reference;
use hilok_benches::stats::quantile;
use hilok_benches::subject::PathLock;

/// One subject in one scenario: runs operation `n` of thread `t`.
type Op<'a> = Box<dyn Fn(usize, usize) + Sync + 'a>;

/// Thread `t`'s path and mode in a two-thread scenario (as in `threads.rs`).
fn target(scenario: &str, t: usize) -> (String, bool) {
    match scenario {
        "disjoint" => (format!("t{t}/x/y/z"), true),
        "siblings" => (format!("s/x/y/f{t}"), true),
        _ => ("s/x/y/z".to_owned(), false),
    }
}

fn scenario_op<'a, L: PathLock>(lock: &'a L, scenario: &str) -> Op<'a> {
    let targets: Vec<_> = (0..2).map(|t| target(scenario, t)).collect();
    Box::new(move |t, _| {
        let (p, write) = &targets[t];
        if *write {
            drop(lock.write(p));
        } else {
            drop(lock.read(p));
        }
    })
}

/// About 50 ns of arithmetic on registers only.
fn compute(t: usize, n: usize) {
    let mut x = (t * 31 + n) as u64 | 1;
    for _ in 0..64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x);
}

/// Operations per trial so that one thread takes about `aim`.
fn calibrate(op: &Op<'_>, aim: Duration) -> u64 {
    let mut n = 1_000u64;
    loop {
        let t = parallel::run(1, n, op);
        if t >= aim / 8 || n >= 1 << 30 {
            return (n as f64 * aim.as_secs_f64() / t.as_secs_f64().max(1e-9)).max(1.0) as u64;
        }
        n *= 4;
    }
}

fn main() {
    let real = output::measuring();
    let (trials, aim) = if real {
        (15, Duration::from_millis(50))
    } else {
        (1, Duration::from_millis(2))
    };
    let h = HiLok::new();
    let separate = [HiLok::new(), HiLok::new()];
    let r = Reference::new();
    let k = Keyed::new();
    let floors = [Floor::new(4), Floor::new(4)];
    let mix = Mix::new(2, 5);
    let disjoint: Vec<_> = (0..2).map(|t| target("disjoint", t).0).collect();
    let mut cases: Vec<(String, &str, Op<'_>)> = Vec::new();
    for s in ["disjoint", "siblings", "same-read"] {
        cases.push((format!("scale-{s}"), "ours", scenario_op(&h, s)));
        cases.push((format!("scale-{s}"), "reference", scenario_op(&r, s)));
        cases.push((format!("scale-{s}"), "keyed", scenario_op(&k, s)));
    }
    cases.push((
        "scale-disjoint".into(),
        "ours-separate",
        Box::new(|t, _| drop(PathLock::write(&separate[t], &disjoint[t]))),
    ));
    cases.push((
        "scale-disjoint".into(),
        "floor",
        Box::new(|t, _| floors[t].write()),
    ));
    cases.push(("scale-disjoint".into(), "cpu", Box::new(compute)));
    cases.push((
        "scale-same-read".into(),
        "floor",
        Box::new(|_, _| floors[0].read()),
    ));
    cases.push((
        "scale-mix".into(),
        "ours",
        Box::new(|t, n| mix.run(&h, t, n)),
    ));
    cases.push((
        "scale-mix".into(),
        "reference",
        Box::new(|t, n| mix.run(&r, t, n)),
    ));
    cases.push((
        "scale-mix".into(),
        "keyed",
        Box::new(|t, n| mix.run(&k, t, n)),
    ));

    let ops: Vec<u64> = cases.iter().map(|(_, _, op)| calibrate(op, aim)).collect();
    let mut one = vec![Vec::new(); cases.len()];
    let mut two = vec![Vec::new(); cases.len()];
    for _ in 0..trials {
        for (i, (_, _, op)) in cases.iter().enumerate() {
            one[i].push(parallel::run(1, ops[i], op));
            two[i].push(parallel::run(2, ops[i], op));
        }
    }
    let records: Vec<Record> = cases
        .iter()
        .enumerate()
        .map(|(i, (workload, subject, _))| {
            // A ratio as a duration, so `quantile` can sort it: 1 ms = 1.0x.
            let ratios: Vec<Duration> = one[i]
                .iter()
                .zip(&two[i])
                .map(|(a, b)| Duration::from_secs_f64(a.as_secs_f64() / b.as_secs_f64() * 1e-3))
                .collect();
            let x = |d: Duration| d.as_secs_f64() * 1e3;
            let mops = |d: Duration| ops[i] as f64 * 1e-6 / d.as_secs_f64();
            Record::new(workload, subject)
                .field("pairs", trials as f64)
                .field("ops_per_trial", ops[i] as f64)
                .field("one_mops", mops(quantile(&one[i], 0.5)))
                .field("two_mops", mops(quantile(&two[i], 0.5)))
                .field("ratio_median", x(quantile(&ratios, 0.5)))
                .field("ratio_p25", x(quantile(&ratios, 0.25)))
                .field("ratio_p75", x(quantile(&ratios, 0.75)))
        })
        .collect();
    output::publish("scaling", &records);
}
