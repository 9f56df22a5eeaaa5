//! Row → event: one CSV record becomes a serialized Conversions API event
//! or a rejection with a reason code and a detail naming the column.
//!
//! This runs in the CPU stage for every record, so it works on the raw
//! `ByteRecord`, validates UTF-8 only for the columns it reads, and writes
//! normalized values and hashes into reused buffers ([`Scratch`]).

mod filter;
mod guard;
mod memo;
mod order;

pub use order::{OrderVerdict, group_key};

use std::fmt::Write as _;

use csv::ByteRecord;

use crate::config::{ACTION_SOURCES, Mapping, Plan};
use crate::event::push_json_str;
use crate::money::{self, ValueError};
use crate::normalize::{self, Field, Outcome};
use crate::outcome::{KeySet, PreparedEvent, Reason, Rejection, Verdict};
use crate::time::{Placement, TimeParser, Window};

/// A record with its text, validated as UTF-8 once for the whole record
/// (fields split at ASCII delimiters, so each field of valid text is valid
/// text); `text` is `None` when some byte is not UTF-8, and then each
/// field read is checked on its own to name the column.
pub struct Row<'r> {
    record: &'r ByteRecord,
    text: Option<&'r str>,
}

impl<'r> Row<'r> {
    pub fn new(record: &'r ByteRecord) -> Row<'r> {
        Row {
            record,
            text: std::str::from_utf8(record.as_slice()).ok(),
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
    /// The length of the last event, to size the next one's buffer.
    event_len: usize,
    memo: memo::Memo,
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
    currency: Option<String>,
}

impl RowMapper {
    pub fn new(mapping: &Mapping, plan: Plan, now: i64) -> RowMapper {
        static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        RowMapper {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            plan,
            event_name: mapping.event.name.clone(),
            action_source: mapping.action_source.clone(),
            times: TimeParser::new(mapping.event.time_format.clone(), mapping.timezone.clone()),
            window: Window { now },
            options: mapping.options.clone(),
            country_default: mapping
                .country_default
                .as_ref()
                .map(|c| normalize::sha256(c.as_bytes())),
            default_is_us: mapping.country_default.as_deref() == Some("us"),
            currency: mapping
                .custom_data
                .currency
                .as_ref()
                .map(|c| c.to_ascii_uppercase()),
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The verdict on one record.
    pub fn map(&self, record: &ByteRecord, scratch: &mut Scratch) -> Verdict {
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
        if let (Some(text), Some(range)) = (rec.text, rec.record.range(col)) {
            return Ok(guard::strip_excel_guard(&text[range]));
        }
        let bytes = rec.record.get(col).unwrap_or_default();
        std::str::from_utf8(bytes).map(guard::strip_excel_guard).map_err(|e| {
            Rejection::new(
                Reason::BadUtf8,
                format!(
                    "column {}: not valid UTF-8 (invalid byte at offset {}); re-export the file as UTF-8",
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
                return Ok(id.to_owned());
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
        let event_time = self.event_time(rec, action_source)?;
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
        json.push('}');
        scratch.event_len = json.len();
        Ok((json, keys, plain_keys))
    }

    fn event_time(&self, rec: &Row<'_>, action_source: &str) -> Result<i64, Rejection> {
        let col = self.plan.time_column;
        let name = self.plan.column_name(col);
        let t = self
            .times
            .parse(self.text(rec, col)?)
            .map_err(|e| Rejection::new(Reason::BadTime, format!("column {name}: the time {e}")))?;
        match self.window.place(t, action_source) {
            Placement::Inside => Ok(t),
            Placement::TooOld { max_age_days } => Err(Rejection::new(
                Reason::TooOld,
                format!(
                    "column {name}: the sale is more than {max_age_days} days old; Meta refuses {action_source} events older than that"
                ),
            )),
            Placement::InFuture => Err(Rejection::new(
                Reason::InFuture,
                format!(
                    "column {name}: the time is more than 10 minutes in the future (check the mapping's timezone)"
                ),
            )),
        }
    }

    /// Writes the `user_data` object into `out`.
    fn user_data(
        &self,
        rec: &Row<'_>,
        s: &mut Scratch,
        out: &mut String,
    ) -> Result<(KeySet, bool), Rejection> {
        let plan = &self.plan;
        let mut keys = KeySet::default();
        out.push('{');
        let mut first = true;
        // The row's country decides the US zip rule.
        let mut row_is_us = self.default_is_us;
        for (field, cols) in &plan.hashed {
            let field = *field;
            s.values.clear();
            for &col in cols {
                let raw = self.text(rec, col)?;
                if raw.is_empty() {
                    continue;
                }
                if field == Field::ExternalId
                    && !self.options.hash_external_id
                    && normalize::normalize(field, raw, &self.options, &mut s.normalized)
                        == Outcome::Normalized
                {
                    // Sent as it is, without hashing (a value that already
                    // is a digest goes on as one, below).
                    write_plain_key(out, &mut first, field.key());
                    out.push('[');
                    push_json_str(out, &s.normalized);
                    out.push(']');
                    keys.insert(field);
                    continue;
                }
                let zip_is_us = field == Field::Zp && row_is_us;
                let normalized = &mut s.normalized;
                let mut compute = || self.hash_value(field, raw, zip_is_us, normalized);
                let hashed = if memo::worth_it(field) {
                    s.memo
                        .get_or_compute(field as usize, self.memo_tag(zip_is_us), raw, compute)
                } else {
                    compute()
                };
                if let Some(is_us) = hashed.country_is_us {
                    row_is_us = is_us;
                }
                if let Some(value) = hashed.digest
                    && !s.values.contains(&value)
                {
                    s.values.push(value);
                }
            }
            if s.values.is_empty() {
                continue;
            }
            keys.insert(field);
            write_plain_key(out, &mut first, field.key());
            out.push('[');
            for (i, v) in s.values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                normalize::push_hex(out, v);
                out.push('"');
            }
            out.push(']');
        }
        // Fill in the default country as a key when no country column gave one.
        if !keys.contains(Field::Country)
            && let Some(default) = &self.country_default
            && plan.hashed.iter().any(|(f, _)| *f != Field::Country)
            && !keys.is_empty()
        {
            keys.insert(Field::Country);
            write_plain_key(out, &mut first, Field::Country.key());
            out.push_str("[\"");
            normalize::push_hex(out, default);
            out.push_str("\"]");
        }
        let mut plain = false;
        for (key, col) in &plan.plain {
            let value = self.text(rec, *col)?.trim();
            if value.is_empty() {
                continue;
            }
            plain = true;
            write_plain_key(out, &mut first, key);
            push_json_str(out, value);
        }
        out.push('}');
        Ok((keys, plain))
    }

    /// One value of a hashed field: normalized, then its SHA-256 (or the
    /// digest it already was). `zip_is_us`: the row's country is the US,
    /// so a zip keeps its first five digits.
    fn hash_value(
        &self,
        field: Field,
        raw: &str,
        zip_is_us: bool,
        normalized: &mut String,
    ) -> memo::Hashed {
        let (digest, country_is_us) =
            match normalize::normalize(field, raw, &self.options, normalized) {
                Outcome::Dropped => (None, None),
                Outcome::AlreadyHashed => (
                    const_hex::decode_to_array::<_, 32>(normalized.as_str()).ok(),
                    None,
                ),
                Outcome::Normalized => {
                    let is_us = (field == Field::Country).then(|| normalized == "us");
                    if zip_is_us {
                        normalize::us_zip5(normalized);
                    }
                    (Some(normalize::sha256(normalized.as_bytes())), is_us)
                }
            };
        memo::Hashed {
            digest,
            country_is_us,
        }
    }

    /// What a memoized value depends on besides its text and field (the
    /// memo keeps a part per field): this mapper (its options), and for
    /// zips the row's country.
    fn memo_tag(&self, zip_is_us: bool) -> u32 {
        self.id << 1 | u32::from(zip_is_us)
    }

    fn custom_data(
        &self,
        rec: &Row<'_>,
        event_name: &str,
        json: &mut String,
        order: Option<&order::Order>,
    ) -> Result<(), Rejection> {
        let plan = &self.plan;
        // Written in place; taken back when the event has no custom data.
        let start = json.len();
        json.push_str(",\"custom_data\":{");
        let mut first = true;
        let mut value_currency = None;
        let mut has_value = false;
        if let (None, Some(order)) = (plan.value_column, order) {
            // Line items without an order total: the sum of the items.
            write_plain_key(json, &mut first, "value");
            json.push_str(&order.value);
            has_value = true;
        }
        if let Some(col) = plan.value_column {
            let name = plan.column_name(col);
            match money::parse_value(self.text(rec, col)?) {
                Ok(Some(amount)) => {
                    write_plain_key(json, &mut first, "value");
                    json.push_str(&amount.decimal);
                    has_value = true;
                    value_currency = amount.currency.map(str::to_ascii_uppercase);
                }
                Ok(None) if event_name == "Purchase" => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: empty, and Meta requires a value for Purchase events"
                        ),
                    ));
                }
                Ok(None) => {}
                Err(ValueError::Negative) => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: the value is negative (refunds are not conversions)"
                        ),
                    ));
                }
                Err(ValueError::NotANumber) => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: not an amount (expected a form such as 1234.56, 1,234.56, $1,234.56 or 1234.56 USD)"
                        ),
                    ));
                }
                Err(ValueError::UnknownCurrency) => {
                    return Err(Rejection::new(
                        Reason::BadCurrency,
                        format!(
                            "column {name}: the currency written with the amount is not an ISO 4217 code"
                        ),
                    ));
                }
            }
        }
        let currency = match plan.currency_column {
            Some(col) => {
                let name = plan.column_name(col);
                let raw = self.text(rec, col)?.trim().to_ascii_uppercase();
                if raw.is_empty() {
                    value_currency.clone()
                } else if !money::is_currency(&raw) {
                    return Err(Rejection::new(
                        Reason::BadCurrency,
                        format!("column {name}: not an ISO 4217 currency code (such as USD, EUR)"),
                    ));
                } else {
                    Some(raw)
                }
            }
            None => value_currency.clone().or_else(|| self.currency.clone()),
        };
        if let (Some(written), Some(currency)) = (&value_currency, &currency)
            && written != currency
        {
            let value_col =
                plan.column_name(plan.value_column.expect("a written currency comes from it"));
            return Err(Rejection::new(
                Reason::BadCurrency,
                format!(
                    "column {value_col}: the amount names another currency than the currency column"
                ),
            ));
        }
        match &currency {
            Some(code) => {
                write_plain_key(json, &mut first, "currency");
                push_json_str(json, code);
            }
            None if has_value => {
                let detail = match plan.currency_column {
                    Some(col) => format!(
                        "column {}: empty, and the value needs a currency (an ISO 4217 code such as USD)",
                        plan.column_name(col)
                    ),
                    None => format!(
                        "the value has no currency; map currency_column or set currency in [custom_data]{}",
                        plan.value_column
                            .map(|c| format!(" (value from column {})", plan.column_name(c)))
                            .unwrap_or_default()
                    ),
                };
                return Err(Rejection::new(Reason::BadCurrency, detail));
            }
            None => {}
        }
        if let Some(col) = plan.order_id_column {
            let id = self.text(rec, col)?.trim();
            if !id.is_empty() {
                write_plain_key(json, &mut first, "order_id");
                push_json_str(json, id);
            }
        }
        for (key, col) in &plan.custom_columns {
            let v = self.text(rec, *col)?.trim();
            if !v.is_empty() {
                write_key(json, &mut first, key);
                push_json_str(json, v);
            }
        }
        if let Some(order) = order {
            write_plain_key(json, &mut first, "contents");
            json.push_str(&order.contents);
            write_plain_key(json, &mut first, "content_ids");
            json.push_str(&order.content_ids);
            write_plain_key(json, &mut first, "content_type");
            json.push_str("\"product\"");
            write_plain_key(json, &mut first, "num_items");
            let _ = write!(json, "{}", order.num_items);
        }
        if first {
            json.truncate(start);
        } else {
            json.push('}');
        }
        Ok(())
    }
}

