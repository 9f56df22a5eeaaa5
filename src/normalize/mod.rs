//! Normalization of customer information, field by field, as NORMALIZE.md
//! gives it: the exact string Meta hashes on its side, so that our SHA-256
//! matches. One file per field family; this module is the dispatch.
//!
//! The hot loop calls [`normalize`] with a reused `String`, so a field costs
//! no allocation once the buffer has grown (beyond the rare value that is
//! not already in NFC, and phone numbers parsed with a region).

mod dob;
mod email;
mod external_id;
mod full_name;
mod gender;
mod hash;
mod location;
mod name;
mod phone;
#[rustfmt::skip]
mod tables;
mod text;

pub use full_name::{NameParts, split_full_name};
pub use hash::{is_sha256_hex, push_hex, sha256, sha256_hex, sha256_hex_string};
pub use location::{iso_country, us_zip5};
pub use phone::{PhoneRegion, UnknownPhoneRegion};

/// A customer-information key Meta knows, as it appears in `user_data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Em,
    Ph,
    Fn,
    Ln,
    Ge,
    Db,
    Ct,
    St,
    Zp,
    Country,
    ExternalId,
}

impl Field {
    /// Every hashed field, in the order events and summaries list them.
    pub const ALL: [Field; 11] = [
        Field::Em,
        Field::Ph,
        Field::Fn,
        Field::Ln,
        Field::Ge,
        Field::Db,
        Field::Ct,
        Field::St,
        Field::Zp,
        Field::Country,
        Field::ExternalId,
    ];

    /// The key in `user_data` (and in the mapping file).
    pub const fn key(self) -> &'static str {
        match self {
            Field::Em => "em",
            Field::Ph => "ph",
            Field::Fn => "fn",
            Field::Ln => "ln",
            Field::Ge => "ge",
            Field::Db => "db",
            Field::Ct => "ct",
            Field::St => "st",
            Field::Zp => "zp",
            Field::Country => "country",
            Field::ExternalId => "external_id",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// Options that change normalization: the `[normalize]` table of the mapping
/// file, or the flags of `offconv hash`.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Region for phone numbers written without a country code, parsed
    /// once (`"GB".parse::<PhoneRegion>()`). `None`: the plain digits rule
    /// only, and libphonenumber is never called.
    pub phone_region: Option<PhoneRegion>,
    /// `false`: `external_id` is sent whitespace-stripped, not hashed.
    pub hash_external_id: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            phone_region: None,
            hash_external_id: true,
        }
    }
}

/// What became of one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Normalized to nothing: the value is dropped from the event.
    Dropped,
    /// `out` holds the normalized value, to be hashed.
    Normalized,
    /// The value was already a SHA-256 digest: `out` holds it lowercased,
    /// to be sent as it is.
    AlreadyHashed,
}

