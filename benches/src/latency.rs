//! Writer latency under a continuous stream of readers on the same path.
//!
//! `readers` threads each take a read lock, hold it for `hold` (sleeping, so
//! that the readers leave the CPUs to the writer and the figure measures the
//! lock's policy, not the scheduler's), release, and start again at once, so
//! that readers overlap and the path is almost never free. A sleep lasts
//! longer than asked (timer slack), so the run also reports the mean time a
//! reader's cycle really took. One writer, every `pause`,
//! asks for a write lock with a timeout of `cap` and records how long it
//! waited. A reader-preferring lock lets the writer in only when the
//! readers happen to leave a gap; a fair one queues it behind the readers
//! already in.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The shape of one latency run.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Reader threads.
    pub readers: usize,
    /// How long each reader holds its lock.
    pub hold: Duration,
    /// Write attempts at most.
    pub writes: usize,
    /// Pause between write attempts.
    pub pause: Duration,
    /// A write attempt gives up after this long (counted as a timeout).
    pub cap: Duration,
    /// The run stops after this long even if attempts remain.
    pub budget: Duration,
}

/// What one or more runs measured.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Wait of every attempt; a timed-out attempt counts as `cap`.
    pub waits: Vec<Duration>,
    /// Attempts that timed out.
    pub timeouts: usize,
    /// Read locks the readers took meanwhile.
    pub reads: u64,
    /// Reader-thread time (threads × run time) the reads took, for the mean
    /// reader cycle.
    pub reader_time: Duration,
}

impl Outcome {
    /// Adds another run's figures to these.
    pub fn merge(&mut self, other: Outcome) {
        self.waits.extend(other.waits);
        self.timeouts += other.timeouts;
        self.reads += other.reads;
        self.reader_time += other.reader_time;
    }

    /// Mean duration of one reader's acquire, hold and release.
    pub fn mean_read_cycle(&self) -> Duration {
        self.reader_time / self.reads.max(1) as u32
    }
}

/// Runs the readers and the writer. `read` takes, holds (via its argument) and
/// releases one read lock; `write` tries one write lock for at most the
/// given time, releases it, and says whether it got it.
pub fn run<R, W>(cfg: Config, read: R, write: W) -> Outcome
where
    R: Fn(&dyn Fn()) + Sync,
    W: Fn(Duration) -> bool,
{
    let stop = AtomicBool::new(false);
    let reads = AtomicU64::new(0);
    let hold = || std::thread::sleep(cfg.hold);
    let mut out = Outcome::default();
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cfg.readers {
            s.spawn(|| {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    read(&hold);
                    n += 1;
                }
                reads.fetch_add(n, Ordering::Relaxed);
            });
        }
        // Let the stream start before the first write.
        std::thread::sleep(cfg.pause.max(Duration::from_millis(5)));
        let start = Instant::now();
        while out.waits.len() < cfg.writes && start.elapsed() < cfg.budget {
            let t0 = Instant::now();
            let got = write(cfg.cap);
            out.waits.push(t0.elapsed());
            out.timeouts += usize::from(!got);
            std::thread::sleep(cfg.pause);
        }
        stop.store(true, Ordering::Relaxed);
    });
    out.reads = reads.into_inner();
    out.reader_time = t0.elapsed() * cfg.readers as u32;
    out
}
