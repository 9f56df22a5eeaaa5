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
//! last raw value that hashed to it, compared whole, so a hit is
//! always the exact value; a collision only costs a recomputation.

/// Whether values of `field` repeat enough to memoize. Phone numbers must
/// stay out: their hash depends on the row's phone region (its country),
/// which the memo's tag does not hold.
pub(super) fn worth_it(field: crate::normalize::Field) -> bool {
    use crate::normalize::Field;
    !matches!(field, Field::Em | Field::Ph | Field::ExternalId)
}

/// Slots per field: 1024 cache lines, 64 KB. Each field has its own, so
/// values that rarely repeat (zip codes of a national chain) cannot evict
/// those that do (states, first names).
const SLOTS: usize = 1024;

/// Fields a memo can serve (`Field` as an index).
const PARTS: usize = 16;

/// Longer raw values are not memoized (and rarely repeat): the key is
/// three machine words, so a slot is one cache line and a lookup compares
/// registers.
const KEY_MAX: usize = 24;

/// What a value became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hashed {
    /// The SHA-256 to send; `None`: the value is dropped.
    pub digest: Option<[u8; 32]>,
    /// For `country`: the two-letter code it normalized to (the zip rule,
    /// the row's phone region).
    pub country: Option<[u8; 2]>,
    /// For `country`: the value names its country by an explicit rule
    /// (`normalize::iso_country`: a code or a name the tables hold
    /// exactly), so the code may set the row's phone region.
    pub country_named: bool,
}

#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    /// The raw value's bytes, zero-padded.
    key: [u64; 3],
    digest: [u8; 32],
    /// Who computed it: mapper and zip rule (0: empty slot); the field is
    /// the part the slot is in.
    tag: u32,
    len: u8,
    /// `HAS_DIGEST`, `KNOWS_COUNTRY`, `COUNTRY_NAMED`.
    flags: u8,
    /// The country code, with `KNOWS_COUNTRY`.
    country: [u8; 2],
}

// A slot is one cache line.
const _: () = assert!(std::mem::size_of::<Slot>() == 64);

const HAS_DIGEST: u8 = 1;
const KNOWS_COUNTRY: u8 = 2;
const COUNTRY_NAMED: u8 = 4;

const EMPTY: Slot = Slot {
    key: [0; 3],
    digest: [0; 32],
    tag: 0,
    len: 0,
    flags: 0,
    country: [0; 2],
};

impl Slot {
    fn value(&self) -> Hashed {
        Hashed {
            digest: (self.flags & HAS_DIGEST != 0).then_some(self.digest),
            country: (self.flags & KNOWS_COUNTRY != 0).then_some(self.country),
            country_named: self.flags & COUNTRY_NAMED != 0,
        }
    }

    fn store(&mut self, tag: u32, len: u8, key: [u64; 3], value: Hashed) {
        self.tag = tag;
        self.len = len;
        self.key = key;
        self.digest = value.digest.unwrap_or_default();
        self.flags = match value.digest {
            Some(_) => HAS_DIGEST,
            None => 0,
        } | match value.country {
            Some(_) => KNOWS_COUNTRY,
            None => 0,
        } | if value.country_named {
            COUNTRY_NAMED
        } else {
            0
        };
        self.country = value.country.unwrap_or_default();
    }
}

#[derive(Default)]
pub(super) struct Memo {
    /// Allocated on first use, so a one-off `Scratch` costs nothing.
    slots: Vec<Slot>,
    /// Per part: how its recent lookups went ([`Trial`]).
    trials: [Trial; PARTS],
}

/// Lookups of one part over a window: a part whose values hardly repeat
/// (the zip codes of a national chain: 79k distinct in 300k rows of the
/// bench export) costs a missed cache line and a store per row for
/// nothing, so it goes unmemoized for a while and is then tried again.
/// Whether a value is memoized never changes what it becomes.
#[derive(Clone, Copy, Default)]
struct Trial {
    lookups: u32,
    hits: u32,
    /// Lookups still to compute without the memo.
    resting: u32,
}

