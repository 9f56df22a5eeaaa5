//! A PostgreSQL server for a test: CI's (`OFFCONV_TEST_POSTGRES`, a
//! database of its own per test), else a throw-away cluster started with
//! `.ci/postgres` (the script CI uses) and stopped when dropped. `None`
//! only when this machine has no server binaries; the test then says it
//! skipped.

use std::path::Path;
use std::process::Command;

pub struct PgServer {
    /// `postgres://…/DB` of this test's own database.
    pub url: String,
    /// The cluster's folder when this test started it.
    own: Option<String>,
}

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres")
}

impl PgServer {
    /// CI's server (a fresh database on it) or, without one, an own cluster.
    pub fn for_test(test: &str) -> Option<PgServer> {
        match std::env::var("OFFCONV_TEST_POSTGRES") {
            Ok(url) if !url.trim().is_empty() => Some(PgServer {
                url: fresh_database(url.trim(), test),
                own: None,
            }),
            _ => PgServer::own(test),
        }
    }

    /// A cluster of this test's own (one it may stop).
    pub fn own(test: &str) -> Option<PgServer> {
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .output()
            .expect("run .ci/postgres");
        if out.status.code() == Some(3) {
            println!(
                "skipped {test} on PostgreSQL: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        assert!(
            out.status.success(),
            "cannot start a PostgreSQL cluster: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8(out.stdout).expect("utf-8");
        let (dir, url) = line.trim().split_once('\t').expect("DIR<TAB>URL");
        Some(PgServer {
            url: url.to_owned(),
            own: Some(dir.to_owned()),
        })
    }

    /// The data folder of this test's own cluster.
    pub fn data_dir(&self) -> std::path::PathBuf {
        Path::new(self.own.as_deref().expect("an own cluster")).join("data")
    }

    /// Stops this test's own cluster now (a server gone mid-run).
    pub fn stop(&mut self) {
        if let Some(dir) = self.own.take() {
            let _ = Command::new("bash")
                .arg(script())
                .args(["stop", &dir])
                .status();
        }
    }

    /// Stops this test's own server at once, keeping its data, or starts
    /// it again (`halt` false).
    pub fn halt(&self, halt: bool) {
        let dir = self.own.as_deref().expect("an own cluster");
        let ok = Command::new("bash")
            .arg(script())
            .args([if halt { "halt" } else { "resume" }, dir])
            .status()
            .expect("run .ci/postgres");
        assert!(ok.success(), ".ci/postgres halt/resume failed");
    }

    /// Runs SQL on this test's database; the first column of each row.
    pub fn query(&self, sql: &str) -> Vec<String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
                .await
                .expect("connect to the test database");
            tokio::spawn(conn);
            let rows = client.simple_query(sql).await.expect("query");
            rows.into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => {
                        Some(r.get(0).unwrap_or("").to_owned())
                    }
                    _ => None,
                })
                .collect()
        })
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A new database on the server at `url`, for one test.
fn fresh_database(url: &str, test: &str) -> String {
    let name = format!(
        "t_{}_{}_{}",
        test.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect::<String>()
            .to_lowercase(),
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let admin = PgServer {
        url: url.to_owned(),
        own: None,
    };
    admin.query(&format!("CREATE DATABASE {name}"));
    let base = url.split('?').next().unwrap_or(url);
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    format!("{server}/{name}")
}
