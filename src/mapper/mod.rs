//! Row → event: one CSV record becomes a serialized Conversions API event
//! or a rejection with a reason code and a detail naming the column.
//!
//! This runs in the CPU stage for every record, so it works on the raw
//! `Record`, validates UTF-8 only for the columns it reads, and writes
//! normalized values and hashes into reused buffers ([`Scratch`]).

mod amount;
mod custom_data;
mod event_time;
mod filter;
mod full_name;
mod guard;
mod hashed_key;
mod joined_time;
mod ldu;
mod line_item;
mod memo;
mod order;
mod private_id;
mod row_country;
mod row_zone;
mod user_data;

pub use order::{OrderVerdict, group_key};

use crate::records::Record;

use crate::config::{ACTION_SOURCES, Mapping, Plan};
use crate::event::push_json_str;
use crate::normalize;
use crate::outcome::{KeySet, PreparedEvent, Reason, Rejection, Verdict};
use crate::time::{TimeParser, Window};

/// A record with its text, validated as UTF-8 once for the whole record
/// (fields split at ASCII delimiters, so each field of valid text is valid
/// text); `text` is `None` when some byte is not UTF-8, and then each
/// field read is checked on its own to name the column.
pub struct Row<'r> {
    record: &'r Record,
    text: Option<&'r str>,
}

impl<'r> Row<'r> {
    pub fn new(record: &'r Record) -> Row<'r> {
        Row {
            record,
            text: simdutf8::basic::from_utf8(record.as_slice()).ok(),
        }
    }

    fn len(&self) -> usize {
        self.record.len()
    }
}

/// Reused buffers of one worker: no allocation per field once warm, and
/// the memo of values that repeat ([`memo`]).
#[derive(Default)]
pub struct Scratch {
    normalized: String,
    values: Vec<[u8; 32]>,
    /// The length of the recent events, to size the next one's buffer.
    event_len: usize,
    memo: memo::Memo,
    times: event_time::TimeScratch,
}

/// Everything needed to map the records of one input.
#[derive(Debug, Clone)]
pub struct RowMapper {
    /// Tells this mapper's memoized values from another's (each input has
    /// its own mapping and options).
    id: u32,
    plan: Plan,
    event_name: Option<String>,
    action_source: String,
    times: TimeParser,
    window: Window,
    options: normalize::Options,
    /// The SHA-256 of `[normalize] country_default`, computed once.
    country_default: Option<[u8; 32]>,
    /// Whether the default country is the US (for the zip rule).
    default_is_us: bool,
    /// Limited Data Use fields, when some event can be under LDU.
    ldu: Option<ldu::LduFields>,
    /// The country columns, when the row's own country decides something
    /// (the zip rule, the phone region): read before the other keys.
    row_country: Vec<usize>,
    currency: Option<String>,
    /// `[custom_data] decimal_separator`, for every amount.
    separator: crate::money::Separator,
}

impl RowMapper {
    pub fn new(mapping: &Mapping, plan: Plan, now: i64) -> RowMapper {
        static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        RowMapper {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            event_name: mapping.event.name.clone(),
            action_source: mapping.action_source.clone(),
            times: TimeParser::new(mapping.event.time_format.clone(), mapping.timezone.clone()),
            window: Window { now },
            options: mapping.options,
            country_default: mapping
                .country_default
                .as_ref()
                .map(|c| normalize::sha256(c.as_bytes())),
            default_is_us: mapping.country_default.as_deref() == Some("us"),
            row_country: row_country::columns(&plan, &mapping.options),
            ldu: mapping.ldu.as_ref().map(ldu::LduFields::new),
            currency: mapping
                .custom_data
                .currency
                .as_ref()
                .map(|c| c.to_ascii_uppercase()),
            separator: mapping.separator,
            plan,
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The verdict on one record.
    pub fn map(&self, record: &Record, scratch: &mut Scratch) -> Verdict {
        let rec = &Row::new(record);
        if let Some(rejection) = self.check_width(rec) {
            return Verdict::Rejected {
                rejection,
                event_id: None,
            };
        }
        if let Some(skip) = self.filtered(std::slice::from_ref(rec)) {
            return Verdict::Skipped {
                skip,
                event_id: None,
            };
        }
        let event_id = match self.event_id(rec) {
            Ok(id) => id,
            Err(rejection) => {
                return Verdict::Rejected {
                    rejection,
                    event_id: None,
                };
            }
        };
        match self.build(rec, &event_id, scratch, None) {
            Ok((json, keys, plain_keys)) => Verdict::Valid(PreparedEvent {
                event_id,
                json,
                keys,
                plain_keys,
                rows: 1,
                note: None,
                conflicting_customer_data: false,
            }),
            Err(rejection) => Verdict::Rejected {
                rejection,
                event_id: Some(event_id),
            },
        }
    }

    /// Exports often end rows with a stray delimiter: extra fields are fine
    /// when empty. Missing fields are not: the columns would be shifted.
    fn check_width(&self, rec: &Row<'_>) -> Option<Rejection> {
        let width = self.plan.width;
        if rec.len() == width
            || (rec.len() > width && rec.record.iter().skip(width).all(<[u8]>::is_empty))
        {
            return None;
        }
        Some(Rejection::new(
            Reason::BadRow,
            format!(
                "the record has {} fields, the header has {width} (a missing or extra delimiter, or an unclosed quote)",
                rec.len()
            ),
        ))
    }

    fn text<'r>(&self, rec: &Row<'r>, col: usize) -> Result<&'r str, Rejection> {
        // When the record's bytes are valid UTF-8 as a whole, each field's
        // range of them is its text (the separators between fields are
        // ASCII); otherwise each field is checked on its own below.
        if let Some(field) = rec
            .text
            .zip(rec.record.range(col))
            .and_then(|(text, range)| text.get(range))
        {
            return Ok(guard::strip_excel_guard(field));
        }
        let bytes = rec.record.get(col).unwrap_or_default();
        std::str::from_utf8(bytes).map(guard::strip_excel_guard).map_err(|e| {
            Rejection::new(
                Reason::BadUtf8,
                format!(
                    "column {}: not valid text (invalid byte at offset {}): the file is not UTF-8, or not in the [csv] encoding the mapping names; set [csv] encoding to the export's encoding (Excel's \"CSV\" is usually \"windows-1252\"), or re-export it as UTF-8",
                    self.plan.column_name(col),
                    e.valid_up_to()
                ),
            )
        })
    }

