//! Wegly external integrations API.
//!
//! STUB: the contract (settings fields, capabilities) is fixed here; the client, the signed
//! webhook parser and their tests are being written.

use serde_json::{Map, Value};

use super::{AccountContext, Delivered, SendFailure, WebhookError, WebhookEvent, WebhookRequest};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, FieldKind, FieldOption, Provider, ProviderInfo, SettingField,
    WebhookSetup,
};
use crate::store::{ConversationTarget, OutboundMessage};
use crate::{Error, Result};

pub const DEFAULT_BASE_URL: &str = "https://api.wegly.com.br/integrations/external";

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
        Provider::Wegly
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
