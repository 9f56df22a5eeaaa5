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
//! [`JobSpec::stop`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::event::RequestMeta;
use crate::pipeline::Job;
use crate::progress::Display;
use crate::report::ReportWriter;
use crate::resume::ReportFiles;
use crate::sandbox::{RunningSandbox, SandboxSummary};
use crate::stop::{RunStop, Signal};
use crate::summary::Summary;
use crate::upload::client::GraphClient;
use crate::upload::{StopReason, UploadSettings};

mod clobber;
mod defaults;
mod open;
mod pii_guard;
mod previous;
mod run;
mod upload;

pub use clobber::same_file;
pub use defaults::{default_report_path, default_upload_tag, is_dataset_id, read_token};
pub use open::{CheckedInput, checked_input};

/// The dataset id used with a sandbox when none is given.
pub const SANDBOX_DATASET: &str = "1234567890";
/// What a sandbox is sent instead of a real token (it takes any).
pub const SANDBOX_TOKEN: &str = "sandbox-token";
pub const DEFAULT_API_BASE: &str = "https://graph.facebook.com";
pub const DEFAULT_API_VERSION: &str = "v26.0";
/// `--outage-timeout` by default.
pub const DEFAULT_OUTAGE_TIMEOUT: Duration = Duration::from_secs(120);
/// `--max-pause` by default.
pub const DEFAULT_MAX_PAUSE: Duration = Duration::from_secs(900);

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
    /// Where the CLI writes `--summary-json`: checked with the other
    /// outputs, written by the caller.
    pub summary_json: Option<PathBuf>,
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
    /// Request a stop on it: reading stops, requests in flight get
    /// `stop_grace`, rows not sent end `failed`, and the report is complete.
    pub stop: RunStop,
    /// `--stop-grace`: how long requests in flight get after a stop.
    pub stop_grace: Duration,
    /// `--outage-timeout`.
    pub outage_timeout: Duration,
    /// `--max-pause`.
    pub max_pause: Duration,
    /// The ledger (DESIGN.md section 7): which one, or none.
    pub ledger: crate::ledger::LedgerChoice,
    /// Send rows the ledger holds as sent (and record them again).
    pub resend: bool,
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
            summary_json: None,
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
            stop: RunStop::new(),
            stop_grace: crate::stop::DEFAULT_GRACE,
            outage_timeout: DEFAULT_OUTAGE_TIMEOUT,
            max_pause: DEFAULT_MAX_PAUSE,
            runtime: None,
            ledger: crate::ledger::LedgerChoice::Default,
            resend: false,
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
    /// A caller asked to stop ([`JobSpec::stop`]).
    Interrupted,
    /// SIGINT or SIGTERM.
    Signal(Signal),
    /// Meta unreachable for `--outage-timeout`; the detail says so.
    Outage(String),
    /// A rate-limit pause beyond `--max-pause`; the detail says until when.
    LongPause(String),
    /// The ledger could not be read or written: nothing more was sent;
    /// rows not sent are `failed` (ledger).
    Ledger(String),
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
    report: ReportWriter<crate::report::ReportFile>,
    payloads: Option<crate::io_context::NamedFile>,
    notes: Notes,
    progress: Option<ProgressFn>,
    display: Display,
    stop: RunStop,
    upload: Option<Box<Upload>>,
    ledger: Option<crate::ledger::gate::LedgerHook>,
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
            crate::say!("{note}");
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
    spec.stop.set_grace(spec.stop_grace);
    let first = spec.inputs.first().map_or("-", String::as_str);
    let report = spec
        .report
        .clone()
        .unwrap_or_else(|| default_report_path(first));
    clobber::refuse_outputs_over_inputs(spec, &report).map_err(JobError::Setup)?;
    let mut notes = Notes {
        quiet: spec.quiet,
        all: Vec::new(),
    };
    let prepared = if spec.dry_run {
        open::prepare_dry_run(spec, &mut notes)
    } else {
        upload::prepare_upload(spec, &mut notes)
    };
    let mut prepared = prepared.map_err(JobError::Setup)?;
    prepared.notes = notes;
    Ok(prepared)
}
