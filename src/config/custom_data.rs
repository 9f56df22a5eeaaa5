//! `[custom_data]`: the sale's value, currency, order id and extra keys.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDataSection {
    pub value_column: Option<String>,
    pub currency: Option<String>,
    pub currency_column: Option<String>,
    pub order_id_column: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// Keys offconv fills itself: not for `columns`.
const RESERVED_CUSTOM_KEYS: [&str; 7] = [
    "value",
    "currency",
    "order_id",
    "contents",
    "content_ids",
    "content_type",
    "num_items",
];

impl CustomDataSection {
    pub(super) fn check(&self) -> Result<(), String> {
        if self.currency.is_some() && self.currency_column.is_some() {
            return Err("[custom_data] has both currency and currency_column: keep one".into());
        }
        if let Some(code) = &self.currency
            && !crate::money::is_currency(&code.to_ascii_uppercase())
        {
            return Err(format!(
                "[custom_data] currency = {code:?} is not an ISO 4217 code (such as \"USD\", \"EUR\")"
            ));
        }
        for key in self.columns.keys() {
            if RESERVED_CUSTOM_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "[custom_data] columns has the key {key:?}, which offconv fills itself; map it with {key}_column or pick another name"
                ));
            }
        }
        Ok(())
    }
}
