//! Percentiles of measured durations.

use std::time::Duration;

/// The `q`-quantile (0 to 1, nearest rank) of `xs`; zero when empty.
pub fn quantile(xs: &[Duration], q: f64) -> Duration {
    let mut v = xs.to_vec();
    v.sort_unstable();
    match v.len() {
        0 => Duration::ZERO,
        n => v[((q * n as f64).ceil() as usize).clamp(1, n) - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let xs: Vec<_> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(quantile(&xs, 0.5), Duration::from_micros(50));
        assert_eq!(quantile(&xs, 0.99), Duration::from_micros(99));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }
}
