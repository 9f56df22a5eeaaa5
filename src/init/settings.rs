//! Regional settings read from the export: whether `03/04` is day-first,
//! the stores' time zone, `country_default` and `phone_region`.
//!
//! The country column is the best witness, the currency the next best;
//! without either, the suggestions are US ones and stay commented out.

use std::collections::BTreeMap;

use super::claims::Column;
use super::names::Role;
use super::pct;
use super::profile::{self, ColumnProfile, TimeFit};
use super::{CurrencyGuess, Pick, Setting};
use crate::normalize::{Field, PhoneRegion};

/// What the export says about where its stores are.
pub(super) struct Region {
    /// The most common country of the country columns.
    pub country: Option<String>,
    /// The most common currency, from currency columns, codes and symbols
    /// written with amounts.
    pub currency: Option<String>,
    /// The country whose language the header is in (German headers: DE).
    pub language: Option<&'static str>,
    /// The phone numbers are written the North American way
    /// (`(312) 555-0101`, `312-555-0101`).
    pub nanp: bool,
}

/// Words of a header in one language, with the country most exports in it
/// come from (the guess is listed as a check).
const LANGUAGES: &[(&str, &[&str])] = &[
    (
        "DE",
        &[
            "datum",
            "betrag",
            "währung",
            "menge",
            "beschreibung",
            "kunde",
            "bon",
            "steuer",
            "rabatt",
            "preis",
            "zahlungs",
            "transaktion",
            "beleg",
            "vorname",
            "nachname",
            "strasse",
            "straße",
            "ort",
            "plz",
        ],
    ),
    (
        "FR",
        &[
            "prénom",
            "montant",
            "devise",
            "commande",
            "facturation",
            "livraison",
            "téléphone",
        ],
    ),
    (
        "ES",
        &[
            "fecha",
            "importe",
            "moneda",
            "pedido",
            "apellido",
            "teléfono",
        ],
    ),
    (
        "IT",
        &["importo", "ordine", "cognome", "spedizione", "telefono"],
    ),
    (
        "NL",
        &[
            "bedrag",
            "bestel",
            "achternaam",
            "voornaam",
            "telefoon",
            "plaats",
        ],
    ),
    ("PT", &["valor", "sobrenome", "telefone", "encomenda"]),
];

/// The header's language, when two or more of its names are in one.
fn language(columns: &[Column]) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .map(|(code, words)| {
            let n = columns
                .iter()
                .filter(|c| {
                    let folded = super::names::fold(c.name);
                    words.iter().any(|w| folded.contains(w))
                })
                .count();
            (*code, n)
        })
        .filter(|(_, n)| *n >= 2)
        .max_by_key(|(_, n)| *n)
        .map(|(code, _)| code)
}

/// `(312) 555-0101`, `312-555-0101`, `312.555.0101`, `+1 312 555 0101`.
fn is_nanp(v: &str) -> bool {
    let v = v.trim();
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let shaped = v.starts_with('(')
        || v.starts_with("+1")
        || v.chars().nth(3).is_some_and(|c| c == '-' || c == '.');
    shaped && (digits.len() == 10 || digits.len() == 11 && digits.starts_with('1'))
}

impl Region {
    pub fn of(columns: &[Column]) -> Region {
        let mut countries = BTreeMap::new();
        let mut currencies: BTreeMap<String, usize> = BTreeMap::new();
        for c in columns {
            if c.claim.is_some_and(|m| m.role == Role::Country) {
                for (k, n) in &c.profile.countries {
                    *countries.entry(k.clone()).or_insert(0) += n;
                }
            }
            for (k, n) in c
                .profile
                .currency_codes
                .iter()
                .chain(&c.profile.amounts.codes)
            {
                *currencies.entry(k.clone()).or_insert(0) += n;
            }
            for (s, n) in &c.profile.amounts.symbols {
                if let Some(code) = profile::symbol_currency(s) {
                    *currencies.entry(code.to_owned()).or_insert(0) += n;
                }
            }
        }
        let top = |m: &BTreeMap<String, usize>| ColumnProfile::top(m).map(|(k, _)| k.to_owned());
        let phones: Vec<&Column> = columns
            .iter()
            .filter(|c| c.claim.is_some_and(|m| m.role == Role::Phone) && c.profile.non_empty > 0)
            .collect();
        let nanp = !phones.is_empty()
            && phones.iter().all(|c| {
                let n = c.values.iter().filter(|v| is_nanp(v)).count();
                n * 10 >= c.profile.non_empty * 8
            });
        Region {
            country: top(&countries),
            currency: top(&currencies),
            language: language(columns),
            nanp,
        }
    }

    /// Whether `03/04` reads day-first, and what says so: only the US
    /// writes month first among the countries exports come from.
    pub fn day_first(&self) -> (bool, String) {
        if let Some(code) = &self.country {
            return (code != "US", format!("the most common country is {code}"));
        }
        if let Some(code) = &self.currency {
            return (code != "USD", format!("the currency is {code}"));
        }
        (false, "nothing in the export says otherwise".into())
    }

