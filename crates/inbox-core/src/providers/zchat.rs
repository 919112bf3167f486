//! ZChat (Zenvia) / Omnize: one client family, two flavours.
//!
//! STUB: the contract (settings fields, capabilities) is fixed here; the client, the webhook
//! parser and their tests are being written.

use serde_json::{Map, Value};

use super::{AccountContext, Delivered, SendFailure, WebhookError, WebhookEvent, WebhookRequest};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, FieldKind, FieldOption, Provider, ProviderInfo, SettingField,
    WebhookSetup,
};
use crate::store::{ConversationTarget, OutboundMessage};
use crate::{Error, Result};

pub const ZCHAT_PRODUCTION: &str = "https://zchat.zenvia.io";
pub const OMNIZE_PRODUCTION: &str = "https://services.omnize.com.br";
pub const OMNIZE_HOMOLOG: &str = "https://homolog.services.omnize.com.br";

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
            _ if provider == Provider::Omnize => Flavour::Whatsapp,
            _ => Flavour::Interactions,
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

pub fn validate_settings(provider: Provider, settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    let _ = provider;
    Ok(settings.clone())
}

pub struct Connector {
    provider: Provider,
}

impl Connector {
    pub fn new(ctx: AccountContext) -> Result<Self> {
        Ok(Connector { provider: ctx.account.provider })
    }
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        self.provider
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
