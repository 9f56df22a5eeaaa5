//! `offconv mcp`: a Model Context Protocol server on stdio, so an AI agent
//! can send or check offline conversions with the batch job's own
//! normalization, hashing, checks, uploader and report.
//!
//! This is a thin layer. Every tool calls the library the CLI calls:
//! `send_offline_event` the row mapper and the uploader's client
//! (`one_event`), `validate_export` and `upload_export` a
//! [`crate::job`], `list_datasets` [`crate::account`], `hash_value`
//! [`crate::normalize`]. What is particular to an agent lives here: the
//! argument schemas (`params`), results in markdown or JSON
//! (`render`), progress notifications and cancellation (`exports`),
//! and how the server stops (`serve`).
//!
//! Stdout carries JSON-RPC and nothing else; logs go to stderr. The access
//! token is read when a tool needs it (so a rotated `--access-token-file`
//! is picked up) and appears in no result and no log line.

mod early_id;
mod exports;
mod lines;
mod one_event;
mod one_ledger;
pub mod params;
mod render;
mod serve;

pub use serve::serve;

use std::path::PathBuf;
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, tool, tool_handler, tool_router};
use secrecy::SecretString;
use serde_json::json;

use crate::account::{self, GraphAccess};
use crate::event::RequestMeta;
use crate::job::{self, Endpoint, JobSpec, SANDBOX_DATASET, SANDBOX_TOKEN};
use crate::normalize::{self, Outcome};
use exports::Exports;
use params::{
    HashValueArgs, ListDatasetsArgs, SendOfflineEventArgs, UploadExportArgs, ValidateExportArgs,
};

/// What the server is started with (`offconv mcp` flags and environment).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The Graph API base URL; with a sandbox, the sandbox's.
    pub api_base: String,
    pub api_version: String,
    /// `META_DATASET_ID`: the dataset of calls that name none.
    pub dataset: Option<String>,
    /// `api_base` is a sandbox: no token needed, nothing leaves the machine.
    pub sandbox: bool,
    /// `None`: the token comes from `META_ACCESS_TOKEN`.
    pub access_token_file: Option<PathBuf>,
    /// A fixed clock, for fixtures.
    pub now: Option<jiff::Timestamp>,
    /// The ledger every tool uses, open for the server's life
    /// ([`crate::ledger::LedgerChoice::Open`]), or `Off`.
    pub ledger: crate::ledger::LedgerChoice,
}

const INSTRUCTIONS: &str = "offconv sends offline conversions (in-store, phone and other sales) to Meta's Conversions API. Give customer details raw: offconv normalizes and SHA-256 hashes them as Meta's own normalizer does (hash_value shows the result for one value); already-hashed values pass through. To send a whole CSV export, check it with validate_export first, then upload_export; each writes a per-row report whose reason and detail columns say why a row was rejected. list_datasets finds the dataset id of an ad account.";

