//! The inputs of a Graph call: the ad account node, the API base and the token.

use super::*;

/// `act_123` from `act_123` or `123`.
pub(super) fn ad_account_node(ad_account: &str) -> Result<String, AccountError> {
    let given = ad_account.trim();
    let digits = given.strip_prefix("act_").unwrap_or(given);
    if is_digits(digits) {
        Ok(format!("act_{digits}"))
    } else {
        Err(AccountError::InvalidId {
            target: Target::AdAccount(given.to_owned()),
        })
    }
}

pub(super) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn base_url(api_base: &str) -> Result<Url, AccountError> {
    let problem = |problem: String| AccountError::ApiBase {
        base: api_base.to_owned(),
        problem,
    };
    let url = Url::parse(api_base).map_err(|e| problem(format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(problem("give an http or https URL".to_owned()));
    }
    if url.query().is_some() {
        return Err(problem(
            "it has a query; give the bare base, such as https://graph.facebook.com".to_owned(),
        ));
    }
    Ok(url)
}

pub(super) fn read_token(token_file: Option<&Path>) -> Result<SecretString, AccountError> {
    let token = match token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| AccountError::TokenFile {
                path: path.to_owned(),
                problem: e.to_string(),
            })?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                return Err(AccountError::TokenFile {
                    path: path.to_owned(),
                    problem: "the file is empty".to_owned(),
                });
            }
            token
        }
        None => std::env::var("META_ACCESS_TOKEN")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    if token.is_empty() {
        return Err(AccountError::NoToken);
    }
    let source = token_file.map_or_else(
        || "META_ACCESS_TOKEN".to_owned(),
        |p| p.display().to_string(),
    );
    crate::settings::check_token(&token, &source)
        .map_err(|e| AccountError::BadToken(e.to_string()))?;
    Ok(SecretString::from(token))
}
