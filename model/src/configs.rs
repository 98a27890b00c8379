//! The named configurations. Each is small enough to check exhaustively;
//! together they cover every recursion mode, the loose flags, escalation and
//! de-escalation, try and timed waits, and renames onto free, held,
//! ancestor and descendant paths.

use hilok_core::Flags;

use crate::config::{Config, Kind, Mutation};
use crate::reach::Reach;
use crate::state::WaitKind::{Block, Timed, Try};

/// Every configuration whose properties must all hold.
pub fn all() -> Vec<Config> {
    use Reach::*;
    let abc = ["a", "a/b", "a/c"];
    vec![
        // Each recursion mode, in lock order.
        Config::new(
            "ordered-strict",
            "STRICT; read/write a, a/b, a/c in lock order",
            Kind::Ordered,
            Flags::STRICT,
        )
        .owners(2, 3)
        .paths(&abc)
        .reach(&[AllDone, WriterWaitsBehindReader]),
        Config::new(
            "ordered-recursive-write",
            "RECURSIVE_WRITE; lock order",
            Kind::Ordered,
            Flags::RECURSIVE_WRITE,
        )
        .owners(2, 3)
        .paths(&abc)
        .reach(&[AllDone, WriterWaitsBehindReader]),
        Config::new(
            "ordered-recursive-oneway",
            "RECURSIVE_ONEWAY; de-escalation (write, then read)",
            Kind::Ordered,
            Flags::RECURSIVE_ONEWAY,
        )
        .owners(2, 3)
        .paths(&abc)
        .reach(&[AllDone, SharedAndExclusive]),
        Config::new(
            "ordered-recursive",
            "RECURSIVE; escalation, de-escalation, re-entry past waiters",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(2, 3)
        .paths(&abc)
        .reach(&[
            AllDone,
            WriterWaitsBehindReader,
            WaiterOvertakenByReentry,
            EscalationSucceeds,
            SecondEscalatorWouldDeadlock,
            SharedAndExclusive,
        ]),
        // Each recursion mode with loose flags: guards released by the other owner.
        Config::new(
            "ordered-strict-loose-read",
            "STRICT|LOOSE_READ_UNLOCK",
            Kind::Ordered,
            Flags::STRICT | Flags::LOOSE_READ_UNLOCK,
        )
        .reach(&[AllDone, LooseRelease]),
        Config::new(
            "ordered-recursive-write-loose",
            "RECURSIVE_WRITE|LOOSE_UNLOCK",
            Kind::Ordered,
            Flags::RECURSIVE_WRITE | Flags::LOOSE_UNLOCK,
        )
        .reach(&[AllDone, LooseRelease]),
        Config::new(
            "ordered-recursive-oneway-loose-write",
            "RECURSIVE_ONEWAY|LOOSE_WRITE_UNLOCK",
            Kind::Ordered,
            Flags::RECURSIVE_ONEWAY | Flags::LOOSE_WRITE_UNLOCK,
        )
        .reach(&[AllDone, LooseRelease]),
        Config::new(
            "ordered-recursive-loose",
            "RECURSIVE|LOOSE_UNLOCK; a waiting escalator's guard released by the other owner",
            Kind::Ordered,
            Flags::RECURSIVE | Flags::LOOSE_UNLOCK,
        )
        .owners(2, 3)
        .reach(&[AllDone, LooseRelease, EscalationSucceeds]),
        // Try and timed acquisitions.
        Config::new(
            "ordered-try",
            "RECURSIVE; blocking and try acquisitions",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(2, 3)
        .paths(&abc)
        .waits(&[Block, Try])
        .reach(&[AllDone, TryWouldBlock]),
        Config::new(
            "ordered-timeout",
            "RECURSIVE; blocking and timed acquisitions",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(2, 3)
        .paths(&abc)
        .waits(&[Block, Timed])
        .reach(&[AllDone, TimeoutMidPath]),
        Config::new(
            "ordered-three-owners",
            "RECURSIVE; three owners, blocking and timed",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(3, 1)
        .paths(&abc)
        .waits(&[Block, Timed])
        .reach(&[AllDone, WriterWaitsBehindReader, TimeoutMidPath]),
        // Any order: every stuck state is a user lock-order cycle.
        Config::new(
            "free-strict",
            "STRICT; any order on a, a/b, a/c",
            Kind::Free,
            Flags::STRICT,
        )
        .paths(&abc)
        .reach(&[AllDone, UserDeadlock]),
        Config::new(
            "free-recursive",
            "RECURSIVE; any order on a, a/b, a/c",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&abc)
        .reach(&[AllDone, UserDeadlock, EscalationSucceeds]),
        Config::new(
            "free-recursive-timeout",
            "RECURSIVE; any order, timed waits break user cycles",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&abc)
        .waits(&[Block, Timed])
        .reach(&[AllDone, UserDeadlock, TimeoutMidPath]),
        // Renames.
        Config::new(
            "rename-free",
            "rename a/b onto the free path c; waiters at a/b are moved",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a/b"])
        .renames(&[("a/b", "c")], &[Block])
        .reach(&[AllDone, RenameSucceeds, WaiterMoved]),
        Config::new(
            "rename-held",
            "rename a onto c, which others hold: it waits",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a", "c"])
        .renames(&[("a", "c")], &[Block])
        .reach(&[AllDone, RenameSucceeds, RenameOntoHeldWaits]),
        Config::new(
            "rename-ancestor",
            "rename a/b onto its ancestor a (merge)",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a", "a/b"])
        .renames(&[("a/b", "a")], &[Block])
        .reach(&[AllDone, RenameSucceeds]),
        Config::new(
            "rename-descendant",
            "rename a (with a/b held below it) onto c; a onto a/b is refused",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a/b"])
        .renames(&[("a", "c"), ("a", "a/b")], &[Block])
        .reach(&[AllDone, RenameSucceeds]),
        Config::new(
            "rename-deep",
            "rename a/b onto x/y and back while others hold below and around",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a/b", "x"])
        .renames(&[("a/b", "x/y"), ("x/y", "a/b")], &[Block])
        .reach(&[AllDone, RenameSucceeds, RenameOntoHeldWaits]),
        Config::new(
            "rename-try-timeout",
            "try and timed renames of a onto c",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a", "c"])
        .renames(&[("a", "c")], &[Try, Timed])
        .reach(&[AllDone, RenameSucceeds, TryWouldBlock]),
        Config::new(
            "rename-ordered",
            "renames by owners holding nothing, in lock order",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(3, 1)
        .paths(&["a/b", "c"])
        .renames(&[("a/b", "c"), ("c", "a/b")], &[Block])
        .reach(&[AllDone, RenameSucceeds, WaiterMoved]),
        Config::new(
            "rename-merge",
            "rename a onto c while a/x and c/x are held: the merge waits for c/x",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .paths(&["a/x", "c/x"])
        .renames(&[("a", "c")], &[Block, Timed])
        .reach(&[AllDone, RenameSucceeds, RenameOntoHeldWaits]),
        Config::new(
            "rename-three-owners",
            "renames onto free, held and ancestor paths among three owners",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .owners(3, 1)
        .paths(&["a/b", "c"])
        .renames(&[("a/b", "c"), ("a/b", "a"), ("c", "a/b")], &[Block, Timed])
        .reach(&[AllDone, RenameSucceeds, RenameOntoHeldWaits, WaiterMoved]),
        // Mirrored by TLA/MCHiLok.tla and .cfg (no symmetry reduction, so the
        // count is comparable with TLC's distinct states).
        Config {
            symmetry: false,
            ..Config::new(
                "tla-mirror",
                "RECURSIVE; a, a/b; blocking and timed; the TLC configuration",
                Kind::Ordered,
                Flags::RECURSIVE,
            )
            .waits(&[Block, Timed])
            .reach(&[
                AllDone,
                WriterWaitsBehindReader,
                EscalationSucceeds,
                TimeoutMidPath,
            ])
        },
        // Larger, for `hilok-model check` only.
        Config::new(
            "big-ordered-recursive",
            "RECURSIVE; three owners, two operations, a, a/b, a/c",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(3, 2)
        .paths(&abc)
        .reach(&[
            AllDone,
            WriterWaitsBehindReader,
            WaiterOvertakenByReentry,
            EscalationSucceeds,
            SecondEscalatorWouldDeadlock,
        ])
        .full_only(),
        Config::new(
            "big-ordered-strict",
            "STRICT; three owners, two operations, a, a/b, a/c",
            Kind::Ordered,
            Flags::STRICT,
        )
        .owners(3, 2)
        .paths(&abc)
        .reach(&[AllDone, WriterWaitsBehindReader])
        .full_only(),
        Config::new(
            "big-ordered-all-waits",
            "RECURSIVE|LOOSE_UNLOCK; blocking, try and timed, three operations each",
            Kind::Ordered,
            Flags::RECURSIVE | Flags::LOOSE_UNLOCK,
        )
        .owners(2, 3)
        .paths(&abc)
        .waits(&[Block, Try, Timed])
        .reach(&[
            AllDone,
            TryWouldBlock,
            TimeoutMidPath,
            EscalationSucceeds,
            LooseRelease,
        ])
        .full_only(),
        Config::new(
            "big-free-recursive",
            "RECURSIVE; any order, three operations each",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .owners(2, 3)
        .paths(&abc)
        .waits(&[Block, Timed])
        .reach(&[AllDone, UserDeadlock, EscalationSucceeds])
        .full_only(),
        Config::new(
            "big-ordered-deep",
            "RECURSIVE; three operations each on a, a/b, a/b/d, a/c; blocking and timed",
            Kind::Ordered,
            Flags::RECURSIVE,
        )
        .owners(2, 3)
        .paths(&["a", "a/b", "a/b/d", "a/c"])
        .waits(&[Block, Timed])
        .reach(&[
            AllDone,
            WriterWaitsBehindReader,
            TimeoutMidPath,
            EscalationSucceeds,
        ])
        .full_only(),
        Config::new(
            "big-rename",
            "renames onto free, held, ancestor paths; three owners",
            Kind::Free,
            Flags::RECURSIVE,
        )
        .owners(3, 2)
        .paths(&["a/b", "c"])
        .renames(&[("a/b", "c"), ("a/b", "a"), ("c", "a/b")], &[Block, Timed])
        .reach(&[AllDone, RenameSucceeds, RenameOntoHeldWaits, WaiterMoved])
        .full_only(),
    ]
}

/// One configuration per seeded bug: each must make some property fail.
pub fn mutations() -> Vec<(Mutation, Config)> {
    let m = |m: Mutation, c: Config| (m, c.mutated(m));
    vec![
        m(
            Mutation::ReaderPreference,
            Config::new(
                "mutant-reader-preference",
                "a reader passes a waiting writer",
                Kind::Ordered,
                Flags::RECURSIVE,
            )
            .paths(&["a"])
            .owners(3, 1),
        ),
        m(
            Mutation::DroppedWakeupOnCancel,
            Config::new(
                "mutant-dropped-wakeup",
                "a timeout's cancel loses the hand-off",
                Kind::Ordered,
                Flags::RECURSIVE,
            )
            .paths(&["a"])
            .owners(3, 1)
            .waits(&[Block, Timed]),
        ),
        m(
            Mutation::NoEscalationCheck,
            Config::new(
                "mutant-no-escalation-check",
                "two escalators both wait",
                Kind::Ordered,
                Flags::RECURSIVE,
            )
            .paths(&["a"]),
        ),
        m(
            Mutation::RenameWithoutWaiting,
            Config::new(
                "mutant-rename-without-waiting",
                "a rename does not wait for the destination",
                Kind::Free,
                Flags::RECURSIVE,
            )
            .paths(&["a", "c"])
            .owners(2, 2)
            .renames(&[("a", "c")], &[Block]),
        ),
        m(
            Mutation::RenameBesideEscalation,
            Config::new(
                "mutant-rename-beside-escalation",
                "src/rename.rs as shipped: a rename moves a node an escalation waits at",
                Kind::Free,
                Flags::RECURSIVE,
            )
            .paths(&["a/b"])
            .renames(&[("a/b", "c")], &[Block]),
        ),
    ]
}

/// The configuration named `name`, mutated ones included.
pub fn by_name(name: &str) -> Option<Config> {
    all()
        .into_iter()
        .chain(mutations().into_iter().map(|(_, c)| c))
        .find(|c| c.name == name)
}
