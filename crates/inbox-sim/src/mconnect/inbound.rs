//! Inbound webhook events: what mConnect POSTs to the registered `web_hook`.
//!
//! [`Inbound`] describes an event loosely (anything left `None` gets a
//! realistic default); [`Inbound::resolve`] turns it into a complete
//! [`InboundMessage`], whose [`InboundMessage::payload`] is exactly one of the
//! four documented shapes.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::media;
use crate::sample;

/// The four documented webhook events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundKind {
    /// A customer's text message.
    Text,
    /// A customer's image (no caption).
    Media,
    /// A text in a group.
    GroupText,
    /// An image in a group (`sender` is `null`).
    GroupMedia,
}

impl InboundKind {
    #[must_use]
    pub fn is_group(self) -> bool {
        matches!(self, Self::GroupText | Self::GroupMedia)
    }
}

/// An inbound event to simulate. Only `kind` and `number` are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    pub kind: InboundKind,
    /// Our WhatsApp number (the payload's `to`), whose webhook receives it.
    pub number: String,
    /// Customer number. For group events, used as the group id when
    /// `group_id` is absent.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub sender_name: Option<String>,
    /// `chat_msg` of text events (ignored for media).
    #[serde(default)]
    pub text: Option<String>,
    /// `image` of media events.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Group id like `6582986675-1502710128` (group events).
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub group_icon: Option<String>,
    /// Full message id; default `false_<from>@c.us_<hex>` / `false_<group>@g.us_<hex>`.
    #[serde(default)]
    pub message_id: Option<String>,
    /// Profile picture URL (`sender`) of individual events.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Unix seconds; default now.
    #[serde(default)]
    pub time: Option<i64>,
}

impl Inbound {
    /// An event of `kind` for our number `number`, everything else defaulted.
    pub fn new(kind: InboundKind, number: impl Into<String>) -> Self {
        Self {
            kind,
            number: number.into(),
            from: None,
            sender_name: None,
            text: None,
            image_url: None,
            group_id: None,
            group_name: None,
            group_icon: None,
            message_id: None,
            avatar_url: None,
            time: None,
        }
    }

    pub fn text(number: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(InboundKind::Text, number).with_text(text)
    }

    pub fn media(number: impl Into<String>) -> Self {
        Self::new(InboundKind::Media, number)
    }

    pub fn group_text(number: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(InboundKind::GroupText, number).with_text(text)
    }

    pub fn group_media(number: impl Into<String>) -> Self {
        Self::new(InboundKind::GroupMedia, number)
    }

    #[must_use]
    pub fn with_from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }

    #[must_use]
    pub fn with_sender_name(mut self, name: impl Into<String>) -> Self {
        self.sender_name = Some(name.into());
        self
    }

    #[must_use]
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    #[must_use]
    pub fn with_image_url(mut self, url: impl Into<String>) -> Self {
        self.image_url = Some(url.into());
        self
    }

    #[must_use]
    pub fn with_group(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.group_id = Some(id.into());
        self.group_name = Some(name.into());
        self
    }

    #[must_use]
    pub fn with_message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    #[must_use]
    pub fn with_time(mut self, unix_seconds: i64) -> Self {
        self.time = Some(unix_seconds);
        self
    }

    /// Fill every missing field. Generated avatar and image URLs point at the
    /// simulator's `/media` routes under `base_url`.
    pub fn resolve(&self, base_url: &str) -> InboundMessage {
        let base_url = base_url.trim_end_matches('/');
        let media_url = |path: String| format!("{base_url}{path}");
        let kind = self.kind;

        let from =
            if kind.is_group() { self.group_id.clone().or_else(|| self.from.clone()) } else { self.from.clone() };
        let from = from.unwrap_or_else(|| if kind.is_group() { sample::group_id() } else { sample::phone_number() });
        let message_id = self.message_id.clone().unwrap_or_else(|| {
            let server = if kind.is_group() { "g.us" } else { "c.us" };
            format!("false_{from}@{server}_{}", sample::message_suffix())
        });

        InboundMessage {
            kind,
            to: self.number.clone(),
            text: self.text.clone().unwrap_or_else(sample::customer_message),
            time: self.time.unwrap_or_else(|| chrono::Utc::now().timestamp()),
            sender_name: self.sender_name.clone().unwrap_or_else(sample::customer_name),
            message_id,
            sender_avatar: self
                .avatar_url
                .clone()
                .unwrap_or_else(|| media_url(media::avatar_path(sample::media_variant()))),
            image_url: self.image_url.clone().unwrap_or_else(|| media_url(media::image_path(sample::media_variant()))),
            group_icon: self
                .group_icon
                .clone()
                .unwrap_or_else(|| media_url(media::avatar_path(sample::media_variant()))),
            group_name: self.group_name.clone().unwrap_or_else(sample::group_name),
            from,
        }
    }
}

