//! `[contents]`: the columns of one line item, with `[event] group_by`.

use serde::Deserialize;

/// `[contents]`: the columns of one line item (with `group_by`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentsSection {
    pub id_column: Option<String>,
    pub quantity_column: Option<String>,
    pub item_price_column: Option<String>,
    pub title_column: Option<String>,
    pub brand_column: Option<String>,
    pub category_column: Option<String>,
}

/// `group_by` and `[contents]` come together, and a line needs its columns.
pub(super) fn check(
    group_by: Option<&String>,
    contents: Option<&ContentsSection>,
) -> Result<(), String> {
    match (group_by, contents) {
        (Some(_), None) => Err(
            "[event] group_by needs a [contents] table with id_column, quantity_column and item_price_column".into(),
        ),
        (None, Some(_)) => Err(
            "[contents] needs [event] group_by = \"<order id column>\": contents describe the line items of one order".into(),
        ),
        (Some(_), Some(c)) => {
            for (key, col) in [
                ("id_column", &c.id_column),
                ("quantity_column", &c.quantity_column),
                ("item_price_column", &c.item_price_column),
            ] {
                if col.is_none() {
                    return Err(format!("[contents] {key} is missing"));
                }
            }
            Ok(())
        }
        (None, None) => Ok(()),
    }
}
