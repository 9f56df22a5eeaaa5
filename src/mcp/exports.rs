//! Running export jobs for the MCP server: the job itself is
//! [`crate::job`], the same as `offconv upload`; this is the part that
//! differs from a terminal.
//!
//! - A job blocks, so it runs on tokio's blocking pool, never on a worker
//!   that serves the protocol.
//! - Rows read go to the client as `notifications/progress` when the call
//!   carried a `progressToken`, all of them before the result.
//! - Stopping: a terminal's Ctrl-C is, here, the client cancelling the call
//!   (`notifications/cancelled`) or the server being asked to stop. Either
//!   stops the job the way a first Ctrl-C does (requests in flight finish,
//!   the report is complete and resumable), and nothing here exits the
//!   process: the server decides that once every job is over
//!   ([`Exports::wait_idle`]).
//! - Two jobs never write one report at once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rmcp::RoleServer;
use rmcp::model::ProgressNotificationParam;
use rmcp::service::RequestContext;
use tokio::sync::watch;

use crate::job::{self, JobError, JobOutcome, JobSpec, Progress};
use crate::resume::ReportFiles;

/// Why an export job did not give an outcome.
pub enum ExportError {
    /// The job refused or broke off; the message is the CLI's.
    Job(JobError),
    /// The server would not start it (busy report, shutting down).
    Refused(String),
}

/// The export jobs of one server.
pub struct Exports {
    running: watch::Sender<usize>,
    stopping: watch::Sender<bool>,
    /// Reports being written, as absolute paths.
    reports: Mutex<HashSet<PathBuf>>,
}

impl Default for Exports {
    fn default() -> Self {
        Exports {
            running: watch::Sender::new(0),
            stopping: watch::Sender::new(false),
            reports: Mutex::new(HashSet::new()),
        }
    }
}

impl Exports {
    /// Stops every running job (as a first Ctrl-C would) and refuses new ones.
    pub fn stop_all(&self) {
        self.stopping.send_replace(true);
    }

    /// Resolves once no job is running and every call has its result.
    pub async fn wait_idle(&self) {
        let mut running = self.running.subscribe();
        let _ = running.wait_for(|n| *n == 0).await;
    }

    /// Runs `spec` (whose `report` is set) to its end for the call `ctx`.
    pub async fn run(
        self: &Arc<Self>,
        mut spec: JobSpec,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<JobOutcome, ExportError> {
        let report = spec.report.clone().unwrap_or_default();
        let claim = Claim::take(self, std::path::absolute(&report).unwrap_or(report))?;
        // The call counts as running until it has its result, so that a
        // server stopping waits for the answer too, not only for the job.
        let _call = Running::start(self);

        let forwarder = ctx.meta.get_progress_token().map(|token| {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
            spec.progress = Progress::Callback(Arc::new(move |rows| {
                let _ = tx.send(rows);
            }));
            let peer = ctx.peer.clone();
            tokio::spawn(async move {
                // Progress only ever increases; the job reports the same
                // count again while it waits on the network.
                let mut last = None;
                while let Some(rows) = rx.recv().await {
                    if last.is_some_and(|l| rows <= l) {
                        continue;
                    }
                    last = Some(rows);
                    let note = ProgressNotificationParam::new(token.clone(), rows as f64)
                        .with_message(format!("{rows} rows read"));
                    let _ = peer.notify_progress(note).await;
                }
            })
        });

        let run_stop = spec.stop.clone();
        let cancelled = ctx.ct.clone();
        let mut stopping = self.stopping.subscribe();
        let watcher = tokio::spawn(async move {
            tokio::select! {
                () = cancelled.cancelled() => {}
                _ = stopping.wait_for(|s| *s) => {}
            }
            run_stop.request(crate::stop::StopCause::Interrupted);
        });

        spec.runtime = Some(tokio::runtime::Handle::current());
        // The spec, and with it the progress sender, is dropped when the
        // job ends, which ends the forwarder once it has sent everything.
        // The claim goes with the job: should this call be dropped, the
        // report stays taken until the job is really over.
        let joined = tokio::task::spawn_blocking(move || {
            let outcome = job::run_job(&spec);
            drop(claim);
            outcome
        })
        .await;
        watcher.abort();
        if let Some(forwarder) = forwarder {
            let _ = forwarder.await;
        }
        match joined {
            Ok(result) => result.map_err(ExportError::Job),
            Err(e) => Err(ExportError::Refused(format!(
                "the job ended abnormally: {e}"
            ))),
        }
    }
}

/// A running job's hold on its report; counts the job as running.
struct Claim {
    exports: Arc<Exports>,
    report: PathBuf,
    _running: Running,
}

impl Claim {
    fn take(exports: &Arc<Exports>, report: PathBuf) -> Result<Claim, ExportError> {
        if *exports.stopping.borrow() {
            return Err(ExportError::Refused(
                "offconv mcp is shutting down and starts no new job".into(),
            ));
        }
        let mut reports = exports.reports.lock().unwrap_or_else(|e| e.into_inner());
        if !reports.insert(report.clone()) {
            return Err(ExportError::Refused(format!(
                "another job is writing the report {} right now: wait for it to finish, or give another report_path",
                report.display()
            )));
        }
        drop(reports);
        Ok(Claim {
            exports: Arc::clone(exports),
            report,
            _running: Running::start(exports),
        })
    }
}

/// Counts something as running while it lives: a job (it may outlive its
/// call, when the client gives up on the call) or a call.
struct Running(Arc<Exports>);

impl Running {
    fn start(exports: &Arc<Exports>) -> Running {
        exports.running.send_modify(|n| *n += 1);
        Running(Arc::clone(exports))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.send_modify(|n| *n -= 1);
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut reports = self
            .exports
            .reports
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        reports.remove(&self.report);
    }
}

/// The report of a job over `csv_path`. Stdin is the protocol's channel,
/// so `-` is no input here.
pub fn report_path(csv_path: &str, report: Option<&str>) -> Result<PathBuf, String> {
    if csv_path.trim() == "-" || csv_path.trim().is_empty() {
        return Err("csv_path must name a file: offconv mcp reads the protocol from stdin".into());
    }
    Ok(match report.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => PathBuf::from(r),
        None => job::default_report_path(csv_path),
    })
}

/// Whether a job may write its report at `report`: an agent names paths,
/// so a file that is not an offconv report is never overwritten, and a
/// check (`check`) never overwrites an upload's report, the journal a
/// resume reads (`offconv validate` would).
pub fn replaceable_report(report: &Path, check: bool) -> Result<(), String> {
    let job_file = ReportFiles::new(report).job;
    if check && job_file.exists() {
        return Err(format!(
            "{} is the report of an upload ({} is beside it); a check would overwrite it: give another report_path",
            report.display(),
            job_file.display()
        ));
    }
    let first_line = std::fs::File::open(report).ok().and_then(|f| {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(f), &mut line).ok()?;
        Some(line)
    });
    // A header cut short by a kill is still offconv's (resume reads it).
    if let Some(line) = first_line
        && !crate::report::COLUMNS
            .join(",")
            .starts_with(line.trim_end())
    {
        return Err(format!(
            "{} exists and is not an offconv report: give another report_path",
            report.display()
        ));
    }
    Ok(())
}
