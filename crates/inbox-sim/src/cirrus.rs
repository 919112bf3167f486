//! Cirrus (Karoo) omnichannel API.
//!
//! Cirrus publishes a TypeScript library, not its HTTP routes, so this simulator serves the route
//! map the client infers from the library's method names (see `api.rs`), under `/cirrus` and,
//! as a versioned alias for route-override tests, `/cirrus/v2`. It keeps an in-memory store of
//! contacts, tags, sessions and messages with Mongo-like 24-hex ids, answers like a NestJS
//! server (`{statusCode, message, error}` errors, validation messages as an array), can require a
//! bearer token and inject failures, and fires callbacks at the URL set with
//! [`CirrusSim::set_callback_url`] (Cirrus's `platforms[].callbackUrl`).
//!
//! Callback shapes are not public; the simulator posts the ones the inbox reads (see
//! [`CirrusInbound::payload`]) and any raw body a test gives.
//!
//! Control routes (`/_sim/cirrus`): see `control.rs`.

mod api;
mod control;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::SimError;
use crate::sample;
use crate::state::SimState;
use crate::webhook::{self, FireResult};

pub(crate) use api::routes;
pub(crate) use control::routes as control_routes;

/// Provider name used in [`crate::Recorded::provider`].
pub const PROVIDER: &str = "cirrus";

/// Path prefix of the simulated API.
pub const PREFIX: &str = "/cirrus";

/// A Mongo-like ObjectId: creation time in seconds, then 16 random hex digits.
pub fn object_id() -> String {
    let secs = u32::try_from(Utc::now().timestamp()).unwrap_or(u32::MAX);
    let tail: u64 = rand::rng().random();
    format!("{secs:08x}{tail:016x}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CirrusContact {
    #[serde(rename = "_id")]
    pub id: String,
    pub client_identifier: String,
    pub channel_id: String,
    pub contact_identifier: String,
    pub name: String,
    pub custom_name: Option<String>,
    /// `individual` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    pub channel_type: String,
    pub photo: Option<String>,
    pub tag_ids: Vec<String>,
    pub platform: Option<String>,
    pub is_ignored: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CirrusTag {
    #[serde(rename = "_id")]
    pub id: String,
    pub client_identifier: String,
    pub name: String,
    pub color: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CirrusSession {
    #[serde(rename = "_id")]
    pub id: String,
    /// `whatsappweb` or `d360`.
    pub service: String,
    pub platform_config_id: Option<String>,
    pub channel_id: Option<String>,
    pub client_provider_id: String,
    pub user_name: Option<String>,
    pub company_name: Option<String>,
    pub platform: Option<String>,
    pub open: bool,
    pub created_at: DateTime<Utc>,
}

/// A message sent through the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CirrusMessage {
    #[serde(rename = "_id")]
    pub id: String,
    /// `session`, `proactive` or `group`.
    pub via: String,
    pub session_id: Option<String>,
    pub recipient_number: Option<String>,
    pub channel_id: Option<String>,
    pub platform: Option<String>,
    pub agent_name: Option<String>,
    pub text: Option<String>,
    pub media_uri: Option<String>,
    pub quoted_message: Option<Value>,
    pub deleted: bool,
    pub created_at: DateTime<Utc>,
}

/// An injected failure: the next `count` calls of `operation` (any operation when `None`)
/// answer `status` with `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CirrusFailure {
    #[serde(default)]
    pub operation: Option<String>,
    pub count: u32,
    #[serde(default = "default_failure_status")]
    pub status: u16,
    #[serde(default = "default_failure_message")]
    pub message: String,
}

fn default_failure_status() -> u16 {
    422
}

fn default_failure_message() -> String {
    "simulated failure".into()
}

#[derive(Debug, Default)]
pub(crate) struct CirrusState {
    pub(crate) contacts: Vec<CirrusContact>,
    pub(crate) tags: Vec<CirrusTag>,
    pub(crate) sessions: Vec<CirrusSession>,
    pub(crate) messages: Vec<CirrusMessage>,
    pub(crate) callback_url: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) failures: Vec<CirrusFailure>,
}

impl CirrusState {
    /// Consumes one injected failure matching `operation`, if any.
    pub(crate) fn take_failure(&mut self, operation: &str) -> Option<(u16, String)> {
        let rule =
            self.failures.iter_mut().find(|f| f.count > 0 && f.operation.as_deref().is_none_or(|o| o == operation))?;
        rule.count -= 1;
        let out = (rule.status, rule.message.clone());
        self.failures.retain(|f| f.count > 0);
        Some(out)
    }

