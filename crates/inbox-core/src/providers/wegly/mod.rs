//! Wegly external integrations API (official WhatsApp Business API: templates, 24-hour window).
//!
//! All routes live under the account's `base_url` (production:
//! `https://api.wegly.com.br/integrations/external`) and carry `Authorization: Bearer <token>`.
//! A token may be restricted to an `allowed_domain`, checked against `Origin`/`Referer`; the
//! optional `origin` setting sends that header.
//!
//! | operation | call |
//! |---|---|
//! | test connection | `GET /chats/{random uuid}`: 404 means the token was accepted, 401/403 that it was not |
//! | start | `POST /chats` with a template, then `GET /chats/{id}` for the 24-hour window |
//! | text, template, media | `POST /chats/{id}/messages` |
//! | buttons, list | `POST /chats/{id}/messages/interactive` |
//! | location | `POST /chats/{id}/messages/location` |
//! | refresh | `GET /chats/{id}` |
//! | reassign | `PATCH /chats/{id}/responsible` |
//! | remove our reaction | `DELETE /chats/{id}/messages/{messageId}/reaction` |
//! | history import | `GET /chats/{id}/timeline?page=&limit=` |
//!
//! Ids: a conversation is keyed by Wegly's chat id (a UUID; a started conversation is re-keyed
//! to it). A message is keyed by Wegly's message `id` (a UUID), never by its `wamid`: the send
//! answer (`{total, records:[message]}`, status `processing`) may not carry the WhatsApp id
//! yet, while the message id is there from the start and is what the webhooks, the timeline and
//! the reaction route use, so echoes of our own sends deduplicate. A quoted reply needs the
//! quoted message's `wamid` (`reference_wamid`); it is read from the chat's timeline at send
//! time (the first page, then the newest ones). Until Wegly answers a start, the conversation is
//! keyed `wa:<number>`; if the start failed, sends in it say so instead of calling Wegly.
//!
//! Quirks and rules handled here:
//! - the first message of a chat must be an approved template (`POST /chats` carries it);
//! - a chat may be "created or reused": the answer's `last_message` is only taken as our
//!   template when it is an outbound template;
//! - the 24-hour window: `session_expires_at` from `GET /chats/{id}` (when it is `null`, the
//!   customer never wrote, so the window is closed), and every customer message moves it to
//!   the message's time + 24 h; the inbox only ever moves it forward, so a retried old
//!   delivery cannot close it;
//! - message times: `created_at` (milliseconds, so a quick answer sorts after what it answers),
//!   but WhatsApp's `meta_timestamp` for history Wegly synced later (`is_history`);
//! - the document's example message says both `origin: INBOUND` and `from_me: true`: `origin`
//!   wins, `from_me` is the fallback;
//! - priority `0..=3` (low, normal, high, urgent); status `OPEN`, `RESOLVED`, `SNOOZED`;
//! - errors may come as `{message: "..."}` or with `message` as a list of strings (validation);
//! - media: the kinds WhatsApp refuses by file type (a GIF as an image, say) are refused before
//!   sending; sizes cannot be checked without downloading the file, so Wegly's own refusal is
//!   shown when a file is too large. Media links Wegly gives expire: the stored message keeps
//!   the URL as received.
//!
//! Webhooks: JSON `{event_key, payload}` with `x-wegly-event` and `x-wegly-signature`, the
//! HMAC-SHA256 of the raw body under the subscription's secret. Whether the signature is hex
//! or base64 is not documented: lower- and upper-case hex, standard and URL-safe base64 (with
//! or without padding) are accepted, optionally prefixed `sha256=`. A missing secret, header or
//! a mismatch is refused (401) before the body is read. Deliveries may be retried and one action
//! may fire several events; everything applied here is idempotent.
//!
//! SHAPES INFERRED (the document is silent; each is defined once, in `wire.rs`): the bodies of
//! media, interactive and location sends; the timeline's pagination (`page`, 1-based, and
//! `limit`); and the webhook payloads, read leniently as `payload = {chat?, chat_id?, message?,
//! message_id?, reaction?}` (a bare message or chat object is accepted too). Event keys read:
//! `chat.message_received` (customer message), `chat.message_sent` (outbound echo),
//! `chat.message_status_updated` (status), `chat.message_reaction` (reaction set, replaced, or
//! removed with an empty emoji), `chat.updated` and friends (status, priority, assignment).
//! Any other key (lead and deal events) is stored raw as an unrecognised event.
//!
//! What changes a conversation: a customer message moves the window (its time + 24 h) and keeps
//! the title and assignee current; `chat.updated` (and friends) set status, priority, assignee
//! and window; a refresh (and a start or reassign) also takes Wegly's unread count. Message
//! webhooks do not carry status, priority or unread count into the inbox: the agent's own
//! changes here cannot be told to Wegly (no route for them), so Wegly's copy would undo them.
//! Our side's reactions are stored under the reactor `business` (one per message, whoever
//! reacted in Wegly); the customer's under their WhatsApp id.
mod client;
#[cfg(test)]
mod tests;
mod webhook;
mod wire;

use chrono::Duration;
use serde_json::{Map, Value};

