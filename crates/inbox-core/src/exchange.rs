//! The vocabulary storage and providers share: what a provider's webhook or answer means for the
//! inbox (`WebhookEvent` and its parts), what a provider needs to know about an account and a
//! conversation (`AccountRow`, `ConversationTarget`), and what is sent (`OutboundMessage`,
//! `StartPlan`). Providers produce and read these; the store persists them.
//!
//! A leaf: it imports neither `store` nor `providers`, so neither imports the other.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{
    ConversationKind, ConversationStatus, DeliveryStatus, Direction, Handoff, HandoffState, MessageKind, Priority,
    Provider,
};
use crate::{Error, Result};

/// An account as stored: settings as JSON, the webhook secret only as its SHA-256.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: String,
    pub provider: Provider,
    pub name: String,
    pub settings: serde_json::Map<String, serde_json::Value>,
    pub demo: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl AccountRow {
    /// A string setting, or an error naming it.
    pub fn setting(&self, key: &str) -> Result<&str> {
        self.settings
            .get(key)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Internal(format!("account {} has no `{key}` setting", self.id)))
    }
}

/// Where an outbound message for a conversation goes, with what the provider client needs.
#[derive(Debug, Clone, Default)]
pub struct ConversationTarget {
    pub conversation_id: String,
    pub account_id: String,
    /// The provider's chat id (a number, a group id, an interaction hash, a chat uuid).
    pub external_id: String,
    pub kind: ConversationKind,
    pub title: String,
    /// Provider-side ids and state (see the `meta` column).
    pub meta: serde_json::Map<String, serde_json::Value>,
    pub handoff: Option<Handoff>,
    pub window_expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The customer's identifier on this account, for individual chats.
    pub contact_external_id: Option<String>,
    /// ZChat/Omnize: the `external_history` URL the inbox serves for this conversation.
    pub history_url: Option<String>,
}

impl ConversationTarget {
    /// A string from `meta`.
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get(key).and_then(|v| v.as_str())
    }
}

/// A message as a provider reported it, already mapped onto the engine's model: usually the
/// customer's; a remote agent's in a hand-off; or, with `direction: Outbound`, one sent from the
/// provider's own app (or imported history).
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    pub direction: Direction,
    /// The provider's id of the chat: a phone number, a group id.
    pub conversation_external_id: String,
    pub conversation_kind: ConversationKind,
    /// The chat's name: the group's name, or the customer's. Empty keeps the stored title (a
    /// hand-off's remote agent writing does not rename the customer's conversation).
    pub title: String,
    pub avatar_url: Option<String>,
    /// The customer, when the provider identifies one (individual chats).
    pub contact: Option<InboundContact>,
    pub sender_name: Option<String>,
    pub sender_external_id: Option<String>,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
    /// Structured content (template, interactive, location, event); see [`MessageKind`].
    pub payload: Option<serde_json::Value>,
    /// The provider's id of the message this one quotes.
    pub quoted_provider_message_id: Option<String>,
    /// For outbound echoes and history: the provider's status of the message.
    pub status: Option<DeliveryStatus>,
    pub provider_message_id: String,
    pub sent_at: DateTime<Utc>,
}

