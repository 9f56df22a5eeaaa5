//! [`Mapping::resolve`]: the mapping bound to one input's header, column
//! names turned into indices so the hot loop only ever indexes a record.

use std::fmt::Write as _;

use super::filter::{self, FilterPlan};
use super::{ConfigError, Mapping};
use crate::normalize::Field;
use crate::suggest::closest;

impl Mapping {
    /// Every (key, column) the mapping reads, in a stable order, for
    /// checking them against a header.
    pub(super) fn column_uses(&self) -> Vec<(String, &str)> {
        let mut uses: Vec<(String, &str)> = Vec::new();
        let ev = &self.event;
        fn push<'a>(uses: &mut Vec<(String, &'a str)>, key: &str, col: &'a Option<String>) {
            if let Some(col) = col {
                uses.push((key.to_owned(), col.as_str()));
            }
        }
        push(&mut uses, "[event] name_column", &ev.name_column);
        push(
            &mut uses,
            "[event] action_source_column",
            &ev.action_source_column,
        );
        push(&mut uses, "[event] time_column", &ev.time_column);
        push(
            &mut uses,
            "[event] time_of_day_column",
            &ev.time_of_day_column,
        );
        push(&mut uses, "[event] timezone_column", &ev.timezone_column);
        push(&mut uses, "[event] id_column", &ev.id_column);
        push(&mut uses, "[event] group_by", &ev.group_by);
        push(&mut uses, "[event] ldu_column", &ev.ldu_column);
        if let Some(c) = &self.contents {
            push(&mut uses, "[contents] id_column", &c.id_column);
            push(&mut uses, "[contents] quantity_column", &c.quantity_column);
            push(
                &mut uses,
                "[contents] item_price_column",
                &c.item_price_column,
            );
            push(
                &mut uses,
                "[contents] line_total_column",
                &c.line_total_column,
            );
            push(&mut uses, "[contents] title_column", &c.title_column);
            push(&mut uses, "[contents] brand_column", &c.brand_column);
            push(&mut uses, "[contents] category_column", &c.category_column);
        }
        let cd = &self.custom_data;
        push(&mut uses, "[custom_data] value_column", &cd.value_column);
        push(
            &mut uses,
            "[custom_data] currency_column",
            &cd.currency_column,
        );
        push(
            &mut uses,
            "[custom_data] order_id_column",
            &cd.order_id_column,
        );
        for (key, col) in &cd.columns {
            uses.push((format!("[custom_data] columns.{key}"), col.as_str()));
        }
        for (field, cols) in &self.hashed {
            for col in cols {
                uses.push((format!("[user_data] {}", field.key()), col.as_str()));
            }
        }
        for (key, col) in &self.plain {
            uses.push((format!("[user_data] {key}"), col.as_str()));
        }
        if let Some(col) = &self.full_name {
            uses.push(("[user_data] full_name".to_owned(), col.as_str()));
        }
        for (table, rules) in [("skip", &self.filter.skip), ("only", &self.filter.only)] {
            for col in rules.keys() {
                uses.push((format!("[filter] {table}"), col.as_str()));
            }
        }
        uses
    }

    /// Binds the mapping to one input's header. `input` names the input in
    /// errors.
    pub fn resolve(&self, header: &[String], input: &str) -> Result<Plan, ConfigError> {
        let mut missing = String::new();
        let mut twice = String::new();
        for (key, col) in self.column_uses() {
            if let Some((a, b)) = super::columns::ambiguous(header, col) {
                let _ = write!(
                    twice,
                    "\n  {key} = \"{col}\": {input} has two columns of that name (columns {} and {}): rename one in the export so the mapping can tell them apart",
                    a + 1,
                    b + 1
                );
            } else if find_column(header, col).is_none() {
                let hint = closest(col, header.iter().map(String::as_str))
                    .filter(|c| crate::redact::quotable(header, c))
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                let _ = write!(
                    missing,
                    "\n  {key} = \"{col}\": {input} has no such column{hint}"
                );
            }
        }
        if !twice.is_empty() {
            return Err(ConfigError::Invalid {
                path: self.path.clone(),
                message: format!("columns the header of {input} names twice:{twice}"),
            });
        }
        if !missing.is_empty() {
            return Err(ConfigError::Invalid {
                path: self.path.clone(),
                message: format!(
                    "columns missing from the header of {input}:{missing}\n  the header has: {}",
                    crate::redact::describe_header(header)
                ),
            });
        }
        let col = |c: &Option<String>| c.as_deref().and_then(|c| find_column(header, c));
        let ev = &self.event;
        let cd = &self.custom_data;
        Ok(Plan {
            width: header.len(),
            name_column: col(&ev.name_column),
            action_source_column: col(&ev.action_source_column),
            time_column: col(&ev.time_column).expect("checked above"),
            time_of_day_column: col(&ev.time_of_day_column),
            timezone_column: col(&ev.timezone_column),
            id_column: col(&ev.id_column),
            value_column: col(&cd.value_column),
            currency_column: col(&cd.currency_column),
            order_id_column: col(&cd.order_id_column),
            custom_columns: cd
                .columns
                .iter()
                .map(|(k, c)| (k.clone(), find_column(header, c).expect("checked above")))
                .collect(),
            hashed: with_name_fields(
                self.hashed
                    .iter()
                    .map(|(f, cols)| {
                        (
                            *f,
                            cols.iter()
                                .map(|c| find_column(header, c).expect("checked above"))
                                .collect(),
                        )
                    })
                    .collect(),
                self.full_name.is_some(),
            ),
            full_name: self
                .full_name
                .as_deref()
                .and_then(|c| find_column(header, c)),
            ldu_column: col(&ev.ldu_column),
            plain: self
                .plain
                .iter()
                .map(|(k, c)| (*k, find_column(header, c).expect("checked above")))
                .collect(),
            group_by: col(&ev.group_by),
            contents: self.contents.as_ref().map(|c| ContentsPlan {
                id: col(&c.id_column).expect("checked above"),
                quantity: col(&c.quantity_column),
                price: match col(&c.line_total_column) {
                    Some(total) => LinePrice::Total(total),
                    None => LinePrice::Unit(col(&c.item_price_column).expect("checked above")),
                },
                title: col(&c.title_column),
                brand: col(&c.brand_column),
                category: col(&c.category_column),
            }),
            filter: (!self.filter.is_empty()).then(|| FilterPlan {
                skip: filter::bind(&self.filter.skip, |c| find_column(header, c)),
                only: filter::bind(&self.filter.only, |c| find_column(header, c)),
            }),
            header: header.to_vec(),
        })
    }
}

