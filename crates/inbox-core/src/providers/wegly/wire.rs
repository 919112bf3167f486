//! Every wire shape the client sends or reads where Wegly's document is silent, in one place,
//! with the documented ones beside them: each builder says whether its shape is documented or
//! inferred. Then Wegly's answers and message objects, read leniently.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::{NAME, WINDOW};
use crate::model::{
    ConversationStatus, DeliveryStatus, Direction, Interactive, InteractiveButton, InteractiveRow, InteractiveSection,
    Location, MessageKind, Priority, Template, TemplateField,
};
use crate::providers::http::{Answer, snippet};
use crate::providers::{ChatUpdate, SendFailure, Started};
use crate::{Error, Result};

/// Timeline pagination (inferred): `?page=` (1-based) and `?limit=`.
pub(super) const PAGE_PARAM: &str = "page";
pub(super) const LIMIT_PARAM: &str = "limit";
/// Records per timeline page we ask for.
pub(super) const PAGE_SIZE: u64 = 50;

/// Webhook event keys. `MESSAGE_RECEIVED` and `MESSAGE_SENT` are documented; the others are
/// inferred, with the aliases also accepted.
pub(super) const MESSAGE_RECEIVED: &str = "chat.message_received";
pub(super) const MESSAGE_SENT: &str = "chat.message_sent";
pub(super) const MESSAGE_STATUS: &[&str] =
    &["chat.message_status_updated", "chat.message_status", "chat.message_updated"];
pub(super) const REACTION: &[&str] = &["chat.message_reaction", "chat.message_reacted", "chat.reaction"];
pub(super) const REACTION_REMOVED: &[&str] = &["chat.message_reaction_removed", "chat.reaction_removed"];
pub(super) const CHAT_CHANGED: &[&str] = &[
    "chat.updated",
    "chat.created",
    "chat.status_updated",
    "chat.priority_updated",
    "chat.responsible_updated",
    "chat.assigned",
];

/// `template` and `template_fields` (documented: name, language; fields with component,
/// type, index, value, and optionally button_index, card_index).
fn template_parts(t: &Template) -> (Value, Value) {
    let fields: Vec<Value> = t
        .fields
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("component".into(), json!(f.component));
            o.insert("type".into(), json!(f.kind));
            o.insert("index".into(), json!(f.index));
            o.insert("value".into(), json!(f.value));
            if let Some(b) = f.button_index {
                o.insert("button_index".into(), json!(b));
            }
            if let Some(c) = f.card_index {
                o.insert("card_index".into(), json!(c));
            }
            Value::Object(o)
        })
        .collect();
    (json!({ "name": t.name, "language": t.language }), Value::Array(fields))
}

/// `POST /chats` (documented). `template_fields` is left out when the template has none.
pub(super) fn create_chat(phone_id: &str, wa_contact_id: &str, profile_name: Option<&str>, t: &Template) -> Value {
    let (template, fields) = template_parts(t);
    let mut body = json!({ "whatsapp_phone_id": phone_id, "wa_contact_id": wa_contact_id, "template": template });
    if !t.fields.is_empty() {
        body["template_fields"] = fields;
    }
    if let Some(name) = profile_name {
        body["remote_profile_name"] = json!(name);
    }
    body
}

fn with_reference(mut body: Value, reference_wamid: Option<&str>) -> Value {
    if let Some(w) = reference_wamid {
        body["reference_wamid"] = json!(w);
    }
    body
}

/// `POST /chats/{id}/messages`, `type: text` (documented).
pub(super) fn text(body: &str, reference_wamid: Option<&str>) -> Value {
    with_reference(json!({ "type": "text", "body": body }), reference_wamid)
}

/// `POST /chats/{id}/messages`, `type: template` (documented).
pub(super) fn template(t: &Template, reference_wamid: Option<&str>) -> Value {
    let (template, fields) = template_parts(t);
    with_reference(json!({ "type": "template", "template": template, "template_fields": fields }), reference_wamid)
}

