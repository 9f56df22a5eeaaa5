//! The report thread: final lines, in input order, into the report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use super::report_failure::ReportFailure;
use crate::progress::Counters;
use crate::report::{ReportLine, ReportWriter, Status};
use crate::stop::RunStop;
use crate::summary::Summary;

/// Status counts as the report thread saw them.
#[derive(Debug, Default)]
pub(super) struct Counts {
    pub(super) valid: u64,
    pub(super) sent: u64,
    pub(super) rejected: u64,
    pub(super) failed: u64,
    pub(super) rejected_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub(super) failed_by_reason: std::collections::BTreeMap<&'static str, u64>,
    pub(super) skipped: u64,
    pub(super) skipped_by_reason: std::collections::BTreeMap<&'static str, u64>,
}

/// Starts the report thread. A failure to write the report stops the run
/// (`failure` keeps it, to be told instead of the errors it causes).
pub(super) fn spawn<W: std::io::Write + Send + 'static>(
    report: ReportWriter<W>,
    rx: Receiver<Vec<ReportLine>>,
    counters: Arc<Counters>,
    failure: ReportFailure,
    stop: RunStop,
) -> std::io::Result<std::thread::JoinHandle<anyhow::Result<(Counts, W)>>> {
    std::thread::Builder::new()
        .name("report".into())
        .spawn(move || failure.keep(write_report(report, rx, &counters), &stop))
}

/// The report thread: writes lines in input order, flushes at least every
/// two seconds so the file on disk follows the run.
pub(super) fn write_report<W: std::io::Write>(
    mut report: ReportWriter<W>,
    rx: Receiver<Vec<ReportLine>>,
    counters: &Counters,
) -> anyhow::Result<(Counts, W)> {
    let mut tally = Summary::default();
    let mut last_sync = Instant::now();
    loop {
        // Whenever nothing is waiting, hand what was written to the OS:
        // a killed process then loses nothing it had confirmed. fsync, for
        // a machine that goes down, every two seconds.
        let lines = match rx.try_recv() {
            Ok(lines) => lines,
            Err(crossbeam_channel::TryRecvError::Empty) => {
                report.flush()?;
                match rx.recv() {
                    Ok(lines) => lines,
                    Err(_) => break,
                }
            }
            Err(crossbeam_channel::TryRecvError::Disconnected) => break,
        };
        Counters::add(&counters.rows_done, lines.len() as u64);
        for line in lines {
            tally.count(line.status, line.reason);
            match line.status {
                Status::Sent => Counters::add(&counters.sent, 1),
                Status::Rejected => Counters::add(&counters.rejected, 1),
                Status::Failed => Counters::add(&counters.failed, 1),
                Status::Valid | Status::Skipped => {}
            }
            report.add(line)?;
        }
        if last_sync.elapsed() > Duration::from_secs(2) {
            report.sync()?;
            last_sync = Instant::now();
        }
    }
    let out = report.finish()?;
    Ok((
        Counts {
            valid: tally.valid,
            sent: tally.sent,
            rejected: tally.rejected,
            failed: tally.failed,
            rejected_by_reason: tally.rejected_by_reason,
            failed_by_reason: tally.failed_by_reason,
            skipped: tally.skipped,
            skipped_by_reason: tally.skipped_by_reason,
        },
        out,
    ))
}
