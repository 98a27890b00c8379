//! Each thread remembers the nodes of the last few paths it acquired.
//!
//! Looking a path up costs a lock per level (the parent's, for its child
//! map). A thread that takes the same path again instead reuses the nodes it
//! took last time and asks each one with a compare-and-swap ([`crate::fast`]).
//! A remembered node may have left the tree or been moved by a rename since;
//! such a node is retired, its word stays inflated, and the fast request on
//! it fails: the acquisition then goes on from there the locked way. So a
//! remembered path is a hint that is never trusted, only tried.
//!
//! What a slot remembers is one boxed [`Held`]: the nodes and a handle to
//! their manager. The box itself moves (one pointer) from the slot to the
//! guard and back when the guard is released on the same thread; a guard
//! released elsewhere, or after its slot went to another path, frees it. So
//! a remembered acquisition changes no reference count and moves no chain:
//! two threads on disjoint paths then share no cache line that either
//! writes. A slot given to a new path reuses the box it has, if it has it.
//! A manager is kept alive by the slots that remember it until they are
//! reused or the thread exits; when its last user handle is dropped it
//! empties its tree at once (`HiLok`'s `Drop`), so what stays is a few
//! kilobytes of empty table.

use std::cell::RefCell;

use hilok_core::OwnerId;

use crate::fast::Memo;
use crate::node::{Chain, Node};
use crate::sync::Arc;
use crate::Inner;

/// Paths remembered per thread.
const SLOTS: usize = 4;

/// While a slot's box is out with a guard (the thread holds that path), the
/// acquisitions that would use the slot go without a box of their own this
/// many times, and the guard keeps only the path's leaf (a thread holding a
/// million paths then pays for no million boxes); the next one gets a new
/// box, so that a box lost to another thread is replaced.
const BOXLESS: u8 = 8;

/// What a guard holds: the nodes it took, root first, and their manager;
/// and whose they are and where they go back to.
pub(crate) struct Held {
    /// The nodes, root first.
    pub(crate) chain: Chain,
    /// The manager the nodes belong to.
    pub(crate) inner: Arc<Inner>,
    /// The thread that acquired them (a box stays with one thread's slots).
    pub(crate) owner: OwnerId,
    /// The slot to give the box back to; `None` for a box of its own.
    ticket: Option<Ticket>,
    /// Where the path goes on past the nodes kept from the slot's earlier
    /// path (the whole path when none were kept).
    pub(crate) resume: Resume,
    /// The path's leaf as the cache's admission knows it
    /// ([`crate::table::Table::leaf_key`]); `None` until a lookup found it.
    pub(crate) leaf_key: Option<u64>,
    /// The word transitions the core last decided for `owner`.
    pub(crate) memo: Memo,
}

impl Held {
    /// A new box with no nodes, for `owner` and `inner`.
    #[cold]
    fn boxed(owner: OwnerId, inner: &Arc<Inner>, ticket: Option<Ticket>) -> Box<Held> {
        Box::new(Held {
            chain: Chain::new(),
            inner: inner.clone(),
            owner,
            ticket,
            resume: Resume::default(),
            leaf_key: None,
            memo: Memo::new(owner),
        })
    }

    /// Readies a spare box for a boxless acquisition of `inner`.
    #[cold]
    fn lend(&mut self, inner: &Arc<Inner>) {
        self.chain.clear();
        if !Arc::ptr_eq(&self.inner, inner) {
            self.inner = inner.clone();
        }
        self.ticket = None;
        self.resume = Resume::default();
        self.leaf_key = None;
    }

    /// Empties the box for a new path of `inner`, to go back to `ticket`,
    /// but for the nodes `keep` says (ancestors the new path shares).
    #[cold]
    fn reset(&mut self, inner: &Arc<Inner>, ticket: Ticket, keep: Resume) {
        if Arc::ptr_eq(&self.inner, inner) {
            // A node of the old path that left the tree and that nothing
            // else refers to is reused for the thread's next new node.
            self.chain
                .drain(keep.nodes.min(self.chain.len())..)
                .for_each(Node::recycle);
            self.resume = keep;
        } else {
            self.chain.clear();
            self.inner = inner.clone();
            self.resume = Resume::default();
        }
        self.ticket = Some(ticket);
        self.leaf_key = None;
    }
}

