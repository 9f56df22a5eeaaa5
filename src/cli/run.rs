//! `offconv validate` and `offconv upload`: the arguments become a
//! [`JobSpec`], [`crate::job`] runs it, and this file sums it up on stderr
//! and picks the exit code (DESIGN.md 4.5).

use std::process::ExitCode;

use anyhow::Context as _;

use super::{GlobalArgs, RunArgs, UploadArgs};
use crate::job::{self, JobError, JobOutcome, JobSpec, Stop};

/// Exit code after Ctrl-C, as shells report a SIGINT death.
pub(super) const EXIT_INTERRUPTED: u8 = 130;

pub fn validate(args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mut spec = spec(&args, global);
    spec.dry_run = true;
    let outcome = job::run_job(&spec).map_err(JobError::into_anyhow)?;
    finish(&outcome, &args, global)
}

pub fn upload(args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    if args.dry_run {
        return validate(args.run, global);
    }
    super::send::upload(args, global)
}

/// The job the arguments every export command shares ask for.
pub(super) fn spec(args: &RunArgs, global: &GlobalArgs) -> JobSpec {
    let mut spec = JobSpec::new(args.inputs.clone(), args.mapping.clone());
    spec.report = args.report.clone();
    spec.payloads = args.payloads.clone();
    spec.summary_json = args.summary_json.clone();
    spec.batch_size = args.batch_size;
    spec.upload_tag = args.upload_tag.clone();
    spec.now = global.now;
    spec.quiet = global.quiet;
    spec
}

/// Prints the summary, writes `--summary-json`, picks the exit code: 0, 1
/// (rows rejected beyond `--max-rejected`, or failed), 2 (a token or
/// permission error stopped the run), 130 (interrupted).
pub(super) fn finish(
    outcome: &JobOutcome,
    args: &RunArgs,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let summary = &outcome.summary;
    if !global.quiet {
        crate::say!("{}", summary.human());
    }
    if let Some(path) = &args.summary_json {
        let json = serde_json::to_string_pretty(summary)?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write the summary {}", path.display()))?;
    }
    match &outcome.stop {
        Some(Stop::Auth(reason)) => {
            crate::say!(
                "offconv: stopped: {}\n  rows not sent are `failed` (reason auth) in {}; fix the token or its permissions, then run the same command with --resume",
                reason.message,
                outcome.report.display()
            );
            return Ok(ExitCode::from(2));
        }
        Some(Stop::Interrupted) => {
            crate::say!(
                "offconv: interrupted; the report holds every row. Run the same command with --resume to finish."
            );
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        Some(Stop::Signal(signal)) => {
            crate::say!(
                "offconv: stopped by {}; the report {} holds every row (rows not sent are `failed`, reason interrupted). Run the same command with --resume to finish.",
                signal.name(),
                outcome.report.display()
            );
            return Ok(ExitCode::from(signal.exit_code()));
        }
        Some(Stop::Outage(detail) | Stop::LongPause(detail)) => {
            crate::say!(
                "offconv: stopped: {detail}\n  every row is in {}; run the same command with --resume later",
                outcome.report.display()
            );
            return Ok(ExitCode::from(1));
        }
        None => {}
    }
    let ok = summary.within(&args.max_rejected.unwrap_or_default());
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
