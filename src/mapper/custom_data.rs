//! `custom_data`: value and currency, order id, extra columns, and an
//! order's contents.

use std::fmt::Write as _;

use super::{Row, RowMapper, order, write_key, write_plain_key};
use crate::event::push_json_str;
use crate::money::{self, ValueError};
use crate::outcome::{Reason, Rejection};

impl RowMapper {
    pub(super) fn custom_data(
        &self,
        rec: &Row<'_>,
        event_name: &str,
        json: &mut String,
        order: Option<&order::Order>,
    ) -> Result<(), Rejection> {
        let plan = &self.plan;
        // Written in place; taken back when the event has no custom data.
        let start = json.len();
        json.push_str(",\"custom_data\":{");
        let mut first = true;
        let mut value_currency = None;
        let mut has_value = false;
        if let (None, Some(order)) = (plan.value_column, order) {
            // Line items without an order total: the sum of the items.
            write_plain_key(json, &mut first, "value");
            json.push_str(&order.value);
            has_value = true;
        }
        if let Some(col) = plan.value_column {
            let name = plan.column_name(col);
            match money::parse_value(self.text(rec, col)?) {
                Ok(Some(amount)) => {
                    write_plain_key(json, &mut first, "value");
                    json.push_str(&amount.decimal);
                    has_value = true;
                    value_currency = amount.currency.map(str::to_ascii_uppercase);
                }
                Ok(None) if event_name == "Purchase" => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: empty, and Meta requires a value for Purchase events"
                        ),
                    ));
                }
                Ok(None) => {}
                Err(ValueError::Negative) => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: the value is negative (refunds are not conversions)"
                        ),
                    ));
                }
                Err(ValueError::NotANumber) => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {name}: not an amount (expected a form such as 1234.56, 1,234.56, $1,234.56 or 1234.56 USD)"
                        ),
                    ));
                }
                Err(ValueError::UnknownCurrency) => {
                    return Err(Rejection::new(
                        Reason::BadCurrency,
                        format!(
                            "column {name}: the currency written with the amount is not an ISO 4217 code"
                        ),
                    ));
                }
            }
        }
        let currency = match plan.currency_column {
            Some(col) => {
                let name = plan.column_name(col);
                let raw = self.text(rec, col)?.trim().to_ascii_uppercase();
                if raw.is_empty() {
                    value_currency.clone()
                } else if !money::is_currency(&raw) {
                    return Err(Rejection::new(
                        Reason::BadCurrency,
                        format!("column {name}: not an ISO 4217 currency code (such as USD, EUR)"),
                    ));
                } else {
                    Some(raw)
                }
            }
            None => value_currency.clone().or_else(|| self.currency.clone()),
        };
        if let (Some(written), Some(currency)) = (&value_currency, &currency)
            && written != currency
        {
            let value_col =
                plan.column_name(plan.value_column.expect("a written currency comes from it"));
            return Err(Rejection::new(
                Reason::BadCurrency,
                format!(
                    "column {value_col}: the amount names another currency than the currency column"
                ),
            ));
        }
        match &currency {
            Some(code) => {
                write_plain_key(json, &mut first, "currency");
                push_json_str(json, code);
            }
            None if has_value => {
                let detail = match plan.currency_column {
                    Some(col) => format!(
                        "column {}: empty, and the value needs a currency (an ISO 4217 code such as USD)",
                        plan.column_name(col)
                    ),
                    None => format!(
                        "the value has no currency; map currency_column or set currency in [custom_data]{}",
                        plan.value_column
                            .map(|c| format!(" (value from column {})", plan.column_name(c)))
                            .unwrap_or_default()
                    ),
                };
                return Err(Rejection::new(Reason::BadCurrency, detail));
            }
            None => {}
        }
        if let Some(col) = plan.order_id_column {
            let id = self.text(rec, col)?.trim();
            if !id.is_empty() {
                write_plain_key(json, &mut first, "order_id");
                push_json_str(json, &super::private_id::id_value(id));
            }
        }
        for (key, col) in &plan.custom_columns {
            let v = self.text(rec, *col)?.trim();
            if !v.is_empty() {
                write_key(json, &mut first, key);
                push_json_str(json, v);
            }
        }
        if let Some(order) = order {
            write_plain_key(json, &mut first, "contents");
            json.push_str(&order.contents);
            write_plain_key(json, &mut first, "content_ids");
            json.push_str(&order.content_ids);
            write_plain_key(json, &mut first, "content_type");
            json.push_str("\"product\"");
            write_plain_key(json, &mut first, "num_items");
            let _ = write!(json, "{}", order.num_items);
        }
        if first {
            json.truncate(start);
        } else {
            json.push('}');
        }
        Ok(())
    }
}
