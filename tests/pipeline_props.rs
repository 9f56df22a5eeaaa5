//! Property tests: whatever bytes or CSV shapes come in, the pipeline never
//! panics and the report holds exactly one line per input record, in order.

use std::path::Path;

use offconv::config::Mapping;
use offconv::dryrun::DryRunSink;
use offconv::event::RequestMeta;
use offconv::mapper::RowMapper;
use offconv::pipeline::{self, Job};
use offconv::report::ReportWriter;
use offconv::source;
use proptest::prelude::*;

const HEADER: &str =
    "order_id,purchased_at,email,phone,first_name,city,state,zip,country,total,currency\n";
const MAPPING: &str = r#"
[event]
time_column = "purchased_at"
id_column = "order_id"
[custom_data]
value_column = "total"
currency_column = "currency"
[user_data]
em = "email"
ph = "phone"
fn = "first_name"
ct = "city"
st = "state"
zp = "zip"
country = "country"
[normalize]
country_default = "US"
phone_region = "US"
"#;

/// Runs the dry-run pipeline over `input`; returns the report's records.
fn run(input: Vec<u8>) -> Vec<csv::StringRecord> {
    let mapping = Mapping::parse(MAPPING, Path::new("props.toml")).unwrap();
    let input = source::from_reader(
        "props.csv".into(),
        None,
        Box::new(std::io::Cursor::new(input)),
        None,
    )
    .expect("the header is fine");
    let plan = mapping.resolve(&input.header, &input.name).unwrap();
    let mapper = RowMapper::new(&mapping, plan, 1_795_700_000);
    let job = Job {
        inputs: vec![input],
        mappers: vec![mapper],
        batch_size: 7,
        stop: offconv::stop::RunStop::new(),
        counters: Default::default(),
        previous: None,
    };
    let report = ReportWriter::new(Vec::new(), vec!["props.csv".into()]).unwrap();
    let meta = RequestMeta {
        upload_tag: "props".into(),
        test_event_code: None,
    };
    let (summary, out) = pipeline::run(
        job,
        |tx| Ok(Box::new(DryRunSink::new(tx, None, meta))),
        report,
    )
    .expect("pipeline");
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(&out[..])
        .records()
        .map(|r| r.expect("the report is valid CSV"))
        .collect();
    assert_eq!(summary.rows as usize, records.len());
    records
}

fn expected_records(input: &[u8]) -> usize {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input)
        .byte_records()
        .count()
}

fn check(input: Vec<u8>) {
    let expected = expected_records(&input);
    let report = run(input);
    // A value that swallowed rows (an unclosed quote) is one record to the
    // CSV parser, but every row it swallowed gets its own bad_row line.
    let stand_ins = report
        .iter()
        .filter(|r| r[7].starts_with("swallowed by the unclosed quote"))
        .count();
    assert_eq!(
        report.len(),
        expected + stand_ins,
        "one report line per record"
    );
    for (i, r) in report.iter().enumerate() {
        assert_eq!(r[1].parse::<usize>().unwrap(), i + 1, "rows in order");
        assert!(["valid", "rejected"].contains(&&r[2]), "{r:?}");
        if &r[2] == "rejected" {
            assert!(
                !r[6].is_empty() && !r[7].is_empty(),
                "a reason and a detail: {r:?}"
            );
        }
    }
}

/// Cells that look like what exports hold, dirt included.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2026-11-25 10:00".to_owned()),
        Just("john@example.com".to_owned()),
        Just("(312) 555-0142".to_owned()),
        Just("$1,234.56".to_owned()),
        Just("USD".to_owned()),
        Just("-5".to_owned()),
        Just("\"".to_owned()),
        Just("a\"b".to_owned()),
        Just("line\nbreak".to_owned()),
        Just("São Paulo".to_owned()),
        "\\PC{0,12}",
        any::<String>(),
    ]
}

fn shaped_csv() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(prop::collection::vec(cell(), 0..14), 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(rows, quote_all, crlf)| {
            let mut out = HEADER.as_bytes().to_vec();
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .quote_style(if quote_all {
                    csv::QuoteStyle::Always
                } else {
                    csv::QuoteStyle::Necessary
                })
                .terminator(if crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .from_writer(Vec::new());
            for row in rows {
                if row.is_empty() {
                    continue;
                }
                w.write_record(&row).unwrap();
            }
            out.extend(w.into_inner().unwrap());
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_lose_a_row(body in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut input = HEADER.as_bytes().to_vec();
        input.extend(body);
        check(input);
    }

    #[test]
    fn arbitrary_csv_shapes_never_lose_a_row(input in shaped_csv()) {
        check(input);
    }

    #[test]
    fn dirty_bytes_around_quotes_and_delimiters(
        body in prop::collection::vec(prop::sample::select(vec![b'"', b',', b'\n', b'\r', b'a', b'1', b' ', 0xFF, 0xC3, b';']), 0..400)
    ) {
        let mut input = HEADER.as_bytes().to_vec();
        input.extend(body);
        check(input);
    }
}

#[test]
fn many_rows_cross_chunk_boundaries_in_order() {
    let mut input = HEADER.as_bytes().to_vec();
    for i in 0..10_000 {
        if i % 7 == 0 {
            input.extend_from_slice(format!("O{i},bad,,,,,,,,1,USD\n").as_bytes());
        } else {
            input.extend_from_slice(
                format!("O{i},2026-11-25 10:00,u{i}@example.com,,,,,,,1.00,USD\n").as_bytes(),
            );
        }
    }
    let report = run(input);
    assert_eq!(report.len(), 10_000);
    for (i, r) in report.iter().enumerate() {
        assert_eq!(&r[3], format!("O{i}"));
        assert_eq!(&r[2], if i % 7 == 0 { "rejected" } else { "valid" });
    }
}