/// Lookups per trial window, and the hits a window needs (one in eight)
/// for the part to stay memoized; a part that fails rests this many
/// lookups before its next window.
const WINDOW: u32 = 4096;
const MIN_HITS: u32 = WINDOW / 8;
const REST: u32 = 64 * WINDOW;

impl Trial {
    /// Whether to look this one up; counts the rest.
    fn looks_up(&mut self) -> bool {
        if self.resting == 0 {
            return true;
        }
        self.resting -= 1;
        false
    }

    fn record(&mut self, hit: bool) {
        self.lookups += 1;
        self.hits += u32::from(hit);
        if self.lookups == WINDOW {
            if self.hits < MIN_HITS {
                self.resting = REST;
            }
            self.lookups = 0;
            self.hits = 0;
        }
    }
}

impl Memo {
    /// The memoized result for `raw` under `tag` (non-zero) in the slots
    /// of `part` (the field), else `compute()`, remembered.
    pub fn get_or_compute(
        &mut self,
        part: usize,
        tag: u32,
        raw: &str,
        compute: impl FnOnce() -> Hashed,
    ) -> Hashed {
        debug_assert_ne!(tag, 0);
        let bytes = raw.as_bytes();
        let part = part % PARTS;
        if bytes.len() > KEY_MAX || !self.trials[part].looks_up() {
            return compute();
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS * PARTS];
        }
        let key = words(bytes);
        let len = bytes.len() as u8;
        let slot = &mut self.slots[part * SLOTS + index(tag, len, &key)];
        let hit = slot.tag == tag && slot.len == len && slot.key == key;
        self.trials[part].record(hit);
        if hit {
            return slot.value();
        }
        let value = compute();
        slot.store(tag, len, key, value);
        value
    }
}

/// Up to 24 bytes as three little-endian words, zero-padded. Read by
/// loads of the bytes themselves: copying a value of run-time length into
/// a padded array was a `memcpy` call and a stalled reload (a store that
/// cannot be forwarded), a fifth of the lookup's time.
fn words(bytes: &[u8]) -> [u64; 3] {
    debug_assert!(bytes.len() <= KEY_MAX);
    let word = |i: usize| {
        bytes
            .get(i * 8..)
            .map_or(0, |rest| load(&rest[..rest.len().min(8)]))
    };
    [word(0), word(1), word(2)]
}

/// Up to 8 bytes as one little-endian word, zero-padded, by at most two
/// (overlapping) loads: the bytes both loads hold land on the same place.
fn load(b: &[u8]) -> u64 {
    let n = b.len();
    let at = |i: usize| u64::from(b[i]) << (8 * i);
    match n {
        8 => u64::from_le_bytes(b.try_into().expect("8 bytes")),
        4..=7 => {
            let low = u32::from_le_bytes(b[..4].try_into().expect("4 bytes"));
            let high = u32::from_le_bytes(b[n - 4..].try_into().expect("4 bytes"));
            u64::from(low) | u64::from(high) << (8 * (n - 4))
        }
        1..=3 => at(0) | at(n / 2) | at(n - 1),
        _ => 0,
    }
}