/// WhatsApp's media category for a message kind.
pub(super) fn media_type(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Image => "image",
        MessageKind::Video => "video",
        MessageKind::Audio => "audio",
        MessageKind::Sticker => "sticker",
        _ => "document",
    }
}

/// `POST /chats/{id}/messages`, `type: media` (INFERRED): the caption as `body`, and a
/// `media` object mirroring the message object's `media{url, file_name, mime_type}` plus
/// WhatsApp's category in `media_type`.
pub(super) fn media(
    kind: MessageKind,
    url: &str,
    caption: Option<&str>,
    file_name: Option<&str>,
    mime_type: Option<&str>,
    reference_wamid: Option<&str>,
) -> Value {
    let mut media = json!({ "url": url, "media_type": media_type(kind) });
    if let Some(name) = file_name {
        media["file_name"] = json!(name);
    }
    if let Some(mime) = mime_type {
        media["mime_type"] = json!(mime);
    }
    let mut body = json!({ "type": "media", "media": media });
    if let Some(c) = caption {
        body["body"] = json!(c);
    }
    with_reference(body, reference_wamid)
}

/// `POST /chats/{id}/messages/interactive` (INFERRED, after WhatsApp's own interactive
/// message): `type` `button` with `buttons[{id, title}]`, or `type` `list` with `button`
/// (the text that opens it) and `sections[{title, rows[{id, title, description}]}]`;
/// `body`, and `header`/`footer` when given.
pub(super) fn interactive(i: &Interactive, reference_wamid: Option<&str>) -> Value {
    let mut body = if i.sections.is_empty() {
        json!({ "type": "button", "body": i.body, "buttons": i.buttons })
    } else {
        let sections: Vec<Value> = i
            .sections
            .iter()
            .map(|s| {
                let rows: Vec<Value> = s
                    .rows
                    .iter()
                    .map(|r| {
                        let mut row = json!({ "id": r.id, "title": r.title });
                        if let Some(d) = &r.description {
                            row["description"] = json!(d);
                        }
                        row
                    })
                    .collect();
                json!({ "title": s.title, "rows": rows })
            })
            .collect();
        json!({ "type": "list", "body": i.body, "button": i.list_button, "sections": sections })
    };
    if let Some(h) = &i.header {
        body["header"] = json!(h);
    }
    if let Some(f) = &i.footer {
        body["footer"] = json!(f);
    }
    with_reference(body, reference_wamid)
}

/// `POST /chats/{id}/messages/location` (documented fields: latitude, longitude, name,
/// address).
pub(super) fn location(l: &Location, reference_wamid: Option<&str>) -> Value {
    let mut body = json!({ "latitude": l.latitude, "longitude": l.longitude });
    if let Some(n) = &l.name {
        body["name"] = json!(n);
    }
    if let Some(a) = &l.address {
        body["address"] = json!(a);
    }
    with_reference(body, reference_wamid)
}

/// `PATCH /chats/{id}/responsible` (documented).
pub(super) fn responsible(user_id: &str) -> Value {
    json!({ "user_id": user_id })
}

/// The MIME type of a file name WhatsApp knows, for the media request.
pub(super) fn mime_of(name: &str) -> Option<&'static str> {
    let ext = name.split(['?', '#']).next().unwrap_or(name).rsplit('.').next()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "3gp" => "video/3gpp",
        "aac" => "audio/aac",
        "amr" => "audio/amr",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "opus" => "audio/ogg",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => return None,
    })
}

