//! The client against mConnect's document: requests equal its examples, answers and webhooks
//! are read as it shows them.

use inbox_fixtures::mconnect as fx;
use serde_json::json;

use super::wire::{parse_send_response, send_file_request, send_text_request, set_webhook_request};
use super::*;
use crate::exchange::ConversationTarget;
use crate::model::{ConversationKind, MessageKind};
use crate::providers::http::lenient_json;
use crate::providers::{WebhookError, WebhookEvent};

fn settings() -> Settings {
    Settings::from_map(
        json!({"base_url": DEFAULT_ENDPOINT, "number": "174000000", "company": "cal4care", "username": "cal4care"})
            .as_object()
            .unwrap(),
    )
    .unwrap()
}

fn target(kind: ConversationKind, id: &str) -> ConversationTarget {
    ConversationTarget {
        conversation_id: "c".into(),
        account_id: "a".into(),
        external_id: id.into(),
        kind,
        ..ConversationTarget::default()
    }
}

fn fixture(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// Shapes must match the document's examples key for key (values differ where the doc masks them).
fn same_keys(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_keys(v, w)))
        }
        (Value::String(_), Value::String(_)) | (Value::Number(_), Value::Number(_)) | (Value::Null, Value::Null) => {
            true
        }
        _ => false,
    }
}

#[test]
fn set_webhook_matches_the_document() {
    let doc = fixture(fx::SET_WEBHOOK);
    let ours = set_webhook_request("170000000", "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/");
    assert!(same_keys(&ours, &doc), "{ours} vs {doc}");
    assert_eq!(ours["element_data"]["action"], "setWebHook");
}

#[test]
fn send_text_matches_the_document() {
    let mut s = settings();
    s.company = "cal4care".into();
    let ours = send_text_request(&s, &target(ConversationKind::Individual, "18456000"), "test");
    let mut doc = fixture(fx::SEND_TEXT);
    doc["element_data"]["from"] = json!("174000000");
    doc["element_data"]["to"] = json!("18456000");
    assert_eq!(ours, doc);
}

#[test]
fn group_text_sets_is_group_and_sends_from_the_group() {
    let ours = send_text_request(&settings(), &target(ConversationKind::Group, "6582986675-1502710128"), "testc api");
    let doc = fixture(fx::GROUP_REPLY);
    assert!(same_keys(&ours, &doc));
    assert_eq!(ours["element_data"]["is_group"], "1");
    assert_eq!(ours["element_data"]["from"], "6582986675-1502710128");
    assert_eq!(ours["element_data"]["to"], "174000000");
}

#[test]
fn send_file_matches_the_document() {
    let ours = send_file_request(
        &settings(),
        &target(ConversationKind::Individual, "918000000"),
        "https://example.com/test.jpeg",
        Some("demo"),
        None,
    );
    let mut doc = fixture(fx::SEND_FILE);
    doc["element_data"]["from"] = json!("174000000");
    doc["element_data"]["to"] = json!("918000000");
    assert_eq!(ours, doc);
}

#[test]
fn text_with_quotes_and_newlines_is_valid_json() {
    let text = "She said \"hi\"\nand left \\ here";
    let ours = send_text_request(&settings(), &target(ConversationKind::Individual, "5511999990000"), text);
    let wire = serde_json::to_string(&ours).unwrap();
    let back: Value = serde_json::from_str(&wire).unwrap();
    assert_eq!(back["element_data"]["message"], text);
}

