//! The fake ZChat/Omnize API under `/zchat`.
//!
//! Each request is recorded, then (after the optional delay) checked in this order: JSON body
//! (400), token (401), an injected failure, the document's required fields (422), the interaction
//! (404). Answers and errors are the documented `{"message", ...}` objects.
//!
//! The departments list's container is not documented: the current route answers
//! `{"data": [...]}`, the seed's route a bare array (the client must read both).

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};

use super::{
    DepartmentsPath, Flavour, HistoryFetch, PROVIDER, SimInteraction, SimMessage, Trigger, TriggerEvent,
    WhatsappAnswer, ZchatSim, new_hash,
};
use crate::fixtures::zchat::WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA;
use crate::state::{Recorded, SimState};

/// How long the simulator waits for an `external_history` URL to answer.
const HISTORY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn routes() -> Router<SimState> {
    Router::new()
        .route("/zchat/core/api/v1/interactions", post(start_interaction))
        .route("/zchat/core/api/v1/interactions/{hash}", put(update_interaction))
        .route("/zchat/core/api/v1/interactions/{hash}/messages", post(send_message))
        .route("/zchat/core/api/v1/interactions/{hash}/typing", put(typing))
        .route("/zchat/core/api/v1/interactions/{hash}/cleared", put(cleared))
        .route("/zchat/core/api/v1/interactions/{hash}/finish", put(finish))
        .route("/zchat/api/v1/whatsapp", post(whatsapp_message))
        .route("/zchat/api/v1/whatsapp/typing", put(whatsapp_typing))
        .route("/zchat/api/v1/interactions/cleared", put(whatsapp_cleared))
        .route("/zchat/api/external/departments", get(departments_external))
        .route("/zchat/api/v1/departments", get(departments_legacy))
}

/// An answer: status and body text (JSON, or the published invalid JSON).
#[derive(Debug)]
struct Reply(StatusCode, String);

impl Reply {
    fn ok(body: Value) -> Reply {
        Reply(StatusCode::OK, body.to_string())
    }

    /// The documented error shape.
    fn error(status: u16, message: impl Into<String>) -> Reply {
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        Reply(code, json!({ "message": message.into(), "status": status }).to_string())
    }

    fn not_found() -> Reply {
        Reply::error(404, "Not Found")
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        (self.0, [(header::CONTENT_TYPE, "application/json")], self.1).into_response()
    }
}

type Outcome = Result<Reply, Reply>;

fn done(outcome: Outcome) -> Response {
    let reply = outcome.unwrap_or_else(|e| e);
    tracing::info!(provider = PROVIDER, status = reply.0.as_u16(), "request answered");
    reply.into_response()
}

/// A request as every route takes it: recorded first, then held for the configured delay; its
/// body read as a JSON object (`None` when it is not one).
struct Intake {
    uri: Uri,
    body: Option<Value>,
}

impl FromRequest<SimState> for Intake {
    type Rejection = BytesRejection;

    async fn from_request(request: Request, state: &SimState) -> Result<Self, Self::Rejection> {
        let (method, uri, headers) = (request.method().clone(), request.uri().clone(), request.headers().clone());
        let body = Bytes::from_request(request, state).await?;
        let body = intake(state, &method, &uri, &headers, &body).await;
        Ok(Intake { uri, body })
    }
}

