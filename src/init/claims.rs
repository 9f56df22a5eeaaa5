//! Which column holds what: a name's claim checked against the values,
//! the values' own claims where the names said nothing usable, and the
//! placing of claims onto mapping keys (the best column wins a one-column
//! key; the losers are noted with the reason).

use std::collections::BTreeMap;

use super::names::{self, NameMatch, Role, Strength};
use super::pct;
use super::profile::{self, ColumnProfile, TimeFit};
use super::{Pick, Sample};

/// One header column with its values and what its name claims.
pub(super) struct Column<'a> {
    pub index: usize,
    pub name: &'a str,
    pub values: Vec<&'a str>,
    pub claim: Option<NameMatch>,
    pub profile: ColumnProfile,
}

/// Every column of a sample, profiled; `comma`: amounts are written with a
/// decimal comma.
pub(super) fn columns(sample: &Sample, comma: bool) -> Vec<Column<'_>> {
    sample
        .header
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let values: Vec<&str> = sample
                .rows
                .iter()
                .map(|r| r.get(index).map(String::as_str).unwrap_or(""))
                .collect();
            let profile = ColumnProfile::of(&values, comma);
            let claim = names::match_name(name).map(|m| reclaim(m, &profile, &values));
            Column {
                index,
                name,
                values,
                claim,
                profile,
            }
        })
        .collect()
}

/// A name's claim the values overrule: a `Name` column of order numbers
/// (`#1001`, as Shopify writes them) is the order id, not a person.
fn reclaim(m: NameMatch, p: &ColumnProfile, values: &[&str]) -> NameMatch {
    if m.role != Role::FullName || p.non_empty == 0 {
        return m;
    }
    let numbers = values.iter().filter(|v| is_order_number(v)).count();
    if numbers * 10 >= p.non_empty * 8 {
        NameMatch {
            role: Role::OrderId,
            strength: names::Strength::Qualified,
            rank: usize::MAX - 1,
        }
    } else {
        m
    }
}

