//! A global allocator that counts live heap bytes, and the resident set.
//!
//! A bench binary installs it with
//! `#[global_allocator] static A: Counting = Counting;`.
//!
//! The only module of the workspace allowed unsafe code: a `GlobalAlloc`
//! cannot be written without it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

static LIVE: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting the bytes it has handed out and not
/// had back.
pub struct Counting;

// SAFETY: every method forwards to `System` with the caller's arguments,
// which `GlobalAlloc`'s contract already makes valid for `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Heap bytes now live (only meaningful where [`Counting`] is installed).
pub fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Resident set size of this process in bytes, from `/proc/self/statm`
/// (`None` where that file does not exist).
pub fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
