//! The domain model: what the inbox knows, independent of any provider or transport.
//!
//! These types are the command set's inputs and outputs. They serialize to the JSON that both
//! transports (Tauri IPC and inboxd's HTTP API) carry, so the UI sees one shape everywhere.
//!
//! They are also the wire contract's source: `ts-rs` derives the UI's TypeScript types from them
//! (`ui/src/lib/backend/generated/`, rendered by `tests/wire_types.rs`), and with the `openapi`
//! feature `utoipa` derives the JSON schemas of inboxd's OpenAPI document. The `ts`/`schema`
//! attributes only describe the JSON serde already writes: they never change it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Text};

/// The provider APIs the inbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Mconnect,
    /// Zenvia ZChat: the Omnize API family under its new name (interactions flavour by default).
    Zchat,
    /// Omnize: the same client family as ZChat (WhatsApp flavour by default).
    Omnize,
    /// Cirrus (Karoo) omnichannel API: contacts, tags and messages.
    Cirrus,
    /// Wegly external integrations API (official WhatsApp API: templates and the 24-hour window).
    Wegly,
}

impl Provider {
    pub const ALL: [Provider; 5] =
        [Provider::Mconnect, Provider::Zchat, Provider::Omnize, Provider::Cirrus, Provider::Wegly];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Mconnect => "mconnect",
            Provider::Zchat => "zchat",
            Provider::Omnize => "omnize",
            Provider::Cirrus => "cirrus",
            Provider::Wegly => "wegly",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| Error::invalid(crate::text!("provider.unknown", value = s)))
    }
}

/// Something a provider may or may not do. Each provider declares its list (see
/// [`ProviderInfo`]); the UI offers exactly those and says why the others are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Start a conversation from the inbox (with a template where the provider requires one).
    StartConversation,
    SendText,
    SendFile,
    /// A caption travels with a sent file.
    Caption,
    /// Group conversations.
    Groups,
    /// Answer quoting a message.
    Reply,
    /// Reactions on messages are shown.
    Reactions,
    /// The agent's own reaction can be removed.
    RemoveReaction,
    /// The other side is told when the agent types.
    Typing,
    /// Approved WhatsApp templates.
    Templates,
    /// Free text only within 24 hours of the customer's last message.
    #[serde(rename = "window_24h")]
    Window24h,
    /// Buttons and lists.
    Interactive,
    Location,
    /// Delete a sent message.
    Delete,
    /// The account's departments can be listed (hand-off target).
    Departments,
    /// The conversation is handed off to the provider's agents: queue, accept, transfer, finish.
    Handoff,
    /// Mood, tags, customer key and note on a hand-off.
    HandoffUpdate,
    /// The provider reads our history of the conversation from a URL we serve.
    HistoryUrl,
    /// The chat's earlier history can be imported from the provider.
    HistoryImport,
    /// The chat can be given to another user of the provider.
    Reassign,
    /// The chat can be read again from the provider (status, 24-hour window, unread count).
    Refresh,
    /// Contacts are pushed to and pulled from the provider.
    ContactSync,
    /// Tags are pushed to and pulled from the provider.
    TagSync,
}

/// Why a provider lacks a capability, for the UI to show next to the missing action.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapabilityNote {
    pub capability: Capability,
    /// In the catalog's words (`mconnect.reason_reply`), for the UI to show in the agent's language.
    pub reason: Text,
}

/// One field of a provider's account settings, for the accounts screen to render and validate.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingField {
    pub key: &'static str,
    pub label: &'static str,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub required: bool,
    /// Preset choices (base URLs, flavours); free input is still allowed for `url` fields.
    pub options: Vec<FieldOption>,
    pub default: Option<String>,
    pub help: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Url,
    Phone,
    Number,
    Select,
    /// A JSON object (Cirrus route overrides).
    Json,
    /// Goes to the OS keychain, never to SQLite; never read back.
    Secret,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldOption {
    pub value: String,
    pub label: &'static str,
}

