//! The DTOs against the library's document, the route map and its overrides, the lenient
//! answers, and the callback shapes.

use inbox_fixtures::cirrus as fx;
use serde::Serialize;
use serde_json::json;

use super::client::{Operation, Route, Routes};
use super::webhook::parse_callback;
use super::wire::*;
use super::*;
use crate::model::{ConversationKind, Direction, MessageKind};
use crate::providers::http::Answer;
use crate::providers::{WebhookError, WebhookEvent, WebhookRequest};

const CLIENT: &str = "9a92ea44-244c-4cda-86be-6a9e32ba8f34";

fn doc(literal: &str) -> Value {
    fx::to_json(literal).unwrap()
}

fn ours<T: Serialize>(dto: &T) -> Value {
    serde_json::to_value(dto).unwrap()
}

fn settings(extra: Value) -> Map<String, Value> {
    let mut map = json!({
        "base_url": "http://127.0.0.1:9/cirrus",
        "client_identifier": CLIENT,
        "channel_id": "64ef5c84f9deb1326965919e",
    })
    .as_object()
    .unwrap()
    .clone();
    map.extend(extra.as_object().unwrap().clone());
    map
}

#[test]
fn default_routes_follow_the_library_method_names() {
    let routes = Routes::defaults();
    assert_eq!(routes.get(Operation::ContactsCreate).to_string(), "POST /contacts");
    assert_eq!(routes.get(Operation::ContactsUpdate).to_string(), "PATCH /contacts/{contactId}");
    assert_eq!(
        routes.get(Operation::MessagesStartConversation).to_string(),
        "POST /messages/start-conversation/{service}"
    );
    assert_eq!(routes.get(Operation::MessagesDeleteMessage).to_string(), "DELETE /messages/{messageId}");
    // Every operation has a route, and every name parses back.
    for op in Operation::ALL {
        assert_eq!(Operation::parse(op.name()), Some(op));
        assert!(Route::parse(op, op.default_route()).is_ok(), "{}", op.name());
    }
    assert_eq!(Operation::parse("contacts.getTagsByContacId"), Some(Operation::ContactsGetTagsByContactId));
}

#[test]
fn overrides_replace_single_routes_and_are_saved_normalised() {
    let s = Settings::from_map(&settings(json!({"routes": {
        "contacts.create": "post /v2/contacts",
        "messages.sendMessage": "PUT /sessions/{sessionId}/messages",
    }})))
    .unwrap();
    assert_eq!(s.routes.get(Operation::ContactsCreate).to_string(), "POST /v2/contacts");
    assert_eq!(s.routes.get(Operation::MessagesSendMessage).to_string(), "PUT /sessions/{sessionId}/messages");
    assert_eq!(s.routes.get(Operation::TagsGet).to_string(), "GET /tags");
    let saved = s.to_map();
    assert_eq!(
        saved["routes"],
        json!({"contacts.create": "POST /v2/contacts", "messages.sendMessage": "PUT /sessions/{sessionId}/messages"})
    );
    // Saved settings validate to themselves.
    assert_eq!(validate_settings(&saved).unwrap(), saved);
    // A JSON text (a form's text area) is accepted too.
    let text = Settings::from_map(&settings(json!({"routes": "{\"tags.get\": \"GET /v2/tags\"}"}))).unwrap();
    assert_eq!(text.routes.get(Operation::TagsGet).path, "/v2/tags");
    let empty = Settings::from_map(&settings(json!({"routes": ""}))).unwrap();
    assert!(empty.to_map().get("routes").is_none());
}

#[test]
fn bad_overrides_are_clear_invalid_input() {
    let bad = |routes: Value| {
        let e = Settings::from_map(&settings(json!({ "routes": routes }))).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        e.public_message()
    };
    assert!(bad(json!({"contacts.frobnicate": "POST /x"})).contains("unknown operation `contacts.frobnicate`"));
    assert!(bad(json!({"contacts.create": "/contacts"})).contains("METHOD /path"));
    assert!(bad(json!({"contacts.create": "FETCH /contacts"})).contains("GET, POST, PUT, PATCH or DELETE"));
    assert!(bad(json!({"contacts.create": "POST contacts"})).contains("must start with /"));
    assert!(bad(json!({"contacts.update": "PATCH /contacts/{contactId"})).contains("unbalanced"));
    assert!(bad(json!({"contacts.update": "PATCH /contacts/{id}"})).contains("`{id}` is not a field"));
    assert!(bad(json!({"tags.get": "GET /tags?x=1"})).contains("query"));
    assert!(bad(json!({"tags.get": 5})).contains("must be a string"));
    assert!(bad(json!(["tags.get"])).contains("JSON object"));
    assert!(bad(json!("{not json")).contains("JSON object"));
}

