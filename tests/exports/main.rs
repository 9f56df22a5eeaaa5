//! The real-export corpus (`fixtures/exports/<system>/`, issue 14): each
//! system's export validated with its hand-written mapping, and the events
//! asserted (times, values, contents, skips and rejections, key hashes).
//! One module per system; this file holds what they share.

#[path = "../util/mod.rs"]
mod util;

mod clover;
mod dsfinvk;
mod excel_1252;
mod init_agrees;
mod magento;
mod shopify;
mod square_items;
mod square_transactions;
mod stripe;
mod sumup;
mod toast;
mod woocommerce;

use std::collections::HashMap;
use std::path::PathBuf;

use util::*;

/// What `validate` made of one corpus export.
pub struct Export {
    pub code: Option<i32>,
    pub stderr: String,
    pub report: Vec<ReportRow>,
    pub events: Vec<serde_json::Value>,
}

impl Export {
    /// Report lines with this status, by row number.
    pub fn rows_with(&self, status: &str) -> Vec<u64> {
        self.report
            .iter()
            .filter(|r| r.status == status)
            .map(|r| r.row)
            .collect()
    }

    /// The report line of data row `row` (1 = first row after the header).
    pub fn row(&self, row: u64) -> &ReportRow {
        self.report
            .iter()
            .find(|r| r.row == row)
            .unwrap_or_else(|| panic!("row {row} is not in the report"))
    }

    /// Events by `custom_data.order_id`.
    pub fn by_order(&self) -> HashMap<String, &serde_json::Value> {
        self.events
            .iter()
            .map(|e| {
                let id = e["custom_data"]["order_id"]
                    .as_str()
                    .expect("order_id")
                    .to_owned();
                (id, e)
            })
            .collect()
    }

    /// The event of one order; panics naming the order when there is none.
    pub fn order(&self, order_id: &str) -> &serde_json::Value {
        self.events
            .iter()
            .find(|e| e["custom_data"]["order_id"] == order_id)
            .unwrap_or_else(|| panic!("no event for order {order_id}"))
    }
}

/// The folder of one system.
pub fn folder(system: &str) -> PathBuf {
    fixtures().join("exports").join(system)
}

/// The export of a system's folder: its one file that is not the mapping.
pub fn export_file(system: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder(system))
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_none_or(|x| x != "toml"))
        .collect();
    assert_eq!(files.len(), 1, "one export in {system}: {files:?}");
    files.pop().expect("one file")
}

/// `offconv validate` of a system's export with its `mapping.toml`, at the
/// corpus clock, with the report and the payload dump read back.
pub fn validate(system: &str) -> Export {
    let mapping = folder(system).join("mapping.toml");
    validate_with(&TestDir::new(), system, &mapping.display().to_string(), "v")
}

/// `offconv validate` of a system's export with the mapping at `mapping`,
/// at the corpus clock; the report and dump are `<tag>.report.csv` and
/// `<tag>.ndjson` in `t`, read back.
pub fn validate_with(t: &TestDir, system: &str, mapping: &str, tag: &str) -> Export {
    let report = format!("{tag}.report.csv");
    let dump = format!("{tag}.ndjson");
    let out = t
        .cmd(&[
            "validate",
            &export_file(system).display().to_string(),
            "--mapping",
            mapping,
            "--now",
            NOW,
            "--report",
            &report,
            "--payloads",
            &dump,
        ])
        .output()
        .expect("run offconv");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        t.path(&report).exists(),
        "{system} ({tag}): no report; exit {:?}, stderr:\n{stderr}",
        out.status.code()
    );
    let events = if t.path(&dump).exists() {
        read_payload_events(&t.path(&dump))
    } else {
        Vec::new()
    };
    Export {
        code: out.status.code(),
        stderr,
        report: read_report(&t.path(&report)),
        events,
    }
}

/// SHA-256 hex of a normalized value, as Meta expects a hashed key.
pub fn sha(normalized: &str) -> String {
    use sha2::{Digest, Sha256};
    const_hex::encode(Sha256::digest(normalized.as_bytes()))
}

/// The first hash of a user_data key of an event (keys are arrays).
pub fn key(event: &serde_json::Value, name: &str) -> Option<String> {
    let v = &event["user_data"][name];
    v.as_array()
        .and_then(|a| a.first())
        .or(Some(v))
        .and_then(|x| x.as_str())
        .map(str::to_owned)
}

/// `event_time` as RFC 3339 UTC, for readable assertions.
pub fn utc(event: &serde_json::Value) -> String {
    let secs = event["event_time"].as_i64().expect("event_time");
    jiff::Timestamp::from_second(secs)
        .expect("timestamp")
        .to_string()
}

/// The systems whose mapping the loader reads today; a system joins when
/// the keys its mapping uses are built (issue 14), until all are here.
const READABLE: &[&str] = &[
    "magento",
    "stripe",
    "woocommerce",
    "toast",
    "clover",
    "square_transactions",
    "sumup",
    "dsfinvk",
    "excel_1252",
    "shopify",
    "square_items",
];

/// The mapping's `[csv] delimiter`, for counting the export's records.
fn delimiter(system: &str) -> u8 {
    let text = std::fs::read_to_string(folder(system).join("mapping.toml")).expect("mapping");
    let value: toml::Value = toml::from_str(&text).expect("mapping is TOML");
    match value
        .get("csv")
        .and_then(|c| c.get("delimiter"))
        .and_then(|d| d.as_str())
    {
        Some("\\t") | Some("\t") => b'\t',
        Some(d) => d.as_bytes()[0],
        None => b',',
    }
}

/// Every row of every readable export is in the report exactly once.
#[test]
fn every_row_of_every_export_is_reported_once() {
    let all: Vec<String> = std::fs::read_dir(fixtures().join("exports"))
        .expect("corpus")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(all.len() >= 11, "{all:?}");
    for system in READABLE {
        assert!(all.iter().any(|s| s == system), "{system} has a folder");
        let e = validate(system);
        let records = count_records(&export_file(system), delimiter(system)) as u64;
        let mut rows: Vec<u64> = e.report.iter().map(|r| r.row).collect();
        rows.sort_unstable();
        assert_eq!(
            rows,
            (1..=records).collect::<Vec<_>>(),
            "{system}: every row once; stderr:\n{}",
            e.stderr
        );
    }
}
