//! ZChat (Zenvia) / Omnize: one client family, two flavours.
//!
//! In the inbox this account is the *client side* of a hand-off: the agent hands a customer off
//! to a department, writes on the customer's behalf, and the provider's agents answer; triggers
//! (webhooks) tell the queue position, accept, typing, transfer, finish and the agents' messages.
//!
//! Flavours and path layout (`{base}` is the account's `base_url`, any http(s) URL; a path in it is
//! kept, so `https://host/prefix` serves `https://host/prefix/core/api/v1/...`):
//!
//! | operation | interactions ("ClientApi V1") | WhatsApp ("Whatsapp Api V1") |
//! |---|---|---|
//! | start | `POST {base}/core/api/v1/interactions`, then the first message | the first message (required) |
//! | send | `POST {base}/core/api/v1/interactions/{hash}/messages` | `POST {base}/api/v1/whatsapp` |
//! | typing | `PUT {base}/core/api/v1/interactions/{hash}/typing` and `/cleared` | `PUT {base}/api/v1/whatsapp/typing`, `PUT {base}/api/v1/interactions/cleared` (best effort) |
//! | finish (resolve) | `PUT {base}/core/api/v1/interactions/{hash}/finish` | none: resolving is local |
//! | update hand-off | `PUT {base}/core/api/v1/interactions/{hash}` | none |
//! | departments | `GET {base}/api/external/departments?token=`, on 404 `GET {base}/api/v1/departments?token=` | same |
//!
//! The interactions paths are the ones documented for zchat.zenvia.io (`/core/api/v1`); the
//! WhatsApp paths are the Omnize document's (`/api/v1`). Conversations are keyed by the
//! interaction hash (interactions flavour: a started conversation is re-keyed to the hash the
//! provider answers, since its triggers carry nothing else) or by the customer's `external_id`
//! (WhatsApp flavour: the start's `to`). A started conversation's `extra` also carries
//! `inbox_conversation_id`, the inbox's id for it.
//!
//! Quirks handled here (see the provider README):
//! - departments moved from `/api/v1/departments` to `/api/external/departments`: the new path is
//!   tried first, the old one on a 404; the list may come bare, as `{"data": [...]}` or as
//!   `{"departments": [...]}` (the container is not documented);
//! - the WhatsApp flavour answers with or without `data.message_hash`, and one published answer
//!   has a trailing comma: all are accepted and no message id is relied on;
//! - `content_type` is a MIME type in one example and `audio|image|text|video|file` in the table:
//!   the client sends the short form and reads either in triggers;
//! - the WhatsApp flavour's typing endpoints were removed in 2019: a 404, 405 or 410 there is
//!   logged at debug level and the call counts as done; other errors are reported;
//! - the WhatsApp flavour has no finish endpoint: resolving such a conversation is local only;
//! - webhooks carry no signature: the receiving URL is the secret;
//! - errors come as `{"message", "status"}`, sometimes with HTTP 200: both are read as failures;
//! - the WhatsApp flavour's agent message has no message id: a stable one is derived from the
//!   interaction hash, the content and a hash of the whole (canonical) body, so a redelivery is
//!   stored once. Two byte-identical messages in one interaction are indistinguishable from a
//!   redelivery and are stored once too.
//!
//! The token travels in bodies (and in the departments query string): errors are built without
//! URLs (`http::call`), and nothing here logs a URL or a body.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::http::{self, Answer};
use super::{
    AccountContext, ConversationRef, Delivered, HandoffEvent, SendFailure, StartPlan, Started, WebhookError,
    WebhookEvent, WebhookRequest,
};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, ConversationKind, ConversationStatus, Department, Direction, FieldKind,
    FieldOption, HandoffState, HandoffUpdate, MessageKind, Provider, ProviderInfo, SettingField, StartConversation,
    WebhookSetup,
};
use crate::secrets::Sensitive;
use crate::store::{ConversationTarget, InboundMessage, OutboundMessage};
use crate::{Error, Result};

pub const ZCHAT_PRODUCTION: &str = "https://zchat.zenvia.io";
pub const OMNIZE_PRODUCTION: &str = "https://services.omnize.com.br";
pub const OMNIZE_HOMOLOG: &str = "https://homolog.services.omnize.com.br";

