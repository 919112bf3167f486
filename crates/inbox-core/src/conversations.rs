//! Every conversation command: listing, reading and changing conversations, their messages,
//! sending, starting, typing, hand-off updates, deleting, reactions, reassigning, refreshing and
//! importing history.
//!
//! Rule: an outbound message is committed (as `pending`) before any network call, and its
//! outcome arrives as [`Event::MessageStatusChanged`].

use crate::capable::part;
use crate::exchange::{ConversationTarget, WebhookEvent};
use crate::model::{
    Capability, ConversationFilter, ConversationPatch, ConversationSummary, DeliveryStatus, HandoffUpdate,
    HistoryProgress, Message, Page, SendMessage, StartConversation,
};
use crate::outbound::{check_window, validate_outbound};
use crate::providers::{self, Connector};
use crate::store::Applied;
use crate::{Error, Event, Inbox, Result};

/// How many history pages one import reads at most (a guard against a provider that never ends).
const MAX_HISTORY_PAGES: usize = 500;

impl Inbox {
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn list_conversations(&self, filter: &ConversationFilter) -> Result<Page<ConversationSummary>> {
        self.inner.store.list_conversations(filter).await
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn get_conversation(&self, id: &str) -> Result<ConversationSummary> {
        self.inner.store.get_conversation(id).await
    }

    /// What the provider knows a conversation by (its chat id, kind and provider-side state):
    /// for whoever drives a provider from outside the engine, such as the demo.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn conversation_target(&self, id: &str) -> Result<ConversationTarget> {
        self.inner.store.conversation_target(id).await
    }

    /// A conversation's messages, newest first.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn list_messages(
        &self,
        conversation_id: &str,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Message>> {
        self.inner.store.list_messages(conversation_id, cursor, limit).await
    }

    /// Changes status, priority or tags. A status change is told to the provider first where it
    /// has a meaning there (ZChat finishes the interaction on resolve); if the provider refuses,
    /// nothing changes here.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> Result<ConversationSummary> {
        if let Some(status) = patch.status {
            let current = self.inner.store.get_conversation(id).await?;
            if current.status != status {
                let (connector, target) = self.connector_for_conversation(id).await?;
                connector.set_status(&target, status).await?;
                if let Some(handoff) = connector.handoffs().and_then(|h| h.after_status(&target, status)) {
                    self.inner.store.apply_started(id, false, &Default::default(), None, Some(&handoff)).await?;
                }
            }
        }
        let conversation = self.inner.store.update_conversation(id, patch).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn mark_read(&self, id: &str) -> Result<ConversationSummary> {
        let conversation = self.inner.store.mark_read(id).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }

    /// Stores the agent's message as `pending` and returns it; the provider call happens after,
    /// in the background, and its outcome arrives as [`Event::MessageStatusChanged`].
    #[tracing::instrument(skip(self, input), fields(kind = ?input.kind), err)]
    pub async fn send_message(&self, conversation_id: &str, input: SendMessage) -> Result<Message> {
        let (connector, target) = self.connector_for_conversation(conversation_id).await?;
        let caps = connector.capabilities();
        let mut outbound = validate_outbound(connector.provider(), &caps, target.kind, input)?;
        check_window(&caps, &target, &outbound)?;
        // Template library: the text the customer will see.
        self.render_from_library(&target.account_id, &mut outbound).await?;
        // Files from disk: the stored file is checked against the provider before anything is stored.
        if outbound.media_id.is_some() {
            let row = self.inner.store.get_account(&target.account_id).await?;
            self.prepare_stored_media(&row, &mut outbound).await?;
        }
        if let Some(reply_to) = outbound.quoted_message_id.clone() {
            let (quoted_conversation, provider_id) = self.inner.store.message_ref(&reply_to).await?;
            if quoted_conversation != conversation_id {
                return Err(Error::invalid(text!("message.quote_elsewhere")));
            }
            outbound.quoted_provider_message_id =
                Some(provider_id.ok_or_else(|| Error::invalid(text!("message.quote_unconfirmed")))?);
        }
        // Drafts: storing the message deletes the conversation's draft in the same transaction.
        let had_draft = self.inner.store.get_draft(conversation_id).await?.is_some();
        let id = self.inner.store.insert_outbound(conversation_id, &target.account_id, &outbound).await?;
        let message = self.inner.store.get_message(&id).await?;
        self.emit(Event::MessageAdded { conversation_id: conversation_id.to_owned(), message: message.clone() });
        if had_draft {
            self.draft_cleared(conversation_id);
        }
        self.emit_conversation(conversation_id).await;

        let inbox = self.clone();
        tokio::spawn(async move {
            let mut outbound = outbound;
            // Files from disk: the provider fetches the stored file from an expiring URL.
            if let Some(media_id) = outbound.media_id.clone() {
                outbound.media_url = inbox.media_url(&target.account_id, &media_id).await;
            }
            let outcome = connector.deliver(&target, &outbound).await;
            inbox.record_delivery(&target, &id, outcome).await;
        });
        Ok(message)
    }

