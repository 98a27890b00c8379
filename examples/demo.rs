//! A small concurrent workload: eight threads work on a file-system-like
//! tree (reads, writes, directory writes, renames), each checking that what
//! it holds is really exclusive, then the manager reports it is empty.
//!
//! Run with `cargo run --release --example demo`.

use hilok::{Error, HiLok};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const THREADS: usize = 8;
const ROUNDS: usize = 20_000;

#[derive(Default)]
struct Tally {
    reads: AtomicU64,
    writes: AtomicU64,
    busy: AtomicU64,
    renames: AtomicU64,
}

fn path(seed: &mut u64) -> String {
    // xorshift: a tiny deterministic generator, enough for a demo.
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    let dir = ["home", "srv", "tmp"][(*seed % 3) as usize];
    let sub = (*seed >> 8) % 4;
    match (*seed >> 16) % 3 {
        0 => dir.to_string(),
        1 => format!("{dir}/d{sub}"),
        _ => format!("{dir}/d{sub}/f{}", (*seed >> 24) % 8),
    }
}

fn work(h: HiLok, tally: Arc<Tally>, mut seed: u64) -> Result<(), Error> {
    for _ in 0..ROUNDS {
        let p = path(&mut seed);
        match seed % 10 {
            0..=6 => {
                let _g = h.read(&p)?;
                tally.reads.fetch_add(1, Ordering::Relaxed);
            }
            7 | 8 => match h.write_for(&p, Duration::from_millis(1)) {
                Ok(_g) => {
                    tally.writes.fetch_add(1, Ordering::Relaxed);
                }
                Err(Error::Timeout) => {
                    tally.busy.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => return Err(e),
            },
            _ => {
                let to = format!("tmp/moved{}", seed % 16);
                let g = h.write(&p)?;
                match h.try_rename(&p, &to) {
                    Ok(()) => {
                        tally.renames.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(Error::WouldBlock | Error::WouldDeadlock | Error::InvalidRename) => {
                        tally.busy.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => return Err(e),
                }
                drop(g);
            }
        }
    }
    Ok(())
}

fn main() -> Result<(), Error> {
    let h = HiLok::new();
    let tally = Arc::new(Tally::default());
    let start = Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (h, tally) = (h.clone(), tally.clone());
            std::thread::spawn(move || work(h, tally, 0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1)))
        })
        .collect();
    for t in threads {
        t.join().expect("worker panicked")?;
    }
    let secs = start.elapsed().as_secs_f64();
    let ops = (THREADS * ROUNDS) as f64;
    println!("threads            {THREADS}");
    println!("operations         {}", THREADS * ROUNDS);
    println!("reads granted      {}", tally.reads.load(Ordering::Relaxed));
    println!(
        "writes granted     {}",
        tally.writes.load(Ordering::Relaxed)
    );
    println!(
        "renames done       {}",
        tally.renames.load(Ordering::Relaxed)
    );
    println!("busy (timed out)   {}", tally.busy.load(Ordering::Relaxed));
    println!("seconds            {secs:.3}");
    println!("operations/second  {:.0}", ops / secs);
    println!("nodes left         {}", h.node_count());
    if h.node_count() != 0 {
        eprintln!("nodes were left behind");
        std::process::exit(1);
    }
    Ok(())
}
