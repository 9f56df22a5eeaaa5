//! Entry points of the fuzz targets (`fuzz/`, README "Fuzzing") and of
//! their regression tests (`tests/fuzz_regressions.rs`): each takes
//! arbitrary bytes, runs them through the real code path and panics when
//! a property fails, so a crash the fuzzer finds is replayed on stable by
//! calling the same function with the same bytes. Not an API.
//!
//! Inputs that pick options take them from their first byte; the rest is
//! the text under test. Texts that hold several fields split them at the
//! byte `0xFF`, which UTF-8 never holds.

use std::io::Cursor;
use std::path::Path;
use std::sync::LazyLock;

use crate::config::Mapping;
use crate::mapper::{RowMapper, Scratch};
use crate::money::{self, Separator};
use crate::normalize::{self, Field, PhoneRegion};
use crate::outcome::{Reason, Verdict};
use crate::pipeline;
use crate::source::{self, Format, Input};

/// The run's clock: 2026-11-25, so the seeds' sales are inside the window.
const NOW: i64 = 1_795_700_000;

/// The fixed mappings of [`export`], with the header each is written for.
const EXPORTS: [(&str, &str); 3] = [
    (
        "order_id,purchased_at,email,phone,first_name,last_name,full_name,city,state,zip,country,total,currency,status\n",
        r#"
[event]
time_column = "purchased_at"
timezone = "America/Chicago"
id_column = "order_id"
[custom_data]
value_column = "total"
currency_column = "currency"
[user_data]
em = "email"
ph = "phone"
fn = "first_name"
ln = "last_name"
full_name = "full_name"
ct = "city"
st = "state"
zp = "zip"
country = "country"
[normalize]
country_default = "US"
phone_region = "US"
[filter.skip]
status = ["refund"]
"#,
    ),
    (
        "order_id,purchased_at,email,phone,zip,country,sku,title,quantity,item_price,currency\n",
        r#"
[event]
time_column = "purchased_at"
group_by = "order_id"
[contents]
id_column = "sku"
quantity_column = "quantity"
item_price_column = "item_price"
title_column = "title"
[custom_data]
currency_column = "currency"
order_id_column = "order_id"
[user_data]
em = "email"
ph = "phone"
zp = "zip"
country = "country"
[normalize]
phone_region = "GB"
"#,
    ),
    (
        "id;date;time;zone;email;phone;country;total;currency\n",
        r#"
[csv]
delimiter = ";"
[event]
time_column = "date"
time_of_day_column = "time"
timezone_column = "zone"
time_format = "%d.%m.%Y %H:%M"
id_column = "id"
[custom_data]
value_column = "total"
currency = "EUR"
decimal_separator = ","
[user_data]
em = "email"
ph = "phone"
country = "country"
[normalize]
country_default = "DE"
phone_region = "DE"
"#,
    ),
];

fn mapping(text: &str) -> Mapping {
    Mapping::parse(text, Path::new("fuzz.toml")).expect("a fixed mapping is valid")
}

static EXPORT_MAPPINGS: LazyLock<Vec<Mapping>> =
    LazyLock::new(|| EXPORTS.iter().map(|(_, text)| mapping(text)).collect());

/// An input over `bytes` in the mapping's `[csv]` format, as a run opens
/// a file.
fn input(mapping: &Mapping, bytes: Vec<u8>) -> Result<Input, source::InputError> {
    let format = Format {
        delimiter: mapping.delimiter,
        encoding: mapping.encoding,
    };
    source::from_stream(
        "fuzz.csv".into(),
        None,
        Box::new(Cursor::new(bytes)),
        format,
    )
}

/// An export read and mapped as a run does. The first byte picks one of
/// the fixed mappings (its value modulo 3) and whether the rest follows
/// that mapping's header (high bit clear) or is the whole file, header
/// included. Property: no panic, and every row the user counts (each
/// record, and each row an unclosed quote swallowed) has exactly one
/// outcome, in order; a rejection has a detail, a valid event is JSON.
pub fn export(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let which = usize::from(pick & 0x7f) % EXPORTS.len();
    let mapping = &EXPORT_MAPPINGS[which];
    let mut bytes = Vec::with_capacity(rest.len() + 128);
    if pick & 0x80 == 0 {
        let header = EXPORTS[which].0;
        bytes.extend_from_slice(header.as_bytes());
    }
    bytes.extend_from_slice(rest);
    let Ok(first) = input(mapping, bytes.clone()) else {
        return;
    };
    let Ok(plan) = mapping.resolve(&first.header, &first.name) else {
        return;
    };
    let mapper = RowMapper::new(mapping, plan, NOW);
    let (outcomes, _read_error) = pipeline::outcomes_in_thread(first, &mapper);
    let again = input(mapping, bytes).expect("the same bytes open the same way");
    let rows = pipeline::rows_of(again);
    let mut next = 1;
    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(outcome.row, next, "outcome {i}: rows in order, none twice");
        next += match &outcome.verdict {
            Verdict::Valid(event) => {
                serde_json::from_str::<serde_json::Value>(&event.json)
                    .expect("a valid event is JSON");
                u64::from(event.rows.max(1))
            }
            Verdict::Rejected { rejection, .. } => {
                assert!(!rejection.detail.is_empty(), "a rejection says why");
                1
            }
            Verdict::Skipped { skip, .. } => {
                assert!(!skip.detail.is_empty(), "a skip says why");
                1
            }
        };
    }
    assert_eq!(next - 1, rows, "every row has exactly one outcome");
}

