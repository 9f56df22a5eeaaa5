//! `offconv upload` for real: token, dataset, runtime, the optional
//! in-process sandbox, resume, Ctrl-C, and the uploader.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use secrecy::SecretString;

use super::run::{Prepared, finish, prepare};
use super::{GlobalArgs, UploadArgs};
use crate::pipeline;
use crate::report::ReportWriter;
use crate::resume::{self, JobIdentity, Previous, ReportFiles};
use crate::sandbox::RunningSandbox;
use crate::upload::client::GraphClient;
use crate::upload::retry::RetryPolicy;
use crate::upload::{UploadSettings, UploadSink};

/// The dataset id used with `--sandbox` when none is given.
const SANDBOX_DATASET: &str = "1234567890";

/// Exit code after Ctrl-C, as shells report a SIGINT death.
const EXIT_INTERRUPTED: u8 = 130;

pub fn upload(args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("upload")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    let (api_base, token, dataset, sandbox) = if args.sandbox {
        let sandbox = start_sandbox(&runtime, global)?;
        let dataset = args
            .dataset
            .clone()
            .unwrap_or_else(|| SANDBOX_DATASET.to_owned());
        let url = sandbox.url();
        (
            url,
            SecretString::from("sandbox-token"),
            dataset,
            Some(sandbox),
        )
    } else {
        let token = read_token(&args)?;
        let dataset = args.dataset.clone().ok_or_else(|| {
            anyhow::anyhow!(
                "no dataset: give --dataset ID or set META_DATASET_ID (Events Manager → Data sources → the dataset's id)"
            )
        })?;
        (args.api_base.clone(), token, dataset, None)
    };
    if dataset.is_empty() || !dataset.bytes().all(|b| b.is_ascii_digit()) {
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
        mut job,
        report_path,
        mut meta,
    } = prepare(&args.run, global)?;
    meta.test_event_code = args.test_event_code.clone();
    let files: Vec<String> = job.inputs.iter().map(|i| i.name.clone()).collect();

    // The job's identity, and what an earlier report of it means.
    let report_files = ReportFiles::new(&report_path);
    let mapping_text = std::fs::read_to_string(&args.run.mapping).unwrap_or_default();
    let identity = JobIdentity::of(&args.run.inputs, &mapping_text, &dataset, &meta.upload_tag)
        .context("cannot fingerprint the inputs")?;
    job.previous = previous_report(&args, global, &report_files, &identity, &files)?;
    identity
        .save(&report_files.job)
        .with_context(|| format!("cannot write {}", report_files.job.display()))?;
    let resuming = job.previous.is_some();
    let write_to = if resuming {
        &report_files.tmp
    } else {
        &report_files.report
    };
    let report = ReportWriter::create(write_to, files)
        .with_context(|| format!("cannot write the report {}", write_to.display()))?;
    let payloads = match &args.run.payloads {
        Some(p) => Some(
            std::fs::File::create(p)
                .with_context(|| format!("cannot write the payload dump {}", p.display()))?,
        ),
        None => None,
    };

    let interrupted = Arc::clone(&job.stop_reading);
    watch_signals(&runtime, Arc::clone(&interrupted), global.quiet);

    let settings = UploadSettings {
        concurrency: usize::from(args.concurrency),
        rate: args.rate,
        retry: RetryPolicy {
            max_retries: args.max_retries,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
        },
        meta: meta.clone(),
        interrupted: Arc::clone(&interrupted),
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
    if resuming {
        std::fs::rename(&report_files.tmp, &report_files.report).with_context(|| {
            format!(
                "cannot move the new report over {}",
                report_files.report.display()
            )
        })?;
    }
    summary.report = report_path.display().to_string();
    summary.upload_tag = Some(meta.upload_tag.clone());
    if let Some(sandbox) = sandbox {
        let seen = runtime.block_on(sandbox.shutdown());
        if !global.quiet {
            eprintln!(
                "sandbox: {} requests, {} events accepted, {} duplicates",
                seen.requests, seen.accepted_events, seen.duplicates
            );
        }
    }
    let code = finish(&summary, &args.run, global)?;
    if let Some(reason) = stop.and_then(|s| s.get()) {
        eprintln!(
            "offconv: stopped: {}\n  rows not sent are `failed` (reason auth) in {}; fix the token or its permissions, then run the same command with --resume",
            reason.message,
            report_path.display()
        );
        return Ok(ExitCode::from(2));
    }
    if interrupted.load(Ordering::SeqCst) {
        eprintln!(
            "offconv: interrupted; the report holds every row confirmed so far. Run the same command with --resume to finish."
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(code)
}

fn start_sandbox(
    runtime: &tokio::runtime::Runtime,
    global: &GlobalArgs,
) -> anyhow::Result<RunningSandbox> {
    let sandbox = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let config = crate::sandbox::SandboxConfig {
            now: global.now,
            ..Default::default()
        };
        crate::sandbox::start(config, listener).await
    })?;
    if !global.quiet {
        eprintln!(
            "sandbox: a local stand-in for Meta's API on {} (nothing leaves this machine)",
            sandbox.url()
        );
    }
    Ok(sandbox)
}

/// Decides what an existing report means: with `--resume`, the rows to
/// skip; without, a refusal to overwrite the same job's report silently.
fn previous_report(
    args: &UploadArgs,
    global: &GlobalArgs,
    files: &ReportFiles,
    identity: &JobIdentity,
    names: &[String],
) -> anyhow::Result<Option<Previous>> {
    let report = files.report.display();
    let recorded = JobIdentity::load(&files.job);
    let exists = files.report.exists() || files.tmp.exists();
    if !args.resume {
        if exists && !args.force && recorded.as_ref() == Some(identity) {
            anyhow::bail!(
                "{report} already holds a run of this job: add --resume to continue it (rows already sent are skipped), or --force to start over"
            );
        }
        let _ = std::fs::remove_file(&files.tmp);
        return Ok(None);
    }
    if !exists {
        if !global.quiet {
            eprintln!("offconv: --resume: no report at {report} yet, so starting the job");
        }
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
    let previous = Previous::open(&files.report, names)
        .with_context(|| format!("cannot read {report} to resume"))?;
    Ok(Some(previous))
}

/// First SIGINT/SIGTERM: stop reading, let requests in flight finish.
/// Second: exit at once (the report on disk holds what was confirmed).
fn watch_signals(runtime: &tokio::runtime::Runtime, interrupted: Arc<AtomicBool>, quiet: bool) {
    runtime.spawn(async move {
        let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        else {
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        interrupted.store(true, Ordering::SeqCst);
        if !quiet {
            eprintln!(
                "\noffconv: stopping: requests in flight finish, then the report is written (Ctrl-C again to quit at once)"
            );
        }
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
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
