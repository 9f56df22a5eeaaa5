//! What becomes of a row: the reason codes of the report, and the value the
//! CPU stage hands on for each input record.

use crate::normalize::Field;

/// A short, stable reason code (the report's `reason` column). Users grep
/// and count these, so a code never changes meaning once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// The record does not have the header's number of fields.
    BadRow,
    /// A mapped field is not valid UTF-8.
    BadUtf8,
    NoMatchKeys,
    /// Only customer keys Meta calls too broad to match (DESIGN.md 1).
    WeakMatchKeys,
    BadTime,
    TooOld,
    InFuture,
    BadValue,
    BadCurrency,
    BadEventName,
    BadActionSource,
    /// `[event] ldu_column` holds a value that is no Limited Data Use flag.
    BadLdu,
    /// The server refused this event (Graph error 100 isolated to it).
    Graph100,
    /// Delivery failed: rate limits outlasted the retries.
    RateLimited,
    /// Delivery failed: network errors or 5xx outlasted the retries.
    Network,
    /// Delivery stopped: token or permission error.
    Auth,
    /// The run stopped (Ctrl-C) before this row was sent.
    Interrupted,
    /// Line items: an order id that reappears after its order closed.
    OrderNotContiguous,
    /// Line items: another row of the same order was rejected.
    OrderRejected,
    /// Skipped: a `[filter]` rule left the row out.
    Filtered,
    /// Skipped: an earlier run already sent the row to this dataset.
    AlreadySent,
    /// Not sent: the ledger could not be read or written.
    Ledger,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::BadRow => "bad_row",
            Reason::BadUtf8 => "bad_utf8",
            Reason::NoMatchKeys => "no_match_keys",
            Reason::WeakMatchKeys => "weak_match_keys",
            Reason::BadTime => "bad_time",
            Reason::TooOld => "too_old",
            Reason::InFuture => "in_future",
            Reason::BadValue => "bad_value",
            Reason::BadCurrency => "bad_currency",
            Reason::BadEventName => "bad_event_name",
            Reason::BadActionSource => "bad_action_source",
            Reason::BadLdu => "bad_ldu",
            Reason::Graph100 => "graph_100",
            Reason::RateLimited => "rate_limited",
            Reason::Network => "network",
            Reason::Auth => "auth",
            Reason::Interrupted => "interrupted",
            Reason::OrderNotContiguous => "order_not_contiguous",
            Reason::OrderRejected => "order_rejected",
            Reason::Filtered => "filtered",
            Reason::AlreadySent => "already_sent",
            Reason::Ledger => "ledger",
        }
    }
}

/// A row refused before sending. `detail` names the column and never holds
/// a raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub reason: Reason,
    pub detail: String,
}

impl Rejection {
    pub fn new(reason: Reason, detail: impl Into<String>) -> Rejection {
        Rejection {
            reason,
            detail: detail.into(),
        }
    }
}

/// A row left out on purpose (report status `skipped`): never sent, never
/// rejected, never a reason for exit code 1. `detail` names the rule or
/// column and never holds a raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub reason: Reason,
    pub detail: String,
}

impl Skip {
    pub fn new(reason: Reason, detail: impl Into<String>) -> Skip {
        Skip {
            reason,
            detail: detail.into(),
        }
    }
}

/// The set of customer keys an event carries, for match-key coverage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeySet(pub u16);

impl KeySet {
    pub fn insert(&mut self, field: Field) {
        self.0 |= 1 << field as u16;
    }
    pub fn contains(self, field: Field) -> bool {
        self.0 & (1 << field as u16) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether these keys alone are a subset of one of the sets Meta
    /// refuses as too broad: {ct country st zp ge client_user_agent},
    /// {db client_user_agent}, {fn ge}, {ln ge} (DESIGN.md section 1).
    /// Only for an event without unhashed keys.
    pub fn is_weak(self) -> bool {
        use Field::*;
        let set = |fields: &[Field]| fields.iter().fold(0u16, |m, f| m | 1 << *f as u16);
        !self.is_empty()
            && [
                set(&[Ct, Country, St, Zp, Ge]),
                set(&[Db]),
                set(&[Fn, Ge]),
                set(&[Ln, Ge]),
            ]
            .iter()
            .any(|weak| self.0 & !weak == 0)
    }
}

/// A valid event, serialized once in the CPU stage.
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    pub event_id: String,
    /// The event's JSON object, exactly as it goes into `data`.
    pub json: String,
    pub keys: KeySet,
    /// Whether any unhashed key (`client_ip_address`, …) was present.
    pub plain_keys: bool,
    /// Input rows the event stands for: 1, or an order's line items
    /// (consecutive rows, starting at the outcome's row).
    pub rows: u32,
    /// A warning for the report's detail (the event is still sent).
    pub note: Option<String>,
    /// Line items: rows of the order carried different customer details
    /// (the first non-empty value of each column was used).
    pub conflicting_customer_data: bool,
}

/// The CPU stage's verdict on one record.
#[derive(Debug, Clone)]
pub enum Verdict {
    Valid(PreparedEvent),
    Rejected {
        rejection: Rejection,
        /// The event id when it could be made, so a user can find the row.
        event_id: Option<String>,
    },
    /// Left out on purpose (a filter, a ledger): reported `skipped`.
    Skipped {
        skip: Skip,
        event_id: Option<String>,
    },
}

/// One input record with its verdict and position.
#[derive(Debug, Clone)]
pub struct RowOutcome {
    /// Run-wide position over all inputs, 0-based: the order of the report.
    pub seq: u64,
    /// Index of the input among the run's inputs.
    pub file: u32,
    /// 1-based data record number within its file.
    pub row: u64,
    pub verdict: Verdict,
}

#[cfg(test)]
mod weak_key_tests {
    use super::*;

    fn keys(fields: &[Field]) -> KeySet {
        let mut k = KeySet::default();
        fields.iter().for_each(|f| k.insert(*f));
        k
    }

    #[test]
    fn meta_s_broad_sets_are_weak() {
        use Field::*;
        for weak in [
            &[Fn, Ge][..],
            &[Fn],
            &[Ln, Ge],
            &[Db],
            &[Ct, St, Zp, Country, Ge],
            &[Zp],
        ] {
            assert!(keys(weak).is_weak(), "{weak:?}");
        }
        for strong in [
            &[Em][..],
            &[Fn, Ln],
            &[Fn, Ge, Zp],
            &[Db, Ge],
            &[Ph, Ge],
            &[ExternalId],
        ] {
            assert!(!keys(strong).is_weak(), "{strong:?}");
        }
        assert!(!KeySet::default().is_weak());
    }
}