    pub(crate) async fn record_delivery(
        &self,
        target: &ConversationTarget,
        message_id: &str,
        outcome: Result<providers::Delivered, providers::SendFailure>,
    ) {
        let (status, provider_id, error) = match outcome {
            Ok(delivered) => {
                if !delivered.meta.is_empty()
                    && let Err(e) = self
                        .inner
                        .store
                        .apply_started(&target.conversation_id, false, &delivered.meta, None, None)
                        .await
                {
                    tracing::warn!(error = %e, "recording provider state failed");
                }
                (DeliveryStatus::Sent, delivered.provider_message_id, None)
            }
            Err(failure) => {
                tracing::warn!(message = %message_id, reason = %failure, "send failed");
                (DeliveryStatus::Failed, None, Some(failure.0))
            }
        };
        match self.inner.store.set_delivery(message_id, status, provider_id.as_deref(), error.as_deref()).await {
            Ok(true) => self.emit(Event::MessageStatusChanged {
                conversation_id: target.conversation_id.clone(),
                message_id: message_id.to_owned(),
                status,
                provider_message_id: provider_id,
                error,
            }),
            Ok(false) => {}
            Err(e) => tracing::error!(message = %message_id, error = %e, "recording a delivery status failed"),
        }
    }

    /// Starts a conversation: the provider's plan (and the first message, as pending) is stored,
    /// then the provider is called. Answers the conversation; the first message's outcome arrives
    /// as an event.
    #[tracing::instrument(skip(self, input), fields(account = %input.account_id), err)]
    pub async fn start_conversation(&self, mut input: StartConversation) -> Result<ConversationSummary> {
        let row = self.inner.store.get_account(&input.account_id).await?;
        let connector = self.capable_account(&row, Capability::StartConversation).await?;
        let caps = connector.capabilities();
        input.to = input.to.trim().to_owned();
        if input.to.is_empty() {
            return Err(Error::invalid(text!("field.required", field = "to")));
        }
        let mut plan = connector.plan_start(&input)?;
        if let Some(first) = input.message.clone() {
            let mut validated = validate_outbound(row.provider, &caps, plan.kind, first)?;
            // Files from disk: checked before anything is stored.
            self.prepare_stored_media(&row, &mut validated).await?;
            plan.first_message.get_or_insert(validated);
        }
        // Template library: the text the customer will see.
        if let Some(first) = plan.first_message.as_mut() {
            self.render_from_library(&row.id, first).await?;
        }
        let (mut conversation_id, first_id) = self.inner.store.insert_started(&row.id, &plan).await?;
        self.emit_conversation(&conversation_id).await;
        if let Some(id) = &first_id {
            let message = self.inner.store.get_message(id).await?;
            self.emit(Event::MessageAdded { conversation_id: conversation_id.clone(), message });
        }
        let mut target = self.inner.store.conversation_target(&conversation_id).await?;
        if caps.contains(&Capability::HistoryUrl) {
            target.history_url = self.history_url(&row, &conversation_id).await;
        }
        // Files from disk: the provider fetches the stored file from an expiring URL.
        if let Some(first) = plan.first_message.as_mut()
            && let Some(media_id) = first.media_id.clone()
        {
            first.media_url = self.media_url(&row.id, &media_id).await;
        }
        let result = connector.start(&target, &input, plan.first_message.as_ref()).await;
        match result {
            Ok(started) => {
                let mut merged = false;
                if let Some(external_id) = started.external_id.as_deref() {
                    // The provider may answer with a chat the inbox already has (a reused chat, or
                    // one its webhook created before this answer): they become one.
                    let survivor = self.inner.store.rekey_conversation(&conversation_id, external_id).await?;
                    merged = survivor != conversation_id;
                    conversation_id = survivor;
                    target.conversation_id = conversation_id.clone();
                }
                self.inner
                    .store
                    .apply_started(
                        &conversation_id,
                        merged,
                        &started.meta,
                        started.chat.as_ref(),
                        started.handoff.as_ref(),
                    )
                    .await?;
                if let Some(id) = first_id {
                    let outcome = match started.first_message_failure.clone() {
                        Some(failure) => Err(failure),
                        None => Ok(providers::Delivered {
                            provider_message_id: started.first_message_id.clone(),
                            meta: Default::default(),
                        }),
                    };
                    self.record_delivery(&target, &id, outcome).await;
                }
            }
            Err(failure) => {
                if let Some(id) = first_id {
                    self.record_delivery(&target, &id, Err(failure.clone())).await;
                } else {
                    // Nothing was sent: the conversation the provider never opened goes away.
                    self.inner.store.delete_conversation(&conversation_id).await?;
                    return Err(failure.into());
                }
            }
        }
        let conversation = self.inner.store.get_conversation(&conversation_id).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }

