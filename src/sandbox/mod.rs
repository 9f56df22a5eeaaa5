//! A local stand-in for Meta's Conversions API (DESIGN.md 4.6): `offconv
//! sandbox`, and the library API `upload --sandbox` uses to start one
//! in-process.
//!
//! Served paths (any `v<major>.<minor>` version):
//! - `POST /{version}/{dataset_id}/events`: JSON body, or a form whose `data`
//!   field holds the events as JSON (as Meta's SDKs send them). Checked the
//!   way Meta checks it; see [`checks`] for the rules and for the one form of
//!   `error_user_msg` that names a bad event:
//!   `Invalid parameter at data[INDEX]: <reason>`.
//! - `GET /{version}/{dataset_id}`: `id`, `name`, `is_consolidated_container`
//!   (for `offconv check`).
//! - `GET /{version}/act_{id}/adspixels`: a fixed list of three datasets in
//!   Graph's `{"data": [...]}` shape (for `offconv datasets`).
//!
//! The token comes from `Authorization: Bearer`, the body's `access_token`,
//! or the URL query (accepted as Meta does, but counted in `token_in_url`).
//! Faults are drawn from `--seed`; see [`faults`] and, for the order in
//! which a request meets them, [`server`].

mod body;
mod checks;
mod conn;
mod events;
mod faults;
mod graph;
mod ldu;
mod lenient;
mod record;
mod server;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use checks::{MAX_EVENTS, MAX_FUTURE_SECS, OTHER_MAX_AGE_SECS, PHYSICAL_STORE_MAX_AGE_SECS};
pub use faults::{FaultConfig, LatencyRange, Probability};
pub use record::SandboxSummary;

use conn::{ConnHandle, SandboxListener};
use faults::FaultPlan;
use record::{Counters, Recorder, SeenEvents};
use server::{Activity, AppState};

/// How long shutdown waits for requests in flight before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Options of `offconv sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Append every accepted event to FILE as one NDJSON line.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// The only access token accepted [default: any non-empty token].
    #[arg(long, value_name = "T")]
    pub token: Option<String>,

    /// Seed of every fault decision: the same seed and request order give
    /// the same faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    /// Wait this long before every answer, in milliseconds (MIN or MIN-MAX).
    #[arg(long, value_name = "MIN[-MAX]")]
    pub latency_ms: Option<LatencyRange>,

    /// Share of requests answered with a transient error (HTTP 500/503, code 2).
    #[arg(long, value_name = "P", default_value = "0")]
    pub fail_rate: Probability,

    /// Requests allowed per one-second window; the rest get code 17 (HTTP 400)
    /// or 80004 (HTTP 429) with usage headers.
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,

    /// Share of requests whose connection is closed without an answer.
    #[arg(long, value_name = "P", default_value = "0")]
    pub drop_rate: Probability,

    /// Share of requests answered with a load balancer's HTML 502 page.
    #[arg(long = "html-502-rate", value_name = "P", default_value = "0")]
    pub html_502_rate: Probability,

    /// Answer every request after the first N with an expired-token error (190).
    #[arg(long, value_name = "N")]
    pub expire_token_after: Option<u64>,

    /// Share of valid events refused with code 100 naming their index; the
    /// same event (by seed and event_id) is refused again when retried.
    #[arg(long, value_name = "P", default_value = "0")]
    pub reject_event: Probability,

    /// Minutes Meta's `estimated_time_to_regain_access` says in rate-limit
    /// answers (X-Business-Use-Case-Usage).
    #[arg(long, value_name = "MIN", default_value_t = 0)]
    pub regain_minutes: u64,

    /// Exit after SECS without a request (decimals allowed).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub exit_after_idle: Option<Duration>,

    /// Close a connection after SECS without a byte either way: idle
    /// between requests, silent since it connected, or stalled halfway
    /// through a request (decimals allowed; more than 0).
    #[arg(long, value_name = "SECS", value_parser = parse_idle_timeout, default_value = "75")]
    pub idle_timeout: Duration,

    /// Fix the clock of the time-window check (RFC 3339), for fixtures.
    #[arg(long, value_name = "RFC3339", hide = true)]
    pub now: Option<jiff::Timestamp>,
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| format!("'{s}' is not a number of seconds"))
}

/// `--idle-timeout`: seconds as the other flags take them, but never 0
/// (a connection must be able to carry a request).
fn parse_idle_timeout(s: &str) -> Result<Duration, String> {
    let d = crate::cli::checks::parse_secs(s)?;
    if d < Duration::from_millis(10) {
        return Err(format!("{s} s is too short: give at least 0.01"));
    }
    Ok(d)
}

