//! A door for the tests of other crates (feature `test-support`, enabled only as a
//! dev-dependency): what a test needs to set up a situation the provider simulator cannot make
//! deterministic, or to read state no command shows. Every write goes through the engine's own
//! paths, so it emits the same events a real one would; nothing here reaches the store around them.

use crate::exchange::{ConversationTarget, OutboundMessage, WebhookEvent};
use crate::model::DeliveryStatus;
use crate::{Event, Inbox, Result};

pub use crate::store::Applied;

/// See the module documentation; from [`Inbox::testing`].
pub struct TestDoor<'a> {
    inbox: &'a Inbox,
}

impl Inbox {
    pub fn testing(&self) -> TestDoor<'_> {
        TestDoor { inbox: self }
    }
}

impl TestDoor<'_> {
    /// Where a conversation's messages go, as a provider connector sees it (its `meta` included).
    pub async fn conversation_target(&self, conversation_id: &str) -> Result<ConversationTarget> {
        self.inbox.inner.store.conversation_target(conversation_id).await
    }

    /// Applies events as if a webhook delivery carried them, and announces them. Answers what
    /// each event changed.
    pub async fn apply_events(
        &self,
        account_id: &str,
        raw: Option<&str>,
        events: &[WebhookEvent],
    ) -> Result<Vec<Applied>> {
        self.inbox.apply_and_announce(account_id, raw, events).await
    }

    /// Stores an agent's message as pending without sending it (the send's answer is then given
    /// with [`TestDoor::set_delivery`]).
    pub async fn insert_outbound(
        &self,
        conversation_id: &str,
        account_id: &str,
        msg: &OutboundMessage,
    ) -> Result<String> {
        let id = self.inbox.inner.store.insert_outbound(conversation_id, account_id, msg).await?;
        let message = self.inbox.inner.store.get_message(&id).await?;
        self.inbox.emit(Event::MessageAdded { conversation_id: conversation_id.to_owned(), message });
        Ok(id)
    }

    /// Records a provider's answer to a send, as the engine does when it arrives. Answers whether
    /// the status moved.
    pub async fn set_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        provider_message_id: Option<&str>,
        error: Option<&str>,
    ) -> Result<bool> {
        let store = &self.inbox.inner.store;
        let moved = store.set_delivery(message_id, status, provider_message_id, error).await?;
        if moved {
            let (conversation_id, provider_message_id) = store.message_ref(message_id).await?;
            self.inbox.emit(Event::MessageStatusChanged {
                conversation_id,
                message_id: message_id.to_owned(),
                status,
                provider_message_id,
                error: error.map(str::to_owned),
            });
        }
        Ok(moved)
    }
}
