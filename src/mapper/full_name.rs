//! `[user_data] full_name` in a row: the first or last name taken from
//! the whole name when the row's own `fn` / `ln` columns give none
//! (DESIGN.md section 6; the split is `normalize::split_full_name`).

use super::{Row, RowMapper};
use crate::normalize::{Field, NameParts, split_full_name};
use crate::outcome::Rejection;

impl RowMapper {
    /// The part of the row's full name that stands for `field` (`fn` or
    /// `ln`), as written; `None` for other fields, without `full_name`,
    /// or when the name has no such part. `split` keeps the row's split
    /// for its other part (`None` before the first).
    pub(super) fn full_name_part<'r>(
        &self,
        rec: &Row<'r>,
        field: Field,
        split: &mut Option<NameParts<'r>>,
    ) -> Result<Option<&'r str>, Rejection> {
        if !matches!(field, Field::Fn | Field::Ln) {
            return Ok(None);
        }
        let Some(col) = self.plan.full_name else {
            return Ok(None);
        };
        let parts = match *split {
            Some(parts) => parts,
            None => *split.insert(split_full_name(self.text(rec, col)?)),
        };
        Ok(if field == Field::Fn {
            parts.first
        } else {
            parts.last
        })
    }
}