    pub(crate) fn open_session_for(&mut self, number: &str, service: &str) -> String {
        if let Some(s) = self.sessions.iter().rev().find(|s| s.open && s.client_provider_id == number) {
            return s.id.clone();
        }
        let session = CirrusSession {
            id: object_id(),
            service: service.to_owned(),
            platform_config_id: None,
            channel_id: None,
            client_provider_id: number.to_owned(),
            user_name: None,
            company_name: None,
            platform: None,
            open: true,
            created_at: Utc::now(),
        };
        let id = session.id.clone();
        self.sessions.push(session);
        id
    }
}

/// Everything the simulated Cirrus holds, as the control API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CirrusSnapshot {
    pub contacts: Vec<CirrusContact>,
    pub tags: Vec<CirrusTag>,
    pub sessions: Vec<CirrusSession>,
    pub messages: Vec<CirrusMessage>,
    pub callback_url: Option<String>,
    pub token_required: bool,
}

/// A customer message to post at the callback URL. Anything left `None` gets a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CirrusInbound {
    /// The customer's number (the sender, in a group).
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub media_uri: Option<String>,
    /// A group message: the group's id and name.
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub quoted_message_id: Option<String>,
    /// `whatsappweb` (default) or `d360`.
    #[serde(default)]
    pub service: Option<String>,
    /// No `sessionId` in the callback (and no session opened for it).
    #[serde(default)]
    pub without_session: bool,
    #[serde(default)]
    pub message_id: Option<String>,
}

impl CirrusInbound {
    pub fn text(number: impl Into<String>, text: impl Into<String>) -> Self {
        CirrusInbound { number: Some(number.into()), text: Some(text.into()), ..CirrusInbound::default() }
    }

    pub fn media(number: impl Into<String>, media_uri: impl Into<String>) -> Self {
        CirrusInbound { number: Some(number.into()), media_uri: Some(media_uri.into()), ..CirrusInbound::default() }
    }

    /// A text in a group, from the member `number`.
    pub fn group(
        group_id: impl Into<String>,
        group_name: impl Into<String>,
        number: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        CirrusInbound {
            number: Some(number.into()),
            text: Some(text.into()),
            group_id: Some(group_id.into()),
            group_name: Some(group_name.into()),
            ..CirrusInbound::default()
        }
    }

    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    #[must_use]
    pub fn quoting(mut self, message_id: impl Into<String>) -> Self {
        self.quoted_message_id = Some(message_id.into());
        self
    }

    #[must_use]
    pub fn with_service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    #[must_use]
    pub fn without_session(mut self) -> Self {
        self.without_session = true;
        self
    }

    /// The callback body: `{"event": "message.received", "data": {...}}` with `messageId`,
    /// `sessionId`, `service`, `contact {number, name}`, `text`/`mediaUri`, `quotedMessage
    /// {messageId}`, `isGroup` and `group {id, name}`, `fromMe`, `timestamp` (ISO 8601).
    pub fn payload(&self, session_id: Option<&str>) -> Value {
        let number = self.number.clone().unwrap_or_else(sample::phone_number);
        let mut data = json!({
            "messageId": self.message_id.clone().unwrap_or_else(object_id),
            "service": self.service.as_deref().unwrap_or("whatsappweb"),
            "contact": { "number": number, "name": self.name.clone().unwrap_or_else(sample::customer_name) },
            "isGroup": self.group_id.is_some(),
            "fromMe": false,
            "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        });
        if let Some(session) = session_id {
            data["sessionId"] = json!(session);
        }
        match (&self.text, &self.media_uri) {
            (text, Some(uri)) => {
                data["mediaUri"] = json!(uri);
                if let Some(t) = text {
                    data["text"] = json!(t);
                }
            }
            (Some(t), None) => data["text"] = json!(t),
            (None, None) => data["text"] = json!(sample::customer_message()),
        }
        if let Some(q) = &self.quoted_message_id {
            data["quotedMessage"] = json!({ "messageId": q });
        }
        if let Some(g) = &self.group_id {
            data["group"] = json!({ "id": g, "name": self.group_name.clone().unwrap_or_else(sample::group_name) });
        }
        json!({ "event": "message.received", "data": data })
    }
}

/// What a Cirrus-side edit of a contact changes (`None`: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactEdit {
    #[serde(default)]
    pub name: Option<String>,
    /// An empty string clears it.
    #[serde(default)]
    pub custom_name: Option<String>,
    #[serde(default)]
    pub tag_ids: Option<Vec<String>>,
}

/// Handle on the Cirrus part of a running simulator. Cheap to clone.
#[derive(Clone)]
pub struct CirrusSim {
    state: SimState,
}

impl CirrusSim {
    pub fn new(state: SimState) -> Self {
        Self { state }
    }

