//! One way to run inboxd in a test: a fresh engine (SQLite in a temporary folder, in-memory
//! secrets) behind inboxd's router on a loopback port, the simulator beside it, and the HTTP
//! helpers the API tests share (bearer token, JSON answers, waiting for a send to settle).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use inbox_core::{Config, Event, Inbox, MemorySecrets, Sensitive};
use inbox_sim::{Recorded, SimHandle, Simulator};
use serde_json::Value;
use tokio::sync::broadcast;

/// The bearer token the test server is started with.
pub const TOKEN: &str = "inboxd-test-token-0123456789";

/// inboxd on loopback, its engine and the simulator.
pub struct Api {
    /// `http://127.0.0.1:<port>`, inboxd's address.
    pub base: String,
    pub http: reqwest::Client,
    pub inbox: Inbox,
    pub sim: SimHandle,
    pub secrets: Arc<MemorySecrets>,
    /// Holds the engine's database (`inbox.db`).
    pub dir: tempfile::TempDir,
}

/// Opens a fresh engine, serves inboxd's router for it on a free loopback port (token [`TOKEN`])
/// and starts the simulator.
pub async fn start() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    let secrets = Arc::new(MemorySecrets::default());
    let inbox = Inbox::open(config, secrets.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, inboxd::app(inbox.clone(), Sensitive::new(TOKEN), None)).into_future());
    let sim = Simulator::start(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    Api { base, http: reqwest::Client::new(), inbox, sim, secrets, dir }
}

impl Api {
    /// Calls the API with the token; answers the status and the body (JSON, or the text as a
    /// JSON string when it is not JSON).
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// Sends a raw body with a JSON content type (for bodies that are not valid JSON).
    pub async fn raw(&self, method: reqwest::Method, path: &str, body: &str) -> (u16, Value) {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// A GET that must answer 200; answers the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Creates an account over the API (`POST /api/accounts` must answer 201); answers it.
    pub async fn create_account(&self, body: Value) -> Value {
        let (status, account) = self.post("/api/accounts", body).await;
        assert_eq!(status, 201, "{account}");
        account
    }

    /// The first 200 conversations, as listed.
    pub async fn conversations(&self) -> Vec<Value> {
        self.get_ok("/api/conversations?limit=200").await["items"].as_array().unwrap().clone()
    }

    pub async fn conversation(&self, id: &str) -> Value {
        self.get_ok(&format!("/api/conversations/{id}")).await
    }

    /// A conversation's messages (the first 200), newest first.
    pub async fn messages(&self, conversation: &str) -> Vec<Value> {
        self.get_ok(&format!("/api/conversations/{conversation}/messages?limit=200")).await["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// One message of a conversation, as listed.
    pub async fn message(&self, conversation: &str, id: &str) -> Value {
        self.messages(conversation).await.into_iter().find(|m| m["id"] == id).expect("message listed")
    }

    /// Posts a message to a conversation; answers the status and body as they are.
    pub async fn post_message(&self, conversation: &str, body: Value) -> (u16, Value) {
        self.post(&format!("/api/conversations/{conversation}/messages"), body).await
    }

    /// Posts a message, which must be stored (201) as `pending` before the provider is called.
    pub async fn send(&self, conversation: &str, body: Value) -> Value {
        let (status, stored) = self.post_message(conversation, body).await;
        assert_eq!(status, 201, "{stored}");
        assert_eq!(stored["status"], "pending", "stored before the provider is called");
        stored
    }

    /// Waits until a message's send has ended (no longer `pending`); answers the message.
    pub async fn settled(&self, conversation: &str, id: &str) -> Value {
        until("the send ends", async || Some(self.message(conversation, id).await).filter(|m| m["status"] != "pending"))
            .await
    }

    /// Sends and waits until the provider's outcome is recorded; answers the message.
    pub async fn send_settled(&self, conversation: &str, body: Value) -> Value {
        let stored = self.send(conversation, body).await;
        self.settled(conversation, stored["id"].as_str().unwrap()).await
    }

    /// Sends a message that must reach the provider (`sent`); answers it.
    pub async fn send_ok(&self, conversation: &str, body: Value) -> Value {
        let message = self.send_settled(conversation, body).await;
        assert_eq!(message["status"], "sent", "{message}");
        message
    }

    /// The last request the simulator received with this method and a path `path` accepts.
    pub fn last_request(&self, method: &str, path: impl Fn(&str) -> bool) -> Recorded {
        self.sim
            .requests()
            .into_iter()
            .rev()
            .find(|r| r.method == method && path(&r.path))
            .unwrap_or_else(|| panic!("no such {method} request among {:?}", self.request_lines()))
    }

    /// `METHOD /path?query` of every request the simulator received, oldest first.
    pub fn request_lines(&self) -> Vec<String> {
        self.sim.requests().into_iter().map(|r| format!("{} {}", r.method, r.path)).collect()
    }
}

/// Polls `check` (every 20 ms, for at most 10 s) until it answers something.
pub async fn until<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(found) = check().await {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("{what} did not happen within 10 s"))
}

/// Waits (bounded) for the first engine event `pick` accepts.
pub async fn next_event<T>(rx: &mut broadcast::Receiver<Event>, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(found) = pick(&rx.recv().await.expect("event stream open")) {
                return found;
            }
        }
    })
    .await
    .expect("the event within 10 s")
}
