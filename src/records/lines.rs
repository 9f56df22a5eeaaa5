//! The fast path's scan: a line's delimiters, found 64 bytes at a time.
//!
//! Each block of 64 bytes becomes three bit masks (LF; quote or CR; the
//! delimiter), one bit a byte, from SSE2 compares on x86_64 (every x86_64
//! has SSE2) and a plain loop elsewhere. The line ends at the first LF; it
//! is plain when no quote and no CR comes before it but a CR right before
//! the LF.

/// Bit `i` of each: byte `i` of the block is that byte.
#[derive(Debug, PartialEq, Eq)]
struct Masks {
    lf: u64,
    /// `"` or CR: what the parser must read.
    special: u64,
    delimiter: u64,
}

/// A plain line at the start of a buffer: the length of its content (the
/// bytes before the LF and a CR before it) and the bytes to the next line.
pub(super) struct Line {
    pub content: usize,
    pub next: usize,
}

/// Whether the fast path can split on `delimiter`: zero pads the last
/// block, and the others are what the parser reads itself.
pub(super) fn usable(delimiter: u8) -> bool {
    !matches!(delimiter, 0 | b'\n' | b'\r' | b'"')
}

/// The line at the start of `buf` when it is whole there and plain; the
/// offsets of its delimiters are pushed onto `delimiters` (which may hold
/// some when it is not plain).
pub(super) fn plain(buf: &[u8], delimiter: u8, delimiters: &mut Vec<usize>) -> Option<Line> {
    let mut at = 0;
    while at < buf.len() {
        let m = block_masks(&buf[at..], delimiter);
        if m.lf == 0 {
            if m.special != 0 {
                return None;
            }
            push_bits(m.delimiter, at, delimiters);
            at += 64;
            continue;
        }
        let k = m.lf.trailing_zeros();
        let before = (1u64 << k) - 1;
        let content = match m.special & before {
            0 => at + k as usize,
            cr if k > 0 && cr == 1 << (k - 1) && buf[at + k as usize - 1] == b'\r' => {
                at + k as usize - 1
            }
            _ => return None,
        };
        push_bits(m.delimiter & before, at, delimiters);
        return Some(Line {
            content,
            next: at + k as usize + 1,
        });
    }
    None
}

fn push_bits(mut bits: u64, at: usize, out: &mut Vec<usize>) {
    while bits != 0 {
        out.push(at + bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}

/// The masks of the first 64 bytes of `bytes`, zero past its end.
fn block_masks(bytes: &[u8], delimiter: u8) -> Masks {
    let mut block = [0u8; 64];
    let block: &[u8; 64] = match bytes.first_chunk::<64>() {
        Some(whole) => whole,
        None => {
            block[..bytes.len()].copy_from_slice(bytes);
            &block
        }
    };
    masks(block, delimiter)
}

#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; 64], delimiter: u8) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of x86_64; each load reads 16 bytes inside the
    // 64-byte block (unaligned loads are allowed).
    unsafe {
        let (lf, quote, cr, delim) = (
            _mm_set1_epi8(b'\n' as i8),
            _mm_set1_epi8(b'"' as i8),
            _mm_set1_epi8(b'\r' as i8),
            _mm_set1_epi8(delimiter as i8),
        );
        let mut m = Masks {
            lf: 0,
            special: 0,
            delimiter: 0,
        };
        for i in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(i * 16).cast::<__m128i>());
            let bits = |x| u64::from(_mm_movemask_epi8(x) as u16) << (i * 16);
            m.lf |= bits(_mm_cmpeq_epi8(v, lf));
            m.special |= bits(_mm_or_si128(
                _mm_cmpeq_epi8(v, quote),
                _mm_cmpeq_epi8(v, cr),
            ));
            m.delimiter |= bits(_mm_cmpeq_epi8(v, delim));
        }
        m
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64], delimiter: u8) -> Masks {
    scalar_masks(block, delimiter)
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn scalar_masks(block: &[u8; 64], delimiter: u8) -> Masks {
    let mut m = Masks {
        lf: 0,
        special: 0,
        delimiter: 0,
    };
    for (i, &b) in block.iter().enumerate() {
        m.lf |= u64::from(b == b'\n') << i;
        m.special |= u64::from(b == b'"' || b == b'\r') << i;
        m.delimiter |= u64::from(b == delimiter) << i;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_the_line_and_its_delimiters_across_blocks() {
        let mut line = vec![b'x'; 150];
        line[3] = b',';
        line[64] = b',';
        line[140] = b',';
        line.extend_from_slice(b"\r\nnext,line\n");
        let mut at = Vec::new();
        let found = plain(&line, b',', &mut at).expect("plain");
        assert_eq!((found.content, found.next), (150, 152));
        assert_eq!(at, [3, 64, 140]);
    }

    #[test]
    fn a_quote_or_a_bare_cr_or_no_line_end_is_not_plain() {
        for bytes in [&b"a,\"b\",c\n"[..], b"a\rb\n", b"a,b", b"a\r\rb\n"] {
            assert!(plain(bytes, b',', &mut Vec::new()).is_none(), "{bytes:?}");
        }
        let far_quote = [vec![b'a'; 70], b"\"\n".to_vec()].concat();
        assert!(plain(&far_quote, b',', &mut Vec::new()).is_none());
    }

    proptest! {
        #[test]
        fn the_masks_are_the_plain_loops(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'"'), Just(b','), any::<u8>()],
                64,
            ),
            delimiter in prop_oneof![Just(b','), any::<u8>()],
        ) {
            let block: [u8; 64] = bytes.try_into().unwrap();
            prop_assert_eq!(masks(&block, delimiter), scalar_masks(&block, delimiter));
        }
    }
}