/// The header the mappings of [`mapping_file`] are checked against, and
/// rows mapped with them.
const MAPPING_EXPORT: &str = "\
order_id,purchased_at,date,time,zone,email,phone,first_name,last_name,full_name,city,state,zip,country,dob,gender,external_id,total,currency,sku,title,quantity,item_price,event,source,ip,user_agent,ldu,status
A-1,2026-11-25 10:00,25.11.2026,10:00,Europe/Berlin,ana@example.com,(312) 555-0101,Ana,Silva,Ana Silva,Chicago,IL,60601,US,1990-01-31,f,C-1,\"1,234.56\",USD,SKU-1,Shirt,2,19.99,Purchase,physical_store,192.0.2.1,Mozilla/5.0,1,paid
A-1,2026-11-25 10:00,25.11.2026,10:00,,bo@example.com,+44 20 7946 0958,Bo,Chen,,London,,SW1A 1AA,GB,,m,,12.50,GBP,SKU-2,Cap,1,12.50,Purchase,website,,,0,refund
";

/// A mapping file as the CLI checks it at start-up: parsed and checked,
/// then bound to an export's header (the columns, the PII guard, the
/// warnings) and its mapper built; the export's rows are then mapped
/// with it. Property: no panic; an error or a warning is a message.
pub fn mapping_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mapping = match Mapping::parse(text, Path::new("fuzz.toml")) {
        Ok(m) => m,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an error says why");
            return;
        }
    };
    let export = MAPPING_EXPORT.as_bytes().to_vec();
    let Ok(input) = input(&mapping, export) else {
        return;
    };
    let checked = match crate::job::checked_input(&mapping, &input, NOW) {
        Ok(checked) => checked,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an error says why");
            return;
        }
    };
    for (_, warning) in &checked.pii_warnings {
        assert!(!warning.is_empty());
    }
    let (outcomes, _) = pipeline::outcomes_in_thread(input, &checked.mapper);
    assert!(outcomes.len() <= 2, "two rows at most");
}

static AMOUNT_MAPPINGS: LazyLock<[Mapping; 2]> = LazyLock::new(|| {
    let text = |sep: &str| {
        format!(
            "[event]\ntime_column = \"t\"\n[custom_data]\nvalue_column = \"value\"\ncurrency_column = \"currency\"\ndecimal_separator = \"{sep}\"\n[user_data]\nem = \"email\"\n"
        )
    };
    [mapping(&text(".")), mapping(&text(","))]
});

/// An amount, as `money` reads it under both decimal conventions and as
/// the mapper reads a value column with a currency column. Input: the
/// value, then (after `0xFF`) the currency cell. Property: no panic; an
/// amount read is a plain non-negative decimal that reads back the same.
pub fn amount(data: &[u8]) {
    let mut fields = data.split(|&b| b == 0xFF);
    let Ok(value) = std::str::from_utf8(fields.next().unwrap_or_default()) else {
        return;
    };
    let currency = fields.next().unwrap_or_default();
    for sep in [Separator::Point, Separator::Comma] {
        if let Ok(Some(amount)) = money::parse_amount(value, sep) {
            let d = &amount.decimal;
            let (whole, fraction) = d.split_once('.').unwrap_or((d, "0"));
            assert!(
                !whole.is_empty() && !fraction.is_empty(),
                "{d:?}: digits on both sides of the point"
            );
            assert!(
                whole
                    .bytes()
                    .chain(fraction.bytes())
                    .all(|b| b.is_ascii_digit()),
                "{d:?}: digits only"
            );
            let again = money::parse_amount(d, Separator::Point).map(|a| a.map(|a| a.decimal));
            assert_eq!(again, Ok(Some(d.clone())), "the decimal reads back");
            if let Some(code) = amount.currency {
                assert!(money::is_currency_ignoring_case(code), "{code:?}");
            }
        }
    }
    let t = b"2026-11-25 10:00".as_slice();
    let email = b"ana@example.com".as_slice();
    let record = crate::records::Record::from(vec![t, value.as_bytes(), currency, email]);
    let header = ["t", "value", "currency", "email"].map(String::from);
    for m in AMOUNT_MAPPINGS.iter() {
        let plan = m.resolve(&header, "fuzz.csv").expect("the header fits");
        let verdict = RowMapper::new(m, plan, NOW).map(&record, &mut Scratch::default());
        if let Verdict::Rejected { rejection, .. } = &verdict {
            assert!(
                matches!(
                    rejection.reason,
                    Reason::BadValue | Reason::BadCurrency | Reason::BadUtf8
                ),
                "{:?}: only the amount can be wrong",
                rejection.reason
            );
        }
    }
}

