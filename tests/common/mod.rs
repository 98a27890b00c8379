//! Helpers shared by the integration tests.
#![allow(dead_code)]

use hilok::{Error, Flags, Guard, HiLok};
use std::time::Duration;

/// Long enough that a correct run never reaches it; only catches hangs.
pub const HANG: Duration = Duration::from_secs(20);

/// Runs `f` on a new thread (another owner) and returns its result.
pub fn other<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f)
        .join()
        .expect("helper thread panicked")
}

/// Whether another thread could take `path` now (read or write).
pub fn free_for_other(h: &HiLok, path: &str, write: bool) -> bool {
    let h = h.clone();
    let path = path.to_string();
    other(move || {
        let r = if write {
            h.try_write(&path)
        } else {
            h.try_read(&path)
        };
        match r {
            Ok(_) => true,
            Err(Error::WouldBlock) => false,
            Err(e) => panic!("unexpected {e:?}"),
        }
    })
}

/// A manager with `flags`.
pub fn with_flags(flags: Flags) -> HiLok {
    HiLok::builder().flags(flags).build()
}

/// Takes `path` (`write` or read) on this thread, blocking.
pub fn take(h: &HiLok, path: &str, write: bool) -> Guard {
    let r = if write {
        h.write_for(path, HANG)
    } else {
        h.read_for(path, HANG)
    };
    r.expect("acquisition")
}

/// Waits (up to [`HANG`]) until `cond` holds.
pub fn eventually(mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < HANG, "condition never became true");
        std::thread::sleep(Duration::from_millis(1));
    }
}