const INTERACTIONS_PATH: &str = "/core/api/v1/interactions";
const WHATSAPP_PATH: &str = "/api/v1/whatsapp";
const WHATSAPP_TYPING_PATH: &str = "/api/v1/whatsapp/typing";
const WHATSAPP_CLEARED_PATH: &str = "/api/v1/interactions/cleared";
const DEPARTMENTS_PATH: &str = "/api/external/departments";
const DEPARTMENTS_LEGACY_PATH: &str = "/api/v1/departments";

/// The key under which a started conversation's `extra` carries the inbox's conversation id.
pub const EXTRA_CONVERSATION_KEY: &str = "inbox_conversation_id";

/// Interactions flavour: the key a conversation has until the provider answers its hash.
const PENDING_PREFIX: &str = "pending:";

/// Which of the family's APIs an account uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// ClientApi V1: start an interaction in a department, send, typing, finish.
    Interactions,
    /// Whatsapp Api V1: push a customer's WhatsApp messages (`external_id`).
    Whatsapp,
}

impl Flavour {
    pub fn of(provider: Provider, settings: &Map<String, Value>) -> Flavour {
        match settings.get("flavour").and_then(Value::as_str) {
            Some("whatsapp") => Flavour::Whatsapp,
            Some("interactions") => Flavour::Interactions,
            _ => Flavour::default_for(provider),
        }
    }

    pub fn default_for(provider: Provider) -> Flavour {
        if provider == Provider::Omnize { Flavour::Whatsapp } else { Flavour::Interactions }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Interactions => "interactions",
            Flavour::Whatsapp => "whatsapp",
        }
    }
}

pub fn capabilities(provider: Provider, settings: &Map<String, Value>) -> Vec<Capability> {
    use Capability::*;
    match Flavour::of(provider, settings) {
        Flavour::Interactions => {
            vec![StartConversation, SendText, SendFile, Typing, Departments, Handoff, HandoffUpdate, HistoryUrl]
        }
        Flavour::Whatsapp => vec![StartConversation, SendText, SendFile, Typing, Departments, Handoff, HistoryUrl],
    }
}

pub fn info(provider: Provider) -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: &str| CapabilityNote { capability, reason: reason.into() };
    let (label, default_base, default_flavour) = match provider {
        Provider::Omnize => ("Omnize", OMNIZE_PRODUCTION, "whatsapp"),
        _ => ("ZChat (Zenvia)", ZCHAT_PRODUCTION, "interactions"),
    };
    let mut settings = Map::new();
    settings.insert("flavour".into(), Value::String(default_flavour.into()));
    ProviderInfo {
        id: provider,
        label,
        capabilities: capabilities(provider, &settings),
        unavailable: vec![
            why(Groups, "Hand-offs are one customer each; the API has no groups."),
            why(Caption, "The API sends a file's URL and one text; there is no separate caption."),
            why(Reply, "The API has no quoted replies."),
            why(Reactions, "The API carries no reactions."),
            why(RemoveReaction, "The API carries no reactions."),
            why(Templates, "Templates belong to WhatsApp's official API; this one opens hand-offs."),
            why(Window24h, "The provider's agents answer inside their own platform; no window applies here."),
            why(Interactive, "The API sends text and media only."),
            why(Location, "The API sends text and media only."),
            why(Delete, "The API cannot delete messages."),
            why(HistoryImport, "The provider reads our history (external_history); it offers none to read back."),
            why(Reassign, "Transfers happen on the provider's side and arrive as \"transferred\"."),
            why(ContactSync, "The API has no contact list."),
            why(TagSync, "Tag ids can be set on an interaction, but tags cannot be listed or edited."),
            why(HandoffUpdate, "Only the interactions flavour can update a hand-off (mood, tags, note)."),
        ],
        fields: vec![
            SettingField {
                key: "flavour",
                label: "API",
                kind: FieldKind::Select,
                required: true,
                options: vec![
                    FieldOption { value: "interactions".into(), label: "Interactions (ClientApi V1)" },
                    FieldOption { value: "whatsapp".into(), label: "WhatsApp (Whatsapp Api V1)" },
                ],
                default: Some(default_flavour.into()),
                help: Some(
                    "Interactions open a hand-off in a department; WhatsApp pushes a customer's WhatsApp messages.",
                ),
            },
            SettingField {
                key: "base_url",
                label: "Server",
                kind: FieldKind::Url,
                required: true,
                options: vec![
                    FieldOption { value: ZCHAT_PRODUCTION.into(), label: "ZChat production" },
                    FieldOption { value: OMNIZE_PRODUCTION.into(), label: "Omnize production" },
                    FieldOption { value: OMNIZE_HOMOLOG.into(), label: "Omnize homolog" },
                ],
                default: Some(default_base.into()),
                help: Some("Any other URL works too."),
            },
            SettingField {
                key: "department_id",
                label: "Default department",
                kind: FieldKind::Number,
                required: true,
                options: vec![],
                default: None,
                help: Some("Where new hand-offs go; \"Test connection\" lists the departments."),
            },
            SettingField {
                key: "token",
                label: "API token",
                kind: FieldKind::Secret,
                required: true,
                options: vec![],
                default: None,
                help: Some("Settings > Integrations > API (ClientSDK on Omnize). Kept in the system keychain."),
            },
        ],
        webhook_setup: WebhookSetup::Manual,
        notes: vec![
            "Paste the webhook URL in the provider's admin site (Settings > Integrations). It carries no signature: the URL itself is the secret.",
            "The provider reads each conversation's history from a URL the inbox serves; it must reach this machine (a tunnel, or inboxd on a server).",
        ],
    }
}

