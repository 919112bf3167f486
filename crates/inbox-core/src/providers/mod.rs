//! Provider clients and webhook parsers.
//!
//! Each provider module knows its wire format and nothing else. It exposes:
//! - `info()`: label, settings fields, capabilities and why the others are missing;
//! - `capabilities(settings)`: what an account with these settings can do;
//! - `validate_settings(map)`: the settings normalised, or a clear `invalid_input`;
//! - a [`Connector`]: the provider's operations for one account;
//! - `parse_webhook(request)`: a delivery mapped onto [`WebhookEvent`]s.
//!
//! This module dispatches on [`Provider`], so the engine stays provider-agnostic.

pub mod cirrus;
pub(crate) mod http;
pub mod mconnect;
pub mod wegly;
pub mod zchat;

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Map, Value};

pub(crate) use crate::exchange::{
    AccountRow, ChatUpdate, ConversationRef, ConversationTarget, HandoffEvent, OutboundMessage, RemoteContact,
    RemoteTag, StartPlan, WebhookEvent,
};
use crate::model::{
    Capability, ConnectionTest, ConversationStatus, Department, HandoffUpdate, Provider, ProviderInfo,
    StartConversation,
};
use crate::secrets::Sensitive;
use crate::{Error, Result};

/// How long a provider call may take before the agent is told it failed.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a send did not go through, in words the agent can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendFailure(pub String);

impl From<SendFailure> for Error {
    fn from(f: SendFailure) -> Error {
        Error::Provider(f.0)
    }
}

/// A webhook delivery a provider's parser refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// 400: not JSON.
    #[error("the body is not valid JSON: {0}")]
    InvalidJson(String),
    /// 422: JSON, but not what the provider documents.
    #[error("{0}")]
    Invalid(String),
    /// 401: the delivery is not authentic (a missing or wrong signature).
    #[error("{0}")]
    Unauthorized(String),
}

/// One webhook delivery as the receiver got it.
pub struct WebhookRequest<'a> {
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
    /// The account's secrets from the keychain (e.g. Wegly's signing secret), by field key.
    pub secrets: &'a BTreeMap<String, Sensitive>,
}

impl WebhookRequest<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the provider answered to a send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Delivered {
    /// The provider's id for the message, when it gives one.
    pub provider_message_id: Option<String>,
    /// Provider-side state learned on the way (merged into the conversation's `meta`).
    pub meta: Map<String, Value>,
}

/// What the provider answered to a start.
#[derive(Debug, Clone, Default)]
pub struct Started {
    /// The provider's id for the chat when it differs from the plan's (the conversation is re-keyed).
    pub external_id: Option<String>,
    pub meta: Map<String, Value>,
    pub first_message_id: Option<String>,
    /// The chat was opened but its first message did not go (ZChat: the interaction exists, its
    /// first message failed): the start stands and that message is marked failed.
    pub first_message_failure: Option<SendFailure>,
    pub chat: Option<ChatUpdate>,
    pub handoff: Option<HandoffEvent>,
}

/// One page of a chat's history from the provider.
#[derive(Debug, Clone, Default)]
pub struct HistoryPage {
    pub events: Vec<WebhookEvent>,
    pub total: Option<u64>,
    /// Where the next page starts; `None` when this was the last.
    pub next: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RemotePage<T> {
    pub items: Vec<T>,
    pub next_page: Option<u32>,
}

/// Everything a connector needs about its account.
pub struct AccountContext {
    pub http: reqwest::Client,
    pub account: AccountRow,
    /// The account's secrets from the keychain, by field key.
    pub secrets: BTreeMap<String, Sensitive>,
    /// The account's webhook URL, once it is saved.
    pub webhook_url: Option<String>,
}

impl AccountContext {
    /// A secret that must be set, or an error naming it.
    pub fn secret(&self, key: &str) -> Result<&Sensitive> {
        self.secrets.get(key).ok_or_else(|| {
            Error::Secrets(format!("the account's `{key}` is not in the keychain; edit the account to set it again"))
        })
    }
}

/// What a provider cannot do, for the trait's defaults.
enum Missing {
    Start,
    Typing,
    Delete,
    RemoveReaction,
}

fn unsupported(provider: Provider, what: Missing) -> Error {
    let provider = provider.as_str();
    Error::NotSupported(match what {
        Missing::Start => text!("conversation.cannot_start", provider = provider),
        Missing::Typing => text!("provider.cannot_type", provider = provider),
        Missing::Delete => text!("provider.cannot_delete", provider = provider),
        Missing::RemoveReaction => text!("provider.cannot_remove_reaction", provider = provider),
    })
}

/// A provider's operations for one account. Every method a provider does not support answers
/// `unsupported`; the capability lists keep the UI from offering those in the first place.
#[async_trait]
pub trait Connector: Send + Sync {
    fn provider(&self) -> Provider;

