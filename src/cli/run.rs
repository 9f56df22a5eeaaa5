//! `offconv validate` and `offconv upload`: one job, set up from the
//! arguments, run through the pipeline, summed up.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;

use super::{GlobalArgs, RunArgs, UploadArgs};
use crate::config::Mapping;
use crate::dryrun::DryRunSink;
use crate::event::RequestMeta;
use crate::mapper::RowMapper;
use crate::pipeline::{self, Job};
use crate::report::ReportWriter;
use crate::source;
use crate::summary::Summary;

pub fn validate(args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    dry_run(args, global)
}

pub fn upload(args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    if args.dry_run {
        return dry_run(args.run, global);
    }
    super::send::upload(args, global)
}

/// Everything a run needs that the arguments decide.
pub(super) struct Prepared {
    pub job: Job,
    pub report_path: PathBuf,
    pub meta: RequestMeta,
}

pub(super) fn prepare(args: &RunArgs, global: &GlobalArgs) -> anyhow::Result<Prepared> {
    let mapping = Mapping::load(&args.mapping)?;
    let inputs = source::open_all(&args.inputs, mapping.delimiter)?;
    let now = global.now.unwrap_or_else(jiff::Timestamp::now).as_second();
    let mut mappers = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let plan = mapping.resolve(&input.header, &input.name)?;
        mappers.push(RowMapper::new(&mapping, plan, now));
    }
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| default_report_path(&args.inputs[0]));
    let upload_tag = args
        .upload_tag
        .clone()
        .unwrap_or_else(|| default_upload_tag(&args.inputs[0], global.now));
    let progress = if global.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} rows read ({per_sec}) {elapsed}",
            )
            .expect("valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    };
    Ok(Prepared {
        job: Job {
            inputs,
            mappers,
            batch_size: usize::from(args.batch_size),
            stop_reading: Arc::new(AtomicBool::new(false)),
            progress,
            previous: None,
        },
        report_path,
        meta: RequestMeta {
            upload_tag,
            test_event_code: None,
        },
    })
}

fn dry_run(args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let Prepared {
        job,
        report_path,
        meta,
    } = prepare(&args, global)?;
    let files = job.inputs.iter().map(|i| i.name.clone()).collect();
    let report = ReportWriter::create(&report_path, files)
        .with_context(|| format!("cannot write the report {}", report_path.display()))?;
    let payloads = match &args.payloads {
        Some(p) => Some(
            std::fs::File::create(p)
                .with_context(|| format!("cannot write the payload dump {}", p.display()))?,
        ),
        None => None,
    };
    let (mut summary, _) = pipeline::run(
        job,
        |report_tx| Ok(Box::new(DryRunSink::new(report_tx, payloads, meta))),
        report,
    )?;
    summary.dry_run = true;
    summary.report = report_path.display().to_string();
    finish(&summary, &args, global)
}

/// Prints the summary, writes `--summary-json`, picks the exit code.
pub(super) fn finish(
    summary: &Summary,
    args: &RunArgs,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    if !global.quiet {
        eprintln!("{}", summary.human());
    }
    if let Some(path) = &args.summary_json {
        let json = serde_json::to_string_pretty(summary)?;
        std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write the summary {}", path.display()))?;
    }
    let ok = summary.within(&args.max_rejected.unwrap_or_default());
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `<first input>.report.csv`; for stdin, `stdin.report.csv`.
pub fn default_report_path(first_input: &str) -> PathBuf {
    if first_input == "-" {
        PathBuf::from("stdin.report.csv")
    } else {
        PathBuf::from(format!("{first_input}.report.csv"))
    }
}

/// The first input's file stem (compression and `.csv` endings removed)
/// and the UTC date: `store_sales-2026-11-26`.
pub fn default_upload_tag(first_input: &str, now: Option<jiff::Timestamp>) -> String {
    let name = Path::new(first_input)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("stdin");
    let mut stem = if first_input == "-" { "stdin" } else { name };
    for ending in [".gz", ".zst", ".zstd", ".csv", ".tsv", ".txt"] {
        if let Some(s) = stem.strip_suffix(ending) {
            stem = s;
        }
    }
    let date = now
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    format!("{stem}-{date}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let now: jiff::Timestamp = "2026-11-26T23:30:00-05:00".parse().unwrap();
        assert_eq!(
            default_upload_tag("exports/store_sales.csv.gz", Some(now)),
            "store_sales-2026-11-27"
        );
        assert_eq!(default_upload_tag("-", Some(now)), "stdin-2026-11-27");
        assert_eq!(
            default_report_path("a/b.csv"),
            PathBuf::from("a/b.csv.report.csv")
        );
    }
}