/// An account's settings, normalised. The token is a keychain secret, not a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub flavour: Flavour,
    /// No trailing slash.
    pub base_url: String,
    /// Where new hand-offs go unless the start names another department.
    pub department_id: i64,
}

impl Settings {
    pub fn from_map(provider: Provider, map: &Map<String, Value>) -> Result<Settings> {
        let flavour = match map.get("flavour") {
            None | Some(Value::Null) => Flavour::default_for(provider),
            Some(Value::String(s)) if s.trim().is_empty() => Flavour::default_for(provider),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "interactions" => Flavour::Interactions,
                "whatsapp" => Flavour::Whatsapp,
                _ => return Err(Error::invalid("`flavour` must be `interactions` or `whatsapp`")),
            },
            Some(_) => return Err(Error::invalid("`flavour` must be `interactions` or `whatsapp`")),
        };
        let base = map.get("base_url").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if base.is_empty() {
            return Err(Error::invalid("`base_url` is required"));
        }
        let url = reqwest::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid("`base_url` must be an http(s) URL"))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid("`base_url` must not carry a query or a fragment"));
        }
        let department_id = map.get("department_id").and_then(positive_id).ok_or_else(|| {
            Error::invalid("`department_id` must be the default department's id, a whole number above 0")
        })?;
        Ok(Settings { flavour, base_url: url.as_str().trim_end_matches('/').to_owned(), department_id })
    }

    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("flavour".into(), json!(self.flavour.as_str()));
        map.insert("base_url".into(), json!(self.base_url));
        map.insert("department_id".into(), json!(self.department_id));
        map
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// Normalises settings: `flavour` (default by provider), `base_url` without a trailing slash,
/// `department_id` always stored as a JSON number.
pub fn validate_settings(provider: Provider, settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(provider, settings).map(|s| s.to_map())
}

/// A positive id given as a number or a string of digits.
fn positive_id(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|id| *id > 0)
}

/// A value as text: strings as they are, numbers written out.
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The customer as both flavours send it; absent fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpf: Option<String>,
    /// WhatsApp flavour: the customer's id, the conversation's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl Customer {
    fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| json!({}))
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Digits of a phone number given with or without `+`, spaces, dashes or parentheses.
fn phone_digits(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let only_phone_chars = s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (only_phone_chars && (8..=15).contains(&digits.len())).then_some(digits)
}

