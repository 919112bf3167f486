//! Wegly external integrations API.
//!
//! The API lives under `/wegly` (an account's `base_url` is `{sim}/wegly`, standing for
//! `https://api.wegly.com.br/integrations/external`); see `api.rs` for the routes and their
//! answers. Every call needs `Authorization: Bearer <token>` (401 otherwise); a token may be
//! restricted to an allowed domain, checked against `Origin`/`Referer` (403).
//!
//! Webhooks: once a subscription (URL + secret) is set, [`WeglySim`] fires signed deliveries
//! `{event_key, payload}` with `x-wegly-event` and `x-wegly-signature` (HMAC-SHA256 of the raw
//! body, hex or base64 as the subscription says; a wrong or missing signature on request).
//! Where Wegly's document is silent the shapes are the ones the inbox's client reads (see its
//! module comment): `payload = {chat, message}` for messages, `{chat_id, message}` for statuses,
//! `{chat_id, message_id, reaction, message}` for reactions, `{chat}` for chat changes.
//!
//! Control routes are under `/_sim/wegly` (see `control.rs`).

mod api;
mod control;
mod store;

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::SimError;
use crate::sample;
use crate::state::SimState;
use crate::webhook;

pub(crate) use api::routes;
pub(crate) use control::routes as control_routes;
pub use store::SimUser;
use store::{Chat, Msg, Reaction, iso};

/// Provider name used in [`crate::Recorded::provider`].
pub const PROVIDER: &str = "wegly";
/// Where the API is mounted on the simulator.
pub const PREFIX: &str = "/wegly";
/// The token the simulator accepts from the start.
pub const DEFAULT_TOKEN: &str = "wegly-sim-token-7f3a9c";
/// The one WhatsApp number chats are opened from (the document's example id).
pub const DEFAULT_PHONE_ID: &str = "0b28ee57-7a57-4407-a9c5-5cd4e5a5fd6c";
pub const DEFAULT_DISPLAY_NUMBER: &str = "+55 11 4003-1234";
pub const DEFAULT_RAW_NUMBER: &str = "551140031234";
/// Meta's id of that number.
pub const META_PHONE_NUMBER_ID: &str = "109876543210987";

/// How a delivery is signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signing {
    /// Lower-case hex HMAC-SHA256.
    #[default]
    Hex,
    HexUpper,
    /// Standard base64 (padded).
    Base64,
    /// URL-safe base64 without padding.
    Base64Url,
    /// Signed with another secret.
    WrongSecret,
    /// No `x-wegly-signature` header.
    Missing,
}

/// Where deliveries go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub url: String,
    pub secret: String,
    #[serde(default)]
    pub signing: Signing,
}

#[derive(Debug, Clone)]
struct Injected {
    status: u16,
    message: String,
}

#[derive(Debug, Clone)]
struct Delivery {
    event_key: String,
    body: String,
    signature: Option<String>,
}

/// Wegly's mutable simulator state.
#[derive(Debug)]
pub(crate) struct WeglyState {
    tokens: BTreeSet<String>,
    allowed_domain: Option<String>,
    users: Vec<SimUser>,
    chats: Vec<Chat>,
    subscription: Option<Subscription>,
    failures: VecDeque<Injected>,
    /// Fire `chat.message_sent` for every message sent through the API.
    auto_events: bool,
    last_delivery: Option<Delivery>,
    /// Deliveries made (whatever the receiver answered).
    delivered: u64,
}

impl Default for WeglyState {
    fn default() -> Self {
        let user = |id: &str, name: &str| SimUser { id: id.into(), name: name.into(), avatar: None };
        WeglyState {
            tokens: BTreeSet::from([DEFAULT_TOKEN.to_owned()]),
            allowed_domain: None,
            users: vec![
                user("6f1c2b9e-4a55-4c1e-9d0a-3b7e2f8a1c01", "Beatriz Ramos"),
                user("6f1c2b9e-4a55-4c1e-9d0a-3b7e2f8a1c02", "Caio Nunes"),
                user("6f1c2b9e-4a55-4c1e-9d0a-3b7e2f8a1c03", "Débora Lins"),
            ],
            chats: Vec::new(),
            subscription: None,
            failures: VecDeque::new(),
            auto_events: false,
            last_delivery: None,
            delivered: 0,
        }
    }
}

