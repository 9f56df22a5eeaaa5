//! The row's own country, read before its other customer keys because it
//! decides how two of them are normalized: a US row's 9-digit zip keeps
//! its first five digits, and (with `phone_region` set) the row's country
//! is the region its phone number is read in (DESIGN.md section 6), so a
//! US customer in a South African shop's export is sent as `+1…`, not
//! `+27…`. Rows without a usable country fall back to `country_default`
//! (the zip rule) and `phone_region`. A country is usable for the phone
//! region when it names one by an explicit rule (`normalize::iso_country`:
//! an ISO code, alpha-2 or alpha-3, or a name the tables hold exactly) and
//! libphonenumber knows it: a value only hashed as its first two letters
//! (`Atlantis` → `at`) is no evidence that the number is Austrian.

use super::{Row, RowMapper, Scratch};
use crate::config::Plan;
use crate::normalize::{Field, Options, PhoneRegion};
use crate::outcome::Rejection;

/// What the row's country decides.
pub(super) struct RowCountry {
    /// The zip rule applies.
    pub is_us: bool,
    /// The region phone numbers are read in (`None`: the plain rule).
    pub phone_region: Option<PhoneRegion>,
}

/// The country columns to read first: only when the row's country decides
/// something (a zip, or a phone with `phone_region`), so that other
/// mappings pay nothing.
pub(super) fn columns(plan: &Plan, options: &Options) -> Vec<usize> {
    let mapped = |field: Field| {
        plan.hashed
            .iter()
            .find(|(f, cols)| *f == field && !cols.is_empty())
            .map(|(_, cols)| cols)
    };
    let Some(country) = mapped(Field::Country) else {
        return Vec::new();
    };
    let phone = options.phone_region.is_some() && mapped(Field::Ph).is_some();
    if phone || mapped(Field::Zp).is_some() {
        country.clone()
    } else {
        Vec::new()
    }
}

impl RowMapper {
    /// The first country column of the row that normalizes to a code
    /// decides; without one, the mapping's defaults.
    pub(super) fn row_country(
        &self,
        rec: &Row<'_>,
        s: &mut Scratch,
    ) -> Result<RowCountry, Rejection> {
        let mut country = RowCountry {
            is_us: self.default_is_us,
            phone_region: self.options.phone_region,
        };
        for &col in &self.row_country {
            let raw = self.text(rec, col)?;
            if raw.is_empty() {
                continue;
            }
            // Memoized: the row loop asks again for the country key.
            let hashed = self.hash_memoized(Field::Country, raw, false, &self.options, s);
            if let Some(code) = hashed.country {
                country.is_us = code == *b"us";
                if self.options.phone_region.is_some()
                    && hashed.country_named
                    && let Some(region) = PhoneRegion::of_country(code)
                {
                    country.phone_region = Some(region);
                }
                break;
            }
        }
        Ok(country)
    }
}
