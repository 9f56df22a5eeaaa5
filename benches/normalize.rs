//! Throughput of each normalizer on typical point-of-sale values, and of the
//! SHA-256 every kept value goes through. A row carries up to eleven keys,
//! so these numbers times eleven bound the per-row cost of normalization.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use offconv::normalize::{self, Field, Options};

/// Typical inputs per field: clean, messy, and one that is dropped.
const INPUTS: &[(Field, &[&str])] = &[
    (
        Field::Em,
        &[
            "  John.Smith@Example.COM ",
            "jane.doe+pos@gmail.com",
            "not an email",
        ],
    ),
    (
        Field::Ph,
        &["+1 (650) 555-1234", "0044 20 7946 0958", "555-1234"],
    ),
    (Field::Fn, &["John", "  Mary-Jane ", "José"]),
    (Field::Ln, &["O'Brien", "Pérez-Rodríguez", "Smith"]),
    (Field::Ge, &["F", "male", "Other"]),
    (Field::Db, &["1990-02-14", "02/14/1990", "19900214"]),
    (Field::Ct, &["San Francisco", "São Paulo", "New York City"]),
    (Field::St, &["CA", "California", "Kansas City, Missouri"]),
    (Field::Zp, &["94025", "94025-1234", "SW1A 1AA"]),
    (Field::Country, &["US", "United States", "MEX"]),
    (
        Field::ExternalId,
        &["CUST-00123", " 7C9E6679742540DE944BE07FC1F90AE7 ", "a b c"],
    ),
];

fn normalizers(c: &mut Criterion) {
    let plain = Options::default();
    let mut out = String::with_capacity(64);
    let mut group = c.benchmark_group("normalize");
    for &(field, inputs) in INPUTS {
        group.bench_function(field.key(), |b| {
            b.iter(|| {
                for input in inputs {
                    normalize::normalize(field, black_box(input), &plain, &mut out);
                    black_box(&out);
                }
            })
        });
    }
    // The offconv phone rule parses with libphonenumber: far slower than
    // the digit filter, so it gets its own line.
    let gb = Options {
        phone_region: Some("GB".parse().expect("GB is a region")),
        ..Options::default()
    };
    group.bench_function("ph_region_gb", |b| {
        b.iter(|| {
            for input in ["020 7946 0958", "+44 (0)20 7946 0958", "07700 900123"] {
                normalize::normalize(Field::Ph, black_box(input), &gb, &mut out);
                black_box(&out);
            }
        })
    });
    group.finish();
}

fn hashing(c: &mut Criterion) {
    c.bench_function("sha256_hex/short", |b| {
        b.iter(|| normalize::sha256_hex(black_box(b"john.smith@example.com")))
    });
}

criterion_group!(benches, normalizers, hashing);
criterion_main!(benches);