/// The server: its settings, its jobs, its tools.
#[derive(Clone)]
pub struct OffconvServer {
    settings: Arc<Settings>,
    exports: Arc<Exports>,
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl OffconvServer {
    pub fn new(settings: Settings) -> OffconvServer {
        let mut tool_router = Self::tool_router();
        if settings.sandbox {
            // Against a sandbox nothing leaves the machine: say so.
            for route in tool_router.map.values_mut() {
                if let Some(annotations) = &mut route.attr.annotations {
                    annotations.open_world_hint = Some(false);
                }
            }
        }
        OffconvServer {
            settings: Arc::new(settings),
            exports: Arc::new(Exports::default()),
            tool_router,
        }
    }

    #[tool(
        description = "Send one offline conversion (an in-store or phone sale) to a Meta dataset through the Conversions API. Give customer details raw (email, phone, name, city, state, zip, country, external_id): offconv normalizes and SHA-256 hashes them exactly as its batch upload does; already-hashed values pass through. The event id defaults to one derived from the arguments, so repeating a call sends the same event and Meta counts it once (within 7 days). Returns events received, the event id and Meta's fbtrace_id. Bad input (no customer data, a time outside Meta's window, an unknown currency) comes back as an error saying what to fix.",
        annotations(
            title = "Send one offline conversion",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn send_offline_event(
        &self,
        Parameters(args): Parameters<SendOfflineEventArgs>,
    ) -> CallToolResult {
        let format = args.response_format;
        let dataset = match self.dataset(args.event_set_id.as_deref(), args.dataset_id.as_deref()) {
            Ok(d) => d,
            Err(message) => return render::failure(format, "bad_dataset", &message),
        };
        let now = self.now();
        let event = match one_event::build(&args, now.as_second()) {
            Ok(event) => event,
            Err(bad) => return render::failure(format, bad.reason, &bad.message),
        };
        let token = match self.token() {
            Ok(token) => token,
            Err(message) => return render::failure(format, "no_token", &message),
        };
        let date = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let meta = RequestMeta {
            upload_tag: given(&args.upload_tag).unwrap_or_else(|| format!("offconv-mcp-{date}")),
            test_event_code: given(&args.test_event_code),
        };
        let destination = one_event::Destination {
            api_base: &self.settings.api_base,
            api_version: &self.settings.api_version,
            dataset: &dataset,
            token,
            app_secret: self.app_secret(),
        };
        let held = match self
            .claim(&dataset, &event.event_id, &meta.upload_tag, args.resend)
            .await
        {
            Ok(one_ledger::Gate::Sent(info)) => {
                return render::already_sent(format, &dataset, &event.event_id, &info);
            }
            Ok(one_ledger::Gate::Send(held)) => Some(held),
            Ok(one_ledger::Gate::Unguarded) => None,
            Err(message) => return render::failure(format, "ledger", &message),
        };
        let sent = one_event::send(destination, &event, &meta).await;
        let ledger_note = match held {
            Some(h) => one_ledger::settle(h, sent.is_ok(), &meta.upload_tag, now.as_second()).await,
            None => None,
        };
        let received = match sent {
            Ok(received) => received,
            Err(message) => return render::failure(format, "not_sent", &message),
        };
        let data = json!({
            "events_received": received.events_received,
            "event_id": event.event_id,
            "fbtrace_id": received.fbtrace_id,
            "dataset_id": dataset,
            "upload_tag": meta.upload_tag,
            "test_event_code": meta.test_event_code,
            "match_keys": event.keys,
            "attempts": received.attempts,
            "ledger_note": ledger_note,
        });
        let markdown = format!(
            "Sent to dataset {dataset}: Meta received {} event(s).\n\n- event_id: `{}`\n- fbtrace_id: `{}` (quote it to Meta support)\n- customer keys sent, hashed: {}\n- upload_tag: `{}`{}",
            received.events_received,
            event.event_id,
            received.fbtrace_id.as_deref().unwrap_or("none"),
            event.keys.join(", "),
            meta.upload_tag,
            meta.test_event_code
                .as_deref()
                .map(|c| format!("\n- test_event_code: `{c}` (Events Manager → Test events)"))
                .unwrap_or_default()
        ) + &ledger_note
            .map(|n| format!("\n- ledger: {n}"))
            .unwrap_or_default();
        render::success(format, markdown, &data)
    }

    #[tool(
        description = "Check a CSV export against its mapping file without sending anything, as `offconv validate` does: every row is mapped, normalized, hashed and checked against Meta's rules. Returns the summary (rows, valid, rejected by reason, the share of events carrying each customer key) and the path of the per-row report (one line per row, with reason and detail for rejected ones). Writes only the report, and never over an upload's report or a file that is not an offconv report.",
        annotations(
            title = "Check a CSV export",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn validate_export(
        &self,
        Parameters(args): Parameters<ValidateExportArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let format = args.response_format;
        let report = match exports::report_path(&args.csv_path, args.report_path.as_deref()) {
            Ok(report) => report,
            Err(message) => return render::failure(format, "bad_path", &message),
        };
        if let Err(message) = exports::replaceable_report(&report, true) {
            return render::failure(format, "report_in_use", &message);
        }
        let mut spec = self.spec(&args.csv_path, &args.mapping_path, report);
        spec.dry_run = true;
        match self.exports.run(spec, &ctx).await {
            Ok(outcome) => render::job_outcome(format, "valid", &outcome),
            Err(e) => render::export_failure(format, e),
        }
    }

    #[tool(
        description = "Send the events of a CSV export to a Meta dataset, as `offconv upload` does: normalized and hashed, in batches of up to 1,000, rate-limited and retried, one upload tag for the run. Sends progress notifications (rows read) when the call has a progressToken. Returns the summary and the path of the per-row report. A report of the same job is never overwritten silently: resume: true continues it (rows already sent are skipped), force: true starts over. dry_run: true sends nothing.",
        annotations(
            title = "Upload a CSV export",
            read_only_hint = false,
            destructive_hint = true,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn upload_export(
        &self,
        Parameters(args): Parameters<UploadExportArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let format = args.response_format;
        let report = match exports::report_path(&args.csv_path, args.report_path.as_deref()) {
            Ok(report) => report,
            Err(message) => return render::failure(format, "bad_path", &message),
        };
        if let Err(message) = exports::replaceable_report(&report, args.dry_run) {
            return render::failure(format, "report_in_use", &message);
        }
        let mut spec = self.spec(&args.csv_path, &args.mapping_path, report);
        spec.dry_run = args.dry_run;
        if !args.dry_run {
            spec.dataset =
                match self.dataset(args.event_set_id.as_deref(), args.dataset_id.as_deref()) {
                    Ok(d) => Some(d),
                    Err(message) => return render::failure(format, "bad_dataset", &message),
                };
        }
        spec.upload_tag = given(&args.upload_tag);
        spec.test_event_code = given(&args.test_event_code);
        spec.resume = args.resume;
        spec.force = args.force;
        spec.resend = args.resend;
        match self.exports.run(spec, &ctx).await {
            Ok(outcome) => render::job_outcome(format, "sent", &outcome),
            Err(e) => render::export_failure(format, e),
        }
    }

    #[tool(
        description = "List the datasets (formerly offline event sets and pixels) of a Meta ad account that offline conversions can be sent to: id, name, whether it is consolidated, when it last received an event.",
        annotations(
            title = "List an ad account's datasets",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = true
        )
    )]
    async fn list_datasets(
        &self,
        Parameters(args): Parameters<ListDatasetsArgs>,
    ) -> CallToolResult {
        let format = args.response_format;
        let s = &self.settings;
        let access = if s.sandbox {
            GraphAccess::new(
                s.api_base.as_str(),
                s.api_version.as_str(),
                SecretString::from(SANDBOX_TOKEN),
                None,
            )
            .map_err(|e| format!("{e:#}"))
        } else {
            GraphAccess::from_env(
                s.api_base.as_str(),
                s.api_version.as_str(),
                s.access_token_file.as_deref(),
            )
            .map_err(|e| e.to_string())
        };
        let access = match access {
            Ok(access) => access,
            Err(message) => return render::failure(format, "no_access", &message),
        };
        match account::list_datasets(&access, &args.ad_account_id).await {
            Ok(datasets) => {
                let data = json!({ "ad_account_id": args.ad_account_id, "datasets": datasets });
                render::success(
                    format,
                    render::datasets_table(&args.ad_account_id, &datasets),
                    &data,
                )
            }
            Err(e) => render::failure(format, "graph", &e.to_string()),
        }
    }

    #[tool(
        description = "Show what offconv sends for one customer value: the value normalized as Meta's normalizer does it, and its SHA-256. For explaining why a customer did or did not match. Nothing is sent.",
        annotations(
            title = "Normalize and hash one value",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn hash_value(&self, Parameters(args): Parameters<HashValueArgs>) -> CallToolResult {
        let format = args.response_format;
        let phone_region = match given(&args.phone_region) {
            None => None,
            Some(r) => match r.parse::<normalize::PhoneRegion>() {
                Ok(region) => Some(region),
                Err(_) => {
                    return render::failure(
                        format,
                        "bad_phone_region",
                        &format!(
                            "phone_region {r:?} is not a region libphonenumber knows: give a two-letter code such as US or GB"
                        ),
                    );
                }
            },
        };
        let options = normalize::Options {
            phone_region,
            hash_external_id: true,
        };
        let field = args.field.field();
        let mut normalized = String::new();
        let outcome = normalize::normalize(field, &args.value, &options, &mut normalized);
        let (sha256, what) = match outcome {
            Outcome::Dropped => (
                None,
                "normalizes to nothing: offconv leaves it out of the event",
            ),
            Outcome::AlreadyHashed => (
                Some(normalized.clone()),
                "is already a SHA-256 digest: sent as it is",
            ),
            Outcome::Normalized => (
                Some(normalize::sha256_hex_string(normalized.as_bytes())),
                "is sent as this hash",
            ),
        };
        let data = json!({
            "field": field.key(),
            "normalized": normalized,
            "sha256": sha256,
            "outcome": match outcome {
                Outcome::Dropped => "dropped",
                Outcome::AlreadyHashed => "already_hashed",
                Outcome::Normalized => "normalized",
            },
        });
        let markdown = match &sha256 {
            Some(hash) => format!(
                "`{}`: the value {what}.\n\n- normalized: `{normalized}`\n- sha256: `{hash}`",
                field.key()
            ),
            None => format!("`{}`: the value {what}.", field.key()),
        };
        render::success(format, markdown, &data)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for OffconvServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("offconv", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

impl OffconvServer {
    fn now(&self) -> jiff::Timestamp {
        self.settings.now.unwrap_or_else(jiff::Timestamp::now)
    }

    /// The token for a call: the sandbox's, or the user's, read now.
    fn token(&self) -> Result<SecretString, String> {
        if self.settings.sandbox {
            return Ok(SecretString::from(SANDBOX_TOKEN));
        }
        job::read_token(self.settings.access_token_file.as_deref()).map_err(|e| format!("{e:#}"))
    }

    fn app_secret(&self) -> Option<SecretString> {
        if self.settings.sandbox {
            None
        } else {
            crate::upload::client::app_secret_from_env()
        }
    }

    /// The dataset of a call: given (by either name), else the server's
    /// default, else the sandbox's.
    fn dataset(
        &self,
        event_set_id: Option<&str>,
        dataset_id: Option<&str>,
    ) -> Result<String, String> {
        fn present(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let id = match (present(event_set_id), present(dataset_id)) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!(
                    "event_set_id {a:?} and dataset_id {b:?} differ: they name the same thing, give one"
                ));
            }
            (Some(id), _) | (None, Some(id)) => id.to_owned(),
            (None, None) => match (&self.settings.dataset, self.settings.sandbox) {
                (Some(id), _) => id.trim().to_owned(),
                (None, true) => SANDBOX_DATASET.to_owned(),
                (None, false) => {
                    return Err("no dataset: give dataset_id (or event_set_id), or start offconv mcp with META_DATASET_ID set; list_datasets shows an ad account's datasets".into());
                }
            },
        };
        if !job::is_dataset_id(&id) {
            return Err(format!(
                "{id:?} is not a dataset id: give the digits Events Manager shows (Data sources → the dataset), or find it with list_datasets"
            ));
        }
        Ok(id)
    }

    /// Asks the server's ledger about the event (`Unguarded` without one).
    async fn claim(
        &self,
        dataset: &str,
        event_id: &str,
        upload_tag: &str,
        resend: bool,
    ) -> Result<one_ledger::Gate, String> {
        let crate::ledger::LedgerChoice::Open(store) = &self.settings.ledger else {
            return Ok(one_ledger::Gate::Unguarded);
        };
        let now = self.now().as_second();
        one_ledger::claim(store.clone(), dataset, event_id, upload_tag, resend, now).await
    }

    /// A job over one export with the server's settings.
    fn spec(&self, csv_path: &str, mapping_path: &str, report: PathBuf) -> JobSpec {
        let s = &self.settings;
        let mut spec = JobSpec::new(vec![csv_path.to_owned()], PathBuf::from(mapping_path));
        spec.report = Some(report);
        spec.endpoint = if s.sandbox {
            Endpoint::Sandbox(s.api_base.clone())
        } else {
            Endpoint::Graph
        };
        spec.api_base = s.api_base.clone();
        spec.api_version = s.api_version.clone();
        spec.access_token_file = s.access_token_file.clone();
        spec.now = s.now;
        spec.ledger = s.ledger.clone();
        // Notes come back in the result; stderr is the client's log.
        spec.quiet = true;
        spec
    }
}

/// `Some` for a value that is given and not blank.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