    /// What this account can do, from its settings. The UI offers exactly these, and every
    /// command checks its capability here before it calls the provider.
    fn capabilities(&self) -> Vec<Capability>;

    /// Tells the provider where to post webhooks. Providers whose webhook is set in their admin
    /// site do nothing here.
    async fn register_webhook(&self, _url: &str) -> Result<()> {
        Ok(())
    }

    /// A cheap call that proves the settings and token work.
    async fn test_connection(&self) -> Result<ConnectionTest>;

    /// Sends one stored outbound message.
    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Delivered, SendFailure>;

    /// Validates a start and says what to keep before any network call.
    fn plan_start(&self, _input: &StartConversation) -> Result<StartPlan> {
        Err(unsupported(self.provider(), Missing::Start))
    }

    /// Opens the conversation at the provider, sending the plan's first message if any.
    async fn start(
        &self,
        _target: &ConversationTarget,
        _input: &StartConversation,
        _first: Option<&OutboundMessage>,
    ) -> Result<Started, SendFailure> {
        Err(SendFailure(unsupported(self.provider(), Missing::Start).public_message()))
    }

    async fn typing(&self, _target: &ConversationTarget, _active: bool) -> Result<()> {
        Err(unsupported(self.provider(), Missing::Typing))
    }

    /// The agent changed the conversation's status. Most providers keep status locally; ZChat
    /// finishes the interaction when it is resolved.
    async fn set_status(&self, _target: &ConversationTarget, _status: ConversationStatus) -> Result<()> {
        Ok(())
    }

    async fn delete_message(&self, _target: &ConversationTarget, _provider_message_id: &str) -> Result<()> {
        Err(unsupported(self.provider(), Missing::Delete))
    }

    async fn remove_reaction(&self, _target: &ConversationTarget, _provider_message_id: &str) -> Result<()> {
        Err(unsupported(self.provider(), Missing::RemoveReaction))
    }

    /// Hand-offs to the provider's own agents (ZChat, Omnize).
    fn handoffs(&self) -> Option<&dyn Handoffs> {
        None
    }

    /// The chat as the provider keeps it: reassigning, reading it again, its history (Wegly).
    fn chats(&self) -> Option<&dyn ProviderChats> {
        None
    }

    /// Contacts and tags kept at the provider (Cirrus).
    fn directory(&self) -> Option<&dyn Directory> {
        None
    }
}

/// Hand-offs: the conversation is handed to the provider's agents, in a department.
#[async_trait]
pub trait Handoffs: Send + Sync {
    async fn list_departments(&self) -> Result<Vec<Department>>;

    /// Mood, tags, customer key and note on the hand-off.
    async fn update_handoff(&self, target: &ConversationTarget, update: &HandoffUpdate) -> Result<()>;

    /// What the hand-off became at the provider once `set_status` succeeded (resolving finishes
    /// the interaction). The engine records it without a timeline line.
    fn after_status(&self, target: &ConversationTarget, status: ConversationStatus) -> Option<HandoffEvent>;
}

/// The chat as the provider keeps it.
#[async_trait]
pub trait ProviderChats: Send + Sync {
    /// Hands the chat to another user of the provider; answers who it now belongs to.
    async fn reassign(&self, target: &ConversationTarget, user_id: &str) -> Result<ChatUpdate>;