/// Records the request, waits the configured delay, and reads the body as a JSON object.
async fn intake(state: &SimState, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Option<Value> {
    let recorded = Recorded::capture(PROVIDER, method, uri, headers, body);
    let parsed = recorded.body.clone();
    state.record(recorded);
    let delay = state.zchat().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    parsed.filter(Value::is_object)
}

/// The JSON object body, the right token, and no injected failure pending.
fn admit(state: &SimState, body: Option<Value>) -> Result<Value, Reply> {
    let body = body.ok_or_else(|| Reply::error(400, "The body must be a JSON object."))?;
    check_token(state, body.get("token").and_then(Value::as_str))?;
    if let Some((status, message)) = state.zchat().take_failure() {
        tracing::info!(provider = PROVIDER, status, "injected failure");
        return Err(Reply::error(status, message));
    }
    Ok(body)
}

fn check_token(state: &SimState, token: Option<&str>) -> Result<(), Reply> {
    match token.filter(|t| !t.is_empty()) {
        None => Err(Reply::error(401, "The token field is required.")),
        Some(t) if t == state.zchat().token => Ok(()),
        Some(_) => Err(Reply::error(401, "Invalid token.")),
    }
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// An active department's id, or the 422 the provider answers.
fn department(state: &SimState, body: &Value) -> Result<i64, Reply> {
    let id = body
        .get("department_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| Reply::error(422, "The department id field is required and must be an integer."))?;
    let zchat = state.zchat();
    let department = zchat
        .departments
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Reply::error(422, format!("Department {id} not found.")))?;
    if department.state != 1 {
        return Err(Reply::error(422, format!("Department {id} is not active.")));
    }
    Ok(id)
}

/// `text | image | video | audio | file`, from the short form or a MIME type.
fn content_kind(value: Option<&Value>) -> Result<String, Reply> {
    let raw = match value {
        None | Some(Value::Null) => return Ok("text".into()),
        Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
        Some(_) => return Err(Reply::error(422, "The type must be a string.")),
    };
    let short = match raw.split('/').next().unwrap_or_default() {
        "text" | "" => "text",
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        "file" | "application" => "file",
        _ => return Err(Reply::error(422, format!("Unknown content type `{raw}`."))),
    };
    Ok(short.into())
}

/// The message fields both flavours share: content, kind (from `kind_key`), url.
fn message(body: &Value, kind_key: &str) -> Result<SimMessage, Reply> {
    let content = text(body, "content").ok_or_else(|| Reply::error(422, "The content field is required."))?;
    let kind = content_kind(body.get(kind_key))?;
    let url = text(body, "url").map(str::to_owned);
    if kind != "text" && url.is_none() {
        return Err(Reply::error(422, "The url field is required for files."));
    }
    Ok(SimMessage { content: content.to_owned(), kind, url, message_hash: None })
}

fn object_or_empty(body: &Value, key: &str) -> Result<Value, Reply> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(json!({})),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(_) => Err(Reply::error(422, format!("The {key} field must be an object."))),
    }
}

/// GETs an `external_history` URL, as the provider does, and keeps what came back.
async fn fetch_history(state: &SimState, hash: &str, url: &str) {
    let mut fetch =
        HistoryFetch { interaction_hash: hash.to_owned(), url: url.to_owned(), status: None, body: None, error: None };
    if crate::is_http_url(url) {
        match state.http().get(url).timeout(HISTORY_TIMEOUT).send().await {
            Ok(response) => {
                fetch.status = Some(response.status().as_u16());
                match response.text().await {
                    Ok(text) => fetch.body = serde_json::from_str(&text).ok(),
                    Err(e) => fetch.error = Some(e.without_url().to_string()),
                }
            }
            Err(e) => fetch.error = Some(e.without_url().to_string()),
        }
    } else {
        fetch.error = Some("not an http(s) URL".into());
    }
    tracing::info!(provider = PROVIDER, url = %crate::redact_url(url), status = ?fetch.status, "external history read");
    state.zchat().history_fetches.push(fetch);
}

async fn start_interaction(State(state): State<SimState>, Intake { body: parsed, .. }: Intake) -> Response {
    done(start_interaction_inner(&state, parsed).await)
}

async fn start_interaction_inner(state: &SimState, parsed: Option<Value>) -> Outcome {
    let body = admit(state, parsed)?;
    let department_id = department(state, &body)?;
    let media_type = match body.get("media_type") {
        None | Some(Value::Null) => "TEXT".to_owned(),
        Some(Value::String(s)) if matches!(s.as_str(), "TEXT" | "SMS" | "WHATSAPP") => s.clone(),
        Some(other) => return Err(Reply::error(422, format!("The media type {other} is invalid."))),
    };
    let interaction = SimInteraction {
        hash: new_hash(),
        flavour: Flavour::Interactions,
        department_id,
        media_type,
        external_id: None,
        customer: object_or_empty(&body, "customer")?,
        extra: object_or_empty(&body, "extra")?,
        messages: Vec::new(),
        client_typing: false,
        finished: false,
        updates: Vec::new(),
    };
    let hash = interaction.hash.clone();
    let queue_on_start = {
        let mut zchat = state.zchat();
        zchat.interactions.insert(hash.clone(), interaction);
        zchat.queue_on_start.filter(|_| zchat.webhook.is_some())
    };
    if let Some(position) = queue_on_start {
        let trigger = Trigger::interaction(hash.clone(), TriggerEvent::Queued { position });
        if let Err(e) = ZchatSim::new(state.clone()).fire(trigger).await {
            tracing::warn!(provider = PROVIDER, error = %e, "the early queued trigger failed");
        }
    }
    if let Some(url) = text(&body, "external_history") {
        fetch_history(state, &hash, url).await;
    }
    Ok(Reply::ok(json!({ "message": "Interaction created successfully", "data": { "interaction_hash": hash } })))
}

/// The interactions-flavour interaction `hash`, open (`open`: not finished) or not.
fn with_interaction<T>(
    state: &SimState,
    hash: &str,
    open: bool,
    f: impl FnOnce(&mut SimInteraction) -> T,
) -> Result<T, Reply> {
    let mut zchat = state.zchat();
    let interaction = zchat
        .interactions
        .get_mut(hash)
        .filter(|i| i.flavour == Flavour::Interactions)
        .ok_or_else(|| Reply::error(404, "Interaction not found."))?;
    if open && interaction.finished {
        return Err(Reply::error(422, "Interaction already finished."));
    }
    Ok(f(interaction))
}