impl WeglyState {
    pub(crate) fn chat(&self, id: &str) -> Option<&Chat> {
        self.chats.iter().find(|c| c.id == id)
    }

    pub(crate) fn chat_mut(&mut self, id: &str) -> Option<&mut Chat> {
        self.chats.iter_mut().find(|c| c.id == id)
    }

    fn user(&self, id: &str) -> Option<SimUser> {
        self.users.iter().find(|u| u.id == id).cloned()
    }
}

/// What the simulator shows of its Wegly settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeglySettings {
    pub allowed_domain: Option<String>,
    pub auto_events: bool,
    /// The subscription's URL, origin only (it carries the receiver's secret).
    pub webhook: Option<String>,
    pub signing: Option<Signing>,
    pub pending_failures: usize,
    pub chats: usize,
    /// Webhook deliveries made so far (automatic ones included).
    pub delivered: u64,
}

/// A customer's message to simulate. Only what matters needs setting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerMessage {
    /// An existing chat; `None` opens (or reuses) the chat of `wa_contact_id`.
    #[serde(default)]
    pub chat_id: Option<String>,
    #[serde(default)]
    pub wa_contact_id: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    /// The text (or a media's caption). Defaults to a sample message for a text.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub media: Option<MediaSpec>,
    /// The quoted message (Wegly's message id).
    #[serde(default)]
    pub quoted_message_id: Option<String>,
    /// When the customer sent it (default now); an old time leaves the 24-hour window closed.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaSpec {
    /// image, video, audio, document, sticker.
    pub kind: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub mime_type: Option<String>,
}

/// An event to fire at the subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WeglyEvent {
    /// `chat.message_received`: a customer's message.
    MessageReceived(CustomerMessage),
    /// `chat.message_sent`: the echo of an existing outbound message (`message_id`), or a new
    /// one an agent wrote in Wegly's app (`text`).
    MessageSent {
        chat_id: String,
        #[serde(default)]
        message_id: Option<String>,
        #[serde(default)]
        text: Option<String>,
    },
    /// `chat.message_status_updated`. The simulator stores and sends whatever it is told, in
    /// any order.
    Status {
        chat_id: String,
        message_id: String,
        status: String,
        #[serde(default)]
        error: Option<String>,
    },
    /// `chat.message_reaction`: `emoji` `None` removes the reactor's reaction.
    Reaction {
        chat_id: String,
        message_id: String,
        #[serde(default)]
        emoji: Option<String>,
        /// CONTACT (default) or USER.
        #[serde(default)]
        actor: Option<String>,
    },
    /// `chat.updated`: status, priority or the responsible user changed in Wegly's app.
    ChatUpdated {
        chat_id: String,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        priority: Option<u8>,
        #[serde(default)]
        user_id: Option<String>,
    },
    /// A CRM event (`lead.created`, `deal.stage_changed`, ...), about no chat.
    Business {
        event_key: String,
        #[serde(default)]
        name: Option<String>,
    },
}

/// One delivery's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeglyFire {
    pub event_key: String,
    /// The receiver's HTTP status.
    pub status: u16,
    pub payload: Value,
    pub response: String,
    /// The chat and message the event is about, when it is about one.
    pub chat_id: Option<String>,
    pub message_id: Option<String>,
}

/// Handle on the Wegly part of a running simulator. Cheap to clone.
#[derive(Clone)]
pub struct WeglySim {
    state: SimState,
}

impl WeglySim {
    pub fn new(state: SimState) -> Self {
        Self { state }
    }