/// The customer of a start, checked. `to` is the phone (or an email) for the interactions
/// flavour, and the `external_id` (and the phone, when it looks like one) for the WhatsApp one.
fn customer_of(flavour: Flavour, input: &StartConversation) -> Result<Customer> {
    let to = input.to.trim();
    let mut customer = Customer {
        name: non_empty(input.name.as_ref()),
        email: non_empty(input.email.as_ref()),
        cpf: non_empty(input.cpf.as_ref()),
        ..Customer::default()
    };
    if let Some(email) = &customer.email
        && !email.contains('@')
    {
        return Err(Error::invalid("`email` is not an email address"));
    }
    if let Some(cpf) = &customer.cpf {
        let digits: String = cpf.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 11 || !cpf.chars().all(|c| c.is_ascii_digit() || ".- ".contains(c)) {
            return Err(Error::invalid("`cpf` must have 11 digits"));
        }
        customer.cpf = Some(digits);
    }
    match flavour {
        Flavour::Interactions if to.contains('@') => {
            customer.email.get_or_insert_with(|| to.to_owned());
        }
        Flavour::Interactions => {
            customer.phone = Some(
                phone_digits(to)
                    .ok_or_else(|| Error::invalid("`to` must be the customer's phone number (or email address)"))?,
            );
        }
        Flavour::Whatsapp => {
            customer.phone = phone_digits(to);
            customer.external_id = Some(to.to_owned());
        }
    }
    Ok(customer)
}

/// The start's department, or the account's.
fn department_of(settings: &Settings, input: &StartConversation) -> Result<i64> {
    match input.department_id.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(settings.department_id),
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| Error::invalid("`department_id` must be a department's id, a whole number above 0")),
    }
}

/// Interactions flavour: `TEXT` unless the start's `service` names another media type.
fn media_type_of(input: &StartConversation) -> Result<&'static str> {
    match input.service.as_deref().map(|s| s.trim().to_ascii_uppercase()).as_deref() {
        None | Some("") | Some("TEXT") => Ok("TEXT"),
        Some("WHATSAPP") => Ok("WHATSAPP"),
        Some("SMS") => Ok("SMS"),
        Some(_) => Err(Error::invalid("`service` must be TEXT, WHATSAPP or SMS (the interaction's media type)")),
    }
}

/// The start's `extra` with the inbox's conversation id added.
fn extra_of(input: &StartConversation, conversation_id: &str) -> Map<String, Value> {
    let mut extra = input.extra.clone().unwrap_or_default();
    extra.insert(EXTRA_CONVERSATION_KEY.into(), json!(conversation_id));
    extra
}

/// `POST /interactions`.
pub fn start_interaction_request(
    token: &str,
    media_type: &str,
    department_id: i64,
    customer: &Customer,
    extra: &Map<String, Value>,
    history_url: Option<&str>,
) -> Value {
    let mut body = json!({
        "token": token,
        "media_type": media_type,
        "department_id": department_id,
        "customer": customer.to_value(),
        "extra": extra,
    });
    if let Some(url) = history_url {
        body["external_history"] = json!(url);
    }
    body
}

/// A message's `content`, short `type` and `url`, as both flavours send them. A file's content is
/// its caption or, since `content` is required, its file name.
fn message_parts(msg: &OutboundMessage) -> Result<(String, &'static str, Option<String>), SendFailure> {
    let kind = match msg.kind {
        MessageKind::Text => {
            let body = msg.body.clone().filter(|b| !b.trim().is_empty());
            return Ok((body.ok_or_else(|| SendFailure("the message is empty".into()))?, "text", None));
        }
        MessageKind::Image | MessageKind::Sticker => "image",
        MessageKind::Video => "video",
        MessageKind::Audio => "audio",
        MessageKind::File => "file",
        _ => return Err(SendFailure("this API sends text and files only".into())),
    };
    let url = msg.media_url.clone().ok_or_else(|| SendFailure("a file needs its URL".into()))?;
    let content = [&msg.caption, &msg.file_name]
        .into_iter()
        .find_map(|s| s.clone().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| url.clone());
    Ok((content, kind, Some(url)))
}

/// `POST /interactions/{hash}/messages`.
pub fn interaction_message_request(token: &str, msg: &OutboundMessage) -> Result<Value, SendFailure> {
    let (content, kind, url) = message_parts(msg)?;
    let mut body = json!({ "token": token, "content": content, "type": kind });
    if let Some(url) = url {
        body["url"] = json!(url);
    }
    Ok(body)
}

/// `PUT /interactions/{hash}/typing`, `/cleared` and `/finish`.
pub fn token_request(token: &str) -> Value {
    json!({ "token": token })
}