    /// The country the stores are most likely in.
    fn likely_country(&self) -> Option<&str> {
        self.country
            .as_deref()
            .or_else(|| self.currency.as_deref().and_then(currency_country))
            .or(self.language)
            .or(self.nanp.then_some("US"))
    }

    /// The country and what says so, when the export itself says it: a
    /// country column, else the header's language, else the way phone
    /// numbers are written.
    pub fn evident_country(&self) -> Option<(&str, String)> {
        if let Some(c) = &self.country {
            return Some((c, format!("the most common country is {c}")));
        }
        if let Some(c) = self.currency.as_deref().and_then(currency_country) {
            return Some((
                c,
                format!(
                    "the amounts are in {}",
                    self.currency.as_deref().unwrap_or("")
                ),
            ));
        }
        if let Some(c) = self.language {
            return Some((c, format!("the header is in the language of {c}")));
        }
        self.nanp.then(|| {
            (
                "US",
                "the phone numbers are written the North American way".to_owned(),
            )
        })
    }

    /// The currency of a country with one, for a file that names none.
    pub fn currency_guess(&self) -> Option<(&'static str, String)> {
        let (country, why) = self.evident_country()?;
        let code = country_currency(country)?;
        Some((code, why))
    }

    /// The `timezone` line for times without an offset: always a TODO,
    /// since only the user knows where the stores are, but a likely zone
    /// when the country has only one.
    pub fn timezone(&self) -> Setting {
        if let Some((country, why)) = self.evident_country()
            && let Some(zone) = country_zone(country)
        {
            return Setting {
                value: zone.to_owned(),
                active: true,
                why: format!("{country}'s zone ({why}); the times carry no offset"),
            };
        }
        match self.likely_country().and_then(country_zone) {
            Some(zone) => Setting {
                value: zone.to_owned(),
                active: false,
                why: format!(
                    "TODO: the stores' IANA zone ({} is likely); until set, times are read as UTC",
                    zone
                ),
            },
            None => Setting {
                value: "America/Chicago".to_owned(),
                active: false,
                why: "TODO: the stores' IANA zone; until set, times are read as UTC".into(),
            },
        }
    }
}

/// The comment on a guessed day/month order; an ambiguous one is also a
/// check for the summary.
pub(super) fn order_note(
    fit: &TimeFit,
    day_first: bool,
    hint: &str,
    checks: &mut Vec<String>,
) -> Option<String> {
    let format = fit.format?;
    let ordered =
        format.starts_with("%m") || format.starts_with("%d/") || format.starts_with("%d-");
    if !ordered {
        return None;
    }
    if fit.ambiguous {
        let order = if day_first {
            "day-first"
        } else {
            "month-first"
        };
        checks.push(format!(
            "time_format: no sampled day is above 12, so {order} is a guess ({hint})"
        ));
        Some(format!("no day above 12 in the sample: {order} as {hint}"))
    } else {
        Some("a day above 12 settles the day/month order".into())
    }
}

/// `country_default` and `phone_region` (the latter only when a phone
/// column is mapped): live when the country column makes them evident,
/// else commented suggestions.
pub(super) fn normalize_settings(
    columns: &[Column],
    region: &Region,
    user_data: &[(Field, Vec<Pick>)],
    currency: &Option<CurrencyGuess>,
    checks: &mut Vec<String>,
) -> (Setting, Option<Setting>) {
    let mapped = |field: Field| user_data.iter().find(|(f, _)| *f == field).map(|(_, p)| p);
    let column = |pick: &Pick| columns.iter().find(|c| c.name == pick.column);
    let suggestion = match currency {
        Some(CurrencyGuess::Unknown { suggestion, .. }) => currency_country(suggestion),
        _ => region.likely_country(),
    }
    .unwrap_or("US")
    .to_owned();

    let mut evident = None;
    let country_col = mapped(Field::Country)
        .and_then(|p| p.first())
        .and_then(column);
    let country_default = match country_col {
        Some(col) => {
            let p = &col.profile;
            let blanks = col.values.len() - p.non_empty;
            let top = ColumnProfile::top(&p.countries);
            if let Some((code, n)) = top
                && n * 2 > p.non_empty
            {
                evident = Some((code.to_owned(), pct(n, p.non_empty)));
            }
            match top {
                Some((code, _)) if blanks > 0 => Setting {
                    value: code.to_owned(),
                    active: false,
                    why: format!(
                        "{} of sampled rows have no country; {code} is the most common",
                        pct(blanks, col.values.len())
                    ),
                },
                _ => Setting {
                    value: top.map(|(c, _)| c).unwrap_or("US").to_owned(),
                    active: false,
                    why: "for rows with an empty country".into(),
                },
            }
        }
        None => Setting {
            value: suggestion.clone(),
            active: false,
            why: "TODO: no country column; the country of your stores, for every row".into(),
        },
    };

    let phone_region = mapped(Field::Ph).map(|picks| {
        let (plus, non_empty) = picks
            .iter()
            .filter_map(column)
            .fold((0, 0), |(plus, all), c| {
                (plus + c.profile.plus_prefixed, all + c.profile.non_empty)
            });
        match &evident {
            Some((code, share)) if code.parse::<PhoneRegion>().is_ok() => Setting {
                value: code.clone(),
                active: true,
                why: format!("{share} of sampled countries are {code}"),
            },
            _ if plus * 10 < non_empty * 9
                && let Some((code, why)) = region.evident_country()
                && code.parse::<PhoneRegion>().is_ok() =>
            {
                checks.push(format!(
                    "phone_region: {code} because {why}; numbers without a +country code get its code"
                ));
                Setting {
                    value: code.to_owned(),
                    active: true,
                    why: format!("numbers without a +country code: {why}"),
                }
            }
            _ => {
                let why = if non_empty > 0 && plus * 10 >= non_empty * 9 {
                    "most sampled numbers carry a +country code already".to_owned()
                } else {
                    checks.push(
                        "phone_region: numbers without a +country code need [normalize] phone_region".into(),
                    );
                    "TODO: the region of numbers written without a +country code".to_owned()
                };
                Setting {
                    value: suggestion.clone(),
                    active: false,
                    why,
                }
            }
        }
    });
    (country_default, phone_region)
}

