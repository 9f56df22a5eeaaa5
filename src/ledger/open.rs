//! Which ledger a job uses (`--ledger`, `OFFCONV_LEDGER`, the default file,
//! `--no-ledger`, the sandbox's throw-away one) and opening it.

use std::path::PathBuf;
use std::sync::Arc;

use super::SharedStore;
use super::sqlite::SqliteStore;

/// The ledger a job asks for.
#[derive(Clone, Default)]
pub enum LedgerChoice {
    /// The default file; with a sandbox, a throw-away ledger instead.
    #[default]
    Default,
    /// `--no-ledger`.
    Off,
    /// `--ledger PATH|postgres://…` (or `OFFCONV_LEDGER`).
    At(String),
    /// A ledger this process already holds open (the MCP server's).
    Open(SharedStore),
}

impl std::fmt::Debug for LedgerChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerChoice::Default => f.write_str("Default"),
            LedgerChoice::Off => f.write_str("Off"),
            LedgerChoice::At(s) => write!(f, "At({})", redact(s)),
            LedgerChoice::Open(s) => write!(f, "Open({})", s.name()),
        }
    }
}

impl LedgerChoice {
    /// From the command line's `--ledger` and `--no-ledger`.
    pub fn from_args(ledger: Option<&str>, no_ledger: bool) -> LedgerChoice {
        match (no_ledger, ledger) {
            (true, _) => LedgerChoice::Off,
            (false, Some(s)) if !s.trim().is_empty() => LedgerChoice::At(s.to_owned()),
            _ => LedgerChoice::Default,
        }
    }
}

/// `$XDG_STATE_HOME/offconv/ledger.sqlite`, else
/// `~/.local/state/offconv/ledger.sqlite`.
pub fn default_path() -> anyhow::Result<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|s| !s.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state"))
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no place for the ledger: neither XDG_STATE_HOME nor HOME is set; give --ledger PATH or --no-ledger"
            )
        })?;
    Ok(state.join("offconv").join("ledger.sqlite"))
}

/// Whether `s` names a PostgreSQL ledger.
pub fn is_postgres(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// A URL with its password replaced, for messages: the one in the user
/// part (`postgres://user:secret@host`) and a `password=` parameter.
pub fn redact(s: &str) -> String {
    if !is_postgres(s) {
        return s.to_owned();
    }
    let (scheme, rest) = s.split_once("://").unwrap_or(("postgres", s));
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    // The last '@' ends the user part: a password may hold an unescaped '@'.
    let main = match main.rsplit_once('@') {
        Some((auth, host)) if auth.contains(':') => {
            let user = auth.split(':').next().unwrap_or("");
            format!("{user}:***@{host}")
        }
        _ => main.to_owned(),
    };
    let query = query.map(|q| {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    match query {
        Some(q) => format!("{scheme}://{main}?{q}"),
        None => format!("{scheme}://{main}"),
    }
}

/// Opens the ledger a job asked for. `None`: no ledger (off, or a
/// read-only look at a ledger that does not exist yet). `sandbox`: the
/// default is a throw-away ledger.
pub fn open_store(
    choice: &LedgerChoice,
    read_only: bool,
    sandbox: bool,
) -> anyhow::Result<Option<SharedStore>> {
    let target = match choice {
        LedgerChoice::Off => return Ok(None),
        LedgerChoice::Open(store) => return Ok(Some(SharedStore::clone(store))),
        LedgerChoice::Default if sandbox => {
            return Ok(Some(Arc::new(SqliteStore::in_memory()?)));
        }
        LedgerChoice::Default => default_path()?.display().to_string(),
        LedgerChoice::At(s) => s.clone(),
    };
    if is_postgres(&target) {
        let store = super::postgres::PgStore::open(&target, read_only)?;
        return Ok(store.map(|s| Arc::new(s) as SharedStore));
    }
    let store = SqliteStore::open(std::path::Path::new(&target), read_only)?;
    Ok(store.map(|s| Arc::new(s) as SharedStore))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows() {
        assert_eq!(
            redact("postgres://ci:s3cret@db:5432/offconv"),
            "postgres://ci:***@db:5432/offconv"
        );
        assert_eq!(
            redact("postgres://ci@db/offconv"),
            "postgres://ci@db/offconv"
        );
        assert_eq!(redact("/var/lib/l.sqlite"), "/var/lib/l.sqlite");
        assert_eq!(
            redact("postgresql://ci:p@ss:w@rd@db/offconv?sslmode=require&password=again"),
            "postgresql://ci:***@db/offconv?sslmode=require&password=***"
        );
    }

    #[test]
    fn no_ledger_wins() {
        assert!(matches!(
            LedgerChoice::from_args(Some("/x"), true),
            LedgerChoice::Off
        ));
        assert!(matches!(
            LedgerChoice::from_args(Some("/x"), false),
            LedgerChoice::At(_)
        ));
        assert!(matches!(
            LedgerChoice::from_args(None, false),
            LedgerChoice::Default
        ));
    }
}
