//! Cirrus's callbacks, whose shape is not public (see [`parse_webhook`]).

use chrono::Utc;
use serde_json::Value;

use super::Service;
use super::wire::{string_of, text_field, time_of};
use crate::exchange::{InboundContact, InboundMessage};
use crate::model::{ConversationKind, Direction, MessageKind};
use crate::providers::http;
use crate::providers::{ChatUpdate, ConversationRef, WebhookError, WebhookEvent, WebhookRequest};

/// Envelope event names read as a message from the customer (or, `message.sent`, one sent from
/// Cirrus's own app).
const MESSAGE_EVENTS: &[&str] = &["message", "message.received", "message.sent"];

/// Reads a Cirrus callback. Cirrus does not publish their shape, so these are the shapes read:
///
/// - an envelope `{"event": "<name>", "data": {...}}` (`type`/`payload` also accepted), whose
///   `message`, `message.received` or `message.sent` events carry a message object;
/// - a bare message object.
///
/// A message object has `messageId`; the customer as `contact {number, name}` (or
/// `contactIdentifier`/`clientProviderId`/`from` and `userName`/`senderName`); `text` and/or
/// `mediaUri` (with optional `mediaType`, `fileName`); optional `sessionId` (kept on the
/// conversation so replies go through the session), `quotedMessage {messageId}`, `isGroup` with
/// `group {id, name}` (or `groupId`/`groupName`), `fromMe` (sent from Cirrus's own app),
/// `service` (`d360` opens the 24-hour window) and `timestamp` (ISO 8601, or Unix seconds or
/// milliseconds).
///
/// Any other JSON, including an envelope with another event name, becomes
/// [`WebhookEvent::Unrecognised`] in the contact's conversation when a number can be found (in
/// the account's "Unrecognised events" conversation otherwise): stored raw, never dropped. A
/// body that is not JSON is refused (400).
pub(crate) fn parse_webhook(req: &WebhookRequest<'_>) -> std::result::Result<Vec<WebhookEvent>, WebhookError> {
    // Any JSON value is accepted, so the only refusal is "not JSON" (400).
    let value: Value = http::webhook_json(req.body)?;
    Ok(parse_callback(&value))
}

/// [`parse_webhook`] on parsed JSON.
pub(super) fn parse_callback(value: &Value) -> Vec<WebhookEvent> {
    let name = value.get("event").or_else(|| value.get("type")).and_then(Value::as_str);
    let inner = value.get("data").or_else(|| value.get("payload")).filter(|d| d.is_object());
    let (name, body) = match (name, inner) {
        (Some(name), Some(inner)) => (Some(name), inner),
        (Some(name), None) if value.get("messageId").is_none() => (Some(name), value),
        _ => (None, value),
    };
    match name {
        Some(n) if MESSAGE_EVENTS.contains(&n) => message_events(body, n == "message.sent")
            .unwrap_or_else(|| vec![unrecognised(body, format!("Cirrus `{n}` event the inbox could not read"))]),
        Some(n) => vec![unrecognised(body, format!("Unrecognised Cirrus event `{n}`"))],
        None => {
            message_events(body, false).unwrap_or_else(|| vec![unrecognised(body, "Unrecognised Cirrus event".into())])
        }
    }
}

fn contact_number(v: &Value) -> Option<String> {
    v.get("contact")
        .and_then(|c| text_field(c, &["number", "contactIdentifier", "phone"]))
        .or_else(|| {
            text_field(v, &["contactIdentifier", "clientProviderId", "from", "senderNumber", "recipientNumber"])
        })
        .map(|n| n.trim_start_matches('+').to_owned())
}

fn contact_name(v: &Value) -> Option<String> {
    v.get("contact")
        .and_then(|c| text_field(c, &["name", "customName"]))
        .or_else(|| text_field(v, &["userName", "senderName"]))
}

fn group_of(v: &Value) -> Option<(String, Option<String>)> {
    let flagged = v.get("isGroup").and_then(Value::as_bool).unwrap_or(false)
        || v.get("type").and_then(Value::as_str) == Some("group");
    let id =
        v.get("group").and_then(|g| text_field(g, &["id", "_id", "number"])).or_else(|| text_field(v, &["groupId"]));
    if !flagged && id.is_none() {
        return None;
    }
    let name = v.get("group").and_then(|g| text_field(g, &["name"])).or_else(|| text_field(v, &["groupName"]));
    Some((id?, name))
}

