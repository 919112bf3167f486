//! Wegly's chats and messages as the simulator keeps them, and their JSON as the API shows it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{DEFAULT_DISPLAY_NUMBER, DEFAULT_PHONE_ID, DEFAULT_RAW_NUMBER, META_PHONE_NUMBER_ID};
use crate::sample;

/// The 24-hour customer service window.
pub const WINDOW: Duration = Duration::hours(24);

/// A Wegly user (agent) chats can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimUser {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub avatar: Option<String>,
}

impl SimUser {
    pub(crate) fn json(&self) -> Value {
        json!({ "id": self.id, "name": self.name, "avatar": self.avatar })
    }

    fn agent_json(&self) -> Value {
        // The agent record has its own id; the simulator derives it from the user's.
        json!({ "id": agent_id(&self.id), "user": self.json() })
    }
}

fn agent_id(user_id: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("agent:{user_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reaction {
    pub id: String,
    pub emoji: String,
    /// `CONTACT` (the customer) or `USER` (someone on the business side).
    pub actor: String,
    pub reactor_wa_id: Option<String>,
    pub reactor_user_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Reaction {
    pub fn json(&self) -> Value {
        json!({
            "id": self.id,
            "emoji": self.emoji,
            "actor": self.actor,
            "reactor_wa_id": self.reactor_wa_id,
            "reactor_user_id": self.reactor_user_id,
            "created_at": iso(self.created_at),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Msg {
    pub id: String,
    pub wamid: Option<String>,
    /// text, template, image, video, audio, document, sticker, interactive, location.
    pub kind: String,
    pub inbound: bool,
    /// CONTACT, API (sent through the integration) or WEB (Wegly's own app).
    pub sent_via: String,
    pub status: String,
    pub body_text: Option<String>,
    pub content_payload: Value,
    pub media: Option<Value>,
    pub quoted: Option<Value>,
    pub reactions: Vec<Reaction>,
    pub created_at: DateTime<Utc>,
    pub user: Option<SimUser>,
    pub is_history: bool,
    pub error: Option<Value>,
}

impl Msg {
    pub fn new(kind: &str, inbound: bool, wa_contact_id: &str, at: DateTime<Utc>) -> Msg {
        Msg {
            id: uuid::Uuid::new_v4().to_string(),
            wamid: Some(wamid(wa_contact_id)),
            kind: kind.to_owned(),
            inbound,
            sent_via: if inbound { "CONTACT" } else { "API" }.to_owned(),
            status: if inbound { "received" } else { "sent" }.to_owned(),
            body_text: None,
            content_payload: json!({}),
            media: None,
            quoted: None,
            reactions: Vec::new(),
            created_at: at,
            user: None,
            is_history: false,
            error: None,
        }
    }

    /// The message object, as every route and webhook shows it.
    pub fn json(&self, chat_id: &str) -> Value {
        json!({
            "id": self.id,
            "chat_id": chat_id,
            "wamid": self.wamid,
            "type": self.kind,
            "origin": if self.inbound { "INBOUND" } else { "OUTBOUND" },
            "from_me": !self.inbound,
            "sent_via": self.sent_via,
            "status": self.status,
            "body_text": self.body_text,
            "content_payload": self.content_payload,
            "media": self.media,
            "quoted_message": self.quoted,
            "reactions": self.reactions.iter().map(Reaction::json).collect::<Vec<_>>(),
            "meta_timestamp": self.created_at.timestamp().to_string(),
            "created_at": iso(self.created_at),
            "is_history": self.is_history,
            "history_phase": null,
            "history_chunk_order": null,
            "history_progress": null,
            "is_media_placeholder": false,
            "error": self.error,
            "agent": self.user.as_ref().map(SimUser::agent_json),
            "user": self.user.as_ref().map(SimUser::json),
            "crm_marketing_lead_source": [],
        })
    }

    /// The message as the send answer shows it: still `processing`, no WhatsApp id yet.
    pub fn json_processing(&self, chat_id: &str) -> Value {
        let mut v = self.json(chat_id);
        v["status"] = json!("processing");
        v["wamid"] = Value::Null;
        v
    }

    /// What a reply's `quoted_message` shows of this message.
    pub fn quote(&self) -> Value {
        json!({ "id": self.id, "wamid": self.wamid, "type": self.kind, "body_text": self.body_text })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Chat {
    pub id: String,
    pub wa_contact_id: String,
    pub contact_name: Option<String>,
    /// OPEN, RESOLVED, SNOOZED.
    pub status: String,
    pub priority: u8,
    pub unread_count: i64,
    pub assigned: Option<SimUser>,
    pub last_customer_msg_at: Option<DateTime<Utc>>,
    pub messages: Vec<Msg>,
}

impl Chat {
    pub fn new(wa_contact_id: &str, contact_name: Option<String>) -> Chat {
        Chat {
            id: uuid::Uuid::new_v4().to_string(),
            wa_contact_id: wa_contact_id.to_owned(),
            contact_name,
            status: "OPEN".into(),
            priority: 1,
            unread_count: 0,
            assigned: None,
            last_customer_msg_at: None,
            messages: Vec::new(),
        }
    }

    pub fn session_expires_at(&self) -> Option<DateTime<Utc>> {
        self.last_customer_msg_at.map(|t| t + WINDOW)
    }

    pub fn window_open(&self, now: DateTime<Utc>) -> bool {
        self.session_expires_at().is_some_and(|end| end > now)
    }

    pub fn message(&self, id: &str) -> Option<&Msg> {
        self.messages.iter().find(|m| m.id == id)
    }

    pub fn message_mut(&mut self, id: &str) -> Option<&mut Msg> {
        self.messages.iter_mut().find(|m| m.id == id)
    }

    /// Adds a message, keeping the chat's counters and window right.
    pub fn push(&mut self, msg: Msg) {
        if msg.inbound {
            self.unread_count += 1;
            self.status = "OPEN".into();
            if self.last_customer_msg_at.is_none_or(|t| t < msg.created_at) {
                self.last_customer_msg_at = Some(msg.created_at);
            }
        }
        self.messages.push(msg);
        self.messages.sort_by_key(|m| m.created_at);
    }

    fn last_message(&self) -> Option<&Msg> {
        self.messages.iter().max_by_key(|m| m.created_at)
    }

    /// The chat object. `detailed` adds what `GET /chats/{id}` adds to the create answer.
    pub fn json(&self, detailed: bool) -> Value {
        let mut phone = json!({ "id": DEFAULT_PHONE_ID, "display_number": DEFAULT_DISPLAY_NUMBER });
        if detailed {
            phone["raw_number"] = json!(DEFAULT_RAW_NUMBER);
            phone["phone_number_id"] = json!(META_PHONE_NUMBER_ID);
        }
        let last = self.last_message();
        let mut chat = json!({
            "id": self.id,
            "wa_contact_id": self.wa_contact_id,
            "contact_name": self.contact_name.clone().unwrap_or_else(|| self.wa_contact_id.clone()),
            "contact_number": self.wa_contact_id,
            "status": self.status,
            "chat_type": "INDIVIDUAL",
            "unread_count": self.unread_count,
            "is_manually_unread": false,
            "priority": self.priority,
            "archived_at": null,
            "assigned_agent_id": self.assigned.as_ref().map(|u| agent_id(&u.id)),
            "phone_number": phone,
            "assigned_agent": self.assigned.as_ref().map(|u| json!({ "agent_id": agent_id(&u.id), "user": u.json() })),
            "last_message_at": last.map(|m| iso(m.created_at)),
            "last_message": last.map(|m| m.json(&self.id)),
            "crm_person": null,
        });
        if detailed {
            chat["last_customer_msg_at"] = json!(self.last_customer_msg_at.map(iso));
            chat["session_expires_at"] = json!(self.session_expires_at().map(iso));
        }
        chat
    }
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A WhatsApp Cloud API-like message id: `wamid.` + base64 of a protobuf naming the contact.
pub(crate) fn wamid(wa_contact_id: &str) -> String {
    use base64::Engine as _;
    let contact = base64::engine::general_purpose::STANDARD_NO_PAD.encode(wa_contact_id);
    format!("wamid.HBgN{contact}FQIAERgS{}", sample::message_suffix())
}
