//! `offconv mcp`: the MCP server for AI agents on stdin/stdout. The
//! server is [`crate::mcp`]; this file turns the flags and environment
//! into its settings, starts the optional sandbox, and runs it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;

use super::GlobalArgs;
use crate::job::{DEFAULT_API_BASE, DEFAULT_API_VERSION};
use crate::ledger::{LedgerChoice, open_store};
use crate::mcp::{self, Settings};

/// Arguments of `mcp`.
#[derive(Debug, Clone, Args)]
pub struct McpArgs {
    /// Graph API base URL.
    #[arg(long, env = "META_GRAPH_URL", default_value = DEFAULT_API_BASE, conflicts_with = "sandbox")]
    pub api_base: String,
    /// Graph API version.
    #[arg(long, default_value = DEFAULT_API_VERSION)]
    pub api_version: String,
    /// Start a local sandbox and point every tool at it (no Meta account
    /// needed, nothing leaves this machine).
    #[arg(long)]
    pub sandbox: bool,
    /// Read the access token from this file instead of META_ACCESS_TOKEN
    /// (read again at every call that needs it).
    #[arg(long, value_name = "FILE")]
    pub access_token_file: Option<PathBuf>,
    /// The dataset of calls that name none.
    #[arg(long, env = "META_DATASET_ID", value_name = "ID")]
    pub dataset: Option<String>,
    /// The ledger of events already sent, for send_offline_event and
    /// upload_export alike: a SQLite file or postgres://… [default:
    /// $XDG_STATE_HOME/offconv/ledger.sqlite; with --sandbox a throw-away
    /// one].
    #[arg(long, env = "OFFCONV_LEDGER", value_name = "PATH|URL")]
    pub ledger: Option<String>,
    /// No ledger: every event is sent (wins over --ledger and OFFCONV_LEDGER).
    #[arg(long)]
    pub no_ledger: bool,
}

pub fn run(args: McpArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    // Opened once, before the server starts: a ledger that cannot be
    // opened is an error now, not at the first call.
    let choice = LedgerChoice::from_args(args.ledger.as_deref(), args.no_ledger);
    let ledger = match open_store(&choice, false, args.sandbox)? {
        Some(store) => LedgerChoice::Open(store),
        None => LedgerChoice::Off,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_name("mcp")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let sandbox = if args.sandbox {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let config = crate::sandbox::SandboxConfig {
                now: global.now,
                ..Default::default()
            };
            let sandbox = crate::sandbox::start(config, listener).await?;
            tracing::info!("sandbox on {}: nothing leaves this machine", sandbox.url());
            Some(sandbox)
        } else {
            None
        };
        let settings = Settings {
            api_base: sandbox
                .as_ref()
                .map_or_else(|| args.api_base.clone(), |s| s.url()),
            api_version: args.api_version.clone(),
            dataset: args.dataset.clone().filter(|d| !d.trim().is_empty()),
            sandbox: sandbox.is_some(),
            access_token_file: args.access_token_file.clone(),
            now: global.now,
            ledger,
        };
        let served = mcp::serve(settings).await;
        if let Some(sandbox) = sandbox {
            sandbox.shutdown().await;
        }
        served
    });
    // A read of stdin that never returns (the client keeps it open after a
    // signal) must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result.map(|()| ExitCode::SUCCESS)
}
