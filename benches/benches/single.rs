//! Workloads 1 and 2: one thread, no contention.
//!
//! Hot: the same path again and again at depth 1, 4 and 16. Cold: each
//! acquisition on the next path of a pool of 100,000 depth-4 paths under one
//! 2-level prefix. Each acquisition is released before the next. The
//! reference design creates and erases every node each time; `hilok` keeps
//! idle leaves cached (default 1,024 in 8 rings; one thread uses one ring,
//! 128 leaves), so on the hot path it reuses them, and on the cold path (far
//! more paths than that) it creates the leaf (and now and then its parent)
//! and evicts an older one each time. Read and write; `hilok` in STRICT and
//! RECURSIVE mode.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};
use hilok::{Flags, HiLok};
use hilok_benches::floor::Floor;
use hilok_benches::keyed::Keyed;
use hilok_benches::paths;
use hilok_benches::reference::Reference;
use hilok_benches::subject::PathLock;

/// Locks and releases `paths[i]` for i = 0, 1, 2, ... (cycling).
fn cycle<L: PathLock>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    lock: &L,
    paths: &[String],
    write: bool,
) {
    let mut i = 0;
    g.bench_function(id, |b| {
        b.iter(|| {
            let p = &paths[i];
            i += 1;
            if i == paths.len() {
                i = 0;
            }
            if write {
                drop(lock.write(p));
            } else {
                drop(lock.read(p));
            }
        })
    });
}

/// Every lock manager on one path list; the floor at `depth`.
fn compare(c: &mut Criterion, group: &str, paths: &[String], depth: usize, write: bool) {
    let mut g = c.benchmark_group(group);
    for (id, flags) in [
        ("ours-strict", Flags::STRICT),
        ("ours-recursive", Flags::RECURSIVE),
    ] {
        let h = HiLok::builder().flags(flags).build();
        cycle(&mut g, id, &h, paths, write);
        assert_eq!(h.node_count(), 0);
    }
    let floor = Floor::new(depth);
    g.bench_function("floor", |b| {
        b.iter(|| if write { floor.write() } else { floor.read() })
    });
    cycle(&mut g, "reference", &Reference::new(), paths, write);
    cycle(&mut g, "keyed", &Keyed::new(), paths, write);
    g.finish();
}

fn hot(c: &mut Criterion) {
    for depth in [1, 4, 16] {
        let p = [paths::hot(depth)];
        compare(c, &format!("hot-read-d{depth}"), &p, depth, false);
        compare(c, &format!("hot-write-d{depth}"), &p, depth, true);
    }
}

fn cold(c: &mut Criterion) {
    let pool = paths::cold_pool(paths::COLD_POOL);
    compare(c, "cold-read-d4", &pool, 4, false);
    compare(c, "cold-write-d4", &pool, 4, true);
}

fn main() {
    let mut c = hilok_benches::config::criterion();
    hot(&mut c);
    cold(&mut c);
    c.final_summary();
}