    /// The mapped id column, else a hash of the whole record: the same row
    /// gets the same id in every run and from every file, so Meta
    /// deduplicates a re-run or a resume.
    fn event_id(&self, rec: &Row<'_>) -> Result<String, Rejection> {
        if let Some(col) = self.plan.id_column {
            let id = self.text(rec, col)?.trim();
            if !id.is_empty() {
                return Ok(private_id::id_value(id).into_owned());
            }
        }
        let mut bytes = Vec::with_capacity(rec.record.as_slice().len() + rec.len());
        for field in rec.record.iter().take(self.plan.width) {
            bytes.extend_from_slice(field);
            bytes.push(0x1f);
        }
        let digest = normalize::sha256_hex(&bytes);
        let hex = std::str::from_utf8(&digest[..32]).expect("hex is ASCII");
        Ok(format!("oc-{hex}"))
    }

    fn build(
        &self,
        rec: &Row<'_>,
        event_id: &str,
        scratch: &mut Scratch,
        order: Option<&order::Order>,
    ) -> Result<(String, KeySet, bool), Rejection> {
        let plan = &self.plan;
        let event_name = match (plan.name_column, &self.event_name) {
            (Some(col), _) => {
                let name = self.text(rec, col)?.trim();
                if name.is_empty() {
                    return Err(Rejection::new(
                        Reason::BadEventName,
                        format!("column {}: the event name is empty", plan.column_name(col)),
                    ));
                }
                name
            }
            (None, Some(name)) => name.as_str(),
            (None, None) => "Purchase",
        };
        let action_source = match plan.action_source_column {
            Some(col) => {
                let raw = self.text(rec, col)?.trim();
                let lower = raw.to_ascii_lowercase();
                match ACTION_SOURCES.iter().find(|a| **a == lower) {
                    Some(a) => *a,
                    None => {
                        return Err(Rejection::new(
                            Reason::BadActionSource,
                            format!(
                                "column {}: not an action source Meta knows ({})",
                                plan.column_name(col),
                                ACTION_SOURCES.join(", ")
                            ),
                        ));
                    }
                }
            }
            None => self.action_source.as_str(),
        };
        let event_time = self.event_time(rec, action_source, &mut scratch.times)?;
        // Written straight into the event, sized from the last one.
        let mut json = String::with_capacity(scratch.event_len + 64);
        json.push_str("{\"event_name\":");
        push_json_str(&mut json, event_name);
        json.push_str(",\"event_time\":");
        json.push_str(itoa::Buffer::new().format(event_time));
        json.push_str(",\"event_id\":");
        push_json_str(&mut json, event_id);
        json.push_str(",\"action_source\":\"");
        json.push_str(action_source);
        json.push_str("\",\"user_data\":");
        let (keys, plain_keys) = self.user_data(rec, scratch, &mut json)?;
        if keys.is_empty() && !plain_keys {
            let columns: Vec<&str> = plan
                .hashed
                .iter()
                .flat_map(|(_, cols)| cols.iter().map(|c| plan.column_name(*c)))
                .chain(plan.full_name.map(|c| plan.column_name(c)))
                .collect();
            return Err(Rejection::new(
                Reason::NoMatchKeys,
                format!(
                    "no usable customer information: {} empty or not valid after normalization",
                    columns.join(", ")
                ),
            ));
        }
        if !plain_keys && keys.is_weak() {
            return Err(Rejection::new(
                Reason::WeakMatchKeys,
                "only customer keys Meta calls too broad to match (such as first name and gender alone): map an email, phone, external_id or a fuller name and address",
            ));
        }
        self.custom_data(rec, event_name, &mut json, order)?;
        self.push_ldu(rec, &mut json)?;
        json.push('}');
        scratch.event_len = next_event_len(scratch.event_len, json.len());
        Ok((json, keys, plain_keys))
    }
}

/// The size to give the next event's buffer: the longest of the recent
/// events (one that is longer than the last by more than the slack was
/// grown, a copy of the whole event, for a third of the rows), forgetting
/// an outlier over some hundred rows, at most 4 KiB.
fn next_event_len(hint: usize, len: usize) -> usize {
    len.max(hint - hint / 64).min(4096)
}

/// [`write_key`] for the keys offconv itself names (Meta's field names:
/// `em`, `value`, `client_ip_address`): nothing in them to escape.
fn write_plain_key(out: &mut String, first: &mut bool, key: &'static str) {
    debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    // One-byte pushes, not `push_str` of two-byte literals: each of those
    // was a `memcpy` call, three per key of every row.
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push('"');
    out.push_str(key);
    out.push('"');
    out.push(':');
}

/// Writes `"key":` with a separating comma when needed (a key from the
/// mapping file, escaped).
fn write_key(out: &mut String, first: &mut bool, key: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    push_json_str(out, key);
    out.push(':');
}
