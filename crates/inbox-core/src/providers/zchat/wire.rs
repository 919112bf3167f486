//! The family's requests (both flavours), its answers (errors under HTTP 200 included) and the
//! department list in its several shapes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Flavour, Settings};
use crate::exchange::OutboundMessage;
use crate::model::{Department, HandoffUpdate, MessageKind, StartConversation};
use crate::providers::SendFailure;
use crate::providers::http::Answer;
use crate::{Error, Result};

/// The key under which a started conversation's `extra` carries the inbox's conversation id.
pub(super) const EXTRA_CONVERSATION_KEY: &str = "inbox_conversation_id";

/// A positive id given as a number or a string of digits.
pub(super) fn positive_id(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|id| *id > 0)
}

/// A value as text: strings as they are, numbers written out.
pub(super) fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The customer as both flavours send it; absent fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Customer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) cpf: Option<String>,
    /// WhatsApp flavour: the customer's id, the conversation's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) external_id: Option<String>,
}

impl Customer {
    pub(super) fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| json!({}))
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Digits of a phone number given with or without `+`, spaces, dashes or parentheses.
fn phone_digits(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let only_phone_chars = s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (only_phone_chars && (8..=15).contains(&digits.len())).then_some(digits)
}

/// The customer of a start, checked. `to` is the phone (or an email) for the interactions
/// flavour, and the `external_id` (and the phone, when it looks like one) for the WhatsApp one.
pub(super) fn customer_of(flavour: Flavour, input: &StartConversation) -> Result<Customer> {
    let to = input.to.trim();
    let mut customer = Customer {
        name: non_empty(input.name.as_ref()),
        email: non_empty(input.email.as_ref()),
        cpf: non_empty(input.cpf.as_ref()),
        ..Customer::default()
    };
    if let Some(email) = &customer.email
        && !email.contains('@')
    {
        return Err(Error::invalid(text!("zchat.email_invalid")));
    }
    if let Some(cpf) = &customer.cpf {
        let digits: String = cpf.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 11 || !cpf.chars().all(|c| c.is_ascii_digit() || ".- ".contains(c)) {
            return Err(Error::invalid(text!("zchat.cpf_invalid")));
        }
        customer.cpf = Some(digits);
    }
    match flavour {
        Flavour::Interactions if to.contains('@') => {
            customer.email.get_or_insert_with(|| to.to_owned());
        }
        Flavour::Interactions => {
            customer.phone = Some(phone_digits(to).ok_or_else(|| Error::invalid(text!("zchat.to_invalid")))?);
        }
        Flavour::Whatsapp => {
            customer.phone = phone_digits(to);
            customer.external_id = Some(to.to_owned());
        }
    }
    Ok(customer)
}

/// The start's department, or the account's.
pub(super) fn department_of(settings: &Settings, input: &StartConversation) -> Result<i64> {
    match input.department_id.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(settings.department_id),
        Some(d) => {
            d.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| Error::invalid(text!("zchat.department_invalid")))
        }
    }
}

/// Interactions flavour: `TEXT` unless the start's `service` names another media type.
pub(super) fn media_type_of(input: &StartConversation) -> Result<&'static str> {
    match input.service.as_deref().map(|s| s.trim().to_ascii_uppercase()).as_deref() {
        None | Some("") | Some("TEXT") => Ok("TEXT"),
        Some("WHATSAPP") => Ok("WHATSAPP"),
        Some("SMS") => Ok("SMS"),
        Some(_) => Err(Error::invalid(text!("zchat.media_type_invalid"))),
    }
}

/// The start's `extra` with the inbox's conversation id added.
pub(super) fn extra_of(input: &StartConversation, conversation_id: &str) -> Map<String, Value> {
    let mut extra = input.extra.clone().unwrap_or_default();
    extra.insert(EXTRA_CONVERSATION_KEY.into(), json!(conversation_id));
    extra
}

/// `POST /interactions`.
pub(super) fn start_interaction_request(
    token: &str,
    media_type: &str,
    department_id: i64,
    customer: &Customer,
    extra: &Map<String, Value>,
    history_url: Option<&str>,
) -> Value {
    let mut body = json!({
        "token": token,
        "media_type": media_type,
        "department_id": department_id,
        "customer": customer.to_value(),
        "extra": extra,
    });
    if let Some(url) = history_url {
        body["external_history"] = json!(url);
    }
    body
}

/// A message's `content`, short `type` and `url`, as both flavours send them. A file's content is
/// its caption or, since `content` is required, its file name.
fn message_parts(msg: &OutboundMessage) -> Result<(String, &'static str, Option<String>), SendFailure> {
    let kind = match msg.kind {
        MessageKind::Text => {
            let body = msg.body.clone().filter(|b| !b.trim().is_empty());
            return Ok((body.ok_or_else(|| SendFailure("the message is empty".into()))?, "text", None));
        }
        MessageKind::Image | MessageKind::Sticker => "image",
        MessageKind::Video => "video",
        MessageKind::Audio => "audio",
        MessageKind::File => "file",
        _ => return Err(SendFailure("this API sends text and files only".into())),
    };
    let url = msg.media_url.clone().ok_or_else(|| SendFailure("a file needs its URL".into()))?;
    let content = [&msg.caption, &msg.file_name]
        .into_iter()
        .find_map(|s| s.clone().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| url.clone());
    Ok((content, kind, Some(url)))
}

