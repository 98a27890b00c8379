//! Running one operation on several threads at once and timing the whole.

use std::sync::Barrier;
use std::time::{Duration, Instant};

/// Runs `op(thread, n)` for `n` in `0..iters / threads` on each of
/// `threads` threads, released together, and returns the wall time from the
/// first thread's start to the last thread's end (each thread reads the
/// clock itself, so a late-scheduled coordinating thread cannot shorten or
/// lengthen it). `iters / wall time` is the aggregate throughput, which
/// criterion's `iter_custom` reports per operation.
pub fn run<F>(threads: usize, iters: u64, op: F) -> Duration
where
    F: Fn(usize, usize) + Sync,
{
    let per_thread = (iters as usize).div_ceil(threads);
    let start = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (start, op) = (&start, &op);
                s.spawn(move || {
                    start.wait();
                    let t0 = Instant::now();
                    for n in 0..per_thread {
                        op(t, n);
                    }
                    (t0, Instant::now())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    let first = spans.iter().map(|s| s.0).min().expect("one thread");
    let last = spans.iter().map(|s| s.1).max().expect("one thread");
    last - first
}
