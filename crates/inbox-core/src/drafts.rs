//! Drafts and internal notes: the composer's half-written reply, kept by the engine per
//! conversation, and notes the agents leave for each other in a conversation's timeline.
//!
//! Rules:
//! - A draft is what the composer holds: text, the message it quotes, attachments (ids of the
//!   local media store, kept as given) and whether it is a note. Saving an empty one deletes it.
//!   Every change is announced as [`Event::DraftChanged`], so another window or client follows.
//! - Sending a message or adding a note deletes the conversation's draft in the same transaction
//!   that stores the message: the message is the draft, so there is never a moment (a crash, a
//!   second window) where both exist and the draft invites sending it again, and a send that
//!   fails to store leaves the draft as it was.
//! - A note is stored as an outbound message flagged `note`, never pending and without a provider
//!   id. No connector is called for it, and it never reaches one afterwards: the `external_history`
//!   document and the start-up handling of interrupted sends leave notes out, and provider
//!   deliveries (statuses, echoes, history pages) match messages by provider id, which a note has
//!   none of. A note is not unread, does not move the 24-hour window, and leaves the conversation
//!   list as it was (its preview and order speak of the conversation with the customer).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Message;
use crate::{Error, Event, Inbox, Result};

/// Longest draft text kept, in characters (far beyond any provider's limit: a draft may be split
/// into several messages before it is sent).
pub const MAX_DRAFT_CHARS: usize = 65_536;
/// Most attachments a draft keeps.
pub const MAX_DRAFT_MEDIA: usize = 32;
/// Longest internal note, in characters.
pub const MAX_NOTE_CHARS: usize = 16_384;
/// Longest media id a draft keeps.
const MAX_MEDIA_ID_CHARS: usize = 200;

/// What the agent has half written in a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub conversation_id: String,
    /// The text as typed (not trimmed).
    pub body: String,
    /// The message the reply will quote, by the inbox's id.
    pub quoted_message_id: Option<String>,
    /// Attachments: ids of the local media store, kept and returned as given.
    pub media_ids: Vec<String>,
    /// The composer was writing an internal note.
    pub note: bool,
    pub updated_at: DateTime<Utc>,
}

/// A draft to save. Absent fields are empty; a draft with no text (only blanks), no quote and no
/// attachment is deleted instead.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct DraftInput {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub quoted_message_id: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub media_ids: Vec<String>,
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub note: bool,
}

impl DraftInput {
    /// Nothing worth keeping.
    pub fn is_empty(&self) -> bool {
        self.body.as_deref().is_none_or(|b| b.trim().is_empty())
            && self.quoted_message_id.is_none()
            && self.media_ids.is_empty()
    }

    fn validate(&self) -> Result<()> {
        if self.body.as_deref().is_some_and(|b| b.chars().count() > MAX_DRAFT_CHARS) {
            return Err(Error::invalid(text!("draft.too_long", max = MAX_DRAFT_CHARS)));
        }
        if self.media_ids.len() > MAX_DRAFT_MEDIA {
            return Err(Error::invalid(text!("draft.too_many_media", max = MAX_DRAFT_MEDIA)));
        }
        if self.media_ids.iter().any(|id| id.trim().is_empty() || id.chars().count() > MAX_MEDIA_ID_CHARS) {
            return Err(Error::invalid(text!("draft.media_id_invalid")));
        }
        Ok(())
    }
}

/// What the conversation list shows of a draft: "Draft:" and this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftPreview {
    /// The draft's text on one line, cut to 140 characters (empty when it has none).
    pub text: String,
    /// How many attachments it has.
    pub media: i64,
    /// It is an internal note.
    pub note: bool,
}

/// An internal note: text for colleagues, never sent.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    pub body: String,
    /// A message of the conversation the note is about (quoted), by the inbox's id.
    #[serde(default)]
    #[ts(optional)]
    pub reply_to: Option<String>,
}

impl Inbox {
    /// The conversation's draft, if it has one.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn get_draft(&self, conversation_id: &str) -> Result<Option<Draft>> {
        self.inner.store.get_draft(conversation_id).await
    }

    /// Keeps what the composer holds; an empty draft deletes the stored one. Answers the draft as
    /// stored (`None` when it was deleted) and announces it as [`Event::DraftChanged`].
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn save_draft(&self, conversation_id: &str, input: DraftInput) -> Result<Option<Draft>> {
        input.validate()?;
        if input.is_empty() {
            self.clear_draft(conversation_id).await?;
            return Ok(None);
        }
        if let Some(quoted) = &input.quoted_message_id {
            self.check_quote(conversation_id, quoted).await?;
        }
        let draft = self.inner.store.save_draft(conversation_id, &input).await?;
        self.emit(Event::DraftChanged { conversation_id: conversation_id.to_owned(), draft: Some(draft.clone()) });
        Ok(Some(draft))
    }

    /// Deletes the conversation's draft (nothing to do when it has none).
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn clear_draft(&self, conversation_id: &str) -> Result<()> {
        if self.inner.store.delete_draft(conversation_id).await? {
            self.draft_cleared(conversation_id);
        }
        Ok(())
    }

    /// Stores an internal note in the conversation (and deletes its draft, in the same
    /// transaction). No provider is called, now or later. Announced like any message.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn add_note(&self, conversation_id: &str, note: NewNote) -> Result<Message> {
        let body = note.body.trim_end();
        let body = body.trim_start_matches(['\n', '\r']);
        if body.trim().is_empty() {
            return Err(Error::invalid(text!("note.empty")));
        }
        if body.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::invalid(text!("note.too_long", max = MAX_NOTE_CHARS)));
        }
        let target = self.inner.store.conversation_target(conversation_id).await?;
        if let Some(quoted) = &note.reply_to {
            self.check_quote(conversation_id, quoted).await?;
        }
        let (id, cleared) =
            self.inner.store.insert_note(conversation_id, &target.account_id, body, note.reply_to.as_deref()).await?;
        let message = self.inner.store.get_message(&id).await?;
        self.emit(Event::MessageAdded { conversation_id: conversation_id.to_owned(), message: message.clone() });
        if cleared {
            self.draft_cleared(conversation_id);
        }
        Ok(message)
    }

    /// Announces that a conversation has no draft any more.
    pub(crate) fn draft_cleared(&self, conversation_id: &str) {
        self.emit(Event::DraftChanged { conversation_id: conversation_id.to_owned(), draft: None });
    }

    /// A quoted message must be one of this conversation's.
    async fn check_quote(&self, conversation_id: &str, message_id: &str) -> Result<()> {
        let (quoted_conversation, _) = self.inner.store.message_ref(message_id).await?;
        if quoted_conversation != conversation_id {
            return Err(Error::invalid(text!("message.quote_elsewhere")));
        }
        Ok(())
    }
}
