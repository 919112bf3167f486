//! The fake mConnect provider endpoint, over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use inbox_sim::fixtures::mconnect as fixtures;
use serde_json::{Value, json};

fn assert_hex_suffix(id: &str, prefix: &str) {
    let suffix = id.strip_prefix(prefix).unwrap_or_else(|| panic!("{id} starts with {prefix}"));
    assert_eq!(suffix.len(), 20, "{id}");
    assert!(suffix.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)), "{id}");
}

fn not_sent() -> Value {
    json!({ "status": "false", "result": { "data": "not-sent" } })
}

#[tokio::test]
async fn set_webhook_stores_url_per_number() {
    let sim = start_sim();
    let answer = set_webhook(&sim, OUR_NUMBER, "http://127.0.0.1:1/hook/a").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), json!({ "status": "true", "result": { "data": "webhook set" } }));
    set_webhook(&sim, "5521900000000", "http://127.0.0.1:1/hook/b").await;
    // Anyone may overwrite a number's webhook: the last one wins.
    set_webhook(&sim, OUR_NUMBER, "http://127.0.0.1:1/hook/c").await;

    let mconnect = sim.mconnect();
    assert_eq!(mconnect.webhook_for(OUR_NUMBER).as_deref(), Some("http://127.0.0.1:1/hook/c"));
    assert_eq!(mconnect.webhook_for("5521900000000").as_deref(), Some("http://127.0.0.1:1/hook/b"));
    assert_eq!(mconnect.webhook_for("0"), None);
}

#[tokio::test]
async fn set_webhook_without_a_usable_url_is_refused() {
    let sim = start_sim();
    for element_data in [
        json!({ "action": "setWebHook", "wp_num": OUR_NUMBER }),
        json!({ "action": "setWebHook", "wp_num": OUR_NUMBER, "web_hook": "not a url" }),
    ] {
        let answer = post_json(&sim.mconnect_url(), &envelope(element_data)).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["status"], "false");
    }
    assert!(sim.mconnect().webhooks().is_empty());
}

#[tokio::test]
async fn documented_set_webhook_example_is_accepted() {
    let sim = start_sim();
    let answer = post_raw(&sim.mconnect_url(), fixtures::SET_WEBHOOK).await;
    assert_eq!(answer.json()["status"], "true");
    assert_eq!(
        sim.mconnect().webhook_for("170****").as_deref(),
        Some("https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/")
    );
}

#[tokio::test]
async fn send_text_answers_a_whatsapp_web_id() {
    let sim = start_sim();
    let answer = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "Olá!")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/json");
    let json = answer.json();
    assert_eq!(json["status"], "true");
    let id = json["result"]["data"].as_str().expect("id is a string");
    assert_hex_suffix(id, "true_5511912345678@c.us_");
}

#[tokio::test]
async fn group_reply_id_uses_the_group() {
    let sim = start_sim();
    let answer = post_raw(&sim.mconnect_url(), fixtures::GROUP_REPLY).await;
    let json = answer.json();
    assert_eq!(json["status"], "true");
    let id = json["result"]["data"].as_str().expect("id is a string");
    assert_hex_suffix(id, "true_1598e95**99@g.us_");
}

#[tokio::test]
async fn text_ids_differ_between_sends() {
    let sim = start_sim();
    let first = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "a")).await;
    let second = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "a")).await;
    assert_ne!(first.json()["result"]["data"], second.json()["result"]["data"]);
}

#[tokio::test]
async fn send_text_with_missing_or_bad_fields_is_not_sent_with_http_200() {
    let sim = start_sim();
    let complete = send_text_request("5511912345678", "oi");
    for field in ["from", "to", "message", "is_group", "company", "username"] {
        let mut body = complete.clone();
        body["element_data"].as_object_mut().expect("element_data object").remove(field);
        let answer = post_json(&sim.mconnect_url(), &body).await;
        assert_eq!(answer.status, 200, "without {field}");
        assert_eq!(answer.json(), not_sent(), "without {field}");
    }
    let mut numeric_group = complete.clone();
    numeric_group["element_data"]["is_group"] = json!(0);
    assert_eq!(post_json(&sim.mconnect_url(), &numeric_group).await.json(), not_sent());
    let mut odd_group = complete;
    odd_group["element_data"]["is_group"] = json!("yes");
    assert_eq!(post_json(&sim.mconnect_url(), &odd_group).await.json(), not_sent());
}

#[tokio::test]
async fn invalid_json_or_missing_action_is_a_400() {
    let sim = start_sim();
    let invalid = json!({ "status": "false", "result": { "data": "invalid request" } });
    for body in [
        "{not json".to_owned(),
        json!({ "operation": "wp_instance" }).to_string(),
        envelope(json!({ "to": "1" })).to_string(),
        envelope(json!({ "action": 7 })).to_string(),
    ] {
        let answer = post_raw(&sim.mconnect_url(), body.clone()).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.json(), invalid, "{body}");
    }
}