/// What the inbox knows about a provider, for the accounts screen and capability checks.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderInfo {
    pub id: Provider,
    pub label: &'static str,
    /// Capabilities with default settings (some depend on settings, e.g. ZChat's flavour; the
    /// account and each conversation carry their own list).
    pub capabilities: Vec<Capability>,
    pub unavailable: Vec<CapabilityNote>,
    pub fields: Vec<SettingField>,
    /// How webhooks reach the inbox for this provider (registered by us, or pasted by the user
    /// in the provider's admin site).
    pub webhook_setup: WebhookSetup,
    /// What to know when setting an account up, in the catalog's words (`wegly.note_webhook`).
    pub notes: Vec<Text>,
    /// The longest text message the provider takes, in characters (Unicode code points): the
    /// composer counts toward it and offers to split a longer text.
    pub max_text_chars: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookSetup {
    /// The inbox registers the URL with the provider when the account is saved.
    Registered,
    /// The user pastes the URL in the provider's admin site.
    Manual,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: String,
    pub provider: Provider,
    pub name: String,
    /// Provider settings (endpoint, number...). Never holds a secret.
    pub settings: serde_json::Map<String, serde_json::Value>,
    pub capabilities: Vec<Capability>,
    /// The URL the provider must post its webhooks to; it carries the account's secret.
    pub webhook_url: Option<String>,
    /// ZChat/Omnize: the URL scheme of the `external_history` links the inbox serves (one per
    /// conversation, each with its own token); shown so the user knows what the provider reads.
    pub history_url_scheme: Option<String>,
    /// Keys of the provider's secret fields that the keychain holds for this account.
    pub secrets_set: Vec<String>,
    pub demo: bool,
    pub created_at: DateTime<Utc>,
}

/// Input for creating an account.
#[derive(Debug, Clone, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub provider: Provider,
    pub name: String,
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Values of the provider's `secret` fields (API token, webhook signing secret), by field key.
    /// They go to the OS keychain and are never stored, logged or sent back.
    #[serde(default)]
    #[ts(as = "Option<std::collections::BTreeMap<String, String>>", optional)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub secrets: std::collections::BTreeMap<String, crate::Sensitive>,
}

/// Changes to an account. Absent fields stay as they are; a secret given here replaces the
/// keychain's.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct AccountPatch {
    pub name: Option<String>,
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    #[ts(as = "Option<std::collections::BTreeMap<String, String>>", optional)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub secrets: std::collections::BTreeMap<String, crate::Sensitive>,
}

/// The outcome of "test connection": whether the provider answered as expected, in words.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionTest {
    pub ok: bool,
    /// `text` in English (for logs and older clients).
    pub message: String,
    /// What the provider said, in the catalog's words: the UI shows it in the agent's language.
    pub text: Text,
}

impl ConnectionTest {
    pub fn new(ok: bool, text: Text) -> ConnectionTest {
        ConnectionTest { ok, message: text.to_string(), text }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    #[default]
    Individual,
    Group,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Snoozed,
    Resolved,
}

/// 0 low, 1 normal, 2 high, 3 urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "i64", into = "i64")]
#[ts(type = "0 | 1 | 2 | 3")]
#[cfg_attr(feature = "openapi", schema(value_type = i64, minimum = 0, maximum = 3))]
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
            _ => Err(Error::invalid(crate::text!("priority.out_of_range", value = v))),
        }
    }
}

