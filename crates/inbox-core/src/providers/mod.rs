//! Provider clients and webhook parsers. Each provider module knows its wire format and nothing
//! else; this module dispatches on [`Provider`] so the engine stays provider-agnostic.

pub mod mconnect;

use std::time::Duration;

use crate::Result;
use crate::model::Provider;
use crate::store::{AccountRow, ConversationTarget, InboundMessage, OutboundMessage};

/// How long a provider call may take before the agent is told it failed.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a send did not go through, in words the agent can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendFailure(pub String);

/// A webhook body a provider's parser refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("{0}")]
    Invalid(String),
}

/// What a webhook delivery means for the inbox.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookEvent {
    Message(Box<InboundMessage>),
    /// Deliberately not stored (for instance WhatsApp status broadcasts).
    Ignored(&'static str),
}

pub(crate) fn validate_settings(
    provider: Provider,
    settings: &serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    match provider {
        Provider::Mconnect => mconnect::Settings::from_map(settings).map(|s| s.to_map()),
    }
}

pub(crate) async fn register_webhook(http: &reqwest::Client, account: &AccountRow, url: &str) -> Result<()> {
    match account.provider {
        Provider::Mconnect => {
            let settings = mconnect::Settings::from_map(&account.settings)?;
            mconnect::Client::new(http.clone(), settings).set_webhook(url).await
        }
    }
}

/// Sends one stored outbound message; answers the provider's message id when it gives one.
pub(crate) async fn deliver(
    http: &reqwest::Client,
    account: &AccountRow,
    target: &ConversationTarget,
    msg: &OutboundMessage,
) -> Result<Option<String>, SendFailure> {
    match account.provider {
        Provider::Mconnect => {
            let settings =
                mconnect::Settings::from_map(&account.settings).map_err(|e| SendFailure(e.public_message()))?;
            mconnect::Client::new(http.clone(), settings).deliver(target, msg).await
        }
    }
}

pub(crate) fn parse_webhook(provider: Provider, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    match provider {
        Provider::Mconnect => mconnect::parse_webhook(body),
    }
}
