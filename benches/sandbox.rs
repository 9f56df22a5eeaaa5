//! Throughput of the sandbox's checks: starts a sandbox in-process and floods
//! it over loopback with valid 1,000-event batches from several concurrent
//! connections, then prints the events checked and accepted per second.
//!
//! `cargo bench --bench sandbox [-- SECONDS [CONNECTIONS]]` (defaults 5 and 4).
//! The client runs on its own thread and runtime, as a separate uploader
//! process would; bodies are serialized once up front so the figure measures
//! the sandbox, not the client's JSON encoder.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use offconv::sandbox::{self, SandboxConfig};
use sha2::{Digest, Sha256};

const EVENTS_PER_BATCH: usize = 1000;
/// Distinct batches cycled through; later rounds are accepted as duplicates,
/// which costs the sandbox the same checks.
const DISTINCT_BATCHES: usize = 32;

fn main() {
    // `cargo bench` passes `--bench`; take the numbers among the arguments.
    let numbers: Vec<u64> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let seconds = numbers.first().copied().unwrap_or(5);
    let connections = numbers.get(1).copied().unwrap_or(4) as usize;

    // reqwest is built without a default TLS crypto provider (only loopback
    // http here, but the client builder insists on one).
    let _ = rustls::crypto::ring::default_provider().install_default();

    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    let sandbox = server.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        sandbox::start(SandboxConfig::default(), listener)
            .await
            .expect("start")
    });
    let url = format!("{}/v26.0/1234567890123456/events", sandbox.url());

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let bodies: Arc<Vec<Bytes>> = Arc::new((0..DISTINCT_BATCHES).map(|b| batch(b, now)).collect());
    let body_mb = bodies[0].len() as f64 / 1e6;

    let accepted = Arc::new(AtomicU64::new(0));
    let client_thread = {
        let accepted = accepted.clone();
        std::thread::spawn(move || {
            let client = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("client runtime");
            client.block_on(flood(url, bodies, connections, seconds, accepted))
        })
    };
    let elapsed = client_thread.join().expect("client thread");
    let summary = server.block_on(sandbox.shutdown());

    let events = accepted.load(Ordering::Relaxed);
    assert_eq!(events, summary.accepted_events, "every sent event accepted");
    assert!(
        summary.rejected_requests.is_empty(),
        "{:?}",
        summary.rejected_requests
    );
    println!(
        "sandbox: {events} events in {} requests of {EVENTS_PER_BATCH} ({body_mb:.2} MB each) \
         over {connections} connections in {:.2} s: {:.0} events/s",
        summary.requests,
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64()
    );
}

async fn flood(
    url: String,
    bodies: Arc<Vec<Bytes>>,
    connections: usize,
    seconds: u64,
    accepted: Arc<AtomicU64>,
) -> Duration {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let (client, url, bodies, accepted) = (
                client.clone(),
                url.clone(),
                bodies.clone(),
                accepted.clone(),
            );
            tokio::spawn(async move {
                let mut i = w;
                while Instant::now() < deadline {
                    let response = client
                        .post(&url)
                        .bearer_auth("bench-token")
                        .header("content-type", "application/json")
                        .body(bodies[i % bodies.len()].clone())
                        .send()
                        .await
                        .expect("send");
                    assert!(response.status().is_success(), "{}", response.status());
                    let _ = response.bytes().await;
                    accepted.fetch_add(EVENTS_PER_BATCH as u64, Ordering::Relaxed);
                    i += connections;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    start.elapsed()
}

/// A realistic batch: every hashed field filled, custom data, and ids
/// unique across batches. Reference counted, so cheap to send again.
fn batch(b: usize, now: u64) -> Bytes {
    let sha = |s: &str| const_hex::encode(Sha256::digest(s.as_bytes()));
    let events: Vec<serde_json::Value> = (0..EVENTS_PER_BATCH)
        .map(|i| {
            let n = b * EVENTS_PER_BATCH + i;
            serde_json::json!({
                "event_name": "Purchase",
                "event_time": now - 86_400 - (n as u64 % 1_000_000),
                "action_source": "physical_store",
                "event_id": format!("order-{n:08}"),
                "user_data": {
                    "em": [sha(&format!("customer{n}@example.com"))],
                    "ph": [sha(&format!("1555{n:07}"))],
                    "fn": sha("jane"), "ln": sha("doe"), "ct": sha("chicago"),
                    "st": sha("il"), "zp": sha("60601"), "country": sha("us"),
                    "external_id": [format!("loyalty-{n}")],
                },
                "custom_data": {
                    "value": 12.5 + (n % 100) as f64, "currency": "USD",
                    "order_id": format!("order-{n:08}"),
                },
            })
        })
        .collect();
    let body = serde_json::json!({
        "data": events,
        "upload_tag": "bench",
        "partner_agent": "offconv",
    });
    serde_json::to_vec(&body).expect("serialize").into()
}
