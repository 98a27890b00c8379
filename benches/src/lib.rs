//! Benchmark baselines (placeholder; see issue 5).
