//! mConnect's requests (one envelope, `element_data.action` picks the operation), its send
//! answers, and the webhook body.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Settings;
use crate::exchange::ConversationTarget;
use crate::model::ConversationKind;
use crate::providers::SendFailure;
use crate::providers::http::{lenient_json, snippet};

fn envelope(element_data: Value) -> Value {
    json!({
        "operation": "wp_instance",
        "moduleType": "wp_instance",
        "api_type": "web",
        "element_data": element_data,
    })
}

/// The `setWebHook` request.
pub(super) fn set_webhook_request(number: &str, url: &str) -> Value {
    envelope(json!({ "action": "setWebHook", "wp_num": number, "web_hook": url }))
}

/// Who a send goes from and to. For a person: from our number to theirs. For a group the
/// document says `from` is the group id; the recipient field then carries our own number.
fn addressing<'a>(settings: &'a Settings, target: &'a ConversationTarget) -> (&'a str, &'a str, &'static str) {
    match target.kind {
        ConversationKind::Individual => (&settings.number, &target.external_id, "0"),
        ConversationKind::Group => (&target.external_id, &settings.number, "1"),
    }
}

/// The `sendWhatsappText` request.
pub(super) fn send_text_request(settings: &Settings, target: &ConversationTarget, message: &str) -> Value {
    let (from, to, is_group) = addressing(settings, target);
    envelope(json!({
        "action": "sendWhatsappText",
        "from": from,
        "to": to,
        "message": message,
        "is_group": is_group,
        "company": settings.company,
        "username": settings.username,
    }))
}

/// The `sendWhatsappFile` request. `filename` is not in the document but their server reads it.
pub(super) fn send_file_request(
    settings: &Settings,
    target: &ConversationTarget,
    file_url: &str,
    caption: Option<&str>,
    file_name: Option<&str>,
) -> Value {
    let (from, to, is_group) = addressing(settings, target);
    let mut data = json!({
        "action": "sendWhatsappFile",
        "from": from,
        "to": to,
        "file_url": file_url,
        "caption": caption.unwrap_or_default(),
        "is_group": is_group,
        "company": settings.company,
        "username": settings.username,
    });
    if let Some(name) = file_name {
        data["filename"] = Value::String(name.to_owned());
    }
    envelope(data)
}

/// Reads a send answer. `Ok(Some(id))` for a text send, `Ok(None)` for a file send (which
/// returns no id), `Err` with a readable reason otherwise.
pub(super) fn parse_send_response(http_status: u16, body: &str) -> Result<Option<String>, SendFailure> {
    let value = serde_json::from_str::<Value>(body).ok().or_else(|| lenient_json(body));
    let Some(value) = value else {
        return Err(SendFailure(format!(
            "mConnect answered HTTP {http_status} with an unreadable body: {}",
            snippet(body)
        )));
    };
    let ok = match value.get("status") {
        Some(Value::String(s)) => s == "true",
        Some(Value::Bool(b)) => *b,
        _ => false,
    };
    let data = value.pointer("/result/data").and_then(Value::as_str);
    if ok && (200..300).contains(&http_status) {
        return Ok(data.filter(|d| !d.is_empty() && *d != "not-sent").map(str::to_owned));
    }
    Err(SendFailure(match data {
        Some("not-sent") => "mConnect did not send the message (not-sent). Check that the WhatsApp number is still connected; texts with quotes or line breaks are known to fail on their side.".into(),
        Some(other) => format!("mConnect refused the message (HTTP {http_status}): {}", snippet(other)),
        None => format!("mConnect refused the message (HTTP {http_status}): {}", snippet(body)),
    }))
}

/// The webhook body, as documented. Numbers arrive as strings; `time` is Unix seconds as a string.
#[derive(Debug, Deserialize)]
pub(super) struct Webhook {
    pub(super) from: Option<String>,
    pub(super) to: Option<String>,
    pub(super) chat_msg: Option<String>,
    pub(super) time: Option<Value>,
    pub(super) sender_name: Option<String>,
    pub(super) message_id: Option<String>,
    pub(super) sender: Option<String>,
    pub(super) image: Option<String>,
    pub(super) caption: Option<String>,
    pub(super) group_icon: Option<String>,
    pub(super) group_name: Option<String>,
}