/// [`write_key`] for the keys offconv itself names (Meta's field names:
/// `em`, `value`, `client_ip_address`): nothing in them to escape.
fn write_plain_key(out: &mut String, first: &mut bool, key: &'static str) {
    debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    out.push_str(if *first { "\"" } else { ",\"" });
    *first = false;
    out.push_str(key);
    out.push_str("\":");
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A mapper for `em,cust,city` with `[normalize]` lines added.
    fn mapper(normalize: &str) -> RowMapper {
        let text = format!(
            "[event]\nname = \"Purchase\"\naction_source = \"physical_store\"\ntime_column = \"t\"\n\
             timezone = \"UTC\"\nid_column = \"id\"\n[custom_data]\ncurrency = \"USD\"\nvalue_column = \"v\"\n\
             [user_data]\nem = \"em\"\nexternal_id = \"cust\"\nct = \"city\"\n[normalize]\n{normalize}"
        );
        let mapping = Mapping::parse(&text, Path::new("t.toml")).unwrap();
        let header: Vec<String> = ["id", "t", "v", "em", "cust", "city"]
            .map(String::from)
            .to_vec();
        let plan = mapping.resolve(&header, "t.csv").unwrap();
        RowMapper::new(&mapping, plan, 1_795_700_000)
    }

    fn user_data(
        m: &RowMapper,
        scratch: &mut Scratch,
        cust: &str,
        city: &str,
    ) -> serde_json::Value {
        let record = ByteRecord::from(vec![
            "o1",
            "2026-11-25 10:00:00",
            "12.50",
            "a@example.com",
            cust,
            city,
        ]);
        match m.map(&record, scratch) {
            Verdict::Valid(ev) => {
                let v: serde_json::Value = serde_json::from_str(&ev.json).unwrap();
                v["user_data"].clone()
            }
            other => panic!("{other:?}"),
        }
    }

    fn sha(s: &str) -> String {
        normalize::sha256_hex_string(s.as_bytes())
    }

    #[test]
    fn external_id_unhashed_hashed_and_already_a_digest() {
        let digest = sha("already");
        let plain = mapper("hash_external_id = false\n");
        let mut scratch = Scratch::default();
        let ud = user_data(&plain, &mut scratch, " CUST 1 ", "Chicago");
        assert_eq!(ud["external_id"], serde_json::json!(["cust1"]), "{ud}");
        // A digest goes on as the digest, lowercased, even unhashed.
        let ud = user_data(&plain, &mut scratch, &digest.to_uppercase(), "Chicago");
        assert_eq!(ud["external_id"], serde_json::json!([digest]), "{ud}");
        let hashed = mapper("");
        let ud = user_data(&hashed, &mut scratch, " CUST 1 ", "Chicago");
        assert_eq!(ud["external_id"], serde_json::json!([sha("cust1")]), "{ud}");
    }

    /// The memo answers a repeated value exactly as the first time, for
    /// each mapper on its own (one worker's scratch serves every input).
    #[test]
    fn memoized_values_hash_as_computed() {
        let mut scratch = Scratch::default();
        let m = mapper("");
        for city in [
            "Chicago",
            "CHICAGO",
            "São Paulo",
            "Chicago",
            "29 Palms",
            "São Paulo",
        ] {
            let ud = user_data(&m, &mut scratch, "c", city);
            let mut fresh = Scratch::default();
            assert_eq!(ud, user_data(&m, &mut fresh, "c", city), "{city}");
        }
        let ud = user_data(&m, &mut scratch, "c", "São Paulo");
        assert_eq!(ud["ct"], serde_json::json!([sha("saopaulo")]), "{ud}");
        assert!(
            user_data(&m, &mut scratch, "c", "29 Palms")
                .get("ct")
                .is_none()
        );
    }
}