/// The country of a currency used in one country only.
fn currency_country(code: &str) -> Option<&'static str> {
    const TABLE: [(&str, &str); 24] = [
        ("AED", "AE"),
        ("AUD", "AU"),
        ("BRL", "BR"),
        ("CAD", "CA"),
        ("CHF", "CH"),
        ("CZK", "CZ"),
        ("DKK", "DK"),
        ("GBP", "GB"),
        ("HKD", "HK"),
        ("HUF", "HU"),
        ("ILS", "IL"),
        ("INR", "IN"),
        ("JPY", "JP"),
        ("KRW", "KR"),
        ("MXN", "MX"),
        ("MYR", "MY"),
        ("NOK", "NO"),
        ("NZD", "NZ"),
        ("PLN", "PL"),
        ("SEK", "SE"),
        ("SGD", "SG"),
        ("TRY", "TR"),
        ("USD", "US"),
        ("ZAR", "ZA"),
    ];
    TABLE.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
}

/// The currency of a country, for the euro countries and those with their
/// own.
fn country_currency(code: &str) -> Option<&'static str> {
    const EURO: [&str; 14] = [
        "AT", "BE", "DE", "EE", "ES", "FI", "FR", "GR", "IE", "IT", "LU", "NL", "PT", "SK",
    ];
    if EURO.contains(&code) {
        return Some("EUR");
    }
    const OWN: [(&str, &str); 6] = [
        ("US", "USD"),
        ("GB", "GBP"),
        ("CH", "CHF"),
        ("CA", "CAD"),
        ("AU", "AUD"),
        ("JP", "JPY"),
    ];
    OWN.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

/// Zones of countries that have only one (the US, Canada, Australia,
/// Mexico, Brazil have several and get none).
const COUNTRY_ZONES: [(&str, &str); 30] = [
    ("AE", "Asia/Dubai"),
    ("AT", "Europe/Vienna"),
    ("BE", "Europe/Brussels"),
    ("CH", "Europe/Zurich"),
    ("CZ", "Europe/Prague"),
    ("DE", "Europe/Berlin"),
    ("DK", "Europe/Copenhagen"),
    ("ES", "Europe/Madrid"),
    ("FI", "Europe/Helsinki"),
    ("FR", "Europe/Paris"),
    ("GB", "Europe/London"),
    ("GR", "Europe/Athens"),
    ("HK", "Asia/Hong_Kong"),
    ("HU", "Europe/Budapest"),
    ("IE", "Europe/Dublin"),
    ("IL", "Asia/Jerusalem"),
    ("IN", "Asia/Kolkata"),
    ("IT", "Europe/Rome"),
    ("JP", "Asia/Tokyo"),
    ("KR", "Asia/Seoul"),
    ("MY", "Asia/Kuala_Lumpur"),
    ("NL", "Europe/Amsterdam"),
    ("NO", "Europe/Oslo"),
    ("NZ", "Pacific/Auckland"),
    ("PL", "Europe/Warsaw"),
    ("PT", "Europe/Lisbon"),
    ("SE", "Europe/Stockholm"),
    ("SG", "Asia/Singapore"),
    ("TR", "Europe/Istanbul"),
    ("ZA", "Africa/Johannesburg"),
];

fn country_zone(code: &str) -> Option<&'static str> {
    COUNTRY_ZONES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, z)| *z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_real_zones_and_regions() {
        for (_, zone) in COUNTRY_ZONES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
        assert_eq!(country_zone("US"), None);
        for (code, _) in COUNTRY_ZONES {
            assert!(code.parse::<PhoneRegion>().is_ok(), "{code}");
        }
        assert_eq!(currency_country("USD"), Some("US"));
        assert_eq!(currency_country("EUR"), None);
    }
}
