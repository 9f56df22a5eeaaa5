//! `user_data`: the customer keys of a row, normalized and hashed (or sent
//! as given), with the memo of values that repeat.

use super::hashed_key::push_hashed_key;
use super::{Row, RowMapper, Scratch, memo, write_plain_key};
use crate::event::push_json_str;
use crate::normalize::{self, Field, Outcome};
use crate::outcome::{KeySet, Rejection};

impl RowMapper {
    /// Writes the `user_data` object into `out`.
    pub(super) fn user_data<'r>(
        &self,
        rec: &Row<'r>,
        s: &mut Scratch,
        out: &mut String,
    ) -> Result<(KeySet, bool), Rejection> {
        let plan = &self.plan;
        let mut keys = KeySet::default();
        out.push('{');
        let mut first = true;
        // The row's country decides the US zip rule and the phone region.
        let country = self.row_country(rec, s)?;
        let opts = normalize::Options {
            phone_region: country.phone_region,
            ..self.options
        };
        // The full name, split once for both of its parts.
        let mut name_split = None;
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
                let zip_is_us = field == Field::Zp && country.is_us;
                let hashed = self.hash_memoized(field, raw, zip_is_us, &opts, s);
                if let Some(value) = hashed.digest
                    && !s.values.contains(&value)
                {
                    s.values.push(value);
                }
            }
            if s.values.is_empty()
                && let Some(part) = self.full_name_part(rec, field, &mut name_split)?
                && let Some(value) = self.hash_memoized(field, part, false, &opts, s).digest
            {
                s.values.push(value);
            }
            if s.values.is_empty() {
                continue;
            }
            keys.insert(field);
            if let [value] = s.values[..] {
                push_hashed_key(out, &mut first, field, &value);
                continue;
            }
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
            push_hashed_key(out, &mut first, Field::Country, default);
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

    /// [`Self::hash_value`], through the memo for the fields whose values
    /// repeat. `opts` may differ from the mapper's only in the phone
    /// region, which no memoized field depends on.
    pub(super) fn hash_memoized(
        &self,
        field: Field,
        raw: &str,
        zip_is_us: bool,
        opts: &normalize::Options,
        s: &mut Scratch,
    ) -> memo::Hashed {
        let normalized = &mut s.normalized;
        let mut compute = || self.hash_value(field, raw, zip_is_us, opts, normalized);
        if memo::worth_it(field) {
            s.memo
                .get_or_compute(field as usize, self.memo_tag(zip_is_us), raw, compute)
        } else {
            compute()
        }
    }

    /// One value of a hashed field: normalized, then its SHA-256 (or the
    /// digest it already was). `zip_is_us`: the row's country is the US,
    /// so a zip keeps its first five digits.
    fn hash_value(
        &self,
        field: Field,
        raw: &str,
        zip_is_us: bool,
        opts: &normalize::Options,
        normalized: &mut String,
    ) -> memo::Hashed {
        let mut country_named = false;
        let (digest, country) = match normalize::normalize(field, raw, opts, normalized) {
            Outcome::Dropped => (None, None),
            Outcome::AlreadyHashed => (
                const_hex::decode_to_array::<_, 32>(normalized.as_str()).ok(),
                None,
            ),
            Outcome::Normalized => {
                let code = match normalized.as_bytes() {
                    &[a, b] if field == Field::Country => Some([a, b]),
                    _ => None,
                };
                country_named = code.is_some() && normalize::iso_country(raw).is_some();
                if zip_is_us {
                    normalize::us_zip5(normalized);
                }
                (Some(normalize::sha256(normalized.as_bytes())), code)
            }
        };
        memo::Hashed {
            digest,
            country,
            country_named,
        }
    }

    /// What a memoized value depends on besides its text and field (the
    /// memo keeps a part per field): this mapper (its options), and for
    /// zips the row's country.
    fn memo_tag(&self, zip_is_us: bool) -> u32 {
        self.id << 1 | u32::from(zip_is_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mapping;
    use crate::outcome::Verdict;
    use crate::records::Record;
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

    pub(super) fn user_data(
        m: &RowMapper,
        scratch: &mut Scratch,
        cust: &str,
        city: &str,
    ) -> serde_json::Value {
        let record = Record::from(vec![
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
