//! Preparing an upload: the endpoint and its token, the dataset, the
//! client, the journal of an earlier run, the upload settings.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::SecretString;

use crate::report::ReportWriter;
use crate::resume::{JobIdentity, ReportFiles};
use crate::sandbox::RunningSandbox;
use crate::upload::UploadSettings;
use crate::upload::client::GraphClient;
use crate::upload::retry::RetryPolicy;

use super::*;

pub(super) fn prepare_upload(spec: &JobSpec, notes: &mut Notes) -> anyhow::Result<PreparedJob> {
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
            if let Some(warning) = crate::settings::check_api_base(&spec.api_base)? {
                notes.add(warning);
            }
            crate::settings::check_api_version(&spec.api_version)?;
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

    let hashes = crate::input_hash::ReadHashes::new();
    let (mut job, report_path, mut meta) = open::open_job(spec, Some(&hashes), notes)?;
    meta.test_event_code = spec.test_event_code.clone();
    let files: Vec<String> = job.inputs.iter().map(|i| i.name.clone()).collect();

    let sandboxed = !matches!(spec.endpoint, Endpoint::Graph);
    let ledger = crate::ledger::gate::hook_for_upload(spec, &dataset, &meta, sandboxed)?;
    // The job's identity, and what an earlier report of it means.
    let report_files = ReportFiles::new(&report_path);
    let mapping_text = std::fs::read_to_string(&spec.mapping).unwrap_or_default();
    let identity = JobIdentity::of(&spec.inputs, &mapping_text, &dataset, &meta.upload_tag)
        .context("cannot fingerprint the inputs")?;
    job.previous = previous::previous_report(spec, notes, &report_files, &identity, &files)?;
    let resuming = job.previous.is_some();
    // What the earlier run read, checked as this one reads (input_hash).
    let recorded = if resuming {
        crate::input_hash::load(&report_files.job)
    } else {
        Vec::new()
    };
    let unrecorded_stdin = spec
        .inputs
        .iter()
        .enumerate()
        .any(|(i, name)| name == "-" && recorded.get(i).is_none_or(Option::is_none));
    if resuming && unrecorded_stdin {
        anyhow::bail!(
            "cannot resume from {}: {} records no hash of what the earlier run read from stdin, so a different export could not be told apart; run without --resume and with --force to start over",
            report_path.display(),
            report_files.job.display()
        );
    }
    hashes
        .expect(recorded, report_files.job.clone(), identity)
        .map_err(|why| {
            if resuming {
                anyhow::anyhow!("cannot resume from {}: {why}", report_path.display())
            } else {
                anyhow::anyhow!(why)
            }
        })?;
    let write_to = if resuming {
        &report_files.tmp
    } else {
        &report_files.report
    };
    // Its errors name the file, the report or its sidecar.
    let report = ReportWriter::create_journal(write_to, files)?;
    let payloads = open::open_payloads(spec.payloads.as_deref())?;

    let settings = UploadSettings {
        concurrency: usize::from(spec.concurrency),
        rate: spec.rate,
        retry: RetryPolicy {
            max_retries: spec.max_retries,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
        },
        meta: meta.clone(),
        stop: spec.stop.clone(),
        outage_timeout: spec.outage_timeout,
        max_pause: spec.max_pause,
        counters: Arc::clone(&job.counters),
    };
    Ok(PreparedJob {
        job,
        report_path,
        meta,
        report,
        payloads,
        notes: Notes::default(),
        progress: open::progress_fn(spec),
        display: open::display(spec),
        stop: spec.stop.clone(),
        upload: Some(Box::new(Upload {
            runtime,
            client,
            settings,
            batch_size: usize::from(spec.batch_size),
            sandbox,
            resume: resuming.then_some(report_files),
        })),
        ledger,
    })
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