    /// The account `base_url` that reaches this simulator.
    pub fn base_url(&self) -> String {
        format!("{}{PREFIX}", self.state.base_url())
    }

    pub fn add_token(&self, token: impl Into<String>) {
        self.state.wegly().tokens.insert(token.into());
    }

    /// Restrict every token to a domain (checked against `Origin`/`Referer`); `None` lifts it.
    pub fn set_allowed_domain(&self, domain: Option<String>) {
        self.state.wegly().allowed_domain = domain;
    }

    pub fn users(&self) -> Vec<SimUser> {
        self.state.wegly().users.clone()
    }

    /// Where deliveries go, with which secret and signature encoding.
    pub fn subscribe(&self, url: impl Into<String>, secret: impl Into<String>, signing: Signing) {
        self.state.wegly().subscription = Some(Subscription { url: url.into(), secret: secret.into(), signing });
    }

    pub fn unsubscribe(&self) {
        self.state.wegly().subscription = None;
    }

    /// The next API call (after authentication) answers `status` with `{statusCode, message}`.
    /// Several calls queue up.
    pub fn fail_next(&self, status: u16, message: impl Into<String>) {
        self.state.wegly().failures.push_back(Injected { status, message: message.into() });
    }

    /// Fire `chat.message_sent` for every message sent through the API, as Wegly does.
    pub fn set_auto_events(&self, on: bool) {
        self.state.wegly().auto_events = on;
    }

    pub fn settings(&self) -> WeglySettings {
        let w = self.state.wegly();
        WeglySettings {
            allowed_domain: w.allowed_domain.clone(),
            auto_events: w.auto_events,
            webhook: w.subscription.as_ref().map(|s| crate::redact_url(&s.url)),
            signing: w.subscription.as_ref().map(|s| s.signing),
            pending_failures: w.failures.len(),
            chats: w.chats.len(),
            delivered: w.delivered,
        }
    }

    /// Opens a chat directly (as if it existed before), with `history` earlier messages
    /// alternating customer and agent, the last customer one at `last_customer_msg_at`.
    pub fn seed_chat(
        &self,
        wa_contact_id: &str,
        contact_name: Option<&str>,
        history: usize,
        last_customer_msg_at: Option<DateTime<Utc>>,
    ) -> String {
        let mut chat = Chat::new(wa_contact_id, contact_name.map(str::to_owned));
        let end = last_customer_msg_at.unwrap_or_else(Utc::now);
        for i in 0..history {
            // Oldest first, 10 minutes apart, ending with a customer message at `end`.
            let at = end - Duration::minutes(10 * (history - 1 - i) as i64);
            let inbound = (history - 1 - i).is_multiple_of(2);
            let mut m = Msg::new("text", inbound, wa_contact_id, at);
            m.body_text = Some(if inbound { sample::customer_message() } else { format!("Resposta {}", i + 1) });
            m.is_history = true;
            if !inbound {
                m.status = "read".into();
            }
            chat.push(m);
        }
        chat.unread_count = 0;
        let id = chat.id.clone();
        self.state.wegly().chats.push(chat);
        id
    }

    /// Moves the chat's last customer message back in time (the window closes when it is more
    /// than 24 hours ago).
    pub fn set_last_customer_msg_at(&self, chat_id: &str, at: Option<DateTime<Utc>>) -> bool {
        match self.state.wegly().chat_mut(chat_id) {
            Some(chat) => {
                chat.last_customer_msg_at = at;
                true
            }
            None => false,
        }
    }

    /// Changes a chat as someone in Wegly's app would, firing nothing (as if the webhook was lost).
    pub fn set_chat(
        &self,
        chat_id: &str,
        status: Option<&str>,
        priority: Option<u8>,
        user_id: Option<&str>,
    ) -> Result<(), SimError> {
        change_chat(&mut self.state.wegly(), chat_id, status, priority, user_id).map(|_| ())
    }

