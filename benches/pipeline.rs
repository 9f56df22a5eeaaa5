//! Row → event and the whole dry-run pipeline (issue 7), on an export
//! shaped like `gen_sales` writes: 12 columns, seven hashed keys, a US
//! phone region.
//!
//! `cargo bench --bench pipeline`

use std::io::Cursor;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use offconv::config::Mapping;
use offconv::dryrun::DryRunSink;
use offconv::event::RequestMeta;
use offconv::mapper::{RowMapper, Scratch};
use offconv::pipeline::{self, Job};
use offconv::report::ReportWriter;
use offconv::source;

const NOW: i64 = 1_795_780_800; // 2026-11-26T12:00:00Z

const HEADER: &str = "order_id,purchased_at,email,phone,first_name,last_name,city,state,zip,country,total,currency\n";

/// `n` rows: mostly US customers, some international, some without email.
fn export(n: usize) -> Vec<u8> {
    let people = [
        (
            "Emma.Smith@Example.com",
            "(312) 555-0142",
            "Emma",
            "Smith",
            "Chicago",
            "IL",
            "60601",
            "US",
        ),
        (
            " jose.garcia@example.org ",
            "+1 305 555 0199",
            "José",
            "García",
            "Miami",
            "Florida",
            "33101-1234",
            "USA",
        ),
        (
            "",
            "020 7946 0958",
            "Oliver",
            "Jones",
            "London",
            "",
            "SW1A 1AA",
            "United Kingdom",
        ),
        (
            "zoe.muller@example.de",
            "+49 30 901820",
            "Zoë",
            "Müller",
            "Berlin",
            "",
            "10115",
            "DE",
        ),
        (
            "LIAM@EXAMPLE.NET",
            "604-555-0115",
            "Liam",
            "Tremblay",
            "Vancouver",
            "British Columbia",
            "V6B 1L2",
            "Canada",
        ),
    ];
    let mut out = HEADER.as_bytes().to_vec();
    for i in 0..n {
        let p = people[i % people.len()];
        out.extend_from_slice(
            format!(
                "SO-{i:08},2026-11-2{} {:02}:{:02}:{:02},{},{},{},{},{},{},{},{},\"{}.{:02}\",USD\n",
                1 + i % 5,
                i % 24,
                i % 60,
                (i / 60) % 60,
                p.0, p.1, p.2, p.3, p.4, p.5, p.6, p.7,
                i % 900,
                i % 100
            )
            .as_bytes(),
        );
    }
    out
}

fn mapping() -> Mapping {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/store_sales.toml"
    ))
    .unwrap();
    Mapping::parse(&text, Path::new("store_sales.toml")).unwrap()
}

fn row_to_event(c: &mut Criterion) {
    let mapping = mapping();
    let data = export(1_000);
    let mut input =
        source::from_reader("bench.csv".into(), None, Box::new(Cursor::new(data)), None).unwrap();
    let plan = mapping.resolve(&input.header, &input.name).unwrap();
    let mapper = RowMapper::new(&mapping, plan, NOW);
    let mut records = Vec::new();
    let mut record = offconv::records::Record::new();
    while input.reader.read_byte_record(&mut record).unwrap() {
        records.push(record.clone());
    }
    let mut scratch = Scratch::default();
    let mut group = c.benchmark_group("row_to_event");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("1000 rows", |b| {
        b.iter(|| {
            for rec in &records {
                std::hint::black_box(mapper.map(rec, &mut scratch));
            }
        })
    });
    group.finish();
}

fn dry_run_pipeline(c: &mut Criterion) {
    let mapping = mapping();
    let rows = 100_000;
    let data = export(rows);
    let mut group = c.benchmark_group("dry_run_pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_with_input(BenchmarkId::new("rows", rows), &data, |b, data| {
        b.iter(|| {
            let input = source::from_reader(
                "bench.csv".into(),
                None,
                Box::new(Cursor::new(data.clone())),
                None,
            )
            .unwrap();
            let plan = mapping.resolve(&input.header, &input.name).unwrap();
            let job = Job {
                mappers: vec![RowMapper::new(&mapping, plan, NOW)],
                inputs: vec![input],
                batch_size: 1000,
                stop: offconv::stop::RunStop::new(),
                counters: Default::default(),
                previous: None,
            };
            let report = ReportWriter::new(std::io::sink(), vec!["bench.csv".into()]).unwrap();
            let meta = RequestMeta {
                upload_tag: "bench".into(),
                test_event_code: None,
            };
            let (summary, _) = pipeline::run(
                job,
                |tx| Ok(Box::new(DryRunSink::new(tx, None, meta))),
                report,
            )
            .unwrap();
            assert_eq!(summary.rows, rows as u64);
        })
    });
    group.finish();
}

criterion_group!(benches, row_to_event, dry_run_pipeline);
criterion_main!(benches);
