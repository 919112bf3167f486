//! Cirrus (Karoo) omnichannel API: contacts, tags, conversations and messages.
//!
//! Cirrus documents a TypeScript library (`@cirrus/omnichannel_api`), not HTTP routes; its
//! routes, base URL and authentication are not public. So this client has **one route map**
//! (in `client.rs`), `Operation` → `METHOD /path`, inferred from the library's method names, and
//! every entry can be replaced per account by the `routes` setting, a JSON object such as
//! `{"contacts.create": "POST /v2/contacts"}` (validated when the account is saved: an unknown
//! operation or a value that is not `METHOD /path` is refused).
//!
//! | operation | inferred route | library method |
//! |---|---|---|
//! | `contacts.create` | `POST /contacts` | `ContactApi.create` |
//! | `contacts.update` | `PATCH /contacts/{contactId}` | `ContactApi.update` |
//! | `contacts.getById` | `GET /contacts/{contactId}` | `ContactApi.getById` |
//! | `contacts.get` | `GET /contacts` | `ContactApi.get` (paginated, filters) |
//! | `contacts.deletePlatform` | `DELETE /contacts/{contactId}/platform` | `ContactApi.deletePlatform` |
//! | `contacts.getTagsByContacId` | `GET /contacts/{contactId}/tags` | `ContactApi.getTagsByContacId` (the library's spelling) |
//! | `contacts.addTags` | `POST /contacts/{contactId}/tags` | `ContactApi.addTags` |
//! | `contacts.removeTags` | `DELETE /contacts/{contactId}/tags` | `ContactApi.removeTags` |
//! | `tags.create` | `POST /tags` | `TagApi.create` |
//! | `tags.get` | `GET /tags` | `TagApi.get` (filter `name`) |
//! | `tags.getById` | `GET /tags/{tagId}` | `TagApi.getById` |
//! | `tags.update` | `PATCH /tags/{tagId}` | `TagApi.update` |
//! | `tags.delete` | `DELETE /tags/{tagId}` | `TagApi.delete` |
//! | `tags.getContactsByTagId` | `GET /tags/{tagId}/contacts` | `TagApi.getContactsByTagId` |
//! | `messages.startConversation` | `POST /messages/start-conversation/{service}` | `MessageApi.startConversation(dto, service)` |
//! | `messages.sendMessage` | `POST /messages/send` | `MessageApi.sendMessage` |
//! | `messages.sendProactiveMessage` | `POST /messages/proactive` | `MessageApi.sendProactiveMessage` |
//! | `messages.sendGroupMessage` | `POST /messages/group` | `MessageApi.sendGroupMessage` |
//! | `messages.deleteMessage` | `DELETE /messages/{messageId}` | `MessageApi.deleteMessage` |
//!
//! Wire rules: a `{field}` in a path is filled from the DTO's field of that name (plus `service`
//! for a start). A `GET` sends the DTO's other fields as the query string (arrays as repeated
//! keys); any other method sends the whole DTO, exactly as the library documents it, as a JSON
//! body. The optional `token` secret goes out as `Authorization: Bearer`.
//!
//! Answers are not documented either, so they are read leniently: an object may be wrapped in
//! `data`; a list may be a bare array or sit under `data`, `docs`, `items` or `results`; ids are
//! `_id` or `id`; errors carry `message` as a string or (NestJS validation) an array.
//!
//! Quirks and decisions where the document is silent:
//! - `d360` is 360dialog, the official WhatsApp API: only there does the 24-hour window apply.
//! - A conversation is keyed by the contact's number (groups by their id); the session id the
//!   start answers (or a callback carries) is kept in the conversation's meta as `session_id`.
//!   With a session, sends use `sendMessage`; without one, `sendProactiveMessage`; groups use
//!   `sendGroupMessage`. If Cirrus answers a session send with 404 or 410 (the session is gone),
//!   the message goes out as a proactive message and the session is forgotten.
//! - `quotedMessage` is documented only as "an object": we send `{messageId}`.
//! - `deleteMessage` needs a `senderId`: messages sent from here are sent by the account's
//!   channel, so that is the channel id; `channelSlug` is the account's platform slug.
//! - Inbound callbacks: their shape is not public. See [`parse_webhook`] for the shapes read;
//!   any other JSON is kept as an "unrecognised event", never dropped.

