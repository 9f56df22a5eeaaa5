//! The seeded fault plan: which requests the sandbox answers badly, and how.
//!
//! Every random decision about a request is drawn from a generator seeded by
//! `(seed, request number)`, so the faults a run meets depend only on the seed
//! and the order requests arrive in, never on thread timing or on which other
//! faults are switched on. Whether an *event* is refused (`--reject-event`)
//! depends only on `(seed, event_id)`, so the same event is refused again when
//! a client retries it alone.
//!
//! The generator is SplitMix64 written out here rather than `rand`'s `StdRng`,
//! whose output `rand` does not promise to keep across versions: a seed in a
//! bug report must replay the same faults after a dependency update.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A probability in `[0, 1]`, as given to `--fail-rate` and friends.
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Probability(f64);

impl Probability {
    /// `None` unless `p` lies in `[0, 1]`.
    pub fn new(p: f64) -> Option<Probability> {
        (0.0..=1.0).contains(&p).then_some(Probability(p))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl FromStr for Probability {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let p: f64 = s
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a number"))?;
        Probability::new(p).ok_or_else(|| format!("{s} is not a probability between 0 and 1"))
    }
}

/// `--latency-ms MIN[-MAX]`: every answer waits a duration drawn from this range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencyRange {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl FromStr for LatencyRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parse = |part: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| format!("'{s}' is not MIN or MIN-MAX in milliseconds"))
        };
        let (min_ms, max_ms) = match s.split_once('-') {
            Some((min, max)) => (parse(min)?, parse(max)?),
            None => (parse(s)?, parse(s)?),
        };
        if min_ms > max_ms {
            return Err(format!("latency range {s}: MIN is larger than MAX"));
        }
        Ok(LatencyRange { min_ms, max_ms })
    }
}

impl fmt::Display for LatencyRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.min_ms, self.max_ms)
    }
}

/// The fault options of one sandbox.
#[derive(Debug, Clone, Default)]
pub struct FaultConfig {
    pub seed: u64,
    pub latency: Option<LatencyRange>,
    pub fail_rate: Probability,
    /// Requests allowed per one-second window; the rest get a rate-limit error.
    pub rate_limit: Option<u32>,
    pub drop_rate: Probability,
    pub html_502_rate: Probability,
    /// Every request after the first N is answered with an expired-token error.
    pub expire_token_after: Option<u64>,
    pub reject_event: Probability,
    /// `estimated_time_to_regain_access` (minutes) in rate-limit answers.
    pub regain_minutes: u64,
}

/// A fault that replaces the answer to one request. Listed in the order they
/// take precedence when several are drawn for the same request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without answering.
    Drop,
    /// An HTML 502 page, as a load balancer sends.
    Html502,
    /// A transient Graph error (code 2) with this HTTP status (500 or 503).
    Transient { status: u16 },
}

/// The rate-limit error a request gets if it exceeds `--rate-limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitCode {
    /// Graph code 17, "User request limit reached", HTTP 400.
    UserRequestLimit,
    /// Graph code 80004, the ads-management business use case limit, HTTP 429.
    AdsManagement,
}

/// Everything decided in advance about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    pub latency: Duration,
    pub fault: Option<Fault>,
    pub rate_limit_code: RateLimitCode,
    /// Token expired (`--expire-token-after`).
    pub token_expired: bool,
    pub fbtrace_id: String,
}

/// The seeded plan plus the one piece of shared state faults need: the
/// current rate-limit window.
#[derive(Debug)]
pub struct FaultPlan {
    config: FaultConfig,
    /// Start of the current window and requests seen in it. A window opens at
    /// the first request after the previous one closed, so a burst of requests
    /// shorter than a second always lands in one window (tests stay exact).
    window: Mutex<Option<(Instant, u32)>>,
}

impl FaultPlan {
    pub fn new(config: FaultConfig) -> FaultPlan {
        FaultPlan {
            config,
            window: Mutex::new(None),
        }
    }

    /// The plan for request number `n` (1-based, in arrival order).
    pub fn plan(&self, n: u64) -> RequestPlan {
        let c = &self.config;
        let mut rng = SplitMix64::new(c.seed ^ n.wrapping_mul(0xA076_1D64_78BD_642F));
        // Draw every value in a fixed order whether or not its fault is on, so
        // switching one fault on does not shift the draws of another.
        let latency_draw = rng.next_u64();
        let drop = rng.chance(c.drop_rate);
        let html = rng.chance(c.html_502_rate);
        let fail = rng.chance(c.fail_rate);
        let fail_status = if rng.next_u64() & 1 == 0 { 500 } else { 503 };
        let rate_limit_code = if rng.next_u64() & 1 == 0 {
            RateLimitCode::UserRequestLimit
        } else {
            RateLimitCode::AdsManagement
        };
        let fbtrace_id = trace_id(&mut rng);

        let latency = c.latency.map_or(Duration::ZERO, |r| {
            // Saturating: `0-18446744073709551615` must not overflow.
            let span = (r.max_ms - r.min_ms).saturating_add(1);
            Duration::from_millis(r.min_ms + latency_draw % span)
        });
        let fault = if drop {
            Some(Fault::Drop)
        } else if html {
            Some(Fault::Html502)
        } else if fail {
            Some(Fault::Transient {
                status: fail_status,
            })
        } else {
            None
        };
        RequestPlan {
            latency,
            fault,
            rate_limit_code,
            token_expired: c.expire_token_after.is_some_and(|after| n > after),
            fbtrace_id,
        }
    }

