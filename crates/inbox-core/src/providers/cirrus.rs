//! Cirrus (Karoo) omnichannel API: contacts, tags, conversations and messages.
//!
//! Cirrus documents a TypeScript library (`@cirrus/omnichannel_api`), not HTTP routes; its
//! routes, base URL and authentication are not public. So this client has **one route map**,
//! [`Operation`] → `METHOD /path`, inferred from the library's method names, and every entry can
//! be replaced per account by the `routes` setting, a JSON object such as
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

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::http::{self, Answer, snippet};
use super::{
    AccountContext, ChatUpdate, ConversationRef, Delivered, RemoteContact, RemotePage, RemoteTag, SendFailure,
    StartPlan, Started, WebhookError, WebhookEvent, WebhookRequest,
};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, ConversationKind, Direction, FieldKind, FieldOption, MessageKind,
    Provider, ProviderInfo, SettingField, StartConversation, WebhookSetup,
};
use crate::secrets::Sensitive;
use crate::store::{ConversationTarget, InboundContact, InboundMessage, OutboundMessage};
use crate::{Error, Result};

const PROVIDER: &str = "Cirrus";
/// Contacts read per page on sync.
pub const PAGE_SIZE: u32 = 50;
/// The only channel type Cirrus supports today.
pub const CHANNEL_TYPE: &str = "whatsapp";

pub fn capabilities(settings: &Map<String, Value>) -> Vec<Capability> {
    use Capability::*;
    let mut caps = vec![StartConversation, SendText, SendFile, Groups, Reply, Delete, ContactSync, TagSync];
    if settings.get("service").and_then(Value::as_str) == Some("d360") {
        caps.push(Window24h);
    }
    caps
}

pub fn info() -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: &str| CapabilityNote { capability, reason: reason.into() };
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
            why(Caption, "Cirrus's media message carries only the media URL."),
            why(Reactions, "Cirrus's library has no reactions."),
            why(RemoveReaction, "Cirrus's library has no reactions."),
            why(Typing, "Cirrus's library has no typing notification."),
            why(Templates, "Cirrus's library sends proactive messages instead of templates."),
            why(Interactive, "Cirrus documents interactive messages as not implemented."),
            why(Location, "Cirrus's library has no location message."),
            why(Departments, "Cirrus has no departments."),
            why(Handoff, "Cirrus conversations are answered here, not handed off."),
            why(HandoffUpdate, "Cirrus conversations are answered here, not handed off."),
            why(HistoryUrl, "Cirrus does not read history from us."),
            why(HistoryImport, "Cirrus's library cannot read earlier messages."),
            why(Reassign, "Cirrus's library has no reassignment."),
            why(Window24h, "Only the d360 service (official WhatsApp API) has the 24-hour window."),
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
        notes: vec![
            "Give Cirrus the webhook URL as the platform's callbackUrl. Events the inbox does not recognise are kept and shown as \"unrecognised event\".",
            "Contacts and tags: edits made here are sent to Cirrus at once; on sync, Cirrus's version wins over a local edit that could not be sent.",
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Route map

/// Every operation of the library, named `<api>.<method>` after the library's method names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operation {
    ContactsCreate,
    ContactsUpdate,
    ContactsGetById,
    ContactsGet,
    ContactsDeletePlatform,
    ContactsGetTagsByContactId,
    ContactsAddTags,
    ContactsRemoveTags,
    TagsCreate,
    TagsGet,
    TagsGetById,
    TagsUpdate,
    TagsDelete,
    TagsGetContactsByTagId,
    MessagesStartConversation,
    MessagesSendMessage,
    MessagesSendProactiveMessage,
    MessagesSendGroupMessage,
    MessagesDeleteMessage,
}

impl Operation {
    pub const ALL: [Operation; 19] = [
        Operation::ContactsCreate,
        Operation::ContactsUpdate,
        Operation::ContactsGetById,
        Operation::ContactsGet,
        Operation::ContactsDeletePlatform,
        Operation::ContactsGetTagsByContactId,
        Operation::ContactsAddTags,
        Operation::ContactsRemoveTags,
        Operation::TagsCreate,
        Operation::TagsGet,
        Operation::TagsGetById,
        Operation::TagsUpdate,
        Operation::TagsDelete,
        Operation::TagsGetContactsByTagId,
        Operation::MessagesStartConversation,
        Operation::MessagesSendMessage,
        Operation::MessagesSendProactiveMessage,
        Operation::MessagesSendGroupMessage,
        Operation::MessagesDeleteMessage,
    ];

