//! What an agent may send: a message validated against the conversation's capabilities and the
//! 24-hour window, before it is stored.

use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::{Capability, ConversationKind, MessageKind, Provider, SendMessage};
use crate::{Error, Result};

/// The longest text WhatsApp accepts.
pub const MAX_TEXT_CHARS: usize = 4096;
const MAX_CAPTION_CHARS: usize = 1024;

/// Outside the 24-hour window only templates go out.
pub(crate) fn check_window(caps: &[Capability], target: &ConversationTarget, msg: &OutboundMessage) -> Result<()> {
    if !caps.contains(&Capability::Window24h) || msg.kind == MessageKind::Template {
        return Ok(());
    }
    match target.window_expires_at {
        Some(end) if end < chrono::Utc::now() => Err(Error::Unsupported(
            "the 24-hour window has closed: the customer last wrote over a day ago, so only an approved template can be sent"
                .into(),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn validate_outbound(
    provider: Provider,
    caps: &[Capability],
    kind: ConversationKind,
    input: SendMessage,
) -> Result<OutboundMessage> {
    let need = |cap: Capability, what: &str| {
        if caps.contains(&cap) {
            Ok(())
        } else {
            Err(Error::Unsupported(format!("{} cannot {what}", provider.as_str())))
        }
    };
    if kind == ConversationKind::Group {
        need(Capability::Groups, "write to groups")?;
    }
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let reply_to = non_empty(input.reply_to);
    if reply_to.is_some() {
        need(Capability::Reply, "quote messages")?;
    }
    let base = OutboundMessage { quoted_message_id: reply_to, ..OutboundMessage::default() };
    match input.kind {
        MessageKind::Text => {
            need(Capability::SendText, "send text")?;
            let body =
                input.body.filter(|b| !b.trim().is_empty()).ok_or_else(|| Error::invalid("the message is empty"))?;
            if body.chars().count() > MAX_TEXT_CHARS {
                return Err(Error::invalid(format!("the message is longer than {MAX_TEXT_CHARS} characters")));
            }
            Ok(OutboundMessage { kind: MessageKind::Text, body: Some(body), ..base })
        }
        MessageKind::Template => {
            need(Capability::Templates, "send templates")?;
            let t = input.template.ok_or_else(|| Error::invalid("a template message needs `template`"))?;
            if t.name.trim().is_empty() || t.language.trim().is_empty() {
                return Err(Error::invalid("a template needs its name and language"));
            }
            let body = Some(format!("[{}]", t.name.trim()));
            let payload = serde_json::json!({ "template": t });
            Ok(OutboundMessage { kind: MessageKind::Template, body, payload: Some(payload), ..base })
        }
        MessageKind::Interactive => {
            need(Capability::Interactive, "send buttons or lists")?;
            let i = input.interactive.ok_or_else(|| Error::invalid("an interactive message needs `interactive`"))?;
            if i.body.trim().is_empty() {
                return Err(Error::invalid("an interactive message needs its text"));
            }
            match (i.buttons.len(), i.sections.len()) {
                (0, 0) => return Err(Error::invalid("add buttons or list sections")),
                (b, 0) if b > 3 => return Err(Error::invalid("WhatsApp allows at most 3 reply buttons")),
                (b, s) if b > 0 && s > 0 => return Err(Error::invalid("send buttons or a list, not both")),
                (0, _) if i.list_button.as_deref().is_none_or(|b| b.trim().is_empty()) => {
                    return Err(Error::invalid("a list needs the text of the button that opens it"));
                }
                _ => {}
            }
            let body = Some(i.body.clone());
            let payload = serde_json::json!({ "interactive": i });
            Ok(OutboundMessage { kind: MessageKind::Interactive, body, payload: Some(payload), ..base })
        }
        MessageKind::Location => {
            need(Capability::Location, "send locations")?;
            let l = input.location.ok_or_else(|| Error::invalid("a location message needs `location`"))?;
            if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude) {
                return Err(Error::invalid("latitude must be within ±90 and longitude within ±180"));
            }
            let body = l.name.clone().or_else(|| l.address.clone());
            let payload = serde_json::json!({ "location": l });
            Ok(OutboundMessage { kind: MessageKind::Location, body, payload: Some(payload), ..base })
        }
        MessageKind::Event | MessageKind::Unrecognised => Err(Error::invalid("that kind of message cannot be sent")),
        kind => {
            need(Capability::SendFile, "send files")?;
            let url = non_empty(input.media_url).ok_or_else(|| Error::invalid("a file needs its URL"))?;
            let parsed = reqwest::Url::parse(&url).map_err(|_| Error::invalid("the file URL is not a valid URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::invalid("the file URL must start with http:// or https://"));
            }
            let caption = non_empty(input.caption);
            if caption.is_some() {
                need(Capability::Caption, "send a caption with a file")?;
            }
            if caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION_CHARS) {
                return Err(Error::invalid(format!("the caption is longer than {MAX_CAPTION_CHARS} characters")));
            }
            let file_name = non_empty(input.file_name).or_else(|| {
                parsed.path_segments().and_then(|mut s| s.next_back()).filter(|s| !s.is_empty()).map(str::to_owned)
            });
            Ok(OutboundMessage { kind, media_url: Some(url), caption, file_name, ..base })
        }
    }
}
