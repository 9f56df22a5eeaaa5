//! The sale's time: the column, its format, the time of day when it is
//! written apart, the row's own zone when a column holds it, and the
//! fallback `timezone` with what says so.

use std::collections::BTreeMap;

use super::claims::{Column, Placer};
use super::names::{self, Role};
use super::profile::{self, TimeFit};
use super::settings::{self, Region};
use super::{Pick, Setting, TimePick, clock};

/// Picks the time column and everything that goes with it.
pub(super) fn pick(
    columns: &[Column],
    placer: &mut Placer,
    fits: &mut BTreeMap<usize, TimeFit>,
    region: &Region,
    (day_first, order_hint): (bool, &str),
    checks: &mut Vec<String>,
) -> Option<TimePick> {
    let rows = columns.first().map_or(0, |c| c.values.len());
    let (index, pick) = placer.best(Role::Time, "time_column")?;
    let mut fit = fits.remove(&index).unwrap_or_default();
    let mut time_of_day = None;
    if fit.dates_only
        && let Some(t) = clock::time_of_day(columns, &placer.used, index)
    {
        let joined = clock::joined(&columns[index].values, &columns[t].values);
        let refs: Vec<&str> = joined.iter().map(String::as_str).collect();
        let joined_fit = profile::time_fit(&refs, false, day_first);
        if joined_fit.parsed * 10 >= fit.parsed * 8 && !joined_fit.dates_only {
            placer.take(t);
            fit = joined_fit;
            time_of_day = Some(Pick {
                column: columns[t].name.to_owned(),
                why: format!(
                    "times of day for the dates in \"{}\"; time_format reads both, joined by a space",
                    pick.column
                ),
            });
        }
    }
    let order_note = settings::order_note(&fit, day_first, order_hint, checks);
    let empty = rows - columns[index].profile.non_empty;
    if empty > 0 {
        checks.push(format!(
            "time_column \"{}\" is empty in {empty} of {rows} sampled rows; such a row is rejected (bad_time) unless it continues an order",
            pick.column
        ));
    }
    if fit.dates_only {
        checks.push("the times are dates only: every event is sent at midnight".into());
    }
    let mut zone_column = None;
    let timezone = if fit.absolute {
        None
    } else if let Some((z, top)) = clock::zone_column(columns, &placer.used) {
        placer.take(z);
        zone_column = Some(Pick {
            column: columns[z].name.to_owned(),
            why: "each row's zone (IANA names, offsets or names such as \"Eastern Time (US & Canada)\")".into(),
        });
        Some(match top {
            Some(zone) => Setting {
                value: zone,
                active: true,
                why: "the zone most rows name, for rows whose zone cell is empty".into(),
            },
            None => region.timezone(),
        })
    } else {
        Some(fallback_zone(columns, index, &pick, &fit, region, checks))
    };
    Some(TimePick {
        pick,
        fit,
        order_note,
        time_of_day,
        zone_column,
        timezone,
    })
}

/// The `timezone` for times without an offset: the zone their
/// abbreviation names, `UTC` when the column's name says so, else the
/// country's zone when the export shows the country.
fn fallback_zone(
    columns: &[Column],
    index: usize,
    pick: &Pick,
    fit: &TimeFit,
    region: &Region,
    checks: &mut Vec<String>,
) -> Setting {
    if fit.format.is_some_and(|f| f.ends_with("%Z")) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in &columns[index].values {
            if let Some((_, abbr)) = v.trim().rsplit_once(' ')
                && let Some((_, zone)) = profile::ABBREVIATIONS.iter().find(|(a, _)| *a == abbr)
            {
                *counts.entry(zone).or_default() += 1;
            }
        }
        if let Some((zone, _)) = counts.into_iter().max_by_key(|(_, n)| *n) {
            checks.push(format!(
                "timezone: {zone}, the zone whose abbreviations most times carry; a time with another zone's abbreviation is rejected (bad_time)"
            ));
            return Setting {
                value: zone.to_owned(),
                active: true,
                why: "the zone whose abbreviations the times carry (EST/EDT, …)".into(),
            };
        }
    }
    if names::fold(&pick.column).contains("utc") {
        return Setting {
            value: "UTC".into(),
            active: true,
            why: "the column's name says the times are UTC".into(),
        };
    }
    let zone = region.timezone();
    if zone.active {
        checks.push(format!(
            "timezone: {} is a guess from the country; set the stores' zone if it differs",
            zone.value
        ));
    } else {
        checks.push(
            "timezone: the times carry no offset and are read as UTC until [event] timezone names the stores' zone".into(),
        );
    }
    zone
}
