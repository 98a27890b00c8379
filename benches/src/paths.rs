//! The paths the workloads lock.

/// The hot path of `depth` components: `d0/d1/.../d{depth-1}`.
pub fn hot(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/")
}

/// Size of the cold pool.
pub const COLD_POOL: usize = 100_000;

/// `n` distinct depth-4 paths sharing the 2-level prefix `cold/pool`, in a
/// scattered order: `cold/pool/g{k/100}/f{k}` for a permutation `k` of `0..n`.
pub fn cold_pool(n: usize) -> Vec<String> {
    // Multiplying by a unit modulo n scatters the indices without an RNG.
    let step = (1..n)
        .rev()
        .find(|s| gcd(*s, n) == 1 && *s < n / 2 + 7)
        .unwrap_or(1);
    (0..n)
        .map(|i| {
            let k = i * step % n.max(1);
            format!("cold/pool/g{}/f{k}", k / 100)
        })
        .collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The `i`-th of the memory workload's distinct depth-4 paths: a tree with
/// fan-out 100, 100, 10 and 10, so 1,000,000 leaves make 1,110,100 nodes.
pub fn tree4(i: usize) -> String {
    format!(
        "m{}/n{}/o{}/p{}",
        i / 10_000,
        i / 100 % 100,
        i / 10 % 10,
        i % 10
    )
}

/// Nodes that the first `n` paths of [`tree4`] make, when `n` is a
/// multiple of 10,000.
pub fn tree4_nodes(n: usize) -> usize {
    n / 10_000 + n / 100 + n / 10 + n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cold_pool_is_distinct() {
        let mut p = cold_pool(1000);
        p.sort();
        p.dedup();
        assert_eq!(p.len(), 1000);
    }

    #[test]
    fn tree4_counts() {
        let mut nodes = std::collections::HashSet::new();
        for i in 0..20_000 {
            let p = tree4(i);
            let mut end = 0;
            for c in p.split('/') {
                end += c.len() + usize::from(end > 0);
                nodes.insert(p[..end].to_owned());
            }
        }
        assert_eq!(nodes.len(), tree4_nodes(20_000));
    }

    #[test]
    fn hot_depth() {
        assert_eq!(hot(4), "d0/d1/d2/d3");
    }
}
