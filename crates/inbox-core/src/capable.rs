//! One way every command checks what a provider can do: the connector answers its
//! capabilities, and a command that needs one asks here before anything reaches the provider.
//! Refusals name the capability in the catalog's words.

use crate::exchange::{AccountRow, ConversationTarget};
use crate::model::Capability;
use crate::providers::Connector;
use crate::{Error, Inbox, Result};

impl Inbox {
    /// The connector and target of a conversation whose account has `cap`.
    pub(crate) async fn capable(
        &self,
        conversation_id: &str,
        cap: Capability,
    ) -> Result<(Box<dyn Connector>, ConversationTarget)> {
        let (connector, target) = self.connector_for_conversation(conversation_id).await?;
        require(connector.as_ref(), cap)?;
        Ok((connector, target))
    }

    /// The connector of an account that has `cap`.
    pub(crate) async fn capable_account(&self, row: &AccountRow, cap: Capability) -> Result<Box<dyn Connector>> {
        let connector = self.connector(row).await?;
        require(connector.as_ref(), cap)?;
        Ok(connector)
    }
}

/// `unsupported` unless the connector declares `cap`.
pub(crate) fn require(connector: &dyn Connector, cap: Capability) -> Result<()> {
    if connector.capabilities().contains(&cap) {
        return Ok(());
    }
    let provider = connector.provider().as_str();
    Err(Error::NotSupported(match cap {
        Capability::StartConversation => text!("conversation.cannot_start", provider = provider),
        Capability::ContactSync | Capability::TagSync => text!("contact.sync_unsupported", provider = provider),
        _ => {
            let what = serde_json::to_value(cap).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            text!("provider.cannot_do", provider = provider, what = what)
        }
    }))
}

/// The optional part of a connector that carries a capability it declared (see
/// `providers/capability_tests.rs`); a declared capability without its part is a bug, which the providers'
/// capability test rules out.
pub(crate) fn part<'a, T: ?Sized>(part: Option<&'a T>, connector: &dyn Connector, cap: Capability) -> Result<&'a T> {
    part.ok_or_else(|| {
        Error::Internal(format!("{} declares {cap:?} but has no implementation of it", connector.provider().as_str()))
    })
}

/// What an account can do, without making its connector (no keychain read): for lists and
/// views. A command asks its connector instead.
pub(crate) fn capabilities_of(row: &AccountRow) -> Vec<Capability> {
    crate::providers::capabilities(row.provider, &row.settings)
}
