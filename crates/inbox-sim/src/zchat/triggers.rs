//! The triggers ZChat/Omnize POST to the webhook URL, in both flavours' documented shapes.
//!
//! Interactions flavour (no `external_id`): `{"interaction_hash", "state", "position"?, "extra"}`
//! and the agent's message `{"interaction_hash", "message": {"hash", "content", "type", "url"?},
//! "agent": {"id", "name"}, "extra"}`. WhatsApp flavour: `{"external_id", "interaction_hash",
//! "state", ...}` and the agent's message without a message hash and without `extra`.
//!
//! The documents leave gaps, filled here the way the other flavour does it: the ClientApi has no
//! "transferred" trigger (the WhatsApp one's shape is used, `department_id` as a string), the
//! Whatsapp Api documents neither "queued", "accepted" nor "unavailable" (the ClientApi's are used,
//! with `external_id` added and no `extra`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{SimInteraction, ZchatState, new_hash};

/// A trigger to fire. `external_id` present means the WhatsApp flavour's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// The interaction. WhatsApp flavour: defaults to the customer's open interaction; any
    /// flavour: a fresh hash when none is known.
    #[serde(default)]
    pub interaction_hash: Option<String>,
    /// WhatsApp flavour: the customer's `external_id`.
    #[serde(default)]
    pub external_id: Option<String>,
    pub event: TriggerEvent,
}

/// What happened at the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TriggerEvent {
    Queued {
        position: i64,
    },
    Accepted,
    Unavailable,
    Finished,
    Typing,
    Cleared,
    Transferred {
        department_id: i64,
    },
    AgentMessage {
        content: String,
        /// `text` (default), `image`, `video`, `audio` or `file`.
        #[serde(default, rename = "type")]
        kind: Option<String>,
        #[serde(default)]
        url: Option<String>,
        /// Default "Atendente".
        #[serde(default)]
        agent_name: Option<String>,
        /// Default 111.
        #[serde(default)]
        agent_id: Option<i64>,
        /// Interactions flavour: the message's hash (default a fresh one).
        #[serde(default)]
        hash: Option<String>,
    },
}

impl TriggerEvent {
    /// An agent's text.
    pub fn agent_text(content: impl Into<String>, agent_name: impl Into<String>) -> Self {
        TriggerEvent::AgentMessage {
            content: content.into(),
            kind: Some("text".into()),
            url: None,
            agent_name: Some(agent_name.into()),
            agent_id: None,
            hash: None,
        }
    }

    /// An agent's file: `kind` is `image`, `video`, `audio` or `file`; `content` its text.
    pub fn agent_media(
        kind: impl Into<String>,
        url: impl Into<String>,
        content: impl Into<String>,
        agent_name: impl Into<String>,
    ) -> Self {
        TriggerEvent::AgentMessage {
            content: content.into(),
            kind: Some(kind.into()),
            url: Some(url.into()),
            agent_name: Some(agent_name.into()),
            agent_id: None,
            hash: None,
        }
    }

    fn state(&self) -> Option<&'static str> {
        Some(match self {
            TriggerEvent::Queued { .. } => "queued",
            TriggerEvent::Accepted => "accepted",
            TriggerEvent::Unavailable => "unavailable",
            TriggerEvent::Finished => "finished",
            TriggerEvent::Typing => "typing",
            TriggerEvent::Cleared => "cleared",
            TriggerEvent::Transferred { .. } => "transferred",
            TriggerEvent::AgentMessage { .. } => return None,
        })
    }
}

impl Trigger {
    /// A trigger about an interaction of the interactions flavour.
    pub fn interaction(hash: impl Into<String>, event: TriggerEvent) -> Self {
        Trigger { interaction_hash: Some(hash.into()), external_id: None, event }
    }

    /// A trigger about a WhatsApp-flavour customer (their open interaction).
    pub fn whatsapp(external_id: impl Into<String>, event: TriggerEvent) -> Self {
        Trigger { interaction_hash: None, external_id: Some(external_id.into()), event }
    }

    fn hash(&self, open_by_customer: &BTreeMap<String, String>) -> String {
        self.interaction_hash
            .clone()
            .or_else(|| self.external_id.as_ref().and_then(|e| open_by_customer.get(e).cloned()))
            .unwrap_or_else(new_hash)
    }

