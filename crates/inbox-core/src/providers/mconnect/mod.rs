//! mConnect (cal4care) OmniChannel WhatsApp.
//!
//! One POST endpoint whose `element_data.action` picks the operation; no authentication (callers
//! are identified by number, company and username). It drives WhatsApp Web, so there are no
//! templates and no 24-hour window. Quirks handled here:
//! - statuses are the strings `"true"`/`"false"`, and a failed send answers `result.data = "not-sent"`;
//! - the documented success answer of a file send, `{ "status": "true", }`, is not valid JSON;
//! - their server builds JSON by string concatenation, so we always send real JSON and report a
//!   refused send clearly rather than retrying it;
//! - webhooks carry no signature: the URL we register carries the account's secret.

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
use crate::{Error, Result, Text};
use client::Client;
pub(crate) use webhook::parse_webhook;

/// The public production endpoint, the default for a new account.
const DEFAULT_ENDPOINT: &str = "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/";

pub(crate) fn capabilities() -> Vec<Capability> {
    use Capability::*;
    vec![StartConversation, SendText, SendFile, Caption, Groups]
}

pub(crate) fn info() -> ProviderInfo {
    let why = |capability, reason: Text| CapabilityNote { capability, reason };
    use Capability::*;
    ProviderInfo {
        id: Provider::Mconnect,
        label: "mConnect",
        capabilities: capabilities(),
        unavailable: vec![
            why(Reply, text!("mconnect.reason_reply")),
            why(Reactions, text!("mconnect.reason_reactions")),
            why(RemoveReaction, text!("mconnect.reason_reactions")),
            why(Typing, text!("mconnect.reason_typing")),
            why(Templates, text!("mconnect.reason_templates")),
            why(Window24h, text!("mconnect.reason_window")),
            why(Interactive, text!("mconnect.reason_text_and_files_only")),
            why(Location, text!("mconnect.reason_text_and_files_only")),
            why(Delete, text!("mconnect.reason_delete")),
            why(HistoryImport, text!("mconnect.reason_history_import")),
            why(Reassign, text!("mconnect.reason_reassign")),
            why(Refresh, text!("mconnect.reason_refresh")),
            why(ContactSync, text!("mconnect.reason_contact_sync")),
            why(TagSync, text!("mconnect.reason_tag_sync")),
        ],
        fields: vec![
            SettingField {
                key: "base_url",
                label: "Endpoint",
                kind: FieldKind::Url,
                required: true,
                options: vec![FieldOption { value: DEFAULT_ENDPOINT.into(), label: "mConnect production" }],
                default: Some(DEFAULT_ENDPOINT.into()),
                help: None,
            },
            SettingField {
                key: "number",
                label: "WhatsApp number",
                kind: FieldKind::Phone,
                required: true,
                options: vec![],
                default: None,
                help: Some("The scanned number, with country code, digits only."),
            },
            SettingField {
                key: "company",
                label: "Company",
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                default: None,
                help: None,
            },
            SettingField {
                key: "username",
                label: "Username",
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                default: None,
                help: None,
            },
        ],
        webhook_setup: WebhookSetup::Registered,
        notes: vec![text!("mconnect.note_no_token"), text!("mconnect.note_no_receipts")],
        max_text_chars: crate::outbound::MAX_TEXT_CHARS as u32,
    }
}

/// An account's settings. None of them is a secret: mConnect has no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    endpoint: reqwest::Url,
    /// The scanned WhatsApp number, digits only, with country code.
    number: String,
    company: String,
    username: String,
}

impl Settings {
    pub(crate) fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let text = |key: &str| -> Result<String> {
            let v = map.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default();
            if v.is_empty() {
                return Err(Error::invalid(text!("field.required", field = key)));
            }
            Ok(v.to_owned())
        };
        let endpoint_text = text("base_url")?;
        let endpoint = reqwest::Url::parse(&endpoint_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid(text!("field.not_http_url", field = "base_url")))?;
        let number = text("number")?.trim_start_matches('+').to_owned();
        if !(8..=15).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(text!("mconnect.number_invalid")));
        }
        Ok(Settings { endpoint, number, company: text("company")?, username: text("username")? })
    }

    pub(crate) fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("base_url".into(), Value::String(self.endpoint.to_string()));
        map.insert("number".into(), Value::String(self.number.clone()));
        map.insert("company".into(), Value::String(self.company.clone()));
        map.insert("username".into(), Value::String(self.username.clone()));
        map
    }
}

/// The [`super::Connector`] for an mConnect account.
pub(crate) struct Connector {
    client: Client,
    webhook_url: Option<String>,
    /// What the account can do, from its settings when the connector was made.
    capabilities: Vec<Capability>,
}

impl Connector {
    pub(crate) fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        Ok(Connector {
            client: Client::new(ctx.http, settings),
            webhook_url: ctx.webhook_url,
            capabilities: capabilities(),
        })
    }
}
