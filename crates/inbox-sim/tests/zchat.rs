//! The fake ZChat/Omnize API and its control routes, over real HTTP, driven with the documents'
//! own examples.

mod common;

use axum::http::StatusCode;
use common::*;
use inbox_sim::fixtures::{commented_json, zchat as fx};
use inbox_sim::zchat::{DEFAULT_TOKEN, DepartmentsPath, Trigger, TriggerEvent, WhatsappAnswer};
use inbox_sim::{FireResult, SimHandle};
use serde_json::{Value, json};

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

/// A request example with the simulator's token, and its history URL (if any) pointed at `history`.
fn example(text: &str, history: Option<&str>) -> Value {
    let mut body = serde_json::from_str(text).ok().or_else(|| commented_json(text)).expect("example");
    body["token"] = json!(DEFAULT_TOKEN);
    if let Some(url) = history {
        body["external_history"] = json!(url);
    }
    body
}

async fn send(method: reqwest::Method, url: &str, body: &Value) -> (u16, String) {
    let response = client().request(method, url).json(body).send().await.expect("request reaches the simulator");
    let status = response.status().as_u16();
    (status, response.text().await.expect("answer body"))
}

async fn json_call(method: reqwest::Method, url: &str, body: &Value) -> (u16, Value) {
    let (status, text) = send(method, url, body).await;
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("answer is JSON: {text}")))
}

fn api(sim: &SimHandle, path: &str) -> String {
    format!("{}{path}", sim.zchat_url())
}

fn control(sim: &SimHandle, path: &str) -> String {
    format!("{}/_sim/zchat{path}", sim.base_url())
}

