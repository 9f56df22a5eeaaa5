//! The ledger on the command line: the `--ledger`, `--no-ledger` and
//! `--resend` options of `validate` and `upload`, and `offconv ledger
//! stats|forget|export` to see and manage what it holds.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};

use crate::ledger::{LedgerChoice, open_store};

/// Which ledger a run uses (DESIGN.md section 7).
#[derive(Debug, Clone, Args)]
pub struct LedgerArgs {
    /// The ledger of events already sent: a SQLite file, or
    /// postgres://… shared by several machines [default:
    /// $XDG_STATE_HOME/offconv/ledger.sqlite; with --sandbox a
    /// throw-away one].
    #[arg(long, env = "OFFCONV_LEDGER", value_name = "PATH|URL")]
    pub ledger: Option<String>,
    /// Neither read nor write the ledger: every valid row is sent (wins
    /// over --ledger and OFFCONV_LEDGER, so one step of a job that sets
    /// the variable can go without).
    #[arg(long)]
    pub no_ledger: bool,
    /// Send rows the ledger holds as sent already (and record them again).
    #[arg(long)]
    pub resend: bool,
}

impl LedgerArgs {
    pub fn choice(&self) -> LedgerChoice {
        LedgerChoice::from_args(self.ledger.as_deref(), self.no_ledger)
    }
}

/// `offconv ledger`.
#[derive(Debug, Clone, Args)]
pub struct LedgerCommand {
    /// The ledger [default: $XDG_STATE_HOME/offconv/ledger.sqlite].
    #[arg(long, env = "OFFCONV_LEDGER", value_name = "PATH|URL", global = true)]
    pub ledger: Option<String>,
    #[command(subcommand)]
    pub action: LedgerAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum LedgerAction {
    /// Events per dataset and day (UTC) of their last send.
    Stats,
    /// Forget a dataset's entries (a test dataset, say), or only those
    /// last sent before a date.
    Forget {
        #[arg(long, value_name = "ID")]
        dataset: String,
        /// YYYY-MM-DD (UTC): only entries last sent before this day.
        #[arg(long, value_name = "DATE")]
        before: Option<jiff::civil::Date>,
    },
    /// Every entry as CSV on stdout.
    Export,
}

pub fn run(cmd: LedgerCommand) -> anyhow::Result<ExitCode> {
    let choice = LedgerChoice::from_args(cmd.ledger.as_deref(), false);
    let read_only = !matches!(cmd.action, LedgerAction::Forget { .. });
    let Some(store) = open_store(&choice, read_only, false)? else {
        crate::say!("offconv: the ledger does not exist yet: nothing sent with it");
        return Ok(ExitCode::SUCCESS);
    };
    let mut out = std::io::stdout().lock();
    match cmd.action {
        LedgerAction::Stats => {
            writeln!(out, "dataset,day,events")?;
            for d in store.stats()? {
                writeln!(out, "{},{},{}", d.dataset, d.day, d.events)?;
            }
        }
        LedgerAction::Forget { dataset, before } => {
            let before = before
                .map(|d| {
                    d.to_zoned(jiff::tz::TimeZone::UTC)
                        .map(|z| z.timestamp().as_second())
                })
                .transpose()
                .context("--before is not a date")?;
            let n = store.forget(&dataset, before)?;
            crate::say!(
                "offconv: forgot {n} events of dataset {dataset} in {}",
                store.name()
            );
        }
        LedgerAction::Export => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "dataset",
                "event_id",
                "first_sent_at",
                "first_upload_tag",
                "sent_at",
                "sends",
                "claimed_by",
                "claimed_at",
            ])?;
            let time = |t: Option<i64>| {
                t.and_then(|s| jiff::Timestamp::from_second(s).ok())
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            };
            store.export(&mut |e| {
                w.write_record([
                    e.dataset,
                    e.event_id,
                    time(e.first_sent_at),
                    e.first_upload_tag.unwrap_or_default(),
                    time(e.sent_at),
                    e.sends.to_string(),
                    e.run_id.unwrap_or_default(),
                    time(e.claimed_at),
                ])?;
                Ok(())
            })?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
