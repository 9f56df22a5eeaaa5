//! Connections to a PostgreSQL ledger: the URL (its password kept secret,
//! the libpq TLS options offconv adds), TLS, the bounds on every wait, and
//! a small pool the store's calls share.
//!
//! Every call runs as a task on the store's own runtime and is bounded
//! three ways: the server's `statement_timeout` and `lock_timeout`, a
//! client-side limit on the whole call (connect plus statements), and the
//! run's stop ([`crate::stop::RunStop`]). A connection that failed or
//! timed out is dropped (the server rolls back what it held), never reused.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use tokio_postgres::config::SslMode;
use tokio_postgres::{Client, Config};

use crate::stop::RunStop;

/// How long opening a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The server ends a statement (or a wait for a row lock) after this.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
/// The whole call (connect, statements, commit) ends after this.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(45);
/// Idle connections kept for the next call (a run uses three at once: its
/// claims, its confirmations, its heartbeat).
const KEEP_IDLE: usize = 4;

/// A call's body: statements on one connection.
pub type Work<T> = Box<
    dyn for<'c> FnOnce(
            &'c mut Client,
        ) -> Pin<
            Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + Send + 'c>,
        > + Send,
>;

/// Makes a [`Work`] of a closure (the signature the compiler needs).
pub fn work<T, F>(f: F) -> Work<T>
where
    F: for<'c> FnOnce(
            &'c mut Client,
        ) -> Pin<
            Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + Send + 'c>,
        > + Send
        + 'static,
{
    Box::new(f)
}

/// When the run's stop ends a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// At the stop: nothing new is claimed once a run stops.
    Stop,
    /// At the end of the stop's grace: confirmations of requests that were
    /// in flight still get recorded.
    Grace,
    /// Only the timeouts (registering, leaving, `offconv ledger`).
    Timeout,
}

/// The URL split into what tokio-postgres reads and what offconv reads.
pub struct Target {
    pub config: Config,
    /// `sslrootcert=FILE`: the CA certificates to trust instead of the
    /// Mozilla roots.
    pub root_cert: Option<std::path::PathBuf>,
}

/// Reads a `postgres://` URL. `name` is its redacted form, for errors: the
/// URL itself (with its password) never goes into one.
pub fn parse(url: &str, name: &str) -> anyhow::Result<Target> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut root_cert = None;
    let mut verify = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let value: String = form_urlencoded::parse(format!("v={v}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        match k {
            "sslrootcert" => root_cert = Some(std::path::PathBuf::from(value)),
            // rustls always checks the certificate and the host name.
            "sslmode" if value == "verify-full" || value == "verify-ca" => verify = true,
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
        anyhow::anyhow!("the ledger {name} is not a PostgreSQL URL offconv can read: {e}")
    })?;
    if verify {
        config.ssl_mode(SslMode::Require);
    }
    let limits = format!(
        "-c statement_timeout={ms} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={idle}",
        ms = STATEMENT_TIMEOUT.as_millis(),
        idle = CALL_TIMEOUT.as_millis() * 2
    );
    let options = match config.get_options() {
        Some(o) if !o.trim().is_empty() => format!("{o} {limits}"),
        _ => limits,
    };
    config
        .options(options)
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_user_timeout(CALL_TIMEOUT)
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30));
    if config.get_application_name().is_none() {
        config.application_name("offconv");
    }
    Ok(Target { config, root_cert })
}

/// The TLS setup: the Mozilla roots, or the CAs of `sslrootcert`.
fn tls(
    root_cert: Option<&std::path::Path>,
) -> anyhow::Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| anyhow::anyhow!("cannot read sslrootcert {}: {e}", path.display()))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            anyhow::ensure!(
                added > 0,
                "sslrootcert {} holds no certificate",
                path.display()
            );
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Connections to one ledger database.
pub struct Pool {
    name: String,
    config: Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    idle: Mutex<Vec<Client>>,
    /// `Some` until dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Without blocking: the last holder may be an async task (the MCP
        // server's); the connections' tasks end with the runtime.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl Pool {
    pub fn new(target: Target, name: &str) -> anyhow::Result<Pool> {
        let tls = tls(target.root_cert.as_deref())
            .with_context(|| format!("cannot open the ledger {name}"))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ledger-pg")
            .enable_all()
            .build()
            .context("cannot start the ledger's runtime")?;
        Ok(Pool {
            name: name.to_owned(),
            config: target.config,
            tls,
            idle: Mutex::new(Vec::new()),
            runtime: Some(runtime),
        })
    }

