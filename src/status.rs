//! A read-only view of one node, for monitoring and tests.

use hilok_core::node::Want;
use hilok_core::{path, Mode};

use crate::error::Error;
use crate::node::Locked;
use crate::Inner;

/// Who holds and awaits one path prefix at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Status {
    /// Owners holding it shared (and not exclusive).
    pub readers: usize,
    /// Owners holding it exclusive.
    pub writers: usize,
    /// Requests waiting for it (escalations included, renames excluded).
    pub waiting: usize,
}

impl Inner {
    /// The status of `path`'s node; all zero when no node exists there.
    pub(crate) fn status(&self, path: &str) -> Result<Status, Error> {
        path::depth(path, self.sep)?;
        let mut held: Option<Locked> = None;
        for name in path::components(path, self.sep) {
            let Some(g) = self.table.child_existing(held.as_ref(), name) else {
                return Ok(Status::default());
            };
            held = Some(g);
        }
        let Some(g) = held else {
            return Ok(Status::default());
        };
        Ok(status_of(&g))
    }
}

fn status_of(g: &Locked) -> Status {
    let mut s = Status::default();
    for h in g.state.holders() {
        match h.counts.effective() {
            Some(Mode::Exclusive) => s.writers += 1,
            Some(Mode::Shared) => s.readers += 1,
            None => {}
        }
    }
    s.waiting = g.state.queue().filter(|e| e.want != Want::Watch).count();
    s
}
