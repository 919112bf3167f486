//! inboxd's HTTP API over loopback, against the simulator: the same command set as the desktop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use inbox_core::{Config, Inbox, MemorySecrets, Sensitive};
use inbox_sim::{Inbound, SimHandle, Simulator};
use serde_json::{Value, json};

const TOKEN: &str = "test-token-1234567890";
const NUMBER: &str = "5511900003333";

struct Server {
    base: String,
    sim: SimHandle,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    let inbox = Inbox::open(config, Arc::new(MemorySecrets::default())).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, inboxd::app(inbox, Sensitive::new(TOKEN), None)).into_future());
    let sim = Simulator::start(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    Server { base, sim, http: reqwest::Client::new(), _dir: dir }
}

impl Server {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
    async fn account(&self) -> Value {
        let (status, account) = self
            .post(
                "/api/accounts",
                json!({"provider": "mconnect", "name": "Loja", "settings": {
                    "base_url": self.sim.mconnect_url(), "number": NUMBER, "company": "acme", "username": "ana"}}),
            )
            .await;
        assert_eq!(status, 201, "{account}");
        account
    }
}

/// Reads SSE `data:` payloads until one matches.
async fn sse_until(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            while let Some(end) = buf.find("\n\n") {
                let frame: String = buf.drain(..end + 2).collect();
                let data: String = frame
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect::<Vec<_>>()
                    .join("\n");
                if data.is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(&data).unwrap();
                if pick(&value) {
                    return value;
                }
            }
            let chunk = stream.next().await.expect("stream ended").unwrap();
            buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("event within 10 s")
}

/// Every documented route, from the served OpenAPI document.
async fn operations(s: &Server) -> Vec<(String, String)> {
    let doc: Value = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap().json().await.unwrap();
    let mut out = Vec::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for method in methods.as_object().unwrap().keys() {
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_route_needs_the_bearer_token() {
    let s = server().await;
    let ops = operations(&s).await;
    assert_eq!(ops.len(), 12);
    for (method, path) in ops {
        let url = format!("{}{}", s.base, path.replace("{id}", "x"));
        let response = s.http.request(method.parse().unwrap(), &url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{method} {path} without a token");
        let wrong = s.http.request(method.parse().unwrap(), &url).bearer_auth("wrong").send().await.unwrap();
        assert_eq!(wrong.status().as_u16(), 401, "{method} {path} with a wrong token");
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized");
    }
}

#[tokio::test]
async fn openapi_document_lists_exactly_the_served_routes() {
    let s = server().await;
    let response = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap();
    assert_eq!(response.status(), 200, "public, no token needed");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.values().map(|m| m.as_object().unwrap().len()).sum::<usize>(), 12);
    for (path, methods) in paths {
        for (method, op) in methods.as_object().unwrap() {
            assert!(op["responses"].as_object().unwrap().contains_key("401"));
            if path == "/api/events" {
                continue;
            }
            // With the token, each documented route exists (any answer but 404-for-route/405).
            let url = format!("{}{}", s.base, path.replace("{id}", "does-not-exist"));
            let response = s
                .http
                .request(method.to_uppercase().parse().unwrap(), url)
                .bearer_auth(TOKEN)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert_ne!(status, 405, "{method} {path} is served");
            if status == 404 {
                let body: Value = response.json().await.unwrap();
                assert_eq!(
                    body["code"], "not_found",
                    "{method} {path}: a 404 must come from the engine, not a missing route"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_command_set_works_end_to_end_over_http() {
    let s = server().await;
    let (status, body) = s.get("/api/status").await;
    assert_eq!(status, 200);
    assert_eq!(body["accounts"], 0);

    let account = s.account().await;
    let url = account["webhook_url"].as_str().unwrap();
    assert!(url.contains(&format!("/webhooks/mconnect/{}/", account["id"].as_str().unwrap())));
    assert_eq!(s.sim.mconnect().webhook_for(NUMBER).as_deref(), Some(url));
    assert_eq!(account["capabilities"], json!(["start_conversation", "send_text", "send_file", "caption", "groups"]));
    let (_, accounts) = s.get("/api/accounts").await;
    assert_eq!(accounts.as_array().unwrap().len(), 1);

    // Subscribe, then a customer writes in: the event arrives on the stream.
    let response = s.http.get(format!("{}/api/events", s.base)).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.bytes_stream();
    let mut buf = String::new();
    let fired = s
        .sim
        .mconnect()
        .fire(Inbound::text(NUMBER, "Quero trocar o tamanho").with_from("5511987650000").with_sender_name("Carla Dias"))
        .await
        .unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let added = sse_until(&mut stream, &mut buf, |e| e["type"] == "message_added").await;
    assert_eq!(added["message"]["body"], "Quero trocar o tamanho");
    let conversation_id = added["conversation_id"].as_str().unwrap().to_owned();

    let (status, list) = s.get("/api/conversations?status=open&limit=10").await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["id"], conversation_id.as_str());
    assert_eq!(list["items"][0]["title"], "Carla Dias");
    assert_eq!(list["items"][0]["unread_count"], 1);
    assert_eq!(list["next_cursor"], Value::Null);

    let (_, messages) = s.get(&format!("/api/conversations/{conversation_id}/messages?limit=1")).await;
    assert_eq!(messages["items"].as_array().unwrap().len(), 1);

    // Reply: stored first (201, pending), then sent; the simulator saw the documented JSON.
    let (status, sent) = s
        .post(
            &format!("/api/conversations/{conversation_id}/messages"),
            json!({"kind": "text", "body": "Claro, qual tamanho?"}),
        )
        .await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["status"], "pending");
    let changed = sse_until(&mut stream, &mut buf, |e| e["type"] == "message_status_changed").await;
    assert_eq!(changed["message_id"], sent["id"]);
    assert_eq!(changed["status"], "sent");
    let request = s.sim.requests().into_iter().rev().find_map(|r| r.body).unwrap();
    assert_eq!(request["element_data"]["message"], "Claro, qual tamanho?");
    assert_eq!(request["element_data"]["to"], "5511987650000");

    let (status, patched) = s
        .call(
            reqwest::Method::PATCH,
            &format!("/api/conversations/{conversation_id}"),
            Some(json!({"status": "resolved", "priority": 3})),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["status"], "resolved");
    assert_eq!(patched["priority"], 3);
    let (_, urgent) = s.get("/api/conversations?priority=3&status=resolved").await;
    assert_eq!(urgent["items"].as_array().unwrap().len(), 1);
    let (_, read) = s.post(&format!("/api/conversations/{conversation_id}/read"), json!({})).await;
    assert_eq!(read["unread_count"], 0);
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let s = server().await;
    let (status, body) =
        s.post("/api/accounts", json!({"provider": "mconnect", "name": "x", "settings": {"base_url": "nope"}})).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "invalid_input");
    assert!(body["message"].as_str().unwrap().contains("base_url"));
    let (status, body) = s.post("/api/accounts", json!({"provider": "telegraph"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_input");
    let (status, body) = s.get("/api/conversations?priority=9").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = s.get("/api/conversations?cursor=zzz").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = s.get("/api/conversations/nope").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, _) = s.call(reqwest::Method::PATCH, "/api/conversations/nope", Some(json!({"priority": 7}))).await;
    assert_eq!(status, 400);
}
