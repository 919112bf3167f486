//! The `/_sim` control API, over real HTTP.

mod common;

use axum::http::StatusCode;
use common::*;
use inbox_sim::{FireResult, Recorded};
use serde_json::{Value, json};

async fn get_json(url: &str) -> Value {
    let response = client().get(url).send().await.expect("request");
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.expect("JSON answer")
}

#[tokio::test]
async fn health_lists_providers() {
    let sim = start_sim();
    let health = get_json(&format!("{}/_sim/health", sim.base_url())).await;
    assert_eq!(health, json!({ "ok": true, "providers": inbox_sim::PROVIDERS }));
    assert!(inbox_sim::PROVIDERS.contains(&"mconnect"));
}

#[tokio::test]
async fn requests_can_be_listed_and_cleared() {
    let sim = start_sim();
    post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "oi")).await;
    let url = format!("{}/_sim/requests", sim.base_url());

    let listed: Vec<Recorded> = serde_json::from_value(get_json(&url).await).expect("Recorded list");
    assert_eq!(listed, sim.requests());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].provider, "mconnect");

    let cleared: Value = client().delete(&url).send().await.expect("delete").json().await.expect("JSON answer");
    assert_eq!(cleared, json!({ "cleared": 1 }));
    assert_eq!(get_json(&url).await, json!([]));
}

#[tokio::test]
async fn control_calls_are_not_recorded() {
    let sim = start_sim();
    get_json(&format!("{}/_sim/mconnect/webhooks", sim.base_url())).await;
    get_json(&format!("{}/_sim/requests", sim.base_url())).await;
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn webhooks_are_listed_by_number() {
    let sim = start_sim();
    set_webhook(&sim, OUR_NUMBER, "http://127.0.0.1:1/hook/a").await;
    let webhooks = get_json(&format!("{}/_sim/mconnect/webhooks", sim.base_url())).await;
    assert_eq!(webhooks, json!({ OUR_NUMBER: "http://127.0.0.1:1/hook/a" }));
}

#[tokio::test]
async fn inbound_fires_a_webhook() {
    let sim = start_sim();
    let mut receiver = Receiver::start(StatusCode::OK).await;
    set_webhook(&sim, OUR_NUMBER, &receiver.url).await;

    let answer = post_json(
        &format!("{}/_sim/mconnect/inbound", sim.base_url()),
        &json!({ "kind": "text", "number": OUR_NUMBER, "text": "Vocês aceitam Pix?", "sender_name": "Carla Ferreira" }),
    )
    .await;
    assert_eq!(answer.status, 200);
    let result: FireResult = serde_json::from_str(&answer.body).expect("FireResult");
    assert_eq!(result.status, 200);
    let received = receiver.next().await.json();
    assert_eq!(received, result.payload);
    assert_eq!(received["chat_msg"], "Vocês aceitam Pix?");
    assert_eq!(received["sender_name"], "Carla Ferreira");
}

#[tokio::test]
async fn inbound_without_webhook_is_409() {
    let sim = start_sim();
    let answer = post_json(
        &format!("{}/_sim/mconnect/inbound", sim.base_url()),
        &json!({ "kind": "group_media", "number": "5500000000000" }),
    )
    .await;
    assert_eq!(answer.status, 409);
    let error = answer.json()["error"].as_str().expect("error text").to_owned();
    assert!(error.contains("5500000000000"), "{error}");
}

#[tokio::test]
async fn inbound_to_a_dead_webhook_is_502() {
    let sim = start_sim();
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", dead.local_addr().expect("addr"));
    drop(dead);
    sim.mconnect().set_webhook(OUR_NUMBER, url);
    let answer = post_json(
        &format!("{}/_sim/mconnect/inbound", sim.base_url()),
        &json!({ "kind": "media", "number": OUR_NUMBER }),
    )
    .await;
    assert_eq!(answer.status, 502);
    assert!(answer.json()["error"].is_string());
}

#[tokio::test]
async fn inbound_with_a_bad_body_is_400() {
    let sim = start_sim();
    let answer = post_json(
        &format!("{}/_sim/mconnect/inbound", sim.base_url()),
        &json!({ "kind": "sticker", "number": OUR_NUMBER }),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert!(answer.json()["error"].is_string());
}

#[tokio::test]
async fn inbound_raw_posts_the_given_body() {
    let sim = start_sim();
    let mut receiver = Receiver::start(StatusCode::OK).await;
    set_webhook(&sim, OUR_NUMBER, &receiver.url).await;
    let answer = post_json(
        &format!("{}/_sim/mconnect/inbound-raw", sim.base_url()),
        &json!({ "number": OUR_NUMBER, "body": "not json at all" }),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert!(answer.json()["payload"].is_null());
    assert_eq!(receiver.next().await.body, "not json at all");
}

#[tokio::test]
async fn fail_next_quirks_and_delay_change_settings() {
    let sim = start_sim();
    let base = sim.base_url();

    let answer = post_json(&format!("{base}/_sim/mconnect/fail-next"), &json!({ "count": 1 })).await;
    assert_eq!(answer.json()["fail_next"], 1);
    let failed = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "oi")).await;
    assert_eq!(failed.json()["result"]["data"], "not-sent");

    let answer = post_json(&format!("{base}/_sim/mconnect/quirks"), &json!({ "concat_json": true })).await;
    assert_eq!(answer.json()["concat_json"], true);
    let quoted = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "\"oi\"")).await;
    assert_eq!(quoted.json()["result"]["data"], "not-sent");

    let answer = post_json(&format!("{base}/_sim/mconnect/delay"), &json!({ "millis": 25 })).await;
    assert_eq!(answer.json()["delay_ms"], 25);

    let settings = get_json(&format!("{base}/_sim/mconnect/settings")).await;
    assert_eq!(settings, json!({ "fail_next": 0, "concat_json": true, "delay_ms": 25 }));

    let bad = post_json(&format!("{base}/_sim/mconnect/fail-next"), &json!({ "count": -1 })).await;
    assert_eq!(bad.status, 400);
}