/// `#1001`, `1001`, `SO-1001`: a short code that ends in digits.
fn is_order_number(v: &str) -> bool {
    let v = v.trim();
    let body = v.strip_prefix('#').unwrap_or(v);
    let letters = body.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = body[letters..].trim_start_matches('-');
    letters <= 4 && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// The roles that identify a customer: a constant column never holds one.
fn is_customer_key(role: Role) -> bool {
    matches!(
        role,
        Role::Email
            | Role::Phone
            | Role::FirstName
            | Role::LastName
            | Role::FullName
            | Role::ExternalId
            | Role::Dob
            | Role::Zip
    )
}

/// Whether a column holds one value on every sampled row (five or more):
/// the shop's own email or country, never a customer's key.
pub(super) fn constant(col: &Column) -> bool {
    col.values.len() >= 5 && col.profile.non_empty == col.values.len() && col.profile.distinct == 1
}

/// A role a column holds after its values were checked.
#[derive(Clone)]
pub(super) struct Claim {
    pub role: Role,
    pub strength: Strength,
    pub rank: usize,
    pub why: String,
}

/// The claims on every column, with what was learnt on the way.
pub(super) struct Claims {
    /// By column index.
    pub claims: Vec<Option<Claim>>,
    /// Names whose values contradicted them, with the reason.
    pub rejected: BTreeMap<usize, String>,
    /// How the time candidates read.
    pub fits: BTreeMap<usize, TimeFit>,
}

impl Claims {
    /// Checks every name's claim against its column's values, then lets
    /// the values speak for the columns left without a claim.
    pub fn new(columns: &[Column], rows: usize, day_first: bool) -> Claims {
        let mut found = Claims {
            claims: Vec::with_capacity(columns.len()),
            rejected: BTreeMap::new(),
            fits: BTreeMap::new(),
        };
        for col in columns {
            let claim = col
                .claim
                .and_then(|m| match check_claim(col, m, rows, day_first) {
                    Ok((why, fit)) => {
                        if let Some(fit) = fit {
                            found.fits.insert(col.index, fit);
                        }
                        Some(Claim {
                            role: m.role,
                            strength: m.strength,
                            rank: m.rank,
                            why,
                        })
                    }
                    Err(reason) => {
                        found.rejected.insert(col.index, reason);
                        None
                    }
                });
            found.claims.push(claim);
        }
        found.claim_by_values(columns, rows, day_first);
        found
    }

    fn has(&self, role: Role) -> bool {
        self.claims.iter().flatten().any(|c| c.role == role)
    }

    fn set(&mut self, index: usize, role: Role, why: String) {
        self.claims[index] = Some(Claim {
            role,
            strength: Strength::Suffix,
            rank: usize::MAX,
            why,
        });
    }

    /// Values alone, for columns whose names said nothing usable: an
    /// email by its `@`, and the time, currency and value when no name
    /// gave them. Stricter than a name check, since nothing else backs it.
    fn claim_by_values(&mut self, columns: &[Column], rows: usize, day_first: bool) {
        // A column without a name cannot be named in the mapping.
        let columns: Vec<&Column> = columns
            .iter()
            .filter(|c| !c.name.trim().is_empty())
            .collect();
        let columns = columns.as_slice();
        for col in columns {
            let p = &col.profile;
            if self.claims[col.index].is_none()
                && p.non_empty > 0
                && p.emails * 10 >= p.non_empty * 8
            {
                let why = format!(
                    "{} of sampled values are email addresses",
                    pct(p.emails, p.non_empty)
                );
                self.set(col.index, Role::Email, why);
            }
        }
        if !self.has(Role::Time) && rows > 0 {
            let best = columns
                .iter()
                .filter(|c| self.claims[c.index].is_none())
                .map(|c| (c, profile::time_fit(&c.values, false, day_first)))
                .filter(|(_, fit)| fit.parsed * 10 >= rows * 8)
                .max_by(|a, b| a.1.parsed.cmp(&b.1.parsed).then(b.0.index.cmp(&a.0.index)));
            if let Some((col, fit)) = best {
                let why = format!(
                    "{} of sampled values parse as times",
                    pct(fit.parsed, col.profile.non_empty)
                );
                self.set(col.index, Role::Time, why);
                self.fits.insert(col.index, fit);
            }
        }
        if !self.has(Role::Currency) {
            let best = columns.iter().find(|c| {
                let n: usize = c.profile.currency_codes.values().sum();
                self.claims[c.index].is_none()
                    && c.profile.non_empty > 0
                    && n * 10 >= c.profile.non_empty * 9
            });
            if let Some(col) = best {
                let why = "its values are ISO 4217 currency codes".to_owned();
                self.set(col.index, Role::Currency, why);
            }
        }
        if !self.has(Role::Value) {
            let amounts: Vec<&Column> = columns
                .iter()
                .copied()
                .filter(|c| {
                    let a = &c.profile.amounts;
                    self.claims[c.index].is_none()
                        && !names::is_partial_amount(c.name)
                        && c.profile.non_empty > 0
                        && a.parsed * 10 >= c.profile.non_empty * 9
                        && a.money_like * 2 >= a.parsed
                })
                .collect();
            // Of several money columns the order total is the largest.
            let best = amounts
                .iter()
                .max_by(|a, b| a.profile.amounts.sum.total_cmp(&b.profile.amounts.sum));
            if let Some(col) = best {
                let mut why = format!(
                    "{} of sampled values are amounts",
                    pct(col.profile.amounts.parsed, col.profile.non_empty)
                );
                if amounts.len() > 1 {
                    why.push_str(&format!(
                        " (the largest of {} amount columns)",
                        amounts.len()
                    ));
                }
                self.set(col.index, Role::Value, why);
            }
        }
    }
}

/// Confirms a name's claim against the values; the reason for the file
/// on success, the reason it was dropped otherwise.
fn check_claim(
    col: &Column,
    m: NameMatch,
    rows: usize,
    day_first: bool,
) -> Result<(String, Option<TimeFit>), String> {
    let p = &col.profile;
    let by_name = if m.strength == Strength::Suffix {
        "its name ends like a time"
    } else {
        "matched by name"
    };
    // An id is sent and reported as written: never a customer's details.
    if m.role == Role::OrderId
        && let Some(v) = crate::pii_columns::column_holds(col.values.iter().copied(), false)
    {
        return Err(format!(
            "named like an order id, but {} of its {} values are {}: an id is sent and reported as written",
            v.count,
            v.of,
            v.holds.words()
        ));
    }
    let empty_note = if rows > 0 && p.non_empty == 0 {
        "; empty in the sample"
    } else {
        ""
    };
    match m.role {
        Role::Email if p.non_empty > 0 && p.emails * 10 < p.non_empty * 3 => Err(format!(
            "named like an email column, but only {} of its values are addresses",
            pct(p.emails, p.non_empty)
        )),
        Role::FullName if p.non_empty == 0 || p.person_names * 2 < p.non_empty => {
            Err("no field matches its name or values".into())
        }
        Role::OrderId if rows > 0 && p.non_empty == 0 => {
            Err("named like an order id, but empty in the sample".into())
        }
        Role::OrderId if p.non_empty * 2 < rows => Err(format!(
            "named like an order id, but filled in only {} of {rows} sampled rows",
            p.non_empty
        )),
        // A bare `id` is the sale's own id only if no two rows share it.
        Role::OrderId if names::fold(col.name) == "id" && !p.unique => {
            Err("a generic id whose sampled values repeat, so not an order id".into())
        }
        Role::OrderId if p.unique && p.non_empty > 0 => {
            Ok((format!("{by_name}; unique in the sample"), None))
        }
        Role::Time => {
            let fit = profile::time_fit(&col.values, true, day_first);
            if rows == 0 {
                return Ok((format!("{by_name} (no rows to check)"), Some(fit)));
            }
            if p.non_empty == 0 {
                return Err("named like a time, but empty in the sample".into());
            }
            if fit.parsed * 10 < p.non_empty * 8 {
                return Err(format!(
                    "named like a time, but {} of its {} values do not parse as times",
                    p.non_empty - fit.parsed,
                    p.non_empty
                ));
            }
            let how = if fit.format.is_some() {
                "parse with time_format"
            } else {
                "parse as times"
            };
            let why = format!(
                "{by_name}; {} of sampled values {how}",
                pct(fit.parsed, p.non_empty)
            );
            Ok((why, Some(fit)))
        }
        Role::Value if p.non_empty > 0 => {
            let a = &p.amounts;
            if a.parsed * 2 >= p.non_empty {
                let why = format!(
                    "{by_name}; {} of sampled values are amounts",
                    pct(a.parsed, p.non_empty)
                );
                Ok((why, None))
            } else if a.decimal_comma * 2 >= p.non_empty {
                Err(format!(
                    "named like the order value, but {} of its values use a decimal comma (12,50), which offconv does not read",
                    pct(a.decimal_comma, p.non_empty)
                ))
            } else {
                Err(format!(
                    "named like the order value, but only {} of its values are amounts",
                    pct(a.parsed, p.non_empty)
                ))
            }
        }
        Role::Currency if p.non_empty > 0 => {
            let n: usize = p.currency_codes.values().sum();
            if n * 2 >= p.non_empty {
                Ok((
                    format!("{by_name}; {} ISO 4217 codes", pct(n, p.non_empty)),
                    None,
                ))
            } else {
                Err("named like a currency, but its values are not ISO 4217 codes".into())
            }
        }
        _ => Ok((format!("{by_name}{empty_note}"), None)),
    }
}

/// Assigns claimed columns to mapping keys, remembering why the losers
/// lost.
pub(super) struct Placer<'a> {
    columns: &'a [Column<'a>],
    claims: &'a [Option<Claim>],
    pub used: Vec<bool>,
    /// Reasons for columns left out, by column index.
    pub unplaced: BTreeMap<usize, String>,
}