#[test]
fn settings_are_validated() {
    let bad = |extra: Value| Settings::from_map(&settings(extra)).unwrap_err().public_message();
    assert!(bad(json!({"base_url": "ftp://x"})).contains("base_url"));
    assert!(bad(json!({"service": "telegram"})).contains("whatsappweb or d360"));
    assert!(bad(json!({"client_identifier": "  "})).contains("client_identifier"));
    let s = Settings::from_map(&settings(json!({}))).unwrap();
    assert_eq!(s.service, Service::WhatsappWeb);
    assert!(!capabilities(&s.to_map()).contains(&Capability::Window24h));
    let d360 = Settings::from_map(&settings(json!({"service": "d360"}))).unwrap();
    assert!(capabilities(&d360.to_map()).contains(&Capability::Window24h));
}

#[test]
fn paths_are_filled_and_encoded() {
    let route = Route::parse(Operation::ContactsUpdate, "PATCH /c/{clientIdentifier}/{contactId}").unwrap();
    let fields = json!({"clientIdentifier": "a b", "contactId": "x/y"}).as_object().unwrap().clone();
    let (path, used) = route.render(&fields).unwrap();
    assert_eq!(path, "/c/a%20b/x%2Fy");
    assert_eq!(used.len(), 2);
    let empty = json!({"contactId": ""}).as_object().unwrap().clone();
    assert!(route.render(&empty).unwrap_err().0.contains("clientIdentifier"));
}

#[test]
fn contact_dtos_equal_the_document() {
    let create = CreateContactDto {
        client_identifier: CLIENT.into(),
        channel_id: "689a05215b711247e8f54022".into(),
        contact_identifier: "5521999999999".into(),
        name: "João Silva".into(),
        kind: "individual".into(),
        channel_type: CHANNEL_TYPE.into(),
        custom_name: Some("João (Mercearia)".into()),
        ..CreateContactDto::default()
    };
    assert_eq!(ours(&create), doc(fx::CREATE_CONTACT));
    let update = UpdateContactDto {
        client_identifier: CLIENT.into(),
        contact_id: "68e54649a3744412be5cc107".into(),
        custom_name: Some("Nome Modificado".into()),
        platform: Some("karoochatnew".into()),
        ..UpdateContactDto::default()
    };
    assert_eq!(ours(&update), doc(fx::UPDATE_CONTACT));
    let one = ContactRefDto { client_identifier: CLIENT.into(), contact_id: "68e54649a3744412be5cc107".into() };
    assert_eq!(ours(&one), doc(fx::GET_CONTACT));
    assert_eq!(ours(&one), doc(fx::DELETE_CONTACT_PLATFORM));
    assert_eq!(ours(&one), doc(fx::GET_TAGS_BY_CONTACT_ID));
    let list = GetContactsDto {
        client_identifier: CLIENT.into(),
        page: Some(1),
        limit: Some(10),
        order: Some("desc".into()),
        kind: Some("individual".into()),
        channel_type: Some("whatsapp".into()),
        name: Some("João".into()),
        ..GetContactsDto::default()
    };
    assert_eq!(ours(&list), doc(fx::GET_CONTACTS));
    let tags = |ids: &[&str]| ContactTagsDto {
        client_identifier: CLIENT.into(),
        contact_id: "68e54649a3744412be5cc107".into(),
        tag_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
    };
    assert_eq!(ours(&tags(&["tag1", "tag2", "tag3"])), doc(fx::ADD_CONTACT_TAGS));
    assert_eq!(ours(&tags(&["tag1", "tag2"])), doc(fx::REMOVE_CONTACT_TAGS));
}

