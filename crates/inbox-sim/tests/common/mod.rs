//! Helpers shared by the integration tests: a simulator on a free port, a
//! plain HTTP client, and a tiny webhook receiver.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use inbox_sim::{SimHandle, Simulator};
use serde_json::{Value, json};
use tokio::sync::mpsc;

pub const OUR_NUMBER: &str = "5511988887777";

pub fn start_sim() -> SimHandle {
    Simulator::start(([127, 0, 0, 1], 0).into()).expect("simulator starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("http client")
}

/// A request body in mConnect's envelope around `element_data`.
pub fn envelope(element_data: Value) -> Value {
    json!({
        "operation": "wp_instance",
        "moduleType": "wp_instance",
        "api_type": "web",
        "element_data": element_data,
    })
}

pub fn send_text_request(to: &str, message: &str) -> Value {
    envelope(json!({
        "action": "sendWhatsappText",
        "from": OUR_NUMBER,
        "to": to,
        "message": message,
        "is_group": "0",
        "company": "acme",
        "username": "agent",
    }))
}

pub fn send_file_request(to: &str, caption: &str) -> Value {
    envelope(json!({
        "action": "sendWhatsappFile",
        "from": OUR_NUMBER,
        "to": to,
        "file_url": "https://example.com/nota.pdf",
        "caption": caption,
        "filename": "nota.pdf",
        "is_group": "0",
        "company": "acme",
        "username": "agent",
    }))
}

/// A raw answer: status, content type and body text.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("answer is JSON")
    }
}

pub async fn post_raw(url: &str, body: impl Into<reqwest::Body>) -> Answer {
    let response = client()
        .post(url)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("request reaches the simulator");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = response.text().await.expect("answer body");
    Answer { status, content_type, body }
}

pub async fn post_json(url: &str, body: &Value) -> Answer {
    post_raw(url, body.to_string()).await
}

pub async fn set_webhook(sim: &SimHandle, number: &str, url: &str) -> Answer {
    let body = envelope(json!({ "action": "setWebHook", "wp_num": number, "web_hook": url }));
    post_json(&sim.mconnect_url(), &body).await
}

/// One POST seen by the [`Receiver`].
#[derive(Debug)]
pub struct Delivery {
    pub content_type: Option<String>,
    pub body: String,
}

impl Delivery {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("webhook body is JSON")
    }
}

/// A webhook endpoint that answers `status` and hands every POST to the test.
pub struct Receiver {
    pub url: String,
    deliveries: mpsc::UnboundedReceiver<Delivery>,
}

impl Receiver {
    pub async fn start(status: StatusCode) -> Self {
        let (tx, deliveries) = mpsc::unbounded_channel();
        let app = Router::new().route("/hook/{secret}", post(receive)).with_state((tx, status));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("receiver binds");
        let addr = listener.local_addr().expect("receiver address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url: format!("http://{addr}/hook/s3cr3t"), deliveries }
    }

    pub async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(5), self.deliveries.recv())
            .await
            .expect("a webhook arrives in time")
            .expect("receiver still running")
    }

    pub fn nothing_pending(&mut self) -> bool {
        self.deliveries.try_recv().is_err()
    }
}

type ReceiverState = (mpsc::UnboundedSender<Delivery>, StatusCode);

async fn receive(
    State((tx, status)): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let delivery = Delivery {
        content_type: headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let _ = tx.send(delivery);
    (status, "ok")
}