    /// The chat as the provider has it now (status, window, unread...).
    async fn refresh(&self, target: &ConversationTarget) -> Result<ChatUpdate>;

    async fn history_page(&self, target: &ConversationTarget, cursor: Option<&str>) -> Result<HistoryPage>;
}

/// Contacts and tags kept at the provider, pushed and pulled by the engine's sync.
#[async_trait]
pub trait Directory: Send + Sync {
    async fn pull_tags(&self) -> Result<Vec<RemoteTag>>;

    /// Creates (no `remote_id`) or updates a tag; answers its remote id.
    async fn push_tag(&self, remote_id: Option<&str>, name: &str, color: Option<&str>) -> Result<String>;

    async fn delete_tag(&self, remote_id: &str) -> Result<()>;

    async fn pull_contacts(&self, page: u32) -> Result<RemotePage<RemoteContact>>;

    /// Creates (no `remote_id`) or updates a contact, tags included; answers its remote id.
    async fn push_contact(&self, remote_id: Option<&str>, contact: &RemoteContact) -> Result<String>;
}

pub fn info(provider: Provider) -> ProviderInfo {
    match provider {
        Provider::Mconnect => mconnect::info(),
        Provider::Zchat | Provider::Omnize => zchat::info(provider),
        Provider::Cirrus => cirrus::info(),
        Provider::Wegly => wegly::info(),
    }
}

/// What an account with these (validated) settings can do.
pub fn capabilities(provider: Provider, settings: &Map<String, Value>) -> Vec<Capability> {
    match provider {
        Provider::Mconnect => mconnect::capabilities(),
        Provider::Zchat | Provider::Omnize => zchat::capabilities(provider, settings),
        Provider::Cirrus => cirrus::capabilities(settings),
        Provider::Wegly => wegly::capabilities(),
    }
}

/// Normalises an account's settings, or says clearly what is wrong.
pub(crate) fn validate_settings(provider: Provider, settings: &Map<String, Value>) -> Result<Map<String, Value>> {
    match provider {
        Provider::Mconnect => mconnect::Settings::from_map(settings).map(|s| s.to_map()),
        Provider::Zchat | Provider::Omnize => zchat::validate_settings(provider, settings),
        Provider::Cirrus => cirrus::validate_settings(settings),
        Provider::Wegly => wegly::validate_settings(settings),
    }
}

/// The keys of the provider's secret settings fields (they live in the keychain).
pub fn secret_fields(provider: Provider) -> Vec<&'static str> {
    info(provider).fields.iter().filter(|f| f.kind == crate::model::FieldKind::Secret).map(|f| f.key).collect()
}

/// The secret fields an account cannot work without.
pub fn required_secrets(provider: Provider) -> Vec<&'static str> {
    info(provider)
        .fields
        .iter()
        .filter(|f| f.kind == crate::model::FieldKind::Secret && f.required)
        .map(|f| f.key)
        .collect()
}

pub(crate) fn connector(ctx: AccountContext) -> Result<Box<dyn Connector>> {
    Ok(match ctx.account.provider {
        Provider::Mconnect => Box::new(mconnect::Connector::new(ctx)?),
        Provider::Zchat | Provider::Omnize => Box::new(zchat::Connector::new(ctx)?),
        Provider::Cirrus => Box::new(cirrus::Connector::new(ctx)?),
        Provider::Wegly => Box::new(wegly::Connector::new(ctx)?),
    })
}

pub(crate) fn parse_webhook(provider: Provider, req: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
    match provider {
        Provider::Mconnect => mconnect::parse_webhook(req.body).map(|e| vec![e]),
        Provider::Zchat | Provider::Omnize => zchat::parse_webhook(req),
        Provider::Cirrus => cirrus::parse_webhook(req),
        Provider::Wegly => wegly::parse_webhook(req),
    }
}

#[cfg(test)]
mod capability_tests;
