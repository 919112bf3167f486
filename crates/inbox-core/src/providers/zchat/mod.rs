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

mod client;
#[cfg(test)]
mod tests;
mod webhook;
mod wire;

use serde_json::{Map, Value, json};

use super::{AccountContext, SendFailure};
use crate::model::{
    Capability, CapabilityNote, FieldKind, FieldOption, Provider, ProviderInfo, SettingField, WebhookSetup,
};
use crate::secrets::Sensitive;
use crate::{Error, Result, Text};
pub(crate) use webhook::parse_webhook;
use wire::positive_id;

const ZCHAT_PRODUCTION: &str = "https://zchat.zenvia.io";
const OMNIZE_PRODUCTION: &str = "https://services.omnize.com.br";
const OMNIZE_HOMOLOG: &str = "https://homolog.services.omnize.com.br";

/// Which of the family's APIs an account uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    /// ClientApi V1: start an interaction in a department, send, typing, finish.
    Interactions,
    /// Whatsapp Api V1: push a customer's WhatsApp messages (`external_id`).
    Whatsapp,
}

impl Flavour {
    fn of(provider: Provider, settings: &Map<String, Value>) -> Flavour {
        match settings.get("flavour").and_then(Value::as_str) {
            Some("whatsapp") => Flavour::Whatsapp,
            Some("interactions") => Flavour::Interactions,
            _ => Flavour::default_for(provider),
        }
    }

    fn default_for(provider: Provider) -> Flavour {
        if provider == Provider::Omnize { Flavour::Whatsapp } else { Flavour::Interactions }
    }

    fn as_str(self) -> &'static str {
        match self {
            Flavour::Interactions => "interactions",
            Flavour::Whatsapp => "whatsapp",
        }
    }
}

pub(crate) fn capabilities(provider: Provider, settings: &Map<String, Value>) -> Vec<Capability> {
    use Capability::*;
    match Flavour::of(provider, settings) {
        Flavour::Interactions => {
            vec![StartConversation, SendText, SendFile, Typing, Departments, Handoff, HandoffUpdate, HistoryUrl]
        }
        Flavour::Whatsapp => vec![StartConversation, SendText, SendFile, Typing, Departments, Handoff, HistoryUrl],
    }
}

pub(crate) fn info(provider: Provider) -> ProviderInfo {
    use Capability::*;
    let why = |capability, reason: Text| CapabilityNote { capability, reason };
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
            why(Groups, text!("zchat.reason_groups")),
            why(Caption, text!("zchat.reason_caption")),
            why(Reply, text!("zchat.reason_reply")),
            why(Reactions, text!("zchat.reason_reactions")),
            why(RemoveReaction, text!("zchat.reason_reactions")),
            why(Templates, text!("zchat.reason_templates")),
            why(Window24h, text!("zchat.reason_window")),
            why(Interactive, text!("zchat.reason_text_and_media_only")),
            why(Location, text!("zchat.reason_text_and_media_only")),
            why(Delete, text!("zchat.reason_delete")),
            why(HistoryImport, text!("zchat.reason_history_import")),
            why(Reassign, text!("zchat.reason_reassign")),
            why(Refresh, text!("zchat.reason_refresh")),
            why(ContactSync, text!("zchat.reason_contact_sync")),
            why(TagSync, text!("zchat.reason_tag_sync")),
            why(HandoffUpdate, text!("zchat.reason_handoff_update")),
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
        notes: vec![text!("zchat.note_webhook"), text!("zchat.note_history_url")],
        max_text_chars: crate::outbound::MAX_TEXT_CHARS as u32,
    }
}

/// An account's settings, normalised. The token is a keychain secret, not a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    flavour: Flavour,
    /// No trailing slash.
    base_url: String,
    /// Where new hand-offs go unless the start names another department.
    department_id: i64,
}

impl Settings {
    fn from_map(provider: Provider, map: &Map<String, Value>) -> Result<Settings> {
        let flavour = match map.get("flavour") {
            None | Some(Value::Null) => Flavour::default_for(provider),
            Some(Value::String(s)) if s.trim().is_empty() => Flavour::default_for(provider),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "interactions" => Flavour::Interactions,
                "whatsapp" => Flavour::Whatsapp,
                _ => return Err(Error::invalid(text!("zchat.flavour_invalid"))),
            },
            Some(_) => return Err(Error::invalid(text!("zchat.flavour_invalid"))),
        };
        let base = map.get("base_url").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if base.is_empty() {
            return Err(Error::invalid(text!("field.required", field = "base_url")));
        }
        let url = reqwest::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid(text!("field.not_http_url", field = "base_url")))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(text!("field.url_with_query", field = "base_url")));
        }
        let department_id = map
            .get("department_id")
            .and_then(positive_id)
            .ok_or_else(|| Error::invalid(text!("zchat.default_department_invalid")))?;
        Ok(Settings { flavour, base_url: url.as_str().trim_end_matches('/').to_owned(), department_id })
    }

    fn to_map(&self) -> Map<String, Value> {
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
pub(crate) fn validate_settings(provider: Provider, settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Settings::from_map(provider, settings).map(|s| s.to_map())
}

/// The [`super::Connector`] for a ZChat or Omnize account.
pub(crate) struct Connector {
    provider: Provider,
    http: reqwest::Client,
    settings: Settings,
    /// The API token, or why it is missing.
    token: std::result::Result<Sensitive, String>,
    /// What the account can do, from its settings when the connector was made.
    capabilities: Vec<Capability>,
}

impl Connector {
    pub(crate) fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(ctx.account.provider, &ctx.account.settings)?;
        let token = ctx.secret("token").cloned().map_err(|e| e.public_message());
        let capabilities = capabilities(ctx.account.provider, &ctx.account.settings);
        Ok(Connector { provider: ctx.account.provider, http: ctx.http, settings, token, capabilities })
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
}
