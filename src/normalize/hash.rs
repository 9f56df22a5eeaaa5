//! SHA-256 as Meta wants it: lowercase hex of the digest of the normalized
//! value's UTF-8 bytes (NORMALIZE.md rule 5). `sha2` picks the SHA-NI or
//! AVX2 code path at run time; `const-hex` encodes with SIMD. The hex lands
//! in a stack array, so hashing a field allocates nothing.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`, as 64 ASCII bytes.
pub fn sha256_hex(bytes: &[u8]) -> [u8; 64] {
    let digest: [u8; 32] = Sha256::digest(bytes).into();
    let mut hex = const_hex::Buffer::<32>::new();
    hex.format(&digest);
    *hex.as_byte_array::<64>()
}

/// The raw SHA-256 digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
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
