//! "Did you mean": the closest known name to a misspelt one.

/// The candidate closest to `wanted` (case-insensitive), if it is close
/// enough to be a likely typo rather than a different name.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_l = wanted.trim().to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wanted_l, &c.trim().to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_not_strangers() {
        let names = ["email", "phone", "first_name", "purchased_at"];
        assert_eq!(closest("emial", names), Some("email"));
        assert_eq!(closest("Purchased At", names), Some("purchased_at"));
        assert_eq!(closest("zzz", names), None);
    }
}
