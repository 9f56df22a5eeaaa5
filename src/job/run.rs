//! Running a prepared job: the pipeline with a dry-run or an upload sink,
//! progress, and what the job tells the user at the end.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context as _;

use crate::dryrun::DryRunSink;
use crate::event::RequestMeta;
use crate::io_context::NamedFile;
use crate::ledger::gate::LedgerHook;
use crate::pipeline::{self, Job, Sink};
use crate::progress::{Counters, ProgressDisplay};
use crate::report::{ReportFile, ReportWriter, ahead_path};
use crate::sandbox::SandboxSummary;
use crate::stop::StopCause;
use crate::summary::Summary;
use crate::upload::UploadSink;

use super::*;

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
            stop: run_stop,
            upload,
            ledger,
        } = self;
        let broken = ledger.as_ref().and_then(|l| l.broken());
        let shown = ProgressDisplay::start(Arc::clone(&job.counters), display, upload.is_some());
        let ticker = progress.map(|f| Ticker::start(Arc::clone(&job.counters), f));
        let result = match upload {
            None => run_dry(job, report, payloads, meta, ledger),
            Some(upload) => run_upload(*upload, job, report, payloads, &meta, &mut notes, ledger),
        };
        drop(ticker);
        drop(shown);
        let (mut summary, sandbox) = result?;
        summary.report = report_path.display().to_string();
        let stop = match broken.and_then(|b| b.get()) {
            Some(message) => Some(Stop::Ledger(message)),
            None => run_stop.cause().map(|cause| match cause {
                StopCause::Auth(reason) => Stop::Auth(reason.clone()),
                StopCause::Interrupted => Stop::Interrupted,
                StopCause::Signal(signal) => Stop::Signal(*signal),
                StopCause::Outage { .. } => Stop::Outage(cause.detail()),
                StopCause::LongPause { .. } => Stop::LongPause(cause.detail()),
            }),
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

type RunResult = Result<(Summary, Option<SandboxSummary>), JobError>;

fn run_dry(
    job: Job,
    report: ReportWriter<ReportFile>,
    payloads: Option<NamedFile>,
    meta: RequestMeta,
    ledger: Option<LedgerHook>,
) -> RunResult {
    let (mut summary, _) = pipeline::run(
        job,
        |report_tx| {
            let make = |tx| Ok(Box::new(DryRunSink::new(tx, payloads, meta)) as Box<dyn Sink>);
            match ledger {
                Some(hook) => hook.wrap(report_tx, make),
                None => make(report_tx),
            }
        },
        report,
    )
    .map_err(JobError::Run)?;
    summary.dry_run = true;
    Ok((summary, None))
}

fn run_upload(
    upload: Upload,
    job: Job,
    report: ReportWriter<ReportFile>,
    payloads: Option<NamedFile>,
    meta: &RequestMeta,
    notes: &mut Notes,
    ledger: Option<LedgerHook>,
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
    let (mut summary, _) = pipeline::run(
        job,
        |report_tx| {
            let make = |tx| {
                let sink = UploadSink::new(handle, client, settings, tx, payloads, batch_size);
                Ok(Box::new(sink) as Box<dyn Sink>)
            };
            match ledger {
                Some(hook) => hook.wrap(report_tx, make),
                None => make(report_tx),
            }
        },
        report,
    )
    .map_err(JobError::Run)?;
    if let Some(files) = resume {
        crate::private_file::keep_mode(&files.report, &files.tmp)
            .and_then(|()| std::fs::rename(&files.tmp, &files.report))
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
    Ok((summary, seen))
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
