//! One hashed customer key of `user_data`, `"em":["<64 hex>"]`, written
//! in three copies after one `reserve`: the key's opening (`"em":["`, one
//! `&'static str` per field built at compile time), the digest's hex from
//! a fixed-length buffer, and `"]`. Written as separate pushes (a comma,
//! quotes, the name, a colon, a bracket, the hex, a quote and a bracket)
//! it cost some 200 instructions a key, six or more keys a row, a tenth of
//! the row's work outside SHA-256.

use crate::normalize::Field;

/// The longest key name (`external_id`) with its quotes, colon, bracket
/// and quote fits this window.
const NAME_WINDOW: usize = 16;

/// A comma, the name window, the hex and the closing `"]`.
const LONGEST: usize = 1 + NAME_WINDOW + 64 + 2;

/// `"key":["` for each field (by its index), zero-padded to the window,
/// and its length, built at compile time from the field's key.
const OPENING_BYTES: [([u8; NAME_WINDOW], usize); Field::ALL.len()] = {
    let mut table = [([0u8; NAME_WINDOW], 0); Field::ALL.len()];
    let mut f = 0;
    while f < Field::ALL.len() {
        let field = Field::ALL[f];
        let (window, len) = &mut table[field as usize];
        let key = field.key().as_bytes();
        window[0] = b'"';
        let mut i = 0;
        while i < key.len() {
            window[1 + i] = key[i];
            i += 1;
        }
        let tail = b"\":[\"";
        let mut j = 0;
        while j < tail.len() {
            window[1 + key.len() + j] = tail[j];
            j += 1;
        }
        *len = 1 + key.len() + tail.len();
        f += 1;
    }
    table
};

/// [`OPENING_BYTES`] as text, checked once at compile time.
const OPENINGS: [&str; Field::ALL.len()] = {
    let mut out = [""; Field::ALL.len()];
    let mut f = 0;
    while f < out.len() {
        let (window, len) = &OPENING_BYTES[f];
        out[f] = match std::str::from_utf8(window.split_at(*len).0) {
            Ok(text) => text,
            Err(_) => panic!("a key is ASCII"),
        };
        f += 1;
    }
    out
};

/// Appends `"key":["<hex of digest>"]` for `field`, after a comma unless
/// `first`.
pub(super) fn push_hashed_key(out: &mut String, first: &mut bool, field: Field, digest: &[u8; 32]) {
    out.reserve(LONGEST);
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push_str(OPENINGS[field as usize]);
    // Both of fixed length: copied inline, no call.
    out.push_str(const_hex::Buffer::<32>::new().format(digest));
    out.push_str("\"]");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text the separate pushes wrote, first or not, for every key.
    #[test]
    fn writes_what_the_pushes_wrote() {
        let digest: [u8; 32] = std::array::from_fn(|i| (i * 37 + 5) as u8);
        for field in Field::ALL {
            let key = field.key();
            for first in [true, false] {
                let mut out = String::from("{");
                let mut flag = first;
                push_hashed_key(&mut out, &mut flag, field, &digest);
                assert!(!flag);
                let mut want = String::from("{");
                if !first {
                    want.push(',');
                }
                want.push('"');
                want.push_str(key);
                want.push_str("\":[\"");
                want.push_str(&const_hex::encode(digest));
                want.push_str("\"]");
                assert_eq!(out, want, "{key}, first {first}");
            }
        }
    }
}
