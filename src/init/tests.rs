//! Guesses on small in-memory samples; the binary is tested end to end in
//! tests/init.rs.

use std::path::Path;

use super::*;
use crate::config::Mapping;

fn sample(header: &[&str], rows: &[&[&str]]) -> Sample {
    Sample {
        name: "t.csv".into(),
        delimiter: b',',
        header: header.iter().map(|s| s.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect(),
        read_error: None,
        encoding: None,
    }
}

/// The rendered mapping loads and binds to the sample's header.
fn loads(s: &Sample) -> Mapping {
    let text = render_mapping(&guess(s), "offconv.toml");
    let mapping =
        Mapping::parse(&text, Path::new("offconv.toml")).unwrap_or_else(|e| panic!("{e}\n{text}"));
    mapping
        .resolve(&s.header, "t.csv")
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    mapping
}

#[test]
fn plain_export_maps_by_name() {
    let s = sample(
        &[
            "order_id",
            "purchased_at",
            "email",
            "phone",
            "total",
            "currency",
            "notes",
        ],
        &[
            &[
                "A1",
                "2026-11-20 10:00:00",
                "a@b.co",
                "3125550101",
                "12.50",
                "USD",
                "x",
            ],
            &[
                "A2",
                "2026-11-21 11:00:00",
                "c@d.co",
                "3125550102",
                "1,234.56",
                "USD",
                "",
            ],
        ],
    );
    let g = guess(&s);
    assert_eq!(g.time.as_ref().unwrap().pick.column, "purchased_at");
    assert_eq!(g.time.as_ref().unwrap().fit.format, None);
    assert_eq!(g.order_id.as_ref().unwrap().column, "order_id");
    assert_eq!(g.value.as_ref().unwrap().column, "total");
    assert!(matches!(&g.currency, Some(CurrencyGuess::Column(p)) if p.column == "currency"));
    assert_eq!(g.unplaced.len(), 1);
    assert!(g.missing().is_empty());
    let m = loads(&s);
    assert_eq!(m.event.time_column.as_deref(), Some("purchased_at"));
}

#[test]
fn values_fill_in_for_names() {
    let s = sample(
        &["Contact", "When", "Paid", "Cur"],
        &[
            &["a@b.co", "31/10/2026 10:00", "$12.50", "EUR"],
            &["c@d.co", "01/11/2026 10:00", "$3.00", "EUR"],
        ],
    );
    let g = guess(&s);
    assert_eq!(g.user_data[0].0, Field::Em);
    let t = g.time.as_ref().unwrap();
    assert_eq!(
        (t.pick.column.as_str(), t.fit.format),
        ("When", Some("%d/%m/%Y %H:%M"))
    );
    assert_eq!(g.value.as_ref().unwrap().column, "Paid");
    assert!(matches!(&g.currency, Some(CurrencyGuess::Column(p)) if p.column == "Cur"));
    loads(&s);
}

#[test]
fn several_emails_make_a_list_and_odd_names_still_load() {
    let s = sample(
        &["email", "Alt Email", "sold \"at\"\n", "x"],
        &[&["a@b.co", "c@d.co", "2026-11-20 10:00", "1"]],
    );
    let g = guess(&s);
    assert_eq!(g.user_data[0].1.len(), 2);
    let m = loads(&s);
    assert_eq!(m.hashed[0].1, ["email", "Alt Email"]);
}

#[test]
fn missing_time_and_customer_are_reported() {
    let s = sample(&["a", "b"], &[&["x", "y"]]);
    let g = guess(&s);
    assert_eq!(g.missing().len(), 2);
    let text = render_mapping(&g, "offconv.toml");
    assert!(text.contains("TODO"), "{text}");
    // Empty header and no rows: a guess, never a panic.
    let g = guess(&sample(&[""], &[]));
    assert_eq!(g.missing().len(), 2);
}

#[test]
fn repeated_order_ids_and_decimal_commas_are_flagged() {
    let s = sample(
        &["order_id", "date", "email", "total"],
        &[
            &["1", "2026-11-20", "a@b.co", "12,50"],
            &["1", "2026-11-20", "a@b.co", "3,00"],
        ],
    );
    let g = guess(&s);
    // Every amount writes a decimal comma: the file's convention is ",".
    assert!(g.decimal_comma);
    assert_eq!(g.value.as_ref().unwrap().column, "total");
    assert!(
        g.checks.iter().any(|c| c.contains("repeat")),
        "{:?}",
        g.checks
    );
    loads(&s);
}

/// A line-item sample: `order`, then `sku, qty, price`, then `extra`
/// columns, one row per line.
fn line_sample(extra: &[&str], rows: &[&[&str]]) -> Sample {
    let mut header = vec!["order_no", "sold_at", "email", "sku", "qty", "unit_price"];
    header.extend_from_slice(extra);
    sample(&header, rows)
}

#[test]
fn line_item_exports_are_grouped() {
    let s = line_sample(
        &["price", "currency"],
        &[
            &[
                "1",
                "2026-11-20 10:00",
                "a@b.co",
                "S1",
                "2",
                "1.50",
                "1.50",
                "USD",
            ],
            &[
                "1",
                "2026-11-20 10:00",
                "a@b.co",
                "S2",
                "1",
                "4.00",
                "4.00",
                "USD",
            ],
            &[
                "2",
                "2026-11-20 11:00",
                "c@d.co",
                "S1",
                "1",
                "1.50",
                "1.50",
                "USD",
            ],
        ],
    );
    let g = guess(&s);
    let lines = g.lines.as_ref().expect("grouped");
    assert_eq!(lines.group_by.column, "order_no");
    assert!(
        lines
            .group_by
            .why
            .starts_with("33% of sampled rows continue"),
        "{}",
        lines.group_by.why
    );
    assert_eq!(
        (
            lines.id.column.as_str(),
            lines.quantity.column.as_str(),
            lines.item_price.column.as_str()
        ),
        ("sku", "qty", "unit_price")
    );
    // `price` changes between the rows of order 1: a line's, not the
    // order's, so the value is summed and `price` is left out.
    assert!(g.value.is_none());
    assert!(
        g.unplaced
            .iter()
            .any(|p| p.column == "price" && p.why.contains("changes between the rows of one order")),
        "{:?}",
        g.unplaced
    );
    assert!(
        !g.checks
            .iter()
            .any(|c| c.contains("Meta keeps only the first")),
        "{:?}",
        g.checks
    );
    let text = render_mapping(&g, "offconv.toml");
    assert!(text.contains("value = Σ quantity × item_price"), "{text}");
    let m = loads(&s);
    assert_eq!(m.event.group_by.as_deref(), Some("order_no"));
    assert_eq!(m.event.id_column.as_deref(), Some("order_no"));
    let c = m.contents.expect("[contents]");
    assert_eq!(c.item_price_column.as_deref(), Some("unit_price"));
    assert_eq!(m.custom_data.value_column, None);
}

#[test]
fn an_order_total_on_every_row_stays_the_value() {
    let s = line_sample(
        &["total", "currency"],
        &[
            &[
                "1",
                "2026-11-20 10:00",
                "a@b.co",
                "S1",
                "2",
                "1.50",
                "7.00",
                "USD",
            ],
            &[
                "1",
                "2026-11-20 10:00",
                "a@b.co",
                "S2",
                "1",
                "4.00",
                "7.00",
                "USD",
            ],
            &[
                "2",
                "2026-11-20 11:00",
                "c@d.co",
                "S1",
                "1",
                "1.50",
                "1.50",
                "USD",
            ],
        ],
    );
    let g = guess(&s);
    assert!(g.lines.is_some());
    let value = g.value.as_ref().expect("the order total");
    assert_eq!(value.column, "total");
    assert!(
        value.why.contains("equals it in 2 of 2 sampled orders"),
        "{}",
        value.why
    );
    let m = loads(&s);
    assert_eq!(m.custom_data.value_column.as_deref(), Some("total"));
}

#[test]
fn line_totals_in_the_price_column_are_flagged() {
    // unit_price holds quantity × price: 2 × 1.50 = 3.00.
    let s = line_sample(
        &["total"],
        &[
            &["1", "2026-11-20 10:00", "a@b.co", "S1", "2", "3.00", "7.00"],
            &["1", "2026-11-20 10:00", "a@b.co", "S2", "1", "4.00", "7.00"],
        ],
    );
    let g = guess(&s);
    assert!(
        g.checks
            .iter()
            .any(|c| c.contains("reads like each line's total")),
        "{:?}",
        g.checks
    );
}

#[test]
fn interleaved_orders_are_grouped_with_a_warning() {
    let s = line_sample(
        &[],
        &[
            &["1", "2026-11-20 10:00", "a@b.co", "S1", "1", "1.50"],
            &["2", "2026-11-20 10:01", "c@d.co", "S1", "1", "1.50"],
            &["1", "2026-11-20 10:00", "a@b.co", "S2", "1", "4.00"],
            &["", "2026-11-20 10:02", "e@f.co", "S2", "0", "4.00"],
        ],
    );
    let g = guess(&s);
    let lines = g.lines.as_ref().expect("grouped");
    assert_eq!(lines.returning, 1);
    let text = render_mapping(&g, "offconv.toml");
    assert!(
        text.contains("# WARNING: 1 sampled row comes back"),
        "{text}"
    );
    for needle in [
        "order_not_contiguous",
        "is empty in 1 of 4",
        "not a whole number of at least 1",
    ] {
        assert!(
            g.checks.iter().any(|c| c.contains(needle)),
            "{needle}: {:?}",
            g.checks
        );
    }
    loads(&s);
}

#[test]
fn repeated_order_ids_without_item_columns_are_not_grouped() {
    let s = sample(
        &["order_id", "date", "email", "sku", "total"],
        &[
            &["1", "2026-11-20", "a@b.co", "S1", "12.50"],
            &["1", "2026-11-20", "a@b.co", "S2", "3.00"],
        ],
    );
    let g = guess(&s);
    assert!(g.lines.is_none());
    assert_eq!(g.value.as_ref().unwrap().column, "total");
    let check = g
        .checks
        .iter()
        .find(|c| c.contains("order ids repeat"))
        .expect("a check");
    assert!(
        check.contains("no quantity or item price column"),
        "{check}"
    );
    let text = render_mapping(&g, "offconv.toml");
    assert!(
        !text.contains("group_by =") && !text.contains("\n[contents]"),
        "{text}"
    );
    loads(&s);
}

#[test]
fn unique_order_ids_with_item_columns_are_not_grouped() {
    let s = line_sample(
        &[],
        &[
            &["1", "2026-11-20 10:00", "a@b.co", "S1", "1", "1.50"],
            &["2", "2026-11-20 10:01", "c@d.co", "S1", "1", "1.50"],
        ],
    );
    assert!(guess(&s).lines.is_none());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Header names: known spellings, near misses and noise.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "email",
                "E-Mail",
                "phone",
                "Billing Phone",
                "first_name",
                "last",
                "city",
                "state",
                "zip",
                "country",
                "gender",
                "dob",
                "member_id",
                "order_id",
                "id",
                "Receipt #",
                "purchased_at",
                "date",
                "time",
                "Created at",
                "total",
                "price",
                "currency",
                "Tax",
                "name",
                "Billing Name",
                "notes",
                "sku",
                "Qty",
                "Unit Price",
                "Item Name",
                "brand",
                "category",
                "",
            ])
            .prop_map(str::to_owned),
            "\\PC{0,12}",
        ]
    }

    /// Values in the shapes exports hold, and noise.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "",
                "a@b.co",
                "(312) 555-0101",
                "+49 151 2345678",
                "2026-11-20 10:00:00",
                "11/20/2026 02:15 PM",
                "03/04/2026 10:00",
                "20.11.2026 09:05",
                "1795000000",
                "2026-11-20T15:04:05Z",
                "$1,234.56",
                "12,50",
                "49.90 EUR",
                "USD",
                "eur",
                "US",
                "Deutschland",
                "Jane Doe",
                "#1001",
                "F",
                "1984-03-12",
                "1",
                "2",
                "-1",
                "SKU-1",
            ])
            .prop_map(str::to_owned),
            "\\PC{0,16}",
        ]
    }

    fn sample_strategy() -> impl Strategy<Value = Sample> {
        prop::collection::vec(name(), 1..8).prop_flat_map(|header| {
            let width = header.len();
            (
                Just(header),
                prop::collection::vec(prop::collection::vec(value(), 0..=width + 1), 0..12),
                prop::sample::select(vec![b',', b';', b'\t', b'|']),
            )
                .prop_map(|(header, rows, delimiter)| Sample {
                    name: "p.csv".into(),
                    delimiter,
                    header,
                    rows,
                    read_error: None,
                    encoding: None,
                })
        })
    }

    proptest! {
        /// Whatever the export, `init` writes a file; when it claims the
        /// file is complete, the file loads and binds to the header.
        #[test]
        fn complete_guesses_always_load(s in sample_strategy()) {
            let g = guess(&s);
            let text = render_mapping(&g, "offconv.toml");
            let _ = render_summary(&g, "offconv.toml", "offconv.toml");
            let parsed = Mapping::parse(&text, Path::new("offconv.toml"));
            if g.missing().is_empty() {
                let mapping = parsed.map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                // The source trims header names; so does the test.
                let header: Vec<String> = s.header.iter().map(|h| h.trim().to_owned()).collect();
                mapping
                    .resolve(&header, "p.csv")
                    .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            }
        }
    }
}
