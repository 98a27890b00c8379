//! Path components as the tree keeps them.
//!
//! A component of up to [`SHORT`] bytes, the usual case, is two machine
//! words ([`Short`]): made from the path with a few loads, compared, hashed
//! and moved as words, never through a byte buffer (a buffer written byte
//! by byte and read back as words stalls the processor's store
//! forwarding, and that showed in every node creation). A longer one is a
//! shared heap string. A component is looked up as a [`Key`], which borrows
//! a long name rather than allocating; a [`Name`] is what a node and its
//! parent's map own.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU64;

use crate::sync::NodeArc;

/// The longest component kept in two words.
pub(crate) const SHORT: usize = 15;

/// A component of at most [`SHORT`] bytes: byte `i` of the component is byte
/// `i` of `lo` (`i < 8`) or byte `i - 8` of `hi`, little-endian; unused bytes
/// are 0, and `hi`'s top byte is `LEN_MARK | length`, so that two shorts are
/// equal exactly when their components are and `hi` is never 0.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Short {
    lo: u64,
    hi: NonZeroU64,
}

/// Set in the top byte of [`Short::hi`], beside the length.
const LEN_MARK: u64 = 0x80;

/// A component to look up: short ones as words, long ones borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Key<'a> {
    /// At most [`SHORT`] bytes.
    Short(Short),
    /// Longer.
    Long(&'a str),
}

/// A component as a node and its parent's map own it (16 bytes).
#[derive(Clone)]
pub(crate) struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Short(Short),
    /// More than [`SHORT`] bytes, shared by the copies (the node's and its
    /// parent's map's).
    Long(NodeArc<Box<str>>),
}

impl Short {
    /// `b` (at most [`SHORT`] bytes) as words.
    #[inline]
    fn of(b: &[u8]) -> Short {
        let n = b.len();
        let (lo, hi) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
            // The last eight bytes, less those already in `lo`.
            (Some(first), Some(last)) => (
                u64::from_le_bytes(*first),
                u64::from_le_bytes(*last)
                    .checked_shr(8 * (16 - n) as u32)
                    .unwrap_or(0),
            ),
            _ => (below_eight(b), 0),
        };
        let hi = hi | (LEN_MARK | n as u64) << 56;
        Short {
            lo,
            hi: NonZeroU64::new(hi).unwrap_or(NonZeroU64::MAX),
        }
    }

    /// The component's bytes: a buffer and how many of them it is.
    fn bytes(&self) -> ([u8; 16], usize) {
        let hi = self.hi.get();
        let n = ((hi >> 56) & !LEN_MARK) as usize;
        let words = u128::from(self.lo) | u128::from(hi) << 64;
        (words.to_le_bytes(), n.min(SHORT))
    }
}

/// `b`, shorter than eight bytes, as a little-endian word: two overlapping
/// four-byte loads, or up to three single bytes.
#[inline]
fn below_eight(b: &[u8]) -> u64 {
    let n = b.len();
    if let (Some(first), Some(last)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        let (first, last) = (u32::from_le_bytes(*first), u32::from_le_bytes(*last));
        return u64::from(first) | u64::from(last) << (8 * (n - 4));
    }
    let at = |i: usize| b.get(i).map_or(0, |&x| u64::from(x) << (8 * i));
    at(0) | at(n / 2) | at(n.wrapping_sub(1))
}

impl<'a> Key<'a> {
    /// The key of component `name`.
    #[inline]
    pub(crate) fn of(name: &'a str) -> Self {
        if name.len() <= SHORT {
            Key::Short(Short::of(name.as_bytes()))
        } else {
            Key::Long(name)
        }
    }
}

impl Hash for Key<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::Short(s) => {
                state.write_u64(s.lo);
                state.write_u64(s.hi.get());
            }
            Key::Long(s) => state.write(s.as_bytes()),
        }
    }
}

impl hashbrown::Equivalent<Name> for Key<'_> {
    #[inline]
    fn equivalent(&self, name: &Name) -> bool {
        name.is(*self)
    }
}

impl Name {
    /// The key this name is looked up by.
    #[inline]
    pub(crate) fn key(&self) -> Key<'_> {
        match &self.0 {
            Repr::Short(s) => Key::Short(*s),
            Repr::Long(s) => Key::Long(s),
        }
    }

    /// Whether this is the component `key` names.
    #[inline]
    pub(crate) fn is(&self, key: Key<'_>) -> bool {
        match (&self.0, key) {
            (Repr::Short(a), Key::Short(b)) => *a == b,
            (Repr::Long(a), Key::Long(b)) => ***a == *b,
            _ => false,
        }
    }
}

impl Name {
    /// Whether both are the same long name's one allocation.
    #[cfg(test)]
    pub(crate) fn shares_allocation_with(&self, other: &Name) -> bool {
        match (&self.0, &other.0) {
            (Repr::Long(a), Repr::Long(b)) => NodeArc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Key<'_>> for Name {
    #[inline]
    fn from(key: Key<'_>) -> Self {
        Name(match key {
            Key::Short(s) => Repr::Short(s),
            Key::Long(s) => Repr::Long(NodeArc::new(s.into())),
        })
    }
}

impl From<&str> for Name {
    fn from(name: &str) -> Self {
        Name::from(Key::of(name))
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.is(other.key())
    }
}

impl Eq for Name {}

impl Hash for Name {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Short(s) => {
                let (bytes, n) = s.bytes();
                // Made from a `&str` cut at separators: valid UTF-8.
                f.write_str(&String::from_utf8_lossy(&bytes[..n]))
            }
            Key::Long(s) => f.write_str(s),
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.key().fmt(f)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_two_words() {
        assert_eq!(std::mem::size_of::<Name>(), 16);
    }

    #[test]
    fn every_short_name_reads_back_and_differs_from_its_neighbours() {
        use std::hash::BuildHasher;
        // One builder: each draws its own seed.
        let hasher = hashbrown::DefaultHashBuilder::default();
        // Every length, with bytes that differ by position, and a zero byte
        // that must not read as padding.
        let all: Vec<String> = (0..=if cfg!(miri) { 17 } else { 24 })
            .flat_map(|n| {
                let s: String = (0..n).map(|i| char::from(b'a' + i as u8)).collect();
                let z: String = (0..n)
                    .map(|i| if i + 1 == n { '\0' } else { 'x' })
                    .collect();
                [s, z]
            })
            .collect();
        for a in &all {
            let name = Name::from(a.as_str());
            assert_eq!(name.to_string(), *a);
            assert_eq!(matches!(Key::of(a), Key::Short(_)), a.len() <= SHORT);
            for b in &all {
                let same = a == b;
                assert_eq!(name.is(Key::of(b)), same, "{a:?} {b:?}");
                assert_eq!(name == Name::from(b.as_str()), same, "{a:?} {b:?}");
                if same {
                    assert_eq!(hasher.hash_one(&name), hasher.hash_one(Key::of(b)));
                }
            }
        }
    }

    #[test]
    fn unicode_names_read_back() {
        for s in ["é", "αβγ", "日本語のな", "🦀🦀🦀🦀", "mixed→names→longer"] {
            assert_eq!(Name::from(s).to_string(), s);
        }
    }
}
