//! `hilok-model check [--config NAME]` and `hilok-model explore --config NAME`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stateright::Model;

use hilok_model::check::{self, Until};
use hilok_model::{configs, Config};

#[derive(Parser)]
#[command(
    name = "hilok-model",
    about = "Model-check hilok-core exhaustively with stateright"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every configuration (or one) and print a table of results.
    Check {
        /// Only this configuration.
        #[arg(long)]
        config: Option<String>,
        /// Checker threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Also run the seeded mutations and show each is caught.
        #[arg(long)]
        mutations: bool,
        /// Print the example path of each reachability property.
        #[arg(long)]
        paths: bool,
        /// Explore without symmetry reduction (breadth-first).
        #[arg(long)]
        no_symmetry: bool,
    },
    /// Serve stateright's explorer for one configuration on localhost.
    Explore {
        /// The configuration.
        #[arg(long)]
        config: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3000")]
        address: String,
    },
    /// List the configurations.
    List,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check {
            config,
            threads,
            mutations,
            paths,
            no_symmetry,
        } => check_cmd(config.as_deref(), threads, mutations, paths, !no_symmetry),
        Command::Explore { config, address } => {
            let Some(cfg) = configs::by_name(&config) else {
                eprintln!("no configuration named {config:?} (see `hilok-model list`)");
                return ExitCode::FAILURE;
            };
            println!("serving the explorer for {} on http://{address}/", cfg.name);
            cfg.checker().serve(address);
            ExitCode::SUCCESS
        }
        Command::List => {
            for c in configs::all() {
                println!(
                    "{:<28} {:<8} {}",
                    c.name,
                    format!("{:?}", c.kind).to_lowercase(),
                    c.summary
                );
            }
            for (m, c) in configs::mutations() {
                println!("{:<28} {:<8} seeded bug: {}", c.name, "mutant", m.name());
            }
            ExitCode::SUCCESS
        }
    }
}

fn check_cmd(
    only: Option<&str>,
    threads: usize,
    mutations: bool,
    paths: bool,
    symmetry: bool,
) -> ExitCode {
    let chosen: Vec<_> = match only {
        Some(name) => match configs::by_name(name) {
            Some(c) => vec![c],
            None => {
                eprintln!("no configuration named {name:?} (see `hilok-model list`)");
                return ExitCode::FAILURE;
            }
        },
        None => configs::all(),
    };
    let chosen: Vec<_> = chosen
        .into_iter()
        .map(|c| Config {
            symmetry: symmetry && c.symmetry,
            ..c
        })
        .collect();
    let mut ok = true;
    println!(
        "{:<28} {:<42} {:<8} {:>10} {:>8}",
        "configuration", "property", "result", "states", "seconds"
    );
    for cfg in &chosen {
        let until = if cfg.mutation.is_some() {
            Until::FirstFailure
        } else {
            Until::Complete
        };
        let report = check::run(cfg, threads, until);
        for row in &report.rows {
            let result = match (row.holds, cfg.mutation.is_some()) {
                (true, _) => "holds",
                (false, false) => "FAILS",
                (false, true) => "caught",
            };
            println!(
                "{:<28} {:<42} {:<8} {:>10} {:>8.2}",
                report.config,
                row.property,
                result,
                report.unique_states,
                report.elapsed.as_secs_f64()
            );
            if let Some(p) = &row.path {
                if !row.holds || paths {
                    println!("{p}");
                }
            }
        }
        ok &= report.all_hold() || cfg.mutation.is_some();
    }
    if mutations && only.is_none() {
        println!();
        println!(
            "{:<28} {:<26} {:<8} {:>10} {:>8}",
            "mutant", "seeded bug", "result", "states", "seconds"
        );
        for (m, cfg) in configs::mutations() {
            let report = check::run(&cfg, 1, Until::FirstFailure);
            let caught = !report.failures().is_empty();
            ok &= caught;
            println!(
                "{:<28} {:<26} {:<8} {:>10} {:>8.2}  {}",
                cfg.name,
                m.name(),
                if caught { "caught" } else { "MISSED" },
                report.unique_states,
                report.elapsed.as_secs_f64(),
                report.failures().join(", ")
            );
            for row in report.rows.iter().filter(|r| !r.holds && r.always) {
                if let Some(p) = &row.path {
                    println!("{} violated; {p}", row.property);
                }
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