/// WhatsApp's file types per media kind (official API). A file whose extension names another
/// type is refused before sending; one without a known extension is left to Wegly.
pub(super) fn check_media_type(kind: MessageKind, name: &str) -> Result<(), SendFailure> {
    let ext = name.split(['?', '#']).next().unwrap_or(name).rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let Some(ext) = ext.filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric())) else {
        return Ok(());
    };
    let (allowed, what): (&[&str], &str) = match kind {
        MessageKind::Image => (&["jpg", "jpeg", "png"], "an image must be JPEG or PNG (at most 5 MB)"),
        MessageKind::Video => (&["mp4", "3gp"], "a video must be MP4 or 3GP (at most 16 MB)"),
        MessageKind::Audio => (
            &["aac", "amr", "mp3", "m4a", "ogg", "opus"],
            "audio must be AAC, AMR, MP3, M4A or OGG Opus (at most 16 MB)",
        ),
        MessageKind::Sticker => (&["webp"], "a sticker must be WebP (at most 100 KB, 500 KB animated)"),
        _ => return Ok(()),
    };
    if allowed.contains(&ext.as_str()) {
        Ok(())
    } else {
        Err(SendFailure(format!("WhatsApp does not take a .{ext} file this way: {what}. Send it as a file instead.")))
    }
}

/// A readable failure out of a Wegly error answer: its `message` (a string or a list of
/// strings) and the HTTP status, with a hint for the token errors.
pub(super) fn failure(answer: &Answer) -> SendFailure {
    let said = answer.json().and_then(|v| {
        let message = match v.get("message") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::Array(items)) => {
                let parts: Vec<String> =
                    items.iter().map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string())).collect();
                (!parts.is_empty()).then(|| parts.join("; "))
            }
            _ => None,
        };
        message.or_else(|| v.get("error").and_then(Value::as_str).map(str::to_owned))
    });
    let hint = match answer.status {
        401 => " Check the integration token.",
        403 => " The token may be restricted to an allowed domain: set the account's Origin to it.",
        _ => "",
    };
    match said {
        Some(m) => SendFailure(format!("{NAME} refused it (HTTP {}): {}.{hint}", answer.status, snippet(&m))),
        None => {
            let mut f = answer.failure(NAME);
            f.0.push_str(hint);
            f
        }
    }
}

/// Wegly's id of the message a send created: `records[0].id` of `{total, records:[message]}`
/// (a bare message object is accepted too).
pub(super) fn sent_message_id(answer: &Value) -> Option<String> {
    let message = answer.get("records").and_then(Value::as_array).and_then(|r| r.first()).unwrap_or(answer);
    str_at(message, "id").map(str::to_owned)
}

/// The customer's WhatsApp id as Wegly takes it (`wa_contact_id`, up to 50 characters): the
/// number's digits, with country code.
pub(super) fn wa_contact_id(to: &str) -> Result<String> {
    let digits: String = to.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+')).collect();
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(text!("wegly.to_invalid")));
    }
    Ok(digits)
}

/// What the create-chat answer says: the chat id the conversation is re-keyed to, the chat's
/// state, and our template's id when `last_message` is it.
pub(super) fn parse_created_chat(chat: &Value) -> Result<Started, SendFailure> {
    let id = str_at(chat, "id")
        .ok_or_else(|| SendFailure(format!("{NAME} answered without a chat id: {}", snippet(&chat.to_string()))))?;
    Ok(Started {
        external_id: Some(id.to_owned()),
        meta: Map::new(),
        first_message_id: our_template_id(chat),
        chat: Some(chat_update(chat, Utc::now())),
        handoff: None,
        first_message_failure: None,
    })
}

/// `last_message.id` when it is an outbound template (ours); a reused chat's last message may
/// be anything else.
pub(super) fn our_template_id(chat: &Value) -> Option<String> {
    let last = chat.get("last_message").filter(|m| m.is_object())?;
    let template = str_at(last, "type").is_some_and(|t| t.eq_ignore_ascii_case("template"));
    (template && direction_of(last) == Direction::Outbound).then(|| str_at(last, "id").map(str::to_owned)).flatten()
}

