//! Workload 6: memory per held node, and what is left after release.
//!
//! Holds read guards on N distinct depth-4 paths (`paths::tree4`, N =
//! 1,000,000: 1,110,100 nodes), then releases them all. Heap bytes come from
//! a counting global allocator (exact); resident memory from
//! `/proc/self/statm` (includes allocator slack and what the allocator keeps
//! after a free). The guard vector is allocated before the baseline, so only
//! the managers' own storage is counted. Each manager is measured in its own
//! child process. The keyed lock is absent: it has no
//! shared mode, so one thread cannot hold two paths that share a prefix.

use hilok::HiLok;
use hilok_benches::alloc::{live_bytes, resident_bytes, Counting};
use hilok_benches::output::{self, Record};
use hilok_benches::paths::{tree4, tree4_nodes};
use hilok_benches::reference::Reference;
use hilok_benches::subject::PathLock;

#[global_allocator]
static ALLOC: Counting = Counting;

fn measure<L: PathLock>(subject: &str, lock: &L, n: usize) -> Record {
    let mut guards = Vec::with_capacity(n);
    let (heap0, rss0) = (live_bytes(), resident_bytes().unwrap_or(0));
    for i in 0..n {
        guards.push(lock.read(&tree4(i)));
    }
    let (heap1, rss1) = (live_bytes(), resident_bytes().unwrap_or(0));
    let held = lock.nodes();
    assert_eq!(
        held,
        tree4_nodes(n),
        "{subject}: one node per distinct prefix"
    );
    guards.clear();
    let (heap2, rss2) = (live_bytes(), resident_bytes().unwrap_or(0));
    let mib = |b: isize| b as f64 / (1 << 20) as f64;
    Record::new("memory", subject)
        .field("guards", n as f64)
        .field("nodes_held", held as f64)
        .field(
            "heap_bytes_per_node",
            (heap1 - heap0) as f64 / held.max(1) as f64,
        )
        .field(
            "rss_bytes_per_node",
            (rss1 as f64 - rss0 as f64) / held.max(1) as f64,
        )
        .field("nodes_after_release", lock.nodes() as f64)
        .field("heap_after_release_mib", mib(heap2 - heap0))
        .field("rss_before_mib", mib(rss0 as isize))
        .field("rss_held_mib", mib(rss1 as isize))
        .field("rss_after_release_mib", mib(rss2 as isize))
}

/// Set in the child process that measures one subject.
const SUBJECT: &str = "HILOK_BENCH_MEMORY_SUBJECT";

/// Measures each subject in a fresh child process (so one subject's freed
/// memory is not another's baseline), or, in such a child, one subject.
fn main() {
    let n = if output::measuring() {
        1_000_000
    } else {
        20_000
    };
    match std::env::var(SUBJECT).as_deref() {
        Ok("ours") => output::publish("memory-ours", &[measure("ours", &HiLok::new(), n)]),
        Ok("reference") => output::publish(
            "memory-reference",
            &[measure("reference", &Reference::new(), n)],
        ),
        _ => {
            for subject in ["ours", "reference"] {
                let status = std::process::Command::new(std::env::current_exe().expect("exe"))
                    .args(std::env::args().skip(1))
                    .env(SUBJECT, subject)
                    .status()
                    .expect("run child");
                assert!(status.success(), "memory child for {subject} failed");
            }
        }
    }
}
