//! `[normalize]`: the default country, the phone region, whether
//! `external_id` is hashed.

use serde::Deserialize;

use crate::normalize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeSection {
    pub country_default: Option<String>,
    pub phone_region: Option<String>,
    #[serde(default = "yes")]
    pub hash_external_id: bool,
}

fn yes() -> bool {
    true
}

impl Default for NormalizeSection {
    fn default() -> Self {
        NormalizeSection {
            country_default: None,
            phone_region: None,
            hash_external_id: true,
        }
    }
}

impl NormalizeSection {
    /// `country_default` as the two-letter lowercase code it hashes as: an
    /// assigned ISO 3166-1 code or a country's exact name, never a guess
    /// (`"Narnia"` is refused, where the row normalizer would read Namibia).
    pub(super) fn country_default(&self) -> Result<Option<String>, String> {
        let Some(c) = self.country_default.as_deref() else {
            return Ok(None);
        };
        match normalize::iso_country(c) {
            Some(code) => Ok(Some(code.to_owned())),
            None => Err(format!(
                "[normalize] country_default = {c:?} is not an ISO 3166-1 country code (use a two-letter code such as \"US\" or \"DE\")"
            )),
        }
    }

    /// The normalizer's options, the phone region checked.
    pub(super) fn options(&self) -> Result<normalize::Options, String> {
        Ok(normalize::Options {
            phone_region: match self.phone_region.as_deref() {
                None => None,
                Some(r) => Some(r.parse::<normalize::PhoneRegion>().map_err(|_| {
                    format!(
                        "[normalize] phone_region = {r:?} is not a region libphonenumber knows (use a two-letter code such as \"US\" or \"GB\")"
                    )
                })?),
            },
            hash_external_id: self.hash_external_id,
        })
    }
}