async fn update_interaction(
    State(state): State<SimState>,
    Path(hash): Path<String>,
    Intake { body: parsed, .. }: Intake,
) -> Response {
    done((|| {
        let mut body = admit(&state, parsed)?;
        if let Some(mood) = body.get("mood")
            && !matches!(mood.as_str(), Some("POSITIVE" | "NEGATIVE"))
        {
            return Err(Reply::error(422, "The mood must be POSITIVE or NEGATIVE."));
        }
        if body.get("tag_ids").is_some_and(|t| !t.is_array()) {
            return Err(Reply::error(422, "The tag ids must be an array."));
        }
        if let Some(map) = body.as_object_mut() {
            map.remove("token");
        }
        with_interaction(&state, &hash, false, |i| i.updates.push(body))?;
        Ok(Reply::ok(json!({ "message": "Interaction updated successfully", "status": 200 })))
    })())
}

async fn send_message(
    State(state): State<SimState>,
    Path(hash): Path<String>,
    Intake { body: parsed, .. }: Intake,
) -> Response {
    done(send_message_inner(&state, &hash, parsed).await)
}

async fn send_message_inner(state: &SimState, hash: &str, parsed: Option<Value>) -> Outcome {
    {
        let body = admit(state, parsed)?;
        with_interaction(state, hash, true, |_| ())?;
        let sent = message(&body, "type")?;
        fetch_file(state, &sent).await?;
        with_interaction(state, hash, true, |i| i.messages.push(sent))?;
        Ok(Reply::ok(json!({
            "data": { "interaction_hash": hash },
            "message": "Message created successfully",
            "status": 200
        })))
    }
}

/// A file message's `url` is downloaded as the provider does (see `fetch.rs`); a failed download
/// is answered as the provider's 422.
async fn fetch_file(state: &SimState, message: &SimMessage) -> Result<(), Reply> {
    let Some(url) = message.url.as_deref().filter(|_| message.kind != "text") else {
        return Ok(());
    };
    let fetched = crate::fetch::fetch(state, PROVIDER, url).await;
    if fetched.succeeded() {
        Ok(())
    } else {
        Err(Reply::error(422, format!("Could not download the file from the url: {}.", fetched.failure())))
    }
}

/// `typing`, `cleared` and `finish` of the interactions flavour.
async fn interaction_action(state: SimState, hash: String, parsed: Option<Value>, action: &'static str) -> Response {
    done((|| {
        admit(&state, parsed)?;
        let message = match action {
            "typing" => {
                with_interaction(&state, &hash, true, |i| i.client_typing = true)?;
                "Typing notified"
            }
            "cleared" => {
                with_interaction(&state, &hash, true, |i| i.client_typing = false)?;
                "Typing cleared"
            }
            _ => {
                with_interaction(&state, &hash, true, |i| i.finished = true)?;
                "Interaction finished successfully"
            }
        };
        Ok(Reply::ok(json!({ "message": message, "status": 200 })))
    })())
}

async fn typing(
    State(state): State<SimState>,
    Path(hash): Path<String>,
    Intake { body: parsed, .. }: Intake,
) -> Response {
    interaction_action(state, hash, parsed, "typing").await
}

async fn cleared(
    State(state): State<SimState>,
    Path(hash): Path<String>,
    Intake { body: parsed, .. }: Intake,
) -> Response {
    interaction_action(state, hash, parsed, "cleared").await
}

async fn finish(
    State(state): State<SimState>,
    Path(hash): Path<String>,
    Intake { body: parsed, .. }: Intake,
) -> Response {
    interaction_action(state, hash, parsed, "finish").await
}

fn external_id(body: &Value) -> Result<String, Reply> {
    body.get("customer")
        .and_then(|c| text(c, "external_id"))
        .map(str::to_owned)
        .ok_or_else(|| Reply::error(422, "The customer.external_id field is required."))
}

async fn whatsapp_message(State(state): State<SimState>, Intake { body: parsed, .. }: Intake) -> Response {
    done(whatsapp_message_inner(&state, parsed).await)
}