    /// The chat object as `GET /chats/{id}` shows it.
    pub fn chat(&self, chat_id: &str) -> Option<Value> {
        self.state.wegly().chat(chat_id).map(|c| c.json(true))
    }

    /// A chat's messages, oldest first, as the timeline shows them.
    pub fn messages(&self, chat_id: &str) -> Vec<Value> {
        self.state.wegly().chat(chat_id).map(|c| c.messages.iter().map(|m| m.json(&c.id)).collect()).unwrap_or_default()
    }

    /// Adds a chat under an id the client already holds (one Wegly opened before this simulator
    /// started), with the customer's last message at `last_customer_msg_at` (the window follows
    /// it). Does nothing when the id or the contact already has a chat. Answers whether it was
    /// added.
    pub fn restore_chat(
        &self,
        chat_id: &str,
        wa_contact_id: &str,
        contact_name: Option<&str>,
        last_customer_msg_at: Option<DateTime<Utc>>,
    ) -> bool {
        let mut w = self.state.wegly();
        if w.chats.iter().any(|c| c.id == chat_id || c.wa_contact_id == wa_contact_id) {
            return false;
        }
        let mut chat = Chat::new(wa_contact_id, contact_name.map(str::to_owned));
        chat.id = chat_id.to_owned();
        chat.last_customer_msg_at = last_customer_msg_at;
        w.chats.push(chat);
        true
    }

    /// The id of the chat of a contact, if any.
    pub fn chat_of(&self, wa_contact_id: &str) -> Option<String> {
        self.state.wegly().chats.iter().find(|c| c.wa_contact_id == wa_contact_id).map(|c| c.id.clone())
    }

    /// Fires an event, signed as the subscription says.
    pub async fn fire(&self, event: WeglyEvent) -> Result<WeglyFire, SimError> {
        self.fire_signed(event, None).await
    }

    /// Fires an event, signed as `signing` says (or the subscription's way).
    pub async fn fire_signed(&self, event: WeglyEvent, signing: Option<Signing>) -> Result<WeglyFire, SimError> {
        let (event_key, payload, chat_id, message_id) = self.apply(event)?;
        self.deliver(event_key, payload, signing, chat_id, message_id).await
    }

    /// Posts the last delivery again, byte for byte and with the same signature (a retry).
    pub async fn redeliver(&self) -> Result<WeglyFire, SimError> {
        let (last, url) = {
            let w = self.state.wegly();
            let last = w
                .last_delivery
                .clone()
                .ok_or_else(|| SimError::Unknown { what: "delivery".into(), id: "(nothing delivered yet)".into() })?;
            let url = w.subscription.as_ref().map(|s| s.url.clone()).ok_or_else(no_subscription)?;
            (last, url)
        };
        let (status, response) = self.post(&url, &last).await?;
        let payload = serde_json::from_str::<Value>(&last.body).map(|v| v["payload"].clone()).unwrap_or(Value::Null);
        Ok(WeglyFire { event_key: last.event_key, status, payload, response, chat_id: None, message_id: None })
    }

