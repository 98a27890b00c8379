//! Criterion settings shared by every criterion bench: short, because the
//! machine is small and shared and every claim is a ratio within one run.

use std::time::Duration;

use criterion::Criterion;

/// Samples per benchmark.
pub const SAMPLE_SIZE: usize = 20;

/// The criterion configuration: 1 s warm-up, 2 s measurement, 20 samples.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(SAMPLE_SIZE)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
        .configure_from_args()
}
