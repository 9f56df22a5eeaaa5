//! Progress: live counters that the stages bump, and a display thread that
//! reads them. A terminal gets a one-line status redrawn in place; a log
//! (cron, CI) gets a plain line every ten seconds instead, so a job that
//! runs for an hour leaves a readable trail and not a megabyte of bar
//! redraws.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{RecvTimeoutError, Sender, bounded};

/// Counters of one run. Every field only grows, except `in_flight`.
#[derive(Debug, Default)]
pub struct Counters {
    pub rows_read: AtomicU64,
    /// Rows whose report line is final.
    pub rows_done: AtomicU64,
    pub sent: AtomicU64,
    pub rejected: AtomicU64,
    pub failed: AtomicU64,
    /// Requests waiting for an answer.
    pub in_flight: AtomicU64,
    pub retries: AtomicU64,
    /// Bytes of the inputs read so far, and in all (0: unknown, such as
    /// stdin or a compressed file), for the ETA.
    pub bytes_read: AtomicU64,
    pub bytes_total: AtomicU64,
    /// Unix seconds until which Meta's rate limit pauses every request.
    pub paused_until: AtomicU64,
}

impl Counters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// The status line: what a person wants to know at a glance.
    pub fn line(&self, elapsed: Duration, uploading: bool) -> String {
        let read = Counters::get(&self.rows_read);
        let done = Counters::get(&self.rows_done);
        let secs = elapsed.as_secs_f64().max(0.001);
        let mut s = format!("{} rows read", thousands(read));
        if uploading {
            let sent = Counters::get(&self.sent);
            let _ = write!(
                s,
                ", {} sent ({}/s), {} rejected, {} failed, {} requests in flight, {} retries",
                thousands(sent),
                thousands((sent as f64 / secs) as u64),
                thousands(Counters::get(&self.rejected)),
                thousands(Counters::get(&self.failed)),
                Counters::get(&self.in_flight),
                thousands(Counters::get(&self.retries)),
            );
        } else {
            let _ = write!(s, " ({}/s)", thousands((done as f64 / secs) as u64));
        }
        if let Some(pause) = self.pause_note() {
            let _ = write!(s, ", {pause}");
        } else if let Some(eta) = self.eta(elapsed) {
            let _ = write!(s, ", ETA {}", duration(eta));
        }
        s
    }

    /// "paused by Meta's rate limit until 02:41, 12 min" while a pause lasts.
    fn pause_note(&self) -> Option<String> {
        let until = Counters::get(&self.paused_until) as i64;
        let now = jiff::Timestamp::now().as_second();
        if until <= now {
            return None;
        }
        let at = jiff::Timestamp::from_second(until).ok()?;
        let local = at.to_zoned(jiff::tz::TimeZone::system());
        let mins = (until - now).div_euclid(60);
        let left = if mins == 0 {
            format!("{} s", until - now)
        } else {
            format!("{mins} min")
        };
        Some(format!(
            "paused by Meta's rate limit until {}, {left}",
            local.strftime("%H:%M")
        ))
    }

    /// The time left, from the share of the input bytes read and the rate
    /// at which rows become final.
    fn eta(&self, elapsed: Duration) -> Option<Duration> {
        let total = Counters::get(&self.bytes_total);
        let read_bytes = Counters::get(&self.bytes_read);
        let read = Counters::get(&self.rows_read);
        let done = Counters::get(&self.rows_done);
        if total == 0 || read_bytes == 0 || done == 0 {
            return None;
        }
        let expected_rows = read as f64 * total as f64 / read_bytes as f64;
        let rate = done as f64 / elapsed.as_secs_f64().max(0.001);
        let left = (expected_rows - done as f64).max(0.0) / rate;
        left.is_finite().then(|| Duration::from_secs_f64(left))
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// Where progress goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// A status line redrawn in place on a terminal.
    Terminal,
    /// A plain line on stderr every `every` (logs).
    Lines {
        every: Duration,
    },
    Hidden,
}

/// The display thread; stops (and clears the terminal line) when dropped.
pub struct ProgressDisplay {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ProgressDisplay {
    pub fn start(counters: Arc<Counters>, display: Display, uploading: bool) -> ProgressDisplay {
        if display == Display::Hidden {
            return ProgressDisplay {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = bounded::<()>(0);
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || show(&counters, display, uploading, &stopped))
            .ok();
        ProgressDisplay {
            stop: Some(stop),
            thread,
        }
    }
}

fn show(
    counters: &Counters,
    display: Display,
    uploading: bool,
    stopped: &crossbeam_channel::Receiver<()>,
) {
    let started = Instant::now();
    let (bar, every) = match display {
        Display::Terminal => {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            (Some(bar), Duration::from_millis(250))
        }
        Display::Lines { every } => (None, every),
        Display::Hidden => return,
    };
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
        let line = counters.line(started.elapsed(), uploading);
        match &bar {
            Some(bar) => bar.set_message(line),
            None => crate::say!("offconv: progress: {line}"),
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

impl Drop for ProgressDisplay {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line() {
        let c = Counters::default();
        Counters::add(&c.rows_read, 1_500_000);
        Counters::add(&c.rows_done, 1_000_000);
        Counters::add(&c.sent, 990_000);
        Counters::add(&c.in_flight, 4);
        Counters::add(&c.retries, 12);
        Counters::add(&c.bytes_read, 150);
        Counters::add(&c.bytes_total, 300);
        let line = c.line(Duration::from_secs(10), true);
        assert_eq!(
            line,
            "1,500,000 rows read, 990,000 sent (99,000/s), 0 rejected, 0 failed, 4 requests in flight, 12 retries, ETA 20s"
        );
        let c = Counters::default();
        Counters::add(&c.rows_read, 999);
        Counters::add(&c.rows_done, 999);
        assert_eq!(
            c.line(Duration::from_secs(1), false),
            "999 rows read (999/s)"
        );
        assert_eq!(duration(Duration::from_secs(3725)), "1h02m");
    }
}
