//! The fake `POST /mconnect/api/v1.0/whatsapp-omni/` endpoint.
//!
//! Every request is recorded first, then (after the optional delay) answered
//! the way the public server does:
//!
//! - unparsable JSON, or no `element_data.action` → 400 `invalid request`;
//! - `setWebHook` (`wp_num`, `web_hook`) → stores the webhook;
//! - `sendWhatsappText` (`from`, `to`, `message`, `is_group`, `company`,
//!   `username`) → `true_<to>@c.us_<hex>`, or `true_<from>@g.us_<hex>` for a
//!   group; missing fields → HTTP 200 `not-sent`;
//! - any other action is a file send (`from`, `to`, `file_url`; `caption` and
//!   `filename` optional) → the file is downloaded from `file_url` (see `fetch.rs`), then the
//!   published, invalid-JSON success body, or `not-sent` when the download failed.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::{ENDPOINT_PATH, PROVIDER};
use crate::fixtures::mconnect::SEND_FILE_SUCCESS;
use crate::sample;
use crate::state::{Recorded, SimState};

pub(crate) fn routes() -> Router<SimState> {
    Router::new().route(ENDPOINT_PATH, post(handle))
}

async fn handle(State(state): State<SimState>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let recorded = Recorded::capture(PROVIDER, &method, &uri, &headers, &body);
    let parsed = recorded.body.clone();
    state.record(recorded);

    let delay = state.mconnect().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let reply = match parsed.as_ref().and_then(ElementData::from_body) {
        Some(data) => match data.file_to_fetch() {
            // The file is downloaded from its URL before WhatsApp gets it; a failed download is a
            // failed send.
            Some(url) if !crate::fetch::fetch(&state, PROVIDER, url).await.succeeded() => Reply::NotSent,
            _ => data.apply(&state),
        },
        None => Reply::Invalid,
    };
    tracing::info!(provider = PROVIDER, reply = ?reply, "request answered");
    reply.into_response()
}

/// The `element_data` object of a request, with its `action`.
struct ElementData<'a> {
    action: &'a str,
    fields: &'a Map<String, Value>,
}

impl<'a> ElementData<'a> {
    fn from_body(body: &'a Value) -> Option<Self> {
        let fields = body.get("element_data")?.as_object()?;
        let action = fields.get("action")?.as_str()?;
        Some(Self { action, fields })
    }

    /// A required field: present, a JSON string, not blank.
    fn text(&self, name: &str) -> Option<&'a str> {
        self.fields.get(name).and_then(Value::as_str).filter(|value| !value.trim().is_empty())
    }

    /// The `file_url` of a file send.
    fn file_to_fetch(&self) -> Option<&'a str> {
        match self.action {
            "setWebHook" | "sendWhatsappText" => None,
            _ => self.text("file_url"),
        }
    }

    fn apply(&self, state: &SimState) -> Reply {
        match self.action {
            "setWebHook" => self.set_webhook(state),
            "sendWhatsappText" => self.send_text(state),
            _ => self.send_file(state),
        }
    }

    fn set_webhook(&self, state: &SimState) -> Reply {
        let (Some(number), Some(url)) = (self.text("wp_num"), self.text("web_hook")) else {
            return Reply::WebhookNotSet;
        };
        if !crate::is_http_url(url) {
            return Reply::WebhookNotSet;
        }
        tracing::info!(provider = PROVIDER, number, url = %crate::redact_url(url), "webhook set");
        state.mconnect().webhooks.insert(number.to_owned(), url.to_owned());
        Reply::WebhookSet
    }

    fn send_text(&self, state: &SimState) -> Reply {
        let (Some(from), Some(to), Some(message), Some(is_group), Some(_), Some(_)) = (
            self.text("from"),
            self.text("to"),
            self.text("message"),
            self.text("is_group"),
            self.text("company"),
            self.text("username"),
        ) else {
            return Reply::NotSent;
        };
        let chat = match is_group {
            "0" => format!("{to}@c.us"),
            "1" => format!("{from}@g.us"),
            _ => return Reply::NotSent,
        };
        if !may_send(state, message) {
            return Reply::NotSent;
        }
        Reply::TextSent { id: format!("true_{chat}_{}", sample::message_suffix()) }
    }

    fn send_file(&self, state: &SimState) -> Reply {
        let (Some(_from), Some(_to), Some(_file_url)) = (self.text("from"), self.text("to"), self.text("file_url"))
        else {
            return Reply::NotSent;
        };
        let caption = self.fields.get("caption").and_then(Value::as_str).unwrap_or_default();
        if !may_send(state, caption) {
            return Reply::NotSent;
        }
        Reply::FileSent
    }
}

/// Apply the simulated failure modes to a send that is otherwise valid.
fn may_send(state: &SimState, text: &str) -> bool {
    let mut mconnect = state.mconnect();
    if mconnect.concat_quirk && breaks_concatenated_json(text) {
        tracing::info!(provider = PROVIDER, "send failed: concat quirk");
        return false;
    }
    if mconnect.take_failure() {
        tracing::info!(provider = PROVIDER, "send failed: injected failure");
        return false;
    }
    true
}

/// Their server pastes the text into a JSON string literal unescaped.
fn breaks_concatenated_json(text: &str) -> bool {
    text.contains(['"', '\n', '\r'])
}

/// The answers the endpoint can give.
#[derive(Debug)]
enum Reply {
    Invalid,
    WebhookSet,
    WebhookNotSet,
    TextSent { id: String },
    FileSent,
    NotSent,
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::Invalid => (StatusCode::BAD_REQUEST, answer("false", "invalid request")),
            Self::WebhookSet => (StatusCode::OK, answer("true", "webhook set")),
            Self::WebhookNotSet => (StatusCode::OK, answer("false", "webhook not set")),
            Self::TextSent { id } => (StatusCode::OK, answer("true", &id)),
            Self::NotSent => (StatusCode::OK, answer("false", "not-sent")),
            // Published answer, trailing comma and all: clients must cope.
            Self::FileSent => (StatusCode::OK, SEND_FILE_SUCCESS.to_owned()),
        };
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

fn answer(status: &str, data: &str) -> String {
    json!({ "status": status, "result": { "data": data } }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_data_requires_object_and_string_action() {
        let ok = json!({ "element_data": { "action": "setWebHook" } });
        assert_eq!(ElementData::from_body(&ok).map(|d| d.action), Some("setWebHook"));
        for bad in [
            json!({}),
            json!({ "element_data": "x" }),
            json!({ "element_data": {} }),
            json!({ "element_data": { "action": 1 } }),
        ] {
            assert!(ElementData::from_body(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn blank_fields_count_as_missing() {
        let body = json!({ "element_data": { "action": "x", "to": "  ", "from": "1" } });
        let data = ElementData::from_body(&body).expect("element data");
        assert_eq!(data.text("to"), None);
        assert_eq!(data.text("from"), Some("1"));
        assert_eq!(data.text("missing"), None);
    }

    #[test]
    fn concatenation_breakers() {
        assert!(breaks_concatenated_json("diz \"oi\""));
        assert!(breaks_concatenated_json("linha\noutra"));
        assert!(!breaks_concatenated_json("Olá, tudo bem?"));
    }
}
