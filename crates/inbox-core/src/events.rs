//! Typed events the engine broadcasts. Both transports forward them unchanged: the desktop shell
//! as Tauri events, inboxd as Server-Sent Events.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{
    Contact, ContactMerge, ContactProfile, ConversationSummary, DeliveryStatus, HistoryProgress, Message, Tag,
};

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    MessageAdded {
        conversation_id: String,
        message: Message,
    },
    MessageStatusChanged {
        conversation_id: String,
        message_id: String,
        status: DeliveryStatus,
        provider_message_id: Option<String>,
        error: Option<String>,
    },
    ConversationUpdated {
        conversation: ConversationSummary,
    },
    /// A message changed after it was added: reactions, deletion.
    MessageUpdated {
        conversation_id: String,
        message: Message,
    },
    /// The other side is typing (a customer, or a remote agent in a hand-off).
    Typing {
        conversation_id: String,
        who: Option<String>,
        active: bool,
    },
    HistoryProgress {
        progress: HistoryProgress,
    },
    ContactUpdated {
        contact: Contact,
    },
    // the contact panel, merges and CSV
    /// A contact's notes, attributes, notification block or conversations changed.
    ContactProfileUpdated {
        profile: ContactProfile,
    },
    /// Contacts were merged into one (`undone_at` unset), or a merge was undone: the merged
    /// contacts are gone, or back.
    ContactsMerged {
        merge: ContactMerge,
    },
    /// The tag list changed (created, renamed, deleted, synced).
    TagsChanged {
        tags: Vec<Tag>,
    },
    /// An account was added, edited or removed.
    AccountsChanged,
    /// A conversation's draft was saved (`Some`) or deleted (`None`: cleared, sent, or turned
    /// into a note).
    DraftChanged {
        conversation_id: String,
        draft: Option<crate::drafts::Draft>,
    },
}

impl Event {
    /// The inbound message this event announces, if any: what a desktop notification is about.
    pub fn inbound_message(&self) -> Option<&Message> {
        match self {
            Event::MessageAdded { message, .. } if message.direction == crate::model::Direction::Inbound => {
                Some(message)
            }
            _ => None,
        }
    }
}
