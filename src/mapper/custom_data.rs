//! `custom_data`: value and currency, order id, extra columns, and an
//! order's contents.

use std::fmt::Write as _;

use super::{Row, RowMapper, amount, order, write_key, write_plain_key};
use crate::event::push_json_str;
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
        let mut has_value = false;
        if let (None, Some(order)) = (plan.value_column, order) {
            // Line items without an order total: the sum of the items.
            write_plain_key(json, &mut first, "value");
            json.push_str(&order.value);
            has_value = true;
        }
        let mut written = None;
        if let Some(col) = plan.value_column {
            match self.amount(rec, col, "the value")? {
                Some(amount) => {
                    write_plain_key(json, &mut first, "value");
                    json.push_str(&amount.decimal);
                    has_value = true;
                    written = Some((col, amount));
                }
                None if event_name == "Purchase" => {
                    return Err(Rejection::new(
                        Reason::BadValue,
                        format!(
                            "column {}: empty, and Meta requires a value for Purchase events",
                            plan.column_name(col)
                        ),
                    ));
                }
                None => {}
            }
        }
        let code = written.as_ref().and_then(|(_, a)| a.currency);
        let currency = self.currency_of(rec, code)?;
        if let (Some((col, amount)), Some(currency)) = (&written, &currency) {
            self.check_agrees(amount, currency, *col)?;
        }
        match currency.as_ref().map(amount::Currency::code) {
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
