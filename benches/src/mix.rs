//! The file-system-like mix: Zipf-distributed paths of depth 2 to 8,
//! 89% reads, 10% writes, 1% "save" steps (write, rename to a sibling, release).

use rand::{rngs::SmallRng, Rng, SeedableRng};

use crate::subject::PathLock;
use crate::zipf::Zipf;

/// Distinct paths the mix draws from.
pub const PATHS: usize = 10_000;

/// Operations pre-drawn per thread (the sequence repeats).
pub const OPS: usize = 1 << 16;

/// One operation of the mix, by index into the path list.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Read-lock and release.
    Read(u32),
    /// Write-lock and release.
    Write(u32),
    /// Write-lock, rename to the thread's sibling name, release.
    Save(u32),
}

/// The paths and one operation sequence per thread.
pub struct Mix {
    paths: Vec<String>,
    renamed: Vec<Vec<String>>,
    ops: Vec<Vec<Op>>,
}

impl Mix {
    /// A mix for `threads` threads, fixed by `seed`.
    pub fn new(threads: usize, seed: u64) -> Self {
        let mut rng = SmallRng::seed_from_u64(seed);
        let dirs = Zipf::new(8, 1.0);
        let paths: Vec<String> = (0..PATHS)
            .map(|i| {
                let depth = 2 + i % 7;
                let mut p = String::new();
                for level in 0..depth {
                    if level > 0 {
                        p.push('/');
                    }
                    if level + 1 == depth {
                        p.push_str(&format!("f{i}"));
                    } else {
                        p.push_str(&format!("l{level}_{}", dirs.sample(&mut rng)));
                    }
                }
                p
            })
            .collect();
        let renamed = (0..threads)
            .map(|t| paths.iter().map(|p| format!("{p}~{t}")).collect())
            .collect();
        let pick = Zipf::new(PATHS, 1.0);
        let ops = (0..threads)
            .map(|_| {
                (0..OPS)
                    .map(|_| {
                        let i = pick.sample(&mut rng) as u32;
                        match rng.gen_range(0..100) {
                            0 => Op::Save(i),
                            1..=10 => Op::Write(i),
                            _ => Op::Read(i),
                        }
                    })
                    .collect()
            })
            .collect();
        Mix {
            paths,
            renamed,
            ops,
        }
    }

    /// Runs operation `n` of thread `t`'s sequence on `lock`.
    #[inline]
    pub fn run<L: PathLock>(&self, lock: &L, t: usize, n: usize) {
        match self.ops[t][n % OPS] {
            Op::Read(i) => drop(lock.read(&self.paths[i as usize])),
            Op::Write(i) => drop(lock.write(&self.paths[i as usize])),
            Op::Save(i) => {
                lock.write_and_rename(&self.paths[i as usize], &self.renamed[t][i as usize])
            }
        }
    }
}