mod client;
#[cfg(test)]
mod tests;
mod webhook;
mod wire;

use serde_json::{Map, Value};

use super::AccountContext;
use crate::model::{
    Capability, CapabilityNote, FieldKind, FieldOption, Provider, ProviderInfo, SettingField, WebhookSetup,
};
use crate::providers::SendFailure;
use crate::{Error, Result, Text};
use client::Routes;
pub use client::{CallError, Client};
pub(crate) use webhook::parse_webhook;
pub use wire::{
    ContactRefDto, ContactTagsDto, CreateContactDto, CreateTagDto, DeleteMessageDto, GetContactsDto, GetTagsDto,
    QuotedMessage, SendMessageDto, SendPlatformMessagePayload, StartConversationDto, TagRefDto, UpdateContactDto,
    UpdateTagDto, id_of, items_of, remote_contact, remote_tag,
};

const PROVIDER: &str = "Cirrus";
/// Contacts read per page on sync.
const PAGE_SIZE: u32 = 50;
/// The only channel type Cirrus supports today.
const CHANNEL_TYPE: &str = "whatsapp";

pub(crate) fn capabilities(settings: &Map<String, Value>) -> Vec<Capability> {
    use Capability::*;
    let mut caps = vec![StartConversation, SendText, SendFile, Groups, Reply, Delete, ContactSync, TagSync];
    if settings.get("service").and_then(Value::as_str) == Some("d360") {
        caps.push(Window24h);
    }
    caps
}

pub(crate) fn info() -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: Text| CapabilityNote { capability, reason };
    let text = |key, label, required, help| SettingField {
        key,
        label,
        kind: FieldKind::Text,
        required,
        options: vec![],
        default: None,
        help,
    };
    ProviderInfo {
        id: Provider::Cirrus,
        label: "Cirrus",
        capabilities: capabilities(&Map::new()),
        unavailable: vec![
            why(Caption, text!("cirrus.reason_caption")),
            why(Reactions, text!("cirrus.reason_reactions")),
            why(RemoveReaction, text!("cirrus.reason_reactions")),
            why(Typing, text!("cirrus.reason_typing")),
            why(Templates, text!("cirrus.reason_templates")),
            why(Interactive, text!("cirrus.reason_interactive")),
            why(Location, text!("cirrus.reason_location")),
            why(Departments, text!("cirrus.reason_departments")),
            why(Handoff, text!("cirrus.reason_not_handed_off")),
            why(HandoffUpdate, text!("cirrus.reason_not_handed_off")),
            why(HistoryUrl, text!("cirrus.reason_history_url")),
            why(HistoryImport, text!("cirrus.reason_history_import")),
            why(Reassign, text!("cirrus.reason_reassign")),
            why(Refresh, text!("cirrus.reason_refresh")),
            why(Window24h, text!("cirrus.reason_window")),
        ],
        fields: vec![
            SettingField {
                key: "base_url",
                label: "API base URL",
                kind: FieldKind::Url,
                required: true,
                options: vec![],
                default: None,
                help: Some("Cirrus does not publish its HTTP address; ask your Cirrus contact."),
            },
            text("client_identifier", "Client identifier", true, Some("The account's clientIdentifier (a UUID).")),
            text("channel_id", "Channel id", true, None),
            text("platform_config_id", "Platform config id", false, Some("Needed to start conversations.")),
            text("platform", "Platform slug", false, Some("For example karoochat.")),
            SettingField {
                key: "service",
                label: "WhatsApp service",
                kind: FieldKind::Select,
                required: true,
                options: vec![
                    FieldOption { value: "whatsappweb".into(), label: "WhatsApp Web" },
                    FieldOption { value: "d360".into(), label: "360dialog (official API)" },
                ],
                default: Some("whatsappweb".into()),
                help: None,
            },
            text("company_name", "Company name", false, Some("Required to start conversations over WhatsApp Web.")),
            text("agent_name", "Agent name", false, Some("The name Cirrus shows on messages sent from here.")),
            SettingField {
                key: "routes",
                label: "Route overrides",
                kind: FieldKind::Json,
                required: false,
                options: vec![],
                default: None,
                help: Some(
                    "Cirrus's HTTP routes are inferred from its library; override any of them here as {\"operation\": \"METHOD /path\"}.",
                ),
            },
            SettingField {
                key: "token",
                label: "API token",
                kind: FieldKind::Secret,
                required: false,
                options: vec![],
                default: None,
                help: Some("Sent as a Bearer token if your Cirrus server needs one. Kept in the system keychain."),
            },
        ],
        webhook_setup: WebhookSetup::Manual,
        notes: vec![text!("cirrus.note_webhook"), text!("cirrus.note_sync")],
        max_text_chars: crate::outbound::MAX_TEXT_CHARS as u32,
    }
}

