//! Run mode and result files of the custom (non-criterion) harnesses.
//!
//! `cargo bench` passes `--bench` to every bench binary; `cargo test
//! --benches` does not. Without it the harnesses run a small smoke version
//! and write nothing. With it they print their table and write one JSON
//! object per line to `<target>/hilok-bench/<name>.jsonl`, which
//! `benches/scripts/plot.py` and `benches/scripts/table.py` read.

use std::fmt::Write as _;
use std::path::PathBuf;

/// Whether this is a real measurement (`cargo bench`) rather than a smoke run.
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The cargo target directory this binary was built into.
pub fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    // <target>/<profile>/deps/<bench binary>
    let exe = std::env::current_exe().expect("current exe");
    exe.ancestors().nth(3).expect("target dir").to_path_buf()
}

/// One measured figure set: which workload, which lock manager, and named
/// numbers.
pub struct Record {
    workload: String,
    subject: String,
    fields: Vec<(String, f64)>,
}

impl Record {
    /// An empty record.
    pub fn new(workload: &str, subject: &str) -> Self {
        Record {
            workload: workload.into(),
            subject: subject.into(),
            fields: Vec::new(),
        }
    }

    /// Adds a number.
    pub fn field(mut self, name: &str, value: f64) -> Self {
        self.fields.push((name.into(), value));
        self
    }

    fn json(&self) -> String {
        let mut s = format!(
            "{{\"workload\":\"{}\",\"subject\":\"{}\"",
            self.workload, self.subject
        );
        for (k, v) in &self.fields {
            let _ = write!(s, ",\"{k}\":{v}");
        }
        s.push('}');
        s
    }

    fn line(&self) -> String {
        let mut s = format!("{:<28} {:<10}", self.workload, self.subject);
        for (k, v) in &self.fields {
            let _ = write!(s, " {k}={v:.6}");
        }
        s
    }
}

/// Prints `records`, and when [`measuring`] writes them to
/// `<target>/hilok-bench/<name>.jsonl`.
pub fn publish(name: &str, records: &[Record]) {
    for r in records {
        println!("{}", r.line());
    }
    if !measuring() {
        return;
    }
    let dir = target_dir().join("hilok-bench");
    std::fs::create_dir_all(&dir).expect("create result dir");
    let body: String = records.iter().map(|r| r.json() + "\n").collect();
    let file = dir.join(format!("{name}.jsonl"));
    std::fs::write(&file, body).expect("write results");
    println!("wrote {}", file.display());
}
