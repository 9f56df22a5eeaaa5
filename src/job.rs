//! One job: exports in, events out, a report on disk. `offconv validate`,
//! `offconv upload` and the MCP server's `validate_export` and
//! `upload_export` all run through here, so a job behaves the same
//! whichever door it comes in by.
//!
//! A job has two phases. [`prepare`] does everything that can refuse the
//! job before a row is read (token, dataset, mapping, inputs, an earlier
//! report); [`PreparedJob::run`] runs the pipeline. The CLI installs its
//! Ctrl-C handler between the two, so a Ctrl-C during setup still ends the
//! process at once, as it always has.
//!
//! Nothing here writes to stdout (the MCP server speaks JSON-RPC there) and
//! nothing exits the process: stopping is the caller's business, through
//! [`JobSpec::interrupted`].

use std::fs::File;
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use secrecy::SecretString;

use crate::config::Mapping;
use crate::dryrun::DryRunSink;
use crate::event::RequestMeta;
use crate::mapper::RowMapper;
use crate::pipeline::{self, Job};
use crate::progress::{Counters, Display, ProgressDisplay};
use crate::report::{ReportWriter, ahead_path};
use crate::resume::{self, JobIdentity, Previous, ReportFiles};
use crate::sandbox::{RunningSandbox, SandboxSummary};
use crate::source;
use crate::summary::Summary;
use crate::upload::client::GraphClient;
use crate::upload::retry::RetryPolicy;
use crate::upload::{StopReason, UploadSettings, UploadSink};

/// The dataset id used with a sandbox when none is given.
pub const SANDBOX_DATASET: &str = "1234567890";
/// What a sandbox is sent instead of a real token (it takes any).
pub const SANDBOX_TOKEN: &str = "sandbox-token";
pub const DEFAULT_API_BASE: &str = "https://graph.facebook.com";
pub const DEFAULT_API_VERSION: &str = "v26.0";

/// Called with the number of rows read so far.
pub type ProgressFn = Arc<dyn Fn(u64) + Send + Sync>;

/// Where the events go.
#[derive(Debug, Clone, Default)]
pub enum Endpoint {
    /// `api_base` (Meta, or anything that speaks its API) with the user's
    /// token.
    #[default]
    Graph,
    /// A sandbox started in this process for this job and stopped after it
    /// (`upload --sandbox`).
    OwnSandbox,
    /// A sandbox already serving at this base URL (`offconv mcp --sandbox`).
    Sandbox(String),
}

/// How the job shows that it is alive.
#[derive(Clone, Default)]
pub enum Progress {
    /// A spinner on stderr, when stderr is a terminal and the job is not
    /// quiet.
    #[default]
    Terminal,
    /// Rows read so far, handed to the function about twice a second and
    /// once at the end.
    Callback(ProgressFn),
}

/// Everything a job is asked to do.
#[derive(Clone)]
pub struct JobSpec {
    /// Paths, or `-` for stdin.
    pub inputs: Vec<String>,
    pub mapping: PathBuf,
    /// `None`: `<first input>.report.csv`.
    pub report: Option<PathBuf>,
    pub payloads: Option<PathBuf>,
    pub batch_size: u16,
    /// `None`: the first input's file stem and the UTC date.
    pub upload_tag: Option<String>,
    /// Check and write everything, send nothing; no token needed.
    pub dry_run: bool,
    /// `None`: refused unless a sandbox is the endpoint.
    pub dataset: Option<String>,
    pub endpoint: Endpoint,
    pub resume: bool,
    pub force: bool,
    pub test_event_code: Option<String>,
    pub concurrency: u16,
    pub rate: f64,
    pub max_retries: u32,
    pub api_base: String,
    pub api_version: String,
    /// `None`: the token comes from `META_ACCESS_TOKEN`.
    pub access_token_file: Option<PathBuf>,
    /// A fixed clock, for fixtures.
    pub now: Option<jiff::Timestamp>,
    /// No notes on stderr (they are still in [`JobOutcome::notes`]).
    pub quiet: bool,
    pub progress: Progress,
    /// Set it to stop: reading stops, requests in flight finish, rows not
    /// sent end `failed` (interrupted), and the report is complete.
    pub interrupted: Arc<AtomicBool>,
    /// The runtime uploads run on; `None` builds one for the job. Either
    /// way [`PreparedJob::run`] blocks: call it off the runtime's workers.
    pub runtime: Option<tokio::runtime::Handle>,
}