/// With `full_name`, `fn` and `ln` are among the hashed fields (with no
/// column of their own when unmapped), so the row loop visits them and
/// takes them from the full name.
fn with_name_fields(
    mut hashed: Vec<(Field, Vec<usize>)>,
    full_name: bool,
) -> Vec<(Field, Vec<usize>)> {
    if full_name {
        for field in [Field::Fn, Field::Ln] {
            if !hashed.iter().any(|(f, _)| *f == field) {
                hashed.push((field, Vec::new()));
            }
        }
        hashed.sort_by_key(|(f, _)| *f);
    }
    hashed
}

/// Exact match first, then one that differs only in case and surrounding
/// spaces: exports from spreadsheets often carry `Email ` or `EMAIL`.
pub(super) fn find_column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h == name).or_else(|| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    })
}

/// A mapping bound to one header: column indices only.
#[derive(Debug, Clone)]
pub struct Plan {
    pub header: Vec<String>,
    pub width: usize,
    pub name_column: Option<usize>,
    pub action_source_column: Option<usize>,
    pub time_column: usize,
    /// `[event] time_of_day_column`: joined to the date before parsing.
    pub time_of_day_column: Option<usize>,
    /// `[event] timezone_column`: the row's own zone.
    pub timezone_column: Option<usize>,
    pub id_column: Option<usize>,
    pub value_column: Option<usize>,
    pub currency_column: Option<usize>,
    pub order_id_column: Option<usize>,
    pub custom_columns: Vec<(String, usize)>,
    pub hashed: Vec<(Field, Vec<usize>)>,
    pub plain: Vec<(&'static str, usize)>,
    /// `[user_data] full_name`: `fn` and `ln` for rows without their own.
    pub full_name: Option<usize>,
    /// `[event] ldu_column`: the row's Limited Data Use flag.
    pub ldu_column: Option<usize>,
    /// Line items: the order column and the item columns.
    pub group_by: Option<usize>,
    pub contents: Option<ContentsPlan>,
    /// `[filter]`, `None` without one (no work per row).
    pub filter: Option<FilterPlan>,
}

/// `[contents]` bound to a header.
#[derive(Debug, Clone)]
pub struct ContentsPlan {
    pub id: usize,
    /// `None`: each line is one item.
    pub quantity: Option<usize>,
    pub price: LinePrice,
    pub title: Option<usize>,
    pub brand: Option<usize>,
    pub category: Option<usize>,
}

/// Where a line's price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinePrice {
    /// `item_price_column`: the unit price.
    Unit(usize),
    /// `line_total_column`: the line's total.
    Total(usize),
}

impl LinePrice {
    pub fn column(self) -> usize {
        match self {
            LinePrice::Unit(c) | LinePrice::Total(c) => c,
        }
    }
}

impl Plan {
    /// The header name of column `index`, for messages.
    pub fn column_name(&self, index: usize) -> &str {
        self.header.get(index).map(String::as_str).unwrap_or("?")
    }
}