impl From<Priority> for i64 {
    fn from(p: Priority) -> i64 {
        p.value()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    #[default]
    Text,
    Image,
    Video,
    Audio,
    File,
    Sticker,
    Location,
    Template,
    Interactive,
    /// Something that happened in the conversation (queued, accepted, transferred, finished...);
    /// `payload` holds it, `body` describes it.
    Event,
    /// A provider event the inbox does not understand, kept raw in `payload` rather than dropped.
    Unrecognised,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastMessage {
    pub preview: String,
    pub direction: Direction,
    pub kind: MessageKind,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Hand-off conversations: where the customer is in the provider's queue.
    pub handoff: Option<Handoff>,
    /// End of the 24-hour window (providers with [`Capability::Window24h`]); `None` when unknown
    /// or not applicable. Past it, only templates can be sent.
    pub window_expires_at: Option<DateTime<Utc>>,
    /// Who the provider says is responsible for the chat.
    pub assignee: Option<String>,
    pub contact_id: Option<String>,
    /// Drafts: what the agent has half written here, for the list's "Draft:" line.
    pub draft: Option<crate::drafts::DraftPreview>,
}

/// The state of a conversation handed off to a provider's agents (ZChat/Omnize).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Handoff {
    pub state: HandoffState,
    /// Position in the department's queue while `queued`.
    pub position: Option<i64>,
    /// The remote agent who accepted or last wrote.
    pub agent_name: Option<String>,
    pub department_id: Option<String>,
    pub interaction_hash: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HandoffState {
    /// Created on our side; the provider has not reported anything yet.
    #[default]
    Started,
    Queued,
    Accepted,
    Unavailable,
    Transferred,
    Finished,
}

/// A provider department (ZChat/Omnize): where a hand-off goes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub queue: Option<i64>,
    pub agents: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reaction {
    pub reactor: String,
    pub emoji: String,
    /// The agent's own reaction (it can be removed where the provider allows).
    #[serde(default)]
    pub from_me: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Structured content for templates, interactive messages, locations, events and
    /// unrecognised provider events (see [`MessageKind`]); its shapes are [`MessagePayload`]'s.
    #[ts(as = "Option<MessagePayload>")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<MessagePayload>))]
    pub payload: Option<serde_json::Value>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub reactions: Vec<Reaction>,
    /// An internal note: written by an agent for colleagues, stored here and never sent (see
    /// `drafts.rs`).
    pub note: bool,
}

/// The structured content of a message, by kind: `{"template": ...}`, `{"interactive": ...}`,
/// `{"location": ...}`, `{"event": ...}` or `{"raw": ...}`. Payloads come from providers as well
/// as from the inbox, so readers still check shapes; this says what they are meant to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessagePayload {
    Template(Template),
    Interactive(Interactive),
    Location(Location),
    /// What happened in a hand-off conversation (`event` messages).
    Event(ConversationEvent),
    /// A provider event the inbox does not understand (`unrecognised` messages), as it came.
    Raw(serde_json::Value),
    // Files from disk: the stored file an outbound media message carries.
    /// A file from the agent's disk, kept in the local media store (see [`StoredMedia`]).
    Media(StoredMedia),
}

// Files from disk: the local media store.
/// A file the agent attached from disk, kept in the local media store (content-addressed by its
/// SHA-256). `kind` is the message kind it is sent as (WhatsApp's image, video and audio types;
/// anything else goes as a file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredMedia {
    pub id: String,
    pub kind: MessageKind,
    pub file_name: String,
    pub mime_type: String,
    /// Bytes.
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// What happened in a hand-off conversation: the payload of an `event` message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationEvent {
    pub state: HandoffState,
    pub position: Option<i64>,
    pub agent_name: Option<String>,
    pub department_id: Option<String>,
}

/// One page of a list, newest first, with an opaque cursor for the next page.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct ConversationFilter {
    pub status: Option<ConversationStatus>,
    pub account_id: Option<String>,
    pub priority: Option<Priority>,
    pub tag: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// What the agent sends. Text needs `body`; media needs an http(s) `media_url` or a stored file's
/// `media_id`; a template,
/// interactive message or location needs its part.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct SendMessage {
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
    /// Files from disk: a file of the media store (from `upload_media`) sent instead of `media_url`.
    #[serde(default)]
    pub media_id: Option<String>,
    /// The message this one answers (quoted reply), by the inbox's id.
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub template: Option<Template>,
    #[serde(default)]
    pub interactive: Option<Interactive>,
    #[serde(default)]
    pub location: Option<Location>,
}

/// An approved WhatsApp template and the values of its variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub fields: Vec<TemplateField>,
    // Template library: what the customer saw, rendered by the engine from the account's library
    // when the message was sent (absent for templates not in the library, and on older messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rendered: Option<crate::templates::RenderedTemplate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateField {
    /// BODY, HEADER, BUTTON...
    pub component: String,
    /// TEXT, IMAGE...
    #[serde(rename = "type")]
    pub kind: String,
    pub index: i64,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub button_index: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub card_index: Option<i64>,
}