/// `PUT /interactions/{hash}`: only the fields given.
pub fn update_request(token: &str, update: &HandoffUpdate) -> Value {
    let mut body = Map::new();
    body.insert("token".into(), json!(token));
    if let Some(mood) = non_empty(update.mood.as_ref()) {
        body.insert("mood".into(), json!(mood));
    }
    if !update.tag_ids.is_empty() {
        body.insert("tag_ids".into(), json!(update.tag_ids));
    }
    if let Some(key) = non_empty(update.customer_key.as_ref()) {
        body.insert("customer_key".into(), json!(key));
    }
    if let Some(note) = non_empty(update.note.as_ref()) {
        body.insert("note".into(), json!(note));
    }
    Value::Object(body)
}

/// `POST /whatsapp`: one message of the customer `customer.external_id`.
pub fn whatsapp_message_request(
    token: &str,
    msg: &OutboundMessage,
    department_id: i64,
    customer: &Customer,
    extra: Option<&Map<String, Value>>,
    history_url: Option<&str>,
) -> Result<Value, SendFailure> {
    let (content, kind, url) = message_parts(msg)?;
    let mut body = json!({
        "token": token,
        "content": content,
        "content_type": kind,
        "department_id": department_id,
        "customer": customer.to_value(),
    });
    if let Some(url) = url {
        body["url"] = json!(url);
    }
    if let Some(extra) = extra.filter(|e| !e.is_empty()) {
        body["extra"] = json!(extra);
    }
    if let Some(url) = history_url {
        body["external_history"] = json!(url);
    }
    Ok(body)
}

/// `PUT /whatsapp/typing` and `PUT /interactions/cleared` of the WhatsApp flavour.
pub fn whatsapp_typing_request(token: &str, external_id: &str) -> Value {
    json!({ "token": token, "customer": { "external_id": external_id } })
}

/// An answer read: its JSON (`Value::Null` for an empty or unreadable 2xx body), or a readable
/// failure with the provider's message. An error object (`"status" >= 400`) is a failure even
/// under HTTP 200.
pub fn read_answer(label: &str, answer: &Answer) -> Result<Value, SendFailure> {
    let json = answer.json();
    let said_status = json.as_ref().and_then(|v| v.get("status")).and_then(|s| match s {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let failed_status = match said_status {
        Some(s) if s >= 400 => Some(u16::try_from(s).unwrap_or(answer.status)),
        _ if !answer.ok() => Some(answer.status),
        _ => None,
    };
    if let Some(status) = failed_status {
        let mut failure = Answer { status, text: answer.text.clone() }.failure(label);
        if status == 401 || status == 403 {
            failure.0.push_str(" (check the account's API token)");
        }
        return Err(failure);
    }
    Ok(json.unwrap_or(Value::Null))
}

/// A department from the list, whatever types the fields came in.
fn department_from(v: &Value) -> Option<Department> {
    let id = text_of(v.get("id"))?;
    let name = text_of(v.get("name")).unwrap_or_else(|| format!("Department {id}"));
    let active = match v.get("state").or_else(|| v.get("active")) {
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s.trim() == "1" || s.eq_ignore_ascii_case("active") || s == "true",
        Some(Value::Bool(b)) => *b,
        None => true,
        _ => false,
    };
    let queue = match v.get("queue") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(Value::Array(a)) => i64::try_from(a.len()).ok(),
        _ => None,
    };
    let agents = v
        .get("agents")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|agent| text_of(agent.get("name"))).collect())
        .unwrap_or_default();
    Some(Department { id, name, active, queue, agents })
}

/// The department list: bare, under `data` or under `departments`.
pub fn parse_departments(label: &str, body: &Value) -> Result<Vec<Department>> {
    let list = [Some(body), body.get("data"), body.get("departments")]
        .into_iter()
        .flatten()
        .find_map(Value::as_array)
        .ok_or_else(|| Error::Provider(format!("{label} answered the departments in an unknown shape")))?;
    Ok(list.iter().filter_map(department_from).collect())
}

/// The [`super::Connector`] for a ZChat or Omnize account.
pub struct Connector {
    provider: Provider,
    http: reqwest::Client,
    settings: Settings,
    /// The API token, or why it is missing.
    token: std::result::Result<Sensitive, String>,
}

