//! A read-only view of one node, for monitoring and tests.

use hilok_core::node::Want;
use hilok_core::{path, Mode};

use crate::error::Error;
use crate::node::{with_current, Locked, NodeRef};
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
        let mut node: Option<NodeRef> = None;
        for name in path::components(path, self.sep) {
            let next = self.table.lookup(node.as_ref(), name, false);
            if let Some(n) = node.take() {
                self.table.unpin(&n);
            }
            match next {
                Some(n) => node = Some(n),
                None => return Ok(Status::default()),
            }
        }
        let Some(node) = node else {
            return Ok(Status::default());
        };
        let status = status_of(&with_current(&node, |_, g| status_of_data(g)));
        self.table.unpin(&node);
        Ok(status)
    }
}

fn status_of(s: &Status) -> Status {
    *s
}

fn status_of_data(g: &Locked<'_>) -> Status {
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
