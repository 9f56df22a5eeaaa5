//! `[normalize]`: the default country, the phone region, whether
//! `external_id` is hashed.

use serde::Deserialize;

use crate::normalize::{self, Field};

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
    /// `country_default` as the two-letter lowercase code it hashes as.
    pub(super) fn country_default(&self) -> Result<Option<String>, String> {
        let Some(c) = self.country_default.as_deref() else {
            return Ok(None);
        };
        let mut out = String::new();
        match normalize::normalize(Field::Country, c, &normalize::Options::default(), &mut out) {
            normalize::Outcome::Normalized => Ok(Some(out)),
            _ => Err(format!(
                "[normalize] country_default = {c:?} is not a country (use a two-letter code such as \"US\")"
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
