//! What every job opens before its first row: the mapping, the inputs, the
//! report and the payload dump; and the whole preparation of a dry run.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::Mapping;
use crate::event::RequestMeta;
use crate::io_context::NamedFile;
use crate::mapper::RowMapper;
use crate::pipeline::Job;
use crate::progress::{Counters, Display};
use crate::report::ReportWriter;
use crate::resume::ReportFiles;
use crate::source;

use super::*;

/// What every job needs that the spec decides: the pipeline's job (mapping
/// and inputs checked), the report path and the request fields.
pub(super) fn open_job(
    spec: &JobSpec,
    hashes: Option<&Arc<crate::input_hash::ReadHashes>>,
    notes: &mut Notes,
) -> anyhow::Result<(Job, PathBuf, RequestMeta)> {
    let mapping = Mapping::load(&spec.mapping)?;
    let format = source::Format {
        delimiter: mapping.delimiter,
        encoding: mapping.encoding,
    };
    let inputs = source::open_all_hashed(&spec.inputs, format, hashes)?;
    let now = spec.now.unwrap_or_else(jiff::Timestamp::now).as_second();
    let mut mappers = Vec::with_capacity(inputs.len());
    let mut warned = std::collections::HashSet::new();
    for input in &inputs {
        let checked = checked_input(&mapping, input, now)?;
        for (about, text) in checked.pii_warnings {
            if warned.insert(about) {
                notes.add(text);
            }
        }
        for warning in checked.shared_column_warnings {
            notes.add(warning);
        }
        mappers.push(checked.mapper);
    }
    let first = spec.inputs.first().map_or("-", String::as_str);
    let report_path = spec
        .report
        .clone()
        .unwrap_or_else(|| default_report_path(first));
    let upload_tag = spec
        .upload_tag
        .clone()
        .unwrap_or_else(|| default_upload_tag(first, spec.now));
    let counters = Arc::new(Counters::default());
    // The ETA reads the share of bytes read: known for plain files only.
    let plain_files = spec.inputs.iter().all(|i| {
        let lower = i.to_ascii_lowercase();
        i != "-" && !lower.ends_with(".gz") && !lower.ends_with(".zst") && !lower.ends_with(".zstd")
    });
    if plain_files {
        let total: u64 = spec
            .inputs
            .iter()
            .filter_map(|i| std::fs::metadata(i).ok())
            .map(|m| m.len())
            .sum();
        Counters::add(&counters.bytes_total, total);
    }
    let job = Job {
        inputs,
        mappers,
        batch_size: usize::from(spec.batch_size),
        stop: spec.stop.clone(),
        counters,
        previous: None,
    };
    let meta = RequestMeta {
        upload_tag,
        test_event_code: None,
    };
    Ok((job, report_path, meta))
}

/// One input bound to the mapping, as a job checks it before its first
/// row.
pub struct CheckedInput {
    pub mapper: RowMapper,
    /// The PII guard's warnings, each with what it is about (said once a
    /// run).
    pub pii_warnings: Vec<((String, String), String)>,
    pub shared_column_warnings: Vec<String>,
}

/// The mapping's columns found in `input`'s header, the PII guard's
/// checks and the mapper: what every job does per input at start-up.
pub fn checked_input(
    mapping: &Mapping,
    input: &source::Input,
    now: i64,
) -> anyhow::Result<CheckedInput> {
    let plan = mapping.resolve(&input.header, &input.name)?;
    let pii_warnings = super::pii_guard::check(mapping, &plan, input)?;
    let shared_column_warnings = mapping.shared_column_warnings(&input.header, &input.name);
    Ok(CheckedInput {
        mapper: RowMapper::new(mapping, plan, now),
        pii_warnings,
        shared_column_warnings,
    })
}

/// Where the job shows progress: a status line on a terminal, a line
/// every ten seconds in a log, nothing when quiet or when a caller (the
/// MCP server) takes the counts itself.
pub(super) fn display(spec: &JobSpec) -> Display {
    if spec.quiet || !matches!(spec.progress, Progress::Terminal) {
        Display::Hidden
    } else if std::io::stderr().is_terminal() {
        Display::Terminal
    } else {
        Display::Lines {
            every: Duration::from_secs(10),
        }
    }
}

pub(super) fn open_payloads(path: Option<&Path>) -> anyhow::Result<Option<NamedFile>> {
    path.map(|p| {
        crate::private_file::create(p)
            .map(|f| NamedFile::new(f, "write the payload dump", p))
            .with_context(|| format!("cannot write the payload dump {}", p.display()))
    })
    .transpose()
}

pub(super) fn prepare_dry_run(spec: &JobSpec, notes: &mut Notes) -> anyhow::Result<PreparedJob> {
    let (job, report_path, meta) = open_job(spec, None, notes)?;
    // An upload's report is the journal `--resume` reads: a dry run at the
    // default path must not wipe it.
    let journal = ReportFiles::new(&report_path);
    if report_path.exists() && journal.job.exists() && !spec.force {
        anyhow::bail!(
            "{} is the report of an upload (a resume reads it); give the dry run another --report",
            report_path.display()
        );
    }
    let ledger = crate::ledger::gate::hook_for_dry_run(spec, &meta)?;
    let files = job.inputs.iter().map(|i| i.name.clone()).collect();
    // Its errors name the file ([`crate::io_context`]).
    let report = ReportWriter::create(&report_path, files)?;
    let payloads = open_payloads(spec.payloads.as_deref())?;
    Ok(PreparedJob {
        job,
        report_path,
        meta,
        report,
        payloads,
        notes: Notes::default(),
        progress: progress_fn(spec),
        display: display(spec),
        stop: spec.stop.clone(),
        upload: None,
        ledger,
    })
}

pub(super) fn progress_fn(spec: &JobSpec) -> Option<ProgressFn> {
    match &spec.progress {
        Progress::Terminal => None,
        Progress::Callback(f) => Some(Arc::clone(f)),
    }
}
