//! The stateright model of hilok-core (placeholder; see issue 3).