/// A TOML string holding `s` exactly (as init writes one).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A sale's time as the mapper reads it. The first byte's bits: 1, the
/// mapping has a `time_format`; 2, a time of day column; 4, a timezone
/// column; 8, a `timezone` of its own. The rest: the time format, the
/// date cell, the time-of-day cell, the zone cell and the mapping's
/// zone, split at `0xFF`. A mapping the checks refuse ends the case.
/// Property: no panic, and only the time can be wrong.
pub fn time(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut fields = rest.split(|&b| b == 0xFF);
    let mut next = || fields.next().unwrap_or_default();
    let (format, date, time_of_day, zone, mapping_zone) = (next(), next(), next(), next(), next());
    let (Ok(format), Ok(mapping_zone)) = (
        std::str::from_utf8(format),
        std::str::from_utf8(mapping_zone),
    ) else {
        return;
    };
    let mut text = String::from("[event]\ntime_column = \"date\"\n");
    if flags & 1 != 0 {
        text.push_str(&format!("time_format = {}\n", toml_string(format)));
    }
    if flags & 2 != 0 {
        text.push_str("time_of_day_column = \"time\"\n");
    }
    if flags & 4 != 0 {
        text.push_str("timezone_column = \"zone\"\n");
    }
    if flags & 8 != 0 {
        text.push_str(&format!("timezone = {}\n", toml_string(mapping_zone)));
    }
    text.push_str("[user_data]\nem = \"email\"\n");
    let Ok(mapping) = Mapping::parse(&text, Path::new("fuzz.toml")) else {
        return;
    };
    let header = ["date", "time", "zone", "email"].map(String::from);
    let plan = mapping
        .resolve(&header, "fuzz.csv")
        .expect("the header fits");
    let record =
        crate::records::Record::from(vec![date, time_of_day, zone, b"ana@example.com".as_slice()]);
    let mapper = RowMapper::new(&mapping, plan, NOW);
    let mut scratch = Scratch::default();
    let verdict = mapper.map(&record, &mut scratch);
    if let Verdict::Rejected { rejection, .. } = &verdict {
        assert!(
            matches!(
                rejection.reason,
                Reason::BadTime | Reason::TooOld | Reason::InFuture | Reason::BadUtf8
            ),
            "{:?}: only the time can be wrong",
            rejection.reason
        );
    }
    // The same row again: the zone now comes from the cache.
    assert_eq!(
        format!("{:?}", mapper.map(&record, &mut scratch)),
        format!("{verdict:?}"),
        "the same row, the same verdict"
    );
}

/// A phone number normalized with and without a region. The first two
/// bytes pick the region (two letters; none when the first byte's high
/// bit is set), the rest is the number. Property: no panic; a number
/// normalized is digits without a leading zero (or a digest passed on).
pub fn phone(data: &[u8]) {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let Ok(number) = std::str::from_utf8(rest) else {
        return;
    };
    let region = (a & 0x80 == 0).then(|| [b'a' + a % 26, b'a' + b % 26]);
    let region = region.and_then(PhoneRegion::of_country);
    let mut out = String::new();
    for phone_region in [None, region] {
        let options = normalize::Options {
            phone_region,
            ..normalize::Options::default()
        };
        let outcome = normalize::normalize(Field::Ph, number, &options, &mut out);
        match outcome {
            normalize::Outcome::Normalized => {
                assert!(out.bytes().all(|b| b.is_ascii_digit()), "{out:?}: digits");
                assert!(!out.starts_with('0'), "{out:?}: no leading zero");
            }
            normalize::Outcome::Dropped => assert!(out.is_empty()),
            normalize::Outcome::AlreadyHashed => assert!(normalize::is_sha256_hex(&out)),
        }
    }
}