    /// Applies an event to the simulated chats; answers what to deliver.
    #[allow(clippy::type_complexity)]
    fn apply(&self, event: WeglyEvent) -> Result<(String, Value, Option<String>, Option<String>), SimError> {
        let mut w = self.state.wegly();
        let unknown = |what: &str, id: &str| SimError::Unknown { what: what.to_owned(), id: id.to_owned() };
        Ok(match event {
            WeglyEvent::MessageReceived(c) => {
                let at = c.at.unwrap_or_else(Utc::now);
                let chat_index = match &c.chat_id {
                    Some(id) => w.chats.iter().position(|ch| &ch.id == id).ok_or_else(|| unknown("chat", id))?,
                    None => {
                        let wa = c.wa_contact_id.clone().unwrap_or_else(sample::phone_number);
                        match w.chats.iter().position(|ch| ch.wa_contact_id == wa) {
                            Some(i) => i,
                            None => {
                                let name = c.contact_name.clone().or_else(|| Some(sample::customer_name()));
                                w.chats.push(Chat::new(&wa, name));
                                w.chats.len() - 1
                            }
                        }
                    }
                };
                let base_url = self.state.base_url().to_owned();
                let chat = &mut w.chats[chat_index];
                if let Some(name) = &c.contact_name {
                    chat.contact_name = Some(name.clone());
                }
                let quoted = match &c.quoted_message_id {
                    Some(q) => Some(chat.message(q).ok_or_else(|| unknown("message", q))?.quote()),
                    None => None,
                };
                let mut m = match &c.media {
                    Some(media) => {
                        let mut m = Msg::new(&media.kind, true, &chat.wa_contact_id, at);
                        let url = media.url.clone().unwrap_or_else(|| {
                            format!("{base_url}{}", crate::media::image_path(sample::media_variant()))
                        });
                        let file_name = media.file_name.clone().or_else(|| url.rsplit('/').next().map(str::to_owned));
                        m.media = Some(json!({
                            "id": uuid::Uuid::new_v4().to_string(),
                            "mime_type": media.mime_type.clone().unwrap_or_else(|| guess_mime(&media.kind, file_name.as_deref())),
                            "file_name": file_name,
                            "is_downloaded": true,
                            "url": url,
                        }));
                        m.body_text = c.text.clone();
                        m
                    }
                    None => {
                        let mut m = Msg::new("text", true, &chat.wa_contact_id, at);
                        m.body_text = Some(c.text.clone().unwrap_or_else(sample::customer_message));
                        m
                    }
                };
                m.quoted = quoted;
                let message_id = m.id.clone();
                chat.push(m);
                let payload =
                    json!({ "chat": chat.json(true), "message": chat.message(&message_id).map(|m| m.json(&chat.id)) });
                ("chat.message_received".to_owned(), payload, Some(chat.id.clone()), Some(message_id))
            }
            WeglyEvent::MessageSent { chat_id, message_id, text } => {
                let user = w.users.first().cloned();
                let chat = w.chat_mut(&chat_id).ok_or_else(|| unknown("chat", &chat_id))?;
                let id = match message_id {
                    Some(id) => {
                        chat.message(&id).filter(|m| !m.inbound).ok_or_else(|| unknown("outbound message", &id))?;
                        id
                    }
                    None => {
                        let mut m = Msg::new("text", false, &chat.wa_contact_id, Utc::now());
                        m.sent_via = "WEB".into();
                        m.body_text = Some(text.unwrap_or_else(|| "Olá! Como posso ajudar?".into()));
                        m.user = user;
                        let id = m.id.clone();
                        chat.push(m);
                        id
                    }
                };
                let payload =
                    json!({ "chat": chat.json(true), "message": chat.message(&id).map(|m| m.json(&chat.id)) });
                ("chat.message_sent".to_owned(), payload, Some(chat_id), Some(id))
            }
            WeglyEvent::Status { chat_id, message_id, status, error } => {
                let chat = w.chat_mut(&chat_id).ok_or_else(|| unknown("chat", &chat_id))?;
                let m = chat.message_mut(&message_id).ok_or_else(|| unknown("message", &message_id))?;
                m.status = status.clone();
                m.error = error.map(|e| json!({ "code": 131026, "message": e }));
                let payload = json!({ "chat_id": chat_id, "message": {
                    "id": m.id, "chat_id": chat_id, "wamid": m.wamid, "status": m.status, "error": m.error,
                    "updated_at": iso(Utc::now()),
                }});
                ("chat.message_status_updated".to_owned(), payload, Some(chat_id), Some(message_id))
            }
            WeglyEvent::Reaction { chat_id, message_id, emoji, actor } => {
                let actor = actor.unwrap_or_else(|| "CONTACT".into()).to_ascii_uppercase();
                let reactor_user = (actor != "CONTACT").then(|| w.users.first().cloned()).flatten();
                let chat = w.chat_mut(&chat_id).ok_or_else(|| unknown("chat", &chat_id))?;
                let wa = chat.wa_contact_id.clone();
                let m = chat.message_mut(&message_id).ok_or_else(|| unknown("message", &message_id))?;
                let reactor_wa_id = if actor == "CONTACT" { Some(wa) } else { Some(DEFAULT_RAW_NUMBER.to_owned()) };
                // One reaction per reactor: a new one replaces the old, none removes it.
                let before = m.reactions.iter().position(|r| r.actor == actor && r.reactor_wa_id == reactor_wa_id);
                if let Some(i) = before {
                    m.reactions.remove(i);
                }
                let reaction = Reaction {
                    id: uuid::Uuid::new_v4().to_string(),
                    emoji: emoji.clone().unwrap_or_default(),
                    actor,
                    reactor_wa_id,
                    reactor_user_id: reactor_user.map(|u| u.id),
                    created_at: Utc::now(),
                };
                if emoji.as_deref().is_some_and(|e| !e.is_empty()) {
                    m.reactions.push(reaction.clone());
                }
                let mut reaction_json = reaction.json();
                if emoji.is_none() {
                    reaction_json["emoji"] = Value::Null;
                }
                let payload = json!({ "chat_id": chat_id, "message_id": message_id, "reaction": reaction_json,
                                      "message": m.json(&chat_id) });
                ("chat.message_reaction".to_owned(), payload, Some(chat_id), Some(message_id))
            }
            WeglyEvent::ChatUpdated { chat_id, status, priority, user_id } => {
                let chat = change_chat(&mut w, &chat_id, status.as_deref(), priority, user_id.as_deref())?;
                ("chat.updated".to_owned(), json!({ "chat": chat }), Some(chat_id), None)
            }
            WeglyEvent::Business { event_key, name } => {
                let name = name.unwrap_or_else(sample::customer_name);
                let id = uuid::Uuid::new_v4().to_string();
                let payload = if event_key.starts_with("deal.") {
                    json!({ "deal": { "id": id, "title": name, "stage": "Proposta", "value": 1490.0,
                                      "updated_at": iso(Utc::now()) } })
                } else {
                    json!({ "lead": { "id": id, "name": name, "phone": sample::phone_number(), "source": "whatsapp",
                                      "created_at": iso(Utc::now()) } })
                };
                (event_key, payload, None, None)
            }
        })
    }

