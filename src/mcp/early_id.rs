//! The `id` of a JSON-RPC request read from the start of a line that is
//! too long to keep (issue 16): the over-long message still gets its
//! error answer under its own id, so the client does not wait on that id
//! forever. Only the first [`super::lines::MAX_LINE`] bytes are kept, so
//! this scans a prefix: an `id` that comes after the cut is not found.

use serde_json::Value;

/// The top-level `"id"` of the JSON object that `prefix` starts, when it
/// is a string or an integer and lies wholly inside the prefix.
pub fn top_level_id(prefix: &[u8]) -> Option<Value> {
    let mut s = Scan { b: prefix, at: 0 };
    s.ws();
    s.eat(b'{')?;
    loop {
        s.ws();
        let key = s.string()?;
        s.ws();
        s.eat(b':')?;
        s.ws();
        if key == b"\"id\"" {
            let start = s.at;
            match s.peek()? {
                b'"' => {
                    s.string()?;
                }
                b'-' | b'0'..=b'9' => s.number()?,
                _ => return None,
            }
            let id: Value = serde_json::from_slice(&prefix[start..s.at]).ok()?;
            return (id.is_string() || id.is_i64() || id.is_u64()).then_some(id);
        }
        s.value()?;
        s.ws();
        match s.next()? {
            b',' => {}
            _ => return None,
        }
    }
}

struct Scan<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    fn ws(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.at += 1;
        }
    }

    /// A string with its quotes; returns it raw (escapes not decoded).
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        self.eat(b'"')?;
        loop {
            match self.next()? {
                b'"' => return Some(&self.b[start..self.at]),
                b'\\' => {
                    self.next()?;
                }
                _ => {}
            }
        }
    }

    fn number(&mut self) -> Option<()> {
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.at += 1;
        }
        // A number that runs to the end of the prefix may be cut short.
        self.peek().map(|_| ())
    }

    /// Skips one value of any kind.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b' ' | b'\t' | b'\r' | b'\n'))
                {
                    self.at += 1;
                }
                self.peek().map(|_| ())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_top_level_id_in_a_prefix() {
        let id = |s: &str| top_level_id(s.as_bytes());
        assert_eq!(
            id(r#"{"jsonrpc":"2.0","id":7,"method":"x","params":{"a":"#),
            Some(json!(7))
        );
        assert_eq!(
            id(r#" {"method":"tools/call","params":{"id":1,"s":"}\"{"},"id":"r-1","#),
            Some(json!("r-1"))
        );
        assert_eq!(id(r#"{"params":[1,{"id":2}],"id":-3}"#), Some(json!(-3)));
        assert_eq!(id(r#"{"params":{"arguments":{"email":"aaaa"#), None);
        assert_eq!(id(r#"{"id":1.5,"method":"x"}"#), None);
        assert_eq!(id(r#"{"id":null}"#), None);
        assert_eq!(id(r#"{"id":12"#), None, "cut inside the number");
        assert_eq!(id(r#"[{"id":1}]"#), None);
        assert_eq!(id("not json"), None);
    }
}
