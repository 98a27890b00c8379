//! What each owner holds on one node, derived from the live guards.
//!
//! A guard on path `p` holds its mode on `p` and shared on every proper
//! prefix of `p` (`docs/semantics.md`, Protocol). Node states are never
//! stored: they are recomputed from the guards whenever needed.

use std::collections::BTreeMap;

/// One owner's holdings on one node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Shared holdings.
    pub shared: u32,
    /// Exclusive holdings.
    pub exclusive: u32,
}

impl Held {
    /// No holding at all.
    pub fn is_empty(&self) -> bool {
        self.shared == 0 && self.exclusive == 0
    }

    /// Holdings of both modes together.
    pub fn total(&self) -> u32 {
        self.shared + self.exclusive
    }

    /// Whether the owner holds the node exclusively (in effect).
    pub fn is_exclusive(&self) -> bool {
        self.exclusive > 0
    }

    /// Whether these holdings and `other`'s, of two different owners, may
    /// coexist: only shared goes with shared.
    pub fn coexists_with(&self, other: &Held) -> bool {
        self.is_empty() || other.is_empty() || (self.exclusive == 0 && other.exclusive == 0)
    }

    /// Adds `other`.
    pub fn add(&mut self, other: &Held) {
        self.shared += other.shared;
        self.exclusive += other.exclusive;
    }

    /// Subtracts `other`; `None` if that would go below zero.
    pub fn minus(&self, other: &Held) -> Option<Held> {
        Some(Held {
            shared: self.shared.checked_sub(other.shared)?,
            exclusive: self.exclusive.checked_sub(other.exclusive)?,
        })
    }
}

/// Every owner's holdings on one node (owners holding nothing are absent).
pub type NodeHoldings = BTreeMap<usize, Held>;
