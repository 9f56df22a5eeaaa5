//! One page of an ad account's datasets, and the link to the next.

use super::*;

/// The datasets of one `{"data": [...]}` page.
pub(super) fn page_items(json: &Value) -> Result<Vec<DatasetInfo>, AccountError> {
    let bad = |detail: String| AccountError::BadAnswer {
        status: 200,
        detail,
    };
    let data = json
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("a list without its data field".to_owned()))?;
    data.iter()
        .map(|item| {
            serde_json::from_value(item.clone())
                .map_err(|e| bad(format!("a dataset without the expected fields ({e})")))
        })
        .collect()
}

/// The next page's URL, or `None` on the last page (Graph leaves `next`
/// out there). The `after` cursor goes on our own first URL, so the token
/// never follows a link to another host; a bare `next` link is followed
/// only on the same origin, without the `access_token` Meta puts in it.
pub(super) fn next_page(json: &Value, first: &Url) -> Option<Url> {
    let paging = json.get("paging")?;
    let next = paging.get("next").and_then(Value::as_str)?;
    if let Some(after) = paging
        .pointer("/cursors/after")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
    {
        let mut url = first.clone();
        let kept: Vec<(String, String)> = first
            .query_pairs()
            .filter(|(k, _)| k != "after")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("after", after);
        return Some(url);
    }
    let mut url = Url::parse(next).ok()?;
    if url.origin() != first.origin() {
        tracing::warn!(
            "Graph's next-page link points at another server; not following it (the token would go there)"
        );
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "access_token" && k != "appsecret_proof")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    Some(url)
}
