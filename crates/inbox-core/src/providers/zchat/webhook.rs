//! Triggers of either flavour (unsigned: the receiving URL is the secret) as the inbox's events.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::wire::text_of;
use crate::exchange::InboundMessage;
use crate::model::{ConversationKind, Direction, HandoffState, MessageKind};
use crate::providers::http;
use crate::providers::{ConversationRef, HandoffEvent, WebhookError, WebhookEvent, WebhookRequest};

/// JSON with object keys sorted, whatever the map's order: the input of derived message ids.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> =
                entries.into_iter().map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// A stable id for an agent message that comes without one: the same delivery again gets the
/// same id (and is stored once).
fn derived_message_id(interaction_hash: &str, content: &str, body: &Value) -> String {
    let mut digest = Sha256::new();
    digest.update(interaction_hash.as_bytes());
    digest.update([0]);
    digest.update(content.as_bytes());
    digest.update([0]);
    digest.update(canonical(body).as_bytes());
    format!("{interaction_hash}:{}", &hex::encode(digest.finalize())[..32])
}

/// A message `type` (short form or MIME) as a kind; `None` for text.
fn media_kind(kind: &str) -> Option<MessageKind> {
    match kind.trim().to_ascii_lowercase().split('/').next().unwrap_or_default() {
        "image" | "sticker" => Some(MessageKind::Image),
        "video" => Some(MessageKind::Video),
        "audio" | "voice" => Some(MessageKind::Audio),
        "file" | "document" | "application" => Some(MessageKind::File),
        _ => None,
    }
}

/// A trigger of either flavour (the body's shape tells which: `external_id` is the WhatsApp
/// flavour's) as the inbox's events.
pub(crate) fn parse_webhook(req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
    let value: Value = http::webhook_json(req.body)?;
    let body = value.as_object().ok_or_else(|| WebhookError::Invalid("the trigger is not a JSON object".into()))?;
    let hash = text_of(body.get("interaction_hash"))
        .ok_or_else(|| WebhookError::Invalid("missing field `interaction_hash`".into()))?;
    let external_id = text_of(body.get("external_id"));
    let conversation = ConversationRef::individual(external_id.clone().unwrap_or_else(|| hash.clone()));
    let agent = body.get("agent");
    let agent_name = agent.and_then(|a| text_of(a.get("name")));

    if let Some(message) = body.get("message") {
        let message = message.as_object().ok_or_else(|| WebhookError::Invalid("`message` must be an object".into()))?;
        let content = text_of(message.get("content")).unwrap_or_default();
        let url = text_of(message.get("url"));
        let declared = text_of(message.get("type"));
        let is_text = declared.as_deref().is_none_or(|t| {
            let t = t.to_ascii_lowercase();
            t == "text" || t.starts_with("text/")
        });
        let kind = match (&url, declared.as_deref().and_then(media_kind)) {
            (Some(_), Some(kind)) => kind,
            // A link with a type the inbox does not know, or with no text: a file named by its URL.
            (Some(url), None) if !is_text || content.is_empty() => MessageKind::from_file_name(url),
            _ => MessageKind::Text,
        };
        if kind == MessageKind::Text && content.is_empty() {
            return Err(WebhookError::Invalid("the agent's message has no `content`".into()));
        }
        let provider_message_id =
            text_of(message.get("hash")).unwrap_or_else(|| derived_message_id(&hash, &content, &value));
        let (body_text, media_url, caption, file_name) = if kind == MessageKind::Text {
            (Some(content), None, None, None)
        } else {
            let file_name = url.as_deref().and_then(|u| {
                let path = u.split(['?', '#']).next().unwrap_or(u);
                path.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned)
            });
            let caption = Some(content).filter(|c| !c.is_empty() && Some(c) != file_name.as_ref());
            (None, url, caption, file_name)
        };
        let message = InboundMessage {
            direction: Direction::Inbound,
            conversation_external_id: conversation.external_id,
            conversation_kind: ConversationKind::Individual,
            // Empty: the hand-off keeps the customer's name as its title.
            title: String::new(),
            avatar_url: None,
            contact: None,
            sender_name: agent_name,
            sender_external_id: agent.and_then(|a| text_of(a.get("id"))),
            kind,
            body: body_text,
            media_url,
            caption,
            file_name,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id,
            sent_at: chrono::Utc::now(),
        };
        return Ok(vec![WebhookEvent::Message(Box::new(message))]);
    }

    let state = text_of(body.get("state"))
        .ok_or_else(|| WebhookError::Invalid("the trigger has neither `state` nor `message`".into()))?;
    let handoff = |state: HandoffState| HandoffEvent {
        state,
        position: None,
        agent_name: agent_name.clone(),
        department_id: None,
        interaction_hash: Some(hash.clone()),
    };
    let event = match state.as_str() {
        "queued" => {
            let position = match body.get("position") {
                Some(Value::Number(n)) => n.as_i64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            WebhookEvent::Handoff { conversation, handoff: HandoffEvent { position, ..handoff(HandoffState::Queued) } }
        }
        "accepted" => WebhookEvent::Handoff { conversation, handoff: handoff(HandoffState::Accepted) },
        "unavailable" => WebhookEvent::Handoff { conversation, handoff: handoff(HandoffState::Unavailable) },
        "finished" => WebhookEvent::Handoff { conversation, handoff: handoff(HandoffState::Finished) },
        "transferred" => WebhookEvent::Handoff {
            conversation,
            handoff: HandoffEvent {
                department_id: text_of(body.get("department_id")),
                ..handoff(HandoffState::Transferred)
            },
        },
        "typing" => WebhookEvent::Typing { conversation, who: agent_name, active: true },
        "cleared" => WebhookEvent::Typing { conversation, who: agent_name, active: false },
        other => WebhookEvent::Unrecognised {
            conversation: Some(conversation),
            summary: format!("Hand-off event \"{}\" the inbox does not know", http::snippet(other)),
        },
    };
    Ok(vec![event])
}