/// A Wegly chat object as the inbox's chat update. `now` is when the window counts as closed
/// if the chat says it has none.
pub(super) fn chat_update(chat: &Value, now: DateTime<Utc>) -> ChatUpdate {
    let status = str_at(chat, "status").and_then(|s| match s.to_ascii_uppercase().as_str() {
        "OPEN" => Some(ConversationStatus::Open),
        "RESOLVED" => Some(ConversationStatus::Resolved),
        "SNOOZED" => Some(ConversationStatus::Snoozed),
        _ => None,
    });
    let priority = chat.get("priority").and_then(as_i64).and_then(|p| Priority::try_from(p).ok());
    let assignee = chat
        .pointer("/assigned_agent/user/name")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned);
    ChatUpdate {
        title: chat_title(chat),
        status,
        priority,
        unread_count: chat.get("unread_count").and_then(as_i64),
        window_expires_at: window_of(chat, now),
        assignee,
        avatar_url: None,
        meta: Map::new(),
    }
}

/// The end of the 24-hour window a chat object states: `session_expires_at`; else the last
/// customer message + 24 h; a chat that states the session but has none is closed (`now`).
/// `None` when the object says nothing about it (the create answer).
pub(super) fn window_of(chat: &Value, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let last_customer = chat.get("last_customer_msg_at").and_then(Value::as_str).and_then(parse_time);
    match chat.get("session_expires_at") {
        Some(Value::String(s)) => parse_time(s).or(last_customer.map(|t| t + WINDOW)),
        Some(Value::Null) => Some(last_customer.map_or(now, |t| t + WINDOW)),
        _ => last_customer.map(|t| t + WINDOW),
    }
}

pub(super) fn chat_title(chat: &Value) -> Option<String> {
    str_at(chat, "contact_name")
        .or_else(|| str_at(chat, "remote_profile_name"))
        .or_else(|| str_at(chat, "contact_number"))
        .or_else(|| str_at(chat, "wa_contact_id"))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

pub(super) fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

pub(super) fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// RFC 3339, or Unix seconds (or milliseconds) as a number or a string.
pub(super) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    let n: i64 = s.trim().parse().ok()?;
    if n > 100_000_000_000 { Utc.timestamp_millis_opt(n).single() } else { Utc.timestamp_opt(n, 0).single() }
}

pub(super) fn time_of(v: Option<&Value>) -> Option<DateTime<Utc>> {
    match v? {
        Value::String(s) => parse_time(s),
        Value::Number(n) => n.as_i64().and_then(|n| parse_time(&n.to_string())),
        _ => None,
    }
}

/// `origin` decides; `from_me` is the fallback (the document's example has both, contradicting).
pub(super) fn direction_of(m: &Value) -> Direction {
    match str_at(m, "origin").map(str::to_ascii_uppercase).as_deref() {
        Some("OUTBOUND") => Direction::Outbound,
        Some("INBOUND") => Direction::Inbound,
        _ if m.get("from_me").and_then(Value::as_bool) == Some(true) => Direction::Outbound,
        _ => Direction::Inbound,
    }
}

/// Wegly's message status as ours; `None` for statuses that say nothing about delivery.
pub(super) fn status_of(s: &str) -> Option<DeliveryStatus> {
    Some(match s.to_ascii_lowercase().as_str() {
        "processing" | "pending" | "queued" | "scheduled" => DeliveryStatus::Pending,
        "sent" | "accepted" => DeliveryStatus::Sent,
        "delivered" | "received" => DeliveryStatus::Delivered,
        "read" | "seen" | "played" => DeliveryStatus::Read,
        "failed" | "error" | "rejected" | "undelivered" => DeliveryStatus::Failed,
        _ => return None,
    })
}

pub(super) fn message_error(m: &Value) -> Option<String> {
    ["error_message", "error", "failure_reason", "status_reason"]
        .iter()
        .find_map(|k| match m.get(*k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Object(o)) => {
                o.get("message").or_else(|| o.get("title")).and_then(Value::as_str).map(str::to_owned)
            }
            _ => None,
        })
        .map(|e| snippet(&e))
}

