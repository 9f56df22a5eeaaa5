//! A PostgreSQL ledger over TLS: `sslmode=require` with `sslrootcert`
//! naming a private CA connects encrypted (the server says so), and
//! without the CA the certificate is refused with a clear error. The
//! certificates are made with the `openssl` command; the test says it
//! skips when that or the server binaries are missing.

mod util;

use std::process::Command;

use util::postgres::PgServer;
use util::*;

/// A CA and a server certificate for 127.0.0.1 signed by it, in `dir`.
fn certificates(dir: &std::path::Path) -> bool {
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=offconv test CA",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ])
}

#[test]
fn a_postgres_ledger_over_tls_with_a_private_ca() {
    let t = TestDir::new();
    let Some(pg) = PgServer::own("tls") else {
        return;
    };
    if !certificates(t.dir.path()) {
        println!("skipped the TLS test: no working openssl command");
        return;
    }
    let data = pg.data_dir();
    for f in ["server.pem", "server.key"] {
        std::fs::copy(t.path(f), data.join(f)).unwrap();
    }
    // The server's files belong to its user (postgres, when run as root).
    let _ = Command::new("chown")
        .arg("--reference")
        .arg(&data)
        .arg(data.join("server.pem"))
        .arg(data.join("server.key"))
        .status();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(
        data.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    pg.query("ALTER SYSTEM SET ssl = on");
    pg.query("ALTER SYSTEM SET ssl_cert_file = 'server.pem'");
    pg.query("ALTER SYSTEM SET ssl_key_file = 'server.key'");
    // From now on the server takes TCP connections over TLS only.
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
    )
    .unwrap();
    pg.query("SELECT pg_reload_conf()");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let ca = t.path("ca.pem").display().to_string();
    let tls = format!("{}?sslmode=require&sslrootcert={ca}", pg.url);
    // forget writes: it creates the tables, over TLS; stats reads them.
    run_expect(
        &mut t.cmd(&["ledger", "forget", "--dataset", "1", "--ledger", &tls]),
        0,
    );
    let out = run_expect(&mut t.cmd(&["ledger", "stats", "--ledger", &tls]), 0);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "dataset,day,events\n");
    // Plain is refused by this server, an unknown CA by offconv.
    let plain = format!("{}?sslmode=disable", pg.url);
    let out = run_expect(&mut t.cmd(&["ledger", "stats", "--ledger", &plain]), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no encryption"), "{stderr}");
    let unknown_ca = format!("{}?sslmode=require", pg.url);
    let out = run_expect(&mut t.cmd(&["ledger", "stats", "--ledger", &unknown_ca]), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TLS") && stderr.contains("certificate"),
        "{stderr}"
    );
}
