//! Being polite to Meta: the request rate cap, the pause every worker
//! honours after a rate-limit answer, and reading the usage headers.
//!
//! A rate limit is per app or per business, not per connection, so when
//! one worker is told to slow down, all of them wait.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota};
use rand::Rng as _;
use tokio::time::Instant;

/// Spaces requests to at most `rate` per second, with a burst of one: in
/// any one-second window at most `rate + 1` requests start.
pub struct RateCap {
    limiter: Option<DefaultDirectRateLimiter>,
    period: Duration,
}

impl RateCap {
    /// `rate` ≤ 0 means no cap.
    pub fn new(rate: f64) -> RateCap {
        if rate.is_nan() || rate <= 0.0 {
            return RateCap {
                limiter: None,
                period: Duration::ZERO,
            };
        }
        let period = Duration::from_secs_f64(1.0 / rate).max(Duration::from_micros(1));
        let quota = Quota::with_period(period)
            .expect("non-zero period")
            .allow_burst(NonZeroU32::MIN);
        RateCap {
            limiter: Some(governor::RateLimiter::direct(quota)),
            period,
        }
    }

    /// Waits for a slot, then a little jitter so that workers released
    /// together do not hit the server in the same millisecond.
    pub async fn ready(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
            let max = (self.period.as_micros() as u64 / 10).min(20_000);
            if max > 0 {
                let jitter = rand::rng().random_range(0..=max);
                tokio::time::sleep(Duration::from_micros(jitter)).await;
            }
        }
    }
}

/// The moment until which every worker holds off.
#[derive(Default)]
pub struct Pause {
    until: Mutex<Option<Instant>>,
}

impl Pause {
    /// Holds everyone off for at least `wait` from now.
    pub fn extend(&self, wait: Duration) {
        let target = Instant::now() + wait;
        let mut until = self.until.lock().expect("pause lock");
        if until.is_none_or(|u| u < target) {
            *until = Some(target);
        }
    }

    /// Waits while a pause is in force.
    pub async fn wait(&self) {
        loop {
            let until = *self.until.lock().expect("pause lock");
            match until {
                Some(u) if u > Instant::now() => tokio::time::sleep_until(u).await,
                _ => return,
            }
        }
    }
}

/// The highest usage percentage in `X-App-Usage` or
/// `X-Business-Use-Case-Usage`, and the longest
/// `estimated_time_to_regain_access` (minutes in Meta's header).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Usage {
    pub percent: f64,
    pub regain: Option<Duration>,
}

impl Usage {
    pub fn read(app: Option<&str>, business: Option<&str>) -> Usage {
        let mut usage = Usage::default();
        let mut take = |obj: &serde_json::Value| {
            for key in ["call_count", "total_cputime", "total_time"] {
                if let Some(p) = obj.get(key).and_then(serde_json::Value::as_f64) {
                    usage.percent = usage.percent.max(p);
                }
            }
            if let Some(m) = obj
                .get("estimated_time_to_regain_access")
                .and_then(serde_json::Value::as_f64)
                && m > 0.0
            {
                let d = Duration::from_secs_f64(m * 60.0);
                usage.regain = Some(usage.regain.map_or(d, |r| r.max(d)));
            }
        };
        if let Some(v) = app.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()) {
            take(&v);
        }
        if let Some(serde_json::Value::Object(map)) =
            business.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        {
            for entries in map.values() {
                for entry in entries.as_array().into_iter().flatten() {
                    take(entry);
                }
            }
        }
        usage
    }

    /// How long to hold off on our own when usage nears the limit: nothing
    /// below 90 %, then up to 10 s at 100 %.
    pub fn self_imposed_pause(&self) -> Option<Duration> {
        (self.percent > 90.0)
            .then(|| Duration::from_secs_f64((self.percent - 90.0).clamp(0.5, 10.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_usage_headers() {
        let u = Usage::read(
            Some(r#"{"call_count":28,"total_time":95,"total_cputime":10}"#),
            Some(
                r#"{"123":[{"type":"ads_management","call_count":40,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":2}]}"#,
            ),
        );
        assert_eq!(u.percent, 95.0);
        assert_eq!(u.regain, Some(Duration::from_secs(120)));
        assert_eq!(u.self_imposed_pause(), Some(Duration::from_secs(5)));
        assert_eq!(Usage::read(Some("garbage"), None), Usage::default());
        assert_eq!(Usage::default().self_imposed_pause(), None);
    }

    #[tokio::test]
    async fn pause_holds_everyone() {
        let pause = Pause::default();
        pause.extend(Duration::from_millis(50));
        pause.extend(Duration::from_millis(10));
        let t = Instant::now();
        pause.wait().await;
        assert!(t.elapsed() >= Duration::from_millis(45));
    }
}
