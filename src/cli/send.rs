//! `offconv upload` for real: the runtime, the Ctrl-C handler, and the
//! upload arguments turned into a job. The job itself (token, dataset,
//! sandbox, resume, the uploader) is [`crate::job`].

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use super::run::{finish, spec};
use super::{GlobalArgs, UploadArgs};
use crate::job::{self, Endpoint, JobError};
use crate::stop::{RunStop, Signal, StopCause};

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
    spec.stop_grace = args.stop_grace;
    spec.outage_timeout = args.outage_timeout;
    spec.max_pause = args.max_pause;
    spec.runtime = Some(runtime.handle().clone());

    let prepared = job::prepare(&spec).map_err(JobError::into_anyhow)?;
    // Only now: a Ctrl-C during setup ends the process at once.
    watch_signals(&runtime, spec.stop.clone(), global.quiet);
    let outcome = prepared.run().map_err(JobError::into_anyhow)?;
    finish(&outcome, &args.run, global)
}

/// First SIGINT/SIGTERM: stop reading, give requests in flight the
/// grace, report every row. Second: exit at once (the report on disk holds
/// what was confirmed). Should the end of the run still be stuck (a disk
/// that does not answer) 5 s after the grace, exit all the same: a
/// scheduler's SIGKILL must never be what ends offconv.
fn watch_signals(runtime: &tokio::runtime::Runtime, stop: RunStop, quiet: bool) {
    use tokio::signal::unix::{SignalKind, signal};
    let _in_runtime = runtime.enter();
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return;
    };
    runtime.spawn(async move {
        let first = tokio::select! {
            _ = int.recv() => Signal::Int,
            _ = term.recv() => Signal::Term,
        };
        stop.request(StopCause::Signal(first));
        let grace = stop.grace();
        if !quiet {
            crate::say!(
                "\noffconv: {}: stopping: nothing more is sent, requests in flight get {} s, then every row is reported (send it again to quit at once)",
                first.name(),
                grace.as_secs_f64()
            );
        }
        let code = i32::from(first.exit_code());
        std::thread::spawn(move || {
            std::thread::sleep(grace + Duration::from_secs(5));
            crate::say!(
                "offconv: the run did not end within the stop grace; exiting. The report holds what was confirmed; --resume finishes."
            );
            std::process::exit(code);
        });
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
        std::process::exit(code);
    });
}