impl<'a> Placer<'a> {
    pub fn new(columns: &'a [Column<'a>], claims: &'a [Option<Claim>]) -> Placer<'a> {
        let mut placer = Placer {
            columns,
            claims,
            used: vec![false; columns.len()],
            unplaced: BTreeMap::new(),
        };
        // A name the header holds twice cannot be mapped: the loader
        // refuses it (it could mean either column), so it is never placed.
        let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        for (i, col) in columns.iter().enumerate() {
            if columns
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && same(col.name, other.name))
            {
                placer.used[i] = true;
                placer.unplaced.insert(
                    i,
                    "the header names another column the same way; rename one to map it".into(),
                );
            }
        }
        placer
    }

    /// Claims of `role` on unused columns, best first: strength, then the
    /// most specific spelling, then header order (billing before
    /// shipping, as exports list them).
    pub fn ranked(&self, role: Role) -> Vec<(usize, String)> {
        let mut found: Vec<(usize, &Claim)> = self
            .claims
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
            .filter(|(i, c)| c.role == role && !self.used[*i])
            .filter(|(i, _)| !(is_customer_key(role) && constant(&self.columns[*i])))
            .collect();
        let filled = |i: usize| self.columns[i].profile.non_empty;
        let most = found
            .iter()
            .map(|(i, _)| filled(*i))
            .max()
            .unwrap_or(0)
            .max(1);
        // The fuller column first (in tenths of the fullest), then a unique
        // order id before a repeated one, then the name's strength, the most
        // specific spelling, and header order (billing before shipping).
        let key = |(i, c): &(usize, &Claim)| {
            let unique = role == Role::OrderId && self.columns[*i].profile.unique;
            (
                std::cmp::Reverse(filled(*i) * 10 / most),
                std::cmp::Reverse(unique),
                std::cmp::Reverse(c.strength),
                c.rank,
                *i,
            )
        };
        found.sort_by_key(key);
        found.into_iter().map(|(i, c)| (i, c.why.clone())).collect()
    }

    /// The best column for a one-column key; the others are noted.
    pub fn best(&mut self, role: Role, key: &str) -> Option<(usize, Pick)> {
        let ranked = self.ranked(role);
        let (first, why) = ranked.first()?.clone();
        self.used[first] = true;
        let chosen = self.columns[first].name;
        for (i, _) in &ranked[1..] {
            self.unplaced.insert(
                *i,
                format!("also looks like {key}, which reads \"{chosen}\""),
            );
        }
        let pick = Pick {
            column: chosen.to_owned(),
            why,
        };
        Some((first, pick))
    }

    /// Every column of a key that takes a list (em, ph, external_id).
    pub fn all(&mut self, role: Role) -> Vec<Pick> {
        self.ranked(role)
            .into_iter()
            .map(|(i, why)| {
                self.used[i] = true;
                Pick {
                    column: self.columns[i].name.to_owned(),
                    why,
                }
            })
            .collect()
    }

    /// Marks a column as written (commented out) without a claim.
    pub fn take(&mut self, index: usize) {
        self.used[index] = true;
    }

    /// The reason each column not placed was left out, in header order.
    pub fn leftovers(mut self, claims: &Claims) -> Vec<Pick> {
        let mut rejected = claims.rejected.clone();
        let mut out = Vec::new();
        for col in self.columns {
            if self.used[col.index] {
                continue;
            }
            let reason = self
                .unplaced
                .remove(&col.index)
                .or_else(|| {
                    let key = claims.claims[col.index]
                        .as_ref()
                        .is_some_and(|c| is_customer_key(c.role));
                    (key && constant(col)).then(|| {
                        "the same value on every sampled row, so not a customer's (the shop's own?)"
                            .to_owned()
                    })
                })
                .or_else(|| {
                    let full_name = claims.claims[col.index]
                        .as_ref()
                        .is_some_and(|c| c.role == Role::FullName);
                    full_name
                        .then(|| "a whole name; fn and ln come from their own columns".to_owned())
                })
                .or_else(|| rejected.remove(&col.index))
                .unwrap_or_else(|| unplaced_reason(col));
            out.push(Pick {
                column: col.name.to_owned(),
                why: reason,
            });
        }
        out
    }
}

fn unplaced_reason(col: &Column) -> String {
    let p = &col.profile;
    let folded = names::fold(col.name);
    if col.name.trim().is_empty() {
        format!("column {} has no name", col.index + 1)
    } else if !col.values.is_empty() && p.non_empty == 0 {
        "empty in the sample".into()
    } else if ["ip", "ipaddress", "clientip", "clientipaddress"].contains(&folded.as_str()) {
        "an IP address: map it as client_ip_address if it is the customer's".into()
    } else if folded.contains("address") || folded.contains("street") {
        "a street address, which Meta does not take (only ct, st, zp, country)".into()
    } else if names::is_partial_amount(col.name)
        && p.non_empty > 0
        && p.amounts.money_like * 2 >= p.non_empty
    {
        "a part of the sale (tax, tip, shipping, fees, a line's price), not what the customer paid"
            .into()
    } else {
        "no field matches its name or values".into()
    }
}
