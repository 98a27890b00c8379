//! A fixed loop for instruction-count profiling (callgrind), not timing.
//!
//! `profile <subject> <workload> <n>`: subject `ours`, `ours-strict`,
//! `reference` or `floor`; workload `hot-read-d4`, `hot-write-d16`,
//! `cold-read-d4` and so on. Runs `n` acquire+release pairs. The cold pool
//! has `HILOK_COLD_POOL` paths (default 100,000; a pool no larger than the
//! thread's share of the idle cache, such as 100, is acquired warm: every
//! node is found, none is created or evicted). Workload
//! `hold-tree4` instead holds `n` read guards on distinct depth-4 paths, then
//! releases them (for a heap profile with `valgrind --tool=dhat`).
//!
//! ```text
//! cargo build --release -p hilok-benches --example profile
//! valgrind --tool=callgrind target/release/examples/profile ours hot-read-d4 100000
//! ```

use hilok::{Flags, HiLok};
use hilok_benches::floor::Floor;
use hilok_benches::paths;
use hilok_benches::reference::Reference;
use hilok_benches::subject::PathLock;

fn drive<L: PathLock>(lock: &L, paths: &[String], write: bool, n: usize) {
    for i in 0..n {
        let p = &paths[i % paths.len()];
        if write {
            drop(lock.write(p));
        } else {
            drop(lock.read(p));
        }
    }
}

fn hold<L: PathLock>(lock: &L, n: usize) {
    let guards: Vec<_> = (0..n).map(|i| lock.read(&paths::tree4(i))).collect();
    drop(guards);
}

/// `HILOK_COLD_POOL`, or the bench's pool size.
fn cold_pool_size() -> usize {
    std::env::var("HILOK_COLD_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(paths::COLD_POOL)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, subject, workload, n] = args.as_slice() else {
        panic!("usage: profile <subject> <workload> <n>");
    };
    let n: usize = n.parse().expect("n");
    if workload == "hold-tree4" {
        return match subject.as_str() {
            "ours" => hold(&HiLok::new(), n),
            _ => hold(&Reference::new(), n),
        };
    }
    let (kind, op, depth) = match workload.split('-').collect::<Vec<_>>().as_slice() {
        [k, o, d] => (*k, *o, d.trim_start_matches('d').parse().expect("depth")),
        _ => panic!("workload like hot-read-d4"),
    };
    let paths = match kind {
        "cold" => paths::cold_pool(cold_pool_size()),
        _ => vec![paths::hot(depth)],
    };
    let write = op == "write";
    match subject.as_str() {
        "ours" => drive(&HiLok::new(), &paths, write, n),
        "ours-strict" => drive(
            &HiLok::builder().flags(Flags::STRICT).build(),
            &paths,
            write,
            n,
        ),
        "reference" => drive(&Reference::new(), &paths, write, n),
        "floor" => {
            let floor = Floor::new(depth);
            for _ in 0..n {
                if write {
                    floor.write();
                } else {
                    floor.read();
                }
            }
        }
        other => panic!("unknown subject {other}"),
    }
}