#[test]
fn send_answers_as_documented() {
    assert_eq!(
        parse_send_response(200, fx::SEND_TEXT_SUCCESS).unwrap().as_deref(),
        Some("true_918489514086@c.us_3EB013E4277919A8B677")
    );
    let failure = parse_send_response(200, fx::SEND_TEXT_FAILURE).unwrap_err();
    assert!(failure.0.contains("not-sent"), "{failure}");
    assert_eq!(parse_send_response(200, fx::SEND_FILE_SUCCESS).unwrap(), None);
    assert!(parse_send_response(200, fx::SEND_FILE_FAILURE).unwrap_err().0.contains("not-sent"));
    assert!(parse_send_response(502, "<html>Bad gateway</html>").unwrap_err().0.contains("HTTP 502"));
    assert!(parse_send_response(500, r#"{"status":"true"}"#).is_err());
}

#[test]
fn lenient_json_keeps_commas_inside_strings() {
    let v = lenient_json(r#"{"a": "x, }", "b": [1, 2,], }"#).unwrap();
    assert_eq!(v, json!({"a": "x, }", "b": [1, 2]}));
}

#[test]
fn inbound_text_from_the_document() {
    let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_TEXT.as_bytes()).unwrap() else { panic!() };
    let doc = fixture(fx::INBOUND_TEXT);
    assert_eq!(m.conversation_kind, ConversationKind::Individual);
    assert_eq!(m.conversation_external_id, doc["from"].as_str().unwrap());
    assert_eq!(m.kind, MessageKind::Text);
    assert_eq!(m.body.as_deref(), Some("test"));
    assert_eq!(m.sender_name.as_deref(), Some("Selva"));
    assert_eq!(m.title, "Selva");
    assert_eq!(m.provider_message_id, "false_918489514086@c.us_3EB0D0E65F495E0160A7");
    assert_eq!(m.sent_at.timestamp(), 1600316758);
    let contact = m.contact.as_ref().unwrap();
    assert_eq!(contact.avatar_url.as_deref(), doc["sender"].as_str());
    assert_eq!(m.avatar_url.as_deref(), doc["sender"].as_str());
}

#[test]
fn inbound_media_from_the_document() {
    let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_MEDIA.as_bytes()).unwrap() else { panic!() };
    assert_eq!(m.kind, MessageKind::Image);
    assert_eq!(m.media_url.as_deref(), Some("https://omni.mconnectapps.com/api/v1.0/whatsapp_image/1600317556.jpeg"));
    assert_eq!(m.body, None);
    assert_eq!(m.sender_name.as_deref(), Some("Rashid"));
}

#[test]
fn inbound_group_text_from_the_document() {
    let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_GROUP_TEXT.as_bytes()).unwrap() else { panic!() };
    let doc = fixture(fx::INBOUND_GROUP_TEXT);
    assert_eq!(m.conversation_kind, ConversationKind::Group);
    assert_eq!(m.conversation_external_id, doc["from"].as_str().unwrap());
    assert_eq!(m.title, "cal4care");
    assert_eq!(m.sender_name.as_deref(), Some("Jhones"));
    assert_eq!(m.avatar_url.as_deref(), doc["group_icon"].as_str());
    assert!(m.contact.is_none());
    assert_eq!(m.body.as_deref(), Some("test"));
}

#[test]
fn inbound_group_media_with_null_sender_from_the_document() {
    let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_GROUP_MEDIA.as_bytes()).unwrap() else { panic!() };
    assert_eq!(m.conversation_kind, ConversationKind::Group);
    assert_eq!(m.kind, MessageKind::Image);
    assert_eq!(m.media_url.as_deref(), Some("https://example.com/1600317960.jpeg"));
    assert_eq!(m.caption, None);
}

#[test]
fn bad_webhooks_are_refused_with_reasons() {
    assert!(matches!(parse_webhook(b"{not json"), Err(WebhookError::InvalidJson(_))));
    let missing = parse_webhook(br#"{"from":"5511","to":"174","time":"1600316758","chat_msg":"x"}"#).unwrap_err();
    assert_eq!(missing, WebhookError::Invalid("missing field `message_id`".into()));
    let no_content = parse_webhook(br#"{"from":"5511","to":"174","time":"1","message_id":"false_x"}"#).unwrap_err();
    assert!(matches!(no_content, WebhookError::Invalid(_)));
    let bad_time =
        parse_webhook(br#"{"from":"5511","to":"174","time":"soon","message_id":"m","chat_msg":"x"}"#).unwrap_err();
    assert!(matches!(bad_time, WebhookError::Invalid(m) if m.contains("time")));
    assert!(matches!(parse_webhook(br#"{"from": 5}"#), Err(WebhookError::Invalid(_))));
    assert!(matches!(
        parse_webhook(br#"{"from":"status@broadcast","to":"174","time":"1","message_id":"false_status@broadcast_1","chat_msg":"x"}"#),
        Ok(WebhookEvent::Ignored(_))
    ));
}

#[test]
fn settings_are_validated() {
    let bad = |v: Value| Settings::from_map(v.as_object().unwrap()).unwrap_err().public_message();
    assert!(
        bad(json!({"base_url": "ftp://x", "number": "5511999990000", "company": "c", "username": "u"}))
            .contains("base_url")
    );
    assert!(
        bad(json!({"base_url": DEFAULT_ENDPOINT, "number": "12ab", "company": "c", "username": "u"}))
            .contains("number")
    );
    assert!(bad(json!({"base_url": DEFAULT_ENDPOINT, "number": "5511999990000", "username": "u"})).contains("company"));
    let ok = Settings::from_map(
        json!({"base_url": DEFAULT_ENDPOINT, "number": "+5511999990000", "company": "c", "username": "u"})
            .as_object()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(ok.number, "5511999990000");
}
