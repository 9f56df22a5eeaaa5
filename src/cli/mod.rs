//! Command-line interface (DESIGN.md 4.1): argument definitions and the
//! dispatch to one `run` function per command.
//!
//! Arguments are parsed in two steps, as ripgrep does: clap gives raw
//! values, each command's `run` turns them into the objects it needs and
//! fails early with exit code 2 when they do not make sense.

mod check;
pub(crate) mod checks;
mod completions;
mod datasets;
mod hash;
mod init;
pub mod ledger;
mod mcp;
mod run;
mod send;

use std::path::PathBuf;
use std::process::ExitCode;

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use checks::{parse_rate, parse_secs};

use crate::summary::MaxRejected;

/// Upload point-of-sale exports to Meta as offline conversions: every
/// customer detail normalized and SHA-256 hashed, sent in rate-limited
/// batches, reported row by row.
#[derive(Debug, Parser)]
#[command(name = "offconv", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Flags every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Print nothing but errors on stderr (no progress, no summary).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Fix the clock (RFC 3339), for reproducible runs on fixtures.
    #[arg(long, global = true, hide = true, value_name = "RFC3339")]
    pub now: Option<jiff::Timestamp>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send the events of one or more exports to Meta.
    Upload(UploadArgs),
    /// Check exports without sending anything (same as upload --dry-run).
    Validate(ValidateArgs),
    /// Print the normalized value and SHA-256 of values, one per line.
    Hash(hash::HashArgs),
    /// Serve a local stand-in for Meta's Conversions API.
    Sandbox(crate::sandbox::SandboxArgs),
    /// Write a first mapping file guessed from an export's header and rows.
    Init(init::InitArgs),
    /// Check that the token can reach a dataset, and whether it takes offline events.
    Check(check::CheckArgs),
    /// List the datasets an ad account can send to.
    Datasets(datasets::DatasetsArgs),
    /// Serve offconv's tools to AI agents over MCP (stdin/stdout).
    Mcp(mcp::McpArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// See and manage the ledger of events already sent.
    Ledger(ledger::LedgerCommand),
    /// Print the man page (roff) to stdout.
    #[command(hide = true)]
    Man(completions::ManArgs),
}

/// Arguments of every command that reads exports.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Export files (CSV; .gz and .zst are decompressed), or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// The mapping file.
    #[arg(long, default_value = "offconv.toml", value_name = "FILE")]
    pub mapping: PathBuf,
    /// The per-row report [default: <first input>.report.csv].
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write every request body as NDJSON (without the token).
    #[arg(long, value_name = "FILE")]
    pub payloads: Option<PathBuf>,
    /// Write the summary as JSON.
    #[arg(long, value_name = "FILE")]
    pub summary_json: Option<PathBuf>,
    /// Events per request (at most 1000, Meta's limit).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: u16,
    /// Rejected rows that still count as success: a count or a percentage
    /// (0.5%). Default 0: any rejected row makes the exit code 1.
    #[arg(long, value_name = "N|P%")]
    pub max_rejected: Option<MaxRejected>,
    /// The upload tag of every request of this run [default: the first
    /// input's file stem and the UTC date].
    #[arg(long, value_name = "TAG")]
    pub upload_tag: Option<String>,
    #[command(flatten)]
    pub ledger: ledger::LedgerArgs,
}

/// Arguments of `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// The dataset whose ledger entries tell which rows would be skipped
    /// (without it the ledger is not read).
    #[arg(long, env = "META_DATASET_ID", value_name = "ID")]
    pub dataset: Option<String>,
}

/// Arguments of `upload`.
#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// The dataset (offline event set) id.
    #[arg(long, env = "META_DATASET_ID", value_name = "ID")]
    pub dataset: Option<String>,
    /// Check and write everything, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Start a local sandbox and upload to it (no Meta account needed).
    #[arg(long, conflicts_with = "api_base")]
    pub sandbox: bool,
    /// Continue a run from its report: rows already sent are skipped.
    #[arg(long)]
    pub resume: bool,
    /// Start over even when a report of this job exists.
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,
    /// Send as test events (Events Manager → Test events).
    #[arg(long, value_name = "CODE")]
    pub test_event_code: Option<String>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Requests per second at most (0: no cap).
    #[arg(long, default_value = "10", value_name = "REQ_PER_S", value_parser = parse_rate)]
    pub rate: f64,
    /// Retries of one request before its rows end `failed`.
    #[arg(long, default_value_t = 8)]
    pub max_retries: u32,
    /// Graph API base URL.
    #[arg(
        long,
        env = "META_GRAPH_URL",
        default_value = "https://graph.facebook.com"
    )]
    pub api_base: String,
    /// Graph API version.
    #[arg(long, default_value = "v26.0")]
    pub api_version: String,
    /// After SIGINT/SIGTERM: seconds requests in flight get before they
    /// are abandoned (rows not confirmed end `failed`, --resume sends them).
    #[arg(long, default_value = "10", value_name = "SECS", value_parser = parse_secs)]
    pub stop_grace: Duration,
    /// Stop when no request succeeded for SECS while requests kept failing
    /// with network errors or 5xx (rows not sent end `failed`, network).
    #[arg(long, default_value = "120", value_name = "SECS", value_parser = parse_secs)]
    pub outage_timeout: Duration,
    /// Stop when Meta's rate limit asks for a longer pause than SECS (rows
    /// not sent end `failed`, rate_limited).
    #[arg(long, default_value = "900", value_name = "SECS", value_parser = parse_secs)]
    pub max_pause: Duration,
    /// Read the access token from this file instead of META_ACCESS_TOKEN.
    #[arg(long, value_name = "FILE")]
    pub access_token_file: Option<PathBuf>,
}

/// Runs the parsed command; the exit code follows DESIGN.md 4.5.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = cli.global;
    match cli.command {
        Command::Upload(args) => run::upload(args, &global),
        Command::Validate(args) => run::validate(args.run, args.dataset, &global),
        Command::Hash(args) => hash::run(args),
        Command::Sandbox(mut args) => {
            args.now = args.now.or(global.now);
            crate::sandbox::run(args)
        }
        Command::Init(args) => init::run(args, &global),
        Command::Check(args) => check::run(args, &global),
        Command::Datasets(args) => datasets::run(args, &global),
        Command::Mcp(args) => mcp::run(args, &global),
        Command::Ledger(args) => ledger::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => completions::man(args),
    }
}
