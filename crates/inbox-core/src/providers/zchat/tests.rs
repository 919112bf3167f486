//! The client against both documents' examples: what it sends equals the document's requests
//! (as JSON values, the document's placeholders substituted), what it reads is the document's
//! answers and triggers. The Omnize examples carry `//` comments: their JSON content is read with
//! `inbox_fixtures::commented_json`.

use std::collections::BTreeMap;

use inbox_fixtures::{commented_json, zchat as fx};
use serde_json::{Map, Value, json};

use super::wire::*;
use super::*;
use crate::exchange::{AccountRow, ConversationTarget, OutboundMessage};
use crate::model::{
    Capability, ConversationStatus, Department, Direction, HandoffState, HandoffUpdate, MessageKind, StartConversation,
};
use crate::providers::Connector as _;
use crate::providers::Handoffs as _;
use crate::providers::http::Answer;
use crate::providers::{ConversationRef, HandoffEvent, WebhookError, WebhookEvent, WebhookRequest};

fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture is not JSON: {e}"))
}

fn commented(text: &str) -> Value {
    commented_json(text).expect("the commented example has JSON content")
}

fn map(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn connector(provider: Provider, settings: Value) -> Connector {
    let row = AccountRow {
        id: "acc".into(),
        provider,
        name: "test".into(),
        settings: validate_settings(provider, &map(settings)).unwrap(),
        demo: false,
        created_at: chrono::Utc::now(),
    };
    let secrets = BTreeMap::from([("token".to_owned(), Sensitive::new("tok"))]);
    Connector::new(AccountContext { http: reqwest::Client::new(), account: row, secrets, webhook_url: None }).unwrap()
}

fn zchat() -> Connector {
    connector(Provider::Zchat, json!({"base_url": ZCHAT_PRODUCTION, "department_id": 1}))
}

fn omnize() -> Connector {
    connector(Provider::Omnize, json!({"base_url": OMNIZE_PRODUCTION, "department_id": 1}))
}

fn webhook(body: &str) -> Result<Vec<WebhookEvent>, WebhookError> {
    let headers = axum::http::HeaderMap::new();
    let secrets = BTreeMap::new();
    parse_webhook(&WebhookRequest { headers: &headers, body: body.as_bytes(), secrets: &secrets })
}

fn one(body: &str) -> WebhookEvent {
    let mut events = webhook(body).unwrap();
    assert_eq!(events.len(), 1);
    events.remove(0)
}

fn image(url: &str, caption: Option<&str>) -> OutboundMessage {
    OutboundMessage {
        kind: MessageKind::Image,
        media_url: Some(url.into()),
        caption: caption.map(Into::into),
        ..OutboundMessage::default()
    }
}

fn text(body: &str) -> OutboundMessage {
    OutboundMessage { kind: MessageKind::Text, body: Some(body.into()), ..OutboundMessage::default() }
}

const HASH: &str = "322e458c-540c-4c11-ab5c-d38d39f57213";

// ---- settings ----

#[test]
fn settings_default_the_flavour_by_provider_and_store_the_department_as_a_number() {
    let z =
        validate_settings(Provider::Zchat, &map(json!({"base_url": "https://zchat.zenvia.io/", "department_id": "7"})))
            .unwrap();
    assert_eq!(z, map(json!({"flavour": "interactions", "base_url": "https://zchat.zenvia.io", "department_id": 7})));
    let o = validate_settings(Provider::Omnize, &map(json!({"base_url": OMNIZE_HOMOLOG, "department_id": 3}))).unwrap();
    assert_eq!(o["flavour"], "whatsapp");
    let chosen = validate_settings(
        Provider::Omnize,
        &map(json!({"flavour": "interactions", "base_url": "http://127.0.0.1:9/zchat", "department_id": 2, "junk": 1})),
    )
    .unwrap();
    assert_eq!(
        chosen,
        map(json!({"flavour": "interactions", "base_url": "http://127.0.0.1:9/zchat", "department_id": 2})),
        "a path in the base URL is kept; unknown keys are dropped"
    );
    assert_eq!(Flavour::of(Provider::Omnize, &chosen), Flavour::Interactions);
    assert_eq!(capabilities(Provider::Omnize, &chosen), capabilities(Provider::Zchat, &Map::new()));
}

#[test]
fn bad_settings_are_named() {
    let bad = |v: Value| validate_settings(Provider::Zchat, &map(v)).unwrap_err();
    for (settings, key) in [
        (json!({"base_url": "ftp://x", "department_id": 1}), "base_url"),
        (json!({"department_id": 1}), "base_url"),
        (json!({"base_url": "https://x.io?token=1", "department_id": 1}), "base_url"),
        (json!({"base_url": ZCHAT_PRODUCTION}), "department_id"),
        (json!({"base_url": ZCHAT_PRODUCTION, "department_id": 0}), "department_id"),
        (json!({"base_url": ZCHAT_PRODUCTION, "department_id": "abc"}), "department_id"),
        (json!({"base_url": ZCHAT_PRODUCTION, "department_id": 1.5}), "department_id"),
        (json!({"base_url": ZCHAT_PRODUCTION, "department_id": 1, "flavour": "sms"}), "flavour"),
    ] {
        let e = bad(settings.clone());
        assert_eq!(e.code(), "invalid_input", "{settings}");
        assert!(e.public_message().contains(key), "{settings}: {e}");
    }
}

#[test]
fn info_keeps_the_agreed_fields_and_the_whatsapp_flavour_loses_handoff_update() {
    let keys: Vec<&str> = info(Provider::Zchat).fields.iter().map(|f| f.key).collect();
    assert_eq!(keys, ["flavour", "base_url", "department_id", "token"]);
    assert!(info(Provider::Zchat).capabilities.contains(&Capability::HandoffUpdate));
    assert!(!info(Provider::Omnize).capabilities.contains(&Capability::HandoffUpdate));
    assert_eq!(crate::providers::required_secrets(Provider::Omnize), ["token"]);
}

// ---- outbound, against the documents ----

#[test]
fn start_interaction_is_the_documented_request() {
    let input = StartConversation {
        account_id: "acc".into(),
        to: "11991417777".into(),
        name: Some("Name Surname".into()),
        email: Some("name@example.com".into()),
        cpf: Some("12345678900".into()),
        department_id: Some("1".into()),
        extra: Some(map(json!({"clientId": "any", "botId": "any"}))),
        ..StartConversation::default()
    };
    let customer = customer_of(Flavour::Interactions, &input).unwrap();
    let extra = extra_of(&input, "conv-1");
    let ours = start_interaction_request(
        "yourAPIToken",
        media_type_of(&input).unwrap(),
        department_of(&zchat().settings, &input).unwrap(),
        &customer,
        &extra,
        Some("https://test.com"),
    );
    let mut expected = doc(fx::START_INTERACTION);
    // Ours also tells which inbox conversation the interaction is (returned on triggers).
    expected["extra"][EXTRA_CONVERSATION_KEY] = json!("conv-1");
    assert_eq!(ours, expected);
}

#[test]
fn media_type_comes_from_service_and_defaults_to_text() {
    let with = |service: Option<&str>| StartConversation { service: service.map(Into::into), ..Default::default() };
    assert_eq!(media_type_of(&with(None)).unwrap(), "TEXT");
    assert_eq!(media_type_of(&with(Some("whatsapp"))).unwrap(), "WHATSAPP");
    assert_eq!(media_type_of(&with(Some("SMS"))).unwrap(), "SMS");
    assert_eq!(media_type_of(&with(Some("fax"))).unwrap_err().code(), "invalid_input");
}

#[test]
fn send_message_is_the_documented_request() {
    let ours = interaction_message_request(
        "yourAPIToken",
        &image("https://omz-logos.s3.amazonaws.com/logo_omz.png", Some("your message")),
    )
    .unwrap();
    assert_eq!(ours, doc(fx::SEND_MESSAGE));
    // A file's content is its caption, else its file name (content is required).
    let mut named = image("https://x.io/a/nota.pdf", None);
    named.kind = MessageKind::File;
    named.file_name = Some("nota.pdf".into());
    let body = interaction_message_request("t", &named).unwrap();
    assert_eq!(body, json!({"token": "t", "content": "nota.pdf", "type": "file", "url": "https://x.io/a/nota.pdf"}));
    assert_eq!(
        interaction_message_request("t", &text("Olá")).unwrap(),
        json!({"token": "t", "content": "Olá", "type": "text"})
    );
    for (kind, short) in [(MessageKind::Video, "video"), (MessageKind::Audio, "audio"), (MessageKind::Sticker, "image")]
    {
        let mut m = image("https://x.io/f", Some("c"));
        m.kind = kind;
        assert_eq!(interaction_message_request("t", &m).unwrap()["type"], short);
    }
    let location = OutboundMessage { kind: MessageKind::Location, ..OutboundMessage::default() };
    assert!(interaction_message_request("t", &location).is_err());
}

#[test]
fn typing_cleared_and_finish_are_the_documented_request() {
    assert_eq!(token_request("YourApiToken"), doc(fx::TOKEN_ONLY));
}

#[test]
fn update_interaction_is_the_documented_request_and_leaves_out_what_is_absent() {
    let update = HandoffUpdate {
        mood: Some("POSITIVE".into()),
        tag_ids: vec!["1".into(), "999".into()],
        customer_key: Some("0010-abcd-efgh-ijkd-1c422e49fdff".into()),
        note: Some("any note here".into()),
    };
    assert_eq!(update_request("y0UrCl1EntSdk", &update), doc(fx::UPDATE_INTERACTION));
    let only_note = HandoffUpdate { note: Some("x".into()), ..HandoffUpdate::default() };
    assert_eq!(update_request("t", &only_note), json!({"token": "t", "note": "x"}));
}

#[test]
fn whatsapp_message_is_the_documented_request_with_the_short_content_type() {
    let mut expected = commented(fx::WA_SEND_MESSAGE);
    // The example's MIME type travels in its short form.
    assert_eq!(expected["content_type"], "image/png");
    expected["content_type"] = json!("image");
    let customer: Customer = serde_json::from_value(expected["customer"].clone()).unwrap();
    let extra = map(expected["extra"].clone());
    let ours = whatsapp_message_request(
        "j23hk4j2h3kj4h...",
        &image(".....", Some("Test message")),
        1,
        &customer,
        Some(&extra),
        Some("chathistory.example.org"),
    )
    .unwrap();
    assert_eq!(ours, expected);
    // A text leaves out `url`; no extra and no history URL leave those out too.
    let plain = whatsapp_message_request(
        "t",
        &text("oi"),
        2,
        &Customer { external_id: Some("c1".into()), ..Customer::default() },
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        plain,
        json!({"token": "t", "content": "oi", "content_type": "text", "department_id": 2, "customer": {"external_id": "c1"}})
    );
}

#[test]
fn whatsapp_typing_and_cleared_are_the_documented_requests() {
    assert_eq!(whatsapp_typing_request("j23hk4j2h3kj4h...", "abcd1234"), commented(fx::WA_TYPING));
    assert_eq!(whatsapp_typing_request("j23hk4j2h3kj4h...", "abcd1234"), commented(fx::WA_CLEARED));
}

// ---- answers ----

fn answer(status: u16, text: &str) -> Answer {
    Answer { status, text: text.into() }
}

#[test]
fn documented_answers_are_read() {
    let started = read_answer("ZChat", &answer(200, fx::START_INTERACTION_SUCCESS)).unwrap();
    assert_eq!(started.pointer("/data/interaction_hash").unwrap(), "0000a-000b-0c00-0d0e-f00d00f11111");
    assert!(read_answer("ZChat", &answer(200, fx::SEND_MESSAGE_SUCCESS)).is_ok());
    assert!(read_answer("ZChat", &answer(200, fx::UPDATE_INTERACTION_SUCCESS)).is_ok());
    let hash = |text: &str| {
        read_answer("Omnize", &answer(200, text))
            .unwrap()
            .pointer("/data/message_hash")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    assert_eq!(hash(fx::WA_SEND_MESSAGE_SUCCESS).as_deref(), Some("3110a5da-87c7-4f6d-a4ab-2b1ed5edfd46"));
    assert_eq!(hash(fx::WA_SEND_MESSAGE_SUCCESS_PLAIN), None);
    assert_eq!(hash(fx::WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA), None, "the trailing comma is accepted");
}

#[test]
fn errors_quote_the_provider_even_under_http_200() {
    let e = read_answer("ZChat", &answer(422, fx::ERROR)).unwrap_err();
    assert_eq!(e.0, "ZChat refused it (HTTP 422): Error description here");
    let in_200 = read_answer("Omnize", &answer(200, fx::ERROR)).unwrap_err();
    assert_eq!(in_200.0, "Omnize refused it (HTTP 422): Error description here");
    let token = read_answer("ZChat", &answer(401, r#"{"message":"Invalid token.","status":401}"#)).unwrap_err();
    assert!(token.0.contains("Invalid token.") && token.0.contains("API token"), "{token}");
    let gateway = read_answer("ZChat", &answer(502, "<html>Bad gateway</html>")).unwrap_err();
    assert!(gateway.0.contains("HTTP 502"), "{gateway}");
    assert_eq!(read_answer("ZChat", &answer(200, "")).unwrap(), Value::Null);
}

#[test]
fn departments_are_read_from_every_container() {
    let list = json!([
        {"id": 1, "name": "Suporte", "queue": 2, "bot_id": null, "state": 1,
         "agents": [{"id": 111, "name": "Atendente", "photo": null}], "channels": [{"id": 1, "name": "chat", "state": 1}],
         "ringing_max_time": 60, "queued_max_time": 600},
        {"id": "3", "name": "Financeiro", "state": 0, "agents": []}
    ]);
    let expected = vec![
        Department {
            id: "1".into(),
            name: "Suporte".into(),
            active: true,
            queue: Some(2),
            agents: vec!["Atendente".into()],
        },
        Department { id: "3".into(), name: "Financeiro".into(), active: false, queue: None, agents: vec![] },
    ];
    assert_eq!(parse_departments("ZChat", &list).unwrap(), expected);
    assert_eq!(parse_departments("ZChat", &json!({"data": list})).unwrap(), expected);
    assert_eq!(parse_departments("ZChat", &json!({"departments": list})).unwrap(), expected);
    assert_eq!(parse_departments("ZChat", &json!({"message": "?"})).unwrap_err().code(), "provider_error");
}

// ---- starts ----

fn start(to: &str) -> StartConversation {
    StartConversation {
        account_id: "acc".into(),
        to: to.into(),
        name: Some("Ana Souza".into()),
        message: Some(crate::model::SendMessage::text("Olá")),
        ..StartConversation::default()
    }
}

#[test]
fn interactions_starts_wait_for_the_hash_under_a_pending_key() {
    let plan = zchat().plan_start(&start("+55 11 99141-7777")).unwrap();
    assert_eq!(plan.external_id, "pending:5511991417777", "a retry with the same customer reuses it");
    assert_eq!(plan.title, "Ana Souza");
    assert!(plan.handoff);
    assert_eq!(plan.meta["department_id"], 1);
    assert_eq!(plan.meta["customer"], json!({"name": "Ana Souza", "phone": "5511991417777"}));
    let mut by_email = start("ana@example.com");
    by_email.department_id = Some("2".into());
    let plan = zchat().plan_start(&by_email).unwrap();
    assert_eq!(plan.meta["customer"], json!({"name": "Ana Souza", "email": "ana@example.com"}));
    assert_eq!(plan.meta["department_id"], 2);
    // No first message is fine: the interaction opens without one.
    let mut silent = start("11991417777");
    silent.message = None;
    assert!(zchat().plan_start(&silent).is_ok());
}

#[test]
fn whatsapp_starts_are_keyed_by_the_customer_and_need_a_first_message() {
    let mut input = start("abcd1234");
    input.extra = Some(map(json!({"clientId": "12"})));
    let plan = omnize().plan_start(&input).unwrap();
    assert_eq!(plan.external_id, "abcd1234");
    assert_eq!(plan.meta["customer"], json!({"name": "Ana Souza", "external_id": "abcd1234"}));
    assert_eq!(plan.meta["extra"], json!({"clientId": "12"}));
    let phone = omnize().plan_start(&start("5511991417777")).unwrap();
    assert_eq!(phone.meta["customer"]["phone"], "5511991417777");
    let mut silent = start("abcd1234");
    silent.message = None;
    let e = omnize().plan_start(&silent).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.public_message().contains("first message"), "{e}");
}

#[test]
fn bad_starts_are_refused_before_any_call() {
    let bad = |c: &Connector, f: &dyn Fn(&mut StartConversation)| {
        let mut input = start("11991417777");
        f(&mut input);
        c.plan_start(&input).unwrap_err()
    };
    assert!(bad(&zchat(), &|i| i.department_id = Some("x".into())).public_message().contains("department_id"));
    assert!(bad(&zchat(), &|i| i.department_id = Some("-4".into())).public_message().contains("department_id"));
    assert!(bad(&zchat(), &|i| i.cpf = Some("123".into())).public_message().contains("cpf"));
    assert!(bad(&zchat(), &|i| i.email = Some("nope".into())).public_message().contains("email"));
    assert!(bad(&zchat(), &|i| i.to = "not a phone".into()).public_message().contains("to"));
    assert!(bad(&zchat(), &|i| i.service = Some("telex".into())).public_message().contains("service"));
    let cpf = customer_of(
        Flavour::Interactions,
        &StartConversation { cpf: Some("123.456.789-00".into()), to: "11991417777".into(), ..Default::default() },
    )
    .unwrap();
    assert_eq!(cpf.cpf.as_deref(), Some("12345678900"));
}

// ---- triggers ----

fn handoff(event: WebhookEvent) -> (ConversationRef, HandoffEvent) {
    match event {
        WebhookEvent::Handoff { conversation, handoff } => (conversation, handoff),
        other => panic!("not a hand-off: {other:?}"),
    }
}

#[test]
fn interactions_state_triggers_are_handoff_changes_keyed_by_the_hash() {
    for (fixture, state) in [
        (fx::TRIGGER_QUEUED, HandoffState::Queued),
        (fx::TRIGGER_ACCEPTED, HandoffState::Accepted),
        (fx::TRIGGER_UNAVAILABLE, HandoffState::Unavailable),
        (fx::TRIGGER_FINISHED, HandoffState::Finished),
    ] {
        let (conversation, h) = handoff(one(fixture));
        assert_eq!(conversation, ConversationRef::individual(HASH));
        assert_eq!(h.state, state);
        assert_eq!(h.interaction_hash.as_deref(), Some(HASH));
        assert_eq!(h.position, (state == HandoffState::Queued).then_some(1));
        assert_eq!(h.agent_name, None);
    }
}

#[test]
fn typing_triggers_are_typing_events_of_both_flavours() {
    for (fixture, key, active) in [
        (fx::TRIGGER_TYPING, HASH, true),
        (fx::TRIGGER_CLEARED, HASH, false),
        (fx::WA_TRIGGER_TYPING, "abcd1234", true),
        (fx::WA_TRIGGER_CLEARED, "abcd1234", false),
    ] {
        assert_eq!(
            one(fixture),
            WebhookEvent::Typing { conversation: ConversationRef::individual(key), who: None, active },
            "{fixture}"
        );
    }
    let named = one(r#"{"interaction_hash":"h","state":"typing","agent":{"id":1,"name":"Bia"}}"#);
    assert!(matches!(named, WebhookEvent::Typing { who: Some(ref w), .. } if w == "Bia"));
}

#[test]
fn agent_message_of_the_interactions_flavour() {
    let WebhookEvent::Message(m) = one(fx::TRIGGER_AGENT_MESSAGE) else { panic!("not a message") };
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(m.conversation_external_id, HASH);
    assert_eq!(m.kind, MessageKind::Text);
    assert_eq!(m.body.as_deref(), Some("Message"));
    assert_eq!(m.media_url, None, "a text's url is not a file");
    assert_eq!(m.sender_name.as_deref(), Some("Atendente"));
    assert_eq!(m.sender_external_id.as_deref(), Some("111"));
    assert_eq!(m.provider_message_id, "3110a5da-87c7-4f6d-a4ab-2b1ed5edfd46");
    assert_eq!(m.title, "", "the hand-off keeps its title");
    assert!(m.contact.is_none());
}

#[test]
fn agent_files_carry_their_url_and_text() {
    let image = one(
        r#"{"interaction_hash":"h","message":{"hash":"m1","content":"veja","type":"image","url":"https://cdn.x/p/foto.png?sig=1"},"agent":{"id":1,"name":"Bia"},"extra":{}}"#,
    );
    let WebhookEvent::Message(m) = image else { panic!() };
    assert_eq!(m.kind, MessageKind::Image);
    assert_eq!(m.media_url.as_deref(), Some("https://cdn.x/p/foto.png?sig=1"));
    assert_eq!(m.caption.as_deref(), Some("veja"));
    assert_eq!(m.file_name.as_deref(), Some("foto.png"));
    assert_eq!(m.body, None);
    let mime = one(
        r#"{"external_id":"c","interaction_hash":"h","message":{"content":"boleto.pdf","type":"application/pdf","url":"https://cdn.x/boleto.pdf"},"agent":{"id":1,"name":"Bia"}}"#,
    );
    let WebhookEvent::Message(m) = mime else { panic!() };
    assert_eq!(m.kind, MessageKind::File);
    assert_eq!(m.caption, None, "a file's name is not a caption");
    let untyped = one(r#"{"interaction_hash":"h","message":{"hash":"m2","content":"","url":"https://cdn.x/a.ogg"}}"#);
    let WebhookEvent::Message(m) = untyped else { panic!() };
    assert_eq!(m.kind, MessageKind::Audio);
    assert_eq!(m.sender_name, None);
}

#[test]
fn agent_message_of_the_whatsapp_flavour_gets_a_stable_derived_id() {
    let WebhookEvent::Message(m) = one(fx::WA_TRIGGER_AGENT_MESSAGE) else { panic!("not a message") };
    assert_eq!(m.conversation_external_id, "abcd1234", "keyed by the customer");
    assert_eq!(m.body.as_deref(), Some("Message"));
    assert_eq!(m.sender_name.as_deref(), Some("Agent"));
    assert!(m.provider_message_id.starts_with(&format!("{HASH}:")), "{}", m.provider_message_id);
    // The same delivery, formatted differently, is the same message.
    let compact = serde_json::to_string(&doc(fx::WA_TRIGGER_AGENT_MESSAGE)).unwrap();
    let WebhookEvent::Message(again) = one(&compact) else { panic!() };
    assert_eq!(again.provider_message_id, m.provider_message_id);
    let mut other = doc(fx::WA_TRIGGER_AGENT_MESSAGE);
    other["message"]["content"] = json!("Message 2");
    let WebhookEvent::Message(different) = one(&other.to_string()) else { panic!() };
    assert_ne!(different.provider_message_id, m.provider_message_id);
}

#[test]
fn whatsapp_state_triggers_are_keyed_by_the_customer_and_record_the_hash() {
    let (conversation, h) = handoff(one(fx::WA_TRIGGER_FINISHED));
    assert_eq!(conversation, ConversationRef::individual("abcd1234"));
    assert_eq!(h.state, HandoffState::Finished);
    assert_eq!(h.interaction_hash.as_deref(), Some(HASH));
    let (conversation, h) = handoff(one(fx::WA_TRIGGER_TRANSFERRED));
    assert_eq!(conversation.external_id, "abcd1234");
    assert_eq!(h.state, HandoffState::Transferred);
    assert_eq!(h.department_id.as_deref(), Some("1545"), "the string department id is kept");
    let (_, numeric) = handoff(one(r#"{"interaction_hash":"h","state":"transferred","department_id":7}"#));
    assert_eq!(numeric.department_id.as_deref(), Some("7"));
    let (_, queued) = handoff(one(r#"{"external_id":"c","interaction_hash":"h","state":"queued","position":"4"}"#));
    assert_eq!(queued.position, Some(4));
}

#[test]
fn bad_triggers_are_refused_and_unknown_states_kept() {
    assert!(matches!(webhook("{not json"), Err(WebhookError::InvalidJson(_))));
    assert!(matches!(webhook("[1]"), Err(WebhookError::Invalid(_))));
    assert_eq!(
        webhook(r#"{"state":"queued","position":1}"#).unwrap_err(),
        WebhookError::Invalid("missing field `interaction_hash`".into())
    );
    assert!(matches!(webhook(r#"{"interaction_hash":"h"}"#), Err(WebhookError::Invalid(m)) if m.contains("state")));
    assert!(matches!(
        webhook(r#"{"interaction_hash":"h","message":{"type":"text"}}"#),
        Err(WebhookError::Invalid(m)) if m.contains("content")
    ));
    assert!(matches!(webhook(r#"{"interaction_hash":"h","message":"hi"}"#), Err(WebhookError::Invalid(_))));
    let unknown = one(r#"{"interaction_hash":"h","state":"rated"}"#);
    assert!(matches!(unknown, WebhookEvent::Unrecognised { conversation: Some(ref c), ref summary }
        if c.external_id == "h" && summary.contains("rated")));
}

// ---- connector decisions without the network ----

fn target(external_id: &str, meta: Value, handoff: Option<crate::model::Handoff>) -> ConversationTarget {
    ConversationTarget {
        conversation_id: "conv".into(),
        account_id: "acc".into(),
        external_id: external_id.into(),
        meta: map(meta),
        handoff,
        ..ConversationTarget::default()
    }
}

#[test]
fn the_interaction_is_found_in_meta_handoff_or_key_but_never_in_a_pending_key() {
    let c = zchat();
    assert_eq!(c.interaction_hash(&target("pending:1199", json!({"interaction_hash": "h1"}), None)), Some("h1"));
    let h = crate::model::Handoff { interaction_hash: Some("h2".into()), ..Default::default() };
    assert_eq!(c.interaction_hash(&target("x", json!({}), Some(h))), Some("h2"));
    assert_eq!(c.interaction_hash(&target("h3", json!({}), None)), Some("h3"));
    assert_eq!(c.interaction_hash(&target("pending:1199", json!({}), None)), None);
    assert_eq!(c.interaction_hash(&target("../../api/v1/whatsapp", json!({}), None)), None, "not a path segment");
    assert!(c.require_hash(&target("pending:1199", json!({}), None)).unwrap_err().0.contains("never opened"));
}

#[test]
fn resolving_finishes_only_an_open_interaction_of_the_interactions_flavour() {
    use crate::model::Handoff;
    let open = target("h", json!({}), Some(Handoff { state: HandoffState::Accepted, ..Default::default() }));
    let done = target("h", json!({}), Some(Handoff { state: HandoffState::Finished, ..Default::default() }));
    assert!(zchat().finishes(&open, ConversationStatus::Resolved));
    assert!(!zchat().finishes(&open, ConversationStatus::Snoozed));
    assert!(!zchat().finishes(&done, ConversationStatus::Resolved));
    assert!(!zchat().finishes(&target("pending:1", json!({}), None), ConversationStatus::Resolved));
    assert!(!omnize().finishes(&open, ConversationStatus::Resolved));
    let after = zchat().after_status(&open, ConversationStatus::Resolved).unwrap();
    assert_eq!((after.state, after.interaction_hash.as_deref()), (HandoffState::Finished, Some("h")));
}

#[test]
fn whatsapp_sends_go_to_the_department_the_handoff_is_in_now() {
    use crate::model::Handoff;
    let c = omnize();
    let transferred = Handoff { department_id: Some("1545".into()), ..Default::default() };
    assert_eq!(c.current_department(&target("c", json!({"department_id": 2}), Some(transferred))), 1545);
    assert_eq!(c.current_department(&target("c", json!({"department_id": 2}), None)), 2);
    assert_eq!(c.current_department(&target("c", json!({}), None)), 1);
    let customer = c.whatsapp_customer(&target("c9", json!({"customer": {"name": "Ana", "external_id": "old"}}), None));
    assert_eq!(customer, Customer { name: Some("Ana".into()), external_id: Some("c9".into()), ..Customer::default() });
}

#[test]
fn a_missing_token_is_a_readable_failure() {
    let row = AccountRow {
        id: "acc".into(),
        provider: Provider::Zchat,
        name: "t".into(),
        settings: validate_settings(Provider::Zchat, &map(json!({"base_url": ZCHAT_PRODUCTION, "department_id": 1})))
            .unwrap(),
        demo: false,
        created_at: chrono::Utc::now(),
    };
    let c = Connector::new(AccountContext {
        http: reqwest::Client::new(),
        account: row,
        secrets: BTreeMap::new(),
        webhook_url: None,
    })
    .unwrap();
    assert!(c.token().unwrap_err().0.contains("token"));
}
