//! The token, the dataset id check, and the default report path and upload
//! tag.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use secrecy::SecretString;

/// The token from `file` or `META_ACCESS_TOKEN`; never a flag, so it
/// cannot end up in shell history or `ps`.
pub fn read_token(file: Option<&Path>) -> anyhow::Result<SecretString> {
    let token = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the access token file {}", path.display()))?
            .trim()
            .to_owned(),
        None => std::env::var("META_ACCESS_TOKEN")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    let source = match file {
        Some(path) => path.display().to_string(),
        None => "META_ACCESS_TOKEN".to_owned(),
    };
    crate::settings::check_token(&token, &source)?;
    if token.is_empty() {
        anyhow::bail!(
            "no access token: set META_ACCESS_TOKEN or give --access-token-file FILE (a system user token with ads_management on the dataset); to try offconv without one, use --sandbox"
        );
    }
    Ok(SecretString::from(token))
}

/// Whether `id` looks like a dataset id: digits, as Events Manager shows
/// it. Checked before anything is sent, because a typo would otherwise
/// come back from Meta as a permission error.
pub fn is_dataset_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// `<first input>.report.csv`; for stdin, `stdin.report.csv`.
pub fn default_report_path(first_input: &str) -> PathBuf {
    if first_input == "-" {
        PathBuf::from("stdin.report.csv")
    } else {
        PathBuf::from(format!("{first_input}.report.csv"))
    }
}

/// The first input's file stem (compression and `.csv` endings removed)
/// and the UTC date: `store_sales-2026-11-26`.
pub fn default_upload_tag(first_input: &str, now: Option<jiff::Timestamp>) -> String {
    let name = Path::new(first_input)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("stdin");
    let mut stem = if first_input == "-" { "stdin" } else { name };
    for ending in [".gz", ".zst", ".zstd", ".csv", ".tsv", ".txt"] {
        if let Some(s) = stem.strip_suffix(ending) {
            stem = s;
        }
    }
    let date = now
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    format!("{stem}-{date}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let now: jiff::Timestamp = "2026-11-26T23:30:00-05:00".parse().unwrap();
        assert_eq!(
            default_upload_tag("exports/store_sales.csv.gz", Some(now)),
            "store_sales-2026-11-27"
        );
        assert_eq!(default_upload_tag("-", Some(now)), "stdin-2026-11-27");
        assert_eq!(
            default_report_path("a/b.csv"),
            PathBuf::from("a/b.csv.report.csv")
        );
    }

    #[test]
    fn dataset_ids() {
        assert!(is_dataset_id("1234567890"));
        assert!(!is_dataset_id(""));
        assert!(!is_dataset_id("act_123"));
    }
}