// ---------------------------------------------------------------------------------------------
// Settings

/// Which WhatsApp service a conversation goes through (`MessageServiceEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// WhatsApp Web: starting a conversation needs the company name.
    WhatsappWeb,
    /// 360dialog, the official API: the 24-hour window applies.
    D360,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::WhatsappWeb => "whatsappweb",
            Service::D360 => "d360",
        }
    }

    pub fn parse(s: &str) -> Result<Service> {
        match s.trim() {
            "whatsappweb" => Ok(Service::WhatsappWeb),
            "d360" => Ok(Service::D360),
            other => Err(Error::invalid(text!("cirrus.service_invalid", value = other))),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    base_url: reqwest::Url,
    client_identifier: String,
    channel_id: String,
    platform_config_id: Option<String>,
    platform: Option<String>,
    service: Service,
    company_name: Option<String>,
    agent_name: Option<String>,
    routes: Routes,
}

impl Settings {
    pub fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let optional = |key: &str| -> Result<Option<String>> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
                Some(_) => Err(Error::invalid(text!("field.not_text", field = key))),
            }
        };
        let required = |key: &str| -> Result<String> {
            optional(key)?.ok_or_else(|| Error::invalid(text!("field.required", field = key)))
        };
        let base_text = required("base_url")?;
        let base_url = reqwest::Url::parse(&base_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid(text!("field.not_http_url", field = "base_url")))?;
        let service = match optional("service")? {
            Some(s) => Service::parse(&s)?,
            None => Service::WhatsappWeb,
        };
        Ok(Settings {
            base_url,
            client_identifier: required("client_identifier")?,
            channel_id: required("channel_id")?,
            platform_config_id: optional("platform_config_id")?,
            platform: optional("platform")?,
            service,
            company_name: optional("company_name")?,
            agent_name: optional("agent_name")?,
            routes: Routes::with_overrides(map.get("routes"))?,
        })
    }

    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        let mut put = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                map.insert(k.into(), Value::String(v.to_owned()));
            }
        };
        put("base_url", Some(self.base_url.as_str()));
        put("client_identifier", Some(&self.client_identifier));
        put("channel_id", Some(&self.channel_id));
        put("platform_config_id", self.platform_config_id.as_deref());
        put("platform", self.platform.as_deref());
        put("service", Some(self.service.as_str()));
        put("company_name", self.company_name.as_deref());
        put("agent_name", self.agent_name.as_deref());
        if !self.routes.overrides().is_empty() {
            let routes: Map<String, Value> =
                self.routes.overrides().iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            map.insert("routes".into(), Value::Object(routes));
        }
        map
    }

    fn platform(&self) -> std::result::Result<&str, SendFailure> {
        self.platform.as_deref().ok_or_else(|| {
            SendFailure(
                "set the account's platform slug (for example karoochat): Cirrus needs it for proactive, group and delete calls"
                    .into(),
            )
        })
    }
}

pub(crate) fn validate_settings(settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(settings).map(|s| s.to_map())
}

// ---------------------------------------------------------------------------------------------
// The connector

pub(crate) struct Connector {
    client: Client,
    account_name: String,
    /// What the account can do, from its settings when the connector was made.
    capabilities: Vec<Capability>,
}

impl Connector {
    pub(crate) fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        let token = ctx.secrets.get("token").cloned();
        Ok(Connector {
            client: Client::new(ctx.http, settings, token),
            account_name: ctx.account.name.clone(),
            capabilities: capabilities(&ctx.account.settings),
        })
    }

    fn settings(&self) -> &Settings {
        self.client.settings()
    }

    fn agent_name(&self) -> String {
        self.settings().agent_name.clone().unwrap_or_else(|| self.account_name.clone())
    }
}