    /// The name used in the `routes` setting.
    pub fn name(self) -> &'static str {
        use Operation::*;
        match self {
            ContactsCreate => "contacts.create",
            ContactsUpdate => "contacts.update",
            ContactsGetById => "contacts.getById",
            ContactsGet => "contacts.get",
            ContactsDeletePlatform => "contacts.deletePlatform",
            ContactsGetTagsByContactId => "contacts.getTagsByContacId",
            ContactsAddTags => "contacts.addTags",
            ContactsRemoveTags => "contacts.removeTags",
            TagsCreate => "tags.create",
            TagsGet => "tags.get",
            TagsGetById => "tags.getById",
            TagsUpdate => "tags.update",
            TagsDelete => "tags.delete",
            TagsGetContactsByTagId => "tags.getContactsByTagId",
            MessagesStartConversation => "messages.startConversation",
            MessagesSendMessage => "messages.sendMessage",
            MessagesSendProactiveMessage => "messages.sendProactiveMessage",
            MessagesSendGroupMessage => "messages.sendGroupMessage",
            MessagesDeleteMessage => "messages.deleteMessage",
        }
    }

    pub fn parse(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The inferred route, `METHOD /path`.
    pub fn default_route(self) -> &'static str {
        use Operation::*;
        match self {
            ContactsCreate => "POST /contacts",
            ContactsUpdate => "PATCH /contacts/{contactId}",
            ContactsGetById => "GET /contacts/{contactId}",
            ContactsGet => "GET /contacts",
            ContactsDeletePlatform => "DELETE /contacts/{contactId}/platform",
            ContactsGetTagsByContactId => "GET /contacts/{contactId}/tags",
            ContactsAddTags => "POST /contacts/{contactId}/tags",
            ContactsRemoveTags => "DELETE /contacts/{contactId}/tags",
            TagsCreate => "POST /tags",
            TagsGet => "GET /tags",
            TagsGetById => "GET /tags/{tagId}",
            TagsUpdate => "PATCH /tags/{tagId}",
            TagsDelete => "DELETE /tags/{tagId}",
            TagsGetContactsByTagId => "GET /tags/{tagId}/contacts",
            MessagesStartConversation => "POST /messages/start-conversation/{service}",
            MessagesSendMessage => "POST /messages/send",
            MessagesSendProactiveMessage => "POST /messages/proactive",
            MessagesSendGroupMessage => "POST /messages/group",
            MessagesDeleteMessage => "DELETE /messages/{messageId}",
        }
    }

    /// The fields a path of this operation may name as `{field}`: its DTO's identifying fields.
    pub fn path_fields(self) -> &'static [&'static str] {
        use Operation::*;
        match self {
            ContactsCreate => &["clientIdentifier", "channelId", "contactIdentifier"],
            ContactsGet | TagsCreate | TagsGet => &["clientIdentifier"],
            ContactsUpdate
            | ContactsGetById
            | ContactsDeletePlatform
            | ContactsGetTagsByContactId
            | ContactsAddTags
            | ContactsRemoveTags => &["clientIdentifier", "contactId"],
            TagsGetById | TagsUpdate | TagsDelete | TagsGetContactsByTagId => &["clientIdentifier", "tagId"],
            MessagesStartConversation => &["service", "platformConfigId", "channelId", "clientProviderId"],
            MessagesSendMessage => &["sessionId"],
            MessagesSendProactiveMessage | MessagesSendGroupMessage => &["channelId", "recipientNumber", "platform"],
            MessagesDeleteMessage => &["messageId", "senderId", "channelSlug"],
        }
    }
}

/// One route: an HTTP method and a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: reqwest::Method,
    /// Starts with `/`; `{field}` placeholders are filled from the DTO.
    pub path: String,
}

