//! The recursion modes and the re-entry table, written out as match arms
//! from `docs/semantics.md` (Recursion).

/// The recursion mode: the low two bits of the flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recursion {
    /// `STRICT` (0): only shared stacks on shared.
    Strict,
    /// `RECURSIVE_WRITE` (1): write re-enters write.
    RecursiveWrite,
    /// `RECURSIVE_ONEWAY` (2): write re-enters read and write.
    RecursiveOneway,
    /// `RECURSIVE` (3): everything re-enters; read escalates to write.
    Recursive,
}

impl Recursion {
    /// The mode selected by the low two bits of `flags`.
    pub fn from_flag_bits(flags: u32) -> Recursion {
        match flags & 3 {
            0 => Recursion::Strict,
            1 => Recursion::RecursiveWrite,
            2 => Recursion::RecursiveOneway,
            _ => Recursion::Recursive,
        }
    }
}

/// What a request of an owner that already holds the node means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reentry {
    /// `G`: granted at once.
    Grant,
    /// `E`: granted iff no other owner holds the node (try: else it would block).
    Escalate,
    /// `D`: refused with would-deadlock.
    Refuse,
}

/// The table cell for an owner that holds the node (exclusively if
/// `holds_exclusive`, else only shared) and asks for exclusive if
/// `asks_exclusive`, else shared.
pub fn reentry(recursion: Recursion, holds_exclusive: bool, asks_exclusive: bool) -> Reentry {
    use Recursion::*;
    match (recursion, holds_exclusive, asks_exclusive) {
        // Held shared, asks shared: shared always stacks.
        (_, false, false) => Reentry::Grant,
        // Held shared, asks exclusive: only RECURSIVE escalates.
        (Recursive, false, true) => Reentry::Escalate,
        (Strict | RecursiveWrite | RecursiveOneway, false, true) => Reentry::Refuse,
        // Held exclusive, asks shared.
        (Strict | RecursiveWrite, true, false) => Reentry::Refuse,
        (RecursiveOneway | Recursive, true, false) => Reentry::Grant,
        // Held exclusive, asks exclusive.
        (Strict, true, true) => Reentry::Refuse,
        (RecursiveWrite | RecursiveOneway | Recursive, true, true) => Reentry::Grant,
    }
}