    async fn deliver(
        &self,
        event_key: String,
        payload: Value,
        signing: Option<Signing>,
        chat_id: Option<String>,
        message_id: Option<String>,
    ) -> Result<WeglyFire, SimError> {
        let subscription = self.state.wegly().subscription.clone().ok_or_else(no_subscription)?;
        let body = json!({ "event_key": event_key, "payload": payload }).to_string();
        let signature = sign(&subscription.secret, body.as_bytes(), signing.unwrap_or(subscription.signing));
        let delivery = Delivery { event_key: event_key.clone(), body, signature };
        let (status, response) = self.post(&subscription.url, &delivery).await?;
        self.state.wegly().last_delivery = Some(delivery);
        Ok(WeglyFire { event_key, status, payload, response, chat_id, message_id })
    }

    async fn post(&self, url: &str, d: &Delivery) -> Result<(u16, String), SimError> {
        let mut headers = vec![("x-wegly-event", d.event_key.as_str())];
        if let Some(sig) = &d.signature {
            headers.push(("x-wegly-signature", sig.as_str()));
        }
        let (status, text) = webhook::post(&self.state, url, &headers, d.body.clone()).await?;
        self.state.wegly().delivered += 1;
        tracing::info!(provider = PROVIDER, event = %d.event_key, url = %crate::redact_url(url), status, "webhook delivered");
        Ok((status, text))
    }

