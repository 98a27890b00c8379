//! Drives proptest, finishes its shrinking, and reports a failure as a
//! transcript that can be read and replayed.
//!
//! Proptest deletes each operation once and then shrinks the rest; an
//! operation that only became removable after a later one was simplified
//! stays, and as generated, guards are named by their position among the
//! live ones, so deleting a step renames the guards after it. [`minimize`]
//! therefore first names every guard by the step that created it, then keeps
//! deleting single steps until none can go: a reported sequence is minimal
//! (without any one of its steps, it passes).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use crate::harness::{GuardRefs, Harness};
use crate::ops::{self, Op, Setup};

/// Cases per run by default: about 30 s in a debug build on 2 cores.
pub const CASES: u32 = 5000;

/// Most operations in one case.
pub const MAX_OPS: usize = 40;

/// A `guard` field that names no step.
const NO_STEP: usize = usize::MAX;

/// How often each call had each outcome, over a whole run.
static TALLY: Mutex<BTreeMap<(&'static str, String), u64>> = Mutex::new(BTreeMap::new());

/// Cases generated so far, and the number of the first that failed.
static GENERATED: AtomicU64 = AtomicU64::new(0);
static FIRST_FAILURE: AtomicU64 = AtomicU64::new(0);

/// One case, run.
pub struct Run {
    /// The setup and every step both sides agreed on.
    pub lines: Vec<String>,
    /// The first disagreement, if any.
    pub failure: Option<String>,
    /// By step: the guard its `guard` field named.
    resolved: Vec<Option<usize>>,
    /// By guard: the step that created it.
    created_by: Vec<usize>,
}

/// Runs `ops` on a fresh manager, stopping at the first disagreement.
pub fn run_case(setup: &Setup, ops: &[Op], refs: GuardRefs) -> Run {
    let mut h = Harness::new(setup, refs);
    let mut lines = vec![format!("{setup:?}")];
    let mut failure = None;
    for (i, op) in ops.iter().enumerate() {
        let checked = h.step(i, op).and_then(|d| match h.check_state() {
            Ok(()) => Ok(d),
            Err(e) => Err(format!("after {}: {e}", d.line)),
        });
        match checked {
            Ok(d) => {
                *TALLY
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry((d.call, d.outcome))
                    .or_default() += 1;
                lines.push(d.line);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let resolved = h.resolved().to_vec();
    let created_by = h.created_by().to_vec();
    if failure.is_none() {
        failure = h.finish().err();
    }
    Run {
        lines,
        failure,
        resolved,
        created_by,
    }
}

fn fails(setup: &Setup, ops: &[Op]) -> bool {
    run_case(setup, ops, GuardRefs::CreatingStep)
        .failure
        .is_some()
}

/// The same failing case with each guard named by the step that created it,
/// cut after the failing step.
fn by_creating_step(setup: &Setup, mut ops: Vec<Op>) -> Vec<Op> {
    let run = run_case(setup, &ops, GuardRefs::Live);
    ops.truncate(run.resolved.len());
    for (op, named) in ops.iter_mut().zip(&run.resolved) {
        if let Some(field) = op.guard_mut() {
            *field = named.map_or(NO_STEP, |g| run.created_by[g]);
        }
    }
    ops
}

/// `ops` without step `i`, the later guard references renumbered.
fn without(ops: &[Op], i: usize) -> Vec<Op> {
    let mut fewer = ops.to_vec();
    fewer.remove(i);
    for op in &mut fewer[i..] {
        if let Some(field) = op.guard_mut() {
            if *field == i {
                *field = NO_STEP;
            } else if *field > i && *field != NO_STEP {
                *field -= 1;
            }
        }
    }
    fewer
}

/// A failing case (guards named as generated) made minimal: guards named by
/// their creating step, and single steps deleted while it still fails.
pub fn minimize(setup: &Setup, ops: Vec<Op>) -> Vec<Op> {
    let mut ops = by_creating_step(setup, ops);
    let mut i = 0;
    while i < ops.len() {
        let fewer = without(&ops, i);
        if fails(setup, &fewer) {
            ops = fewer;
            i = 0;
        } else {
            i += 1;
        }
    }
    ops
}

fn config() -> (Config, u64) {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = CASES;
    }
    let seed = match config.rng_seed {
        RngSeed::Fixed(s) => s,
        RngSeed::Random => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    };
    config.rng_seed = RngSeed::Fixed(seed);
    config.failure_persistence = None;
    config.max_shrink_iters = 20_000;
    (config, seed)
}

/// The property: on random scenarios the runtime agrees with the reference
/// at every step. Panics with a minimal failing transcript otherwise.
pub fn check(timed_renames: bool) {
    let (config, seed) = config();
    let cases = config.cases;
    let replay = format!("PROPTEST_RNG_SEED={seed} PROPTEST_CASES={cases}");
    eprintln!("differential: {cases} cases, seed {seed} (replay with {replay})");
    TALLY.lock().unwrap_or_else(|e| e.into_inner()).clear();
    GENERATED.store(0, Ordering::Relaxed);
    FIRST_FAILURE.store(0, Ordering::Relaxed);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&ops::scenario(MAX_OPS, timed_renames), |(setup, ops)| {
        let n = GENERATED.fetch_add(1, Ordering::Relaxed) + 1;
        match run_case(&setup, &ops, GuardRefs::Live).failure {
            None => Ok(()),
            Some(e) => {
                let _ = FIRST_FAILURE.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed);
                Err(TestCaseError::fail(e))
            }
        }
    });
    print_tally();
    match result {
        Ok(()) => {}
        Err(TestError::Fail(_, (setup, ops))) => {
            let ops = minimize(&setup, ops);
            let run = run_case(&setup, &ops, GuardRefs::CreatingStep);
            panic!(
                "the runtime and the reference disagree from case {} on ({replay}).\n\
                 Minimal sequence ({} steps; a `guard` field is the index of the step that \
                 created the guard): {setup:?}\n{ops:?}\nTranscript:\n  {}\nthen: {}",
                FIRST_FAILURE.load(Ordering::Relaxed),
                ops.len(),
                run.lines.join("\n  "),
                run.failure
                    .unwrap_or_else(|| "(passed when replayed)".into()),
            );
        }
        Err(e) => panic!("{e} ({replay})"),
    }
}

/// Runs one recorded sequence (guards named by their creating step) and
/// panics with its transcript if it fails.
pub fn replay(setup: &Setup, ops: &[Op]) {
    let run = run_case(setup, ops, GuardRefs::CreatingStep);
    if let Some(e) = run.failure {
        panic!("Transcript:\n  {}\nthen: {e}", run.lines.join("\n  "));
    }
}

fn print_tally() {
    let tally = TALLY.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = String::from("outcomes:");
    for ((call, outcome), n) in tally.iter() {
        out += &format!("\n  {call:<11} {outcome:<38} {n}");
    }
    eprintln!("{out}");
}
