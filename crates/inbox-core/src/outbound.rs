//! What an agent may send: a message validated against the conversation's capabilities and the
//! 24-hour window, before it is stored.

use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::{Capability, ConversationKind, MessageKind, Provider, SendMessage};
use crate::{Error, Result, Text};

/// The longest text WhatsApp accepts.
pub const MAX_TEXT_CHARS: usize = 4096;
const MAX_CAPTION_CHARS: usize = 1024;

/// Outside the 24-hour window only templates go out.
pub(crate) fn check_window(caps: &[Capability], target: &ConversationTarget, msg: &OutboundMessage) -> Result<()> {
    if !caps.contains(&Capability::Window24h) || msg.kind == MessageKind::Template {
        return Ok(());
    }
    match target.window_expires_at {
        Some(end) if end < chrono::Utc::now() => Err(Error::NotSupported(text!("outbound.window_closed"))),
        _ => Ok(()),
    }
}

pub(crate) fn validate_outbound(
    provider: Provider,
    caps: &[Capability],
    kind: ConversationKind,
    input: SendMessage,
) -> Result<OutboundMessage> {
    let provider = provider.as_str();
    let need =
        |cap: Capability, refusal: Text| if caps.contains(&cap) { Ok(()) } else { Err(Error::NotSupported(refusal)) };
    if kind == ConversationKind::Group {
        need(Capability::Groups, text!("outbound.cannot_groups", provider = provider))?;
    }
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let reply_to = non_empty(input.reply_to);
    if reply_to.is_some() {
        need(Capability::Reply, text!("outbound.cannot_quote", provider = provider))?;
    }
    let base = OutboundMessage { quoted_message_id: reply_to, ..OutboundMessage::default() };
    match input.kind {
        MessageKind::Text => {
            need(Capability::SendText, text!("outbound.cannot_text", provider = provider))?;
            let body =
                input.body.filter(|b| !b.trim().is_empty()).ok_or_else(|| Error::invalid(text!("outbound.empty")))?;
            if body.chars().count() > MAX_TEXT_CHARS {
                return Err(Error::invalid(text!("outbound.too_long", max = MAX_TEXT_CHARS)));
            }
            Ok(OutboundMessage { kind: MessageKind::Text, body: Some(body), ..base })
        }
        MessageKind::Template => {
            need(Capability::Templates, text!("outbound.cannot_templates", provider = provider))?;
            let t = input.template.ok_or_else(|| Error::invalid(text!("outbound.template_missing")))?;
            if t.name.trim().is_empty() || t.language.trim().is_empty() {
                return Err(Error::invalid(text!("outbound.template_incomplete")));
            }
            let body = Some(format!("[{}]", t.name.trim()));
            let payload = serde_json::json!({ "template": t });
            Ok(OutboundMessage { kind: MessageKind::Template, body, payload: Some(payload), ..base })
        }
        MessageKind::Interactive => {
            need(Capability::Interactive, text!("outbound.cannot_interactive", provider = provider))?;
            let i = input.interactive.ok_or_else(|| Error::invalid(text!("outbound.interactive_missing")))?;
            if i.body.trim().is_empty() {
                return Err(Error::invalid(text!("outbound.interactive_no_text")));
            }
            match (i.buttons.len(), i.sections.len()) {
                (0, 0) => return Err(Error::invalid(text!("outbound.interactive_empty"))),
                (b, 0) if b > 3 => return Err(Error::invalid(text!("outbound.too_many_buttons"))),
                (b, s) if b > 0 && s > 0 => return Err(Error::invalid(text!("outbound.buttons_and_list"))),
                (0, _) if i.list_button.as_deref().is_none_or(|b| b.trim().is_empty()) => {
                    return Err(Error::invalid(text!("outbound.list_button_missing")));
                }
                _ => {}
            }
            let body = Some(i.body.clone());
            let payload = serde_json::json!({ "interactive": i });
            Ok(OutboundMessage { kind: MessageKind::Interactive, body, payload: Some(payload), ..base })
        }
        MessageKind::Location => {
            need(Capability::Location, text!("outbound.cannot_location", provider = provider))?;
            let l = input.location.ok_or_else(|| Error::invalid(text!("outbound.location_missing")))?;
            if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude) {
                return Err(Error::invalid(text!("outbound.location_out_of_range")));
            }
            let body = l.name.clone().or_else(|| l.address.clone());
            let payload = serde_json::json!({ "location": l });
            Ok(OutboundMessage { kind: MessageKind::Location, body, payload: Some(payload), ..base })
        }
        MessageKind::Event | MessageKind::Unrecognised => Err(Error::invalid(text!("outbound.kind_not_sendable"))),
        kind => {
            need(Capability::SendFile, text!("outbound.cannot_files", provider = provider))?;
            // Files from disk: a stored file instead of a URL (checked against the provider's
            // limits in `media.rs`; its URL is made at delivery).
            if let Some(media_id) = non_empty(input.media_id) {
                if non_empty(input.media_url).is_some() {
                    return Err(Error::invalid(text!("media.file_and_url")));
                }
                let caption = non_empty(input.caption);
                if caption.is_some() {
                    need(Capability::Caption, text!("outbound.cannot_caption", provider = provider))?;
                }
                if caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION_CHARS) {
                    return Err(Error::invalid(text!("outbound.caption_too_long", max = MAX_CAPTION_CHARS)));
                }
                return Ok(OutboundMessage { kind, caption, media_id: Some(media_id), ..base });
            }
            let url = non_empty(input.media_url).ok_or_else(|| Error::invalid(text!("outbound.file_url_missing")))?;
            let parsed = reqwest::Url::parse(&url).map_err(|_| Error::invalid(text!("outbound.file_url_invalid")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::invalid(text!("outbound.file_url_scheme")));
            }
            let caption = non_empty(input.caption);
            if caption.is_some() {
                need(Capability::Caption, text!("outbound.cannot_caption", provider = provider))?;
            }
            if caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION_CHARS) {
                return Err(Error::invalid(text!("outbound.caption_too_long", max = MAX_CAPTION_CHARS)));
            }
            let file_name = non_empty(input.file_name).or_else(|| {
                parsed.path_segments().and_then(|mut s| s.next_back()).filter(|s| !s.is_empty()).map(str::to_owned)
            });
            Ok(OutboundMessage { kind, media_url: Some(url), caption, file_name, ..base })
        }
    }
}