/// A server answering `GET /history` with the document's history example.
async fn history_server() -> String {
    let app = axum::Router::new().route(
        "/history/{token}",
        axum::routing::get(|| async { ([("content-type", "application/json")], fx::EXTERNAL_HISTORY) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/history/t0k3n")
}

fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    keys
}

async fn start_interaction(sim: &SimHandle) -> String {
    let (status, answer) =
        json_call(reqwest::Method::POST, &api(sim, "/core/api/v1/interactions"), &example(fx::START_INTERACTION, None))
            .await;
    assert_eq!(status, 200, "{answer}");
    answer["data"]["interaction_hash"].as_str().unwrap().to_owned()
}

#[test]
fn every_fixture_is_json_or_the_documented_exception() {
    for (name, text) in fx::ALL {
        if name.ends_with(".json") {
            assert!(serde_json::from_str::<Value>(text).is_ok_and(|v| v.is_object()), "{name}");
        } else {
            assert!(serde_json::from_str::<Value>(text).is_err(), "{name} is kept because it is not JSON");
            assert!(commented_json(text).is_some_and(|v| v.is_object()), "{name} has JSON content");
        }
    }
    let wa = commented_json(fx::WA_SEND_MESSAGE).unwrap();
    assert_eq!(keys(&wa["customer"]), ["cpf", "email", "external_id", "name", "phone"]);
    assert_eq!(wa["external_history"], "chathistory.example.org");
}

#[tokio::test]
async fn the_documented_start_opens_an_interaction_and_reads_its_history() {
    let sim = start_sim();
    let history = history_server().await;
    let (status, answer) = json_call(
        reqwest::Method::POST,
        &api(&sim, "/core/api/v1/interactions"),
        &example(fx::START_INTERACTION, Some(&history)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(keys(&answer), keys(&doc(fx::START_INTERACTION_SUCCESS)));
    assert_eq!(answer["message"], "Interaction created successfully");
    let hash = answer["data"]["interaction_hash"].as_str().unwrap();
    let interaction = sim.zchat().interaction(hash).unwrap();
    assert_eq!(interaction.customer, doc(fx::START_INTERACTION)["customer"]);
    assert_eq!(interaction.extra, json!({"clientId": "any", "botId": "any"}));
    assert_eq!((interaction.department_id, interaction.media_type.as_str()), (1, "TEXT"));
    let fetches = sim.zchat().history_fetches();
    assert_eq!(fetches.len(), 1);
    assert_eq!((fetches[0].interaction_hash.as_str(), fetches[0].status), (hash, Some(200)));
    assert_eq!(fetches[0].body, Some(doc(fx::EXTERNAL_HISTORY)));
    assert_eq!(sim.requests()[0].provider, "zchat");
}

#[tokio::test]
async fn a_history_that_cannot_be_read_is_recorded_not_fatal() {
    let sim = start_sim();
    let mut body = example(fx::START_INTERACTION, Some("chathistory.example.org"));
    body["media_type"] = Value::Null;
    let (status, _) = json_call(reqwest::Method::POST, &api(&sim, "/core/api/v1/interactions"), &body).await;
    assert_eq!(status, 200);
    let fetch = &sim.zchat().history_fetches()[0];
    assert_eq!((fetch.status, fetch.error.as_deref()), (None, Some("not an http(s) URL")));
    assert_eq!(sim.zchat().interactions()[0].media_type, "TEXT", "null is saved as TEXT");
}

#[tokio::test]
async fn tokens_are_checked() {
    let sim = start_sim();
    let url = api(&sim, "/core/api/v1/interactions");
    let mut body = example(fx::START_INTERACTION, None);
    body["token"] = json!("nope");
    assert_eq!(
        json_call(reqwest::Method::POST, &url, &body).await,
        (401, json!({"message": "Invalid token.", "status": 401}))
    );
    body.as_object_mut().unwrap().remove("token");
    assert_eq!(json_call(reqwest::Method::POST, &url, &body).await.0, 401);
    let (status, text) = send(reqwest::Method::POST, &url, &json!("not an object")).await;
    assert_eq!(status, 400, "{text}");
    sim.zchat().set_token("other");
    assert_eq!(json_call(reqwest::Method::POST, &url, &example(fx::START_INTERACTION, None)).await.0, 401);
}

#[tokio::test]
async fn bad_starts_answer_the_documented_error() {
    let sim = start_sim();
    let url = api(&sim, "/core/api/v1/interactions");
    for (change, message) in [
        (json!({"department_id": 99}), "Department 99 not found."),
        (json!({"department_id": 3}), "Department 3 is not active."),
        (json!({"department_id": "1"}), "The department id field is required and must be an integer."),
        (json!({"media_type": "FAX"}), "The media type \"FAX\" is invalid."),
        (json!({"customer": "Ana"}), "The customer field must be an object."),
    ] {
        let mut body = example(fx::START_INTERACTION, None);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = json_call(reqwest::Method::POST, &url, &body).await;
        assert_eq!(status, 422, "{change}");
        assert_eq!(keys(&answer), keys(&doc(fx::ERROR)));
        assert_eq!(answer, json!({"message": message, "status": 422}));
    }
    assert!(sim.zchat().interactions().is_empty());
}

#[tokio::test]
async fn messages_update_typing_and_finish_as_documented() {
    let sim = start_sim();
    let hash = start_interaction(&sim).await;
    let path = |tail: &str| api(&sim, &format!("/core/api/v1/interactions/{hash}{tail}"));

    let (status, answer) = json_call(reqwest::Method::POST, &path("/messages"), &example(fx::SEND_MESSAGE, None)).await;
    assert_eq!(status, 200);
    let mut expected = doc(fx::SEND_MESSAGE_SUCCESS);
    expected["data"]["interaction_hash"] = json!(hash);
    assert_eq!(answer, expected);
    let text = json!({"token": DEFAULT_TOKEN, "content": "oi"});
    assert_eq!(json_call(reqwest::Method::POST, &path("/messages"), &text).await.0, 200);
    let sent = sim.zchat().interaction(&hash).unwrap().messages;
    assert_eq!(
        (sent[0].kind.as_str(), sent[0].url.as_deref()),
        ("image", Some("https://omz-logos.s3.amazonaws.com/logo_omz.png"))
    );
    assert_eq!((sent[1].kind.as_str(), sent[1].content.as_str()), ("text", "oi"), "null type is text");
    for (body, message) in [
        (json!({"token": DEFAULT_TOKEN, "type": "text"}), "The content field is required."),
        (json!({"token": DEFAULT_TOKEN, "content": "x", "type": "image"}), "The url field is required for files."),
    ] {
        assert_eq!(
            json_call(reqwest::Method::POST, &path("/messages"), &body).await,
            (422, json!({"message": message, "status": 422}))
        );
    }
    let unknown = api(&sim, "/core/api/v1/interactions/nope/messages");
    assert_eq!(json_call(reqwest::Method::POST, &unknown, &text).await.0, 404);

    let (status, answer) = json_call(reqwest::Method::PUT, &path(""), &example(fx::UPDATE_INTERACTION, None)).await;
    assert_eq!((status, answer), (200, doc(fx::UPDATE_INTERACTION_SUCCESS)));
    let mut update = doc(fx::UPDATE_INTERACTION);
    update.as_object_mut().unwrap().remove("token");
    assert_eq!(sim.zchat().interaction(&hash).unwrap().updates, vec![update]);
    let bad_mood = json!({"token": DEFAULT_TOKEN, "mood": "HAPPY"});
    assert_eq!(json_call(reqwest::Method::PUT, &path(""), &bad_mood).await.0, 422);

    let token_only = example(fx::TOKEN_ONLY, None);
    assert_eq!(json_call(reqwest::Method::PUT, &path("/typing"), &token_only).await.0, 200);
    assert!(sim.zchat().interaction(&hash).unwrap().client_typing);
    assert_eq!(json_call(reqwest::Method::PUT, &path("/cleared"), &token_only).await.0, 200);
    assert!(!sim.zchat().interaction(&hash).unwrap().client_typing);
    assert_eq!(json_call(reqwest::Method::PUT, &path("/finish"), &token_only).await.0, 200);
    assert!(sim.zchat().interaction(&hash).unwrap().finished);
    assert_eq!(
        json_call(reqwest::Method::PUT, &path("/finish"), &token_only).await,
        (422, json!({"message": "Interaction already finished.", "status": 422}))
    );
    assert_eq!(json_call(reqwest::Method::POST, &path("/messages"), &text).await.0, 422);
}

#[tokio::test]
async fn whatsapp_messages_answer_in_each_published_way() {
    let sim = start_sim();
    let history = history_server().await;
    let url = api(&sim, "/api/v1/whatsapp");
    let body = example(fx::WA_SEND_MESSAGE, Some(&history));
    assert_eq!(body["content_type"], "image/png", "the document's MIME type is accepted");

    let (status, answer) = json_call(reqwest::Method::POST, &url, &body).await;
    assert_eq!(status, 200);
    assert_eq!(keys(&answer), keys(&doc(fx::WA_SEND_MESSAGE_SUCCESS)));
    let interaction = sim.zchat().open_interaction_of("abcd1234").unwrap();
    assert_eq!(interaction.messages[0].kind, "image", "kept in the short form");
    assert_eq!(answer["data"]["message_hash"].as_str(), interaction.messages[0].message_hash.as_deref());
    assert_eq!(sim.zchat().history_fetches()[0].body, Some(doc(fx::EXTERNAL_HISTORY)));

    sim.zchat().set_whatsapp_answer(WhatsappAnswer::Plain);
    let (status, answer) = json_call(reqwest::Method::POST, &url, &body).await;
    assert_eq!((status, answer), (200, doc(fx::WA_SEND_MESSAGE_SUCCESS_PLAIN)));
    sim.zchat().set_whatsapp_answer(WhatsappAnswer::TrailingComma);
    let (status, text) = send(reqwest::Method::POST, &url, &body).await;
    assert_eq!((status, text.as_str()), (200, fx::WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA));
    let same = sim.zchat().open_interaction_of("abcd1234").unwrap();
    assert_eq!((same.hash, same.messages.len()), (interaction.hash, 3), "one open interaction per customer");

    let mut anonymous = body.clone();
    anonymous["customer"].as_object_mut().unwrap().remove("external_id");
    assert_eq!(
        json_call(reqwest::Method::POST, &url, &anonymous).await,
        (422, json!({"message": "The customer.external_id field is required.", "status": 422}))
    );
    let mut elsewhere = body.clone();
    elsewhere["department_id"] = json!(42);
    assert_eq!(json_call(reqwest::Method::POST, &url, &elsewhere).await.0, 422);
}

#[tokio::test]
async fn whatsapp_typing_was_removed_unless_switched_on() {
    let sim = start_sim();
    let typing = api(&sim, "/api/v1/whatsapp/typing");
    let cleared = api(&sim, "/api/v1/interactions/cleared");
    let body = example(fx::WA_TYPING, None);
    assert_eq!(
        json_call(reqwest::Method::PUT, &typing, &body).await,
        (404, json!({"message": "Not Found", "status": 404}))
    );
    assert_eq!(json_call(reqwest::Method::PUT, &cleared, &example(fx::WA_CLEARED, None)).await.0, 404);
    assert_eq!(sim.requests().len(), 2, "recorded all the same");
    sim.zchat().set_whatsapp_typing(true);
    assert_eq!(json_call(reqwest::Method::PUT, &typing, &body).await.0, 200);
    assert_eq!(json_call(reqwest::Method::PUT, &cleared, &body).await.0, 200);
    assert_eq!(json_call(reqwest::Method::PUT, &typing, &json!({"token": DEFAULT_TOKEN})).await.0, 422);
}

#[tokio::test]
async fn departments_live_where_the_settings_say() {
    let sim = start_sim();
    let get = |path: &str, token: &str| {
        let url = format!("{}{path}?token={token}", sim.zchat_url());
        async move {
            let response = client().get(url).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, current) = get("/api/external/departments", DEFAULT_TOKEN).await;
    assert_eq!(status, 200);
    let list = current["data"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(
        keys(&list[0]),
        ["agents", "bot_id", "channels", "id", "name", "queue", "queued_max_time", "ringing_max_time", "state"]
    );
    assert_eq!(list[2]["state"], 0);
    assert_eq!(get("/api/v1/departments", DEFAULT_TOKEN).await, (404, json!({"message": "Not Found", "status": 404})));
    assert_eq!(get("/api/external/departments", "wrong").await.0, 401);

    sim.zchat().set_departments_path(DepartmentsPath::Legacy);
    let (status, old) = get("/api/v1/departments", DEFAULT_TOKEN).await;
    assert_eq!((status, &old), (200, &current["data"]), "the seed's route answers a bare list");
    assert_eq!(get("/api/external/departments", DEFAULT_TOKEN).await.0, 404);
    sim.zchat().set_departments_path(DepartmentsPath::Both);
    assert_eq!(get("/api/external/departments", DEFAULT_TOKEN).await.0, 200);
    assert_eq!(get("/api/v1/departments", DEFAULT_TOKEN).await.0, 200);
}

#[tokio::test]
async fn injected_failures_and_settings_through_the_control_api() {
    let sim = start_sim();
    let answer =
        post_json(&control(&sim, "/fail-next"), &json!({"count": 1, "status": 503, "message": "Manutenção"})).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["fail_next"], 1);
    let url = api(&sim, "/core/api/v1/interactions");
    assert_eq!(
        json_call(reqwest::Method::POST, &url, &example(fx::START_INTERACTION, None)).await,
        (503, json!({"message": "Manutenção", "status": 503}))
    );
    assert_eq!(json_call(reqwest::Method::POST, &url, &example(fx::START_INTERACTION, None)).await.0, 200);
    assert_eq!(post_json(&control(&sim, "/fail-next"), &json!({"count": 1, "status": 200})).await.status, 400);

    let settings = post_json(
        &control(&sim, "/settings"),
        &json!({"whatsapp_answer": "trailing_comma", "departments_path": "both", "whatsapp_typing": true}),
    )
    .await
    .json();
    assert_eq!(settings["whatsapp_answer"], "trailing_comma");
    assert_eq!(settings["departments_path"], "both");
    assert!(sim.zchat().settings().whatsapp_typing);
    let interactions: Value = client().get(control(&sim, "/interactions")).send().await.unwrap().json().await.unwrap();
    assert_eq!(interactions.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_trigger_fires_at_the_webhook_url_in_its_documented_shape() {
    let sim = start_sim();
    let no_webhook =
        post_json(&control(&sim, "/trigger"), &json!({"interaction_hash": "h", "event": {"kind": "accepted"}})).await;
    assert_eq!(no_webhook.status, 409);

    let mut receiver = Receiver::start(StatusCode::OK).await;
    assert_eq!(post_json(&control(&sim, "/webhook"), &json!({"url": "ftp://x"})).await.status, 400);
    let set = post_json(&control(&sim, "/webhook"), &json!({"url": receiver.url})).await;
    assert_eq!(set.json(), json!({"url": receiver.url}));

    let hash = start_interaction(&sim).await;
    for (event, fixture) in [
        (json!({"kind": "queued", "position": 1}), fx::TRIGGER_QUEUED),
        (json!({"kind": "accepted"}), fx::TRIGGER_ACCEPTED),
        (json!({"kind": "unavailable"}), fx::TRIGGER_UNAVAILABLE),
        (json!({"kind": "typing"}), fx::TRIGGER_TYPING),
        (json!({"kind": "cleared"}), fx::TRIGGER_CLEARED),
        (
            json!({"kind": "agent_message", "content": "Message", "type": "text", "agent_name": "Atendente"}),
            fx::TRIGGER_AGENT_MESSAGE,
        ),
        (json!({"kind": "finished"}), fx::TRIGGER_FINISHED),
    ] {
        let answer = post_json(&control(&sim, "/trigger"), &json!({"interaction_hash": hash, "event": event})).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let fired: FireResult = serde_json::from_str(&answer.body).unwrap();
        let received = receiver.next().await.json();
        assert_eq!(received, fired.payload);
        assert_eq!(keys(&received), keys(&doc(fixture)), "{event}");
        assert_eq!(received["interaction_hash"], json!(hash));
        // The interaction's extra comes back, as documented.
        assert_eq!(received["extra"], json!({"clientId": "any", "botId": "any"}));
    }
    assert!(sim.zchat().interaction(&hash).unwrap().finished);

    // The WhatsApp flavour, about the customer's open interaction.
    let body = example(fx::WA_SEND_MESSAGE, None);
    json_call(reqwest::Method::POST, &api(&sim, "/api/v1/whatsapp"), &body).await;
    let open = sim.zchat().open_interaction_of("abcd1234").unwrap();
    for (event, fixture) in [
        (TriggerEvent::Typing, fx::WA_TRIGGER_TYPING),
        (TriggerEvent::Cleared, fx::WA_TRIGGER_CLEARED),
        (TriggerEvent::agent_text("Message", "Agent"), fx::WA_TRIGGER_AGENT_MESSAGE),
        (TriggerEvent::Transferred { department_id: 1545 }, fx::WA_TRIGGER_TRANSFERRED),
        (TriggerEvent::Finished, fx::WA_TRIGGER_FINISHED),
    ] {
        let fired = sim.zchat().fire(Trigger::whatsapp("abcd1234", event)).await.unwrap();
        let received = receiver.next().await.json();
        assert_eq!(received, fired.payload);
        assert_eq!(keys(&received), keys(&doc(fixture)));
        assert_eq!(received["interaction_hash"], json!(open.hash));
        assert_eq!(received["external_id"], "abcd1234");
    }
    let transferred = sim.zchat().interaction(&open.hash).unwrap();
    assert_eq!((transferred.department_id, transferred.finished), (1545, true));
    assert!(sim.zchat().open_interaction_of("abcd1234").is_none(), "the next message opens a new one");

    let raw = post_json(&control(&sim, "/trigger-raw"), &json!({"body": "{not json"})).await;
    assert_eq!(raw.status, 200);
    assert_eq!(receiver.next().await.body, "{not json");
    assert!(receiver.nothing_pending());
}

#[tokio::test]
async fn a_start_can_be_queued_before_it_is_answered() {
    let sim = start_sim();
    let mut receiver = Receiver::start(StatusCode::OK).await;
    sim.zchat().set_webhook(&receiver.url);
    sim.zchat().set_queue_on_start(Some(4));
    let hash = start_interaction(&sim).await;
    let queued = receiver.next().await.json();
    assert_eq!(queued["interaction_hash"], json!(hash));
    assert_eq!((queued["state"].clone(), queued["position"].clone()), (json!("queued"), json!(4)));
}

#[tokio::test]
async fn the_whatsapp_flavour_can_have_its_own_webhook_url() {
    let sim = start_sim();
    let mut interactions = Receiver::start(StatusCode::OK).await;
    let mut whatsapp = Receiver::start(StatusCode::OK).await;
    sim.zchat().set_webhook(&interactions.url);

    // Until one is set apart, both flavours' triggers go to the one URL.
    let body = example(fx::WA_SEND_MESSAGE, None);
    json_call(reqwest::Method::POST, &api(&sim, "/api/v1/whatsapp"), &body).await;
    sim.zchat().fire(Trigger::whatsapp("abcd1234", TriggerEvent::Accepted)).await.unwrap();
    assert_eq!(interactions.next().await.json()["external_id"], "abcd1234");

    let set = post_json(&control(&sim, "/webhook"), &json!({"url": whatsapp.url, "flavour": "whatsapp"})).await;
    assert_eq!(set.json(), json!({"url": interactions.url, "whatsapp_url": whatsapp.url}));
    let hash = start_interaction(&sim).await;
    sim.zchat().fire(Trigger::interaction(&hash, TriggerEvent::Accepted)).await.unwrap();
    sim.zchat().fire(Trigger::whatsapp("abcd1234", TriggerEvent::agent_text("Oi", "Agent"))).await.unwrap();
    // A WhatsApp-flavour interaction named by its hash goes to the WhatsApp URL too.
    let open = sim.zchat().open_interaction_of("abcd1234").unwrap();
    sim.zchat().fire(Trigger::interaction(&open.hash, TriggerEvent::Finished)).await.unwrap();
    assert_eq!(interactions.next().await.json()["interaction_hash"], json!(hash));
    assert_eq!(whatsapp.next().await.json()["message"]["content"], "Oi");
    assert_eq!(whatsapp.next().await.json()["state"], "finished");
    assert!(interactions.nothing_pending());
}

#[tokio::test]
async fn an_interaction_opened_before_the_simulator_started_can_be_restored() {
    let sim = start_sim();
    let hash = "0f1e2d3c-4b5a-4678-a9b0-c1d2e3f4a5b6";
    let url = api(&sim, &format!("/core/api/v1/interactions/{hash}/messages"));
    let message = json!({"token": DEFAULT_TOKEN, "content": "Olá", "type": "text"});
    assert_eq!(json_call(reqwest::Method::POST, &url, &message).await.0, 404);
    assert!(sim.zchat().restore_interaction(hash, 2, json!({"name": "Carla"})));
    assert!(!sim.zchat().restore_interaction(hash, 2, json!({})), "a known hash is left alone");
    let (status, answer) = json_call(reqwest::Method::POST, &url, &message).await;
    assert_eq!(status, 200, "{answer}");
    let restored = sim.zchat().interaction(hash).unwrap();
    assert_eq!((restored.department_id, restored.messages.len()), (2, 1));
}
