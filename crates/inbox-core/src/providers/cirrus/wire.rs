//! The library's DTOs, field for field, and Cirrus's answers read leniently.

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::PROVIDER;
use crate::exchange::OutboundMessage;
use crate::model::{ConversationKind, MessageKind};
use crate::providers::http::{Answer, snippet};
use crate::providers::{RemoteContact, RemoteTag, SendFailure};
use crate::{Error, Result};

// ---------------------------------------------------------------------------------------------
// The library's DTOs, field for field

fn is_false(b: &Option<bool>) -> bool {
    b.is_none()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateContactDto {
    pub client_identifier: String,
    pub channel_id: String,
    pub contact_identifier: String,
    pub name: String,
    /// `individual` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Always `whatsapp` today.
    pub channel_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub is_ignored: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateContactDto {
    pub client_identifier: String,
    pub contact_id: String,
    /// An empty string clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_identifier: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub is_ignored: Option<bool>,
}

/// `GetContactDto`, `DeleteContactPlatformDto` and `GetTagsByContactIdDto`: one contact by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRefDto {
    pub client_identifier: String,
    pub contact_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetContactsDto {
    pub client_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `asc` or `desc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<String>>,
}

/// `AddContactTagDto` and `RemoveContactTagDto`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactTagsDto {
    pub client_identifier: String,
    pub contact_id: String,
    pub tag_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTagDto {
    pub client_identifier: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTagsDto {
    pub client_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `GetTagByIdDto`, `DeleteTagDto` and `GetContactsByTagIdDto`: one tag by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagRefDto {
    pub client_identifier: String,
    pub tag_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTagDto {
    pub client_identifier: String,
    pub tag_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartConversationDto {
    pub platform_config_id: String,
    pub channel_id: String,
    pub client_provider_id: String,
    pub user_name: String,
    /// Required for WhatsApp Web only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_with_priority: Option<bool>,
}

/// The quoted message of a reply: documented only as an object; we send the message's id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotedMessage {
    pub message_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageDto {
    pub agent_name: String,
    pub session_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quoted_message: Option<QuotedMessage>,
}

/// `SendPlatformMessagePayload`: proactive and group messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendPlatformMessagePayload {
    pub channel_id: String,
    /// The customer's number, or the group's id.
    pub recipient_number: String,
    pub platform: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quoted_message: Option<QuotedMessage>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteMessageDto {
    pub message_id: String,
    pub sender_id: String,
    pub channel_slug: String,
}

// ---------------------------------------------------------------------------------------------
// Reading answers

/// `data` unwrapped, once, when the answer wraps its object or list in it.
fn unwrap_data(v: &Value) -> &Value {
    match v.get("data") {
        Some(inner @ (Value::Object(_) | Value::Array(_))) => inner,
        _ => v,
    }
}

pub(super) fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("$oid").and_then(string_of),
        _ => None,
    }
}

/// An object's id: `_id` or `id`.
pub fn id_of(v: &Value) -> Option<String> {
    let v = unwrap_data(v);
    v.get("_id").and_then(string_of).or_else(|| v.get("id").and_then(string_of))
}

pub(super) fn text_field(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| v.get(*k)).and_then(|v| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A list answer's items.
pub fn items_of(v: &Value) -> Vec<Value> {
    if let Value::Array(items) = v {
        return items.clone();
    }
    ["data", "docs", "items", "results", "contacts", "tags"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_array))
        .cloned()
        .unwrap_or_default()
}

/// Whether a paginated answer has a page after `page`.
pub(super) fn has_next_page(v: &Value, page: u32, limit: u32, count: usize) -> bool {
    let meta = v.get("meta").filter(|m| m.is_object()).unwrap_or(v);
    let num = |k: &str| meta.get(k).and_then(Value::as_u64);
    if let Some(b) = meta.get("hasNextPage").and_then(Value::as_bool) {
        return b;
    }
    if let Some(next) = meta.get("nextPage") {
        return !next.is_null();
    }
    if let Some(pages) = num("totalPages").or_else(|| num("pages")) {
        return u64::from(page) < pages;
    }
    if let Some(total) = num("total").or_else(|| num("totalDocs")).or_else(|| num("count")) {
        return u64::from(page) * u64::from(limit) < total;
    }
    count >= limit as usize
}

pub(super) fn time_of(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| s.parse::<i64>().ok().and_then(|n| time_of(&json!(n)))),
        Value::Number(n) => {
            let n = n.as_i64()?;
            // Milliseconds since 1970 are past 10^12 for any date after 2001.
            if n > 1_000_000_000_000 { Utc.timestamp_millis_opt(n).single() } else { Utc.timestamp_opt(n, 0).single() }
        }
        Value::Object(o) => o.get("$date").and_then(time_of),
        _ => None,
    }
}

pub fn remote_tag(v: &Value) -> Option<RemoteTag> {
    Some(RemoteTag { remote_id: id_of(v)?, name: text_field(v, &["name"])?, color: text_field(v, &["color"]) })
}

/// A contact as Cirrus answers it. Tags may come as ids (`tagIds`) or as tag objects (`tags`).
pub fn remote_contact(v: &Value) -> Option<RemoteContact> {
    let v = unwrap_data(v);
    let tag_ids: Vec<String> = v
        .get("tagIds")
        .or_else(|| v.get("tags"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|t| string_of(t).or_else(|| id_of(t))).collect())
        .unwrap_or_default();
    Some(RemoteContact {
        remote_id: id_of(v)?,
        external_id: text_field(v, &["contactIdentifier", "number"])?,
        kind: if v.get("type").and_then(Value::as_str) == Some("group") {
            ConversationKind::Group
        } else {
            ConversationKind::Individual
        },
        name: text_field(v, &["name"]),
        custom_name: text_field(v, &["customName"]),
        avatar_url: text_field(v, &["photo"]),
        tag_remote_ids: tag_ids,
        updated_at: v.get("updatedAt").and_then(time_of),
    })
}

/// The session id a start answers.
pub(super) fn session_id_of(v: &Value) -> Option<String> {
    let v = unwrap_data(v);
    v.get("sessionId")
        .and_then(string_of)
        .or_else(|| v.get("session").and_then(|s| string_of(s).or_else(|| id_of(s))))
        .or_else(|| id_of(v))
}

/// The message id a send answers.
pub(super) fn message_id_of(v: &Value) -> Option<String> {
    let v = unwrap_data(v);
    v.get("messageId").and_then(string_of).or_else(|| v.get("message").and_then(id_of)).or_else(|| id_of(v))
}

/// A refusal in words: Cirrus's `message` (a string, or NestJS's array of validation messages).
pub(super) fn failure(answer: &Answer) -> SendFailure {
    let said = answer.json().and_then(|v| match v.get("message") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned).or_else(|| Some(i.to_string())))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    });
    match said {
        Some(m) => SendFailure(format!("{PROVIDER} refused it (HTTP {}): {}", answer.status, snippet(&m))),
        None => answer.failure(PROVIDER),
    }
}

/// Text or media URL: Cirrus's messages carry one or the other.
pub(super) fn content(msg: &OutboundMessage) -> std::result::Result<(Option<String>, Option<String>), SendFailure> {
    match msg.kind {
        MessageKind::Text => Ok((Some(msg.body.clone().unwrap_or_default()), None)),
        MessageKind::Image | MessageKind::Video | MessageKind::Audio | MessageKind::File | MessageKind::Sticker => {
            let url = msg.media_url.clone().ok_or_else(|| SendFailure("a file needs its URL".into()))?;
            Ok((None, Some(url)))
        }
        other => Err(SendFailure(format!("Cirrus cannot send {other:?} messages"))),
    }
}

pub(super) fn quoted(msg: &OutboundMessage) -> Option<QuotedMessage> {
    msg.quoted_provider_message_id.clone().map(|message_id| QuotedMessage { message_id })
}

/// A phone number as Cirrus keys contacts: digits only, country code first.
pub(super) fn normalise_number(to: &str) -> Result<String> {
    let digits: String = to.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')' | '.')).collect();
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(text!("start.number_invalid")));
    }
    Ok(digits)
}