impl Route {
    /// Parses `METHOD /path` for `op`, or says what is wrong with it.
    pub fn parse(op: Operation, text: &str) -> std::result::Result<Route, String> {
        let bad = |why: &str| format!("route `{}` = \"{text}\": {why}", op.name());
        let (method, path) =
            text.trim().split_once(char::is_whitespace).ok_or_else(|| bad("write it as \"METHOD /path\""))?;
        let path = path.trim();
        let method = match method.to_ascii_uppercase().as_str() {
            "GET" => reqwest::Method::GET,
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            "PATCH" => reqwest::Method::PATCH,
            "DELETE" => reqwest::Method::DELETE,
            _ => return Err(bad("the method must be GET, POST, PUT, PATCH or DELETE")),
        };
        if !path.starts_with('/') {
            return Err(bad("the path must start with /"));
        }
        if path.chars().any(|c| c.is_whitespace() || c == '?' || c == '#') {
            return Err(bad("the path cannot hold spaces, a query or a fragment"));
        }
        let mut rest = path;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(bad("unbalanced braces"));
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| bad("unbalanced braces"))?;
            let field = &after[..close];
            if !op.path_fields().contains(&field) {
                return Err(bad(&format!(
                    "`{{{field}}}` is not a field of this operation (use one of: {})",
                    op.path_fields().join(", ")
                )));
            }
            rest = &after[close + 1..];
        }
        Ok(Route { method, path: path.to_owned() })
    }

    /// The path with its placeholders filled (URL-encoded), and the fields it used.
    fn render(&self, fields: &Map<String, Value>) -> std::result::Result<(String, BTreeSet<String>), SendFailure> {
        let mut out = String::with_capacity(self.path.len());
        let mut used = BTreeSet::new();
        let mut rest = self.path.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            let field = &after[..close];
            let value = match fields.get(field) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(SendFailure(format!("the Cirrus route {} needs `{field}`, which is empty", self.path)));
                }
            };
            out.push_str(&encode_segment(&value));
            used.insert(field.to_owned());
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok((out, used))
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The account's route map: the inferred defaults with its overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Routes {
    map: BTreeMap<Operation, Route>,
    /// The overrides as given (normalised), for saving back into the settings.
    overrides: BTreeMap<String, String>,
}

impl Routes {
    pub fn defaults() -> Routes {
        let map = Operation::ALL
            .into_iter()
            .map(|op| (op, Route::parse(op, op.default_route()).expect("default routes are valid")))
            .collect();
        Routes { map, overrides: BTreeMap::new() }
    }