/// Normalizes one value of `field` into `out` (cleared first), as
/// NORMALIZE.md gives it. `out` holds the value to hash on
/// [`Outcome::Normalized`], the lowercased digest on
/// [`Outcome::AlreadyHashed`], and nothing on [`Outcome::Dropped`].
///
/// `external_id` is normalized the same with `hash_external_id = false`;
/// the caller decides not to hash it.
pub fn normalize(field: Field, input: &str, opts: &Options, out: &mut String) -> Outcome {
    out.clear();
    // Every rule trims (or deletes whitespace, or filters it out) before
    // anything that could tell the difference, so the fields get the value
    // trimmed once here.
    let input = text::trim(input);
    // offconv: a NUL is part of no one's name, email or zip: a value with
    // one is broken (UTF-16 read as UTF-8, a write cut off) and is
    // dropped, never hashed with the NUL (no rule below deletes it).
    if memchr::memchr(0, input.as_bytes()).is_some() {
        return Outcome::Dropped;
    }
    if is_sha256_hex(input) {
        out.push_str(input);
        out.make_ascii_lowercase();
        return Outcome::AlreadyHashed;
    }
    match field {
        Field::Em => email::normalize(input, out),
        Field::Ph => phone::normalize(input, opts.phone_region, out),
        Field::Fn | Field::Ln => name::normalize(input, out),
        Field::Ge => gender::normalize(input, out),
        Field::Db => dob::normalize(input, out),
        Field::Ct => location::city(input, out),
        Field::St => location::state(input, out),
        Field::Zp => location::zip(input, out),
        Field::Country => location::country(input, out),
        Field::ExternalId => external_id::normalize(input, out),
    }
    if out.is_empty() {
        Outcome::Dropped
    } else {
        Outcome::Normalized
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(field: Field, input: &str) -> (Outcome, String) {
        let mut out = String::from("left over");
        let outcome = normalize(field, input, &Options::default(), &mut out);
        (outcome, out)
    }

    #[test]
    fn hashes_pass_through_for_every_field() {
        let hash = "\u{FEFF} 8E621E3D0368631D263D07A351FA8D34FBA0D17C15FBCDEC11A5F58008D022A0\n";
        for field in Field::ALL {
            let (outcome, out) = run(field, hash);
            assert_eq!(outcome, Outcome::AlreadyHashed, "{field:?}");
            assert_eq!(
                out,
                hash.trim_matches(text::is_js_whitespace)
                    .to_ascii_lowercase()
            );
        }
    }

    #[test]
    fn md5_shaped_values_are_not_hashes() {
        let (outcome, out) = run(Field::ExternalId, " 7C9E6679742540DE944BE07FC1F90AE7 ");
        assert_eq!(outcome, Outcome::Normalized);
        assert_eq!(out, "7c9e6679742540de944be07fc1f90ae7");
        assert_eq!(
            run(Field::Em, "1bc5edb4799fd8eec67c66122f47eb73").0,
            Outcome::Dropped
        );
    }

    #[test]
    fn a_value_with_a_nul_is_dropped_never_hashed() {
        for field in Field::ALL {
            for value in ["Jo\0hn", "j\0ane@example.com", "\09410", "A\0"] {
                assert_eq!(
                    run(field, value),
                    (Outcome::Dropped, String::new()),
                    "{field:?}"
                );
            }
        }
    }

    #[test]
    fn dropped_leaves_out_empty() {
        for field in Field::ALL {
            let (outcome, out) = run(field, " \u{3000}\t");
            assert_eq!((outcome, out.as_str()), (Outcome::Dropped, ""), "{field:?}");
        }
    }

    #[test]
    fn external_id_unhashed_is_still_normalized() {
        let opts = Options {
            hash_external_id: false,
            ..Options::default()
        };
        let mut out = String::new();
        let outcome = normalize(Field::ExternalId, " Cust 42 ", &opts, &mut out);
        assert_eq!((outcome, out.as_str()), (Outcome::Normalized, "cust42"));
    }

    #[test]
    fn odd_input_never_panics() {
        let long = "Ab1-é Σ\u{301}@.".repeat(20_000);
        let inputs = [
            "\0",
            "\u{10FFFF}",
            "\u{301}",
            "-",
            "@",
            "+",
            "00",
            long.as_str(),
        ];
        let opts = Options {
            phone_region: Some("US".parse().unwrap()),
            ..Options::default()
        };
        let mut out = String::new();
        for field in Field::ALL {
            for input in inputs {
                normalize(field, input, &opts, &mut out);
                normalize(field, input, &Options::default(), &mut out);
            }
        }
    }

    proptest::proptest! {
        /// Any text, for any field, with or without a phone region: no
        /// panic, and `out` is empty exactly when the value is dropped.
        #[test]
        fn outcome_matches_out(
            input in proptest::prelude::any::<String>(),
            phoneish in "[ 0-9+()./x-]{0,24}",
        ) {
            let with_region = Options {
                phone_region: Some("GB".parse().unwrap()),
                ..Options::default()
            };
            let mut out = String::new();
            for opts in [&Options::default(), &with_region] {
                for value in [&input, &phoneish] {
                    for field in Field::ALL {
                        let outcome = normalize(field, value, opts, &mut out);
                        proptest::prop_assert_eq!(outcome == Outcome::Dropped, out.is_empty());
                    }
                }
            }
        }
    }
}