impl Connector {
    pub fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(ctx.account.provider, &ctx.account.settings)?;
        let token = ctx.secret("token").cloned().map_err(|e| e.public_message());
        Ok(Connector { provider: ctx.account.provider, http: ctx.http, settings, token })
    }

    fn label(&self) -> &'static str {
        match self.provider {
            Provider::Omnize => "Omnize",
            _ => "ZChat",
        }
    }

    fn token(&self) -> Result<&str, SendFailure> {
        self.token.as_ref().map(Sensitive::expose).map_err(|e| SendFailure(e.clone()))
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<Answer, SendFailure> {
        let url = self.settings.url(path);
        http::call(self.label(), || self.http.request(method.clone(), &url).json(body)).await
    }

    /// Calls and reads the answer (see [`read_answer`]).
    async fn call(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<Value, SendFailure> {
        let answer = self.send(method, path, body).await?;
        read_answer(self.label(), &answer)
    }

    async fn get_departments(&self, path: &str) -> Result<Answer, SendFailure> {
        let token = self.token()?;
        let url = self.settings.url(path);
        http::call(self.label(), || self.http.get(&url).query(&[("token", token)])).await
    }

    /// The interaction a conversation is: its hash, once the provider gave one. Only a hash that
    /// is safe as a path segment (hashes are UUIDs) is used: triggers are unsigned, and a forged
    /// one must not steer our token to another path.
    fn interaction_hash<'a>(&self, target: &'a ConversationTarget) -> Option<&'a str> {
        target
            .meta_str("interaction_hash")
            .or_else(|| target.handoff.as_ref().and_then(|h| h.interaction_hash.as_deref()))
            .or_else(|| (!target.external_id.starts_with(PENDING_PREFIX)).then_some(target.external_id.as_str()))
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    }

    fn require_hash<'a>(&self, target: &'a ConversationTarget) -> Result<&'a str, SendFailure> {
        self.interaction_hash(target).ok_or_else(|| {
            SendFailure(format!(
                "this hand-off was never opened at {} (its start failed); start a new one",
                self.label()
            ))
        })
    }

    /// WhatsApp flavour: the conversation's department now (after transfers), else the start's,
    /// else the account's.
    fn current_department(&self, target: &ConversationTarget) -> i64 {
        target
            .handoff
            .as_ref()
            .and_then(|h| h.department_id.as_deref())
            .and_then(|d| d.parse::<i64>().ok())
            .or_else(|| target.meta.get("department_id").and_then(positive_id))
            .unwrap_or(self.settings.department_id)
    }

    /// WhatsApp flavour: the customer as stored at the start, keyed by the conversation.
    fn whatsapp_customer(&self, target: &ConversationTarget) -> Customer {
        let mut customer: Customer =
            target.meta.get("customer").and_then(|c| serde_json::from_value(c.clone()).ok()).unwrap_or_default();
        customer.external_id = Some(target.external_id.clone());
        customer
    }

    async fn send_interaction_message(&self, hash: &str, msg: &OutboundMessage) -> Result<(), SendFailure> {
        let body = interaction_message_request(self.token()?, msg)?;
        self.call(reqwest::Method::POST, &format!("{INTERACTIONS_PATH}/{hash}/messages"), &body).await?;
        Ok(())
    }

    /// Sends one WhatsApp-flavour message; answers the message hash when the provider gives one.
    async fn send_whatsapp(
        &self,
        msg: &OutboundMessage,
        department_id: i64,
        customer: &Customer,
        extra: Option<&Map<String, Value>>,
        history_url: Option<&str>,
    ) -> Result<Option<String>, SendFailure> {
        let body = whatsapp_message_request(self.token()?, msg, department_id, customer, extra, history_url)?;
        let answer = self.call(reqwest::Method::POST, WHATSAPP_PATH, &body).await?;
        Ok(answer.pointer("/data/message_hash").and_then(|h| text_of(Some(h))))
    }
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        self.provider
    }

    /// Lists the departments with the token, and says how many are active.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let departments = self.list_departments().await?;
        let active = departments.iter().filter(|d| d.active).count();
        let label = self.label();
        let default = departments.iter().find(|d| d.id == self.settings.department_id.to_string());
        Ok(match default {
            None => ConnectionTest {
                ok: false,
                message: format!(
                    "{label} answered with {active} active departments (of {}), but the default department {} is not one of them",
                    departments.len(),
                    self.settings.department_id
                ),
            },
            Some(d) => ConnectionTest {
                ok: true,
                message: format!(
                    "Connected to {label}: {active} active departments (of {}); the default, {}, is {}",
                    departments.len(),
                    d.name,
                    if d.active { "active" } else { "inactive" }
                ),
            },
        })
    }

    async fn list_departments(&self) -> Result<Vec<Department>> {
        let mut answer = self.get_departments(DEPARTMENTS_PATH).await?;
        if answer.status == 404 {
            tracing::debug!(provider = self.label(), "the current departments route is missing; trying the old one");
            answer = self.get_departments(DEPARTMENTS_LEGACY_PATH).await?;
        }
        let body = read_answer(self.label(), &answer)?;
        parse_departments(self.label(), &body)
    }

    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Delivered, SendFailure> {
        match self.settings.flavour {
            Flavour::Interactions => {
                let hash = self.require_hash(target)?;
                self.send_interaction_message(hash, msg).await?;
                Ok(Delivered::default())
            }
            Flavour::Whatsapp => {
                let extra = target.meta.get("extra").and_then(Value::as_object);
                let id = self
                    .send_whatsapp(
                        msg,
                        self.current_department(target),
                        &self.whatsapp_customer(target),
                        extra,
                        target.history_url.as_deref(),
                    )
                    .await?;
                Ok(Delivered { provider_message_id: id, meta: Map::new() })
            }
        }
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let flavour = self.settings.flavour;
        let customer = customer_of(flavour, input)?;
        let department_id = department_of(&self.settings, input)?;
        let to = input.to.trim();
        let title = customer.name.clone().unwrap_or_else(|| to.to_owned());
        let mut meta = Map::new();
        meta.insert("department_id".into(), json!(department_id));
        meta.insert("customer".into(), customer.to_value());
        let external_id = match flavour {
            Flavour::Interactions => {
                media_type_of(input)?;
                let reach = customer.phone.as_deref().or(customer.email.as_deref()).unwrap_or(to);
                format!("{PENDING_PREFIX}{reach}")
            }
            Flavour::Whatsapp => {
                if input.message.is_none() {
                    return Err(Error::invalid(format!(
                        "write the first message: a hand-off through {}'s WhatsApp API starts with it",
                        self.label()
                    )));
                }
                if let Some(extra) = input.extra.as_ref().filter(|e| !e.is_empty()) {
                    meta.insert("extra".into(), json!(extra));
                }
                to.to_owned()
            }
        };
        Ok(StartPlan {
            external_id,
            kind: ConversationKind::Individual,
            title,
            meta,
            first_message: None,
            handoff: true,
        })
    }

    async fn start(
        &self,
        target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> Result<Started, SendFailure> {
        let flavour = self.settings.flavour;
        let invalid = |e: Error| SendFailure(e.public_message());
        let customer = customer_of(flavour, input).map_err(invalid)?;
        let department_id = department_of(&self.settings, input).map_err(invalid)?;
        let extra = extra_of(input, &target.conversation_id);
        let history_url = target.history_url.as_deref();
        let label = self.label();
        match flavour {
            Flavour::Interactions => {
                let media_type = media_type_of(input).map_err(invalid)?;
                let body =
                    start_interaction_request(self.token()?, media_type, department_id, &customer, &extra, history_url);
                let answer = self.send(reqwest::Method::POST, INTERACTIONS_PATH, &body).await?;
                let json = read_answer(label, &answer)?;
                let hash = json.pointer("/data/interaction_hash").and_then(|h| text_of(Some(h))).ok_or_else(|| {
                    SendFailure(format!(
                        "{label} answered without an interaction_hash: {}",
                        http::snippet(&answer.text)
                    ))
                })?;
                let mut meta = Map::new();
                meta.insert("interaction_hash".into(), json!(hash));
                let mut started = Started {
                    external_id: Some(hash.clone()),
                    meta,
                    handoff: Some(HandoffEvent {
                        state: HandoffState::Started,
                        position: None,
                        agent_name: None,
                        department_id: Some(department_id.to_string()),
                        interaction_hash: Some(hash.clone()),
                    }),
                    ..Started::default()
                };
                // The interaction exists now: a first message that fails is that message's
                // failure, not the start's.
                if let Some(first) = first
                    && let Err(failure) = self.send_interaction_message(&hash, first).await
                {
                    started.first_message_failure = Some(failure);
                }
                Ok(started)
            }
            Flavour::Whatsapp => {
                let first = first.ok_or_else(|| {
                    SendFailure(format!(
                        "write the first message: a hand-off through {label}'s WhatsApp API starts with it"
                    ))
                })?;
                let id = self.send_whatsapp(first, department_id, &customer, Some(&extra), history_url).await?;
                Ok(Started {
                    first_message_id: id,
                    handoff: Some(HandoffEvent {
                        state: HandoffState::Started,
                        position: None,
                        agent_name: None,
                        department_id: Some(department_id.to_string()),
                        interaction_hash: None,
                    }),
                    ..Started::default()
                })
            }
        }
    }

    /// Interactions flavour: `/typing` and `/cleared` (nothing to tell before the interaction
    /// exists or once it is finished). WhatsApp flavour: best effort, since the provider removed those endpoints in 2019:
    /// a 404, 405 or 410 is logged at debug level and counts as done.
    async fn typing(&self, target: &ConversationTarget, active: bool) -> Result<()> {
        let token = self.token()?;
        match self.settings.flavour {
            Flavour::Interactions => {
                let finished = target.handoff.as_ref().is_some_and(|h| h.state == HandoffState::Finished);
                let Some(hash) = self.interaction_hash(target).filter(|_| !finished) else {
                    tracing::debug!("no open interaction: no typing to tell");
                    return Ok(());
                };
                let action = if active { "typing" } else { "cleared" };
                self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}/{action}"), &token_request(token))
                    .await?;
                Ok(())
            }
            Flavour::Whatsapp => {
                let path = if active { WHATSAPP_TYPING_PATH } else { WHATSAPP_CLEARED_PATH };
                let body = whatsapp_typing_request(token, &target.external_id);
                let answer = self.send(reqwest::Method::PUT, path, &body).await?;
                if matches!(answer.status, 404 | 405 | 410) {
                    tracing::debug!(
                        provider = self.label(),
                        status = answer.status,
                        "the WhatsApp API has no typing endpoint (removed in 2019); skipped"
                    );
                    return Ok(());
                }
                read_answer(self.label(), &answer)?;
                Ok(())
            }
        }
    }

    /// Interactions flavour: resolving finishes the interaction (`/finish`), unless the provider
    /// already finished it or it never opened. The WhatsApp flavour has no finish endpoint:
    /// resolving is local.
    async fn set_status(&self, target: &ConversationTarget, status: ConversationStatus) -> Result<()> {
        if !self.finishes(target, status) {
            return Ok(());
        }
        let Some(hash) = self.interaction_hash(target) else { return Ok(()) };
        self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}/finish"), &token_request(self.token()?))
            .await?;
        Ok(())
    }

    fn handoff_after_status(&self, target: &ConversationTarget, status: ConversationStatus) -> Option<HandoffEvent> {
        self.finishes(target, status).then(|| HandoffEvent {
            state: HandoffState::Finished,
            position: None,
            agent_name: None,
            department_id: None,
            interaction_hash: self.interaction_hash(target).map(str::to_owned),
        })
    }

    async fn update_handoff(&self, target: &ConversationTarget, update: &HandoffUpdate) -> Result<()> {
        if self.settings.flavour != Flavour::Interactions {
            return Err(Error::Unsupported(format!(
                "{}'s WhatsApp API cannot update a hand-off (mood, tags, note)",
                self.label()
            )));
        }
        let body = update_request(self.token()?, update);
        if body.as_object().is_some_and(|b| b.len() == 1) {
            return Err(Error::invalid("nothing to update: give a mood, tag ids, a customer key or a note"));
        }
        let hash = self.require_hash(target)?;
        self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}"), &body).await?;
        Ok(())
    }
}

impl Connector {
    /// Whether resolving `target` finishes an interaction at the provider.
    fn finishes(&self, target: &ConversationTarget, status: ConversationStatus) -> bool {
        status == ConversationStatus::Resolved
            && self.settings.flavour == Flavour::Interactions
            && self.interaction_hash(target).is_some()
            && target.handoff.as_ref().is_none_or(|h| h.state != HandoffState::Finished)
    }
}

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
pub fn derived_message_id(interaction_hash: &str, content: &str, body: &Value) -> String {
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
pub fn parse_webhook(req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
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

#[cfg(test)]
mod tests;