    /// Where callbacks go (Cirrus's `platforms[].callbackUrl`).
    pub fn set_callback_url(&self, url: impl Into<String>) {
        self.state.cirrus().callback_url = Some(url.into());
    }

    pub fn callback_url(&self) -> Option<String> {
        self.state.cirrus().callback_url.clone()
    }

    /// Requires `Authorization: Bearer <token>` on every API call (`None`: no check).
    pub fn require_token(&self, token: Option<String>) {
        self.state.cirrus().token = token;
    }

    /// Adds a failure rule (see [`CirrusFailure`]).
    pub fn fail_next(&self, failure: CirrusFailure) {
        self.state.cirrus().failures.push(failure);
    }

    /// The next `count` calls of `operation` (e.g. `contacts.update`) answer `status` with `message`.
    pub fn fail_operation(&self, operation: &str, count: u32, status: u16, message: &str) {
        self.fail_next(CirrusFailure {
            operation: Some(operation.to_owned()),
            count,
            status,
            message: message.to_owned(),
        });
    }

    pub fn clear_failures(&self) {
        self.state.cirrus().failures.clear();
    }

    pub fn snapshot(&self) -> CirrusSnapshot {
        let s = self.state.cirrus();
        CirrusSnapshot {
            contacts: s.contacts.clone(),
            tags: s.tags.clone(),
            sessions: s.sessions.clone(),
            messages: s.messages.clone(),
            callback_url: s.callback_url.clone(),
            token_required: s.token.is_some(),
        }
    }

    pub fn contacts(&self) -> Vec<CirrusContact> {
        self.state.cirrus().contacts.clone()
    }

    pub fn contact(&self, id: &str) -> Option<CirrusContact> {
        self.state.cirrus().contacts.iter().find(|c| c.id == id).cloned()
    }

    pub fn tags(&self) -> Vec<CirrusTag> {
        self.state.cirrus().tags.clone()
    }

    pub fn sessions(&self) -> Vec<CirrusSession> {
        self.state.cirrus().sessions.clone()
    }

    pub fn messages(&self) -> Vec<CirrusMessage> {
        self.state.cirrus().messages.clone()
    }

    /// Puts a tag as given (its id included) on Cirrus's side, replacing one with that id.
    pub fn put_tag(&self, tag: CirrusTag) {
        let mut s = self.state.cirrus();
        s.tags.retain(|t| t.id != tag.id);
        s.tags.push(tag);
    }

    /// Puts a contact as given (its id included) on Cirrus's side, replacing one with that id.
    pub fn put_contact(&self, contact: CirrusContact) {
        let mut s = self.state.cirrus();
        s.contacts.retain(|c| c.id != contact.id);
        s.contacts.push(contact);
    }

    /// Creates a tag on Cirrus's side (as another Cirrus user would); answers its id.
    pub fn add_tag(&self, client_identifier: &str, name: &str, color: Option<&str>) -> String {
        let now = Utc::now();
        let tag = CirrusTag {
            id: object_id(),
            client_identifier: client_identifier.to_owned(),
            name: name.to_owned(),
            color: color.map(str::to_owned),
            created_at: now,
            updated_at: now,
        };
        let id = tag.id.clone();
        self.state.cirrus().tags.push(tag);
        id
    }

    /// Renames a tag on Cirrus's side.
    pub fn rename_tag(&self, id: &str, name: &str) -> bool {
        let mut s = self.state.cirrus();
        match s.tags.iter_mut().find(|t| t.id == id) {
            Some(t) => {
                t.name = name.to_owned();
                t.updated_at = Utc::now();
                true
            }
            None => false,
        }
    }

