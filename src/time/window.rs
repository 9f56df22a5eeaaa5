//! Meta's window: how old an event of each action source may be, and how
//! far ahead of the clock a time may lie.

/// Meta's window for one action source, against a fixed "now".
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub now: i64,
}

/// How far a time may lie ahead of the clock (clock skew between the
/// point-of-sale system and this machine).
pub const FUTURE_TOLERANCE_SECS: i64 = 10 * 60;

/// Where a time falls relative to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Inside,
    TooOld { max_age_days: i64 },
    InFuture,
}

impl Window {
    /// The oldest event Meta takes for `action_source`, in days.
    pub fn max_age_days(action_source: &str) -> i64 {
        if action_source == "physical_store" {
            62
        } else {
            7
        }
    }

    pub fn place(&self, event_time: i64, action_source: &str) -> Placement {
        let max_age_days = Window::max_age_days(action_source);
        if event_time < self.now - max_age_days * 86_400 {
            Placement::TooOld { max_age_days }
        } else if event_time > self.now + FUTURE_TOLERANCE_SECS {
            Placement::InFuture
        } else {
            Placement::Inside
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window() {
        let w = Window { now: 1_000_000_000 };
        assert_eq!(w.place(w.now, "physical_store"), Placement::Inside);
        assert_eq!(
            w.place(w.now - 63 * 86_400, "physical_store"),
            Placement::TooOld { max_age_days: 62 }
        );
        assert_eq!(
            w.place(w.now - 8 * 86_400, "phone_call"),
            Placement::TooOld { max_age_days: 7 }
        );
        assert_eq!(w.place(w.now + 601, "other"), Placement::InFuture);
        assert_eq!(w.place(w.now + 600, "other"), Placement::Inside);
    }
}
