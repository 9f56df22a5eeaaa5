//! `init` on the real-export corpus (fixtures/exports): how many of the
//! slots a careful person sets in each hand-written mapping `init` fills
//! the same way, and the regressions of issue 15 (a constant column, empty
//! id columns, the merchant's own email).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

const SYSTEMS: [&str; 11] = [
    "shopify",
    "square_items",
    "square_transactions",
    "toast",
    "clover",
    "stripe",
    "woocommerce",
    "magento",
    "sumup",
    "dsfinvk",
    "excel_1252",
];

fn dir(system: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/exports")
        .join(system)
}

fn export(system: &str) -> PathBuf {
    std::fs::read_dir(dir(system))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .unwrap()
}

/// `init`'s guess for a system's export, with every section-6 key read.
fn corpus_guess(system: &str) -> (Sample, Guess) {
    let path = export(system);
    let mut input = crate::source::open(path.to_str().unwrap(), None).unwrap();
    let sample = Sample::read(&mut input, SAMPLE_ROWS);
    let g = guess_with(&sample, Support::all());
    (sample, g)
}

/// `section.key` = value for every key of a mapping; `[filter]` rules as
/// `filter.skip.<column>`, their values lower case.
fn slots(text: &str) -> Vec<(String, toml::Value)> {
    let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut out = Vec::new();
    for (section, keys) in &table {
        let keys = keys.as_table().unwrap();
        for (key, value) in keys {
            if let Some(rules) = value.as_table() {
                for (column, values) in rules {
                    out.push((format!("{section}.{key}.{column}"), values.clone()));
                }
            } else {
                out.push((format!("{section}.{key}"), value.clone()));
            }
        }
    }
    out
}

/// A slot's value as a set of strings (a one-column key equals a list of
/// one; filter values compare without case, restricted to the values the
/// export holds in that column).
fn as_set(slot: &str, v: &toml::Value, sample: &Sample) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = match v {
        toml::Value::Array(a) => a.iter().map(|x| x.to_string()).collect(),
        other => [other.to_string()].into(),
    };
    if let Some(column) = slot.strip_prefix("filter.skip.") {
        let index = sample.header.iter().position(|h| h == column);
        let present: BTreeSet<String> = index
            .map(|i| {
                sample
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|v| toml::Value::String(v.trim().to_lowercase()).to_string())
                    .collect()
            })
            .unwrap_or_default();
        set = set
            .into_iter()
            .map(|s| s.to_lowercase())
            .filter(|s| present.contains(s))
            .collect();
    }
    set
}

/// (slots right, slots set, the slots missed) for one system.
fn score(system: &str) -> (usize, usize, Vec<String>) {
    let (sample, g) = corpus_guess(system);
    let mine = slots(&render_mapping(&g, "offconv.toml"));
    let hand = slots(&std::fs::read_to_string(dir(system).join("mapping.toml")).unwrap());
    let mut right = 0;
    let mut missed = Vec::new();
    for (slot, value) in &hand {
        let got = mine.iter().find(|(s, _)| s == slot);
        match got {
            Some((_, v)) if as_set(slot, v, &sample) == as_set(slot, value, &sample) => right += 1,
            Some((_, v)) => missed.push(format!("{slot}: {v} (wanted {value})")),
            None => missed.push(format!("{slot}: not set (wanted {value})")),
        }
    }
    (right, hand.len(), missed)
}

#[test]
fn init_sets_the_slots_a_careful_person_sets() {
    let (mut right, mut all) = (0, 0);
    let mut low = Vec::new();
    for system in SYSTEMS {
        let (r, n, missed) = score(system);
        println!("{system:<20} {r:>2} of {n:>2} slots ({}%)", r * 100 / n);
        for m in &missed {
            println!("    missed {m}");
        }
        if r * 100 < n * 75 {
            low.push(system);
        }
        right += r;
        all += n;
    }
    println!(
        "overall              {right} of {all} slots ({}%)",
        right * 100 / all
    );
    assert!(right * 100 >= all * 90, "overall {right} of {all}");
    assert!(low.is_empty(), "below 75%: {low:?}");
}

#[test]
fn the_merchants_own_email_on_every_row_is_no_customer_key() {
    let (_, g) = corpus_guess("sumup");
    let em: Vec<&str> = g
        .user_data
        .iter()
        .filter(|(f, _)| *f == Field::Em)
        .flat_map(|(_, p)| p.iter().map(|p| p.column.as_str()))
        .collect();
    assert_eq!(em, ["Kunde E-Mail"]);
    let konto = g
        .unplaced
        .iter()
        .find(|p| p.column == "Konto")
        .expect("Konto left out");
    assert!(
        konto.why.contains("same value on every sampled row"),
        "{}",
        konto.why
    );
}

#[test]
fn a_constant_column_is_never_a_customer_key() {
    let rows: Vec<Vec<String>> = (0..6)
        .map(|i| {
            vec![
                format!("2026-11-2{i} 10:00"),
                format!("c{i}@example.com"),
                "shop@example.com".into(),
                "+1 312 555 0100".into(),
                format!("{i}.00"),
            ]
        })
        .collect();
    let s = Sample {
        name: "t.csv".into(),
        delimiter: b',',
        header: ["date", "email", "account_email", "phone", "total"]
            .map(String::from)
            .to_vec(),
        rows,
        read_error: None,
        encoding: None,
    };
    let g = guess_with(&s, Support::all());
    let mapped: Vec<&str> = g
        .user_data
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.column.as_str()))
        .collect();
    assert_eq!(mapped, ["email"], "{:?}", g.user_data);
    for column in ["account_email", "phone"] {
        let left = g
            .unplaced
            .iter()
            .find(|p| p.column == column)
            .expect(column);
        assert!(
            left.why.contains("same value on every sampled row"),
            "{}",
            left.why
        );
    }
}

#[test]
fn empty_id_columns_are_never_the_id() {
    let (_, g) = corpus_guess("shopify");
    assert_eq!(g.order_id.as_ref().unwrap().column, "Name");
    let receipt = g
        .unplaced
        .iter()
        .find(|p| p.column == "Receipt Number")
        .unwrap();
    assert!(receipt.why.contains("empty"), "{}", receipt.why);
    let (_, g) = corpus_guess("stripe");
    assert_eq!(g.order_id.as_ref().unwrap().column, "id");
    let invoice = g
        .unplaced
        .iter()
        .find(|p| p.column == "Invoice ID")
        .unwrap();
    assert!(invoice.why.contains("empty"), "{}", invoice.why);
}

#[test]
fn every_corpus_mapping_loads_once_the_keys_are_read() {
    for system in SYSTEMS {
        let (_, g) = corpus_guess(system);
        let text = render_mapping(&g, "offconv.toml");
        assert!(!text.contains(support::NOT_YET), "{system}:\n{text}");
        assert!(g.missing().is_empty(), "{system}: {:?}", g.missing());
    }
}
