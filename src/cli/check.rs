//! `offconv check`: can this token reach this dataset, and is the dataset
//! one offline events belong in? One read-only Graph call
//! ([`crate::account::dataset`]) to run before the first nightly upload,
//! with advice when the answer is no. Also home of the arguments and the
//! setup `check` and `datasets` share.

use std::borrow::Cow;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use secrecy::SecretString;

use super::GlobalArgs;
use crate::account::{self, DatasetInfo, GraphAccess};
use crate::sandbox::RunningSandbox;

/// The dataset `check --sandbox` asks about when none is given: the one
/// `upload --sandbox` sends to, so the two commands tell the same story.
const SANDBOX_DATASET: &str = "1234567890";

/// Arguments of `check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The dataset (offline event set) id [default with --sandbox: 1234567890].
    #[arg(
        long,
        env = "META_DATASET_ID",
        value_name = "ID",
        required_unless_present = "sandbox"
    )]
    pub dataset: Option<String>,
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// Where `check` and `datasets` ask, and with which token.
#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
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
    /// Read the access token from this file instead of META_ACCESS_TOKEN.
    #[arg(long, value_name = "FILE")]
    pub access_token_file: Option<PathBuf>,
    /// Ask a local sandbox started for this command (no Meta account needed).
    #[arg(long, conflicts_with = "api_base")]
    pub sandbox: bool,
}

/// A runtime, the access it uses, and the in-process sandbox if asked for.
pub(super) struct GraphSession {
    runtime: tokio::runtime::Runtime,
    pub(super) access: GraphAccess,
    sandbox: Option<RunningSandbox>,
}

impl GraphSession {
    pub(super) fn open(args: &GraphArgs, global: &GlobalArgs) -> anyhow::Result<GraphSession> {
        // One call at a time: a worker pool would only cost start-up time.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        if !args.sandbox {
            // The same checks as `upload`, before any call (issue 16).
            if let Some(warning) = crate::settings::check_api_base(&args.api_base)?
                && !global.quiet
            {
                crate::say!("{warning}");
            }
            crate::settings::check_api_version(&args.api_version)?;
            let access = GraphAccess::from_env(
                args.api_base.as_str(),
                args.api_version.as_str(),
                args.access_token_file.as_deref(),
            )?;
            return Ok(GraphSession {
                runtime,
                access,
                sandbox: None,
            });
        }
        let sandbox = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let config = crate::sandbox::SandboxConfig {
                now: global.now,
                ..Default::default()
            };
            crate::sandbox::start(config, listener).await
        })?;
        if !global.quiet {
            crate::say!(
                "sandbox: a local stand-in for Meta's API on {} (nothing leaves this machine)",
                sandbox.url()
            );
        }
        let access = GraphAccess::new(
            sandbox.url(),
            args.api_version.as_str(),
            SecretString::from("sandbox-token"),
            None,
        )?;
        Ok(GraphSession {
            runtime,
            access,
            sandbox: Some(sandbox),
        })
    }

    pub(super) fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Runs one call; the sandbox, when there is one, serves it on the
    /// same thread.
    pub(super) fn block_on<F: Future>(&self, call: F) -> F::Output {
        self.runtime.block_on(call)
    }

    /// Stops the sandbox, if any.
    pub(super) fn close(self) {
        if let Some(sandbox) = self.sandbox {
            self.runtime.block_on(sandbox.shutdown());
        }
    }

    /// `https://graph.facebook.com (v26.0)`, for the first line of output.
    pub(super) fn describe(&self) -> String {
        let what = if self.is_sandbox() { ", sandbox" } else { "" };
        format!(
            "{} ({}{what})",
            self.access.api_base, self.access.api_version
        )
    }
}

pub fn run(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let session = GraphSession::open(&args.graph, global)?;
    let id = match &args.dataset {
        Some(id) => id.trim().to_owned(),
        None => SANDBOX_DATASET.to_owned(),
    };
    let answer = session.block_on(account::dataset(&session.access, &id));
    let api = session.describe();
    session.close();
    let info = answer?;
    tracing::info!("dataset {} is reachable", info.id);
    let mut out = std::io::stdout().lock();
    writeln!(out, "token:        accepted by {api}")?;
    writeln!(out, "dataset:      {} (reachable)", info.id)?;
    writeln!(
        out,
        "name:         {}",
        info.name.as_deref().map_or("(none)".into(), printable)
    )?;
    writeln!(out, "consolidated: {}", consolidated(&info))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What `is_consolidated_container` means for offline events, in a line.
fn consolidated(info: &DatasetInfo) -> &'static str {
    match info.is_consolidated_container {
        Some(true) => {
            "yes — the dataset unifies the pixel and offline events, so offline conversions sent here are matched and reported with web events"
        }
        Some(false) => {
            "no — a pixel or legacy offline event set not merged into a dataset: offline events may not be accepted or attributed; in Events Manager, send to (or merge it into) a consolidated dataset"
        }
        None => "unknown — Meta did not say (is_consolidated_container is missing)",
    }
}

/// A name as Meta holds it can contain anything; control characters would
/// let it rewrite the terminal or break a table row.
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}