fn unrecognised(body: &Value, summary: String) -> WebhookEvent {
    let conversation = match group_of(body) {
        Some((id, name)) => Some(ConversationRef { external_id: id, kind: ConversationKind::Group, title: name }),
        None => contact_number(body).map(|n| ConversationRef {
            title: Some(contact_name(body).unwrap_or_else(|| format!("+{n}"))),
            external_id: n,
            kind: ConversationKind::Individual,
        }),
    };
    WebhookEvent::Unrecognised { conversation, summary }
}

fn message_events(v: &Value, sent_event: bool) -> Option<Vec<WebhookEvent>> {
    if !v.is_object() {
        return None;
    }
    let message_id = v.get("messageId").and_then(string_of)?;
    let number = contact_number(v);
    let name = contact_name(v);
    let group = group_of(v);
    let text = text_field(v, &["text", "body"]);
    let media = text_field(v, &["mediaUri", "mediaUrl"]);
    if text.is_none() && media.is_none() {
        return None;
    }
    let sent_at =
        ["timestamp", "createdAt", "date"].iter().find_map(|k| v.get(*k).and_then(time_of)).unwrap_or_else(Utc::now);
    let from_me = sent_event || v.get("fromMe").and_then(Value::as_bool).unwrap_or(false);
    let kind = match (&media, v.get("mediaType").and_then(Value::as_str)) {
        (None, _) => MessageKind::Text,
        (Some(_), Some("image")) => MessageKind::Image,
        (Some(_), Some("video")) => MessageKind::Video,
        (Some(_), Some("audio" | "voice" | "ptt")) => MessageKind::Audio,
        (Some(_), Some("sticker")) => MessageKind::Sticker,
        (Some(_), Some("document" | "file")) => MessageKind::File,
        (Some(url), _) => MessageKind::from_file_name(url),
    };
    let (body, caption) = if media.is_some() { (None, text) } else { (text, None) };
    let quoted = v
        .get("quotedMessage")
        .and_then(|q| q.get("messageId").or_else(|| q.get("id")).or_else(|| q.get("_id")).and_then(string_of))
        .or_else(|| v.get("quotedMessageId").and_then(string_of));
    let (external_id, conversation_kind, title, contact) = match &group {
        Some((id, group_name)) => {
            (id.clone(), ConversationKind::Group, group_name.clone().unwrap_or_else(|| id.clone()), None)
        }
        None => {
            let number = number.clone()?;
            let contact = (!from_me).then(|| InboundContact {
                external_id: number.clone(),
                display_name: name.clone(),
                avatar_url: None,
            });
            let title = name.clone().filter(|_| !from_me).unwrap_or_else(|| format!("+{number}"));
            (number, ConversationKind::Individual, title, contact)
        }
    };
    let message = InboundMessage {
        direction: if from_me { Direction::Outbound } else { Direction::Inbound },
        conversation_external_id: external_id.clone(),
        conversation_kind,
        title,
        avatar_url: None,
        contact,
        sender_name: if from_me { text_field(v, &["agentName"]) } else { name },
        sender_external_id: if from_me { None } else { number },
        kind,
        body,
        media_url: media,
        caption,
        file_name: text_field(v, &["fileName"]),
        payload: None,
        quoted_provider_message_id: quoted,
        status: None,
        provider_message_id: message_id,
        sent_at,
    };
    let mut events = vec![WebhookEvent::Message(Box::new(message))];
    let mut update = ChatUpdate::default();
    if let Some(session) = v.get("sessionId").and_then(string_of) {
        update.meta.insert("session_id".into(), Value::String(session));
    }
    if let Some(service) = text_field(v, &["service"]).filter(|s| Service::parse(s).is_ok()) {
        if service == "d360" && !from_me && conversation_kind == ConversationKind::Individual {
            update.window_expires_at = Some(sent_at + chrono::Duration::hours(24));
        }
        update.meta.insert("service".into(), Value::String(service));
    }
    if update != ChatUpdate::default() {
        events.push(WebhookEvent::Chat {
            conversation: ConversationRef { external_id, kind: conversation_kind, title: None },
            update,
        });
    }
    Some(events)
}