    /// `chat.message_sent` for a message just sent through the API, when auto events are on.
    pub(crate) fn echo_later(&self, chat_id: String, message_id: String) {
        if !self.state.wegly().auto_events {
            return;
        }
        let sim = self.clone();
        tokio::spawn(async move {
            let event = WeglyEvent::MessageSent { chat_id, message_id: Some(message_id), text: None };
            if let Err(error) = sim.fire(event).await {
                tracing::warn!(provider = PROVIDER, %error, "automatic message_sent failed");
            }
        });
    }
}

/// Changes a chat's status, priority or responsible user; answers the chat object.
fn change_chat(
    w: &mut WeglyState,
    chat_id: &str,
    status: Option<&str>,
    priority: Option<u8>,
    user_id: Option<&str>,
) -> Result<Value, SimError> {
    let unknown = |what: &str, id: &str| SimError::Unknown { what: what.to_owned(), id: id.to_owned() };
    let user = match user_id {
        Some(u) => Some(w.user(u).ok_or_else(|| unknown("user", u))?),
        None => None,
    };
    let chat = w.chat_mut(chat_id).ok_or_else(|| unknown("chat", chat_id))?;
    if let Some(s) = status {
        chat.status = s.to_ascii_uppercase();
    }
    if let Some(p) = priority {
        chat.priority = p.min(3);
    }
    if user.is_some() {
        chat.assigned = user;
    }
    Ok(chat.json(true))
}

fn no_subscription() -> SimError {
    SimError::NoWebhook { number: "(no Wegly webhook subscription)".into() }
}

fn guess_mime(kind: &str, file_name: Option<&str>) -> String {
    let ext = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match (kind, ext.as_str()) {
        (_, "svg") => "image/svg+xml",
        (_, "png") => "image/png",
        (_, "pdf") => "application/pdf",
        ("image", _) => "image/jpeg",
        ("video", _) => "video/mp4",
        ("audio", _) => "audio/ogg",
        ("sticker", _) => "image/webp",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// The `x-wegly-signature` value for `body`, or `None` for [`Signing::Missing`].
pub fn sign(secret: &str, body: &[u8], signing: Signing) -> Option<String> {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let key = match signing {
        Signing::WrongSecret => format!("not-{secret}"),
        Signing::Missing => return None,
        _ => secret.to_owned(),
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    let raw: [u8; 32] = mac.finalize().into_bytes().into();
    Some(match signing {
        Signing::HexUpper => hex::encode_upper(raw),
        Signing::Base64 => base64::engine::general_purpose::STANDARD.encode(raw),
        Signing::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw),
        _ => hex::encode(raw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_in_each_encoding_agree() {
        use base64::Engine as _;
        let hex_sig = sign("s", b"{}", Signing::Hex).unwrap();
        let raw = hex::decode(&hex_sig).unwrap();
        assert_eq!(sign("s", b"{}", Signing::HexUpper).unwrap(), hex_sig.to_uppercase());
        assert_eq!(
            base64::engine::general_purpose::STANDARD.decode(sign("s", b"{}", Signing::Base64).unwrap()).unwrap(),
            raw
        );
        assert_eq!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(sign("s", b"{}", Signing::Base64Url).unwrap())
                .unwrap(),
            raw
        );
        assert_ne!(sign("s", b"{}", Signing::WrongSecret).unwrap(), hex_sig);
        assert_eq!(sign("s", b"{}", Signing::Missing), None);
    }

    #[test]
    fn the_window_follows_the_last_customer_message() {
        let mut chat = Chat::new("5511999990000", None);
        assert!(!chat.window_open(Utc::now()));
        let old = Msg::new("text", true, "5511999990000", Utc::now() - Duration::hours(25));
        chat.push(old);
        assert!(!chat.window_open(Utc::now()));
        chat.push(Msg::new("text", true, "5511999990000", Utc::now()));
        assert!(chat.window_open(Utc::now()));
        assert_eq!(chat.unread_count, 2);
        let json = chat.json(true);
        assert!(json["session_expires_at"].is_string());
        assert!(json.get("session_expires_at").is_some() && chat.json(false).get("session_expires_at").is_none());
    }
}
