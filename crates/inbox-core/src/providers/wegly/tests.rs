//! Requests against Wegly's document, answers and message objects read leniently, signatures
//! in every accepted encoding, and the webhook events.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{TimeZone, Utc};
use inbox_fixtures::wegly as fx;
use serde_json::json;

use super::webhook::{ChatInfo, message_events, verify_signature};
// `shape`: the request builders of `wire.rs`, under the name these tests have always used.
use super::wire::{self as shape, *};
use super::*;
use crate::model::{
    ConversationStatus, DeliveryStatus, Direction, Interactive, InteractiveButton, InteractiveRow, InteractiveSection,
    Location, MessageKind, Priority, Template, TemplateField,
};
use crate::providers::http::Answer;
use crate::providers::{ChatUpdate, WebhookError, WebhookEvent, WebhookRequest};

const PHONE: &str = "0b28ee57-7a57-4407-a9c5-5cd4e5a5fd6c";
const SECRET: &str = "whsec_test_0123456789";

fn fixture(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn sign_hex(body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn parse(body: &[u8], signature: Option<&str>, secret: Option<&str>) -> Result<Vec<WebhookEvent>, WebhookError> {
    let mut headers = axum::http::HeaderMap::new();
    if let Some(s) = signature {
        headers.insert("x-wegly-signature", s.parse().unwrap());
    }
    let mut secrets = BTreeMap::new();
    if let Some(s) = secret {
        secrets.insert("signing_secret".to_owned(), Sensitive::new(s));
    }
    parse_webhook(&WebhookRequest { headers: &headers, body, secrets: &secrets })
}

fn signed(v: &Value) -> Result<Vec<WebhookEvent>, WebhookError> {
    let body = v.to_string();
    parse(body.as_bytes(), Some(&sign_hex(body.as_bytes())), Some(SECRET))
}

fn template_of_doc() -> Template {
    Template {
        name: "saudacao_inicial".into(),
        language: "pt_BR".into(),
        fields: vec![TemplateField {
            component: "BODY".into(),
            kind: "TEXT".into(),
            index: 1,
            value: "João".into(),
            button_index: None,
            card_index: None,
        }],
        rendered: None,
    }
}

#[test]
fn create_chat_request_equals_the_document() {
    let ours = shape::create_chat(PHONE, "11999999999", None, &template_of_doc());
    assert_eq!(ours, fixture(fx::CREATE_CHAT_REQUEST));
    let named = shape::create_chat(PHONE, "11999999999", Some("João"), &template_of_doc());
    assert_eq!(named["remote_profile_name"], "João");
}

#[test]
fn template_fields_carry_button_and_card_indexes() {
    let mut t = template_of_doc();
    t.fields.push(TemplateField {
        component: "BUTTON".into(),
        kind: "TEXT".into(),
        index: 1,
        value: "abc".into(),
        button_index: Some(0),
        card_index: Some(2),
    });
    let body = shape::template(&t, Some("wamid.X"));
    assert_eq!(body["type"], "template");
    assert_eq!(body["reference_wamid"], "wamid.X");
    assert_eq!(
        body["template_fields"][1],
        json!({"component":"BUTTON","type":"TEXT","index":1,"value":"abc","button_index":0,"card_index":2})
    );
    assert!(body["template_fields"][0].get("button_index").is_none());
}

#[test]
fn create_chat_response_from_the_document() {
    let doc = fixture(fx::CREATE_CHAT_RESPONSE);
    let started = parse_created_chat(&doc).unwrap();
    assert_eq!(started.external_id.as_deref(), Some("3c90c3cc-0d44-4b50-8888-8dd25736052a"));
    // The example's last message is an inbound text (origin wins over from_me), not our template.
    assert_eq!(started.first_message_id, None);
    let chat = started.chat.unwrap();
    assert_eq!(
        chat,
        ChatUpdate {
            title: Some("<string>".into()),
            status: Some(ConversationStatus::Open),
            priority: Some(Priority::LOW),
            unread_count: Some(123),
            window_expires_at: None,
            assignee: Some("<string>".into()),
            avatar_url: None,
            meta: Default::default(),
        }
    );
    // The same chat whose last message is our outbound template gives its id.
    let mut ours = doc.clone();
    ours["last_message"]["origin"] = json!("OUTBOUND");
    ours["last_message"]["type"] = json!("template");
    assert_eq!(
        parse_created_chat(&ours).unwrap().first_message_id.as_deref(),
        Some("3c90c3cc-0d44-4b50-8888-8dd25736052a")
    );
    assert!(parse_created_chat(&json!({"status": "OPEN"})).unwrap_err().0.contains("without a chat id"));
}

#[test]
fn the_window_comes_from_the_chat() {
    let now = Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap();
    let open = json!({"id": "c", "session_expires_at": "2026-01-11T08:00:00Z", "last_customer_msg_at": "2026-01-10T08:00:00Z"});
    assert_eq!(window_of(&open, now), Some(Utc.with_ymd_and_hms(2026, 1, 11, 8, 0, 0).unwrap()));
    let derived = json!({"id": "c", "last_customer_msg_at": "2026-01-10T08:00:00Z"});
    assert_eq!(window_of(&derived, now), Some(Utc.with_ymd_and_hms(2026, 1, 11, 8, 0, 0).unwrap()));
    let never = json!({"id": "c", "session_expires_at": null, "last_customer_msg_at": null});
    assert_eq!(window_of(&never, now), Some(now));
    assert_eq!(window_of(&json!({"id": "c"}), now), None);
    let resolved = json!({"id": "c", "status": "SNOOZED", "priority": 3});
    let u = chat_update(&resolved, now);
    assert_eq!(u.status, Some(ConversationStatus::Snoozed));
    assert_eq!(u.priority, Some(Priority::URGENT));
    assert_eq!(chat_update(&json!({"priority": 7, "status": "LOST"}), now).priority, None);
}

#[test]
fn send_bodies() {
    assert_eq!(shape::text("oi", None), json!({"type": "text", "body": "oi"}));
    assert_eq!(shape::text("oi", Some("wamid.A")), json!({"type": "text", "body": "oi", "reference_wamid": "wamid.A"}));
    assert_eq!(
        shape::media(
            MessageKind::File,
            "https://x/nota.pdf",
            Some("segue"),
            Some("nota.pdf"),
            Some("application/pdf"),
            None
        ),
        json!({"type": "media", "body": "segue", "media": {"url": "https://x/nota.pdf", "media_type": "document", "file_name": "nota.pdf", "mime_type": "application/pdf"}})
    );
    let buttons = Interactive {
        body: "Escolha".into(),
        header: None,
        footer: Some("rodapé".into()),
        buttons: vec![InteractiveButton { id: "s".into(), title: "Sim".into() }],
        list_button: None,
        sections: vec![],
    };
    assert_eq!(
        shape::interactive(&buttons, None),
        json!({"type": "button", "body": "Escolha", "footer": "rodapé", "buttons": [{"id": "s", "title": "Sim"}]})
    );
    let list = Interactive {
        body: "Menu".into(),
        header: Some("Loja".into()),
        footer: None,
        buttons: vec![],
        list_button: Some("Ver".into()),
        sections: vec![InteractiveSection {
            title: "A".into(),
            rows: vec![InteractiveRow { id: "1".into(), title: "Um".into(), description: Some("d".into()) }],
        }],
    };
    let wire = shape::interactive(&list, Some("wamid.Q"));
    assert_eq!(
        wire,
        json!({"type": "list", "body": "Menu", "header": "Loja", "button": "Ver", "reference_wamid": "wamid.Q",
               "sections": [{"title": "A", "rows": [{"id": "1", "title": "Um", "description": "d"}]}]})
    );
    // What we send reads back as the same model (Wegly's echo carries it as content_payload).
    assert_eq!(interactive_of(&wire).unwrap(), list);
    let l = Location { latitude: -23.5, longitude: -46.6, name: Some("Loja".into()), address: None };
    assert_eq!(shape::location(&l, None), json!({"latitude": -23.5, "longitude": -46.6, "name": "Loja"}));
    assert_eq!(location_of(&shape::location(&l, None)).unwrap(), l);
}

#[test]
fn media_types_whatsapp_refuses_are_caught() {
    assert!(check_media_type(MessageKind::Image, "foto.png").is_ok());
    assert!(check_media_type(MessageKind::Image, "https://x/y?sig=1").is_ok());
    assert!(check_media_type(MessageKind::Image, "anim.gif").unwrap_err().0.contains("JPEG or PNG"));
    assert!(check_media_type(MessageKind::Sticker, "s.png").is_err());
    assert!(check_media_type(MessageKind::File, "planilha.xlsx").is_ok());
    assert_eq!(mime_of("a.JPG"), Some("image/jpeg"));
}

#[test]
fn failures_read_wegly_messages() {
    let a = Answer { status: 422, text: r#"{"statusCode":422,"message":"Fora da janela de 24 horas"}"#.into() };
    assert_eq!(failure(&a).0, "Wegly refused it (HTTP 422): Fora da janela de 24 horas.");
    let b = Answer {
        status: 400,
        text: r#"{"statusCode":400,"message":["body must be a string","type is invalid"],"error":"Bad Request"}"#
            .into(),
    };
    assert_eq!(failure(&b).0, "Wegly refused it (HTTP 400): body must be a string; type is invalid.");
    let c = Answer { status: 401, text: r#"{"message":"Unauthorized"}"#.into() };
    assert!(failure(&c).0.contains("Check the integration token"));
    let d = Answer { status: 502, text: "<html>bad gateway</html>".into() };
    assert_eq!(failure(&d).0, "Wegly refused it (HTTP 502): <html>bad gateway</html>");
}

#[test]
fn settings_are_validated() {
    let s = |v: Value| Settings::from_map(v.as_object().unwrap());
    let ok = s(json!({"whatsapp_phone_id": PHONE.to_uppercase(), "origin": "https://crm.example.com/app"})).unwrap();
    assert_eq!(ok.base_url.as_str(), "https://api.wegly.com.br/integrations/external");
    assert_eq!(ok.whatsapp_phone_id, PHONE);
    assert_eq!(ok.origin.as_deref(), Some("https://crm.example.com"));
    assert_eq!(ok.to_map()["base_url"], DEFAULT_BASE_URL);
    assert!(s(json!({})).unwrap_err().public_message().contains("whatsapp_phone_id"));
    assert!(s(json!({"whatsapp_phone_id": "123"})).unwrap_err().public_message().contains("UUID"));
    assert!(
        s(json!({"whatsapp_phone_id": PHONE, "base_url": "ftp://x"}))
            .unwrap_err()
            .public_message()
            .contains("base_url")
    );
    assert!(s(json!({"whatsapp_phone_id": PHONE, "origin": "nope"})).is_err());
    assert!(wa_contact_id("+55 (11) 99999-9999").unwrap() == "5511999999999");
    assert!(wa_contact_id("abc").is_err());
}

#[test]
fn signatures_in_every_accepted_encoding() {
    use hmac::{Hmac, Mac};
    let body = br#"{"event_key":"lead.created","payload":{}}"#;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    let raw = mac.finalize().into_bytes();
    let e = &base64::engine::general_purpose::STANDARD;
    let u = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for good in
        [hex::encode(raw), hex::encode_upper(raw), e.encode(raw), u.encode(raw), format!("sha256={}", hex::encode(raw))]
    {
        assert!(verify_signature(SECRET, body, &good), "{good}");
        assert!(parse(body, Some(&good), Some(SECRET)).is_ok());
    }
    let wrong = hex::encode([0u8; 32]);
    for (sig, secret) in [
        (Some(wrong.as_str()), Some(SECRET)),
        (None, Some(SECRET)),
        (Some("zz"), Some(SECRET)),
        (Some(&hex::encode(raw)), None),
    ] {
        assert!(matches!(parse(body, sig, secret), Err(WebhookError::Unauthorized(_))), "{sig:?} {secret:?}");
    }
    assert!(!verify_signature("other", body, &hex::encode(raw)));
    assert!(!verify_signature(SECRET, b"{\"event_key\":\"lead.created\",\"payload\":{ }}", &hex::encode(raw)));
    // Signed but not JSON: refused as such only after the signature matched.
    let not_json = b"{oops";
    assert!(matches!(parse(not_json, Some(&sign_hex(not_json)), Some(SECRET)), Err(WebhookError::InvalidJson(_))));
}

fn chat_json() -> Value {
    json!({"id": "c1", "wa_contact_id": "5511999990000", "contact_name": "Ana", "status": "OPEN", "priority": 1,
           "unread_count": 2, "assigned_agent": {"agent_id": "a", "user": {"id": "u", "name": "Bia"}}})
}

#[test]
fn customer_message_opens_the_window_and_carries_reactions() {
    let delivery = json!({"event_key": "chat.message_received", "payload": {"chat": chat_json(), "message": {
        "id": "m1", "chat_id": "c1", "wamid": "wamid.1", "type": "text", "origin": "INBOUND", "from_me": false,
        "status": "received", "body_text": "Oi", "meta_timestamp": "1767225600",
        "quoted_message": {"id": "m0", "wamid": "wamid.0"},
        "reactions": [{"emoji": "👍", "actor": "CONTACT", "reactor_wa_id": "5511999990000"}]}}});
    let events = signed(&delivery).unwrap();
    assert_eq!(events.len(), 3, "{events:?}");
    let WebhookEvent::Message(m) = &events[0] else { panic!("{events:?}") };
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(m.conversation_external_id, "c1");
    assert_eq!(m.title, "Ana");
    assert_eq!(m.provider_message_id, "m1");
    assert_eq!(m.quoted_provider_message_id.as_deref(), Some("m0"));
    assert_eq!(m.sender_name.as_deref(), Some("Ana"));
    assert_eq!(m.contact.as_ref().unwrap().external_id, "5511999990000");
    assert_eq!(m.sent_at.timestamp(), 1767225600);
    let WebhookEvent::Chat { conversation, update } = &events[1] else { panic!() };
    assert_eq!(conversation.external_id, "c1");
    assert_eq!(update.window_expires_at.unwrap().timestamp(), 1767225600 + 86400);
    assert_eq!(update.assignee.as_deref(), Some("Bia"));
    assert_eq!((update.unread_count, update.status, update.priority), (None, None, None));
    assert_eq!(
        events[2],
        WebhookEvent::Reaction {
            provider_message_id: "m1".into(),
            reactor: "5511999990000".into(),
            emoji: Some("👍".into()),
            from_me: false
        }
    );
}

#[test]
fn outbound_echo_media_and_statuses() {
    let delivery = json!({"event_key": "chat.message_sent", "payload": {"chat_id": "c1", "message": {
        "id": "m2", "type": "document", "origin": "OUTBOUND", "from_me": true, "status": "delivered",
        "body_text": "segue", "user": {"id": "u", "name": "Bia"}, "created_at": "2026-01-01T00:00:00Z",
        "media": {"id": "x", "mime_type": "application/pdf", "file_name": "nota.pdf", "is_downloaded": true, "url": "https://f/nota.pdf"}}}});
    let events = signed(&delivery).unwrap();
    let WebhookEvent::Message(m) = &events[0] else { panic!() };
    assert_eq!(m.direction, Direction::Outbound);
    assert_eq!(m.kind, MessageKind::File);
    assert_eq!(m.caption.as_deref(), Some("segue"));
    assert_eq!(m.body, None);
    assert_eq!(m.file_name.as_deref(), Some("nota.pdf"));
    assert_eq!(m.media_url.as_deref(), Some("https://f/nota.pdf"));
    assert_eq!(m.sender_name.as_deref(), Some("Bia"));
    assert_eq!(m.status, Some(DeliveryStatus::Delivered));
    assert_eq!(m.title, "c1");
    assert!(matches!(&events[1], WebhookEvent::Status { status: DeliveryStatus::Delivered, .. }));
    assert_eq!(events.len(), 2, "an echo does not touch the window: {events:?}");

    let status = json!({"event_key": "chat.message_status_updated", "payload": {"chat_id": "c1",
        "message": {"id": "m2", "status": "failed", "error": {"message": "131047 re-engagement"}}}});
    assert_eq!(
        signed(&status).unwrap(),
        vec![WebhookEvent::Status {
            provider_message_id: "m2".into(),
            status: DeliveryStatus::Failed,
            error: Some("131047 re-engagement".into())
        }]
    );
    let odd = json!({"event_key": "chat.message_status_updated", "payload": {"message_id": "m2", "status": "mystery"}});
    assert!(matches!(signed(&odd).unwrap()[..], [WebhookEvent::Ignored(_)]));
}

#[test]
fn reactions_set_replace_and_remove() {
    let react = |emoji: Value, actor: &str| {
        json!({"event_key": "chat.message_reaction", "payload": {"chat_id": "c1", "message_id": "m1",
            "reaction": {"emoji": emoji, "actor": actor, "reactor_wa_id": if actor == "CONTACT" { json!("5511") } else { Value::Null }}}})
    };
    assert_eq!(
        signed(&react(json!("❤️"), "CONTACT")).unwrap(),
        vec![WebhookEvent::Reaction {
            provider_message_id: "m1".into(),
            reactor: "5511".into(),
            emoji: Some("❤️".into()),
            from_me: false
        }]
    );
    assert_eq!(
        signed(&react(json!(""), "CONTACT")).unwrap(),
        vec![WebhookEvent::Reaction {
            provider_message_id: "m1".into(),
            reactor: "5511".into(),
            emoji: None,
            from_me: false
        }]
    );
    let WebhookEvent::Reaction { from_me, reactor, .. } = &signed(&react(json!("🙏"), "USER")).unwrap()[0] else {
        panic!()
    };
    assert!(*from_me);
    assert_eq!(reactor, "business");
}

#[test]
fn chat_changes_and_unknown_events() {
    let changed =
        json!({"event_key": "chat.updated", "payload": {"chat": {"id": "c1", "status": "RESOLVED", "priority": 2}}});
    let [WebhookEvent::Chat { conversation, update }] = &signed(&changed).unwrap()[..] else { panic!() };
    assert_eq!(conversation.external_id, "c1");
    assert_eq!(update.status, Some(ConversationStatus::Resolved));
    assert_eq!(update.priority, Some(Priority::HIGH));

    let lead = json!({"event_key": "lead.created", "payload": {"lead": {"id": "l1", "name": "Carlos"}}});
    assert_eq!(
        signed(&lead).unwrap(),
        vec![WebhookEvent::Unrecognised { conversation: None, summary: "Wegly event lead.created: Carlos".into() }]
    );
    // The header names the event when the body does not.
    let body = br#"{"payload":{"deal":{"title":"Plano anual"},"chat_id":"c9"}}"#;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("x-wegly-signature", sign_hex(body).parse().unwrap());
    headers.insert("x-wegly-event", "deal.won".parse().unwrap());
    let secrets = BTreeMap::from([("signing_secret".to_owned(), Sensitive::new(SECRET))]);
    let events = parse_webhook(&WebhookRequest { headers: &headers, body, secrets: &secrets }).unwrap();
    let [WebhookEvent::Unrecognised { conversation: Some(c), summary }] = &events[..] else { panic!("{events:?}") };
    assert_eq!(c.external_id, "c9");
    assert_eq!(summary, "Wegly event deal.won: Plano anual");

    assert!(matches!(signed(&json!({"payload": {}})), Err(WebhookError::Invalid(_))));
    assert!(matches!(
        signed(&json!({"event_key": "chat.message_received", "payload": {"message": {"id": "m"}}})),
        Err(WebhookError::Invalid(m)) if m.contains("chat id")
    ));
}

#[test]
fn template_location_and_interactive_messages_from_wegly() {
    let chat = ChatInfo::bare("c1");
    let t = json!({"id": "t1", "type": "template", "origin": "OUTBOUND", "status": "sent",
        "content_payload": {"template": {"name": "boas_vindas", "language": "pt_BR"},
                            "template_fields": [{"component": "BODY", "type": "TEXT", "index": 1, "value": "Ana"}]}});
    let WebhookEvent::Message(m) = &message_events(&chat, &t, None, false).unwrap()[0] else { panic!() };
    assert_eq!(m.kind, MessageKind::Template);
    assert_eq!(m.body.as_deref(), Some("[boas_vindas]"));
    assert_eq!(m.payload.as_ref().unwrap()["template"]["fields"][0]["value"], "Ana");
    let l = json!({"id": "l1", "type": "location", "origin": "INBOUND",
        "content_payload": {"latitude": "-23.56", "longitude": -46.65, "name": "Casa"}});
    let WebhookEvent::Message(m) = &message_events(&chat, &l, None, false).unwrap()[0] else { panic!() };
    assert_eq!(m.kind, MessageKind::Location);
    assert_eq!(m.payload.as_ref().unwrap()["location"]["latitude"], -23.56);
    let reply = json!({"id": "b1", "type": "interactive", "origin": "INBOUND", "body_text": "Sim"});
    let WebhookEvent::Message(m) = &message_events(&chat, &reply, None, false).unwrap()[0] else { panic!() };
    assert_eq!((m.kind, m.body.as_deref()), (MessageKind::Text, Some("Sim")));
    let odd = json!({"id": "o1", "type": "contacts", "origin": "INBOUND"});
    let WebhookEvent::Message(m) = &message_events(&chat, &odd, None, false).unwrap()[0] else { panic!() };
    assert_eq!(m.kind, MessageKind::Unrecognised);
    assert_eq!(m.payload.as_ref().unwrap()["raw"]["type"], "contacts");
    assert_eq!(
        sent_message_id(&json!({"total": 1, "records": [{"id": "m9", "status": "processing"}]})).as_deref(),
        Some("m9")
    );
}
