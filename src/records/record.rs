//! One CSV record: its bytes once, and where each field is in them.
//!
//! The csv crate's `ByteRecord` takes its fields one copy each, some
//! seventy instructions a field; a line the fast path reads is copied
//! here whole, delimiters and all, and its fields are ranges of it. One
//! byte separates two fields (the line's delimiter; a comma for fields
//! pushed one at a time), so a field is known by its end alone: four bytes
//! a field, which the worker that maps the record loads from the reader's
//! cache (the csv crate's bounds took eight, `(start, end)` pairs sixteen).
//! The separators are ASCII, so the bytes are valid UTF-8 exactly when
//! every field is, and a field's range of them is then its text. Records
//! are at most [`crate::limits::MAX_RECORD`] (16 MiB): an end fits in a
//! `u32`.

use std::ops::Range;

use csv::Position;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Record {
    bytes: Vec<u8>,
    /// Where each field ends in `bytes`; the next starts one byte later.
    ends: Vec<u32>,
    position: Option<Position>,
}

impl Record {
    pub fn new() -> Record {
        Record::default()
    }

    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|r| &self.bytes[r])
    }

    /// Field `i`'s range of [`Record::as_slice`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize + 1,
        };
        Some(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&e| e as usize + 1));
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.bytes[start..end as usize])
    }

    /// The bytes the fields are ranges of: the fields and a separator byte
    /// between each two.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// Where the record starts in its input.
    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    pub fn set_position(&mut self, position: Option<Position>) {
        self.position = position;
    }

    fn end(&mut self) {
        self.ends.push(end_of(self.bytes.len()));
    }

    pub fn push_field(&mut self, field: &[u8]) {
        if !self.ends.is_empty() {
            self.bytes.push(b',');
        }
        self.bytes.extend_from_slice(field);
        self.end();
    }

    /// Sets the record to the fields of `line`, split at the `delimiters`
    /// (offsets into it, ascending): one copy for the whole line.
    pub fn set_line(&mut self, line: &[u8], delimiters: &[usize]) {
        self.clear();
        self.bytes.extend_from_slice(line);
        self.ends.extend(delimiters.iter().map(|&at| end_of(at)));
        self.end();
    }

    /// Appends fields written end to end in `fields`, field `i` ending at
    /// `ends[i]` (csv_core's output).
    pub fn push_ends(&mut self, fields: &[u8], ends: &[usize]) {
        let mut start = 0;
        for &end in ends {
            self.push_field(&fields[start..end]);
            start = end;
        }
    }
}

/// Values, not field bytes: a record holds customer details.
impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("fields", &self.len())
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// An offset in a record: records are at most 16 MiB
/// ([`crate::limits::MAX_RECORD`]), so it fits.
fn end_of(at: usize) -> u32 {
    debug_assert!(at as u64 <= crate::limits::MAX_RECORD * 2);
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl std::ops::Index<usize> for Record {
    type Output = [u8];
    fn index(&self, i: usize) -> &[u8] {
        self.get(i).expect("a field of the record")
    }
}

impl<T: AsRef<[u8]>> From<Vec<T>> for Record {
    fn from(fields: Vec<T>) -> Record {
        let mut r = Record::new();
        for f in &fields {
            r.push_field(f.as_ref());
        }
        r
    }
}

/// The csv crate's record, for the tests that hold the reader to it.
#[cfg(test)]
impl From<&csv::ByteRecord> for Record {
    fn from(rec: &csv::ByteRecord) -> Record {
        let mut r = Record::new();
        for f in rec {
            r.push_field(f);
        }
        r.set_position(rec.position().cloned());
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_split_at_its_delimiters_into_ranges_of_one_copy() {
        let mut r = Record::from(vec!["old"]);
        r.set_line(b"ab,,c", &[2, 3]);
        assert_eq!(r.iter().collect::<Vec<_>>(), [&b"ab"[..], b"", b"c"]);
        assert_eq!(r.as_slice(), b"ab,,c");
        assert_eq!(r.range(2), Some(4..5));
        assert_eq!(&r[0], b"ab");
        assert_eq!(r.get(3), None);
    }

    #[test]
    fn ends_and_single_fields_read_alike() {
        let mut a = Record::new();
        a.push_ends(b"x\"yz", &[3, 3, 4]);
        let b = Record::from(vec!["x\"y", "", "z"]);
        assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
        assert_eq!(a.len(), 3);
        a.clear();
        assert!(a.is_empty() && a.as_slice().is_empty());
    }

    #[test]
    fn debug_shows_no_field() {
        let r = Record::from(vec!["ana@example.com"]);
        assert!(!format!("{r:?}").contains("ana"), "{r:?}");
    }
}
