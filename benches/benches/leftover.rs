//! Nodes left at the end of the two-thread and mixed workloads.
//!
//! Runs each two-thread scenario of `threads.rs` and the mix for a fixed
//! number of operations per thread on a fresh manager, joins the threads,
//! and counts what the manager still stores: `node_count()` for `hilok`,
//! the map size for the reference design, locked keys for the keyed lock.
//! With every guard released, anything above zero is a leak.

use hilok::HiLok;
use hilok_benches::keyed::Keyed;
use hilok_benches::mix::Mix;
use hilok_benches::output::{self, Record};
use hilok_benches::parallel;
use hilok_benches::reference::Reference;
use hilok_benches::subject::PathLock;

/// The same scenarios as `threads.rs`.
const SCENARIOS: [(&str, &str, bool); 3] = [
    ("disjoint", "t{}/x/y/z", true),
    ("siblings", "s/x/y/f{}", true),
    ("same-read", "s/x/y/z", false),
];

fn left<L: PathLock>(subject: &str, make: impl Fn() -> L, ops: u64, mix: &Mix) -> Vec<Record> {
    let mut out = Vec::new();
    for (name, pattern, write) in SCENARIOS {
        let lock = make();
        let paths: Vec<String> = (0..2)
            .map(|t| pattern.replace("{}", &t.to_string()))
            .collect();
        parallel::run(2, 2 * ops, |t, _| {
            if write {
                drop(lock.write(&paths[t]));
            } else {
                drop(lock.read(&paths[t]));
            }
        });
        out.push(record(&format!("left-{name}"), subject, &lock));
    }
    let lock = make();
    parallel::run(2, 2 * ops, |t, n| mix.run(&lock, t, n));
    out.push(record("left-mix", subject, &lock));
    out
}

/// What `lock` stores at the end: cached nodes included, then in use.
fn record<L: PathLock>(workload: &str, subject: &str, lock: &L) -> Record {
    let resident = lock.resident() as f64;
    Record::new(workload, subject)
        .field("resident", resident)
        .field("nodes", lock.nodes() as f64)
}

fn main() {
    let ops = if output::measuring() { 200_000 } else { 1_000 };
    let mix = Mix::new(2, 5);
    let mut records = left("ours", HiLok::new, ops, &mix);
    records.extend(left("reference", Reference::new, ops, &mix));
    records.extend(left("keyed", Keyed::new, ops, &mix));
    output::publish("leftover", &records);
}