    fn take(&self) -> Option<Client> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(c) = idle.pop() {
            if !c.is_closed() {
                return Some(c);
            }
        }
        None
    }

    fn give_back(&self, client: Client) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < KEEP_IDLE && !client.is_closed() {
            idle.push(client);
        }
    }

    async fn connect(
        config: Config,
        tls: tokio_postgres_rustls::MakeRustlsConnect,
    ) -> Result<Client, tokio_postgres::Error> {
        let (client, connection) = config.connect(tls).await?;
        tokio::spawn(async move {
            // Ends when the client is dropped or the server goes away;
            // the next call on the client then fails and names the ledger.
            let _ = connection.await;
        });
        Ok(client)
    }

    /// Runs `work` on a connection, bounded by the timeouts and by `stop`
    /// as `until` says. `what` ("read", "write") goes into the error.
    pub fn call<T: Send + 'static>(
        self: &Arc<Self>,
        what: &'static str,
        stop: Option<&RunStop>,
        until: Until,
        work: Work<T>,
    ) -> anyhow::Result<T> {
        let pool = Arc::clone(self);
        let stop = stop.cloned();
        let (tx, rx) = crossbeam_channel::bounded(1);
        let Some(runtime) = self.runtime.as_ref() else {
            anyhow::bail!("the ledger {} is closed", self.name);
        };
        runtime.spawn(async move {
            let body = async {
                let mut client = match pool.take() {
                    Some(c) => c,
                    None => Self::connect(pool.config.clone(), pool.tls.clone()).await?,
                };
                let value = work(&mut client).await?;
                Ok::<_, tokio_postgres::Error>((value, client))
            };
            let bounded = tokio::time::timeout(CALL_TIMEOUT, body);
            let result = match (&stop, until) {
                (Some(s), Until::Stop) => s.unless_stopped(bounded).await,
                (Some(s), Until::Grace) => s.within_grace(bounded).await,
                _ => Some(bounded.await),
            };
            let answer = match result {
                None => Err(Failure::Stopped),
                Some(Err(_)) => Err(Failure::TimedOut),
                Some(Ok(Err(e))) => Err(Failure::Db(e)),
                Some(Ok(Ok((value, client)))) => {
                    pool.give_back(client);
                    Ok(value)
                }
            };
            let _ = tx.send(answer);
        });
        let answer = rx
            .recv_timeout(CALL_TIMEOUT + Duration::from_secs(5))
            .unwrap_or(Err(Failure::TimedOut));
        answer.map_err(|f| f.into_error(what, &self.name))
    }
}

enum Failure {
    Stopped,
    TimedOut,
    Db(tokio_postgres::Error),
}

impl Failure {
    fn into_error(self, what: &str, name: &str) -> anyhow::Error {
        match self {
            Failure::Stopped => anyhow::Error::new(super::StoppedWait)
                .context(format!("cannot {what} the ledger {name}")),
            Failure::TimedOut => anyhow::anyhow!(
                "cannot {what} the ledger {name}: no answer within {} s",
                CALL_TIMEOUT.as_secs()
            ),
            Failure::Db(e) => {
                // The server's own message (a DbError) says most; the
                // client's Display alone can be as terse as "db error".
                let detail = match e.as_db_error() {
                    Some(db) => format!("{}: {}", db.severity(), db.message()),
                    None => {
                        let mut s = e.to_string();
                        if let Some(src) = std::error::Error::source(&e) {
                            s = format!("{s}: {src}");
                        }
                        s
                    }
                };
                anyhow::anyhow!("cannot {what} the ledger {name}: {detail}")
            }
        }
    }
}
