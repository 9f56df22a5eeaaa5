//! A memo of hashed values for the fields whose values repeat from row to
//! row: names, cities, states, zip codes, countries, genders, birth dates.
//! A store's customers share a few thousand cities and first names and a
//! few dozen states; normalizing and hashing `Illinois` again for every
//! row costs more than looking its digest up.
//!
//! Emails, phone numbers and external ids are not memoized: they are
//! nearly unique per customer, so a memo would only miss.
//!
//! One memo per CPU worker (no locks), direct-mapped: a slot holds the
//! last raw value that hashed to it, compared byte for byte, so a hit is
//! always the exact value; a collision only costs a recomputation.

/// Whether values of `field` repeat enough to memoize.
pub(super) fn worth_it(field: crate::normalize::Field) -> bool {
    use crate::normalize::Field;
    !matches!(field, Field::Em | Field::Ph | Field::ExternalId)
}

/// Slots per worker: 4096 × 72 bytes, about 300 KB.
const SLOTS: usize = 4096;

/// Longer raw values are not memoized (and rarely repeat).
const KEY_MAX: usize = 30;

/// What a value became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hashed {
    /// The SHA-256 to send; `None`: the value is dropped.
    pub digest: Option<[u8; 32]>,
    /// For `country`: whether it normalized to `us` (the zip rule).
    pub country_is_us: Option<bool>,
}

#[derive(Clone, Copy)]
struct Slot {
    /// Who computed it: mapper, field and zip rule (0: empty slot).
    tag: u32,
    len: u8,
    key: [u8; KEY_MAX],
    value: Hashed,
}

const EMPTY: Slot = Slot {
    tag: 0,
    len: 0,
    key: [0; KEY_MAX],
    value: Hashed {
        digest: None,
        country_is_us: None,
    },
};

#[derive(Default)]
pub(super) struct Memo {
    /// Allocated on first use, so a one-off `Scratch` costs nothing.
    slots: Vec<Slot>,
}

impl Memo {
    /// The memoized result for `raw` under `tag` (non-zero), else
    /// `compute()`, remembered.
    pub fn get_or_compute(
        &mut self,
        tag: u32,
        raw: &str,
        compute: impl FnOnce() -> Hashed,
    ) -> Hashed {
        debug_assert_ne!(tag, 0);
        let bytes = raw.as_bytes();
        if bytes.len() > KEY_MAX {
            return compute();
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let slot = &mut self.slots[index(tag, bytes)];
        if slot.tag == tag
            && usize::from(slot.len) == bytes.len()
            && slot.key[..bytes.len()] == *bytes
        {
            return slot.value;
        }
        let value = compute();
        slot.tag = tag;
        slot.len = bytes.len() as u8;
        slot.key[..bytes.len()].copy_from_slice(bytes);
        slot.value = value;
        value
    }
}

/// A multiplicative hash (FxHash's step) of the tag and the bytes; the top
/// bits pick the slot.
fn index(tag: u32, bytes: &[u8]) -> usize {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let step = |h: u64, word: u64| (h.rotate_left(26) ^ word).wrapping_mul(K);
    let mut h = step(0, u64::from(tag) << 8 | bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = step(h, u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = step(h, u64::from_le_bytes(last));
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashed(n: u8) -> Hashed {
        Hashed {
            digest: Some([n; 32]),
            country_is_us: None,
        }
    }

    #[test]
    fn remembers_exact_values_only() {
        let mut memo = Memo::default();
        assert_eq!(memo.get_or_compute(1, "Chicago", || hashed(1)), hashed(1));
        // A hit does not compute again.
        assert_eq!(
            memo.get_or_compute(1, "Chicago", || unreachable!()),
            hashed(1)
        );
        // Another tag (field, mapper) or spelling is another value.
        assert_eq!(memo.get_or_compute(2, "Chicago", || hashed(2)), hashed(2));
        assert_eq!(memo.get_or_compute(1, "chicago", || hashed(3)), hashed(3));
        assert_eq!(memo.get_or_compute(1, "Chicago ", || hashed(4)), hashed(4));
        // Too long to memoize: computed every time.
        let long = "x".repeat(KEY_MAX + 1);
        assert_eq!(memo.get_or_compute(1, &long, || hashed(5)), hashed(5));
        assert_eq!(memo.get_or_compute(1, &long, || hashed(6)), hashed(6));
    }

    #[test]
    fn collisions_recompute_instead_of_answering_wrong() {
        let mut memo = Memo::default();
        // Far more values than slots: every answer is still the value's own.
        for round in 0..2 {
            for i in 0..(SLOTS as u32 * 3) {
                let key = format!("v{i}");
                let got = memo.get_or_compute(7, &key, || hashed((i % 251) as u8));
                assert_eq!(got, hashed((i % 251) as u8), "{key} round {round}");
            }
        }
    }
}