impl InboundMessage {
    /// A customer's text in an individual chat; the other fields can be set after.
    pub fn text(
        conversation_external_id: impl Into<String>,
        provider_message_id: impl Into<String>,
        body: impl Into<String>,
        sent_at: DateTime<Utc>,
    ) -> InboundMessage {
        let external = conversation_external_id.into();
        InboundMessage {
            direction: Direction::Inbound,
            title: external.clone(),
            conversation_external_id: external,
            conversation_kind: ConversationKind::Individual,
            avatar_url: None,
            contact: None,
            sender_name: None,
            sender_external_id: None,
            kind: MessageKind::Text,
            body: Some(body.into()),
            media_url: None,
            caption: None,
            file_name: None,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id: provider_message_id.into(),
            sent_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InboundContact {
    pub external_id: String,
    pub display_name: Option<String>,
    /// Providers hand out expiring avatar URLs; the newest one replaces the stored one.
    pub avatar_url: Option<String>,
}

/// An agent's message, validated, ready to be stored before any network call.
#[derive(Debug, Clone, Default)]
pub struct OutboundMessage {
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
    /// Files from disk: the media store's file; `media_url` is then made (expiring) at delivery.
    pub media_id: Option<String>,
    /// Template, interactive or location content, as JSON of the model's types.
    pub payload: Option<serde_json::Value>,
    /// The quoted message: the inbox's id (stored) and the provider's id (sent).
    pub quoted_message_id: Option<String>,
    pub quoted_provider_message_id: Option<String>,
}

impl OutboundMessage {
    pub fn template(&self) -> Option<crate::model::Template> {
        self.payload_as("template")
    }
    pub fn interactive(&self) -> Option<crate::model::Interactive> {
        self.payload_as("interactive")
    }
    pub fn location(&self) -> Option<crate::model::Location> {
        self.payload_as("location")
    }
    fn payload_as<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.payload.as_ref().and_then(|p| p.get(key)).and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

/// A conversation as a webhook names it: the provider's chat id (a phone number, a group id, an
/// interaction hash, a chat uuid).
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationRef {
    pub external_id: String,
    pub kind: ConversationKind,
    /// The chat's name, when the event carries one (used if the conversation is new).
    pub title: Option<String>,
}

impl ConversationRef {
    pub fn individual(external_id: impl Into<String>) -> Self {
        ConversationRef { external_id: external_id.into(), kind: ConversationKind::Individual, title: None }
    }
}

/// A change of a hand-off's state, as a trigger reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffEvent {
    pub state: HandoffState,
    pub position: Option<i64>,
    pub agent_name: Option<String>,
    pub department_id: Option<String>,
    pub interaction_hash: Option<String>,
}

/// What a provider says about a chat as a whole (Wegly's chat object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatUpdate {
    pub title: Option<String>,
    pub status: Option<ConversationStatus>,
    pub priority: Option<Priority>,
    pub unread_count: Option<i64>,
    pub window_expires_at: Option<DateTime<Utc>>,
    pub assignee: Option<String>,
    pub avatar_url: Option<String>,
    /// Provider-side state merged into the conversation's `meta` (a key set to `null` is
    /// removed), e.g. the Cirrus session a callback names.
    pub meta: Map<String, Value>,
}

/// What a webhook delivery (or a page of imported history) means for the inbox.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookEvent {
    /// A message: the customer's, a remote agent's (hand-off), or one sent from the provider's
    /// own app (outbound echo; `direction` says which).
    Message(Box<InboundMessage>),
    /// A delivery status for a message we know by the provider's id.
    Status {
        provider_message_id: String,
        status: DeliveryStatus,
        error: Option<String>,
    },
    /// A reaction set (`emoji` Some) or removed (None) on a message known by the provider's id.
    Reaction {
        provider_message_id: String,
        reactor: String,
        emoji: Option<String>,
        from_me: bool,
    },
    Handoff {
        conversation: ConversationRef,
        handoff: HandoffEvent,
    },
    /// The other side is typing (not stored; forwarded as an event).
    Typing {
        conversation: ConversationRef,
        who: Option<String>,
        active: bool,
    },
    Chat {
        conversation: ConversationRef,
        update: ChatUpdate,
    },
    /// A delivery the inbox does not understand: stored raw and shown as "unrecognised event".
    Unrecognised {
        conversation: Option<ConversationRef>,
        summary: String,
    },
    /// Deliberately not stored beyond the raw log (for instance WhatsApp status broadcasts).
    Ignored(&'static str),
}

/// What the engine stores before a start reaches the network.
#[derive(Debug, Clone)]
pub struct StartPlan {
    /// The key the conversation is stored under until the provider gives its own id.
    pub external_id: String,
    pub kind: ConversationKind,
    pub title: String,
    pub meta: Map<String, Value>,
    /// The first message, stored as pending before the provider is called.
    pub first_message: Option<OutboundMessage>,
    /// Whether the conversation starts as a hand-off (ZChat/Omnize).
    pub handoff: bool,
}

/// A tag as a provider has it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteTag {
    pub remote_id: String,
    pub name: String,
    pub color: Option<String>,
}

/// A contact as a provider has it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteContact {
    pub remote_id: String,
    /// The number or group id.
    pub external_id: String,
    pub kind: ConversationKind,
    pub name: Option<String>,
    pub custom_name: Option<String>,
    pub avatar_url: Option<String>,
    pub tag_remote_ids: Vec<String>,
    pub updated_at: Option<DateTime<Utc>>,
}