    /// Creates an individual WhatsApp contact on Cirrus's side; answers its id.
    pub fn add_contact(
        &self,
        client_identifier: &str,
        channel_id: &str,
        number: &str,
        name: &str,
        tag_ids: &[&str],
    ) -> String {
        let now = Utc::now();
        let contact = CirrusContact {
            id: object_id(),
            client_identifier: client_identifier.to_owned(),
            channel_id: channel_id.to_owned(),
            contact_identifier: number.to_owned(),
            name: name.to_owned(),
            custom_name: None,
            kind: "individual".into(),
            channel_type: "whatsapp".into(),
            photo: None,
            tag_ids: tag_ids.iter().map(|t| (*t).to_owned()).collect(),
            platform: None,
            is_ignored: false,
            created_at: now,
            updated_at: now,
        };
        let id = contact.id.clone();
        self.state.cirrus().contacts.push(contact);
        id
    }

    /// Changes a contact on Cirrus's side (as an agent in Cirrus's own app would).
    pub fn edit_contact(&self, id: &str, edit: &ContactEdit) -> Option<CirrusContact> {
        let mut s = self.state.cirrus();
        let c = s.contacts.iter_mut().find(|c| c.id == id)?;
        if let Some(name) = &edit.name {
            c.name = name.clone();
        }
        if let Some(custom) = &edit.custom_name {
            c.custom_name = Some(custom.clone()).filter(|n| !n.is_empty());
        }
        if let Some(tags) = &edit.tag_ids {
            c.tag_ids = tags.clone();
        }
        c.updated_at = Utc::now();
        Some(c.clone())
    }

    /// Ends a session: sends through it then answer 410.
    pub fn close_session(&self, id: &str) -> bool {
        let mut s = self.state.cirrus();
        match s.sessions.iter_mut().find(|x| x.id == id) {
            Some(x) => {
                x.open = false;
                true
            }
            None => false,
        }
    }

    /// Posts a customer message to the callback URL. Unless `without_session`, it goes through
    /// the number's open session (one is opened if none is).
    pub async fn fire(&self, inbound: CirrusInbound) -> Result<FireResult, SimError> {
        let url = self.require_callback()?;
        let mut inbound = inbound;
        let number = inbound.number.clone().unwrap_or_else(sample::phone_number);
        inbound.number = Some(number.clone());
        let session = if inbound.without_session || inbound.group_id.is_some() {
            None
        } else {
            let service = inbound.service.clone().unwrap_or_else(|| "whatsappweb".into());
            Some(self.state.cirrus().open_session_for(&number, &service))
        };
        webhook::fire(&self.state, PROVIDER, url, inbound.payload(session.as_deref())).await
    }

    /// Posts `body` as is (JSON or not) to the callback URL.
    pub async fn fire_raw(&self, body: impl Into<String>) -> Result<FireResult, SimError> {
        webhook::fire_raw(&self.state, PROVIDER, self.require_callback()?, body.into()).await
    }

    fn require_callback(&self) -> Result<String, SimError> {
        self.callback_url().ok_or(SimError::NoCallback { provider: PROVIDER })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_look_like_mongo_ids() {
        let id = object_id();
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(id, object_id());
    }

    #[test]
    fn inbound_payload_shapes() {
        let text = CirrusInbound::text("5521988887777", "Oi").with_name("João").payload(Some("s1"));
        assert_eq!(text["event"], "message.received");
        assert_eq!(text["data"]["sessionId"], "s1");
        assert_eq!(text["data"]["contact"]["number"], "5521988887777");
        assert_eq!(text["data"]["text"], "Oi");
        assert_eq!(text["data"]["isGroup"], false);
        let group = CirrusInbound::group("grupo123", "Equipe", "5521988887777", "Olá grupo").payload(None);
        assert_eq!(group["data"]["group"]["id"], "grupo123");
        assert!(group["data"].get("sessionId").is_none());
        let media = CirrusInbound::media("5521", "https://exemplo.com/imagem.jpg").quoting("m1").payload(None);
        assert_eq!(media["data"]["mediaUri"], "https://exemplo.com/imagem.jpg");
        assert_eq!(media["data"]["quotedMessage"]["messageId"], "m1");
    }

    #[test]
    fn failures_are_consumed_per_operation() {
        let mut s = CirrusState::default();
        s.failures.push(CirrusFailure {
            operation: Some("tags.create".into()),
            count: 1,
            status: 422,
            message: "no".into(),
        });
        assert_eq!(s.take_failure("tags.get"), None);
        assert_eq!(s.take_failure("tags.create"), Some((422, "no".into())));
        assert_eq!(s.take_failure("tags.create"), None);
    }
}
