//! Human-readable actions, as printed in counterexamples.

use crate::action::Action;
use crate::state::WaitKind;

fn verb(write: bool, wait: WaitKind) -> String {
    let base = if write { "write" } else { "read" };
    match wait {
        WaitKind::Block => base.to_owned(),
        WaitKind::Try => format!("try_{base}"),
        WaitKind::Timed => format!("{base}_for"),
    }
}

fn rename_verb(wait: WaitKind) -> &'static str {
    match wait {
        WaitKind::Block => "rename",
        WaitKind::Try => "try_rename",
        WaitKind::Timed => "rename_for",
    }
}

/// One action as `owner N: what`.
pub fn action(a: &Action) -> String {
    match a {
        Action::Acquire {
            owner,
            path,
            write,
            wait,
        } => format!("owner {owner}: Acquire {}({path})", verb(*write, *wait)),
        Action::Step { owner } => {
            format!("owner {owner}: Step (next node of the acquisition or release)")
        }
        Action::Wake { owner } => format!("owner {owner}: Wake (act on the core's wake-up)"),
        Action::Timeout { owner } => format!("owner {owner}: Timeout (deadline passes, cancel)"),
        Action::Release {
            owner,
            holder,
            guard,
        } if owner == holder => {
            format!(
                "owner {owner}: Release {}({})",
                if guard.write { "write" } else { "read" },
                guard.path
            )
        }
        Action::Release {
            owner,
            holder,
            guard,
        } => format!(
            "owner {owner}: Release owner {holder}'s {}({}) (loose)",
            if guard.write { "write" } else { "read" },
            guard.path
        ),
        Action::Rename {
            owner,
            from,
            to,
            wait,
        } => format!("owner {owner}: Rename {}({from}, {to})", rename_verb(*wait)),
    }
}
