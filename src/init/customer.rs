//! The customer's keys (`[user_data]`): the best column for each one-column
//! key, every distinct column for email, phone and external id, and
//! `full_name` when no first and last name are there. A column that only
//! repeats another (a shipping copy of the billing phone) or holds nothing
//! is left out, with the reason.

use super::Pick;
use super::claims::{Column, Placer};
use super::names::Role;
use crate::normalize::Field;

/// The mapped keys, and the whole-name column when there is one to map.
pub(super) fn keys(
    columns: &[Column],
    placer: &mut Placer,
    checks: &mut Vec<String>,
) -> (Vec<(Field, Vec<Pick>)>, Option<Pick>) {
    let mut user_data = Vec::new();
    for (field, role) in [
        (Field::Em, Role::Email),
        (Field::Ph, Role::Phone),
        (Field::Fn, Role::FirstName),
        (Field::Ln, Role::LastName),
        (Field::Ge, Role::Gender),
        (Field::Db, Role::Dob),
        (Field::Ct, Role::City),
        (Field::St, Role::State),
        (Field::Zp, Role::Zip),
        (Field::Country, Role::Country),
        (Field::ExternalId, Role::ExternalId),
    ] {
        // Meta takes lists for every hashed key, but a second city or
        // name is usually the shipping copy of the billing one: only
        // email, phone and ids are worth sending several of.
        let picks = if matches!(field, Field::Em | Field::Ph | Field::ExternalId) {
            {
                let all = placer.all(role);
                distinct(columns, placer, all)
            }
        } else {
            placer
                .best(role, field.key())
                .map(|(_, p)| vec![p])
                .unwrap_or_default()
        };
        if !picks.is_empty() {
            user_data.push((field, picks));
        }
    }
    let has = |f: Field| user_data.iter().any(|(k, _)| *k == f);
    let full_name = if has(Field::Fn) || has(Field::Ln) {
        None
    } else {
        placer.best(Role::FullName, "full_name").map(|(i, mut p)| {
            p.why = "the whole name, split into fn and ln (\"Last, First\", or the first and last word)".into();
            if columns[i].profile.person_names * 2 < columns[i].profile.non_empty {
                checks.push(format!(
                    "full_name \"{}\": most values are one word; a one-word name is sent as fn only",
                    p.column
                ));
            }
            p
        })
    };
    (user_data, full_name)
}

/// `picks` without empty columns and without columns that only repeat an
/// earlier one (the same value on every row where both are filled).
fn distinct(columns: &[Column], placer: &mut Placer, picks: Vec<Pick>) -> Vec<Pick> {
    let col = |p: &Pick| columns.iter().find(|c| c.name == p.column);
    let mut kept: Vec<Pick> = Vec::new();
    for p in picks {
        let Some(c) = col(&p) else { continue };
        if c.profile.non_empty == 0 && !c.values.is_empty() {
            placer
                .unplaced
                .insert(c.index, "empty in the sample".into());
            continue;
        }
        let copy = kept.iter().filter_map(&col).find(|k| {
            let mut both = 0;
            let same = k.values.iter().zip(&c.values).all(|(a, b)| {
                let (a, b) = (a.trim(), b.trim());
                if a.is_empty() || b.is_empty() {
                    return true;
                }
                both += 1;
                a == b
            });
            same && both > 0
        });
        if let Some(first) = copy {
            let reason = format!(
                "repeats \"{}\" on every row where both are filled",
                first.name
            );
            placer.unplaced.insert(c.index, reason);
            continue;
        }
        kept.push(p);
    }
    kept
}