/// Buttons or a list, with the text above them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields = nullable)]
pub struct Interactive {
    pub body: String,
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub footer: Option<String>,
    /// Reply buttons (up to 3).
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub buttons: Vec<InteractiveButton>,
    /// A list: the button that opens it and its sections.
    #[serde(default)]
    pub list_button: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub sections: Vec<InteractiveSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractiveButton {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractiveSection {
    pub title: String,
    pub rows: Vec<InteractiveRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractiveRow {
    pub id: String,
    pub title: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub address: Option<String>,
}

/// Starting a conversation from the inbox: to whom, and what the provider needs to open it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct StartConversation {
    pub account_id: String,
    /// The customer's number or the provider's contact id; a group id where groups are supported.
    pub to: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Brazilian CPF (ZChat/Omnize customer field).
    #[serde(default)]
    pub cpf: Option<String>,
    /// ZChat/Omnize: the department to hand off to (the account's default when absent).
    #[serde(default)]
    pub department_id: Option<String>,
    /// ZChat/Omnize: any values the provider returns on its webhooks.
    #[serde(default)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
    /// Cirrus: `whatsappweb` or `d360` (the account's default when absent).
    #[serde(default)]
    pub service: Option<String>,
    /// The first message: free text, or a template where the provider requires one (Wegly).
    #[serde(default)]
    pub message: Option<SendMessage>,
}

/// ZChat interactions flavour: the "update interaction" fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct HandoffUpdate {
    /// POSITIVE or NEGATIVE.
    pub mood: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub tag_ids: Vec<String>,
    pub customer_key: Option<String>,
    pub note: Option<String>,
}

impl HandoffUpdate {
    /// The update's own shape, checked before anything else: a mood is POSITIVE or NEGATIVE.
    pub fn validate(&self) -> crate::Result<()> {
        match self.mood.as_deref() {
            None | Some("POSITIVE" | "NEGATIVE") => Ok(()),
            Some(_) => Err(Error::invalid(crate::text!("conversation.mood_invalid"))),
        }
    }
}

/// Progress of importing a chat's history from the provider.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryProgress {
    pub conversation_id: String,
    pub imported: u64,
    /// What the provider says it has, when it says.
    pub total: Option<u64>,
    pub done: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Only in the inbox: no provider account syncs it.
    Local,
    Synced,
    /// Edited here, not yet confirmed by the provider.
    Pending,
    /// The provider refused the edit; `sync_error` says why. The local edit is kept.
    Failed,
    /// The provider's version was newer and replaced the local edit on the last pull.
    Replaced,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    pub id: String,
    pub name: String,
    pub color: Option<String>,
    pub sync_state: SyncState,
    pub sync_error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct TagInput {
    pub name: Option<String>,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactIdentity {
    pub account_id: String,
    pub provider: Provider,
    pub external_id: String,
    /// The provider's own id for the contact, once synced.
    pub remote_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: String,
    /// The name the customer gave themselves (from the provider).
    pub display_name: Option<String>,
    /// The name the agents gave the contact; shown first.
    pub custom_name: Option<String>,
    pub avatar_url: Option<String>,
    pub identities: Vec<ContactIdentity>,
    pub tags: Vec<Tag>,
    pub sync_state: SyncState,
    pub sync_error: Option<String>,
    pub synced_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct ContactFilter {
    pub account_id: Option<String>,
    /// Matches names and identifiers.
    pub query: Option<String>,
    pub tag_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct ContactPatch {
    /// Empty string clears it.
    pub custom_name: Option<String>,
    /// Replaces the contact's tags.
    pub tag_ids: Option<Vec<String>>,
}

// ---- contact panel, merges and CSV (see contact_book.rs) -------------------------------------

/// One custom fact about a contact: a key and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactAttribute {
    pub key: String,
    pub value: String,
}

/// Everything the contact panel shows about a contact.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactProfile {
    pub contact: Contact,
    /// The agents' free-text notes about the contact.
    pub notes: Option<String>,
    /// In the order they were added.
    pub attributes: Vec<ContactAttribute>,
    /// The contact's messages raise no desktop notification.
    pub notifications_blocked: bool,
    /// Every conversation of the contact, on every account, most recently active first.
    pub conversations: Vec<ConversationSummary>,
    /// The latest merge into this contact, while it can still be undone.
    pub last_merge: Option<ContactMerge>,
}

/// A change to a contact's notes, attributes or notification block; absent fields are kept.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct ContactProfilePatch {
    /// Empty string clears them.
    pub notes: Option<String>,
    /// Replaces every attribute, in this order.
    pub attributes: Option<Vec<ContactAttribute>>,
    pub notifications_blocked: Option<bool>,
}

/// Merge `contact_ids` into `survivor_id`.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeContacts {
    pub survivor_id: String,
    /// The contacts that go away into the survivor (at least one).
    pub contact_ids: Vec<String>,
}