    /// Counts a request against `--rate-limit`; `true` if it is over the limit.
    pub fn over_rate_limit(&self, now: Instant) -> bool {
        let Some(limit) = self.config.rate_limit else {
            return false;
        };
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let (start, count) = match *window {
            Some((start, count)) if now.duration_since(start) < Duration::from_secs(1) => {
                (start, count + 1)
            }
            _ => (now, 1),
        };
        *window = Some((start, count));
        count > limit
    }

    /// Whether `--reject-event` refuses the event with this identity: a pure
    /// function of the seed and the identity, never of the request.
    pub fn rejects_event(&self, identity: &[&[u8]]) -> bool {
        let p = self.config.reject_event;
        if p.get() <= 0.0 {
            return false;
        }
        let mut hash = Fnv1a::new();
        hash.write(&self.config.seed.to_le_bytes());
        for part in identity {
            hash.write(part);
            // A separator keeps ("ab","c") and ("a","bc") apart.
            hash.write(&[0xff]);
        }
        SplitMix64::new(hash.finish()).chance(p)
    }
}

/// A Graph-looking trace id (23 characters of URL-safe base64), reproducible
/// from the seed so a test or bug report can quote it.
fn trace_id(rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // 8 characters (48 bits) from each of three draws.
    let mut bits = [rng.next_u64(), rng.next_u64(), rng.next_u64()];
    (0..23)
        .map(|i| {
            let word = &mut bits[i / 8];
            let c = ALPHABET[(*word & 63) as usize];
            *word >>= 6;
            c as char
        })
        .collect()
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `true` with probability `p`; exactly never for 0 and always for 1.
    fn chance(&mut self, p: Probability) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p.get()
    }
}

/// FNV-1a, 64-bit: a stable hash of bytes (std's hashers are not promised
/// to stay the same across Rust releases).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_plan() {
        let config = FaultConfig {
            seed: 7,
            fail_rate: Probability(0.5),
            latency: Some(LatencyRange {
                min_ms: 5,
                max_ms: 50,
            }),
            ..FaultConfig::default()
        };
        let a: Vec<_> = (1..50)
            .map(|n| FaultPlan::new(config.clone()).plan(n))
            .collect();
        let b: Vec<_> = (1..50)
            .map(|n| FaultPlan::new(config.clone()).plan(n))
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|p| p.fault.is_some()));
        assert!(a.iter().any(|p| p.fault.is_none()));
        assert!(a.iter().all(|p| (5..=50).contains(&p.latency.as_millis())));
    }

    #[test]
    fn enabling_one_fault_does_not_move_another() {
        let base = FaultConfig {
            seed: 3,
            fail_rate: Probability(0.3),
            ..FaultConfig::default()
        };
        let with_latency = FaultConfig {
            latency: Some("1-9".parse().unwrap()),
            ..base.clone()
        };
        let (a, b) = (FaultPlan::new(base), FaultPlan::new(with_latency));
        for n in 1..100 {
            assert_eq!(a.plan(n).fault, b.plan(n).fault);
        }
    }

    #[test]
    fn probabilities_zero_and_one_are_exact() {
        let always = FaultPlan::new(FaultConfig {
            drop_rate: Probability(1.0),
            reject_event: Probability(1.0),
            ..FaultConfig::default()
        });
        let never = FaultPlan::new(FaultConfig::default());
        for n in 1..200 {
            assert_eq!(always.plan(n).fault, Some(Fault::Drop));
            assert_eq!(never.plan(n).fault, None);
        }
        assert!(always.rejects_event(&[b"e1"]));
        assert!(!never.rejects_event(&[b"e1"]));
    }

    #[test]
    fn event_rejection_depends_on_seed_and_identity_only() {
        let make = |seed| {
            FaultPlan::new(FaultConfig {
                seed,
                reject_event: Probability(0.5),
                ..FaultConfig::default()
            })
        };
        let ids: Vec<String> = (0..200).map(|i| format!("order-{i}")).collect();
        let picks = |p: &FaultPlan| -> Vec<bool> {
            ids.iter()
                .map(|id| p.rejects_event(&[id.as_bytes()]))
                .collect()
        };
        assert_eq!(picks(&make(1)), picks(&make(1)));
        assert_ne!(picks(&make(1)), picks(&make(2)));
        let refused = picks(&make(1)).iter().filter(|&&r| r).count();
        assert!((60..140).contains(&refused), "{refused} of 200");
    }

    #[test]
    fn rate_limit_window_counts_from_first_request() {
        let plan = FaultPlan::new(FaultConfig {
            rate_limit: Some(2),
            ..FaultConfig::default()
        });
        let t0 = Instant::now();
        let over: Vec<bool> = (0..4)
            .map(|i| plan.over_rate_limit(t0 + Duration::from_millis(400 * i)))
            .collect();
        assert_eq!(over, [false, false, true, false]);
    }

    #[test]
    fn parses_options() {
        let range = |min_ms, max_ms| Ok(LatencyRange { min_ms, max_ms });
        assert_eq!("20-80".parse::<LatencyRange>(), range(20, 80));
        assert_eq!("15".parse::<LatencyRange>(), range(15, 15));
        assert!("80-20".parse::<LatencyRange>().is_err());
        let huge = FaultConfig {
            latency: Some(range(0, u64::MAX).unwrap()),
            ..FaultConfig::default()
        };
        let _ = FaultPlan::new(huge).plan(1);
        assert!("1.5".parse::<Probability>().is_err());
        assert!("-0.1".parse::<Probability>().is_err());
        assert_eq!("0.25".parse::<Probability>(), Ok(Probability(0.25)));
    }

    #[test]
    fn trace_ids_look_like_graph_ones() {
        let id = FaultPlan::new(FaultConfig::default()).plan(1).fbtrace_id;
        assert_eq!(id.len(), 23);
        let ok = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        assert!(id.bytes().all(ok));
    }
}
