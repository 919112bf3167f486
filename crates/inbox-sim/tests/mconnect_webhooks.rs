//! Inbound webhooks fired by the simulator, received by a real HTTP server.

mod common;

use axum::http::StatusCode;
use common::*;
use inbox_sim::fixtures::mconnect as fixtures;
use inbox_sim::{Inbound, InboundKind, SimError, SimHandle};
use serde_json::{Map, Value};

async fn sim_with_receiver(status: StatusCode) -> (SimHandle, Receiver) {
    let sim = start_sim();
    let receiver = Receiver::start(status).await;
    let answer = set_webhook(&sim, OUR_NUMBER, &receiver.url).await;
    assert_eq!(answer.json()["status"], "true");
    (sim, receiver)
}

fn object(value: &Value) -> &Map<String, Value> {
    value.as_object().expect("payload is an object")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object(value).keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// JSON type name of each field, to compare shapes regardless of values.
fn shape(value: &Value) -> Vec<(String, &'static str)> {
    let mut shape: Vec<_> = object(value)
        .iter()
        .map(|(key, value)| {
            let kind = match value {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            (key.clone(), kind)
        })
        .collect();
    shape.sort();
    shape
}

fn documented(fixture: &str) -> Value {
    serde_json::from_str(fixture).expect("fixture is JSON")
}

/// Fire `inbound`, check the receiver got exactly the builder's payload as
/// JSON, and that it has the documented shape of `fixture`.
async fn fire_and_check(inbound: Inbound, fixture: &str) -> Value {
    let (sim, mut receiver) = sim_with_receiver(StatusCode::OK).await;
    let result = sim.mconnect().fire(inbound).await.expect("fire succeeds");
    let delivery = receiver.next().await;

    assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
    let received = delivery.json();
    assert_eq!(received, result.payload);
    assert_eq!(shape(&received), shape(&documented(fixture)));
    assert_eq!(received["to"], OUR_NUMBER);
    assert_eq!(received["chat_status"], 1);
    let time: i64 = received["time"].as_str().expect("time is a string").parse().expect("time is unix seconds");
    assert!(time > 1_600_000_000);
    assert_eq!(result.status, 200);
    assert_eq!(result.response, "ok");
    assert_eq!(result.webhook, receiver.url);
    assert!(receiver.nothing_pending(), "delivered exactly once");
    received
}

#[tokio::test]
async fn text_webhook_has_the_documented_shape() {
    let inbound = Inbound::text(OUR_NUMBER, "Olá, meu pedido ainda não chegou")
        .with_from("5511912345678")
        .with_sender_name("Ana Souza");
    let received = fire_and_check(inbound, fixtures::INBOUND_TEXT).await;
    assert_eq!(
        keys(&received),
        ["chat_msg", "chat_status", "from", "message_id", "sender", "sender_name", "time", "to"]
    );
    assert_eq!(received["from"], "5511912345678");
    assert_eq!(received["chat_msg"], "Olá, meu pedido ainda não chegou");
    assert_eq!(received["sender_name"], "Ana Souza");
    let id = received["message_id"].as_str().expect("message id");
    assert!(id.starts_with("false_5511912345678@c.us_"), "{id}");
    assert_eq!(id.len(), "false_5511912345678@c.us_".len() + 20);
}

#[tokio::test]
async fn media_webhook_has_the_documented_shape() {
    let received = fire_and_check(Inbound::media(OUR_NUMBER), fixtures::INBOUND_MEDIA).await;
    assert_eq!(keys(&received), ["chat_status", "from", "image", "message_id", "sender", "sender_name", "time", "to"]);
    assert!(received.get("chat_msg").is_none());
    let image = received["image"].as_str().expect("image URL");
    assert!(image.contains("/media/image/"), "{image}");
}

#[tokio::test]
async fn group_text_webhook_has_the_documented_shape() {
    let inbound = Inbound::group_text(OUR_NUMBER, "Bom dia, grupo!")
        .with_group("6582986675-1502710128", "Clientes VIP")
        .with_sender_name("Bruno Lima");
    let received = fire_and_check(inbound, fixtures::INBOUND_GROUP_TEXT).await;
    assert_eq!(
        keys(&received),
        ["chat_msg", "chat_status", "from", "group_icon", "group_name", "message_id", "sender_name", "time", "to"]
    );
    assert_eq!(received["from"], "6582986675-1502710128");
    assert_eq!(received["group_name"], "Clientes VIP");
    let id = received["message_id"].as_str().expect("message id");
    assert!(id.starts_with("false_6582986675-1502710128@g.us_"), "{id}");
}

#[tokio::test]
async fn group_media_webhook_has_a_null_sender() {
    let received = fire_and_check(Inbound::group_media(OUR_NUMBER), fixtures::INBOUND_GROUP_MEDIA).await;
    assert_eq!(
        keys(&received),
        [
            "chat_status",
            "from",
            "group_icon",
            "group_name",
            "image",
            "message_id",
            "sender",
            "sender_name",
            "time",
            "to"
        ]
    );
    assert!(received["sender"].is_null());
    let group = received["from"].as_str().expect("group id");
    assert!(group.contains('-'), "{group}");
    let id = received["message_id"].as_str().expect("message id");
    assert!(id.starts_with(&format!("false_{group}@g.us_")), "{id}");
}

#[tokio::test]
async fn fire_without_webhook_is_an_error() {
    let sim = start_sim();
    let error = sim.mconnect().fire(Inbound::text("5500000000000", "oi")).await.expect_err("no webhook");
    assert!(matches!(error, SimError::NoWebhook { ref number } if number == "5500000000000"));
}

#[tokio::test]
async fn fire_reports_the_receivers_status_without_retrying() {
    let (sim, mut receiver) = sim_with_receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let result = sim.mconnect().fire(Inbound::text(OUR_NUMBER, "oi")).await.expect("delivery happened");
    assert_eq!(result.status, 500);
    receiver.next().await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(receiver.nothing_pending(), "no retry");
}

#[tokio::test]
async fn fire_to_a_dead_webhook_is_a_delivery_error() {
    let sim = start_sim();
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", dead.local_addr().expect("addr"));
    drop(dead);
    sim.mconnect().set_webhook(OUR_NUMBER, url);
    let error = sim.mconnect().fire(Inbound::media(OUR_NUMBER)).await.expect_err("nobody listens");
    assert!(matches!(error, SimError::Delivery { .. }), "{error}");
}

#[tokio::test]
async fn fire_raw_posts_the_body_verbatim() {
    let (sim, mut receiver) = sim_with_receiver(StatusCode::OK).await;
    let mconnect = sim.mconnect();

    let broken = "{\"from\": \"5511\", ".to_owned();
    let result = mconnect.fire_raw(OUR_NUMBER, broken.clone()).await.expect("sent");
    assert!(result.payload.is_null());
    assert_eq!(receiver.next().await.body, broken);

    // Duplicate delivery: the same documented payload twice.
    for _ in 0..2 {
        let result = mconnect.fire_raw(OUR_NUMBER, fixtures::INBOUND_TEXT.to_owned()).await.expect("sent");
        assert_eq!(result.payload["message_id"], "false_918489514086@c.us_3EB0D0E65F495E0160A7");
        assert_eq!(receiver.next().await.body, fixtures::INBOUND_TEXT);
    }
}

#[tokio::test]
async fn same_message_id_can_be_fired_twice() {
    let (sim, mut receiver) = sim_with_receiver(StatusCode::OK).await;
    let inbound = Inbound::text(OUR_NUMBER, "oi").with_message_id("false_55@c.us_3EB0AAAAAAAAAAAAAAAA");
    for _ in 0..2 {
        sim.mconnect().fire(inbound.clone()).await.expect("sent");
        assert_eq!(receiver.next().await.json()["message_id"], "false_55@c.us_3EB0AAAAAAAAAAAAAAAA");
    }
}

#[tokio::test]
async fn default_media_urls_are_served_by_the_simulator() {
    let sim = start_sim();
    let message = sim.mconnect().build(&Inbound::media(OUR_NUMBER));
    assert_eq!(message.kind, InboundKind::Media);
    for url in [&message.image_url, &message.sender_avatar] {
        assert!(url.starts_with(&sim.base_url()), "{url}");
        let response = client().get(url).send().await.expect("media reachable");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"].to_str().expect("header"), "image/svg+xml");
        let body = response.text().await.expect("svg body");
        assert!(body.starts_with("<svg"), "{body}");
    }
    let missing = client().get(format!("{}/media/image/nope.png", sim.base_url())).send().await.expect("request");
    assert_eq!(missing.status(), 404);
}
