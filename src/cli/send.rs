//! `offconv upload` for real: the runtime, the Ctrl-C handler, and the
//! upload arguments turned into a job. The job itself (token, dataset,
//! sandbox, resume, the uploader) is [`crate::job`].

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;

use super::run::{EXIT_INTERRUPTED, finish, spec};
use super::{GlobalArgs, UploadArgs};
use crate::job::{self, Endpoint, JobError};

pub fn upload(args: UploadArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("upload")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    let mut spec = spec(&args.run, global);
    spec.dataset = args.dataset.clone();
    spec.endpoint = if args.sandbox {
        Endpoint::OwnSandbox
    } else {
        Endpoint::Graph
    };
    spec.resume = args.resume;
    spec.force = args.force;
    spec.test_event_code = args.test_event_code.clone();
    spec.concurrency = args.concurrency;
    spec.rate = args.rate;
    spec.max_retries = args.max_retries;
    spec.api_base = args.api_base.clone();
    spec.api_version = args.api_version.clone();
    spec.access_token_file = args.access_token_file.clone();
    spec.runtime = Some(runtime.handle().clone());

    let prepared = job::prepare(&spec).map_err(JobError::into_anyhow)?;
    // Only now: a Ctrl-C during setup ends the process at once.
    watch_signals(&runtime, Arc::clone(&spec.interrupted), global.quiet);
    let outcome = prepared.run().map_err(JobError::into_anyhow)?;
    finish(&outcome, &args.run, global)
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
            crate::say!(
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
