//! Paths as the model names them: components joined by `/`.
//!
//! Splitting uses the core's own [`hilok_core::path::components`], so the
//! model sees a path exactly as the runtime does.

use std::cmp::Ordering;
use std::fmt;

/// The separator the model uses.
pub const SEP: char = '/';

/// A path of one or more components, such as `a/b`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(String);

impl Path {
    /// The path spelled `s` (components separated by `/`).
    pub fn new(s: &str) -> Path {
        let comps: Vec<&str> = hilok_core::path::components(s, SEP).collect();
        Path(comps.join("/"))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The components, root first.
    pub fn components(&self) -> impl Iterator<Item = &str> + Clone {
        hilok_core::path::components(&self.0, SEP)
    }

    /// The number of components.
    pub fn depth(&self) -> usize {
        self.components().count()
    }

    /// The prefix with `k` components (`k` at most the depth).
    pub fn prefix(&self, k: usize) -> Path {
        let comps: Vec<&str> = self.components().take(k).collect();
        Path(comps.join("/"))
    }

    /// Every non-empty prefix, root first (the nodes the path takes).
    pub fn prefixes(&self) -> impl Iterator<Item = Path> + '_ {
        (1..=self.depth()).map(|k| self.prefix(k))
    }

    /// Whether `self` is `p` or lies below it.
    pub fn is_at_or_below(&self, p: &Path) -> bool {
        let mut mine = self.components();
        p.components().all(|c| mine.next() == Some(c))
    }

    /// Whether `self` lies strictly below `p`.
    pub fn is_below(&self, p: &Path) -> bool {
        self != p && self.is_at_or_below(p)
    }

    /// The path `self` has after the subtree at `from` moves to `to`, or
    /// `None` when `self` is not at or below `from`.
    pub fn rebase(&self, from: &Path, to: &Path) -> Option<Path> {
        if !self.is_at_or_below(from) {
            return None;
        }
        let rest: Vec<&str> = self.components().skip(from.depth()).collect();
        let mut comps: Vec<&str> = to.components().collect();
        comps.extend(rest);
        Some(Path(comps.join("/")))
    }

    /// The documented lock order: ancestors before descendants, siblings by
    /// name (component-wise lexicographic order).
    pub fn lock_order(&self, other: &Path) -> Ordering {
        self.components().cmp(other.components())
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_rebase() {
        let p = Path::new("a/b/d");
        assert_eq!(p.depth(), 3);
        assert_eq!(p.prefix(2), Path::new("a/b"));
        assert!(p.is_below(&Path::new("a/b")));
        assert!(!Path::new("a/bc").is_at_or_below(&Path::new("a/b")));
        assert_eq!(
            p.rebase(&Path::new("a/b"), &Path::new("c")),
            Some(Path::new("c/d"))
        );
        assert_eq!(p.rebase(&Path::new("a/c"), &Path::new("c")), None);
    }

    #[test]
    fn lock_order_puts_ancestors_first() {
        assert_eq!(Path::new("a").lock_order(&Path::new("a/b")), Ordering::Less);
        assert_eq!(
            Path::new("a/c").lock_order(&Path::new("a/b/d")),
            Ordering::Greater
        );
    }
}
