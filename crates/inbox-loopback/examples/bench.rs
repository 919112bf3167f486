//! Throughput figures for the inbound path and the list queries, on a real SQLite file with
//! `synchronous=FULL`. Prints numbers; asserts nothing about speed.
//!
//! ```text
//! cargo run --release -p inbox-loopback --example bench -- [deliveries=2000] [concurrency=8]
//! ```
//! Each delivery is a documented mConnect webhook POSTed over loopback to the engine's receiver,
//! answered only after its transaction has committed (fsync included).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use inbox_core::{Config, ConversationFilter, Inbox, MemorySecrets, NewAccount, Provider};
use inbox_sim::{Inbound, Simulator};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn page_times(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label}: p50 {:.2} ms, max {:.2} ms over {} calls",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        times.len()
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let deliveries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);

    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    let inbox = Inbox::open(config, Arc::new(MemorySecrets::default())).await.expect("open");
    let sim = Simulator::start(SocketAddr::from(([127, 0, 0, 1], 0))).expect("simulator");
    let number = "5511900009999";
    let account = inbox
        .create_account(NewAccount {
            secrets: Default::default(),
            provider: Provider::Mconnect,
            name: "bench".into(),
            settings:
                serde_json::json!({"base_url": sim.mconnect_url(), "number": number, "company": "b", "username": "b"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
        })
        .await
        .expect("account");
    let url = account.webhook_url.expect("webhook url");

    // Payloads built up front: 1 in 10 customers writes again, the rest are new conversations.
    let bodies: Vec<String> = (0..deliveries)
        .map(|i| {
            let from = format!("55119{:08}", if i % 10 == 0 { 1 } else { i });
            sim.mconnect().build(&Inbound::text(number, format!("mensagem {i}")).with_from(from)).payload().to_string()
        })
        .collect();
    let http = reqwest::Client::new();
    let chunks: Vec<Vec<String>> = bodies.chunks(deliveries.div_ceil(concurrency)).map(|c| c.to_vec()).collect();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let (http, url) = (http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(chunk.len());
            for body in chunk {
                let t = Instant::now();
                let response =
                    http.post(&url).header("content-type", "application/json").body(body).send().await.expect("post");
                assert_eq!(response.status(), 200, "every delivery is stored");
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(deliveries);
    for task in tasks {
        latencies.extend(task.await.expect("task"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!("webhook ingest: {deliveries} deliveries, {concurrency} concurrent senders");
    println!("  total {:.2} s, {:.0} deliveries/s", elapsed.as_secs_f64(), deliveries as f64 / elapsed.as_secs_f64());
    println!(
        "  latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );

    let mut first_pages = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        inbox.list_conversations(&ConversationFilter { limit: Some(50), ..Default::default() }).await.expect("list");
        first_pages.push(t.elapsed());
    }
    page_times("list_conversations, first page of 50", first_pages);

    let mut walk = Vec::new();
    let mut cursor = None;
    let mut seen = 0;
    loop {
        let t = Instant::now();
        let page = inbox
            .list_conversations(&ConversationFilter { limit: Some(50), cursor: cursor.clone(), ..Default::default() })
            .await
            .expect("page");
        walk.push(t.elapsed());
        seen += page.items.len();
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    page_times("list_conversations, walking every page of 50", walk);
    println!("  {seen} conversations");

    // The customer who wrote every tenth message has the longest history.
    let mut busiest = None;
    let mut cursor = None;
    loop {
        let page = inbox
            .list_conversations(&ConversationFilter { limit: Some(200), cursor, ..Default::default() })
            .await
            .expect("page");
        for c in page.items {
            if busiest.as_ref().is_none_or(|b: &inbox_core::ConversationSummary| c.unread_count > b.unread_count) {
                busiest = Some(c);
            }
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let busiest = busiest.expect("a conversation");
    let mut message_pages = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        inbox.list_messages(&busiest.id, None, Some(50)).await.expect("messages");
        message_pages.push(t.elapsed());
    }
    page_times(&format!("list_messages, newest 50 of {}", busiest.unread_count), message_pages);
    inbox.shutdown().await;
}
