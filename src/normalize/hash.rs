//! SHA-256 as Meta wants it: lowercase hex of the digest of the normalized
//! value's UTF-8 bytes (NORMALIZE.md rule 5). `sha2` picks the SHA-NI or
//! AVX2 code path at run time; `const-hex` encodes with SIMD. The hex lands
//! in a stack array, so hashing a field allocates nothing.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`, as 64 ASCII bytes.
pub fn sha256_hex(bytes: &[u8]) -> [u8; 64] {
    let digest = sha256(bytes);
    let mut hex = const_hex::Buffer::<32>::new();
    hex.format(&digest);
    *hex.as_byte_array::<64>()
}

/// The raw SHA-256 digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    if bytes.len() <= MAX_ONE_BLOCK {
        return sha256_one_block(bytes);
    }
    Sha256::digest(bytes).into()
}

/// Messages up to this long fit one 64-byte block with their padding.
const MAX_ONE_BLOCK: usize = 55;

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Almost every normalized value (an email, a name, a phone number) fits
/// one block: pad it by hand and run the compression function once,
/// skipping the streaming hasher's buffering, which costs as much as the
/// compression itself for inputs this short. Same SHA-NI code path.
fn sha256_one_block(bytes: &[u8]) -> [u8; 32] {
    debug_assert!(bytes.len() <= MAX_ONE_BLOCK);
    let mut block = [0u8; 64];
    block[..bytes.len()].copy_from_slice(bytes);
    block[bytes.len()] = 0x80;
    let bits = (bytes.len() as u64) * 8;
    block[56..].copy_from_slice(&bits.to_be_bytes());
    let mut state = H0;
    sha2::compress256(&mut state, &[block.into()]);
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Appends `digest` as lowercase hex: no intermediate array, no UTF-8
/// check of text known to be ASCII.
pub fn push_hex(out: &mut String, digest: &[u8; 32]) {
    out.push_str(const_hex::Buffer::<32>::new().format(digest));
}

/// [`sha256_hex`] as a `String`, for callers that keep the hash.
pub fn sha256_hex_string(bytes: &[u8]) -> String {
    let hex = sha256_hex(bytes);
    // Hex digits are ASCII, so this conversion cannot fail; going through
    // `from_utf8` keeps the crate free of `unsafe`.
    String::from_utf8_lossy(&hex).into_owned()
}

/// Whether `s` is exactly 64 hex digits, either case: a value that is
/// already a SHA-256 digest (rule 3). A 32-digit value (an MD5, or a UUID
/// without dashes) is not one: it is normalized and hashed.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_block_path_equals_the_streaming_hasher() {
        // Every length around the one-block limit, and a few longer ones.
        for len in (0..=70).chain([119, 120, 200]) {
            let input: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let expected: [u8; 32] = Sha256::digest(&input).into();
            assert_eq!(sha256(&input), expected, "length {len}");
        }
    }

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_hex_string(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            &sha256_hex(b"abc"),
            b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // NORMALIZE.md hashes UTF-8 bytes: "zoë" is 4 bytes, not 3 chars.
        assert_eq!(
            sha256_hex_string("zoë".as_bytes()),
            sha256_hex_string(b"zo\xc3\xab")
        );
    }

    #[test]
    fn hash_shape() {
        let h = "8E621E3D0368631D263D07A351FA8D34FBA0D17C15FBCDEC11A5F58008D022A0";
        assert!(is_sha256_hex(h));
        assert!(is_sha256_hex(&h.to_ascii_lowercase()));
        assert!(!is_sha256_hex(&h[..63]));
        assert!(!is_sha256_hex(&h[..32]));
        assert!(!is_sha256_hex(&format!("{}g", &h[..63])));
        // 64 bytes but not 64 characters.
        assert!(!is_sha256_hex(&format!("{}é", &h[..62])));
    }
}
