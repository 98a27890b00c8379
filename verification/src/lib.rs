//! Verification of the runtime against the core (placeholder; see issue 4).
