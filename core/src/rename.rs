//! The rename plan: which nodes a rename changes, and how.
//!
//! `rename(from, to)` moves the node at `from`, with everything held at and
//! below it, to `to`. Each guard at or below `from` holds one holding on
//! `from` and one shared holding on each ancestor of `from`; after the move it
//! must hold the same on `to` and the ancestors of `to`. The plan names the
//! nodes by their path prefix ([`Site`]) and says what each one loses and
//! gains; [`RenamePlan::transfer_lists`] turns the moved node's holders into
//! the per-owner amounts.

use alloc::vec::Vec;
use core::ops::Range;

use crate::counts::Counts;
use crate::mode::Mode;
use crate::node::Holder;
use crate::owner::OwnerId;

/// Per-owner holdings moved by a rename.
pub type Amounts = Vec<(OwnerId, Counts)>;

/// Why a rename has no meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RenameError {
    /// `to` lies strictly below `from`: a subtree cannot move into itself.
    IntoItself,
}

/// A node of the rename, named by the length of its path prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Site {
    /// The prefix of `from` with this many components.
    From(usize),
    /// The prefix of `to` with this many components.
    To(usize),
}

/// What one node gains in a rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gain {
    /// Nothing.
    Nothing,
    /// One shared holding per moved holding: a new ancestor.
    AncestorHolds,
    /// The moved node's own holdings: the destination, when a node exists there.
    Holdings,
}

/// One node's part in a rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Change {
    /// Which node.
    pub site: Site,
    /// Whether it loses one shared holding per moved holding (an old ancestor).
    pub loses_ancestor_holds: bool,
    /// What it gains.
    pub gain: Gain,
}

/// How a rename of a `from_len`-component path onto a `to_len`-component path
/// sharing `common` leading components changes the nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RenamePlan {
    /// Components of `from`.
    pub from_len: usize,
    /// Components of `to`.
    pub to_len: usize,
    /// Leading components the two paths share.
    pub common: usize,
}

impl RenamePlan {
    /// Plans `rename(from, to)`; `Ok(None)` when the paths are the same.
    pub fn new<'a, I>(from: I, to: I) -> Result<Option<RenamePlan>, RenameError>
    where
        I: Iterator<Item = &'a str> + Clone,
    {
        let from_len = from.clone().count();
        let to_len = to.clone().count();
        let common = from.zip(to).take_while(|(a, b)| a == b).count();
        if common == from_len && common == to_len {
            return Ok(None);
        }
        if common == from_len {
            return Err(RenameError::IntoItself);
        }
        Ok(Some(RenamePlan {
            from_len,
            to_len,
            common,
        }))
    }

    /// Whether `to` is a proper prefix of `from` (a move onto an ancestor,
    /// which therefore exists and is merged into).
    pub fn onto_ancestor(&self) -> bool {
        self.common == self.to_len
    }

    /// Leading prefixes that are proper ancestors of both paths: untouched.
    pub fn kept(&self) -> usize {
        self.common.min(self.to_len - 1)
    }

    /// Prefix lengths of `from` that lose ancestor holdings.
    pub fn old_ancestors(&self) -> Range<usize> {
        self.kept() + 1..self.from_len
    }

    /// Prefix lengths of `to` that gain ancestor holdings.
    pub fn new_ancestors(&self) -> Range<usize> {
        (self.kept() + 1).min(self.to_len)..self.to_len
    }

    /// The destination's site: a `from` site when it is an old ancestor.
    pub fn destination(&self) -> Site {
        if self.onto_ancestor() {
            Site::From(self.to_len)
        } else {
            Site::To(self.to_len)
        }
    }

    /// Every node whose holdings change, root first; `dest_exists` says
    /// whether a node is already at `to` (else the moved node takes its place
    /// unchanged).
    pub fn changes(&self, dest_exists: bool) -> Vec<Change> {
        let dest = self.destination();
        let mut out: Vec<Change> = self
            .old_ancestors()
            .map(|k| Change {
                site: Site::From(k),
                loses_ancestor_holds: true,
                gain: if Site::From(k) == dest {
                    Gain::Holdings
                } else {
                    Gain::Nothing
                },
            })
            .collect();
        out.extend(self.new_ancestors().map(|k| Change {
            site: Site::To(k),
            loses_ancestor_holds: false,
            gain: Gain::AncestorHolds,
        }));
        if dest_exists && !self.onto_ancestor() {
            out.push(Change {
                site: dest,
                loses_ancestor_holds: false,
                gain: Gain::Holdings,
            });
        }
        out
    }

    /// The per-owner amounts for the moved node's `holders`: its own
    /// holdings, and one shared holding per holding (for ancestors).
    pub fn transfer_lists(holders: &[Holder]) -> (Amounts, Amounts) {
        let own = holders.iter().map(|h| (h.owner, h.counts)).collect();
        let ancestor = holders
            .iter()
            .map(|h| (h.owner, Counts::of(Mode::Shared, h.counts.total())))
            .collect();
        (own, ancestor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(from: &str, to: &str) -> Result<Option<RenamePlan>, RenameError> {
        RenamePlan::new(from.split('/'), to.split('/'))
    }

    #[test]
    fn same_path_is_a_no_op_and_into_itself_is_refused() {
        assert_eq!(plan("a/b", "a/b"), Ok(None));
        assert_eq!(plan("a/b", "a/b/c"), Err(RenameError::IntoItself));
    }

    #[test]
    fn disjoint_trees() {
        let p = plan("a/b/c", "x/y").unwrap().unwrap();
        assert_eq!(p.old_ancestors(), 1..3);
        assert_eq!(p.new_ancestors(), 1..2);
        assert_eq!(p.destination(), Site::To(2));
        assert_eq!(p.changes(false).len(), 3);
        assert_eq!(p.changes(true).len(), 4);
    }

    #[test]
    fn siblings_keep_the_parent() {
        let p = plan("a/b", "a/c").unwrap().unwrap();
        assert_eq!(p.old_ancestors(), 2..2);
        assert_eq!(p.new_ancestors(), 2..2);
        assert!(p.changes(false).is_empty());
    }

    #[test]
    fn onto_an_ancestor_merges_into_it() {
        let p = plan("a/b/c/d", "a/b").unwrap().unwrap();
        assert!(p.onto_ancestor());
        assert_eq!(p.old_ancestors(), 2..4);
        assert!(p.new_ancestors().is_empty());
        let c = p.changes(true);
        assert_eq!(c[0].site, Site::From(2));
        assert_eq!(c[0].gain, Gain::Holdings);
        assert!(c[0].loses_ancestor_holds);
        assert_eq!(c[1].gain, Gain::Nothing);
    }

    #[test]
    fn shallow_to_deep() {
        let p = plan("a", "x/y/z").unwrap().unwrap();
        assert_eq!(p.old_ancestors(), 1..1);
        assert_eq!(p.new_ancestors(), 1..3);
    }
}
