//! `[event]`: the event's name, source, time and id columns, and whether
//! line items are grouped into orders.

use serde::Deserialize;

use crate::suggest::closest;

/// Meta's `action_source` values.
pub const ACTION_SOURCES: [&str; 8] = [
    "physical_store",
    "phone_call",
    "email",
    "website",
    "app",
    "chat",
    "system_generated",
    "other",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSection {
    pub name: Option<String>,
    pub name_column: Option<String>,
    pub action_source: Option<String>,
    pub action_source_column: Option<String>,
    pub time_column: Option<String>,
    /// A separate time-of-day column, joined to the date (`time_column`)
    /// with one space before parsing.
    pub time_of_day_column: Option<String>,
    pub time_format: Option<String>,
    pub timezone: Option<String>,
    /// The row's own zone (IANA, offset or display name); an empty cell
    /// reads as `timezone`.
    pub timezone_column: Option<String>,
    pub id_column: Option<String>,
    /// Line-item exports: consecutive rows with the same value here are
    /// one order, sent as one event with its `contents`.
    pub group_by: Option<String>,
    /// Limited Data Use (`config::ldu`): `["LDU"]` for every event, `[]`
    /// for none.
    pub data_processing_options: Option<Vec<String>>,
    pub data_processing_options_country: Option<i64>,
    pub data_processing_options_state: Option<i64>,
    /// A column whose `1`/`true`/`yes`/`y` puts its row under LDU.
    pub ldu_column: Option<String>,
}

/// What `[event]` settles at start-up.
pub(super) struct EventChecked {
    pub action_source: String,
    pub timezone: jiff::tz::TimeZone,
}

impl EventSection {
    pub(super) fn check(&self) -> Result<EventChecked, String> {
        match (&self.name, &self.name_column) {
            (Some(_), Some(_)) => {
                return Err("[event] has both name and name_column: keep one".into());
            }
            (Some(name), None) if name.trim().is_empty() => {
                return Err("[event] name is empty".into());
            }
            _ => {}
        }
        if self.time_column.is_none() {
            return Err(
                "[event] time_column is missing: every event needs the time of the sale (time_column = \"purchased_at\")".into(),
            );
        }
        if self.action_source.is_some() && self.action_source_column.is_some() {
            return Err("[event] has both action_source and action_source_column: keep one".into());
        }
        let action_source = self
            .action_source
            .clone()
            .unwrap_or_else(|| "physical_store".to_owned());
        if !ACTION_SOURCES.contains(&action_source.as_str()) {
            let hint = closest(&action_source, ACTION_SOURCES.iter().copied())
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return Err(format!(
                "[event] action_source = {action_source:?} is not one Meta knows{hint}; use one of {}",
                ACTION_SOURCES.join(", ")
            ));
        }
        let timezone = match self.timezone.as_deref() {
            None => jiff::tz::TimeZone::UTC,
            Some(name) => jiff::tz::TimeZone::get(name).map_err(|_| {
                format!(
                    "[event] timezone = {name:?} is not an IANA time zone (such as \"America/Chicago\" or \"Europe/Berlin\")"
                )
            })?,
        };
        if let Some(fmt) = &self.time_format {
            crate::time::format_check::check(fmt)
                .map_err(|why| format!("[event] time_format = {fmt:?}: {why}"))?;
        }
        Ok(EventChecked {
            action_source,
            timezone,
        })
    }
}