impl JobSpec {
    /// A job over `inputs` with the CLI's defaults.
    pub fn new(inputs: Vec<String>, mapping: PathBuf) -> JobSpec {
        JobSpec {
            inputs,
            mapping,
            report: None,
            payloads: None,
            batch_size: 1000,
            upload_tag: None,
            dry_run: false,
            dataset: None,
            endpoint: Endpoint::Graph,
            resume: false,
            force: false,
            test_event_code: None,
            concurrency: 4,
            rate: 10.0,
            max_retries: 8,
            api_base: DEFAULT_API_BASE.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            access_token_file: None,
            now: None,
            quiet: false,
            progress: Progress::Terminal,
            interrupted: Arc::new(AtomicBool::new(false)),
            runtime: None,
        }
    }
}

/// A job that could not be done as asked.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Refused before a row was read (arguments, token, mapping, inputs, an
    /// earlier report): nothing was sent.
    #[error(transparent)]
    Setup(anyhow::Error),
    /// Broke off while running (an input that turned unreadable, a report
    /// that could not be written): the report holds the rows finished.
    #[error(transparent)]
    Run(anyhow::Error),
}

impl JobError {
    /// The error with its chain of causes, for `{:#}`.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            JobError::Setup(e) | JobError::Run(e) => e,
        }
    }
}

/// Why a job ended before every row was final.
#[derive(Debug, Clone)]
pub enum Stop {
    /// A token or permission error: rows not sent are `failed` (auth).
    Auth(StopReason),
    /// [`JobSpec::interrupted`] was set.
    Interrupted,
}

/// What a job did.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub summary: Summary,
    pub report: PathBuf,
    pub stop: Option<Stop>,
    /// The counters of a sandbox the job started itself.
    pub sandbox: Option<SandboxSummary>,
    /// What the job told the user along the way (printed on stderr unless
    /// quiet).
    pub notes: Vec<String>,
}

/// A job ready to run: every check passed, the report is open.
pub struct PreparedJob {
    job: Job,
    report_path: PathBuf,
    meta: RequestMeta,
    report: ReportWriter<BufWriter<File>>,
    payloads: Option<File>,
    notes: Notes,
    progress: Option<ProgressFn>,
    display: Display,
    interrupted: Arc<AtomicBool>,
    upload: Option<Box<Upload>>,
}

/// The half of a prepared job only uploads have.
struct Upload {
    runtime: Runtime,
    client: GraphClient,
    settings: UploadSettings,
    batch_size: usize,
    sandbox: Option<RunningSandbox>,
    /// Resuming: the new report is written beside the old one and moved
    /// over it at the end.
    resume: Option<ReportFiles>,
}

enum Runtime {
    Given(tokio::runtime::Handle),
    Own(tokio::runtime::Runtime),
}

impl Runtime {
    fn handle(&self) -> &tokio::runtime::Handle {
        match self {
            Runtime::Given(h) => h,
            Runtime::Own(rt) => rt.handle(),
        }
    }
}

/// Notes for the user: printed as they come unless quiet, and kept.
#[derive(Default)]
struct Notes {
    quiet: bool,
    all: Vec<String>,
}

impl Notes {
    fn add(&mut self, note: String) {
        if !self.quiet {
            eprintln!("{note}");
        }
        self.all.push(note);
    }
}

/// Prepares and runs a job. Blocks until it is over.
pub fn run_job(spec: &JobSpec) -> Result<JobOutcome, JobError> {
    prepare(spec)?.run()
}

/// Checks everything that can refuse the job and opens its report.
pub fn prepare(spec: &JobSpec) -> Result<PreparedJob, JobError> {
    let mut notes = Notes {
        quiet: spec.quiet,
        all: Vec::new(),
    };
    let prepared = if spec.dry_run {
        prepare_dry_run(spec)
    } else {
        prepare_upload(spec, &mut notes)
    };
    let mut prepared = prepared.map_err(JobError::Setup)?;
    prepared.notes = notes;
    Ok(prepared)
}

/// What every job needs that the spec decides: the pipeline's job (mapping
/// and inputs checked), the report path and the request fields.
fn open_job(spec: &JobSpec) -> anyhow::Result<(Job, PathBuf, RequestMeta)> {
    let mapping = Mapping::load(&spec.mapping)?;
    let inputs = source::open_all(&spec.inputs, mapping.delimiter)?;
    let now = spec.now.unwrap_or_else(jiff::Timestamp::now).as_second();
    let mut mappers = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let plan = mapping.resolve(&input.header, &input.name)?;
        mappers.push(RowMapper::new(&mapping, plan, now));
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
        stop_reading: Arc::clone(&spec.interrupted),
        counters,
        previous: None,
    };
    let meta = RequestMeta {
        upload_tag,
        test_event_code: None,
    };
    Ok((job, report_path, meta))
}

