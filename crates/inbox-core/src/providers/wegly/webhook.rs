//! Signed webhook deliveries (and timeline records) as the inbox's events.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use super::WINDOW;
use super::wire::{
    self, chat_title, chat_update, direction_of, interactive_of, location_of, media_kind, message_error, message_key,
    person_name, quoted_key, status_of, str_at, template_of, time_of,
};
use crate::exchange::{InboundContact, InboundMessage};
use crate::model::{ConversationKind, DeliveryStatus, Direction, MessageKind};
use crate::providers::http::{self, snippet};
use crate::providers::{ChatUpdate, ConversationRef, WebhookError, WebhookEvent, WebhookRequest};

/// A chat as a webhook or timeline names it.
pub(super) struct ChatInfo {
    pub(super) id: String,
    pub(super) title: Option<String>,
    pub(super) contact: Option<InboundContact>,
    pub(super) update: Option<ChatUpdate>,
}

impl ChatInfo {
    pub(super) fn bare(id: &str) -> ChatInfo {
        ChatInfo { id: id.to_owned(), title: None, contact: None, update: None }
    }

    fn from_chat(chat: &Value, now: DateTime<Utc>) -> Option<ChatInfo> {
        let id = str_at(chat, "id")?.to_owned();
        let title = chat_title(chat);
        let wa = str_at(chat, "wa_contact_id").or_else(|| str_at(chat, "contact_number"));
        let contact = wa.map(|wa| InboundContact {
            external_id: wa.to_owned(),
            display_name: str_at(chat, "contact_name").map(str::to_owned),
            avatar_url: None,
        });
        Some(ChatInfo { id, title, contact, update: Some(chat_update(chat, now)) })
    }

    fn conversation(&self) -> ConversationRef {
        ConversationRef { external_id: self.id.clone(), kind: ConversationKind::Individual, title: self.title.clone() }
    }
}

/// The reactor our own reactions are stored under: WhatsApp allows one reaction per reactor, and
/// every Wegly user reacts as the same business number.
const OUR_REACTOR: &str = "business";

/// Who reacted, and whether it was our side (the business number, whichever Wegly user).
fn reaction_event(message_id: &str, r: &Value, chat: &ChatInfo, remove: bool) -> Option<WebhookEvent> {
    let actor = str_at(r, "actor").unwrap_or("CONTACT").to_ascii_uppercase();
    let from_me = actor != "CONTACT";
    let reactor = if from_me {
        OUR_REACTOR.to_owned()
    } else {
        str_at(r, "reactor_wa_id")
            .map(str::to_owned)
            .or_else(|| chat.contact.as_ref().map(|c| c.external_id.clone()))
            .unwrap_or_else(|| "contact".to_owned())
    };
    let emoji = if remove { None } else { str_at(r, "emoji").map(str::to_owned) };
    Some(WebhookEvent::Reaction { provider_message_id: message_id.to_owned(), reactor, emoji, from_me })
}