/// `POST /interactions/{hash}/messages`.
pub(super) fn interaction_message_request(token: &str, msg: &OutboundMessage) -> Result<Value, SendFailure> {
    let (content, kind, url) = message_parts(msg)?;
    let mut body = json!({ "token": token, "content": content, "type": kind });
    if let Some(url) = url {
        body["url"] = json!(url);
    }
    Ok(body)
}

/// `PUT /interactions/{hash}/typing`, `/cleared` and `/finish`.
pub(super) fn token_request(token: &str) -> Value {
    json!({ "token": token })
}

/// `PUT /interactions/{hash}`: only the fields given.
pub(super) fn update_request(token: &str, update: &HandoffUpdate) -> Value {
    let mut body = Map::new();
    body.insert("token".into(), json!(token));
    if let Some(mood) = non_empty(update.mood.as_ref()) {
        body.insert("mood".into(), json!(mood));
    }
    if !update.tag_ids.is_empty() {
        body.insert("tag_ids".into(), json!(update.tag_ids));
    }
    if let Some(key) = non_empty(update.customer_key.as_ref()) {
        body.insert("customer_key".into(), json!(key));
    }
    if let Some(note) = non_empty(update.note.as_ref()) {
        body.insert("note".into(), json!(note));
    }
    Value::Object(body)
}

/// `POST /whatsapp`: one message of the customer `customer.external_id`.
pub(super) fn whatsapp_message_request(
    token: &str,
    msg: &OutboundMessage,
    department_id: i64,
    customer: &Customer,
    extra: Option<&Map<String, Value>>,
    history_url: Option<&str>,
) -> Result<Value, SendFailure> {
    let (content, kind, url) = message_parts(msg)?;
    let mut body = json!({
        "token": token,
        "content": content,
        "content_type": kind,
        "department_id": department_id,
        "customer": customer.to_value(),
    });
    if let Some(url) = url {
        body["url"] = json!(url);
    }
    if let Some(extra) = extra.filter(|e| !e.is_empty()) {
        body["extra"] = json!(extra);
    }
    if let Some(url) = history_url {
        body["external_history"] = json!(url);
    }
    Ok(body)
}

/// `PUT /whatsapp/typing` and `PUT /interactions/cleared` of the WhatsApp flavour.
pub(super) fn whatsapp_typing_request(token: &str, external_id: &str) -> Value {
    json!({ "token": token, "customer": { "external_id": external_id } })
}

/// An answer read: its JSON (`Value::Null` for an empty or unreadable 2xx body), or a readable
/// failure with the provider's message. An error object (`"status" >= 400`) is a failure even
/// under HTTP 200.
pub(super) fn read_answer(label: &str, answer: &Answer) -> Result<Value, SendFailure> {
    let json = answer.json();
    let said_status = json.as_ref().and_then(|v| v.get("status")).and_then(|s| match s {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let failed_status = match said_status {
        Some(s) if s >= 400 => Some(u16::try_from(s).unwrap_or(answer.status)),
        _ if !answer.ok() => Some(answer.status),
        _ => None,
    };
    if let Some(status) = failed_status {
        let mut failure = Answer { status, text: answer.text.clone() }.failure(label);
        if status == 401 || status == 403 {
            failure.0.push_str(" (check the account's API token)");
        }
        return Err(failure);
    }
    Ok(json.unwrap_or(Value::Null))
}

/// A department from the list, whatever types the fields came in.
fn department_from(v: &Value) -> Option<Department> {
    let id = text_of(v.get("id"))?;
    let name = text_of(v.get("name")).unwrap_or_else(|| format!("Department {id}"));
    let active = match v.get("state").or_else(|| v.get("active")) {
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s.trim() == "1" || s.eq_ignore_ascii_case("active") || s == "true",
        Some(Value::Bool(b)) => *b,
        None => true,
        _ => false,
    };
    let queue = match v.get("queue") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(Value::Array(a)) => i64::try_from(a.len()).ok(),
        _ => None,
    };
    let agents = v
        .get("agents")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|agent| text_of(agent.get("name"))).collect())
        .unwrap_or_default();
    Some(Department { id, name, active, queue, agents })
}

/// The department list: bare, under `data` or under `departments`.
pub(super) fn parse_departments(label: &str, body: &Value) -> Result<Vec<Department>> {
    let list = [Some(body), body.get("data"), body.get("departments")]
        .into_iter()
        .flatten()
        .find_map(Value::as_array)
        .ok_or_else(|| Error::Provider(format!("{label} answered the departments in an unknown shape")))?;
    Ok(list.iter().filter_map(department_from).collect())
}