/// One remembered path.
#[derive(Default)]
struct Slot {
    /// The table it belongs to ([`crate::table::Table::id`]); 0 when empty.
    table: u64,
    path: String,
    /// Its nodes and manager; `None` while a guard has them (or before the
    /// first guard gave them back).
    held: Option<Box<Held>>,
    /// Bumped whenever the slot is given to another path.
    generation: u32,
    /// Acquisitions that found the slot without its box (out with a guard)
    /// since it last had one; see [`BOXLESS`].
    misses: u8,
}

/// A claim to give a [`Held`] back to a slot of the thread that took it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ticket {
    slot: u8,
    generation: u32,
}

struct Slots {
    /// The thread's owner identity, kept here so that one thread-local
    /// access serves both.
    owner: OwnerId,
    slots: [Slot; SLOTS],
    /// A box for boxless acquisitions, lent for the acquisition only.
    spare: Option<Box<Held>>,
    /// The next slot to give to a new path.
    next: usize,
}

crate::sync::thread_local! {
    static SLOTS_OF_THREAD: RefCell<Slots> = RefCell::new(Slots::new(crate::owner::current()));
}

/// What an acquisition starts from: a box for its guard, owned by the
/// calling thread.
pub(crate) enum Taken {
    /// With the nodes the thread remembers for the path.
    Remembered(Box<Held>),
    /// With no nodes, or ancestors it shares with an earlier path: the
    /// acquisition fills it.
    Fresh(Box<Held>),
    /// A box lent for the acquisition only (no slot's: see [`BOXLESS`]);
    /// the guard keeps the leaf and gives the box back with [`spare`].
    Boxless(Box<Held>),
}

/// What the calling thread remembers of `path` of `inner`'s table (see
/// [`Taken`]).
#[inline]
pub(crate) fn take(inner: &Arc<Inner>, path: &str) -> Taken {
    SLOTS_OF_THREAD
        .try_with(|s| s.borrow_mut().take(inner, path))
        .unwrap_or_else(|_| Taken::Fresh(Held::boxed(crate::owner::current(), inner, None)))
}

/// Gives `held` back to its slot, if this is its owner's thread and the slot
/// is still that path's; otherwise drops it.
#[inline]
pub(crate) fn give_back(held: Box<Held>) {
    if held.ticket.is_some() {
        // At thread exit the slots are gone: it is simply dropped.
        let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().give_back(held));
    }
}

/// Takes back the box of a [`Taken::Boxless`] acquisition, emptied.
pub(crate) fn spare(mut held: Box<Held>) {
    held.chain.clear();
    let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().spare = Some(held));
}

/// Forgets the path `held` was taken for (its acquisition failed).
pub(crate) fn forget(held: &Held) {
    if let Some(ticket) = held.ticket {
        let _ = SLOTS_OF_THREAD.try_with(|s| s.borrow_mut().forget(ticket, held.owner));
    }
}

impl Slots {
    fn new(owner: OwnerId) -> Self {
        Slots {
            owner,
            slots: std::array::from_fn(|_| Slot {
                misses: BOXLESS,
                ..Slot::default()
            }),
            spare: None,
            next: 0,
        }
    }

    #[inline]
    fn take(&mut self, inner: &Arc<Inner>, path: &str) -> Taken {
        let table = inner.table.id();
        let found = self
            .slots
            .iter()
            .position(|s| s.table == table && same_path(&s.path, path));
        match found {
            Some(i) => match self.slots[i].held.take() {
                Some(held) => {
                    self.slots[i].misses = 0;
                    Taken::Remembered(held)
                }
                None => self.without_box(i, inner).unwrap_or_else(|| {
                    self.slots[i].misses = 0;
                    let ticket = self.ticket(i);
                    Taken::Fresh(Held::boxed(self.owner, inner, Some(ticket)))
                }),
            },
            None => {
                let i = self.next;
                self.next = (i + 1) % SLOTS;
                self.without_box(i, inner)
                    .unwrap_or_else(|| Taken::Fresh(self.claim(i, table, inner, path)))
            }
        }
    }