pub(super) fn person_name(v: Option<&Value>) -> Option<String> {
    let v = v?;
    v.pointer("/user/name")
        .or_else(|| v.get("name"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A message object's id: Wegly's message `id` (see the module comment); the wamid only when
/// there is no id.
pub(super) fn message_key(m: &Value) -> Option<&str> {
    str_at(m, "id").or_else(|| str_at(m, "wamid"))
}

pub(super) fn quoted_key(m: &Value) -> Option<String> {
    match m.get("quoted_message")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        q @ Value::Object(_) => message_key(q).map(str::to_owned),
        _ => None,
    }
}

pub(super) fn template_of(content: &Value) -> Option<Template> {
    let t = content.get("template").filter(|t| t.is_object()).unwrap_or(content);
    let name = str_at(t, "name")?.to_owned();
    let language = str_at(t, "language")
        .or_else(|| t.pointer("/language/code").and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
    let fields = content
        .get("template_fields")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .filter_map(|f| {
                    Some(TemplateField {
                        component: str_at(f, "component")?.to_owned(),
                        kind: str_at(f, "type").unwrap_or("TEXT").to_owned(),
                        index: f.get("index").and_then(as_i64).unwrap_or(0),
                        value: f
                            .get("value")
                            .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))?,
                        button_index: f.get("button_index").and_then(as_i64),
                        card_index: f.get("card_index").and_then(as_i64),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Template { name, language, fields, rendered: None })
}

pub(super) fn interactive_of(content: &Value) -> Option<Interactive> {
    let body = str_at(content, "body").or_else(|| content.pointer("/body/text").and_then(Value::as_str))?.to_owned();
    let text = |k: &str| str_at(content, k).map(str::to_owned);
    let buttons = content
        .get("buttons")
        .and_then(Value::as_array)
        .map(|bs| {
            bs.iter()
                .filter_map(|b| {
                    let b = b.get("reply").unwrap_or(b);
                    Some(InteractiveButton { id: str_at(b, "id")?.to_owned(), title: str_at(b, "title")?.to_owned() })
                })
                .collect()
        })
        .unwrap_or_default();
    let sections = content
        .get("sections")
        .and_then(Value::as_array)
        .map(|ss| {
            ss.iter()
                .map(|s| InteractiveSection {
                    title: str_at(s, "title").unwrap_or_default().to_owned(),
                    rows: s
                        .get("rows")
                        .and_then(Value::as_array)
                        .map(|rs| {
                            rs.iter()
                                .filter_map(|r| {
                                    Some(InteractiveRow {
                                        id: str_at(r, "id")?.to_owned(),
                                        title: str_at(r, "title")?.to_owned(),
                                        description: str_at(r, "description").map(str::to_owned),
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Interactive {
        body,
        header: text("header"),
        footer: text("footer"),
        buttons,
        list_button: text("button").or_else(|| text("list_button")),
        sections,
    })
}

pub(super) fn location_of(content: &Value) -> Option<Location> {
    let l = content.get("location").filter(|l| l.is_object()).unwrap_or(content);
    Some(Location {
        latitude: l.get("latitude").and_then(as_f64)?,
        longitude: l.get("longitude").and_then(as_f64)?,
        name: str_at(l, "name").map(str::to_owned),
        address: str_at(l, "address").map(str::to_owned),
    })
}

pub(super) fn media_kind(type_: &str, mime: Option<&str>, name: Option<&str>) -> MessageKind {
    match type_ {
        "image" => MessageKind::Image,
        "video" => MessageKind::Video,
        "audio" | "voice" | "ptt" => MessageKind::Audio,
        "sticker" => MessageKind::Sticker,
        "document" | "file" => MessageKind::File,
        _ => match mime.map(|m| m.split('/').next().unwrap_or_default()) {
            Some("image") => MessageKind::Image,
            Some("video") => MessageKind::Video,
            Some("audio") => MessageKind::Audio,
            Some(_) => MessageKind::File,
            None => name.map(MessageKind::from_file_name).unwrap_or(MessageKind::File),
        },
    }
}
