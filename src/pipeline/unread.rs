//! Rows counted after a stop, never read into records: their report
//! lines (`failed` with the stop's reason, or carried over from an earlier
//! run that sent them).

use std::sync::Arc;

use super::Chunk;
use crate::outcome::Reason;
use crate::report::{ReportLine, Status};
use crate::resume::Previous;
use crate::stop::RunStop;
use crate::summary::Summary;

/// Report lines for rows counted after a stop: `failed` with the stop's
/// reason, or carried over when an earlier run sent them.
pub(super) fn unread_lines(
    marker: &Chunk,
    stop: &RunStop,
    mut previous: Option<&mut Previous>,
    summary: &mut Summary,
) -> Vec<ReportLine> {
    let (reason, detail) = match stop.cause() {
        Some(cause) => (cause.reason(), cause.detail()),
        None => (Reason::Interrupted, String::new()),
    };
    let detail: Arc<str> = format!("not read: {detail}").into();
    let mut lines = Vec::with_capacity(marker.unread as usize);
    summary.rows += marker.unread;
    for i in 0..marker.unread {
        let (seq, row) = (marker.first_seq + i, marker.first_row + i);
        let earlier = previous
            .as_deref_mut()
            .and_then(|p| p.take(marker.file, row));
        if let Some(line) = earlier.filter(|l| l.status() == Status::Sent.as_str()) {
            summary.sent_by_earlier_run += 1;
            lines.push(carried_over(seq, &line));
            continue;
        }
        lines.push(ReportLine {
            seq,
            file: marker.file,
            row,
            status: Status::Failed,
            event_id: None,
            batch: None,
            attempts: 0,
            reason: Some(reason),
            detail: Some(Arc::clone(&detail)),
            fbtrace_id: None,
        });
    }
    lines
}

/// The line of a row sent in an earlier run, as it stood.
pub(super) fn carried_over(seq: u64, line: &crate::resume::PreviousLine) -> ReportLine {
    let r = &line.record;
    let field = |i: usize| r.get(i).filter(|s| !s.is_empty());
    ReportLine {
        seq,
        file: line.file,
        row: line.row,
        status: Status::Sent,
        event_id: field(3).map(str::to_owned),
        batch: field(4).and_then(|b| b.parse().ok()),
        attempts: field(5).and_then(|a| a.parse().ok()).unwrap_or(0),
        reason: None,
        detail: field(7).map(Into::into),
        fbtrace_id: field(8).map(Into::into),
    }
}
