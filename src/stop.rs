//! The one place a run's stop is decided (DESIGN.md 4.6): a signal, a
//! caller's request (the MCP server), an outage, a rate-limit pause too
//! long to wait out, or a token error. The first cause wins; every stage
//! asks this value whether to go on, and every wait in the uploader races
//! [`RunStop::stopped`] or [`RunStop::grace_over`], so no wait outlives a
//! stop by more than `--stop-grace`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::outcome::Reason;
use crate::upload::StopReason;

/// The signal that stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    /// The exit code shells report for a death by this signal.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Int => 130,
            Signal::Term => 143,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }
}

/// Why a run stopped before every row was final.
#[derive(Debug, Clone)]
pub enum StopCause {
    Signal(Signal),
    /// Asked by a caller (an MCP call cancelled, the server stopping).
    Interrupted,
    /// No request succeeded for `--outage-timeout` while requests kept
    /// failing with network errors or 5xx.
    Outage {
        timeout: Duration,
        last: String,
    },
    /// Meta asked for a pause longer than `--max-pause`.
    LongPause {
        wait: Duration,
        until: jiff::Timestamp,
    },
    /// A token or permission error.
    Auth(StopReason),
}

impl StopCause {
    /// The report reason of the rows this stop leaves unsent.
    pub fn reason(&self) -> Reason {
        match self {
            StopCause::Signal(_) | StopCause::Interrupted => Reason::Interrupted,
            StopCause::Outage { .. } => Reason::Network,
            StopCause::LongPause { .. } => Reason::RateLimited,
            StopCause::Auth(_) => Reason::Auth,
        }
    }

    /// The report detail of the rows this stop leaves unsent.
    pub fn detail(&self) -> String {
        match self {
            StopCause::Signal(_) | StopCause::Interrupted => {
                "the run was interrupted before this row was sent; --resume sends it".into()
            }
            StopCause::Outage { timeout, last } => format!(
                "Meta was unreachable: no request succeeded for {} s (last error: {last}); --resume sends it",
                timeout.as_secs()
            ),
            StopCause::LongPause { wait, until } => format!(
                "Meta's rate limit asked for a pause of {} min, longer than --max-pause; Meta expects access back at {}; --resume then sends it",
                wait.as_secs().div_ceil(60),
                until.strftime("%Y-%m-%d %H:%M UTC")
            ),
            StopCause::Auth(reason) => reason.message.clone(),
        }
    }
}

struct Inner {
    cause: OnceLock<StopCause>,
    at: OnceLock<Instant>,
    grace_ms: AtomicU64,
    tx: tokio::sync::watch::Sender<bool>,
}

/// A run's stop: cheap to clone and to ask.
#[derive(Clone)]
pub struct RunStop(Arc<Inner>);

impl std::fmt::Debug for RunStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunStop")
            .field("cause", &self.0.cause.get())
            .finish()
    }
}

/// `--stop-grace` by default.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);

impl Default for RunStop {
    fn default() -> RunStop {
        RunStop::new()
    }
}

impl RunStop {
    pub fn new() -> RunStop {
        RunStop(Arc::new(Inner {
            cause: OnceLock::new(),
            at: OnceLock::new(),
            grace_ms: AtomicU64::new(DEFAULT_GRACE.as_millis() as u64),
            tx: tokio::sync::watch::channel(false).0,
        }))
    }

    /// How long requests in flight get after the stop.
    pub fn set_grace(&self, grace: Duration) {
        self.0.grace_ms.store(
            grace.as_millis().min(u128::from(u64::MAX)) as u64,
            Ordering::SeqCst,
        );
    }

    pub fn grace(&self) -> Duration {
        Duration::from_millis(self.0.grace_ms.load(Ordering::SeqCst))
    }

    /// Stops the run, unless it is stopped already. Returns whether this
    /// call was the one that stopped it.
    pub fn request(&self, cause: StopCause) -> bool {
        let first = self.0.cause.set(cause).is_ok();
        if first {
            let _ = self.0.at.set(Instant::now());
            self.0.tx.send_replace(true);
        }
        first
    }

    pub fn is_stopped(&self) -> bool {
        self.0.cause.get().is_some()
    }

    pub fn cause(&self) -> Option<&StopCause> {
        self.0.cause.get()
    }

    /// When requests in flight are abandoned: the stop plus the grace.
    pub fn deadline(&self) -> Option<Instant> {
        self.0.at.get().map(|at| *at + self.grace())
    }

    /// Resolves once the run is stopped.
    pub async fn stopped(&self) {
        let mut rx = self.0.tx.subscribe();
        let _ = rx.wait_for(|s| *s).await;
    }

    /// Resolves once the grace after the stop is over.
    pub async fn grace_over(&self) {
        self.stopped().await;
        if let Some(deadline) = self.deadline() {
            tokio::time::sleep_until(deadline.into()).await;
        }
    }

    /// `fut`, unless the run stops first (then `None`).
    pub async fn unless_stopped<T>(&self, fut: impl Future<Output = T>) -> Option<T> {
        if self.is_stopped() {
            return None;
        }
        tokio::select! {
            v = fut => Some(v),
            () = self.stopped() => None,
        }
    }

    /// `fut`, unless the grace after a stop runs out first (then `None`).
    pub async fn within_grace<T>(&self, fut: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            v = fut => Some(v),
            () = self.grace_over() => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn first_cause_wins_and_waits_end() {
        let stop = RunStop::new();
        stop.set_grace(Duration::from_millis(50));
        let long = stop.unless_stopped(tokio::time::sleep(Duration::from_secs(600)));
        let s2 = stop.clone();
        tokio::spawn(async move { s2.request(StopCause::Signal(Signal::Term)) });
        assert!(long.await.is_none());
        assert!(!stop.request(StopCause::Interrupted));
        assert!(matches!(
            stop.cause(),
            Some(StopCause::Signal(Signal::Term))
        ));
        let t = Instant::now();
        let hung = stop.within_grace(tokio::time::sleep(Duration::from_secs(600)));
        assert!(hung.await.is_none());
        assert!(t.elapsed() < Duration::from_secs(5));
        assert_eq!(
            stop.cause().map(StopCause::reason),
            Some(Reason::Interrupted)
        );
    }
}