#[tokio::test]
async fn file_send_answers_the_published_invalid_json() {
    let sim = start_sim();
    let answer = post_json(&sim.mconnect_url(), &send_file_request("5511912345678", "nota")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/json");
    assert_eq!(answer.body, "{\n  \"status\": \"true\",\n}");
    assert_eq!(answer.body, fixtures::SEND_FILE_SUCCESS);
    assert!(serde_json::from_str::<Value>(&answer.body).is_err());
}

#[tokio::test]
async fn any_unknown_action_is_a_file_send() {
    let sim = start_sim();
    let body = envelope(json!({
        "action": "sendWhatsappImage",
        "from": OUR_NUMBER,
        "to": "5511912345678",
        "file_url": "https://example.com/a.png",
    }));
    let answer = post_json(&sim.mconnect_url(), &body).await;
    assert_eq!(answer.body, fixtures::SEND_FILE_SUCCESS);

    let documented = post_raw(&sim.mconnect_url(), fixtures::SEND_FILE).await;
    assert_eq!(documented.body, fixtures::SEND_FILE_SUCCESS);
}

#[tokio::test]
async fn file_send_without_file_url_is_not_sent() {
    let sim = start_sim();
    let mut body = send_file_request("5511912345678", "nota");
    body["element_data"].as_object_mut().expect("element_data object").remove("file_url");
    let answer = post_json(&sim.mconnect_url(), &body).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), not_sent());
    let documented: Value = serde_json::from_str(fixtures::SEND_FILE_FAILURE).expect("fixture is JSON");
    assert_eq!(answer.json(), documented);
}

#[tokio::test]
async fn fail_next_fails_exactly_n_sends_of_any_kind() {
    let sim = start_sim();
    sim.mconnect().fail_next_sends(2);
    let url = sim.mconnect_url();

    let first = post_json(&url, &send_text_request("5511912345678", "um")).await;
    let second = post_json(&url, &send_file_request("5511912345678", "dois")).await;
    let third = post_json(&url, &send_text_request("5511912345678", "três")).await;

    assert_eq!(first.json(), not_sent());
    assert_eq!(second.json(), not_sent());
    assert_eq!(third.json()["status"], "true");
    assert_eq!(sim.mconnect().settings().fail_next, 0);
}

#[tokio::test]
async fn set_webhook_does_not_consume_injected_failures() {
    let sim = start_sim();
    sim.mconnect().fail_next_sends(1);
    let answer = set_webhook(&sim, OUR_NUMBER, "http://127.0.0.1:1/hook/x").await;
    assert_eq!(answer.json()["status"], "true");
    assert_eq!(sim.mconnect().settings().fail_next, 1);
}

#[tokio::test]
async fn concat_quirk_fails_quotes_and_newlines_only_when_on() {
    let sim = start_sim();
    let url = sim.mconnect_url();
    let quoted = send_text_request("5511912345678", "o \"melhor\" preço");
    let multiline = send_text_request("5511912345678", "linha 1\nlinha 2");
    let caption = send_file_request("5511912345678", "nota\nfiscal");

    assert_eq!(post_json(&url, &quoted).await.json()["status"], "true");

    sim.mconnect().set_concat_quirk(true);
    assert_eq!(post_json(&url, &quoted).await.json(), not_sent());
    assert_eq!(post_json(&url, &multiline).await.json(), not_sent());
    assert_eq!(post_json(&url, &caption).await.json(), not_sent());
    let plain = send_text_request("5511912345678", "Olá, tudo bem?");
    assert_eq!(post_json(&url, &plain).await.json()["status"], "true");
}

#[tokio::test]
async fn delay_makes_a_short_client_timeout_fire_but_still_records() {
    let sim = start_sim();
    sim.mconnect().set_delay(Duration::from_millis(500));
    let result = client()
        .post(sim.mconnect_url())
        .timeout(Duration::from_millis(100))
        .body(send_text_request("5511912345678", "oi").to_string())
        .send()
        .await;
    assert!(result.is_err_and(|e| e.is_timeout()));
    assert_eq!(sim.requests().len(), 1);

    sim.mconnect().set_delay(Duration::ZERO);
    let answer = post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "oi")).await;
    assert_eq!(answer.json()["status"], "true");
}

#[tokio::test]
async fn every_request_is_recorded_in_order() {
    let sim = start_sim();
    set_webhook(&sim, OUR_NUMBER, "http://127.0.0.1:1/hook/x").await;
    post_json(&sim.mconnect_url(), &send_text_request("5511912345678", "oi")).await;
    post_raw(&sim.mconnect_url(), "{broken").await;

    let requests = sim.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.provider, "mconnect");
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/mconnect/api/v1.0/whatsapp-omni/");
        assert_eq!(request.content_type.as_deref(), Some("application/json"));
    }
    let actions: Vec<_> =
        requests.iter().map(|r| r.body.as_ref().map(|b| b["element_data"]["action"].clone())).collect();
    assert_eq!(actions, [Some(json!("setWebHook")), Some(json!("sendWhatsappText")), None]);
    assert_eq!(requests[2].raw, "{broken");
    assert_eq!(requests[1].body.as_ref().map(|b| b["element_data"]["message"].clone()), Some(json!("oi")));
    assert!(requests[0].received_at <= requests[2].received_at);

    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn wrong_paths_are_recorded_as_unknown() {
    let sim = start_sim();
    let without_slash = format!("{}/mconnect/api/v1.0/whatsapp-omni", sim.base_url());
    let answer = post_json(&without_slash, &send_text_request("5511912345678", "oi")).await;
    assert_eq!(answer.status, 404);
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].provider, "unknown");
    assert_eq!(requests[0].path, "/mconnect/api/v1.0/whatsapp-omni");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sim = start_sim();
    let url = sim.mconnect_url();
    assert_eq!(post_json(&url, &send_text_request("1", "oi")).await.status, 200);
    sim.shutdown().await;
    let after = client().post(&url).body("{}").send().await;
    assert!(after.is_err(), "server still answering after shutdown");
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_server() {
    let sim = start_sim();
    let clone = sim.clone();
    let url = sim.mconnect_url();
    drop(sim);
    // A clone keeps the server alive.
    assert_eq!(post_json(&url, &send_text_request("1", "oi")).await.status, 200);
    drop(clone);
    let mut stopped = false;
    for _ in 0..50 {
        if client().post(&url).body("{}").send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(stopped, "server still answering after the last handle was dropped");
}