    /// Tells the other side the agent is (or stopped) typing. Best effort where the provider
    /// documents it as such.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn set_typing(&self, conversation_id: &str, active: bool) -> Result<()> {
        let (connector, target) = self.capable(conversation_id, Capability::Typing).await?;
        connector.typing(&target, active).await
    }

    /// ZChat: mood, tags, customer key and note on the interaction.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn update_handoff(&self, conversation_id: &str, update: HandoffUpdate) -> Result<()> {
        update.validate()?;
        let (connector, target) = self.capable(conversation_id, Capability::HandoffUpdate).await?;
        let handoffs = part(connector.handoffs(), connector.as_ref(), Capability::HandoffUpdate)?;
        handoffs.update_handoff(&target, &update).await
    }

    /// Deletes a sent message at the provider, then marks it deleted here.
    #[tracing::instrument(skip_all, fields(message_id = %message_id), err(level = "warn"))]
    pub async fn delete_message(&self, message_id: &str) -> Result<Message> {
        let (conversation_id, provider_id) = self.inner.store.message_ref(message_id).await?;
        let (connector, target) = self.capable(&conversation_id, Capability::Delete).await?;
        let provider_id = provider_id.ok_or_else(|| Error::invalid(text!("message.unconfirmed")))?;
        connector.delete_message(&target, &provider_id).await?;
        self.inner.store.mark_deleted(message_id).await?;
        self.message_changed(&conversation_id, message_id).await
    }

    /// Removes the agent's reaction from a message at the provider, then here.
    #[tracing::instrument(skip_all, fields(message_id = %message_id), err(level = "warn"))]
    pub async fn remove_reaction(&self, message_id: &str) -> Result<Message> {
        let (conversation_id, provider_id) = self.inner.store.message_ref(message_id).await?;
        let (connector, target) = self.capable(&conversation_id, Capability::RemoveReaction).await?;
        let provider_id = provider_id.ok_or_else(|| Error::invalid(text!("message.unconfirmed")))?;
        connector.remove_reaction(&target, &provider_id).await?;
        self.inner.store.remove_own_reaction(message_id).await?;
        self.message_changed(&conversation_id, message_id).await
    }

    /// Gives the conversation to another user of the provider.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id, user_id = %user_id), err(level = "warn"))]
    pub async fn reassign(&self, conversation_id: &str, user_id: &str) -> Result<ConversationSummary> {
        let user_id = user_id.trim();
        if user_id.is_empty() {
            return Err(Error::invalid(text!("field.required", field = "user_id")));
        }
        let (connector, target) = self.capable(conversation_id, Capability::Reassign).await?;
        let update =
            part(connector.chats(), connector.as_ref(), Capability::Reassign)?.reassign(&target, user_id).await?;
        self.inner.store.apply_started(conversation_id, false, &Default::default(), Some(&update), None).await?;
        self.conversation_changed(conversation_id).await
    }

    /// Reads the chat from the provider again (status, 24-hour window, unread count...).
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn refresh_conversation(&self, conversation_id: &str) -> Result<ConversationSummary> {
        let (connector, target) = self.capable(conversation_id, Capability::Refresh).await?;
        let update = part(connector.chats(), connector.as_ref(), Capability::Refresh)?.refresh(&target).await?;
        self.inner.store.apply_started(conversation_id, false, &Default::default(), Some(&update), None).await?;
        self.conversation_changed(conversation_id).await
    }

    /// Starts importing the chat's history from the provider; progress arrives as
    /// [`Event::HistoryProgress`]. Messages already stored are skipped, so an import can be rerun.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn import_history(&self, conversation_id: &str) -> Result<HistoryProgress> {
        let (connector, target) = self.capable(conversation_id, Capability::HistoryImport).await?;
        part(connector.chats(), connector.as_ref(), Capability::HistoryImport)?;
        let started = HistoryProgress {
            conversation_id: conversation_id.to_owned(),
            imported: 0,
            total: None,
            done: false,
            error: None,
        };
        let inbox = self.clone();
        let mut progress = started.clone();
        tokio::spawn(async move {
            let result = inbox.run_history_import(connector.as_ref(), &target, &mut progress).await;
            progress.done = true;
            if let Err(e) = result {
                progress.error = Some(e.public_message());
            }
            inbox.emit(Event::HistoryProgress { progress });
        });
        Ok(started)
    }

    async fn run_history_import(
        &self,
        connector: &dyn Connector,
        target: &ConversationTarget,
        progress: &mut HistoryProgress,
    ) -> Result<()> {
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_HISTORY_PAGES {
            let chats = part(connector.chats(), connector, Capability::HistoryImport)?;
            let page = chats.history_page(target, cursor.as_deref()).await?;
            let events: Vec<WebhookEvent> = page
                .events
                .into_iter()
                .map(|e| match e {
                    // History belongs to this conversation whatever id the provider's page used.
                    WebhookEvent::Message(mut m) => {
                        m.conversation_external_id = target.external_id.clone();
                        m.title = target.title.clone();
                        WebhookEvent::Message(m)
                    }
                    other => other,
                })
                .collect();
            let count = events.iter().filter(|e| matches!(e, WebhookEvent::Message(_))).count() as u64;
            let applied = self.inner.store.apply_events(&target.account_id, None, &events).await?;
            progress.imported += count;
            progress.total = page.total.or(progress.total);
            let added = applied.iter().any(|a| matches!(a, Applied::MessageAdded { .. }));
            if added {
                self.emit_conversation(&target.conversation_id).await;
            }
            self.emit(Event::HistoryProgress { progress: progress.clone() });
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(()),
            }
        }
        Err(Error::Provider(format!("the history has more than {MAX_HISTORY_PAGES} pages; stopped there")))
    }

    async fn message_changed(&self, conversation_id: &str, message_id: &str) -> Result<Message> {
        let message = self.inner.store.get_message(message_id).await?;
        self.emit(Event::MessageUpdated { conversation_id: conversation_id.to_owned(), message: message.clone() });
        Ok(message)
    }

    async fn conversation_changed(&self, conversation_id: &str) -> Result<ConversationSummary> {
        let conversation = self.inner.store.get_conversation(conversation_id).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }
}