    /// Defaults with `overrides` (`{"operation": "METHOD /path"}`) applied. A JSON string holding
    /// such an object is accepted too (a settings form's text area).
    pub fn with_overrides(overrides: Option<&Value>) -> Result<Routes> {
        let mut routes = Routes::defaults();
        let object = match overrides {
            None | Some(Value::Null) => return Ok(routes),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(routes),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(Error::invalid(
                        "`routes` must be a JSON object like {\"contacts.create\": \"POST /contacts\"}",
                    ));
                }
            },
            Some(Value::Object(map)) => map.clone(),
            Some(_) => {
                return Err(Error::invalid(
                    "`routes` must be a JSON object like {\"contacts.create\": \"POST /contacts\"}",
                ));
            }
        };
        for (name, value) in &object {
            let op = Operation::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
                Error::invalid(format!("`routes` names an unknown operation `{name}`; known: {}", known.join(", ")))
            })?;
            let text = value
                .as_str()
                .ok_or_else(|| Error::invalid(format!("route `{name}` must be a string like \"POST /contacts\"")))?;
            let route = Route::parse(op, text).map_err(Error::invalid)?;
            routes.overrides.insert(name.clone(), format!("{} {}", route.method, route.path));
            routes.map.insert(op, route);
        }
        Ok(routes)
    }

    pub fn get(&self, op: Operation) -> &Route {
        &self.map[&op]
    }

    pub fn overrides(&self) -> &BTreeMap<String, String> {
        &self.overrides
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
            other => Err(Error::invalid(format!("`service` must be whatsappweb or d360, not `{other}`"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub base_url: reqwest::Url,
    pub client_identifier: String,
    pub channel_id: String,
    pub platform_config_id: Option<String>,
    pub platform: Option<String>,
    pub service: Service,
    pub company_name: Option<String>,
    pub agent_name: Option<String>,
    pub routes: Routes,
}

impl Settings {
    pub fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let optional = |key: &str| -> Result<Option<String>> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
                Some(_) => Err(Error::invalid(format!("`{key}` must be text"))),
            }
        };
        let required = |key: &str| -> Result<String> {
            optional(key)?.ok_or_else(|| Error::invalid(format!("`{key}` is required")))
        };
        let base_text = required("base_url")?;
        let base_url = reqwest::Url::parse(&base_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid("`base_url` must be an http(s) URL"))?;
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

pub fn validate_settings(settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(settings).map(|s| s.to_map())
}

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

fn string_of(v: &Value) -> Option<String> {
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

fn text_field(v: &Value, keys: &[&str]) -> Option<String> {
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
pub fn has_next_page(v: &Value, page: u32, limit: u32, count: usize) -> bool {
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

fn time_of(v: &Value) -> Option<DateTime<Utc>> {
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
pub fn session_id_of(v: &Value) -> Option<String> {
    let v = unwrap_data(v);
    v.get("sessionId")
        .and_then(string_of)
        .or_else(|| v.get("session").and_then(|s| string_of(s).or_else(|| id_of(s))))
        .or_else(|| id_of(v))
}

/// The message id a send answers.
pub fn message_id_of(v: &Value) -> Option<String> {
    let v = unwrap_data(v);
    v.get("messageId").and_then(string_of).or_else(|| v.get("message").and_then(id_of)).or_else(|| id_of(v))
}

/// A refusal in words: Cirrus's `message` (a string, or NestJS's array of validation messages).
pub fn failure(answer: &Answer) -> SendFailure {
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

// ---------------------------------------------------------------------------------------------
// The client: every documented operation

/// A refused call, with the HTTP status when Cirrus answered.
#[derive(Debug, Clone)]
pub struct CallError {
    pub status: Option<u16>,
    pub failure: SendFailure,
}

impl From<CallError> for SendFailure {
    fn from(e: CallError) -> SendFailure {
        e.failure
    }
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Error {
        Error::Provider(e.failure.0)
    }
}

type Call<T> = std::result::Result<T, CallError>;

pub struct Client {
    http: reqwest::Client,
    settings: Settings,
    token: Option<Sensitive>,
}

fn dto_map<T: Serialize>(dto: &T) -> Map<String, Value> {
    match serde_json::to_value(dto) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The library's methods that send their DTO as it is: `method(Dto) => Operation`, each a
/// `pub async fn method(&self, dto: &Dto) -> Call<Value>`.
macro_rules! dto_methods {
    ($($method:ident($dto:ty) => $op:ident;)*) => {$(
        #[doc = concat!("Calls `", stringify!($op), "` with its DTO; answers the JSON (`null` for an empty body).")]
        pub async fn $method(&self, dto: &$dto) -> Call<Value> {
            self.call(Operation::$op, dto_map(dto), &[]).await
        }
    )*};
}

impl Client {
    pub fn new(http: reqwest::Client, settings: Settings, token: Option<Sensitive>) -> Client {
        Client { http, settings, token }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Calls one operation with its DTO; `extra` fills path placeholders that are not DTO fields
    /// (the start's `service`). Answers the JSON (`null` for an empty body).
    pub async fn call(&self, op: Operation, dto: Map<String, Value>, extra: &[(&str, &str)]) -> Call<Value> {
        let route = self.settings.routes.get(op);
        let mut fields = dto.clone();
        for (k, v) in extra {
            fields.insert((*k).to_owned(), Value::String((*v).to_owned()));
        }
        let (path, used) = route.render(&fields).map_err(|failure| CallError { status: None, failure })?;
        let url = format!("{}{}", self.settings.base_url.as_str().trim_end_matches('/'), path);
        let query: Vec<(String, String)> = if route.method == reqwest::Method::GET {
            dto.iter()
                .filter(|(k, _)| !used.contains(*k))
                .flat_map(|(k, v)| match v {
                    Value::Array(items) => items.iter().filter_map(string_of).map(|s| (k.clone(), s)).collect(),
                    Value::Null => vec![],
                    Value::String(s) => vec![(k.clone(), s.clone())],
                    other => vec![(k.clone(), other.to_string())],
                })
                .collect()
        } else {
            Vec::new()
        };
        let body = Value::Object(dto);
        let method = route.method.clone();
        tracing::debug!(operation = op.name(), %method, path = %route.path, "calling Cirrus");
        let answer = http::call(PROVIDER, || {
            let mut request = self.http.request(method.clone(), &url);
            if method == reqwest::Method::GET {
                request = request.query(&query);
            } else {
                request = request.json(&body);
            }
            if let Some(token) = &self.token {
                request = request.bearer_auth(token.expose());
            }
            request
        })
        .await
        .map_err(|failure| CallError { status: None, failure })?;
        if !answer.ok() {
            return Err(CallError { status: Some(answer.status), failure: failure(&answer) });
        }
        if answer.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        answer.json().ok_or_else(|| CallError {
            status: Some(answer.status),
            failure: SendFailure(format!(
                "{PROVIDER} answered with something that is not JSON: {}",
                snippet(&answer.text)
            )),
        })
    }

    dto_methods! {
        // ContactApi
        create_contact(CreateContactDto) => ContactsCreate;
        update_contact(UpdateContactDto) => ContactsUpdate;
        get_contact_by_id(ContactRefDto) => ContactsGetById;
        get_contacts(GetContactsDto) => ContactsGet;
        delete_contact_platform(ContactRefDto) => ContactsDeletePlatform;
        get_tags_by_contact_id(ContactRefDto) => ContactsGetTagsByContactId;
        add_contact_tags(ContactTagsDto) => ContactsAddTags;
        remove_contact_tags(ContactTagsDto) => ContactsRemoveTags;
        // TagApi
        create_tag(CreateTagDto) => TagsCreate;
        get_tags(GetTagsDto) => TagsGet;
        get_tag_by_id(TagRefDto) => TagsGetById;
        update_tag(UpdateTagDto) => TagsUpdate;
        delete_tag(TagRefDto) => TagsDelete;
        get_contacts_by_tag_id(TagRefDto) => TagsGetContactsByTagId;
        // MessageApi (the start, whose path also names the service, is below)
        send_message(SendMessageDto) => MessagesSendMessage;
        send_proactive_message(SendPlatformMessagePayload) => MessagesSendProactiveMessage;
        send_group_message(SendPlatformMessagePayload) => MessagesSendGroupMessage;
        delete_message(DeleteMessageDto) => MessagesDeleteMessage;
    }

    pub async fn start_conversation(&self, dto: &StartConversationDto, service: Service) -> Call<Value> {
        self.call(Operation::MessagesStartConversation, dto_map(dto), &[("service", service.as_str())]).await
    }

    // Typed helpers the connector builds on

    pub fn contact_ref(&self, contact_id: &str) -> ContactRefDto {
        ContactRefDto { client_identifier: self.settings.client_identifier.clone(), contact_id: contact_id.to_owned() }
    }

    pub fn tag_ref(&self, tag_id: &str) -> TagRefDto {
        TagRefDto { client_identifier: self.settings.client_identifier.clone(), tag_id: tag_id.to_owned() }
    }

    pub async fn list_tags(&self) -> Call<Vec<RemoteTag>> {
        let dto = GetTagsDto { client_identifier: self.settings.client_identifier.clone(), name: None };
        let answer = self.get_tags(&dto).await?;
        let mut tags: Vec<RemoteTag> = Vec::new();
        for tag in items_of(&answer).iter().filter_map(remote_tag) {
            if !tags.iter().any(|t| t.remote_id == tag.remote_id) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    /// One page of the account's WhatsApp contacts, oldest first.
    pub async fn contacts_page(&self, page: u32) -> Call<RemotePage<RemoteContact>> {
        let dto = GetContactsDto {
            client_identifier: self.settings.client_identifier.clone(),
            page: Some(page.max(1)),
            limit: Some(PAGE_SIZE),
            order: Some("asc".into()),
            channel_type: Some(CHANNEL_TYPE.into()),
            ..GetContactsDto::default()
        };
        let answer = self.get_contacts(&dto).await?;
        let raw = items_of(&answer);
        let items: Vec<RemoteContact> = raw.iter().filter_map(remote_contact).collect();
        let next = has_next_page(&answer, page.max(1), PAGE_SIZE, raw.len());
        Ok(RemotePage { items, next_page: next.then_some(page.max(1) + 1) })
    }

    /// The contact with this number, if Cirrus has one.
    pub async fn find_contact(&self, number: &str) -> Call<Option<RemoteContact>> {
        let dto = GetContactsDto {
            client_identifier: self.settings.client_identifier.clone(),
            page: Some(1),
            limit: Some(PAGE_SIZE),
            channel_type: Some(CHANNEL_TYPE.into()),
            contact_identifier: Some(number.to_owned()),
            ..GetContactsDto::default()
        };
        let answer = self.get_contacts(&dto).await?;
        Ok(items_of(&answer).iter().filter_map(remote_contact).find(|c| c.external_id == number))
    }
}

// ---------------------------------------------------------------------------------------------
// The connector

pub struct Connector {
    client: Client,
    account_name: String,
}

impl Connector {
    pub fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        let token = ctx.secrets.get("token").cloned();
        Ok(Connector { client: Client::new(ctx.http, settings, token), account_name: ctx.account.name.clone() })
    }

    fn settings(&self) -> &Settings {
        &self.client.settings
    }

    fn agent_name(&self) -> String {
        self.settings().agent_name.clone().unwrap_or_else(|| self.account_name.clone())
    }

    fn platform_payload(
        &self,
        recipient: &str,
        msg: &OutboundMessage,
    ) -> std::result::Result<SendPlatformMessagePayload, SendFailure> {
        let (text, media_uri) = content(msg)?;
        Ok(SendPlatformMessagePayload {
            channel_id: self.settings().channel_id.clone(),
            recipient_number: recipient.to_owned(),
            platform: self.settings().platform()?.to_owned(),
            text,
            media_uri,
            quoted_message: quoted(msg),
        })
    }

    /// Makes Cirrus's tags of a contact exactly `wanted`.
    async fn set_contact_tags(&self, contact_id: &str, wanted: &[String]) -> Call<()> {
        let current = self.client.get_tags_by_contact_id(&self.client.contact_ref(contact_id)).await?;
        let current: BTreeSet<String> =
            items_of(&current).iter().filter_map(|t| string_of(t).or_else(|| id_of(t))).collect();
        let wanted: BTreeSet<String> = wanted.iter().cloned().collect();
        let add: Vec<String> = wanted.difference(&current).cloned().collect();
        let remove: Vec<String> = current.difference(&wanted).cloned().collect();
        let dto = |tag_ids| ContactTagsDto {
            client_identifier: self.settings().client_identifier.clone(),
            contact_id: contact_id.to_owned(),
            tag_ids,
        };
        if !add.is_empty() {
            self.client.add_contact_tags(&dto(add)).await?;
        }
        if !remove.is_empty() {
            self.client.remove_contact_tags(&dto(remove)).await?;
        }
        Ok(())
    }
}

/// Text or media URL: Cirrus's messages carry one or the other.
fn content(msg: &OutboundMessage) -> std::result::Result<(Option<String>, Option<String>), SendFailure> {
    match msg.kind {
        MessageKind::Text => Ok((Some(msg.body.clone().unwrap_or_default()), None)),
        MessageKind::Image | MessageKind::Video | MessageKind::Audio | MessageKind::File | MessageKind::Sticker => {
            let url = msg.media_url.clone().ok_or_else(|| SendFailure("a file needs its URL".into()))?;
            Ok((None, Some(url)))
        }
        other => Err(SendFailure(format!("Cirrus cannot send {other:?} messages"))),
    }
}

fn quoted(msg: &OutboundMessage) -> Option<QuotedMessage> {
    msg.quoted_provider_message_id.clone().map(|message_id| QuotedMessage { message_id })
}

/// A phone number as Cirrus keys contacts: digits only, country code first.
fn normalise_number(to: &str) -> Result<String> {
    let digits: String = to.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')' | '.')).collect();
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("`to` must be a WhatsApp number with country code (8 to 15 digits)"));
    }
    Ok(digits)
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Cirrus
    }

    async fn test_connection(&self) -> Result<ConnectionTest> {
        let tags = self.client.list_tags().await?;
        Ok(ConnectionTest { ok: true, message: format!("Cirrus answered: the account has {} tags", tags.len()) })
    }

    async fn deliver(
        &self,
        target: &ConversationTarget,
        msg: &OutboundMessage,
    ) -> std::result::Result<Delivered, SendFailure> {
        let id_from = |v: &Value| message_id_of(v);
        if target.kind == ConversationKind::Group {
            let payload = self.platform_payload(&target.external_id, msg)?;
            let answer = self.client.send_group_message(&payload).await?;
            return Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() });
        }
        if let Some(session_id) = target.meta_str("session_id") {
            let (text, media_uri) = content(msg)?;
            let dto = SendMessageDto {
                agent_name: self.agent_name(),
                session_id: session_id.to_owned(),
                text,
                media_uri,
                quoted_message: quoted(msg),
            };
            match self.client.send_message(&dto).await {
                Ok(answer) => return Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() }),
                // The session is gone: the message goes out proactively and the session is forgotten.
                Err(CallError { status: Some(404 | 410), failure }) => {
                    tracing::info!(reason = %failure, "Cirrus session closed; sending proactively");
                }
                Err(e) => return Err(e.into()),
            }
            let payload = self.platform_payload(&target.external_id, msg)?;
            let answer = self.client.send_proactive_message(&payload).await?;
            let mut meta = Map::new();
            meta.insert("session_id".into(), Value::Null);
            return Ok(Delivered { provider_message_id: id_from(&answer), meta });
        }
        let payload = self.platform_payload(&target.external_id, msg)?;
        let answer = self.client.send_proactive_message(&payload).await?;
        Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() })
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let service = match input.service.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Service::parse(s)?,
            None => self.settings().service,
        };
        if self.settings().platform_config_id.is_none() {
            return Err(Error::invalid("set the account's platform config id: Cirrus needs it to start conversations"));
        }
        if service == Service::WhatsappWeb && self.settings().company_name.is_none() {
            return Err(Error::invalid(
                "set the account's company name: Cirrus needs it to start WhatsApp Web conversations",
            ));
        }
        let number = normalise_number(&input.to)?;
        let mut meta = Map::new();
        meta.insert("service".into(), Value::String(service.as_str().into()));
        Ok(StartPlan {
            title: input.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("+{number}")),
            external_id: number,
            kind: ConversationKind::Individual,
            meta,
            first_message: None,
            handoff: false,
        })
    }

    async fn start(
        &self,
        target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> std::result::Result<Started, SendFailure> {
        let service =
            target.meta_str("service").and_then(|s| Service::parse(s).ok()).unwrap_or(self.settings().service);
        let settings = self.settings();
        let dto = StartConversationDto {
            platform_config_id: settings.platform_config_id.clone().unwrap_or_default(),
            channel_id: settings.channel_id.clone(),
            client_provider_id: target.external_id.clone(),
            user_name: input
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| target.external_id.clone()),
            company_name: settings.company_name.clone(),
            // Optional in the library ("a specific platform"); the account's slug is for sends.
            platform: None,
            session_with_priority: None,
        };
        let answer = self.client.start_conversation(&dto, service).await?;
        let session_id = session_id_of(&answer).ok_or_else(|| {
            SendFailure(format!(
                "Cirrus opened the conversation but answered no session id: {}",
                snippet(&answer.to_string())
            ))
        })?;
        let mut meta = Map::new();
        meta.insert("session_id".into(), Value::String(session_id.clone()));
        meta.insert("service".into(), Value::String(service.as_str().into()));
        let mut started = Started { meta, ..Started::default() };
        if let Some(first) = first {
            let mut with_session = target.clone();
            with_session.meta.insert("session_id".into(), Value::String(session_id));
            match self.deliver(&with_session, first).await {
                Ok(delivered) => started.first_message_id = delivered.provider_message_id,
                Err(failure) => started.first_message_failure = Some(failure),
            }
        }
        Ok(started)
    }

    async fn delete_message(&self, _target: &ConversationTarget, provider_message_id: &str) -> Result<()> {
        let dto = DeleteMessageDto {
            message_id: provider_message_id.to_owned(),
            sender_id: self.settings().channel_id.clone(),
            channel_slug: self.settings().platform().map_err(Error::from)?.to_owned(),
        };
        self.client.delete_message(&dto).await?;
        Ok(())
    }

    async fn pull_tags(&self) -> Result<Vec<RemoteTag>> {
        Ok(self.client.list_tags().await?)
    }

    async fn push_tag(&self, remote_id: Option<&str>, name: &str, color: Option<&str>) -> Result<String> {
        let client_identifier = self.settings().client_identifier.clone();
        if let Some(id) = remote_id {
            let dto = UpdateTagDto {
                client_identifier: client_identifier.clone(),
                tag_id: id.to_owned(),
                name: Some(name.to_owned()),
                color: color.map(str::to_owned),
            };
            match self.client.update_tag(&dto).await {
                Ok(answer) => return Ok(id_of(&answer).unwrap_or_else(|| id.to_owned())),
                // Deleted on Cirrus's side: created again below.
                Err(CallError { status: Some(404), .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let dto = CreateTagDto { client_identifier, name: name.to_owned(), color: color.map(str::to_owned) };
        let answer = self.client.create_tag(&dto).await?;
        id_of(&answer).ok_or_else(|| Error::Provider("Cirrus created the tag but answered no id".into()))
    }

    async fn delete_tag(&self, remote_id: &str) -> Result<()> {
        match self.client.delete_tag(&self.client.tag_ref(remote_id)).await {
            Ok(_) | Err(CallError { status: Some(404), .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn pull_contacts(&self, page: u32) -> Result<RemotePage<RemoteContact>> {
        Ok(self.client.contacts_page(page).await?)
    }

    /// Creates the contact (or finds it by number) or updates its custom name, then makes its
    /// tags match with `addTags`/`removeTags`.
    async fn push_contact(&self, remote_id: Option<&str>, contact: &RemoteContact) -> Result<String> {
        let settings = self.settings();
        let existing = match remote_id {
            Some(id) => Some(id.to_owned()),
            None => self.client.find_contact(&contact.external_id).await?.map(|c| c.remote_id),
        };
        let Some(id) = existing else {
            let dto = CreateContactDto {
                client_identifier: settings.client_identifier.clone(),
                channel_id: settings.channel_id.clone(),
                contact_identifier: contact.external_id.clone(),
                name: contact.name.clone().unwrap_or_else(|| contact.external_id.clone()),
                kind: if contact.kind == ConversationKind::Group { "group" } else { "individual" }.into(),
                channel_type: CHANNEL_TYPE.into(),
                custom_name: contact.custom_name.clone(),
                tag_ids: Some(contact.tag_remote_ids.clone()).filter(|t| !t.is_empty()),
                ..CreateContactDto::default()
            };
            let answer = self.client.create_contact(&dto).await?;
            return id_of(&answer)
                .ok_or_else(|| Error::Provider("Cirrus created the contact but answered no id".into()));
        };
        let dto = UpdateContactDto {
            client_identifier: settings.client_identifier.clone(),
            contact_id: id.clone(),
            custom_name: Some(contact.custom_name.clone().unwrap_or_default()),
            ..UpdateContactDto::default()
        };
        self.client.update_contact(&dto).await?;
        self.set_contact_tags(&id, &contact.tag_remote_ids).await?;
        Ok(id)
    }
}

// ---------------------------------------------------------------------------------------------
// Callbacks

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
pub fn parse_webhook(req: &WebhookRequest<'_>) -> std::result::Result<Vec<WebhookEvent>, WebhookError> {
    // Any JSON value is accepted, so the only refusal is "not JSON" (400).
    let value: Value = http::webhook_json(req.body)?;
    Ok(parse_callback(&value))
}

/// [`parse_webhook`] on parsed JSON.
pub fn parse_callback(value: &Value) -> Vec<WebhookEvent> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use inbox_sim::fixtures::cirrus as fx;

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
        let create = CreateTagDto {
            client_identifier: CLIENT.into(),
            name: "Cliente VIP".into(),
            color: Some("#ff0000".into()),
        };
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
        let nest =
            Answer { status: 422, text: r#"{"statusCode":422,"message":["name should not be empty","x"]}"#.into() };
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
        let media =
            parse(json!({"messageId": 7, "from": "5521900000001", "mediaUri": "https://x/y.pdf", "text": "nota"}));
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
}
