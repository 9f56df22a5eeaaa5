//! Telling an outage from bad luck (DESIGN.md 4.6): when no request has
//! succeeded for `--outage-timeout` while requests kept failing with
//! network errors or 5xx, Meta is gone and the run stops instead of
//! retrying every batch against a dead port for hours.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::stop::{RunStop, StopCause};

/// Failures since the last success.
pub struct Outage {
    timeout: Duration,
    /// The first failure since the last success, and the last error seen.
    failing: Mutex<Option<(Instant, String)>>,
}

impl Outage {
    pub fn new(timeout: Duration) -> Outage {
        Outage {
            timeout,
            failing: Mutex::new(None),
        }
    }

    pub fn success(&self) {
        *self.failing.lock().expect("outage lock") = None;
    }

    /// A network error or a 5xx.
    pub fn failure(&self, detail: &str) {
        let mut failing = self.failing.lock().expect("outage lock");
        match failing.as_mut() {
            Some((_, last)) => detail.clone_into(last),
            None => *failing = Some((Instant::now(), detail.to_owned())),
        }
    }

    /// Stops the run when the failures have lasted the timeout.
    pub fn check(&self, stop: &RunStop) {
        let failing = self.failing.lock().expect("outage lock");
        if let Some((since, last)) = failing.as_ref()
            && since.elapsed() >= self.timeout
        {
            stop.request(StopCause::Outage {
                timeout: self.timeout,
                last: last.clone(),
            });
        }
    }

    /// Checks once a second (or more often for a short timeout) until the
    /// run stops; abort the task when the upload is over.
    pub async fn watch(&self, stop: RunStop) {
        let every = (self.timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        while !stop.is_stopped() {
            tokio::time::sleep(every).await;
            self.check(&stop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_resets_the_clock() {
        let stop = RunStop::new();
        let outage = Outage::new(Duration::ZERO);
        outage.failure("could not connect");
        outage.success();
        outage.check(&stop);
        assert!(!stop.is_stopped());
        outage.failure("could not connect");
        outage.check(&stop);
        assert!(matches!(stop.cause(), Some(StopCause::Outage { .. })));
    }
}
