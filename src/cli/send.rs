//! `offconv upload` for real: token, dataset, runtime, uploader, and the
//! optional in-process sandbox.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::SecretString;

use super::run::{Prepared, finish, prepare};
use super::{GlobalArgs, UploadArgs};
use crate::pipeline;
use crate::report::ReportWriter;
use crate::upload::client::GraphClient;
use crate::upload::retry::RetryPolicy;
use crate::upload::{UploadSettings, UploadSink};

/// The dataset id used with `--sandbox` when none is given.
const SANDBOX_DATASET: &str = "1234567890";

pub fn upload(args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("upload")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    let (api_base, token, dataset, sandbox): (String, SecretString, String, Option<()>) = if args
        .sandbox
    {
        anyhow::bail!("SANDBOX_PENDING");
    } else {
        let token = read_token(&args)?;
        let dataset = args.dataset.clone().ok_or_else(|| {
            anyhow::anyhow!(
                "no dataset: give --dataset ID or set META_DATASET_ID (Events Manager → Data sources → the dataset's id)"
            )
        })?;
        (args.api_base.clone(), token, dataset, None)
    };
    if dataset.is_empty()
        || !dataset
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        anyhow::bail!(
            "--dataset {dataset:?} is not a dataset id (digits, as Events Manager shows it)"
        );
    }
    let app_secret = std::env::var("META_APP_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
        .map(SecretString::from);
    let client = GraphClient::new(&api_base, &args.api_version, &dataset, token, app_secret)?;

    let Prepared {
        job,
        report_path,
        mut meta,
    } = prepare(&args.run, global)?;
    meta.test_event_code = args.test_event_code.clone();
    let files = job.inputs.iter().map(|i| i.name.clone()).collect();
    let report = ReportWriter::create(&report_path, files)
        .with_context(|| format!("cannot write the report {}", report_path.display()))?;
    let payloads = match &args.run.payloads {
        Some(p) => Some(
            std::fs::File::create(p)
                .with_context(|| format!("cannot write the payload dump {}", p.display()))?,
        ),
        None => None,
    };
    let settings = UploadSettings {
        concurrency: usize::from(args.concurrency),
        rate: args.rate,
        retry: RetryPolicy {
            max_retries: args.max_retries,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
        },
        meta: meta.clone(),
    };
    let batch_size = usize::from(args.run.batch_size);
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
    )?;
    summary.report = report_path.display().to_string();
    summary.upload_tag = Some(meta.upload_tag.clone());
    drop(sandbox);
    let stopped = stop.and_then(|s| s.get());
    let code = finish(&summary, &args.run, global)?;
    if let Some(reason) = stopped {
        eprintln!(
            "offconv: stopped: {}\n  every row not sent is `failed` with reason auth in {}; fix the token (or its permissions), then run the same command with --resume",
            reason.message,
            report_path.display()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(code)
}

/// The token from `--access-token-file` or `META_ACCESS_TOKEN`; never a
/// flag, so it cannot end up in shell history or `ps`.
fn read_token(args: &UploadArgs) -> anyhow::Result<SecretString> {
    let token = match &args.access_token_file {
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
