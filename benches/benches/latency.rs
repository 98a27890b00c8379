//! Workload 5: writer wait under a continuous stream of readers on the same
//! path (`hilok_benches::latency`), for `hilok`, the reference design, and a
//! single `parking_lot::RwLock` (the floor's lock, which is writer-fair).
//! The keyed lock has no shared mode, so it has no reader stream to measure.
//! Each subject runs once per round, in turn, for `ROUNDS` rounds.

use std::time::Duration;

use hilok::HiLok;
use hilok_benches::latency::{self, Config, Outcome};
use hilok_benches::output::{self, Record};
use hilok_benches::reference::Reference;
use hilok_benches::stats::quantile;
use parking_lot::RwLock;

const PATH: &str = "srv/data/hot/file";

/// Rounds; each subject runs once per round, in turn, so that a change in
/// the machine's load during the run falls on every subject alike.
const ROUNDS: usize = 3;

fn config() -> Config {
    let real = output::measuring();
    Config {
        readers: 2,
        hold: Duration::from_micros(50),
        writes: if real { 100 } else { 3 },
        pause: Duration::from_millis(1),
        cap: Duration::from_millis(if real { 100 } else { 10 }),
        budget: Duration::from_millis(if real { 1500 } else { 300 }),
    }
}

fn record(subject: &str, cfg: Config, o: &Outcome) -> Record {
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    Record::new("writer-latency", subject)
        .field("hold_us", us(cfg.hold))
        .field("read_cycle_us", us(o.mean_read_cycle()))
        .field("cap_us", us(cfg.cap))
        .field("attempts", o.waits.len() as f64)
        .field("timeouts", o.timeouts as f64)
        .field("median_us", us(quantile(&o.waits, 0.5)))
        .field("p99_us", us(quantile(&o.waits, 0.99)))
        .field("max_us", us(quantile(&o.waits, 1.0)))
        .field("reads", o.reads as f64)
}

fn ours(cfg: Config, h: &HiLok) -> Outcome {
    latency::run(
        cfg,
        |hold| {
            let _g = h.read(PATH).expect("read");
            hold();
        },
        |cap| h.write_for(PATH, cap).is_ok(),
    )
}

fn reference(cfg: Config, r: &Reference) -> Outcome {
    latency::run(
        cfg,
        |hold| {
            let _g = r.lock(PATH, false, None);
            hold();
        },
        |cap| r.write_for(PATH, cap).is_some(),
    )
}

fn floor(cfg: Config, l: &RwLock<()>) -> Outcome {
    latency::run(
        cfg,
        |hold| {
            let _g = l.read();
            hold();
        },
        |cap| l.try_write_for(cap).is_some(),
    )
}

fn main() {
    let cfg = config();
    let (h, r, l) = (HiLok::new(), Reference::new(), RwLock::new(()));
    let mut out: [Outcome; 3] = Default::default();
    for _ in 0..ROUNDS {
        out[0].merge(ours(cfg, &h));
        out[1].merge(reference(cfg, &r));
        out[2].merge(floor(cfg, &l));
    }
    let [o, r, f] = &out;
    output::publish(
        "latency",
        &[
            record("ours", cfg, o),
            record("reference", cfg, r),
            record("floor", cfg, f),
        ],
    );
}
