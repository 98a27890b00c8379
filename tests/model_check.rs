//! Exhaustive model checks of hilok-core (issue 3), run by
//! `cargo test --features model-check`.
//!
//! Every CI configuration must satisfy every property, with exactly the
//! pinned number of unique states (so an accidental change of the model or
//! of the core's behaviour shows up), and every seeded bug must be caught.
//! `cargo run --release -p hilok-model -- check` runs the full set.
#![cfg(feature = "model-check")]

use hilok_model::check::{self, Until};
use hilok_model::{configs, Mutation};

/// Unique states (with owner symmetry reduction) per CI configuration.
/// Keep in step with `docs/spec.md`.
const PINNED: &[(&str, usize)] = &[
    ("ordered-strict", 36407),
    ("ordered-recursive-write", 42756),
    ("ordered-recursive-oneway", 52623),
    ("ordered-recursive", 60640),
    ("ordered-strict-loose-read", 1439),
    ("ordered-recursive-write-loose", 1533),
    ("ordered-recursive-oneway-loose-write", 1388),
    ("ordered-recursive-loose", 14466),
    ("ordered-try", 115074),
    ("ordered-timeout", 155304),
    ("ordered-three-owners", 8857),
    ("free-strict", 5252),
    ("free-recursive", 7377),
    ("free-recursive-timeout", 19333),
    ("rename-free", 848),
    ("rename-held", 589),
    ("rename-ancestor", 1701),
    ("rename-descendant", 1154),
    ("rename-deep", 2473),
    ("rename-try-timeout", 607),
    ("rename-ordered", 590),
    ("rename-merge", 4122),
    ("rename-three-owners", 726),
    ("tla-mirror", 6811),
];

#[test]
fn every_ci_configuration_satisfies_every_property_with_its_pinned_state_count() {
    let ci: Vec<_> = configs::all().into_iter().filter(|c| c.ci).collect();
    let names: Vec<&str> = ci.iter().map(|c| c.name).collect();
    let pinned: Vec<&str> = PINNED.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names.len(),
        pinned.len(),
        "CI configurations {names:?} vs pinned {pinned:?}"
    );
    for cfg in &ci {
        let report = check::run(cfg, 2, Until::Complete);
        let failures: Vec<String> = report
            .rows
            .iter()
            .filter(|r| !r.holds)
            .map(|r| {
                format!(
                    "{}: {}",
                    r.property,
                    r.path.as_deref().unwrap_or("(no path)")
                )
            })
            .collect();
        assert!(failures.is_empty(), "{}: {failures:#?}", cfg.name);
        let expected = PINNED.iter().find(|(n, _)| *n == cfg.name).map(|(_, n)| *n);
        assert_eq!(
            Some(report.unique_states),
            expected,
            "{}: unique states changed; if intended, update PINNED and docs/spec.md",
            cfg.name
        );
        println!(
            "{:<26} {:>8} states {:>6.2}s",
            cfg.name,
            report.unique_states,
            report.elapsed.as_secs_f64()
        );
    }
}

#[test]
fn every_seeded_bug_is_caught_by_the_expected_property_and_its_path_printed() {
    let expected = |m: Mutation| match m {
        Mutation::ReaderPreference => "no_overtaking",
        Mutation::DroppedWakeupOnCancel => "accounting",
        Mutation::NoEscalationCheck => "deadlock_free",
        Mutation::RenameWithoutWaiting => "exclusion",
        Mutation::RenameBesideEscalation => "accounting",
    };
    let mutants = configs::mutations();
    assert_eq!(mutants.len(), Mutation::ALL.len());
    for (m, cfg) in mutants {
        let report = check::run(&cfg, 1, Until::FirstFailure);
        let row = report
            .rows
            .iter()
            .find(|r| r.property == expected(m))
            .unwrap_or_else(|| panic!("{}: no property {}", m.name(), expected(m)));
        assert!(
            !row.holds,
            "{} was not caught by {}",
            m.name(),
            row.property
        );
        let path = row.path.as_deref().expect("a counterexample path");
        assert!(path.lines().count() >= 2, "{path}");
        println!("{} caught by {}:\n{path}", m.name(), row.property);
    }
}
