//! Settings checked before the first row is read, each naming the setting
//! it refuses (exit 2): the Graph base URL, the API version and the token.
//! A malformed value here would otherwise cost minutes of retries, send the
//! events somewhere else, or come back from Meta as a misleading error.

use reqwest::Url;

/// Checks `--api-base`; returns a warning when the token would travel
/// unencrypted to another machine.
pub fn check_api_base(base: &str) -> anyhow::Result<Option<String>> {
    let refuse = |why: &str| {
        anyhow::anyhow!(
            "--api-base {base:?} {why} (give a base URL such as https://graph.facebook.com)"
        )
    };
    let url = Url::parse(base).map_err(|e| refuse(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(
            "must start with https:// (or http:// for a local sandbox)",
        ));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(refuse("has no host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("must not hold a user name or password"));
    }
    if url.query().is_some() || base.contains('?') {
        return Err(refuse(
            "must not have a ?query: the events path goes after it",
        ));
    }
    if url.fragment().is_some() || base.contains('#') {
        return Err(refuse(
            "must not have a #fragment: the events path goes after it",
        ));
    }
    let raw_path = base
        .split_once("://")
        .map_or("", |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let plain_segment = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.'))
            && s != "."
            && s != ".."
    };
    if !raw_path
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .all(plain_segment)
    {
        return Err(refuse(
            "has a path offconv cannot append to safely (., .., % or other characters)",
        ));
    }
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    Ok((url.scheme() == "http" && !loopback).then(|| {
        format!(
            "offconv: warning: --api-base {base} is plain http to another machine: the access token travels unencrypted"
        )
    }))
}

/// `--api-version`: `vNN.N`, as Graph names its versions.
pub fn check_api_version(version: &str) -> anyhow::Result<()> {
    let ok = version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(major, minor)| {
            (1..=3).contains(&major.len())
                && (1..=2).contains(&minor.len())
                && major
                    .bytes()
                    .chain(minor.bytes())
                    .all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        anyhow::bail!("--api-version {version:?} is not a Graph API version such as v26.0")
    }
}

/// The token, once trimmed: one line of visible ASCII (Meta's tokens are),
/// no BOM. `source` names where it came from; the token is never shown.
pub fn check_token(token: &str, source: &str) -> anyhow::Result<()> {
    if token.starts_with('\u{feff}') {
        anyhow::bail!(
            "the access token in {source} starts with a byte order mark: save it as plain ASCII"
        );
    }
    if token.contains(['\n', '\r']) {
        anyhow::bail!(
            "the access token in {source} spans several lines: give the token alone, on one line"
        );
    }
    if let Some(at) = token.bytes().position(|b| !(0x21..=0x7e).contains(&b)) {
        anyhow::bail!(
            "the access token in {source} holds a character that is not visible ASCII at position {}: copy the token again",
            at + 1
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base() {
        for bad in [
            "graph.facebook.com",
            "ftp://graph.facebook.com",
            "https://graph.facebook.com:99999",
            "https://graph.facebook.com?x=1",
            "https://graph.facebook.com#frag",
            "https://graph.facebook.com/../x",
            "https://graph.facebook.com/%2e%2e",
            "https://user:pw@graph.facebook.com",
            "http://",
        ] {
            assert!(check_api_base(bad).is_err(), "{bad}");
        }
        assert_eq!(check_api_base("https://graph.facebook.com").unwrap(), None);
        assert_eq!(check_api_base("http://127.0.0.1:8080/").unwrap(), None);
        assert_eq!(
            check_api_base("https://proxy.example.com/graph").unwrap(),
            None
        );
        let warning = check_api_base("http://graph.example.com").unwrap().unwrap();
        assert!(warning.contains("unencrypted"), "{warning}");
    }

    #[test]
    fn api_version_and_token() {
        assert!(check_api_version("v26.0").is_ok());
        for bad in ["26.0", "v26", "v26.0/../../x", "v26.0?", ""] {
            assert!(check_api_version(bad).is_err(), "{bad}");
        }
        assert!(check_token("EAAB123", "META_ACCESS_TOKEN").is_ok());
        for bad in ["\u{feff}EAAB", "EA\nAB", "EAÄB", "EA AB"] {
            let e = check_token(bad, "META_ACCESS_TOKEN")
                .unwrap_err()
                .to_string();
            assert!(e.contains("META_ACCESS_TOKEN") && !e.contains("EA"), "{e}");
        }
    }
}
