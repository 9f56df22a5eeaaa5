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
    assert!(g.value.is_none());
    assert_eq!(g.value_unreadable.as_ref().unwrap().column, "total");
    assert!(
        g.checks.iter().any(|c| c.contains("repeat")),
        "{:?}",
        g.checks
    );
    loads(&s);
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
