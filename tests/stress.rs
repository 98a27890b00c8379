//! Many threads, random paths, an independent exclusion checker; and the
//! fairness scenarios (writer starvation).

mod common;
use common::HANG;
use hilok::{Error, Guard, HiLok};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One holding as the checker sees it.
#[derive(Clone, Debug)]
struct Record {
    id: usize,
    thread: usize,
    path: Vec<String>,
    write: bool,
    /// A rename of this holding is in flight: its path is about to change.
    moving: bool,
}

/// Whether holding `a` and holding `b` by different owners conflict, by the
/// protocol's definition on paths (not on node counters).
fn conflict(a: &Record, b: &Record) -> bool {
    let prefix = |p: &[String], q: &[String]| q.len() >= p.len() && q[..p.len()] == *p;
    (a.write && prefix(&a.path, &b.path)) || (b.write && prefix(&b.path, &a.path))
}

#[derive(Default)]
struct Checker {
    records: Mutex<Vec<Record>>,
    next: AtomicUsize,
}

impl Checker {
    fn add(&self, thread: usize, path: &str, write: bool) -> usize {
        let rec = Record {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            thread,
            path: path
                .split('/')
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
            write,
            moving: false,
        };
        let mut all = self.records.lock().unwrap();
        for other in all.iter().filter(|o| o.thread != thread && !o.moving) {
            assert!(!conflict(&rec, other), "overlap: {rec:?} with {other:?}");
        }
        all.push(rec.clone());
        rec.id
    }

    fn remove(&self, id: usize) {
        self.records.lock().unwrap().retain(|r| r.id != id);
    }

    fn set_moving(&self, id: usize, moving: bool) {
        let mut all = self.records.lock().unwrap();
        if let Some(r) = all.iter_mut().find(|r| r.id == id) {
            r.moving = moving;
        }
    }
}

const NAMES: [&str; 3] = ["a", "b", "c"];

fn random_path(rng: &mut SmallRng) -> String {
    let depth = rng.gen_range(1..=4);
    (0..depth)
        .map(|_| NAMES[rng.gen_range(0..NAMES.len())])
        .collect::<Vec<_>>()
        .join("/")
}

fn acquire(h: &HiLok, rng: &mut SmallRng, path: &str, write: bool) -> Result<Guard, Error> {
    let timeout = Duration::from_micros(rng.gen_range(0..2000));
    match (rng.gen_range(0..3), write) {
        (0, false) => h.try_read(path),
        (0, true) => h.try_write(path),
        (1, false) => h.read_for(path, timeout),
        (1, true) => h.write_for(path, timeout),
        (_, false) => h.read_for(path, HANG),
        (_, true) => h.write_for(path, HANG),
    }
}

fn worker(h: HiLok, checker: Arc<Checker>, thread: usize, rounds: usize) {
    let mut rng = SmallRng::seed_from_u64(thread as u64);
    for _ in 0..rounds {
        let path = random_path(&mut rng);
        let write = rng.gen_bool(0.4);
        let mut g = match acquire(&h, &mut rng, &path, write) {
            Ok(g) => g,
            Err(Error::WouldBlock | Error::Timeout) => continue,
            Err(e) => panic!("{path}: {e:?}"),
        };
        let mut id = checker.add(thread, &path, write);
        if write && rng.gen_bool(0.2) {
            let to = random_path(&mut rng);
            checker.set_moving(id, true);
            match h.rename_for(&path, &to, Duration::from_micros(500)) {
                Ok(()) => {
                    checker.remove(id);
                    assert_eq!(g.path().as_deref(), Some(to.as_str()));
                    id = checker.add(thread, &to, true);
                }
                Err(Error::Timeout | Error::InvalidRename | Error::WouldDeadlock) => {
                    checker.set_moving(id, false)
                }
                Err(e) => panic!("rename {path} -> {to}: {e:?}"),
            }
        }
        std::thread::yield_now();
        checker.remove(id);
        g.release().unwrap();
    }
}

#[test]
fn sixty_four_threads_never_overlap_and_leave_nothing() {
    let h = HiLok::new();
    let checker = Arc::new(Checker::default());
    let threads: Vec<_> = (0..64)
        .map(|t| {
            let (h, c) = (h.clone(), checker.clone());
            std::thread::spawn(move || worker(h, c, t, 1000))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(checker.records.lock().unwrap().is_empty());
    assert!(
        checker.next.load(Ordering::Relaxed) > 64 * 50,
        "too few grants to mean anything"
    );
    assert_eq!(h.node_count(), 0);
}

#[test]
fn a_writer_is_not_starved_by_overlapping_readers() {
    let h = HiLok::new();
    let stop = Arc::new(AtomicBool::new(false));
    let first = h.read("a/b").unwrap();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (h, stop) = (h.clone(), stop.clone());
            std::thread::spawn(move || {
                // Each reader takes a fresh read while the other still reads,
                // so with reader preference the path is never free.
                while !stop.load(Ordering::Relaxed) {
                    let g = h.read_for("a/b", HANG).unwrap();
                    std::thread::sleep(Duration::from_millis(2));
                    drop(g);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(10));
    drop(first);
    let h2 = h.clone();
    let writer = std::thread::spawn(move || h2.write_for("a/b", HANG).map(drop));
    let got_in = writer.join().unwrap();
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert_eq!(got_in, Ok(()));
    assert_eq!(h.node_count(), 0);
}
