//! Conversions API request bodies, written as JSON text directly.
//!
//! Events are serialized once, in the CPU stage, into their final JSON
//! text; a request body is then only a concatenation. That keeps the
//! uploader free of serde work and lets it resend any subset of a batch
//! (bad-event isolation) byte for byte.

use std::fmt::Write as _;

/// Appends `s` as a JSON string literal (quoted and escaped).
pub fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Nearly every string (keys, ids, codes) needs no escape: one pass
    // without early exit, which the compiler turns into vector compares.
    let plain = s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// What every request body starts with: the events follow, separated by
/// commas, then [`RequestMeta::tail`].
pub const BODY_HEAD: &[u8] = b"{\"data\":[";

/// The fields every request of a run carries besides `data`.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub upload_tag: String,
    pub test_event_code: Option<String>,
}

/// `partner_agent` and `upload_source`: who sent the events.
pub const PARTNER_AGENT: &str = concat!("offconv-", env!("CARGO_PKG_VERSION"));

impl RequestMeta {
    /// The request body for `events` (each a serialized event object).
    /// Holds neither the token nor `appsecret_proof`: those travel in
    /// headers, so this text is also exactly what `--payloads` records.
    pub fn body<'a>(&self, events: impl IntoIterator<Item = &'a str>) -> String {
        let events = events.into_iter();
        let mut out = Vec::with_capacity(events.size_hint().0 * 600 + 256);
        self.write_body(&mut out, events)
            .expect("writing to memory cannot fail");
        String::from_utf8(out).expect("JSON text is UTF-8")
    }

    /// Writes the body straight into `out` (the payload dump), without
    /// building it in memory first.
    pub fn write_body<'a>(
        &self,
        out: &mut impl std::io::Write,
        events: impl IntoIterator<Item = &'a str>,
    ) -> std::io::Result<()> {
        out.write_all(BODY_HEAD)?;
        for (i, ev) in events.into_iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(ev.as_bytes())?;
        }
        out.write_all(self.tail().as_bytes())
    }

    /// Everything after `data`, closing brace included.
    pub fn tail(&self) -> String {
        let mut tail = String::with_capacity(128);
        tail.push_str("],\"upload_tag\":");
        push_json_str(&mut tail, &self.upload_tag);
        tail.push_str(",\"upload_source\":\"offconv\",\"partner_agent\":");
        push_json_str(&mut tail, PARTNER_AGENT);
        if let Some(code) = &self.test_event_code {
            tail.push_str(",\"test_event_code\":");
            push_json_str(&mut tail, code);
        }
        tail.push('}');
        tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_json() {
        for s in [
            "plain",
            "quo\"te",
            "back\\slash",
            "nl\n\r\t",
            "\u{1}ctl",
            "é✓",
        ] {
            let mut out = String::new();
            push_json_str(&mut out, s);
            let back: String = serde_json::from_str(&out).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn body_is_valid_json_with_meta() {
        let meta = RequestMeta {
            upload_tag: "store-2026-11-26".into(),
            test_event_code: Some("TEST1".into()),
        };
        let body = meta.body(["{\"a\":1}", "{\"b\":2}"]);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["data"].as_array().unwrap().len(), 2);
        assert_eq!(v["upload_tag"], "store-2026-11-26");
        assert_eq!(v["test_event_code"], "TEST1");
        assert_eq!(v["partner_agent"], PARTNER_AGENT);
        assert!(v.get("access_token").is_none());
    }
}