    /// A boxless acquisition, if slot `i`'s box is out and it has not gone
    /// without it [`BOXLESS`] times yet.
    #[inline]
    fn without_box(&mut self, i: usize, inner: &Arc<Inner>) -> Option<Taken> {
        let slot = &mut self.slots[i];
        if slot.held.is_some() || slot.misses >= BOXLESS {
            return None;
        }
        slot.misses += 1;
        let held = match self.spare.take() {
            Some(mut held) => {
                held.lend(inner);
                held
            }
            None => Held::boxed(self.owner, inner, None),
        };
        Some(Taken::Boxless(held))
    }

    /// The ticket of slot `i` as it is now.
    fn ticket(&self, i: usize) -> Ticket {
        Ticket {
            slot: i as u8,
            generation: self.slots[i].generation,
        }
    }

    /// Gives slot `i` to `path`, with its box emptied but for shared
    /// ancestors (or a new box).
    #[cold]
    fn claim(&mut self, i: usize, table: u64, inner: &Arc<Inner>, path: &str) -> Box<Held> {
        let slot = &mut self.slots[i];
        slot.misses = 0;
        let keep = if slot.table == table {
            shared_ancestors(&slot.path, path, inner.sep)
        } else {
            Resume::default()
        };
        slot.generation = slot.generation.wrapping_add(1);
        slot.table = table;
        slot.path.clear();
        slot.path.push_str(path);
        let ticket = Ticket {
            slot: i as u8,
            generation: slot.generation,
        };
        match slot.held.take() {
            Some(mut held) => {
                held.reset(inner, ticket, keep);
                held
            }
            None => Held::boxed(self.owner, inner, Some(ticket)),
        }
    }

    #[inline]
    fn give_back(&mut self, held: Box<Held>) {
        let Some(ticket) = held.ticket else { return };
        if held.owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation && slot.held.is_none() {
            slot.held = Some(held);
        }
    }

    fn forget(&mut self, ticket: Ticket, owner: OwnerId) {
        if owner != self.owner {
            return;
        }
        let slot = &mut self.slots[usize::from(ticket.slot)];
        if slot.generation == ticket.generation {
            slot.generation = slot.generation.wrapping_add(1);
            slot.table = 0;
            slot.held = None;
        }
    }
}

/// Where an acquisition of a path goes on past nodes it already has: after
/// the first `nodes` components, whose end is at byte `at` of the path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Resume {
    /// Components, root first, that need no lookup.
    pub(crate) nodes: usize,
    /// The byte offset in the path where the components past them start.
    pub(crate) at: usize,
}

/// How many leading components `new` shares with `old`, short of `new`'s
/// last: the remembered nodes of `old` that a fresh acquisition of `new` may
/// try first, as ancestors (most new paths are siblings or cousins of
/// recent ones); and where in `new` the components past them start.
/// Compares bytes, so a path spelled differently (`a//b`) shares less; that
/// only costs a lookup. Nothing for a non-ASCII separator.
fn shared_ancestors(old: &str, new: &str, sep: char) -> Resume {
    if !sep.is_ascii() {
        return Resume::default();
    }
    let (old, new, sep) = (old.as_bytes(), new.as_bytes(), sep as u8);
    let common = common_prefix(old, new);
    // Where the shared components end: at the common prefix if a component
    // ends there in both paths, else at the last separator inside it.
    let ends = |p: &[u8]| p.get(common).is_none_or(|&b| b == sep);
    let cut = if ends(old) && ends(new) {
        common
    } else {
        new[..common].iter().rposition(|&b| b == sep).unwrap_or(0)
    };
    let shared = components_in(&new[..cut], sep);
    if new[cut..].iter().any(|&b| b != sep) {
        // Past the separator that ends the shared components, if any.
        let at = cut + usize::from(new.get(cut) == Some(&sep));
        return Resume { nodes: shared, at };
    }
    // `new` ends inside what it shares: its leaf is not kept.
    let end = new[..cut]
        .iter()
        .rposition(|&b| b != sep)
        .map_or(0, |i| i + 1);
    let start = new[..end]
        .iter()
        .rposition(|&b| b == sep)
        .map_or(0, |i| i + 1);
    Resume {
        nodes: shared.saturating_sub(1),
        at: start,
    }
}