#[test]
fn tag_dtos_equal_the_document() {
    let create =
        CreateTagDto { client_identifier: CLIENT.into(), name: "Cliente VIP".into(), color: Some("#ff0000".into()) };
    assert_eq!(ours(&create), doc(fx::CREATE_TAG));
    assert_eq!(ours(&GetTagsDto { client_identifier: CLIENT.into(), name: Some("VIP".into()) }), doc(fx::GET_TAGS));
    let one = TagRefDto { client_identifier: CLIENT.into(), tag_id: "68e54649a3744412be5cc107".into() };
    assert_eq!(ours(&one), doc(fx::GET_TAG_BY_ID));
    assert_eq!(ours(&one), doc(fx::DELETE_TAG));
    assert_eq!(ours(&one), doc(fx::GET_CONTACTS_BY_TAG_ID));
    let update = UpdateTagDto {
        client_identifier: CLIENT.into(),
        tag_id: "68e54649a3744412be5cc107".into(),
        name: Some("Cliente Premium".into()),
        color: Some("#00ff00".into()),
    };
    assert_eq!(ours(&update), doc(fx::UPDATE_TAG));
}

#[test]
fn message_dtos_equal_the_document() {
    let start = StartConversationDto {
        platform_config_id: "64ef5c84f9deb1326965919f".into(),
        channel_id: "64ef5c84f9deb1326965919e".into(),
        client_provider_id: "5521988887777".into(),
        user_name: "João Silva".into(),
        company_name: Some("Empresa XYZ".into()),
        ..StartConversationDto::default()
    };
    assert_eq!(ours(&start), doc(fx::START_CONVERSATION));
    let send = |text: Option<&str>, media: Option<&str>| SendMessageDto {
        agent_name: "Atendente João".into(),
        session_id: "64ef5c85f9deb132696591a0".into(),
        text: text.map(str::to_owned),
        media_uri: media.map(str::to_owned),
        quoted_message: None,
    };
    assert_eq!(ours(&send(Some("Olá! Como posso ajudá-lo hoje?"), None)), doc(fx::SEND_MESSAGE_TEXT));
    assert_eq!(ours(&send(None, Some("https://exemplo.com/imagem.jpg"))), doc(fx::SEND_MESSAGE_MEDIA));
    let platform = |to: &str, text: &str| SendPlatformMessagePayload {
        channel_id: "64ef5c84f9deb1326965919e".into(),
        recipient_number: to.into(),
        platform: "karoochat".into(),
        text: Some(text.into()),
        ..SendPlatformMessagePayload::default()
    };
    assert_eq!(ours(&platform("5521988887777", "Mensagem proativa de exemplo")), doc(fx::SEND_PROACTIVE_MESSAGE));
    assert_eq!(ours(&platform("grupo123", "Mensagem para o grupo")), doc(fx::SEND_GROUP_MESSAGE));
    let delete = DeleteMessageDto {
        message_id: "msg_123456789".into(),
        sender_id: "sender_123".into(),
        channel_slug: "karoochat".into(),
    };
    assert_eq!(ours(&delete), doc(fx::DELETE_MESSAGE));
}