/// Where the job shows progress: a status line on a terminal, a line
/// every ten seconds in a log, nothing when quiet or when a caller (the
/// MCP server) takes the counts itself.
fn display(spec: &JobSpec) -> Display {
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

fn open_payloads(path: Option<&Path>) -> anyhow::Result<Option<File>> {
    path.map(|p| {
        File::create(p).with_context(|| format!("cannot write the payload dump {}", p.display()))
    })
    .transpose()
}

fn prepare_dry_run(spec: &JobSpec) -> anyhow::Result<PreparedJob> {
    let (job, report_path, meta) = open_job(spec)?;
    // An upload's report is the journal `--resume` reads: a dry run at the
    // default path must not wipe it.
    let journal = ReportFiles::new(&report_path);
    if report_path.exists() && journal.job.exists() && !spec.force {
        anyhow::bail!(
            "{} is the report of an upload (a resume reads it); give the dry run another --report",
            report_path.display()
        );
    }
    let files = job.inputs.iter().map(|i| i.name.clone()).collect();
    let report = ReportWriter::create(&report_path, files)
        .with_context(|| format!("cannot write the report {}", report_path.display()))?;
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
        interrupted: Arc::clone(&spec.interrupted),
        upload: None,
    })
}

fn progress_fn(spec: &JobSpec) -> Option<ProgressFn> {
    match &spec.progress {
        Progress::Terminal => None,
        Progress::Callback(f) => Some(Arc::clone(f)),
    }
}

fn prepare_upload(spec: &JobSpec, notes: &mut Notes) -> anyhow::Result<PreparedJob> {
    let runtime = match &spec.runtime {
        Some(handle) => Runtime::Given(handle.clone()),
        None => Runtime::Own(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("upload")
                .enable_all()
                .build()
                .context("cannot start the async runtime")?,
        ),
    };
    let (api_base, token, dataset, sandbox) = match &spec.endpoint {
        Endpoint::OwnSandbox => {
            let sandbox = start_sandbox(runtime.handle(), spec.now)?;
            notes.add(format!(
                "sandbox: a local stand-in for Meta's API on {} (nothing leaves this machine)",
                sandbox.url()
            ));
            let dataset = spec
                .dataset
                .clone()
                .unwrap_or_else(|| SANDBOX_DATASET.to_owned());
            (
                sandbox.url(),
                SecretString::from(SANDBOX_TOKEN),
                dataset,
                Some(sandbox),
            )
        }
        Endpoint::Sandbox(url) => {
            let dataset = spec
                .dataset
                .clone()
                .unwrap_or_else(|| SANDBOX_DATASET.to_owned());
            (
                url.clone(),
                SecretString::from(SANDBOX_TOKEN),
                dataset,
                None,
            )
        }
        Endpoint::Graph => {
            let token = read_token(spec.access_token_file.as_deref())?;
            let dataset = spec.dataset.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "no dataset: give --dataset ID or set META_DATASET_ID (Events Manager → Data sources → the dataset's id)"
                )
            })?;
            (spec.api_base.clone(), token, dataset, None)
        }
    };
    if !is_dataset_id(&dataset) {
        anyhow::bail!(
            "--dataset {dataset:?} is not a dataset id (digits, as Events Manager shows it)"
        );
    }
    let client = GraphClient::new(
        &api_base,
        &spec.api_version,
        &dataset,
        token,
        crate::upload::client::app_secret_from_env(),
    )?;

    let (mut job, report_path, mut meta) = open_job(spec)?;
    meta.test_event_code = spec.test_event_code.clone();
    let files: Vec<String> = job.inputs.iter().map(|i| i.name.clone()).collect();

    // The job's identity, and what an earlier report of it means.
    let report_files = ReportFiles::new(&report_path);
    let mapping_text = std::fs::read_to_string(&spec.mapping).unwrap_or_default();
    let identity = JobIdentity::of(&spec.inputs, &mapping_text, &dataset, &meta.upload_tag)
        .context("cannot fingerprint the inputs")?;
    job.previous = previous_report(spec, notes, &report_files, &identity, &files)?;
    identity
        .save(&report_files.job)
        .with_context(|| format!("cannot write {}", report_files.job.display()))?;
    let resuming = job.previous.is_some();
    let write_to = if resuming {
        &report_files.tmp
    } else {
        &report_files.report
    };
    let report = ReportWriter::create_journal(write_to, files)
        .with_context(|| format!("cannot write the report {}", write_to.display()))?;
    let payloads = open_payloads(spec.payloads.as_deref())?;

    let settings = UploadSettings {
        concurrency: usize::from(spec.concurrency),
        rate: spec.rate,
        retry: RetryPolicy {
            max_retries: spec.max_retries,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
        },
        meta: meta.clone(),
        interrupted: Arc::clone(&spec.interrupted),
        counters: Arc::clone(&job.counters),
    };
    Ok(PreparedJob {
        job,
        report_path,
        meta,
        report,
        payloads,
        notes: Notes::default(),
        progress: progress_fn(spec),
        display: display(spec),
        interrupted: Arc::clone(&spec.interrupted),
        upload: Some(Box::new(Upload {
            runtime,
            client,
            settings,
            batch_size: usize::from(spec.batch_size),
            sandbox,
            resume: resuming.then_some(report_files),
        })),
    })
}

