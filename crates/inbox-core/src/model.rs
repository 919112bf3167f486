//! The domain model: what the inbox knows, independent of any provider or transport.
//!
//! These types are the command set's inputs and outputs. They serialize to the JSON that both
//! transports (Tauri IPC and inboxd's HTTP API) carry, so the UI sees one shape everywhere.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Error;

/// The provider APIs the inbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Mconnect,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Mconnect => "mconnect",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "mconnect" => Ok(Provider::Mconnect),
            other => Err(Error::invalid(format!("unknown provider `{other}`"))),
        }
    }

    /// What a conversation on this provider can do. The UI offers exactly these.
    pub fn capabilities(self) -> Vec<Capability> {
        match self {
            // mConnect drives WhatsApp Web: text and files, to people and groups; nothing else.
            Provider::Mconnect => vec![Capability::SendText, Capability::SendFile, Capability::Groups],
        }
    }
}

/// Something a provider may or may not support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    SendText,
    SendFile,
    Groups,
    Reactions,
    Typing,
    Templates,
    Delete,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub provider: Provider,
    pub name: String,
    /// Provider settings (endpoint, number...). Never holds a secret.
    pub settings: serde_json::Map<String, serde_json::Value>,
    pub capabilities: Vec<Capability>,
    /// The URL the provider must post its webhooks to; it carries the account's secret.
    pub webhook_url: Option<String>,
    pub demo: bool,
    pub created_at: DateTime<Utc>,
}

/// Input for creating an account.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAccount {
    pub provider: Provider,
    pub name: String,
    pub settings: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    Individual,
    Group,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Snoozed,
    Resolved,
}

/// 0 low, 1 normal, 2 high, 3 urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Priority(u8);

impl Priority {
    pub const LOW: Priority = Priority(0);
    pub const NORMAL: Priority = Priority(1);
    pub const HIGH: Priority = Priority(2);
    pub const URGENT: Priority = Priority(3);

    pub fn value(self) -> i64 {
        i64::from(self.0)
    }
}

impl TryFrom<i64> for Priority {
    type Error = Error;
    fn try_from(v: i64) -> Result<Self, Error> {
        match v {
            0..=3 => Ok(Priority(v as u8)),
            _ => Err(Error::invalid(format!("priority must be 0 to 3, got {v}"))),
        }
    }
}

impl From<Priority> for i64 {
    fn from(p: Priority) -> i64 {
        p.value()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Text,
    Image,
    Video,
    Audio,
    File,
}

impl MessageKind {
    /// Guesses a media kind from a URL or file name, as providers that send only a link need.
    pub fn from_file_name(name: &str) -> MessageKind {
        let path = name.split(['?', '#']).next().unwrap_or(name);
        let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "svg" => MessageKind::Image,
            "mp4" | "3gp" | "mov" | "webm" => MessageKind::Video,
            "mp3" | "ogg" | "opus" | "aac" | "amr" | "m4a" | "wav" => MessageKind::Audio,
            _ => MessageKind::File,
        }
    }
}

/// Delivery status of an outbound message. It only ever moves forward (see [`DeliveryStatus::rank`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct LastMessage {
    pub preview: String,
    pub direction: Direction,
    pub kind: MessageKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConversationSummary {
    pub id: String,
    pub account_id: String,
    pub provider: Provider,
    pub kind: ConversationKind,
    pub title: String,
    pub avatar_url: Option<String>,
    pub status: ConversationStatus,
    pub priority: Priority,
    pub unread_count: i64,
    pub last_activity_at: DateTime<Utc>,
    pub last_message: Option<LastMessage>,
    pub tags: Vec<String>,
    pub capabilities: Vec<Capability>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reaction {
    pub reactor: String,
    pub emoji: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub direction: Direction,
    pub sender_name: Option<String>,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
    pub provider_message_id: Option<String>,
    pub status: DeliveryStatus,
    pub error: Option<String>,
    pub quoted_message_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub reactions: Vec<Reaction>,
}

/// One page of a list, newest first, with an opaque cursor for the next page.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConversationFilter {
    pub status: Option<ConversationStatus>,
    pub account_id: Option<String>,
    pub priority: Option<Priority>,
    pub tag: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// What the agent sends. Text needs `body`; media needs an http(s) `media_url`.
#[derive(Debug, Clone, Deserialize)]
pub struct SendMessage {
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
}

impl SendMessage {
    pub fn text(body: impl Into<String>) -> Self {
        SendMessage {
            kind: MessageKind::Text,
            body: Some(body.into()),
            media_url: None,
            caption: None,
            file_name: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConversationPatch {
    pub status: Option<ConversationStatus>,
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppStatus {
    pub version: String,
    pub demo: bool,
    pub accounts: i64,
}