/// A fully specified inbound event. Fields a kind does not carry are ignored
/// by [`InboundMessage::payload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    pub kind: InboundKind,
    /// Customer number, or group id for group events.
    pub from: String,
    /// Our number.
    pub to: String,
    pub text: String,
    /// Unix seconds (sent as a string).
    pub time: i64,
    pub sender_name: String,
    pub message_id: String,
    pub sender_avatar: String,
    pub image_url: String,
    pub group_icon: String,
    pub group_name: String,
}

impl InboundMessage {
    /// The webhook body, in the documented shape for this kind.
    pub fn payload(&self) -> Value {
        match self.kind {
            InboundKind::Text => text_payload(self),
            InboundKind::Media => media_payload(self),
            InboundKind::GroupText => group_text_payload(self),
            InboundKind::GroupMedia => group_media_payload(self),
        }
    }
}

/// "Recieve a new text Message".
pub fn text_payload(m: &InboundMessage) -> Value {
    json!({
        "from": m.from,
        "to": m.to,
        "chat_msg": m.text,
        "chat_status": 1,
        "time": m.time.to_string(),
        "sender_name": m.sender_name,
        "message_id": m.message_id,
        "sender": m.sender_avatar,
    })
}

/// "Recieve a new Media Message".
pub fn media_payload(m: &InboundMessage) -> Value {
    json!({
        "from": m.from,
        "to": m.to,
        "chat_status": 1,
        "time": m.time.to_string(),
        "sender_name": m.sender_name,
        "message_id": m.message_id,
        "sender": m.sender_avatar,
        "image": m.image_url,
    })
}

/// "Response when you receive a new Group Message".
pub fn group_text_payload(m: &InboundMessage) -> Value {
    json!({
        "from": m.from,
        "to": m.to,
        "chat_msg": m.text,
        "chat_status": 1,
        "time": m.time.to_string(),
        "sender_name": m.sender_name,
        "message_id": m.message_id,
        "group_icon": m.group_icon,
        "group_name": m.group_name,
    })
}

/// "Response when you recieved a new Media in Group" (`sender` is `null`).
pub fn group_media_payload(m: &InboundMessage) -> Value {
    json!({
        "from": m.from,
        "to": m.to,
        "chat_status": 1,
        "time": m.time.to_string(),
        "sender_name": m.sender_name,
        "message_id": m.message_id,
        "sender": null,
        "image": m.image_url,
        "group_icon": m.group_icon,
        "group_name": m.group_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_uses_snake_case_names() {
        let kinds: Vec<InboundKind> =
            serde_json::from_str(r#"["text","media","group_text","group_media"]"#).expect("kinds parse");
        assert_eq!(kinds, [InboundKind::Text, InboundKind::Media, InboundKind::GroupText, InboundKind::GroupMedia]);
    }

    #[test]
    fn inbound_json_needs_only_kind_and_number() {
        let inbound: Inbound = serde_json::from_str(r#"{"kind":"media","number":"5511"}"#).expect("parses");
        assert_eq!(inbound, Inbound::media("5511"));
    }

    #[test]
    fn defaults_are_filled_and_point_at_the_simulator() {
        let m = Inbound::media("5511999990000").resolve("http://127.0.0.1:9/");
        assert!(m.from.starts_with("55"));
        assert!(m.message_id.starts_with(&format!("false_{}@c.us_", m.from)));
        assert!(m.image_url.starts_with("http://127.0.0.1:9/media/image/"));
        assert!(m.sender_avatar.starts_with("http://127.0.0.1:9/media/avatar/"));
        assert!(sample::CUSTOMER_NAMES.contains(&m.sender_name.as_str()));
        assert!(m.time > 1_600_000_000);
    }

    #[test]
    fn group_id_wins_over_from_and_shapes_the_message_id() {
        let m = Inbound::group_text("174", "oi")
            .with_from("5511")
            .with_group("6582986675-1502710128", "cal4care")
            .resolve("http://sim");
        assert_eq!(m.from, "6582986675-1502710128");
        assert!(m.message_id.starts_with("false_6582986675-1502710128@g.us_"));
        assert_eq!(m.text, "oi");
    }

    #[test]
    fn given_fields_are_kept_verbatim() {
        let m = Inbound::text("174", "test")
            .with_from("1420")
            .with_sender_name("Selva")
            .with_message_id("false_1420@c.us_ABC")
            .with_time(1_600_316_758)
            .resolve("http://sim");
        let payload = m.payload();
        assert_eq!(payload["time"], "1600316758");
        assert_eq!(payload["message_id"], "false_1420@c.us_ABC");
        assert_eq!(payload["sender_name"], "Selva");
        assert_eq!(payload["chat_msg"], "test");
    }
}
