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
//!   the message's time + 24 h; the store only ever moves it forward, so a retried old
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
//! SHAPES INFERRED (the document is silent; each is defined once, in [`shape`]): the bodies of
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

use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Map, Value, json};
use subtle::ConstantTimeEq;

use super::http::{Answer, call, snippet};
use super::{
    AccountContext, ChatUpdate, ConversationRef, Delivered, HistoryPage, SendFailure, StartPlan, Started, WebhookError,
    WebhookEvent, WebhookRequest,
};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, ConversationKind, ConversationStatus, DeliveryStatus, Direction,
    FieldKind, FieldOption, Interactive, InteractiveButton, InteractiveRow, InteractiveSection, Location, MessageKind,
    Priority, Provider, ProviderInfo, SettingField, StartConversation, Template, TemplateField, WebhookSetup,
};
use crate::secrets::Sensitive;
use crate::store::{ConversationTarget, InboundContact, InboundMessage, OutboundMessage};
use crate::{Error, Result};

pub const DEFAULT_BASE_URL: &str = "https://api.wegly.com.br/integrations/external";

/// The 24-hour customer service window.
pub const WINDOW: Duration = Duration::hours(24);

const NAME: &str = "Wegly";

pub fn capabilities() -> Vec<Capability> {
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
    ]
}

pub fn info() -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: &str| CapabilityNote { capability, reason: reason.into() };
    ProviderInfo {
        id: Provider::Wegly,
        label: "Wegly",
        capabilities: capabilities(),
        unavailable: vec![
            why(Groups, "Wegly's external API opens individual chats only."),
            why(Typing, "Wegly's external API has no typing notification."),
            why(Delete, "Wegly's external API cannot delete messages."),
            why(Departments, "Wegly has no departments in its external API."),
            why(Handoff, "Wegly chats are answered here, not handed off."),
            why(HandoffUpdate, "Wegly chats are answered here, not handed off."),
            why(HistoryUrl, "Wegly does not read history from us; the inbox imports Wegly's timeline instead."),
            why(ContactSync, "Wegly's external API has no contact list."),
            why(TagSync, "Wegly's external API has no tags."),
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
        notes: vec![
            "Subscribe the webhook URL in Wegly's integrations settings, with the same signing secret as here.",
            "Outside the 24-hour window only an approved template can be sent.",
            "A new chat opens with an approved template.",
        ],
    }
}

/// An account's settings (the token and signing secret live in the keychain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub base_url: reqwest::Url,
    /// The UUID of the WhatsApp number chats are opened from.
    pub whatsapp_phone_id: String,
    /// Sent as `Origin` and `Referer` when the token is restricted to an allowed domain.
    pub origin: Option<String>,
}

impl Settings {
    pub fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let base = text("base_url").unwrap_or(DEFAULT_BASE_URL);
        let base_url = reqwest::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .ok_or_else(|| Error::invalid("`base_url` must be an http(s) URL without query"))?;
        let phone = text("whatsapp_phone_id").ok_or_else(|| Error::invalid("`whatsapp_phone_id` is required"))?;
        let phone = uuid::Uuid::parse_str(phone)
            .map_err(|_| Error::invalid("`whatsapp_phone_id` must be the number's UUID, as Wegly shows it"))?;
        let origin = match text("origin") {
            None => None,
            Some(o) => {
                let url = reqwest::Url::parse(o)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .ok_or_else(|| Error::invalid("`origin` must be an http(s) URL such as https://example.com"))?;
                Some(url.origin().ascii_serialization())
            }
        };
        Ok(Settings { base_url, whatsapp_phone_id: phone.hyphenated().to_string(), origin })
    }

    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("base_url".into(), Value::String(self.base_url.as_str().trim_end_matches('/').to_owned()));
        map.insert("whatsapp_phone_id".into(), Value::String(self.whatsapp_phone_id.clone()));
        if let Some(origin) = &self.origin {
            map.insert("origin".into(), Value::String(origin.clone()));
        }
        map
    }
}