/// A message object as the inbox's events: the message, then (for a customer message, when
/// `window` is set) the chat update that moves the 24-hour window, then its reactions.
pub(super) fn message_events(
    chat: &ChatInfo,
    m: &Value,
    fallback_time: Option<DateTime<Utc>>,
    window: bool,
) -> Result<Vec<WebhookEvent>, String> {
    let id = message_key(m).ok_or("the message has no id")?.to_owned();
    let direction = direction_of(m);
    // `created_at` has milliseconds, so a quick answer sorts after what it answers; WhatsApp's
    // `meta_timestamp` (seconds) is the truth for history Wegly synced later.
    let history = m.get("is_history").and_then(Value::as_bool) == Some(true);
    let (first, second) = if history { ("meta_timestamp", "created_at") } else { ("created_at", "meta_timestamp") };
    let sent_at = time_of(m.get(first))
        .or_else(|| time_of(m.get(second)))
        .or_else(|| time_of(m.get("sent_at")))
        .or(fallback_time)
        .unwrap_or_else(Utc::now);
    let type_ = str_at(m, "type").unwrap_or("text").to_ascii_lowercase();
    let body_text = str_at(m, "body_text").or_else(|| str_at(m, "body")).map(str::to_owned);
    let content = m.get("content_payload").filter(|c| c.as_object().is_some_and(|o| !o.is_empty()));
    let media = m.get("media").filter(|v| v.is_object());
    let mut kind = MessageKind::Text;
    let mut body = body_text.clone();
    let (mut media_url, mut caption, mut file_name, mut payload) = (None, None, None, None);
    match type_.as_str() {
        "text" => {}
        "template" => {
            kind = MessageKind::Template;
            let t = content.and_then(template_of);
            if body.is_none() {
                body = t.as_ref().map(|t| format!("[{}]", t.name));
            }
            payload = t.map(|t| json!({ "template": t }));
        }
        "location" => match content.and_then(location_of).or_else(|| location_of(m)) {
            Some(l) => {
                kind = MessageKind::Location;
                body = body.or_else(|| l.name.clone()).or_else(|| l.address.clone());
                payload = Some(json!({ "location": l }));
            }
            None => kind = MessageKind::Text,
        },
        "interactive" | "button" | "list" => {
            // Ours (sent from Wegly) carries the buttons; a customer's answer is its text.
            if direction == Direction::Outbound
                && let Some(i) = content.and_then(interactive_of)
            {
                kind = MessageKind::Interactive;
                body = Some(i.body.clone());
                payload = Some(json!({ "interactive": i }));
            }
        }
        _ if media.is_some() || matches!(type_.as_str(), "image" | "video" | "audio" | "document" | "sticker") => {
            let mime = media.and_then(|x| str_at(x, "mime_type"));
            let name = media.and_then(|x| str_at(x, "file_name"));
            kind = media_kind(&type_, mime, name);
            media_url = media.and_then(|x| str_at(x, "url")).map(str::to_owned);
            file_name = name.map(str::to_owned);
            caption = body.take();
        }
        other if body.is_none() => {
            kind = MessageKind::Unrecognised;
            body = Some(format!("Wegly message of type `{other}`"));
            payload = Some(json!({ "raw": m }));
        }
        _ => {}
    }
    let sender_name = match direction {
        Direction::Inbound => chat.contact.as_ref().and_then(|c| c.display_name.clone()).or_else(|| chat.title.clone()),
        Direction::Outbound => person_name(m.get("user")).or_else(|| person_name(m.get("agent"))),
    };
    let status = match direction {
        Direction::Inbound => None,
        Direction::Outbound => str_at(m, "status").and_then(status_of),
    };
    let message = InboundMessage {
        direction,
        conversation_external_id: chat.id.clone(),
        conversation_kind: ConversationKind::Individual,
        title: chat.title.clone().unwrap_or_else(|| chat.id.clone()),
        avatar_url: None,
        contact: chat.contact.clone(),
        sender_name,
        sender_external_id: match direction {
            Direction::Inbound => chat.contact.as_ref().map(|c| c.external_id.clone()),
            Direction::Outbound => None,
        },
        kind,
        body,
        media_url,
        caption,
        file_name,
        payload,
        quoted_provider_message_id: quoted_key(m),
        status,
        provider_message_id: id.clone(),
        sent_at,
    };
    let mut events = vec![WebhookEvent::Message(Box::new(message))];
    if window {
        // Only what a message tells for sure: Wegly's unread count, status and priority do not
        // know what the agent did here (there is no route to tell Wegly), so they come from a
        // refresh or a chat event instead.
        let known = chat.update.clone().unwrap_or_default();
        let mut update = ChatUpdate { title: known.title, assignee: known.assignee, ..ChatUpdate::default() };
        if direction == Direction::Inbound {
            let end = sent_at + WINDOW;
            update.window_expires_at = Some(update.window_expires_at.map_or(end, |w| w.max(end)));
        }
        if update != ChatUpdate::default() {
            events.push(WebhookEvent::Chat { conversation: chat.conversation(), update });
        }
    }
    if direction == Direction::Outbound
        && let Some(status) = str_at(m, "status").and_then(status_of).filter(|s| *s != DeliveryStatus::Pending)
    {
        // The echo of our own send deduplicates; its status still moves ours forward.
        events.push(WebhookEvent::Status { provider_message_id: id.clone(), status, error: message_error(m) });
    }
    for r in m.get("reactions").and_then(Value::as_array).into_iter().flatten() {
        events.extend(reaction_event(&id, r, chat, false));
    }
    Ok(events)
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/// Checks `x-wegly-signature` against the HMAC-SHA256 of the raw body under `secret`, in
/// constant time. Accepts lower/upper-case hex and standard/URL-safe base64 (padded or not),
/// optionally prefixed `sha256=`.
pub(super) fn verify_signature(secret: &str, body: &[u8], signature: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    let expected: [u8; 32] = mac.finalize().into_bytes().into();
    let given = signature.trim();
    let given = given.strip_prefix("sha256=").or_else(|| given.strip_prefix("SHA256=")).unwrap_or(given);
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    if given.len() == 64
        && let Ok(bytes) = hex::decode(given)
    {
        candidates.push(bytes);
    }
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let unpadded = given.trim_end_matches('=');
    for engine in [b64, url] {
        if let Ok(bytes) = engine.decode(unpadded) {
            candidates.push(bytes);
        }
    }
    // Every candidate is compared, so the time taken does not depend on which one matched.
    candidates
        .iter()
        .filter(|c| c.len() == expected.len())
        .fold(subtle::Choice::from(0), |acc, c| acc | c.as_slice().ct_eq(&expected[..]))
        .into()
}

/// Maps one signed delivery onto the inbox's events (see the module comment for the shapes).
pub(crate) fn parse_webhook(req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
    let Some(secret) = req.secrets.get("signing_secret").filter(|s| !s.expose().is_empty()) else {
        return Err(WebhookError::Unauthorized(
            "the account has no webhook signing secret; edit the account to set it".into(),
        ));
    };
    let Some(signature) = req.header("x-wegly-signature").filter(|s| !s.trim().is_empty()) else {
        return Err(WebhookError::Unauthorized("the delivery has no x-wegly-signature header".into()));
    };
    if !verify_signature(secret.expose(), req.body, signature) {
        return Err(WebhookError::Unauthorized("the x-wegly-signature does not match the body".into()));
    }
    let delivery: Value = http::webhook_json(req.body)?;
    if !delivery.is_object() {
        return Err(WebhookError::Invalid("the delivery is not a JSON object".into()));
    }
    let key = str_at(&delivery, "event_key")
        .or_else(|| str_at(&delivery, "event"))
        .or_else(|| req.header("x-wegly-event"))
        .ok_or_else(|| WebhookError::Invalid("the delivery has no `event_key`".into()))?
        .to_owned();
    let payload = delivery.get("payload").filter(|p| p.is_object()).unwrap_or(&Value::Null);
    map_event(&key, payload, Utc::now())
}

/// The message object of a payload: `payload.message`, or the payload itself when it is one.
fn payload_message(payload: &Value) -> Option<&Value> {
    payload.get("message").filter(|m| m.is_object()).or_else(|| {
        (payload.get("id").is_some()
            && ["origin", "body_text", "from_me", "wamid"].iter().any(|k| payload.get(*k).is_some()))
        .then_some(payload)
    })
}

/// The chat a payload is about, with what it says of it.
fn payload_chat(payload: &Value, message: Option<&Value>, now: DateTime<Utc>) -> Option<ChatInfo> {
    if let Some(chat) = payload.get("chat").filter(|c| c.is_object())
        && let Some(info) = ChatInfo::from_chat(chat, now)
    {
        return Some(info);
    }
    let id = str_at(payload, "chat_id").or_else(|| message.and_then(|m| str_at(m, "chat_id")))?;
    Some(ChatInfo::bare(id))
}

fn map_event(key: &str, payload: &Value, now: DateTime<Utc>) -> Result<Vec<WebhookEvent>, WebhookError> {
    let invalid = |m: &str| WebhookError::Invalid(format!("{key}: {m}"));
    let message = payload_message(payload);
    if key == wire::MESSAGE_RECEIVED || key == wire::MESSAGE_SENT {
        let m = message.ok_or_else(|| invalid("no message in the payload"))?;
        let chat = payload_chat(payload, Some(m), now).ok_or_else(|| invalid("no chat id in the payload"))?;
        return message_events(&chat, m, None, true).map_err(|e| invalid(&e));
    }
    if wire::MESSAGE_STATUS.contains(&key) {
        let id = message
            .and_then(message_key)
            .or_else(|| str_at(payload, "message_id"))
            .ok_or_else(|| invalid("no message id in the payload"))?;
        let status = message
            .and_then(|m| str_at(m, "status"))
            .or_else(|| str_at(payload, "status"))
            .ok_or_else(|| invalid("no status in the payload"))?;
        let Some(status) = status_of(status) else {
            return Ok(vec![WebhookEvent::Ignored("a message status the inbox does not track")]);
        };
        let error = message.and_then(message_error).or_else(|| message_error(payload));
        return Ok(vec![WebhookEvent::Status { provider_message_id: id.to_owned(), status, error }]);
    }
    let removed = wire::REACTION_REMOVED.contains(&key);
    if removed || wire::REACTION.contains(&key) {
        let id = str_at(payload, "message_id")
            .or_else(|| payload.get("reaction").and_then(|r| str_at(r, "message_id")))
            .or_else(|| message.and_then(message_key))
            .ok_or_else(|| invalid("no message id in the payload"))?;
        let reaction = payload.get("reaction").filter(|r| r.is_object()).ok_or_else(|| invalid("no reaction"))?;
        let chat = payload_chat(payload, message, now).unwrap_or_else(|| ChatInfo::bare(""));
        let empty = str_at(reaction, "emoji").is_none();
        return Ok(reaction_event(id, reaction, &chat, removed || empty).into_iter().collect());
    }
    if wire::CHAT_CHANGED.contains(&key) {
        let chat_value = payload.get("chat").filter(|c| c.is_object()).unwrap_or(payload);
        let info = ChatInfo::from_chat(chat_value, now).ok_or_else(|| invalid("no chat in the payload"))?;
        // Wegly's unread count counts what was read in Wegly only; ours counts what was read here.
        let update = ChatUpdate { unread_count: None, ..info.update.clone().unwrap_or_default() };
        return Ok(vec![WebhookEvent::Chat { conversation: info.conversation(), update }]);
    }
    // Lead, deal and any other event: kept raw, tied to its chat when it names one.
    let conversation = payload_chat(payload, message, now).map(|c| c.conversation());
    let name = ["lead", "deal", "person", "contact"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|o| str_at(o, "name").or_else(|| str_at(o, "title"))))
        .or_else(|| str_at(payload, "name").or_else(|| str_at(payload, "title")));
    let summary = match name {
        Some(n) => format!("Wegly event {key}: {}", snippet(n)),
        None => format!("Wegly event {key}"),
    };
    Ok(vec![WebhookEvent::Unrecognised { conversation, summary }])
}
