//! Tool results as the agent asked for them (`response_format`): short
//! markdown for a conversation, or one JSON object for a program. Errors
//! are results too (`isError: true`) that say what to fix: an agent reads
//! those, while a protocol error usually reaches it as a bare code.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

use super::exports::ExportError;
use super::params::ResponseFormat;
use crate::account::DatasetInfo;
use crate::job::{JobError, JobOutcome, Stop};
use crate::summary::MaxRejected;

/// A successful result: `markdown`, or `data` as pretty JSON.
pub fn success(format: ResponseFormat, markdown: String, data: &Value) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(body(format, markdown, data))])
}

/// An error result: `reason` is a short stable code, `message` says what
/// happened and what to do.
pub fn failure(format: ResponseFormat, reason: &str, message: &str) -> CallToolResult {
    let data = json!({ "error": reason, "message": message });
    let markdown = format!("**Error** (`{reason}`): {message}");
    CallToolResult::error(vec![ContentBlock::text(body(format, markdown, &data))])
}

fn body(format: ResponseFormat, markdown: String, data: &Value) -> String {
    match format {
        ResponseFormat::Markdown => markdown,
        ResponseFormat::Json => {
            serde_json::to_string_pretty(data).unwrap_or_else(|_| data.to_string())
        }
    }
}

/// The result of `validate_export` or `upload_export`. A job stopped by a
/// token error is an error result: the agent must act before resuming.
pub fn job_outcome(format: ResponseFormat, verb: &str, outcome: &JobOutcome) -> CallToolResult {
    let summary = &outcome.summary;
    let report = outcome.report.display();
    let complete = outcome.stop.is_none() && summary.within(&MaxRejected::default());
    let (stopped, advice) = match &outcome.stop {
        None if complete => (Value::Null, String::new()),
        None => (
            Value::Null,
            format!(
                "Rows not {verb}: the report {report} has one line per row; its `reason` and `detail` columns say why (for example `too_old`, `no_match_keys`)."
            ),
        ),
        Some(Stop::Auth(reason)) => (
            json!("auth"),
            format!(
                "Stopped: {}. Rows not sent are `failed` (reason auth) in {report}; fix the token or its permissions, then call upload_export again with the same arguments and resume: true.",
                reason.message
            ),
        ),
        Some(Stop::Ledger(message)) => (
            json!("ledger"),
            format!(
                "Stopped: {message}. Nothing more was sent; rows not sent are `failed` (reason ledger) in {report}; fix the ledger, then call upload_export again with the same arguments and resume: true."
            ),
        ),
        Some(Stop::Outage(detail)) => (
            json!("outage"),
            format!(
                "Stopped: {detail}. Every row is in {report}; call again later with the same arguments and resume: true."
            ),
        ),
        Some(Stop::LongPause(detail)) => (
            json!("rate_limited"),
            format!(
                "Stopped: {detail}. Every row is in {report}; call again then with the same arguments and resume: true."
            ),
        ),
        Some(Stop::Interrupted | Stop::Signal(_)) => (
            json!("interrupted"),
            format!(
                "Interrupted (the call was cancelled or the server is stopping): {report} holds every row confirmed so far; call again with the same arguments and resume: true to finish."
            ),
        ),
    };
    let mut data = serde_json::to_value(summary).unwrap_or_else(|_| json!({}));
    if let Value::Object(map) = &mut data {
        map.insert("complete".into(), json!(complete));
        map.insert("stopped".into(), stopped);
        map.insert("notes".into(), json!(outcome.notes));
        if !advice.is_empty() {
            map.insert("next_step".into(), json!(advice));
        }
    }
    let good = if summary.dry_run {
        summary.valid
    } else {
        summary.sent
    };
    let mut markdown = format!(
        "**{}**: {} rows, {good} {verb}, {} rejected, {} failed.\n\n```text\n{}\n```",
        if summary.dry_run {
            "Checked"
        } else {
            "Uploaded"
        },
        summary.rows,
        summary.rejected,
        summary.failed,
        summary.human()
    );
    for note in &outcome.notes {
        markdown.push_str(&format!("\n\n{note}"));
    }
    if !advice.is_empty() {
        markdown.push_str(&format!("\n\n{advice}"));
    }
    let content = vec![ContentBlock::text(body(format, markdown, &data))];
    if matches!(outcome.stop, Some(Stop::Auth(_))) {
        CallToolResult::error(content)
    } else {
        CallToolResult::success(content)
    }
}

/// A job that gave no outcome, as an error result.
pub fn export_failure(format: ResponseFormat, e: ExportError) -> CallToolResult {
    let (reason, mut message) = match e {
        ExportError::Refused(message) => ("refused", message),
        ExportError::Job(JobError::Setup(e)) => ("not_started", format!("{e:#}")),
        ExportError::Job(JobError::Run(e)) => ("broke_off", format!("{e:#}")),
    };
    // The job's messages are the CLI's; say what its flags are here.
    if message.contains("--resume") || message.contains("--force") {
        message.push_str(" (here: resume: true or force: true)");
    }
    failure(format, reason, &message)
}

/// The datasets of an ad account as a markdown table.
pub fn datasets_table(ad_account: &str, datasets: &[DatasetInfo]) -> String {
    if datasets.is_empty() {
        return format!("Ad account {ad_account} has no datasets this token can see.");
    }
    let mut text = format!(
        "Datasets of ad account {ad_account}:\n\n| id | name | consolidated | last event |\n| --- | --- | --- | --- |\n"
    );
    for d in datasets {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&d.id),
            cell(d.name.as_deref().unwrap_or("-")),
            match d.is_consolidated_container {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            },
            cell(d.last_fired_time.as_deref().unwrap_or("never"))
        ));
    }
    text
}

/// `send_offline_event` for an event the ledger holds as sent: not an
/// error (nothing is wrong), but plainly not sent, and why.
pub fn already_sent(
    format: ResponseFormat,
    dataset: &str,
    event_id: &str,
    info: &crate::ledger::SentInfo,
) -> CallToolResult {
    let detail = info.detail(dataset);
    let first_sent_at = jiff::Timestamp::from_second(info.first_sent_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let data = json!({
        "status": "skipped",
        "reason": "already_sent",
        "events_received": 0,
        "event_id": event_id,
        "dataset_id": dataset,
        "first_sent_at": first_sent_at,
        "first_upload_tag": info.upload_tag,
        "detail": detail,
    });
    let markdown = format!(
        "Not sent: event `{event_id}` was {detail} (resend: true in this tool). Sending it again would count the sale twice once Meta's 7 days of deduplication are over."
    );
    success(format, markdown, &data)
}