use super::AccountContext;
use crate::model::{
    Capability, CapabilityNote, FieldKind, FieldOption, Provider, ProviderInfo, SettingField, WebhookSetup,
};
use crate::secrets::Sensitive;
use crate::{Error, Result, Text};
pub(crate) use webhook::parse_webhook;

const DEFAULT_BASE_URL: &str = "https://api.wegly.com.br/integrations/external";

/// The 24-hour customer service window.
pub const WINDOW: Duration = Duration::hours(24);

const NAME: &str = "Wegly";

pub(crate) fn capabilities() -> Vec<Capability> {
    use Capability::*;
    vec![
        StartConversation,
        SendText,
        SendFile,
        Caption,
        Reply,
        Reactions,
        RemoveReaction,
        Templates,
        Window24h,
        Interactive,
        Location,
        HistoryImport,
        Reassign,
        Refresh,
    ]
}

pub(crate) fn info() -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: Text| CapabilityNote { capability, reason };
    ProviderInfo {
        id: Provider::Wegly,
        label: "Wegly",
        capabilities: capabilities(),
        unavailable: vec![
            why(Groups, text!("wegly.reason_groups")),
            why(Typing, text!("wegly.reason_typing")),
            why(Delete, text!("wegly.reason_delete")),
            why(Departments, text!("wegly.reason_departments")),
            why(Handoff, text!("wegly.reason_not_handed_off")),
            why(HandoffUpdate, text!("wegly.reason_not_handed_off")),
            why(HistoryUrl, text!("wegly.reason_history_url")),
            why(ContactSync, text!("wegly.reason_contact_sync")),
            why(TagSync, text!("wegly.reason_tag_sync")),
        ],
        fields: vec![
            SettingField {
                key: "base_url",
                label: "API base URL",
                kind: FieldKind::Url,
                required: true,
                options: vec![FieldOption { value: DEFAULT_BASE_URL.into(), label: "Wegly production" }],
                default: Some(DEFAULT_BASE_URL.into()),
                help: None,
            },
            SettingField {
                key: "whatsapp_phone_id",
                label: "WhatsApp phone id",
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                default: None,
                help: Some("The UUID of the number new chats are opened from."),
            },
            SettingField {
                key: "origin",
                label: "Allowed domain (Origin)",
                kind: FieldKind::Url,
                required: false,
                options: vec![],
                default: None,
                help: Some(
                    "Only if the token is restricted to an allowed domain: that domain's URL, sent as Origin and Referer.",
                ),
            },
            SettingField {
                key: "token",
                label: "Integration token",
                kind: FieldKind::Secret,
                required: true,
                options: vec![],
                default: None,
                help: Some("Sent as Authorization: Bearer. Kept in the system keychain."),
            },
            SettingField {
                key: "signing_secret",
                label: "Webhook signing secret",
                kind: FieldKind::Secret,
                required: true,
                options: vec![],
                default: None,
                help: Some(
                    "The webhook subscription's secret: deliveries without a valid x-wegly-signature are refused.",
                ),
            },
        ],
        webhook_setup: WebhookSetup::Manual,
        notes: vec![text!("wegly.note_webhook"), text!("wegly.note_window"), text!("wegly.note_new_chat")],
        max_text_chars: crate::outbound::MAX_TEXT_CHARS as u32,
    }
}

/// An account's settings (the token and signing secret live in the keychain).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    base_url: reqwest::Url,
    /// The UUID of the WhatsApp number chats are opened from.
    whatsapp_phone_id: String,
    /// Sent as `Origin` and `Referer` when the token is restricted to an allowed domain.
    origin: Option<String>,
}

impl Settings {
    fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let base = text("base_url").unwrap_or(DEFAULT_BASE_URL);
        let base_url = reqwest::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .ok_or_else(|| Error::invalid(text!("wegly.base_url_invalid")))?;
        let phone = text("whatsapp_phone_id")
            .ok_or_else(|| Error::invalid(text!("field.required", field = "whatsapp_phone_id")))?;
        let phone = uuid::Uuid::parse_str(phone).map_err(|_| Error::invalid(text!("wegly.phone_id_invalid")))?;
        let origin = match text("origin") {
            None => None,
            Some(o) => {
                let url = reqwest::Url::parse(o)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .ok_or_else(|| Error::invalid(text!("wegly.origin_invalid")))?;
                Some(url.origin().ascii_serialization())
            }
        };
        Ok(Settings { base_url, whatsapp_phone_id: phone.hyphenated().to_string(), origin })
    }

    fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("base_url".into(), Value::String(self.base_url.as_str().trim_end_matches('/').to_owned()));
        map.insert("whatsapp_phone_id".into(), Value::String(self.whatsapp_phone_id.clone()));
        if let Some(origin) = &self.origin {
            map.insert("origin".into(), Value::String(origin.clone()));
        }
        map
    }
}

pub(crate) fn validate_settings(settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(settings).map(|s| s.to_map())
}

/// The [`super::Connector`] for a Wegly account.
pub(crate) struct Connector {
    http: reqwest::Client,
    settings: Settings,
    token: Sensitive,
    /// What the account can do.
    capabilities: Vec<Capability>,
}

impl Connector {
    pub(crate) fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        let token = ctx.secret("token")?.clone();
        Ok(Connector { http: ctx.http, settings, token, capabilities: capabilities() })
    }
}