async fn whatsapp_message_inner(state: &SimState, parsed: Option<Value>) -> Outcome {
    let body = admit(state, parsed)?;
    let external_id = external_id(&body)?;
    let mut message = message(&body, "content_type")?;
    let department_id = department(state, &body)?;
    fetch_file(state, &message).await?;
    let customer = object_or_empty(&body, "customer")?;
    let extra = object_or_empty(&body, "extra")?;
    let message_hash = new_hash();
    message.message_hash = Some(message_hash.clone());
    let (hash, answer) = {
        let mut zchat = state.zchat();
        let open = zchat.open_by_customer.get(&external_id).cloned();
        let hash = match open {
            Some(hash) => hash,
            None => {
                let interaction = SimInteraction {
                    hash: new_hash(),
                    flavour: Flavour::Whatsapp,
                    department_id,
                    media_type: "WHATSAPP".into(),
                    external_id: Some(external_id.clone()),
                    customer,
                    extra,
                    messages: Vec::new(),
                    client_typing: false,
                    finished: false,
                    updates: Vec::new(),
                };
                let hash = interaction.hash.clone();
                zchat.interactions.insert(hash.clone(), interaction);
                zchat.open_by_customer.insert(external_id, hash.clone());
                hash
            }
        };
        if let Some(interaction) = zchat.interactions.get_mut(&hash) {
            interaction.messages.push(message);
        }
        (hash, zchat.whatsapp_answer)
    };
    if let Some(url) = text(&body, "external_history") {
        fetch_history(state, &hash, url).await;
    }
    Ok(match answer {
        WhatsappAnswer::WithHash => {
            Reply::ok(json!({ "message": "Message sent successfully", "data": { "message_hash": message_hash } }))
        }
        WhatsappAnswer::Plain => Reply::ok(json!({ "message": "Message sent successfully" })),
        WhatsappAnswer::TrailingComma => Reply(StatusCode::OK, WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA.to_owned()),
    })
}

/// The WhatsApp flavour's typing endpoints: removed in 2019 (404) unless switched on.
fn whatsapp_typing_inner(state: &SimState, parsed: Option<Value>, active: bool) -> Outcome {
    if !state.zchat().whatsapp_typing {
        return Err(Reply::not_found());
    }
    let body = admit(state, parsed)?;
    let external_id = external_id(&body)?;
    let mut zchat = state.zchat();
    if let Some(hash) = zchat.open_by_customer.get(&external_id).cloned()
        && let Some(interaction) = zchat.interactions.get_mut(&hash)
    {
        interaction.client_typing = active;
    }
    Ok(Reply::ok(json!({ "message": if active { "Typing notified" } else { "Typing cleared" }, "status": 200 })))
}

async fn whatsapp_typing(State(state): State<SimState>, Intake { body: parsed, .. }: Intake) -> Response {
    done(whatsapp_typing_inner(&state, parsed, true))
}

async fn whatsapp_cleared(State(state): State<SimState>, Intake { body: parsed, .. }: Intake) -> Response {
    done(whatsapp_typing_inner(&state, parsed, false))
}

/// The `token` query parameter, decoded.
fn query_token(uri: &Uri) -> Option<String> {
    let url = reqwest::Url::parse(&format!("http://sim{}", uri.path_and_query()?.as_str())).ok()?;
    url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

fn departments(state: &SimState, uri: &Uri, external: bool) -> Outcome {
    let exists = match state.zchat().departments_path {
        DepartmentsPath::External => external,
        DepartmentsPath::Legacy => !external,
        DepartmentsPath::Both => true,
    };
    if !exists {
        return Err(Reply::not_found());
    }
    check_token(state, query_token(uri).as_deref())?;
    let list = serde_json::to_value(&state.zchat().departments).unwrap_or_else(|_| json!([]));
    Ok(Reply::ok(if external {
        let mut data = Map::new();
        data.insert("data".into(), list);
        Value::Object(data)
    } else {
        list
    }))
}

async fn departments_external(State(state): State<SimState>, request: Intake) -> Response {
    done(departments(&state, &request.uri, true))
}

async fn departments_legacy(State(state): State<SimState>, request: Intake) -> Response {
    done(departments(&state, &request.uri, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_accept_mime_and_short_forms() {
        for (given, short) in [
            (json!("text"), "text"),
            (json!("image/png"), "image"),
            (json!("image"), "image"),
            (json!("video/mp4"), "video"),
            (json!("audio/ogg"), "audio"),
            (json!("application/pdf"), "file"),
            (json!("file"), "file"),
        ] {
            assert_eq!(content_kind(Some(&given)).unwrap(), short, "{given}");
        }
        assert_eq!(content_kind(None).unwrap(), "text");
        assert!(content_kind(Some(&json!("sticker"))).is_err());
    }

    #[test]
    fn query_tokens_are_decoded() {
        let uri: Uri = "/zchat/api/external/departments?token=a%2Bb&x=1".parse().unwrap();
        assert_eq!(query_token(&uri).as_deref(), Some("a+b"));
        let none: Uri = "/zchat/api/external/departments".parse().unwrap();
        assert_eq!(query_token(&none), None);
    }
}
