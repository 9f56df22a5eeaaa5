//! `[contents]`: the columns of one line item, with `[event] group_by`.

use serde::Deserialize;

/// `[contents]`: the columns of one line item (with `group_by`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentsSection {
    pub id_column: Option<String>,
    /// Optional: without it every line is one item.
    pub quantity_column: Option<String>,
    /// The unit price; or, instead, `line_total_column`.
    pub item_price_column: Option<String>,
    /// The line's total (item_price = total / quantity).
    pub line_total_column: Option<String>,
    pub title_column: Option<String>,
    pub brand_column: Option<String>,
    pub category_column: Option<String>,
}

/// `group_by` and `[contents]` come together, and a line needs its id and
/// exactly one of its price columns.
pub(super) fn check(
    group_by: Option<&String>,
    contents: Option<&ContentsSection>,
) -> Result<(), String> {
    match (group_by, contents) {
        (Some(_), None) => Err(
            "[event] group_by needs a [contents] table with id_column and item_price_column (or line_total_column)".into(),
        ),
        (None, Some(_)) => Err(
            "[contents] needs [event] group_by = \"<order id column>\": contents describe the line items of one order".into(),
        ),
        (Some(_), Some(c)) => {
            if c.id_column.is_none() {
                return Err("[contents] id_column is missing".into());
            }
            match (&c.item_price_column, &c.line_total_column) {
                (Some(_), Some(_)) => Err(
                    "[contents] has both item_price_column and line_total_column: keep the one the export has (the unit price, or the line's total)".into(),
                ),
                (None, None) => Err(
                    "[contents] needs item_price_column (the unit price) or line_total_column (the line's total)".into(),
                ),
                _ => Ok(()),
            }
        }
        (None, None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_with(price: Option<&str>, total: Option<&str>) -> Result<(), String> {
        let c = ContentsSection {
            id_column: Some("sku".into()),
            item_price_column: price.map(str::to_owned),
            line_total_column: total.map(str::to_owned),
            ..ContentsSection::default()
        };
        check(Some(&"order".to_owned()), Some(&c))
    }

    #[test]
    fn exactly_one_price_column_and_quantity_optional() {
        assert!(check_with(Some("p"), None).is_ok());
        assert!(check_with(None, Some("t")).is_ok());
        assert!(
            check_with(Some("p"), Some("t"))
                .unwrap_err()
                .contains("both")
        );
        assert!(
            check_with(None, None)
                .unwrap_err()
                .contains("line_total_column")
        );
    }
}
