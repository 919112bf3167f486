//! mConnect's webhook: one message per delivery, unsigned (the URL carries the secret).

use chrono::{TimeZone, Utc};
use serde_json::Value;

use super::wire::Webhook;
use crate::exchange::{InboundContact, InboundMessage};
use crate::model::{ConversationKind, Direction, MessageKind};
use crate::providers::{WebhookError, WebhookEvent};

pub(crate) fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let hook: Webhook = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            WebhookError::Invalid(format!("unexpected field type: {e}"))
        } else {
            WebhookError::InvalidJson(e.to_string())
        }
    })?;
    let required = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty()).ok_or_else(|| WebhookError::Invalid(format!("missing field `{name}`")))
    };
    let from = required(hook.from, "from")?;
    required(hook.to, "to")?;
    let message_id = required(hook.message_id, "message_id")?;
    if from == "status@broadcast" || message_id.contains("status@broadcast") {
        return Ok(WebhookEvent::Ignored("WhatsApp status broadcast"));
    }
    let sent_at = match hook.time {
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
    .and_then(|secs| Utc.timestamp_opt(secs, 0).single())
    .ok_or_else(|| WebhookError::Invalid("missing or invalid field `time` (Unix seconds)".into()))?;

    let text = hook.chat_msg.filter(|s| !s.is_empty());
    let media = hook.image.filter(|s| !s.is_empty());
    let (kind, body, caption) = match (&media, text) {
        (Some(url), text) => (MessageKind::from_file_name(url), None, hook.caption.or(text)),
        (None, Some(text)) => (MessageKind::Text, Some(text), None),
        (None, None) => return Err(WebhookError::Invalid("the message has neither `chat_msg` nor `image`".into())),
    };
    let is_group = message_id.contains("@g.us") || hook.group_name.is_some();
    let sender_name = hook.sender_name.filter(|s| !s.trim().is_empty());
    let avatar = hook.sender.filter(|s| !s.is_empty());

    let message = if is_group {
        InboundMessage {
            direction: Direction::Inbound,
            title: hook.group_name.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| from.clone()),
            conversation_external_id: from,
            conversation_kind: ConversationKind::Group,
            avatar_url: hook.group_icon.filter(|s| !s.is_empty()),
            // Group webhooks name the member but give no number for them.
            contact: None,
            sender_name,
            sender_external_id: None,
            kind,
            body,
            media_url: media,
            caption,
            file_name: None,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id: message_id,
            sent_at,
        }
    } else {
        InboundMessage {
            direction: Direction::Inbound,
            title: sender_name.clone().unwrap_or_else(|| format!("+{from}")),
            conversation_external_id: from.clone(),
            conversation_kind: ConversationKind::Individual,
            avatar_url: avatar.clone(),
            contact: Some(InboundContact {
                external_id: from.clone(),
                display_name: sender_name.clone(),
                avatar_url: avatar,
            }),
            sender_name,
            sender_external_id: Some(from),
            kind,
            body,
            media_url: media,
            caption,
            file_name: None,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id: message_id,
            sent_at,
        }
    };
    Ok(WebhookEvent::Message(Box::new(message)))
}