/// The length of the longest common prefix of `a` and `b`, compared eight
/// bytes at a time.
#[inline]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let diff = word(a, i) ^ word(b, i);
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The number of non-empty components of `path`: the bytes that are not
/// `sep` and follow one, or the start. Eight bytes at a time (a byte loop
/// is vectorised into code that costs more than a short path's count).
fn components_in(path: &[u8], sep: u8) -> usize {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = !LOW;
    let n = path.len();
    if n < 8 {
        let mut count = 0;
        let mut before = sep;
        for &b in path {
            count += usize::from(before == sep && b != sep);
            before = b;
        }
        return count;
    }
    let seps = u64::from(sep) * 0x0101_0101_0101_0101;
    // The high bit of each byte of the eight from `i` that is `sep`.
    let sep_bits = |i: usize| {
        let x = word(path, i) ^ seps;
        !(((x & LOW) + LOW) | x) & HIGH
    };
    // One high bit per byte: counted by one multiplication.
    let bytes = |bits: u64| ((bits >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
    // The byte before the path counts as a separator.
    let (mut count, mut before, mut i) = (0, HIGH, 0);
    while i + 8 <= n {
        let s = sep_bits(i);
        count += bytes(!s & HIGH & ((s << 8) | (before >> 56)));
        before = s;
        i += 8;
    }
    if i < n {
        // The last eight bytes, of which those before `i` are counted.
        let s = sep_bits(n - 8);
        let fresh = HIGH << (8 * (8 - (n - i)));
        count += bytes(!s & fresh & (s << 8));
    }
    count
}

/// The eight bytes of `s` from `i`, little-endian (0 past the end).
#[inline]
fn word(s: &[u8], i: usize) -> u64 {
    s.get(i..i + 8)
        .map_or(0, |w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
}

/// `a == b`, compared eight bytes at a time in line (paths are short: a call
/// to the C library's compare would cost more than the compare).
#[inline]
fn same_path(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).fold(0, |d, (x, y)| d | (x ^ y)) == 0;
    }
    let word = |s: &[u8], i: usize| {
        s.get(i..i + 8)
            .map(|w| u64::from_ne_bytes(w.try_into().unwrap_or_default()))
    };
    // The last eight bytes first (where paths of one directory differ, so
    // a mismatch is found at once), then every whole word.
    word(a, n - 8) == word(b, n - 8) && (0..n / 8).all(|k| word(a, 8 * k) == word(b, 8 * k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner() -> Arc<Inner> {
        crate::HiLok::new().inner.clone()
    }

    fn fresh(t: Taken) -> Box<Held> {
        match t {
            Taken::Fresh(h) | Taken::Boxless(h) => h,
            Taken::Remembered(_) => panic!("remembered"),
        }
    }

    #[test]
    fn common_prefixes_across_words() {
        let long = "abcdefghijklmnopqrstuvwxyz";
        for i in 0..=long.len() {
            for j in i..=long.len() {
                let mut other = long.as_bytes()[..j].to_vec();
                if let Some(b) = other.get_mut(i) {
                    *b = b'!';
                }
                let want = i.min(j);
                assert_eq!(common_prefix(long.as_bytes(), &other), want, "{i} {j}");
                assert_eq!(common_prefix(&other, long.as_bytes()), want, "{i} {j}");
            }
        }
    }

    #[test]
    fn components_are_counted_as_split_counts_them() {
        // Every path up to 12 bytes over `a` and `/` (9 under miri).
        for len in 0..=if cfg!(miri) { 9 } else { 12 } {
            for bits in 0u32..1 << len {
                let p: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { '/' } else { 'a' })
                    .collect();
                let want = p.split('/').filter(|c| !c.is_empty()).count();
                assert_eq!(components_in(p.as_bytes(), b'/'), want, "{p:?}");
            }
        }
    }

    #[test]
    fn shared_ancestors_stop_short_of_the_new_leaf() {
        // (old path, new path, separator, ancestors shared; why)
        let cases = [
            ("a/b/c", "a/b/d", '/', 2, "siblings"),
            ("a/b/c", "a//b/d/e", '/', 1, "spelled otherwise"),
            ("/a/b/c", "/a/b/d", '/', 2, "leading /"),
            ("a/bc/d", "a/b/d", '/', 1, "a longer name"),
            ("a/b/d", "a/bc/d", '/', 1, "a shorter name"),
            ("a/b/", "a/b/c", '/', 2, "trailing /"),
            ("a/b/c", "a/b/", '/', 1, "the new leaf, with a trailing /"),
            ("a→b→c", "a→b→d", '→', 0, "not ASCII"),
            ("a/b/c", "a/b", '/', 1, "the leaf is not kept"),
            ("a/b/c", "a/b/c", '/', 2, "the same path"),
            ("a/b", "a/b/c/d", '/', 2, "deeper"),
            ("a/b", "x/b/c", '/', 0, "another root"),
            ("ab", "a/b", '/', 0, "a separator inside"),
            ("a:b", "a:c", ':', 1, "another separator"),
        ];
        for (old, new, sep, want, why) in cases {
            assert_eq!(shared_ancestors(old, new, sep).nodes, want, "{why}");
        }
    }

    #[test]
    fn shared_ancestors_are_shared_components_and_leave_a_leaf() {
        // Every pair of paths up to five bytes over `a`, `b` and `/` (two
        // under miri, which is slow).
        let mut paths = vec![String::new()];
        for _ in 0..if cfg!(miri) { 2 } else { 5 } {
            let longer: Vec<String> = paths
                .iter()
                .filter(|p| p.len() == paths.last().map_or(0, String::len))
                .flat_map(|p| ["a", "b", "/"].map(|c| format!("{p}{c}")))
                .collect();
            paths.extend(longer);
        }
        fn comps(p: &str) -> Vec<&str> {
            p.split('/').filter(|c| !c.is_empty()).collect()
        }
        for old in &paths {
            for new in &paths {
                let Resume { nodes: k, at } = shared_ancestors(old, new, '/');
                let rest: Vec<_> = hilok_core::path::components(&new[at..], '/').collect();
                assert_eq!(rest, comps(new)[k..], "{old:?} {new:?}: at {at}");
                let (o, n) = (comps(old), comps(new));
                assert!(k < n.len() || k == 0, "{old:?} {new:?}: {k}");
                assert_eq!(o.get(..k), n.get(..k), "{old:?} {new:?}: {k}");
                let tidy = |p: &str| !p.is_empty() && !p.split('/').any(str::is_empty);
                if tidy(old) && tidy(new) {
                    let same = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
                    assert_eq!(k, same.min(n.len() - 1), "{old:?} {new:?}");
                }
            }
        }
    }

    #[test]
    fn a_claimed_slot_keeps_the_nodes_its_new_path_shares() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let mut held = fresh(s.take(&a, "p/q/r"));
        for name in ["p", "q", "r"] {
            let parent = held.chain.last().cloned();
            let node = a
                .table
                .lookup(parent.as_ref(), name, true)
                .expect("created");
            a.table.unpin(&node);
            held.chain.push(node);
        }
        s.give_back(held);
        for i in 1..SLOTS {
            let _ = fresh(s.take(&a, &format!("other{i}")));
        }
        // The round comes back to the slot of p/q/r.
        assert_eq!(fresh(s.take(&a, "p/q/s")).chain.len(), 2);
    }

    #[test]
    fn a_path_is_remembered_after_its_nodes_come_back() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let first = fresh(s.take(&a, "a/b"));
        assert!(first.ticket.is_some(), "a slot is claimed on a miss");
        assert_eq!(first.owner, OwnerId(7));
        // While out, the same path is not remembered and gets no slot.
        assert!(fresh(s.take(&a, "a/b")).ticket.is_none());
        s.give_back(first);
        assert!(matches!(s.take(&a, "a/b"), Taken::Remembered(_)));
        // Another table's path of the same name is another entry.
        let b = inner();
        let other = fresh(s.take(&b, "a/b"));
        assert!(other.ticket.is_some());
        assert!(Arc::ptr_eq(&other.inner, &b));
    }

    #[test]
    fn another_threads_box_is_not_taken_back() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let mut held = fresh(s.take(&a, "a"));
        held.owner = OwnerId(8);
        s.give_back(held);
        assert!(fresh(s.take(&a, "a")).ticket.is_none(), "still out");
    }

    #[test]
    fn a_recycled_slot_refuses_a_stale_ticket() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let old = fresh(s.take(&a, "p0"));
        // Slot 0 goes without its box BOXLESS times, then to another path.
        for i in 1..=SLOTS * (usize::from(BOXLESS) + 1) {
            let _ = fresh(s.take(&a, &format!("p{i}")));
        }
        s.give_back(old);
        assert!(
            s.slots.iter().all(|x| x.held.is_none()),
            "the slot went to another path"
        );
    }

    #[test]
    fn a_slot_whose_box_is_out_lends_a_spare_box_and_then_replaces_it() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let mut out: Vec<Box<Held>> = (0..SLOTS)
            .map(|i| fresh(s.take(&a, &format!("held{i}"))))
            .collect();
        assert!(out.iter().all(|h| h.ticket.is_some()), "first use: boxes");
        let mut boxless = 0;
        for i in 0..SLOTS * usize::from(BOXLESS) {
            match s.take(&a, &format!("new{i}")) {
                Taken::Boxless(h) => {
                    boxless += 1;
                    assert!(h.ticket.is_none());
                    spare_into(&mut s, h);
                }
                _ => panic!("every slot's box is out: lent, not claimed"),
            }
        }
        assert_eq!(boxless, SLOTS * usize::from(BOXLESS));
        // The next acquisition on each slot gets a box of its own again.
        for i in 0..SLOTS {
            let h = fresh(s.take(&a, &format!("again{i}")));
            assert!(h.ticket.is_some(), "slot {i} replaced its box");
            out.push(h);
        }
        // The boxes lent earlier are stale now: refused.
        for h in out.drain(..SLOTS) {
            s.give_back(h);
        }
        assert!(s.slots.iter().all(|x| x.held.is_none()));
    }

    /// What [`spare`] does, on `s` rather than the thread's slots.
    fn spare_into(s: &mut Slots, mut h: Box<Held>) {
        h.chain.clear();
        s.spare = Some(h);
    }

    #[test]
    fn a_claimed_slot_reuses_its_box_emptied() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let mut first = fresh(s.take(&a, "p0"));
        let node = a.table.lookup(None, "x", true).expect("created");
        a.table.unpin(&node);
        first.chain.push(node);
        let addr: *const Held = &*first;
        s.give_back(first);
        for i in 1..SLOTS {
            let t = fresh(s.take(&a, &format!("p{i}")));
            s.give_back(t);
        }
        let b = inner();
        let reused = fresh(s.take(&b, "q"));
        assert!(std::ptr::eq(&*reused, addr), "the same box");
        assert!(reused.chain.is_empty());
        assert!(Arc::ptr_eq(&reused.inner, &b));
        assert_eq!(reused.ticket.map(|t| t.slot), Some(0));
    }

    #[test]
    fn a_forgotten_path_is_claimed_afresh() {
        let mut s = Slots::new(OwnerId(7));
        let a = inner();
        let t = fresh(s.take(&a, "a"));
        s.forget(t.ticket.unwrap(), OwnerId(7));
        s.give_back(t);
        assert!(fresh(s.take(&a, "a")).ticket.is_some());
    }

    #[test]
    fn paths_compare_as_strings() {
        let cases = [
            "",
            "a",
            "a/b",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "d0/d1/d2/d3",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
        ];
        for x in cases {
            for y in cases {
                assert_eq!(same_path(x, y), x == y, "{x:?} {y:?}");
            }
            // One byte changed, at every position.
            for i in 0..x.len() {
                let mut z = x.as_bytes().to_vec();
                z[i] ^= 1;
                let z = String::from_utf8(z).unwrap();
                assert!(!same_path(x, &z), "{x:?} {z:?}");
            }
        }
    }
}
