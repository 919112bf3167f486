//! Cirrus (Karoo) omnichannel API.
//!
//! STUB: the contract (settings fields, capabilities) is fixed here; the route map, client,
//! webhook parser and their tests are being written.

use serde_json::{Map, Value};

use super::{AccountContext, Delivered, SendFailure, WebhookError, WebhookEvent, WebhookRequest};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, FieldKind, FieldOption, Provider, ProviderInfo, SettingField,
    WebhookSetup,
};
use crate::store::{ConversationTarget, OutboundMessage};
use crate::{Error, Result};

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

pub fn validate_settings(settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    Ok(settings.clone())
}

pub struct Connector;

impl Connector {
    pub fn new(_ctx: AccountContext) -> Result<Self> {
        Ok(Connector)
    }
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Cirrus
    }

    async fn test_connection(&self) -> Result<ConnectionTest> {
        Err(Error::Unsupported("not built yet".into()))
    }

    async fn deliver(&self, _target: &ConversationTarget, _msg: &OutboundMessage) -> Result<Delivered, SendFailure> {
        Err(SendFailure("not built yet".into()))
    }
}

pub fn parse_webhook(_req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
    Err(WebhookError::Invalid("not built yet".into()))
}