impl PreparedJob {
    /// Runs the pipeline to its end. Blocks.
    pub fn run(self) -> Result<JobOutcome, JobError> {
        let PreparedJob {
            job,
            report_path,
            meta,
            report,
            payloads,
            mut notes,
            progress,
            display,
            interrupted,
            upload,
        } = self;
        let shown = ProgressDisplay::start(Arc::clone(&job.counters), display, upload.is_some());
        let ticker = progress.map(|f| Ticker::start(Arc::clone(&job.counters), f));
        let result = match upload {
            None => run_dry(job, report, payloads, meta),
            Some(upload) => run_upload(*upload, job, report, payloads, &meta, &mut notes),
        };
        drop(ticker);
        drop(shown);
        let (mut summary, stopped, sandbox) = result?;
        summary.report = report_path.display().to_string();
        let stop = match stopped {
            Some(reason) => Some(Stop::Auth(reason)),
            None if interrupted.load(Ordering::SeqCst) => Some(Stop::Interrupted),
            None => None,
        };
        Ok(JobOutcome {
            summary,
            report: report_path,
            stop,
            sandbox,
            notes: notes.all,
        })
    }
}

type RunResult = Result<(Summary, Option<StopReason>, Option<SandboxSummary>), JobError>;

fn run_dry(
    job: Job,
    report: ReportWriter<BufWriter<File>>,
    payloads: Option<File>,
    meta: RequestMeta,
) -> RunResult {
    let (mut summary, _) = pipeline::run(
        job,
        |report_tx| Ok(Box::new(DryRunSink::new(report_tx, payloads, meta))),
        report,
    )
    .map_err(JobError::Run)?;
    summary.dry_run = true;
    Ok((summary, None, None))
}

fn run_upload(
    upload: Upload,
    job: Job,
    report: ReportWriter<BufWriter<File>>,
    payloads: Option<File>,
    meta: &RequestMeta,
    notes: &mut Notes,
) -> RunResult {
    let Upload {
        runtime,
        client,
        settings,
        batch_size,
        sandbox,
        resume,
    } = upload;
    let handle = runtime.handle().clone();
    let mut stop = None;
    let (mut summary, _) = pipeline::run(
        job,
        |report_tx| {
            let sink = UploadSink::new(handle, client, settings, report_tx, payloads, batch_size);
            stop = Some(sink.stop_reason_handle());
            Ok(Box::new(sink))
        },
        report,
    )
    .map_err(JobError::Run)?;
    if let Some(files) = resume {
        std::fs::rename(&files.tmp, &files.report)
            .with_context(|| format!("cannot move the new report over {}", files.report.display()))
            .map_err(JobError::Run)?;
        // The earlier run's confirmations are all in the new report now.
        let _ = std::fs::remove_file(ahead_path(&files.report));
    }
    summary.upload_tag = Some(meta.upload_tag.clone());
    let seen = sandbox.map(|s| runtime.handle().block_on(s.shutdown()));
    if let Some(seen) = &seen {
        notes.add(format!(
            "sandbox: {} requests, {} events accepted, {} duplicates",
            seen.requests, seen.accepted_events, seen.duplicates
        ));
    }
    Ok((summary, stop.and_then(|s| s.get()), seen))
}