    pub(crate) fn payload(
        &self,
        interactions: &BTreeMap<String, SimInteraction>,
        open_by_customer: &BTreeMap<String, String>,
    ) -> Value {
        let hash = self.hash(open_by_customer);
        let mut body = Map::new();
        if let Some(external_id) = &self.external_id {
            body.insert("external_id".into(), json!(external_id));
        }
        body.insert("interaction_hash".into(), json!(hash));
        match &self.event {
            TriggerEvent::AgentMessage { content, kind, url, agent_name, agent_id, hash: message_hash } => {
                let mut message = Map::new();
                if self.external_id.is_none() {
                    message.insert("hash".into(), json!(message_hash.clone().unwrap_or_else(new_hash)));
                }
                message.insert("content".into(), json!(content));
                message.insert("type".into(), json!(kind.as_deref().unwrap_or("text")));
                if let Some(url) = url {
                    message.insert("url".into(), json!(url));
                }
                body.insert("message".into(), Value::Object(message));
                body.insert(
                    "agent".into(),
                    json!({ "id": agent_id.unwrap_or(111), "name": agent_name.as_deref().unwrap_or("Atendente") }),
                );
            }
            event => {
                body.insert("state".into(), json!(event.state()));
                match event {
                    TriggerEvent::Queued { position } => {
                        body.insert("position".into(), json!(position));
                    }
                    TriggerEvent::Transferred { department_id } => {
                        body.insert("department_id".into(), json!(department_id.to_string()));
                    }
                    _ => {}
                }
            }
        }
        if self.external_id.is_none() {
            let extra = interactions.get(&hash).map(|i| i.extra.clone()).filter(Value::is_object);
            body.insert("extra".into(), extra.unwrap_or_else(|| json!({})));
        }
        Value::Object(body)
    }
}

/// The provider's side of a fired trigger: a finished interaction takes no more messages (the
/// WhatsApp flavour's next message opens a new one); a transfer moves it.
pub(crate) fn follow(state: &mut ZchatState, trigger: &Trigger, payload: &Value) {
    let Some(hash) = payload["interaction_hash"].as_str() else { return };
    let Some(interaction) = state.interactions.get_mut(hash) else { return };
    match trigger.event {
        TriggerEvent::Finished => {
            interaction.finished = true;
            if let Some(external_id) = &interaction.external_id
                && state.open_by_customer.get(external_id).map(String::as_str) == Some(hash)
            {
                state.open_by_customer.remove(external_id);
            }
        }
        TriggerEvent::Transferred { department_id } => interaction.department_id = department_id,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::zchat as fx;

    fn doc(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn none() -> BTreeMap<String, SimInteraction> {
        BTreeMap::new()
    }

    const HASH: &str = "322e458c-540c-4c11-ab5c-d38d39f57213";

    #[test]
    fn interactions_triggers_are_the_documented_ones() {
        let open = BTreeMap::new();
        let built = |event| Trigger::interaction(HASH, event).payload(&none(), &open);
        assert_eq!(built(TriggerEvent::Queued { position: 1 }), doc(fx::TRIGGER_QUEUED));
        assert_eq!(built(TriggerEvent::Accepted), doc(fx::TRIGGER_ACCEPTED));
        assert_eq!(built(TriggerEvent::Unavailable), doc(fx::TRIGGER_UNAVAILABLE));
        assert_eq!(built(TriggerEvent::Finished), doc(fx::TRIGGER_FINISHED));
        assert_eq!(built(TriggerEvent::Typing), doc(fx::TRIGGER_TYPING));
        assert_eq!(built(TriggerEvent::Cleared), doc(fx::TRIGGER_CLEARED));
        let message = built(TriggerEvent::AgentMessage {
            content: "Message".into(),
            kind: Some("text".into()),
            url: Some("http://...".into()),
            agent_name: Some("Atendente".into()),
            agent_id: Some(111),
            hash: Some("3110a5da-87c7-4f6d-a4ab-2b1ed5edfd46".into()),
        });
        assert_eq!(message, doc(fx::TRIGGER_AGENT_MESSAGE));
    }

    #[test]
    fn whatsapp_triggers_are_the_documented_ones() {
        let open = BTreeMap::from([("abcd1234".to_owned(), HASH.to_owned())]);
        let built = |event| Trigger::whatsapp("abcd1234", event).payload(&none(), &open);
        assert_eq!(built(TriggerEvent::Finished), doc(fx::WA_TRIGGER_FINISHED));
        assert_eq!(built(TriggerEvent::Typing), doc(fx::WA_TRIGGER_TYPING));
        assert_eq!(built(TriggerEvent::Cleared), doc(fx::WA_TRIGGER_CLEARED));
        assert_eq!(built(TriggerEvent::Transferred { department_id: 1545 }), doc(fx::WA_TRIGGER_TRANSFERRED));
        let message = built(TriggerEvent::AgentMessage {
            content: "Message".into(),
            kind: None,
            url: None,
            agent_name: Some("Agent".into()),
            agent_id: Some(123),
            hash: None,
        });
        assert_eq!(message, doc(fx::WA_TRIGGER_AGENT_MESSAGE));
    }

    #[test]
    fn triggers_deserialize_from_control_json() {
        let t: Trigger = serde_json::from_value(json!({
            "interaction_hash": "h", "event": {"kind": "queued", "position": 3}
        }))
        .unwrap();
        assert_eq!(t, Trigger::interaction("h", TriggerEvent::Queued { position: 3 }));
        let m: Trigger = serde_json::from_value(json!({
            "external_id": "c1", "event": {"kind": "agent_message", "content": "oi", "type": "image", "url": "http://x/y.png"}
        }))
        .unwrap();
        assert!(matches!(m.event, TriggerEvent::AgentMessage { ref kind, .. } if kind.as_deref() == Some("image")));
    }
}
