//! Unclosed quotes: a stray `"` at the start of a field (`"gift wrap,
//! fragile` in a notes column) makes the CSV parser read on, across line
//! breaks, until the next quote, possibly the end of the file. The parser
//! is right by the CSV rules, but the rows it swallowed would silently
//! vanish, and the row numbers after them shift.
//!
//! The sign looked for: a field that spans a line break and, after it,
//! holds a line with as many delimiters as a whole row of this file has
//! (`columns - 1`). A real multi-line value (an address, a note) rarely
//! holds a full row's worth of delimiters on one of its lines; a field that
//! swallowed rows always does. Such a record is rejected `bad_row`, its
//! detail naming the column and the line where the quote opened, and each
//! line it swallowed gets a `bad_row` line of its own after it: the rows
//! the user counts in the file are all in the report, and the rows after
//! keep their numbers (one row a line: a swallowed value that was itself
//! multi-line counts one row a line).
//!
//! Cost: one `memchr2` scan per record for a line break; only a record
//! holding one is looked at further.

use crate::records::Record;

/// What a field that swallowed rows looks like.
#[derive(Debug, PartialEq, Eq)]
pub struct Swallowed {
    /// 0-based index of the field where the quote opened.
    pub field: usize,
    /// Line breaks inside the field.
    pub line_breaks: usize,
    /// Non-empty lines after the field's first: the rows it swallowed.
    pub rows: usize,
}

/// The first field of `rec` that swallowed rows, if any. `columns` is the
/// number of header columns.
pub fn swallowed(rec: &Record, delimiter: u8, columns: usize) -> Option<Swallowed> {
    let bytes = rec.as_slice();
    if columns < 2 || memchr::memchr2(b'\n', b'\r', bytes).is_none() {
        return None;
    }
    let row_delimiters = columns - 1;
    rec.iter().enumerate().find_map(|(field, value)| {
        let mut lines = value.split(|&b| b == b'\n' || b == b'\r');
        lines.next()?;
        let (mut line_breaks, mut rows) = (0, 0);
        let mut holds_a_row = false;
        for line in lines {
            line_breaks += 1;
            rows += usize::from(!line.is_empty());
            holds_a_row |= line.iter().filter(|&&b| b == delimiter).count() >= row_delimiters;
        }
        holds_a_row.then_some(Swallowed {
            field,
            line_breaks,
            rows,
        })
    })
}

/// The detail of the record where the quote opened.
pub fn opener(s: &Swallowed, column: &str, line: Option<u64>) -> String {
    let at = line.map_or(String::new(), |l| format!(" on line {l}"));
    format!(
        "an unclosed quote: the \" that opens column {column}{at} is not closed on its line, so the value runs over {} line breaks and swallowed the next {} rows (each reported bad_row after this one); close or remove the quote (a quote inside a value is written \"\")",
        s.line_breaks, s.rows
    )
}

/// The detail of a row swallowed by the quote opened on `row`.
pub fn swallowed_by(row: u64) -> String {
    format!(
        "swallowed by the unclosed quote on row {row}: this line was read as part of that row's value, not as a row"
    )
}

/// Records the user sees as rows: `records[at]` and, when its value
/// swallowed rows, one empty stand-in record per swallowed row after it
/// (returned count), each marked in `marks` with its detail.
pub(super) fn place(
    input: &crate::source::Input,
    records: &mut Vec<Record>,
    at: usize,
    row: u64,
    marks: &mut Vec<(usize, std::sync::Arc<str>)>,
) -> usize {
    let Some(found) = swallowed(&records[at], input.delimiter, input.header.len()) else {
        return 0;
    };
    let column = input.header.get(found.field).map_or("?", String::as_str);
    let line = records[at]
        .position()
        .map(|p| p.line() + input.lines_before_header);
    marks.push((at, opener(&found, column, line).into()));
    let detail: std::sync::Arc<str> = swallowed_by(row).into();
    for k in 1..=found.rows {
        if records.len() <= at + k {
            records.push(Record::new());
        }
        records[at + k].clear();
        marks.push((at + k, std::sync::Arc::clone(&detail)));
    }
    found.rows
}

/// Turns the outcome of every marked row that stands for that row alone
/// into `bad_row` with its detail.
pub(super) fn reject(
    outcomes: &mut [crate::outcome::RowOutcome],
    first_row: u64,
    marks: &[(usize, std::sync::Arc<str>)],
) {
    use crate::outcome::{Reason, Rejection, Verdict};
    for outcome in outcomes.iter_mut() {
        let single = match &outcome.verdict {
            Verdict::Valid(ev) => ev.rows <= 1,
            Verdict::Rejected { .. } | Verdict::Skipped { .. } => true,
        };
        let at = (outcome.row - first_row) as usize;
        if let (true, Ok(i)) = (single, marks.binary_search_by_key(&at, |m| m.0)) {
            outcome.verdict = Verdict::Rejected {
                rejection: Rejection::new(Reason::BadRow, marks[i].1.to_string()),
                event_id: None,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(fields: &[&str]) -> Record {
        Record::from(fields.to_vec())
    }

    #[test]
    fn a_field_holding_whole_rows_is_flagged() {
        let r = rec(&[
            "A1",
            "gift wrap, fragile\nA2,2026-01-01,x@y.z\nA3,2026-01-02,w@y.z\n",
            "",
        ]);
        assert_eq!(
            swallowed(&r, b',', 3),
            Some(Swallowed {
                field: 1,
                line_breaks: 3,
                rows: 2
            })
        );
    }

    #[test]
    fn real_multi_line_values_pass() {
        assert_eq!(
            swallowed(
                &rec(&["A1", "12 Main St\nApt 4, Springfield", "x"]),
                b',',
                3
            ),
            None
        );
        assert_eq!(
            swallowed(&rec(&["A1", "one line, with a comma", "x"]), b',', 3),
            None
        );
        // A semicolon file: commas in the note are not delimiters.
        assert_eq!(swallowed(&rec(&["A1", "a\nb,c,d,e", "x"]), b';', 3), None);
        assert_eq!(swallowed(&rec(&["one\ncolumn"]), b',', 1), None);
    }
}
