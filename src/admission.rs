//! Which idle leaves the cache takes: a leaf released idle a second time
//! within the thread's recent releases.
//!
//! A leaf that falls out of use is usually either used again soon (a file
//! opened again and again) or never (one entry of a scan over a large
//! tree). Caching every leaf makes a scan push every useful leaf out of the
//! cache, and makes each scanned leaf cost a cache entry, an eviction and a
//! removal. So the first time a path's leaf falls idle it leaves the tree
//! at once (its parent, if that leaves the parent idle, is cached in its
//! place, so that the next sibling finds the directory), and only a leaf
//! seen idle before is cached (the "doorkeeper" of TinyLFU-style caches).
//!
//! What the thread has seen is a Bloom filter: two bits of a bit set,
//! chosen by a hash of the leaf's parent node and name. It is cleared after
//! every [`WINDOW`] new entries, so that it says "seen recently" and stays
//! sparse (about one unseen leaf in 200 is taken for seen). A false "seen"
//! only caches a leaf that need not have been: admission is a hint that
//! changes no lock decision and no bound on what stays in the tree.

use std::cell::Cell;

/// Bits in a thread's set of recently seen leaves (2 KiB).
const BITS: usize = 16384;

/// New entries after which the set is cleared: at most one bit in eight is
/// set then, so at most one unseen leaf in 64 finds both its bits set.
const WINDOW: u32 = 1024;

/// Bits in an index into the set.
const INDEX_BITS: u32 = BITS.trailing_zeros();

/// One thread's recently seen leaves (cells: a thread-local is only ever
/// shared, and a `RefCell`'s borrow flag would cost a check per release).
struct Seen {
    bits: [Cell<u64>; BITS / 64],
    /// Entries added since the set was last cleared.
    added: Cell<u32>,
}

impl Seen {
    /// A set with nothing seen.
    const fn new() -> Seen {
        Seen {
            bits: [const { Cell::new(0) }; BITS / 64],
            added: Cell::new(0),
        }
    }
}

#[cfg(not(loom))]
crate::sync::thread_local! {
    /// The calling thread's recently seen leaves.
    static SEEN: Seen = const { Seen::new() };
}

#[cfg(loom)]
crate::sync::thread_local! {
    // `SEEN` under loom, whose thread-locals have no `const` form.
    static SEEN: Seen = Seen::new();
}

/// A leaf's key: a hash of its parent's address and its name. A cheap one
/// (the name's length and its first and last eight bytes): a collision only
/// admits a leaf early.
#[inline]
pub(crate) fn key(parent: usize, name: &str) -> u64 {
    let b = name.as_bytes();
    let n = b.len();
    let word = |i: usize| {
        b.get(i..i + 8)
            .map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    let half = |i: usize| {
        b.get(i..i + 4)
            .map_or(0, |w| u32::from_le_bytes(w.try_into().unwrap_or_default()))
    };
    let (first, last) = match n {
        8.. => (word(0), word(n - 8)),
        4..=7 => (u64::from(half(0)), u64::from(half(n - 4))),
        1..=3 => (
            u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
            0,
        ),
        0 => (0, 0),
    };
    // One folded multiplication mixes them.
    let m = u128::from(first ^ parent as u64 ^ 0x243f_6a88_85a3_08d3)
        * u128::from(last ^ (n as u64) << 40 ^ 0x1319_8a2e_0370_7344);
    (m as u64) ^ (m >> 64) as u64
}

/// Whether an idle leaf whose parent and name hash to `key` goes to the
/// cache: `true` if this thread saw it idle recently; otherwise it is noted
/// as seen, and `false`. Always `true` at thread exit, when the thread's set
/// is gone (the cache is the conservative choice).
#[inline]
pub(crate) fn admit(key: u64) -> bool {
    SEEN.try_with(|s| s.admit(key)).unwrap_or(true)
}

impl Seen {
    fn admit(&self, key: u64) -> bool {
        // The high bits of a multiplicative hash are the well-mixed ones:
        // two indices from them.
        let h = key.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let at = |shift: u32| {
            let i = (h >> (64 - INDEX_BITS - shift)) as usize % BITS;
            (i / 64, 1u64 << (i % 64))
        };
        let [(w1, b1), (w2, b2)] = [at(0), at(INDEX_BITS)];
        let (w1, w2) = (&self.bits[w1], &self.bits[w2]);
        if w1.get() & b1 != 0 && w2.get() & b2 != 0 {
            return true;
        }
        if self.added.get() == WINDOW {
            self.bits.iter().for_each(|w| w.set(0));
            self.added.set(0);
        }
        w1.set(w1.get() | b1);
        w2.set(w2.get() | b2);
        self.added.set(self.added.get() + 1);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> Seen {
        Seen::new()
    }

    #[test]
    fn keys_tell_siblings_and_parents_apart() {
        // Fewer under miri, which is slow (it looks for undefined
        // behaviour; the full set runs natively).
        let names: Vec<String> = (0..if cfg!(miri) { 200 } else { 2000 })
            .map(|i| format!("{}{i}", "f".repeat(i % 20)))
            .chain(["", "a", "ab", "abc"].map(String::from))
            .collect();
        let mut keys: Vec<u64> = names
            .iter()
            .flat_map(|n| [key(0x1000, n), key(0x2000, n)])
            .collect();
        assert_eq!(key(0x1000, "f1"), key(0x1000, "f1"));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 2 * names.len());
    }

    #[test]
    fn a_leaf_is_admitted_the_second_time() {
        let s = seen();
        assert!(!s.admit(42), "first time: noted");
        assert!(s.admit(42), "second time: admitted");
        assert!(s.admit(42), "and again");
        assert_eq!(s.added.get(), 1);
    }

    #[test]
    fn the_set_forgets_after_a_window() {
        let s = seen();
        assert!(!s.admit(7));
        // Distinct keys until the window is full and the set is cleared.
        let mut k = 1000;
        loop {
            s.admit(k);
            k += 1;
            if s.added.get() == 1 {
                break;
            }
        }
        assert!(k > 1000 + u64::from(WINDOW) - 2, "cleared only when full");
        assert!(!s.admit(7), "forgotten with the window");
    }

    #[test]
    fn few_unseen_leaves_are_admitted() {
        let s = seen();
        let wrongly = (0..WINDOW as u64)
            .map(|k| k.wrapping_mul(0x2545_f491_4f6c_dd1d))
            .filter(|&k| s.admit(k))
            .count();
        // At most one bit in eight is set over the window: fewer than one
        // in 64 admitted.
        assert!(wrongly < WINDOW as usize / 64, "{wrongly}");
    }
}
