//! The tools' arguments. Each struct is both what a call's `arguments`
//! deserialize into and, through `schemars`, the tool's `inputSchema`: the
//! doc comments below are the descriptions an agent reads, so they say what
//! to give, in the agent's terms.
//!
//! Unknown arguments are refused (`additionalProperties: false`): a
//! misspelt `emial` silently ignored would send an event without the key.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::normalize::Field;

/// How a tool writes its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResponseFormat {
    /// Short text for a person reading along.
    #[default]
    Markdown,
    /// One JSON object, for a program.
    Json,
}

/// `send_offline_event`: one sale, as the seed tool took it, plus the
/// Conversions API's own names.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendOfflineEventArgs {
    /// The dataset (formerly offline event set) id, digits. Same as
    /// dataset_id. Default: the server's META_DATASET_ID.
    pub event_set_id: Option<String>,
    /// The dataset id, digits (Events Manager → Data sources). Same as
    /// event_set_id.
    pub dataset_id: Option<String>,
    /// The event name, such as Purchase, Lead or a custom name.
    pub event_name: String,
    /// When the sale happened, in Unix seconds (UTC). Meta takes
    /// physical_store events up to 62 days old, other sources up to 7 days,
    /// and nothing more than 10 minutes ahead.
    pub event_time: i64,
    /// Customer email, raw (normalized and SHA-256 hashed here) or already a
    /// SHA-256 hex digest (sent as it is). Same field as em.
    pub email: Option<String>,
    /// Customer email (Conversions API name); same as email.
    pub em: Option<String>,
    /// Customer phone, raw or SHA-256 hex. With a country code (+1 312 555
    /// 0100), or give phone_region. Same field as ph.
    pub phone: Option<String>,
    /// Customer phone (Conversions API name); same as phone.
    pub ph: Option<String>,
    /// First name, raw or SHA-256 hex.
    #[serde(rename = "fn")]
    pub first_name: Option<String>,
    /// Last name, raw or SHA-256 hex.
    pub ln: Option<String>,
    /// City, raw or SHA-256 hex.
    pub ct: Option<String>,
    /// State or region (a US state name becomes its code), raw or SHA-256
    /// hex.
    pub st: Option<String>,
    /// Postal code, raw or SHA-256 hex. Same field as zp.
    pub zip: Option<String>,
    /// Postal code (Conversions API name); same as zip.
    pub zp: Option<String>,
    /// Country (name or ISO code), raw or SHA-256 hex.
    pub country: Option<String>,
    /// The customer's id in your systems (loyalty number, CRM id); hashed
    /// here.
    pub external_id: Option<String>,
    /// Region for phone numbers written without a country code, such as US
    /// or GB.
    pub phone_region: Option<String>,
    /// ISO 4217 currency code, such as USD. Needed with value.
    pub currency: Option<String>,
    /// The order's value, a non-negative number.
    pub value: Option<f64>,
    /// custom_data.content_name: what was bought.
    pub content_name: Option<String>,
    /// custom_data.order_id: Meta deduplicates offline events by it.
    pub order_id: Option<String>,
    /// Where the sale happened: physical_store (default), phone_call,
    /// email, website, app, chat, system_generated or other.
    pub action_source: Option<String>,
    /// The event's id, for deduplication. Default: derived from the event's
    /// fields, so the same call twice sends the same id and Meta counts it
    /// once (within 7 days).
    pub event_id: Option<String>,
    /// Groups uploads in Events Manager. Default: `offconv-mcp-DATE` (the UTC date).
    pub upload_tag: Option<String>,
    /// Send as a test event (Events Manager → Test events shows the code).
    pub test_event_code: Option<String>,
    /// Send it although the ledger says this event was sent to the dataset
    /// before (it is then counted twice once Meta's 7 days are over).
    #[serde(default)]
    pub resend: bool,
    /// markdown (default) or json.
    #[serde(default)]
    pub response_format: ResponseFormat,
}

/// `validate_export`: check an export without sending anything.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateExportArgs {
    /// The export: a CSV file (.csv.gz and .csv.zst too). An absolute path,
    /// or relative to the directory offconv mcp runs in.
    pub csv_path: String,
    /// The mapping file (TOML) that says which column feeds which field;
    /// `offconv init EXPORT.csv` writes a first one.
    pub mapping_path: String,
    /// Where the per-row report goes. Default: `<csv_path>.report.csv`.
    pub report_path: Option<String>,
    /// markdown (default) or json.
    #[serde(default)]
    pub response_format: ResponseFormat,
}

/// `upload_export`: send an export's events, as `offconv upload` does.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadExportArgs {
    /// The export: a CSV file (.csv.gz and .csv.zst too). An absolute path,
    /// or relative to the directory offconv mcp runs in.
    pub csv_path: String,
    /// The mapping file (TOML) that says which column feeds which field.
    pub mapping_path: String,
    /// The dataset id, digits. Default: the server's META_DATASET_ID.
    pub dataset_id: Option<String>,
    /// Same as dataset_id (the seed tool's name).
    pub event_set_id: Option<String>,
    /// The upload tag of every request. Default: the file's stem and the
    /// UTC date, such as store_sales-2026-11-26.
    pub upload_tag: Option<String>,
    /// Check and write the report, send nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Continue an earlier run of the same job from its report: rows
    /// already sent are skipped.
    #[serde(default)]
    pub resume: bool,
    /// Start over although a report of this job exists (it is replaced).
    #[serde(default)]
    pub force: bool,
    /// Send rows the ledger holds as sent to the dataset already (and
    /// record them again); without it they end skipped / already_sent.
    #[serde(default)]
    pub resend: bool,
    /// Send as test events (Events Manager → Test events).
    pub test_event_code: Option<String>,
    /// Where the per-row report goes. Default: `<csv_path>.report.csv`.
    pub report_path: Option<String>,
    /// markdown (default) or json.
    #[serde(default)]
    pub response_format: ResponseFormat,
}

/// `list_datasets`: the datasets of an ad account.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListDatasetsArgs {
    /// The ad account id: act_123 or 123.
    pub ad_account_id: String,
    /// markdown (default) or json.
    #[serde(default)]
    pub response_format: ResponseFormat,
}

/// A customer-information field, by its Conversions API name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerField {
    #[serde(alias = "email")]
    Em,
    #[serde(alias = "phone")]
    Ph,
    Fn,
    Ln,
    Ge,
    Db,
    Ct,
    St,
    #[serde(alias = "zip")]
    Zp,
    Country,
    ExternalId,
}

impl CustomerField {
    pub fn field(self) -> Field {
        match self {
            CustomerField::Em => Field::Em,
            CustomerField::Ph => Field::Ph,
            CustomerField::Fn => Field::Fn,
            CustomerField::Ln => Field::Ln,
            CustomerField::Ge => Field::Ge,
            CustomerField::Db => Field::Db,
            CustomerField::Ct => Field::Ct,
            CustomerField::St => Field::St,
            CustomerField::Zp => Field::Zp,
            CustomerField::Country => Field::Country,
            CustomerField::ExternalId => Field::ExternalId,
        }
    }
}

/// `hash_value`: what offconv sends for one value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HashValueArgs {
    /// The field: em (email), ph (phone), fn, ln, ge, db, ct, st, zp (zip),
    /// country or external_id.
    pub field: CustomerField,
    /// The value as the customer gave it.
    pub value: String,
    /// Region for phone numbers without a country code, such as US or GB.
    pub phone_region: Option<String>,
    /// markdown (default) or json.
    #[serde(default)]
    pub response_format: ResponseFormat,
}