/// A merge of contacts into one, kept so it can be undone.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactMerge {
    pub id: String,
    pub survivor_id: String,
    pub merged_ids: Vec<String>,
    /// The merged contacts' names, as they were.
    pub merged_names: Vec<String>,
    pub merged_at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// A CSV file of contacts to check (`commit` false) or import (`commit` true: all rows or none).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactImport {
    pub csv: String,
    #[serde(default)]
    pub commit: bool,
}

/// What importing a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    /// A new contact.
    Create,
    /// The account already knows this number: its contact is updated.
    Update,
    /// The same number on another account earlier in the file: one more identity of that contact.
    Attach,
}

/// One data row of an imported CSV file, as read, with what importing it does or why it cannot.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactImportRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub name: Option<String>,
    pub phone: String,
    pub account: String,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub attributes: Vec<ContactAttribute>,
    pub action: Option<ImportAction>,
    pub errors: Vec<Text>,
}

/// The check or the outcome of a CSV import.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactImportReport {
    pub rows: Vec<ContactImportRow>,
    /// Errors about the whole file (no header, a missing column).
    pub file_errors: Vec<Text>,
    /// Tags that importing creates.
    pub new_tags: Vec<String>,
    /// The columns read as custom attributes.
    pub attribute_columns: Vec<String>,
    /// Whether the rows were written (only when asked and no row has an error).
    pub imported: bool,
}

/// Contacts as a CSV file (UTF-8 with a byte-order mark, comma-separated, RFC 4180 quoting).
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactExport {
    pub file_name: String,
    pub csv: String,
    /// Contacts written (a contact with several identities is one row per identity).
    pub contacts: u64,
}

/// The outcome of a contact and tag sync with one account.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncReport {
    pub pulled_contacts: u64,
    pub pulled_tags: u64,
    pub pushed: u64,
    /// Local edits the provider's newer version replaced.
    pub replaced: u64,
    pub failed: u64,
}

impl SendMessage {
    pub fn text(body: impl Into<String>) -> Self {
        SendMessage { kind: MessageKind::Text, body: Some(body.into()), ..SendMessage::default() }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct ConversationPatch {
    pub status: Option<ConversationStatus>,
    pub priority: Option<Priority>,
    /// Replaces the conversation's tags (by tag id).
    pub tag_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppStatus {
    pub version: String,
    pub demo: bool,
    pub accounts: i64,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The payloads the engine writes (sending, hand-off events, unrecognised deliveries) have the
    /// shapes `MessagePayload` gives the UI, and it writes them back unchanged.
    #[test]
    fn stored_payloads_read_as_message_payloads() {
        let template =
            Template { name: "boas_vindas".into(), language: "pt_BR".into(), fields: vec![], rendered: None };
        let location = Location { latitude: -23.5, longitude: -46.6, name: None, address: None };
        for payload in [
            json!({ "template": template }),
            json!({ "location": location }),
            json!({ "interactive": { "body": "Escolha", "buttons": [{ "id": "a", "title": "A" }] } }),
            json!({ "event": { "state": "queued", "position": 2, "agent_name": null, "department_id": null } }),
            json!({ "raw": { "type": "contacts", "contacts": [] } }),
        ] {
            let read: MessagePayload = serde_json::from_value(payload.clone()).unwrap();
            let written = serde_json::to_value(&read).unwrap();
            let key = payload.as_object().unwrap().keys().next().unwrap().clone();
            assert_eq!(written.as_object().unwrap().keys().collect::<Vec<_>>(), [&key], "{payload}");
            if key != "interactive" {
                assert_eq!(written, payload);
            }
        }
    }
}