pub fn validate_settings(settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(settings).map(|s| s.to_map())
}

/// Every wire shape the client sends or reads where Wegly's document is silent, in one place.
/// Each builder says whether its shape is documented or inferred.
pub mod shape {
    use serde_json::{Map, Value, json};

    use crate::model::{Interactive, Location, MessageKind, Template};

    /// Timeline pagination (inferred): `?page=` (1-based) and `?limit=`.
    pub const PAGE_PARAM: &str = "page";
    pub const LIMIT_PARAM: &str = "limit";
    /// Records per timeline page we ask for.
    pub const PAGE_SIZE: u64 = 50;

    /// Webhook event keys. `MESSAGE_RECEIVED` and `MESSAGE_SENT` are documented; the others are
    /// inferred, with the aliases also accepted.
    pub const MESSAGE_RECEIVED: &str = "chat.message_received";
    pub const MESSAGE_SENT: &str = "chat.message_sent";
    pub const MESSAGE_STATUS: &[&str] = &["chat.message_status_updated", "chat.message_status", "chat.message_updated"];
    pub const REACTION: &[&str] = &["chat.message_reaction", "chat.message_reacted", "chat.reaction"];
    pub const REACTION_REMOVED: &[&str] = &["chat.message_reaction_removed", "chat.reaction_removed"];
    pub const CHAT_CHANGED: &[&str] = &[
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
    pub fn create_chat(phone_id: &str, wa_contact_id: &str, profile_name: Option<&str>, t: &Template) -> Value {
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
    pub fn text(body: &str, reference_wamid: Option<&str>) -> Value {
        with_reference(json!({ "type": "text", "body": body }), reference_wamid)
    }

    /// `POST /chats/{id}/messages`, `type: template` (documented).
    pub fn template(t: &Template, reference_wamid: Option<&str>) -> Value {
        let (template, fields) = template_parts(t);
        with_reference(json!({ "type": "template", "template": template, "template_fields": fields }), reference_wamid)
    }

    /// WhatsApp's media category for a message kind.
    pub fn media_type(kind: MessageKind) -> &'static str {
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
    pub fn media(
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
    pub fn interactive(i: &Interactive, reference_wamid: Option<&str>) -> Value {
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
    pub fn location(l: &Location, reference_wamid: Option<&str>) -> Value {
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
    pub fn responsible(user_id: &str) -> Value {
        json!({ "user_id": user_id })
    }
}

/// The MIME type of a file name WhatsApp knows, for the media request.
fn mime_of(name: &str) -> Option<&'static str> {
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
fn check_media_type(kind: MessageKind, name: &str) -> Result<(), SendFailure> {
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
fn failure(answer: &Answer) -> SendFailure {
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

/// The [`super::Connector`] for a Wegly account.
pub struct Connector {
    http: reqwest::Client,
    settings: Settings,
    token: Sensitive,
}

impl Connector {
    pub fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        let token = ctx.secret("token")?.clone();
        Ok(Connector { http: ctx.http, settings, token })
    }

    fn url(&self, segments: &[&str]) -> reqwest::Url {
        let mut url = self.settings.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    fn request(&self, method: Method, url: reqwest::Url, body: Option<&Value>) -> reqwest::RequestBuilder {
        let mut r =
            self.http.request(method, url).bearer_auth(self.token.expose()).header("accept", "application/json");
        if let Some(origin) = &self.settings.origin {
            r = r.header("origin", origin).header("referer", format!("{origin}/"));
        }
        if let Some(body) = body {
            r = r.json(body);
        }
        r
    }

    async fn call(&self, method: Method, segments: &[&str], body: Option<&Value>) -> Result<Answer, SendFailure> {
        let url = self.url(segments);
        call(NAME, || self.request(method.clone(), url.clone(), body)).await
    }

    /// A call that must succeed with a JSON object (or nothing).
    async fn call_ok(&self, method: Method, segments: &[&str], body: Option<&Value>) -> Result<Value, SendFailure> {
        let answer = self.call(method, segments, body).await?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        if answer.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        answer.json().ok_or_else(|| {
            SendFailure(format!(
                "{NAME} answered HTTP {} with an unreadable body: {}",
                answer.status,
                snippet(&answer.text)
            ))
        })
    }

    async fn get_chat(&self, chat_id: &str) -> Result<Value, SendFailure> {
        let chat = self.call_ok(Method::GET, &["chats", chat_id], None).await?;
        if chat.get("id").and_then(Value::as_str).is_none() {
            return Err(SendFailure(format!("{NAME} answered without a chat: {}", snippet(&chat.to_string()))));
        }
        Ok(chat)
    }

    async fn timeline(&self, chat_id: &str, page: u64, limit: u64) -> Result<(Vec<Value>, Option<u64>), SendFailure> {
        let mut url = self.url(&["chats", chat_id, "timeline"]);
        url.query_pairs_mut()
            .append_pair(shape::PAGE_PARAM, &page.to_string())
            .append_pair(shape::LIMIT_PARAM, &limit.to_string());
        let answer = call(NAME, || self.request(Method::GET, url.clone(), None)).await?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        let v = answer
            .json()
            .ok_or_else(|| SendFailure(format!("{NAME}'s timeline answer is unreadable: {}", snippet(&answer.text))))?;
        let records = v.get("records").and_then(Value::as_array).cloned().unwrap_or_default();
        let total = v.get("total").and_then(as_u64);
        Ok((records, total))
    }

    /// The WhatsApp id of a message of the chat, for `reference_wamid`: read from the timeline,
    /// newest pages first (a reply usually quotes a recent message).
    async fn wamid_of(&self, chat_id: &str, message_id: &str) -> Result<String, SendFailure> {
        if message_id.starts_with("wamid.") {
            return Ok(message_id.to_owned());
        }
        const LOOKUP_PAGE: u64 = 100;
        const MAX_PAGES: u64 = 20;
        let find = |records: &[Value]| -> Option<Option<String>> {
            records.iter().filter_map(|r| r.get("message")).find(|m| str_at(m, "id") == Some(message_id)).map(|m| {
                str_at(m, "wamid")
                    .or_else(|| str_at(m, "meta_message_id"))
                    .or_else(|| str_at(m, "meta_id"))
                    .map(str::to_owned)
            })
        };
        let (first, total) = self.timeline(chat_id, 1, LOOKUP_PAGE).await?;
        let mut found = find(&first);
        if found.is_none() {
            let pages = total.unwrap_or(0).div_ceil(LOOKUP_PAGE);
            for page in (2..=pages).rev().take(MAX_PAGES as usize) {
                let (records, _) = self.timeline(chat_id, page, LOOKUP_PAGE).await?;
                found = find(&records);
                if found.is_some() {
                    break;
                }
            }
        }
        match found {
            Some(Some(wamid)) => Ok(wamid),
            Some(None) => Err(SendFailure(
                "the quoted message has no WhatsApp id yet (it is still being sent); try the reply again in a moment"
                    .into(),
            )),
            None => Err(SendFailure(format!("{NAME}'s timeline of this chat does not have the quoted message"))),
        }
    }

    /// Sends one message to a chat; answers Wegly's message id.
    async fn send(&self, chat_id: &str, msg: &OutboundMessage) -> Result<Option<String>, SendFailure> {
        let reference = match &msg.quoted_provider_message_id {
            Some(quoted) => Some(self.wamid_of(chat_id, quoted).await?),
            None => None,
        };
        let reference = reference.as_deref();
        let missing = |what: &str| SendFailure(format!("the stored message has no {what}"));
        let (segments, body): (Vec<&str>, Value) = match msg.kind {
            MessageKind::Text => {
                let text = msg.body.as_deref().ok_or_else(|| missing("text"))?;
                (vec!["chats", chat_id, "messages"], shape::text(text, reference))
            }
            MessageKind::Template => {
                let t = msg.template().ok_or_else(|| missing("template"))?;
                (vec!["chats", chat_id, "messages"], shape::template(&t, reference))
            }
            MessageKind::Interactive => {
                let i = msg.interactive().ok_or_else(|| missing("buttons or list"))?;
                (vec!["chats", chat_id, "messages", "interactive"], shape::interactive(&i, reference))
            }
            MessageKind::Location => {
                let l = msg.location().ok_or_else(|| missing("location"))?;
                (vec!["chats", chat_id, "messages", "location"], shape::location(&l, reference))
            }
            MessageKind::Image | MessageKind::Video | MessageKind::Audio | MessageKind::File | MessageKind::Sticker => {
                let url = msg.media_url.as_deref().ok_or_else(|| missing("file URL"))?;
                let name = msg.file_name.as_deref();
                check_media_type(msg.kind, name.unwrap_or(url))?;
                let mime = name.and_then(mime_of).or_else(|| mime_of(url));
                let body = shape::media(msg.kind, url, msg.caption.as_deref(), name, mime, reference);
                (vec!["chats", chat_id, "messages"], body)
            }
            MessageKind::Event | MessageKind::Unrecognised => {
                return Err(SendFailure("that kind of message cannot be sent".into()));
            }
        };
        let answer = self.call_ok(Method::POST, &segments, Some(&body)).await?;
        Ok(sent_message_id(&answer))
    }
}

/// The key a started conversation has until Wegly answers with its chat id.
const UNOPENED_PREFIX: &str = "wa:";

/// The Wegly chat id of a conversation, or why there is none (a start that failed).
fn chat_id(target: &ConversationTarget) -> Result<&str, SendFailure> {
    if target.external_id.starts_with(UNOPENED_PREFIX) {
        return Err(SendFailure(
            "Wegly never opened this chat (its start failed): start the conversation again with a template".into(),
        ));
    }
    Ok(&target.external_id)
}

/// Wegly's id of the message a send created: `records[0].id` of `{total, records:[message]}`
/// (a bare message object is accepted too).
pub fn sent_message_id(answer: &Value) -> Option<String> {
    let message = answer.get("records").and_then(Value::as_array).and_then(|r| r.first()).unwrap_or(answer);
    str_at(message, "id").map(str::to_owned)
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Wegly
    }

    /// Wegly has no "who am I" call. Reading a chat that cannot exist (a random UUID) is cheap
    /// and harmless: 404 means the token was accepted, 401/403 that it was refused.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let probe = uuid::Uuid::new_v4().to_string();
        let answer = self.call(Method::GET, &["chats", &probe], None).await.map_err(Error::from)?;
        Ok(match answer.status {
            404 | 200..=299 => ConnectionTest {
                ok: true,
                message: "Wegly accepted the token. The WhatsApp phone id is checked when a chat is started.".into(),
            },
            _ => ConnectionTest { ok: false, message: failure(&answer).0 },
        })
    }

    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Delivered, SendFailure> {
        let id = self.send(chat_id(target)?, msg).await?;
        Ok(Delivered { provider_message_id: id, meta: Map::new() })
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let message = input.message.as_ref().ok_or_else(|| {
            Error::invalid("a Wegly chat opens with an approved template: add `message` with kind `template`")
        })?;
        if message.kind != MessageKind::Template || message.template.is_none() {
            return Err(Error::invalid(
                "a Wegly chat opens with an approved template: the first message must be of kind `template`",
            ));
        }
        let to = wa_contact_id(&input.to)?;
        let title = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        Ok(StartPlan {
            title: title.unwrap_or_else(|| format!("+{to}")),
            // Until Wegly answers with the chat's id.
            external_id: format!("{UNOPENED_PREFIX}{to}"),
            kind: ConversationKind::Individual,
            meta: Map::new(),
            first_message: None,
            handoff: false,
        })
    }

    async fn start(
        &self,
        _target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> Result<Started, SendFailure> {
        let template = first
            .and_then(OutboundMessage::template)
            .ok_or_else(|| SendFailure("a Wegly chat opens with an approved template".into()))?;
        let to = wa_contact_id(&input.to).map_err(|e| SendFailure(e.public_message()))?;
        let name = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let body = shape::create_chat(&self.settings.whatsapp_phone_id, &to, name, &template);
        let created = self.call_ok(Method::POST, &["chats"], Some(&body)).await?;
        let mut started = parse_created_chat(&created)?;
        // The create answer has no window; the chat itself does. A failure here leaves the
        // window unknown until the customer writes or the agent refreshes.
        let chat_id = started.external_id.clone().unwrap_or_default();
        match self.get_chat(&chat_id).await {
            Ok(chat) => {
                started.chat = Some(chat_update(&chat, Utc::now()));
                if started.first_message_id.is_none() {
                    started.first_message_id = our_template_id(&chat);
                }
            }
            Err(e) => tracing::warn!(reason = %e, "reading the new Wegly chat failed"),
        }
        Ok(started)
    }

    async fn remove_reaction(&self, target: &ConversationTarget, provider_message_id: &str) -> Result<()> {
        self.call_ok(Method::DELETE, &["chats", chat_id(target)?, "messages", provider_message_id, "reaction"], None)
            .await?;
        Ok(())
    }

    async fn reassign(&self, target: &ConversationTarget, user_id: &str) -> Result<ChatUpdate> {
        if uuid::Uuid::parse_str(user_id).is_err() {
            return Err(Error::invalid("`user_id` must be the Wegly user's UUID"));
        }
        let body = shape::responsible(user_id);
        let answer = self.call_ok(Method::PATCH, &["chats", chat_id(target)?, "responsible"], Some(&body)).await?;
        // The answer is the chat; if Wegly answers nothing, read it.
        let chat = if answer.get("id").is_some() { answer } else { self.get_chat(chat_id(target)?).await? };
        Ok(chat_update(&chat, Utc::now()))
    }

    async fn refresh(&self, target: &ConversationTarget) -> Result<ChatUpdate> {
        let chat = self.get_chat(chat_id(target)?).await?;
        Ok(chat_update(&chat, Utc::now()))
    }

    async fn history_page(&self, target: &ConversationTarget, cursor: Option<&str>) -> Result<HistoryPage> {
        let page = match cursor {
            None => 1,
            Some(c) => c.parse::<u64>().ok().filter(|p| *p >= 1).ok_or_else(|| Error::invalid("bad history cursor"))?,
        };
        let (records, total) = self.timeline(chat_id(target)?, page, shape::PAGE_SIZE).await?;
        let chat = ChatInfo { title: Some(target.title.clone()), ..ChatInfo::bare(&target.external_id) };
        let mut events = Vec::new();
        for record in &records {
            let kind = str_at(record, "event_type").unwrap_or("MESSAGE");
            let Some(message) = record.get("message").filter(|m| m.is_object()) else { continue };
            if !kind.eq_ignore_ascii_case("MESSAGE") {
                continue;
            }
            let fallback_time = str_at(record, "event_at").and_then(parse_time);
            match message_events(&chat, message, fallback_time, false) {
                Ok(mut e) => events.append(&mut e),
                Err(reason) => tracing::warn!(%reason, "skipped a timeline record"),
            }
        }
        let seen = (page - 1) * shape::PAGE_SIZE + records.len() as u64;
        let more = !records.is_empty() && total.is_none_or(|t| seen < t);
        Ok(HistoryPage { events, total, next: more.then(|| (page + 1).to_string()) })
    }
}

/// The customer's WhatsApp id as Wegly takes it (`wa_contact_id`, up to 50 characters): the
/// number's digits, with country code.
fn wa_contact_id(to: &str) -> Result<String> {
    let digits: String = to.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+')).collect();
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("`to` must be the customer's WhatsApp number with country code: 8 to 15 digits"));
    }
    Ok(digits)
}

/// What the create-chat answer says: the chat id the conversation is re-keyed to, the chat's
/// state, and our template's id when `last_message` is it.
pub fn parse_created_chat(chat: &Value) -> Result<Started, SendFailure> {
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
fn our_template_id(chat: &Value) -> Option<String> {
    let last = chat.get("last_message").filter(|m| m.is_object())?;
    let template = str_at(last, "type").is_some_and(|t| t.eq_ignore_ascii_case("template"));
    (template && direction_of(last) == Direction::Outbound).then(|| str_at(last, "id").map(str::to_owned)).flatten()
}

/// A Wegly chat object as the inbox's chat update. `now` is when the window counts as closed
/// if the chat says it has none.
pub fn chat_update(chat: &Value, now: DateTime<Utc>) -> ChatUpdate {
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
fn window_of(chat: &Value, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let last_customer = chat.get("last_customer_msg_at").and_then(Value::as_str).and_then(parse_time);
    match chat.get("session_expires_at") {
        Some(Value::String(s)) => parse_time(s).or(last_customer.map(|t| t + WINDOW)),
        Some(Value::Null) => Some(last_customer.map_or(now, |t| t + WINDOW)),
        _ => last_customer.map(|t| t + WINDOW),
    }
}

fn chat_title(chat: &Value) -> Option<String> {
    str_at(chat, "contact_name")
        .or_else(|| str_at(chat, "remote_profile_name"))
        .or_else(|| str_at(chat, "contact_number"))
        .or_else(|| str_at(chat, "wa_contact_id"))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// A chat as a webhook or timeline names it.
struct ChatInfo {
    id: String,
    title: Option<String>,
    contact: Option<InboundContact>,
    update: Option<ChatUpdate>,
}

impl ChatInfo {
    fn bare(id: &str) -> ChatInfo {
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

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// RFC 3339, or Unix seconds (or milliseconds) as a number or a string.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    let n: i64 = s.trim().parse().ok()?;
    if n > 100_000_000_000 { Utc.timestamp_millis_opt(n).single() } else { Utc.timestamp_opt(n, 0).single() }
}

fn time_of(v: Option<&Value>) -> Option<DateTime<Utc>> {
    match v? {
        Value::String(s) => parse_time(s),
        Value::Number(n) => n.as_i64().and_then(|n| parse_time(&n.to_string())),
        _ => None,
    }
}

/// `origin` decides; `from_me` is the fallback (the document's example has both, contradicting).
fn direction_of(m: &Value) -> Direction {
    match str_at(m, "origin").map(str::to_ascii_uppercase).as_deref() {
        Some("OUTBOUND") => Direction::Outbound,
        Some("INBOUND") => Direction::Inbound,
        _ if m.get("from_me").and_then(Value::as_bool) == Some(true) => Direction::Outbound,
        _ => Direction::Inbound,
    }
}

/// Wegly's message status as ours; `None` for statuses that say nothing about delivery.
fn status_of(s: &str) -> Option<DeliveryStatus> {
    Some(match s.to_ascii_lowercase().as_str() {
        "processing" | "pending" | "queued" | "scheduled" => DeliveryStatus::Pending,
        "sent" | "accepted" => DeliveryStatus::Sent,
        "delivered" | "received" => DeliveryStatus::Delivered,
        "read" | "seen" | "played" => DeliveryStatus::Read,
        "failed" | "error" | "rejected" | "undelivered" => DeliveryStatus::Failed,
        _ => return None,
    })
}

fn message_error(m: &Value) -> Option<String> {
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

fn person_name(v: Option<&Value>) -> Option<String> {
    let v = v?;
    v.pointer("/user/name")
        .or_else(|| v.get("name"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A message object's id: Wegly's message `id` (see the module comment); the wamid only when
/// there is no id.
fn message_key(m: &Value) -> Option<&str> {
    str_at(m, "id").or_else(|| str_at(m, "wamid"))
}

fn quoted_key(m: &Value) -> Option<String> {
    match m.get("quoted_message")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        q @ Value::Object(_) => message_key(q).map(str::to_owned),
        _ => None,
    }
}

fn template_of(content: &Value) -> Option<Template> {
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
    Some(Template { name, language, fields })
}

fn interactive_of(content: &Value) -> Option<Interactive> {
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

fn location_of(content: &Value) -> Option<Location> {
    let l = content.get("location").filter(|l| l.is_object()).unwrap_or(content);
    Some(Location {
        latitude: l.get("latitude").and_then(as_f64)?,
        longitude: l.get("longitude").and_then(as_f64)?,
        name: str_at(l, "name").map(str::to_owned),
        address: str_at(l, "address").map(str::to_owned),
    })
}

fn media_kind(type_: &str, mime: Option<&str>, name: Option<&str>) -> MessageKind {
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

/// The reactor our own reactions are stored under: WhatsApp allows one reaction per reactor, and
/// every Wegly user reacts as the same business number.
pub const OUR_REACTOR: &str = "business";

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
fn message_events(
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
pub fn verify_signature(secret: &str, body: &[u8], signature: &str) -> bool {
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
pub fn parse_webhook(req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
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
    let delivery: Value = super::http::webhook_json(req.body)?;
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
    if key == shape::MESSAGE_RECEIVED || key == shape::MESSAGE_SENT {
        let m = message.ok_or_else(|| invalid("no message in the payload"))?;
        let chat = payload_chat(payload, Some(m), now).ok_or_else(|| invalid("no chat id in the payload"))?;
        return message_events(&chat, m, None, true).map_err(|e| invalid(&e));
    }
    if shape::MESSAGE_STATUS.contains(&key) {
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
    let removed = shape::REACTION_REMOVED.contains(&key);
    if removed || shape::REACTION.contains(&key) {
        let id = str_at(payload, "message_id")
            .or_else(|| payload.get("reaction").and_then(|r| str_at(r, "message_id")))
            .or_else(|| message.and_then(message_key))
            .ok_or_else(|| invalid("no message id in the payload"))?;
        let reaction = payload.get("reaction").filter(|r| r.is_object()).ok_or_else(|| invalid("no reaction"))?;
        let chat = payload_chat(payload, message, now).unwrap_or_else(|| ChatInfo::bare(""));
        let empty = str_at(reaction, "emoji").is_none();
        return Ok(reaction_event(id, reaction, &chat, removed || empty).into_iter().collect());
    }
    if shape::CHAT_CHANGED.contains(&key) {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use inbox_sim::fixtures::wegly as fx;

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
        assert_eq!(
            shape::text("oi", Some("wamid.A")),
            json!({"type": "text", "body": "oi", "reference_wamid": "wamid.A"})
        );
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
        let ok =
            s(json!({"whatsapp_phone_id": PHONE.to_uppercase(), "origin": "https://crm.example.com/app"})).unwrap();
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
        for good in [
            hex::encode(raw),
            hex::encode_upper(raw),
            e.encode(raw),
            u.encode(raw),
            format!("sha256={}", hex::encode(raw)),
        ] {
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
        let odd =
            json!({"event_key": "chat.message_status_updated", "payload": {"message_id": "m2", "status": "mystery"}});
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
        let changed = json!({"event_key": "chat.updated", "payload": {"chat": {"id": "c1", "status": "RESOLVED", "priority": 2}}});
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
}