/// How an in-process sandbox behaves.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Append accepted events here as NDJSON.
    pub record: Option<PathBuf>,
    /// The only token accepted; `None` accepts any non-empty token.
    pub token: Option<String>,
    pub faults: FaultConfig,
    /// The clock of the time-window check; `None` is the system clock.
    pub now: Option<jiff::Timestamp>,
    /// When an idle connection is closed; `None`: [`conn::DEFAULT_IDLE`].
    pub idle_timeout: Option<Duration>,
}

impl From<&SandboxArgs> for SandboxConfig {
    fn from(args: &SandboxArgs) -> SandboxConfig {
        SandboxConfig {
            record: args.record.clone(),
            token: args.token.clone(),
            faults: FaultConfig {
                seed: args.seed,
                latency: args.latency_ms,
                fail_rate: args.fail_rate,
                rate_limit: args.rate_limit,
                drop_rate: args.drop_rate,
                html_502_rate: args.html_502_rate,
                expire_token_after: args.expire_token_after,
                reject_event: args.reject_event,
                regain_minutes: args.regain_minutes,
            },
            now: args.now,
            idle_timeout: Some(args.idle_timeout),
        }
    }
}

/// A sandbox serving on [`RunningSandbox::addr`] until [`RunningSandbox::shutdown`].
#[derive(Debug)]
pub struct RunningSandbox {
    pub addr: SocketAddr,
    state: Arc<AppState>,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
}

/// Starts a sandbox on `listener` (bind it to `127.0.0.1:0` for a free port)
/// on the current tokio runtime.
pub async fn start(
    config: SandboxConfig,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<RunningSandbox> {
    let addr = listener
        .local_addr()
        .context("reading the sandbox's address")?;
    let idle = config.idle_timeout.unwrap_or(conn::DEFAULT_IDLE);
    let recorder = match &config.record {
        Some(path) => {
            Some(Recorder::open(path).with_context(|| format!("opening {}", path.display()))?)
        }
        None => None,
    };
    let state = Arc::new(AppState {
        faults: FaultPlan::new(config.faults.clone()),
        config,
        counters: Counters::default(),
        seen: SeenEvents::default(),
        recorder,
        activity: Activity::new(),
    });
    let app = server::router(state.clone()).into_make_service_with_connect_info::<ConnHandle>();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let serve =
            axum::serve(SandboxListener { listener, idle }, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
        // Serving only ends by the signal above; the listener retries its own errors.
        let _ = serve.await;
    });
    Ok(RunningSandbox {
        addr,
        state,
        stop,
        server,
    })
}

impl RunningSandbox {
    /// `http://ADDR`, the `--api-base` of a client talking to this sandbox.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The counters so far.
    pub fn summary(&self) -> SandboxSummary {
        self.state.counters.summary()
    }

    /// Resolves once no request has been in flight for `idle`.
    pub async fn wait_idle(&self, idle: Duration) {
        loop {
            let idle_for = self.state.activity.idle_for();
            if idle_for >= idle {
                return;
            }
            // Sleep until the earliest moment the sandbox could have been idle
            // long enough (at least a little, while a request is in flight).
            let wait = (idle - idle_for).max(Duration::from_millis(10));
            tokio::time::sleep(wait).await;
        }
    }

    /// Stops accepting, lets requests in flight finish (for a few seconds at
    /// most), flushes the record, and returns the final counters.
    pub async fn shutdown(self) -> SandboxSummary {
        let _ = self.stop.send(());
        let mut server = self.server;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
        if let Some(Err(e)) = self.state.recorder.as_ref().map(Recorder::finish) {
            crate::say!("offconv sandbox: {e}");
        }
        self.state.counters.summary()
    }
}

/// `offconv sandbox`: serve until SIGINT/SIGTERM or idle timeout.
pub fn run(args: SandboxArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    runtime.block_on(serve_until_stopped(args))
}

async fn serve_until_stopped(args: SandboxArgs) -> anyhow::Result<ExitCode> {
    // Signal handlers go in before the address is printed: a test that sends
    // SIGINT as soon as it reads the line must meet them.
    let stop = stop_signal()?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let sandbox = start(SandboxConfig::from(&args), listener).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", sandbox.url())?;
        out.flush()?;
    }
    let idle = async {
        match args.exit_after_idle {
            Some(idle) => sandbox.wait_idle(idle).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = stop => {}
        () = idle => {}
    }
    let summary = sandbox.shutdown().await;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &summary)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
#[cfg(unix)]
fn stop_signal() -> anyhow::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("installing a SIGINT handler")?;
    let mut terminate = signal(SignalKind::terminate()).context("installing a SIGTERM handler")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> anyhow::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