/// A multiplicative hash (FxHash's step) of the tag, the length and the
/// key; the top bits pick the slot.
fn index(tag: u32, len: u8, key: &[u64; 3]) -> usize {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let step = |h: u64, word: u64| (h.rotate_left(26) ^ word).wrapping_mul(K);
    let h = key
        .iter()
        .fold(step(0, u64::from(tag) << 8 | u64::from(len)), |h, &w| {
            step(h, w)
        });
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashed(n: u8) -> Hashed {
        Hashed {
            digest: Some([n; 32]),
            country: None,
            country_named: false,
        }
    }

    #[test]
    fn remembers_exact_values_only() {
        let mut memo = Memo::default();
        assert_eq!(
            memo.get_or_compute(0, 1, "Chicago", || hashed(1)),
            hashed(1)
        );
        // A hit does not compute again.
        assert_eq!(
            memo.get_or_compute(0, 1, "Chicago", || unreachable!()),
            hashed(1)
        );
        // Another tag (field, mapper) or spelling is another value.
        assert_eq!(
            memo.get_or_compute(0, 2, "Chicago", || hashed(2)),
            hashed(2)
        );
        assert_eq!(
            memo.get_or_compute(0, 1, "chicago", || hashed(3)),
            hashed(3)
        );
        assert_eq!(
            memo.get_or_compute(0, 1, "Chicago ", || hashed(4)),
            hashed(4)
        );
        // Too long to memoize: computed every time.
        let long = "x".repeat(KEY_MAX + 1);
        assert_eq!(memo.get_or_compute(0, 1, &long, || hashed(5)), hashed(5));
        assert_eq!(memo.get_or_compute(0, 1, &long, || hashed(6)), hashed(6));
    }

    #[test]
    fn keeps_every_part_of_the_value() {
        let mut memo = Memo::default();
        let values = [
            Hashed {
                digest: None,
                country: None,
                country_named: false,
            },
            Hashed {
                digest: Some([9; 32]),
                country: Some(*b"us"),
                country_named: true,
            },
            Hashed {
                digest: Some([8; 32]),
                country: Some(*b"at"),
                country_named: false,
            },
            Hashed {
                digest: None,
                country: Some(*b"gb"),
                country_named: true,
            },
        ];
        for (i, v) in values.iter().enumerate() {
            let key = format!("k{i}");
            assert_eq!(memo.get_or_compute(0, 3, &key, || *v), *v);
            assert_eq!(memo.get_or_compute(0, 3, &key, || unreachable!()), *v);
        }
        // 24 bytes is the longest key; a 23-byte prefix is another key.
        let long = "abcdefghijklmnopqrstuvwx";
        assert_eq!(memo.get_or_compute(0, 3, long, || values[1]), values[1]);
        assert_eq!(
            memo.get_or_compute(0, 3, &long[..23], || values[2]),
            values[2]
        );
        assert_eq!(
            memo.get_or_compute(0, 3, long, || unreachable!()),
            values[1]
        );
    }

    /// A part whose values do not repeat rests, then is tried again; the
    /// answers are the computed ones throughout.
    #[test]
    fn a_part_that_misses_rests_and_is_tried_again() {
        let mut memo = Memo::default();
        let mut computed = 0u32;
        for i in 0..WINDOW {
            let key = format!("z{i}");
            memo.get_or_compute(2, 1, &key, || {
                computed += 1;
                hashed(1)
            });
        }
        assert_eq!(computed, WINDOW);
        assert_eq!(memo.trials[2].resting, REST);
        // Resting: even a value just remembered is computed again.
        let mut again = 0;
        memo.get_or_compute(2, 1, "z0", || {
            again += 1;
            hashed(1)
        });
        assert_eq!(again, 1);
        // Another part is not affected.
        memo.get_or_compute(3, 1, "Chicago", || hashed(2));
        assert_eq!(
            memo.get_or_compute(3, 1, "Chicago", || unreachable!()),
            hashed(2)
        );
        // After the rest, the part is memoized again.
        for _ in 1..REST {
            memo.get_or_compute(2, 1, "z1", || hashed(1));
        }
        assert_eq!(memo.trials[2].resting, 0);
        memo.get_or_compute(2, 1, "back", || hashed(3));
        assert_eq!(
            memo.get_or_compute(2, 1, "back", || unreachable!()),
            hashed(3)
        );
    }

    /// The loads read exactly the zero-padded bytes, at every length.
    #[test]
    fn words_are_the_padded_bytes() {
        let text: Vec<u8> = (1..=KEY_MAX as u8)
            .map(|b| b.wrapping_mul(37) | 1)
            .collect();
        for len in 0..=KEY_MAX {
            let mut padded = [0u8; KEY_MAX];
            padded[..len].copy_from_slice(&text[..len]);
            let want: Vec<u64> = padded
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(words(&text[..len]).to_vec(), want, "{len} bytes");
        }
    }

    #[test]
    fn collisions_recompute_instead_of_answering_wrong() {
        let mut memo = Memo::default();
        // Far more values than slots: every answer is still the value's own.
        for round in 0..2 {
            for i in 0..(SLOTS as u32 * 3) {
                let key = format!("v{i}");
                let got = memo.get_or_compute(0, 7, &key, || hashed((i % 251) as u8));
                assert_eq!(got, hashed((i % 251) as u8), "{key} round {round}");
            }
        }
    }
}