/// Hands the rows read to a [`ProgressFn`] twice a second, from its own
/// thread, until dropped (and once more then).
struct Ticker {
    stop: Option<crossbeam_channel::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    fn start(counters: Arc<Counters>, f: ProgressFn) -> Ticker {
        let (stop, stopped) = crossbeam_channel::bounded::<()>(0);
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while let Err(crossbeam_channel::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(Duration::from_millis(500))
                {
                    f(counters.rows_read.load(Ordering::Relaxed));
                }
                f(counters.rows_read.load(Ordering::Relaxed));
            })
            .ok();
        Ticker {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start_sandbox(
    handle: &tokio::runtime::Handle,
    now: Option<jiff::Timestamp>,
) -> anyhow::Result<RunningSandbox> {
    handle.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let config = crate::sandbox::SandboxConfig {
            now,
            ..Default::default()
        };
        crate::sandbox::start(config, listener).await
    })
}

/// Decides what an existing report means: with `resume`, the rows to
/// skip; without, a refusal to overwrite the same job's report silently.
fn previous_report(
    spec: &JobSpec,
    notes: &mut Notes,
    files: &ReportFiles,
    identity: &JobIdentity,
    names: &[String],
) -> anyhow::Result<Option<Previous>> {
    let report = files.report.display();
    let recorded = JobIdentity::load(&files.job);
    let exists = files.report.exists() || files.tmp.exists();
    if !spec.resume {
        if exists && !spec.force && recorded.as_ref() == Some(identity) {
            anyhow::bail!(
                "{report} already holds a run of this job: add --resume to continue it (rows already sent are skipped), or --force to start over"
            );
        }
        let _ = std::fs::remove_file(&files.tmp);
        let _ = std::fs::remove_file(ahead_path(&files.tmp));
        return Ok(None);
    }
    if !exists {
        notes.add(format!(
            "offconv: --resume: no report at {report} yet, so starting the job"
        ));
        return Ok(None);
    }
    let Some(recorded) = recorded else {
        anyhow::bail!(
            "cannot resume from {report}: {} is missing, so offconv cannot tell whether it belongs to this job; use --force to start over",
            files.job.display()
        );
    };
    let differences = identity.differences(&recorded);
    if !differences.is_empty() {
        anyhow::bail!(
            "cannot resume from {report}: it belongs to another job:\n  {}\nrun without --resume and with --force to start over, or give another --report",
            differences.join("\n  ")
        );
    }
    // A resume that was itself interrupted left both files: merge them.
    if files.tmp.exists() {
        if files.report.exists() {
            let merged = resume::with_suffix(&files.report, ".merge");
            resume::merge(&files.report, &files.tmp, &merged, names)
                .with_context(|| format!("cannot merge {} into {report}", files.tmp.display()))?;
            std::fs::rename(&merged, &files.report)?;
            std::fs::remove_file(&files.tmp)?;
        } else {
            std::fs::rename(&files.tmp, &files.report)?;
        }
    }
    let mut previous = Previous::open(&files.report, names)
        .with_context(|| format!("cannot read {report} to resume"))?;
    // Rows confirmed while an earlier batch was still retrying wait in the
    // `.ahead` sidecars of the report and of an interrupted resume.
    for path in [ahead_path(&files.report), ahead_path(&files.tmp)] {
        previous
            .load_ahead(&path)
            .with_context(|| format!("cannot read {} to resume", path.display()))?;
    }
    Ok(Some(previous))
}

/// The token from `file` or `META_ACCESS_TOKEN`; never a flag, so it
/// cannot end up in shell history or `ps`.
pub fn read_token(file: Option<&Path>) -> anyhow::Result<SecretString> {
    let token = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the access token file {}", path.display()))?
            .trim()
            .to_owned(),
        None => std::env::var("META_ACCESS_TOKEN")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    if token.is_empty() {
        anyhow::bail!(
            "no access token: set META_ACCESS_TOKEN or give --access-token-file FILE (a system user token with ads_management on the dataset); to try offconv without one, use --sandbox"
        );
    }
    Ok(SecretString::from(token))
}

/// Whether `id` looks like a dataset id: digits, as Events Manager shows
/// it. Checked before anything is sent, because a typo would otherwise
/// come back from Meta as a permission error.
pub fn is_dataset_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
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

    #[test]
    fn dataset_ids() {
        assert!(is_dataset_id("1234567890"));
        assert!(!is_dataset_id(""));
        assert!(!is_dataset_id("act_123"));
    }
}
