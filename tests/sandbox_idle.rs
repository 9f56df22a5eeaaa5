//! `offconv sandbox` ends connections that go quiet (issue 16): idle
//! between requests, silent since they connected, or stalled halfway
//! through a request, after `--idle-timeout`; a slow answer
//! (`--latency-ms` beyond the timeout) still arrives. Raw TCP clients, so
//! nothing in between keeps or closes a connection on its own.

mod util;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use util::*;

/// Longer than any wait here can take on a loaded machine: a connection
/// still open by then was never closed.
const GIVE_UP: Duration = Duration::from_secs(30);

fn connect(sandbox: &SandboxProcess) -> TcpStream {
    let stream = TcpStream::connect(&sandbox.addr).expect("connect");
    stream.set_read_timeout(Some(GIVE_UP)).unwrap();
    stream
}

/// Reads until the server closes; returns what it sent and how long the
/// close took. Fails when the connection is still open after [`GIVE_UP`].
fn until_closed(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (got, started.elapsed()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset) => {
                return (got, started.elapsed());
            }
            Err(e) => panic!("the sandbox kept the connection open ({e})"),
        }
    }
}

/// Reads one HTTP/1.1 response (headers and a Content-Length body).
fn read_response(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).expect("a response"),
            1,
            "closed early"
        );
        got.push(byte[0]);
    }
    let head = String::from_utf8(got).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    format!("{head}{}", String::from_utf8_lossy(&body))
}

const GET: &[u8] =
    b"GET /v26.0/1234567890 HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer tok\r\n\r\n";

#[test]
fn silent_half_sent_and_idle_connections_are_closed() {
    let t = TestDir::new();
    let sandbox = SandboxProcess::start(&t, &["--idle-timeout", "0.5"]);

    // Connects and sends nothing.
    let mut silent = connect(&sandbox);
    // Stops halfway through its header.
    let mut half = connect(&sandbox);
    half.write_all(b"POST /v26.0/1234567890/events HTTP/1.1\r\nHost: sand")
        .unwrap();
    // Stops halfway through its body.
    let mut body = connect(&sandbox);
    body.write_all(
        b"POST /v26.0/1234567890/events HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":",
    )
    .unwrap();
    // Keeps its connection after a full request and answer.
    let mut idle = connect(&sandbox);
    idle.write_all(GET).unwrap();
    let answer = read_response(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    for (what, stream) in [
        ("silent", &mut silent),
        ("half a header", &mut half),
        ("half a body", &mut body),
        ("idle after an answer", &mut idle),
    ] {
        let (sent, took) = until_closed(stream);
        offconv::say!("{what}: closed after {took:?}");
        let sent = String::from_utf8_lossy(&sent);
        if what == "half a body" {
            // The handler had started: it says the body could not be read.
            assert!(sent.starts_with("HTTP/1.1 400"), "{what}: {sent}");
        } else {
            assert!(sent.is_empty(), "{what}: no answer, got {sent}");
        }
    }
    // The sandbox still serves new connections.
    let mut fresh = connect(&sandbox);
    fresh.write_all(GET).unwrap();
    assert!(read_response(&mut fresh).starts_with("HTTP/1.1 200"));
}

#[test]
fn an_answer_slower_than_the_idle_timeout_still_arrives() {
    let t = TestDir::new();
    let sandbox = SandboxProcess::start(&t, &["--idle-timeout", "0.3", "--latency-ms", "1500"]);
    let mut stream = connect(&sandbox);
    stream.write_all(GET).unwrap();
    let answer = read_response(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"id\":\"1234567890\""), "{answer}");
}

#[test]
fn idle_timeout_must_be_a_positive_number() {
    let t = TestDir::new();
    for bad in ["0", "nan", "-1", "1e9"] {
        let out = run_expect(
            &mut t.cmd(&["sandbox", &format!("--idle-timeout={bad}")]),
            2,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--idle-timeout"), "{bad}: {stderr}");
    }
}