#[test]
fn answers_are_read_leniently() {
    assert_eq!(id_of(&json!({"_id": "a"})).as_deref(), Some("a"));
    assert_eq!(id_of(&json!({"data": {"id": "b"}})).as_deref(), Some("b"));
    assert_eq!(id_of(&json!({"_id": {"$oid": "c"}})).as_deref(), Some("c"));
    assert_eq!(items_of(&json!([1, 2])).len(), 2);
    assert_eq!(items_of(&json!({"docs": [1]})).len(), 1);
    assert!(has_next_page(&json!({"hasNextPage": true}), 1, 50, 0));
    assert!(!has_next_page(&json!({"totalPages": 2}), 2, 50, 50));
    assert!(has_next_page(&json!({"total": 51}), 1, 50, 50));
    assert!(!has_next_page(&json!([]), 1, 50, 3));
    assert_eq!(session_id_of(&json!({"sessionId": "s"})).as_deref(), Some("s"));
    assert_eq!(session_id_of(&json!({"data": {"session": {"_id": "t"}}})).as_deref(), Some("t"));
    assert_eq!(message_id_of(&json!({"messageId": "m"})).as_deref(), Some("m"));
    let c = remote_contact(&json!({"_id": "c1", "contactIdentifier": "5521", "name": "Ana", "type": "group",
        "tags": [{"_id": "t1"}, "t2"], "updatedAt": "2025-10-07T12:00:00.000Z"}))
    .unwrap();
    assert_eq!(c.kind, ConversationKind::Group);
    assert_eq!(c.tag_remote_ids, vec!["t1".to_owned(), "t2".to_owned()]);
    assert_eq!(c.updated_at.unwrap().timestamp(), 1759838400);
    let nest = Answer { status: 422, text: r#"{"statusCode":422,"message":["name should not be empty","x"]}"#.into() };
    assert_eq!(failure(&nest).0, "Cirrus refused it (HTTP 422): name should not be empty; x");
    let plain = Answer { status: 404, text: r#"{"statusCode":404,"message":"Contact not found"}"#.into() };
    assert_eq!(failure(&plain).0, "Cirrus refused it (HTTP 404): Contact not found");
}

fn parse(v: Value) -> Vec<WebhookEvent> {
    parse_callback(&v)
}

#[test]
fn a_recognised_message_callback_becomes_a_message_and_the_session() {
    let events = parse(json!({"event": "message.received", "data": {
        "messageId": "m1", "sessionId": "s1", "service": "d360",
        "contact": {"number": "+5521988887777", "name": "João Silva"},
        "text": "Olá", "quotedMessage": {"messageId": "m0"}, "isGroup": false,
        "timestamp": "2025-10-07T12:00:00.000Z"}}));
    let [WebhookEvent::Message(m), WebhookEvent::Chat { conversation, update }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(m.conversation_external_id, "5521988887777");
    assert_eq!(m.title, "João Silva");
    assert_eq!(m.body.as_deref(), Some("Olá"));
    assert_eq!(m.quoted_provider_message_id.as_deref(), Some("m0"));
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(m.contact.as_ref().unwrap().display_name.as_deref(), Some("João Silva"));
    assert_eq!(conversation.external_id, "5521988887777");
    assert_eq!(update.meta["session_id"], "s1");
    assert_eq!(update.window_expires_at.unwrap().timestamp(), 1759838400 + 86400);
}

#[test]
fn bare_media_group_and_echo_messages_are_read() {
    let media = parse(json!({"messageId": 7, "from": "5521900000001", "mediaUri": "https://x/y.pdf", "text": "nota"}));
    let [WebhookEvent::Message(m)] = media.as_slice() else { panic!("{media:?}") };
    assert_eq!((m.kind, m.caption.as_deref(), m.body.as_deref()), (MessageKind::File, Some("nota"), None));
    assert_eq!(m.provider_message_id, "7");
    let group = parse(json!({"event": "message", "data": {"messageId": "g1", "isGroup": true,
        "group": {"id": "grupo123", "name": "Equipe"}, "contact": {"number": "5521988887777", "name": "Ana"},
        "text": "oi grupo", "sessionId": "s9"}}));
    let WebhookEvent::Message(g) = &group[0] else { panic!() };
    assert_eq!(
        (g.conversation_kind, g.conversation_external_id.as_str(), g.title.as_str()),
        (ConversationKind::Group, "grupo123", "Equipe")
    );
    assert_eq!((g.sender_name.as_deref(), g.contact.is_none()), (Some("Ana"), true));
    let echo =
        parse(json!({"event": "message.sent", "data": {"messageId": "e1", "contact": {"number": "5521988887777"},
        "text": "enviado pelo app", "agentName": "Bia"}}));
    let WebhookEvent::Message(e) = &echo[0] else { panic!() };
    assert_eq!((e.direction, e.sender_name.as_deref()), (Direction::Outbound, Some("Bia")));
}

#[test]
fn anything_else_is_unrecognised_never_dropped() {
    let typing = parse(json!({"event": "typing", "data": {"contact": {"number": "5521988887777", "name": "Ana"}}}));
    let [WebhookEvent::Unrecognised { conversation: Some(c), summary }] = typing.as_slice() else {
        panic!("{typing:?}")
    };
    assert_eq!((c.external_id.as_str(), c.title.as_deref()), ("5521988887777", Some("Ana")));
    assert!(summary.contains("`typing`"), "{summary}");
    let unknown = parse(json!({"foo": [1, 2]}));
    assert!(matches!(unknown.as_slice(), [WebhookEvent::Unrecognised { conversation: None, .. }]));
    let empty_message = parse(json!({"event": "message", "data": {"messageId": "x", "from": "5521"}}));
    assert!(matches!(empty_message.as_slice(), [WebhookEvent::Unrecognised { conversation: Some(_), .. }]));
    assert!(matches!(parse(json!([1])).as_slice(), [WebhookEvent::Unrecognised { .. }]));
    let headers = axum::http::HeaderMap::new();
    let secrets = std::collections::BTreeMap::new();
    let req = WebhookRequest { headers: &headers, body: b"not json", secrets: &secrets };
    assert!(matches!(parse_webhook(&req), Err(WebhookError::InvalidJson(_))));
}
