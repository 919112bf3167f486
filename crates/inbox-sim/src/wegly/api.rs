//! The fake Wegly external integrations API, under `/wegly`.
//!
//! | route | answer |
//! |---|---|
//! | `POST /chats` | 201 the chat (200 when an open chat of the contact is reused); its template goes out |
//! | `GET /chats/{id}` | the chat with `last_customer_msg_at`, `session_expires_at`, `phone_number{raw_number, phone_number_id}` |
//! | `POST /chats/{id}/messages` | 201 `{total: 1, records: [message]}` (status `processing`, no wamid yet) |
//! | `POST /chats/{id}/messages/interactive` | same |
//! | `POST /chats/{id}/messages/location` | same |
//! | `GET /chats/{id}/timeline?page=&limit=` | `{total, records: [{event_type: "MESSAGE", event_at, message}]}`, oldest first |
//! | `DELETE /chats/{id}/messages/{messageId}/reaction` | 204; 404 when we have no reaction there |
//! | `PATCH /chats/{id}/responsible` | the chat |
//!
//! Every request is recorded first. Errors look like Wegly's (NestJS): `{statusCode, message,
//! error}`, `message` a list for validation errors (400). Free text, media, buttons and
//! locations outside the 24-hour window answer 422; templates always go.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, OriginalUri, Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::store::{Chat, Msg};
use super::{DEFAULT_PHONE_ID, PREFIX, PROVIDER, WeglySim, WeglyState};
use crate::state::{Recorded, SimState};

pub(crate) fn routes() -> Router<SimState> {
    let api = Router::new()
        .route("/chats", post(create_chat))
        .route("/chats/{id}", get(get_chat))
        .route("/chats/{id}/messages", post(send_message))
        .route("/chats/{id}/messages/interactive", post(send_interactive))
        .route("/chats/{id}/messages/location", post(send_location))
        .route("/chats/{id}/timeline", get(timeline))
        .route("/chats/{id}/messages/{message_id}/reaction", delete(remove_reaction))
        .route("/chats/{id}/responsible", patch(responsible));
    Router::new().nest(PREFIX, api)
}

/// A Wegly-style error answer: `{statusCode, message, error}`.
struct Refusal {
    status: StatusCode,
    message: Value,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "message": self.message,
            "error": self.status.canonical_reason().unwrap_or("Error"),
        });
        (self.status, axum::Json(body)).into_response()
    }
}

type Answer = Result<Response, Refusal>;

fn error(status: StatusCode, message: impl Into<Value>) -> Refusal {
    Refusal { status, message: message.into() }
}

fn not_found(what: &str) -> Refusal {
    error(StatusCode::NOT_FOUND, format!("{what} não encontrado"))
}

fn window_closed() -> Refusal {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Fora da janela de 24 horas: o cliente não escreve há mais de 24 horas, envie um template aprovado",
    )
}

/// Records the request, then checks the token, the allowed domain and injected failures.
fn admit(state: &SimState, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Result<(), Refusal> {
    state.record(Recorded::capture(PROVIDER, method, uri, headers, body));
    let mut w = state.wegly();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !token.is_some_and(|t| w.tokens.contains(t)) {
        return Err(error(StatusCode::UNAUTHORIZED, "Token de integração inválido ou ausente"));
    }
    if let Some(domain) = &w.allowed_domain {
        let host_of = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| reqwest::Url::parse(v).ok())
                .and_then(|u| u.host_str().map(str::to_owned))
        };
        let host = host_of(header::ORIGIN).or_else(|| host_of(header::REFERER));
        let allowed = host.is_some_and(|h| h == *domain || h.ends_with(&format!(".{domain}")));
        if !allowed {
            return Err(error(StatusCode::FORBIDDEN, "Origem não permitida para esta chave (allowed_domain)"));
        }
    }
    if let Some(f) = w.failures.pop_front() {
        let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err(error(status, f.message));
    }
    Ok(())
}

/// A request [`admit`] let through (recorded first, whatever the outcome); holds its body.
struct Admitted(Bytes);

impl FromRequest<SimState> for Admitted {
    type Rejection = Response;

    async fn from_request(request: Request, state: &SimState) -> Result<Self, Response> {
        let method = request.method().clone();
        let uri = match request.extensions().get::<OriginalUri>() {
            Some(OriginalUri(uri)) => uri.clone(),
            None => request.uri().clone(),
        };
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        admit(state, &method, &uri, &headers, &body).map_err(IntoResponse::into_response)?;
        Ok(Admitted(body))
    }
}

impl Admitted {
    /// The body, which must be a JSON object.
    fn json(&self) -> Result<Map<String, Value>, Refusal> {
        match serde_json::from_slice::<Value>(&self.0) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(error(StatusCode::BAD_REQUEST, vec!["the body must be a JSON object"])),
            Err(e) => Err(error(StatusCode::BAD_REQUEST, format!("Unexpected token in JSON: {e}"))),
        }
    }
}

fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// `template` and `template_fields` of a request, or the validation messages.
fn template_of(map: &Map<String, Value>, problems: &mut Vec<String>) -> Value {
    let template = map.get("template").and_then(Value::as_object);
    match template {
        Some(t) if text(t, "name").is_some() && text(t, "language").is_some() => {}
        Some(_) => problems.push("template.name and template.language must be non-empty strings".into()),
        None => problems.push("template must be an object".into()),
    }
    let fields = map.get("template_fields").cloned().unwrap_or(json!([]));
    let fields_ok = fields.as_array().is_some_and(|fs| {
        fs.iter().all(|f| {
            f.get("component").is_some_and(Value::is_string)
                && f.get("type").is_some_and(Value::is_string)
                && f.get("index").is_some_and(Value::is_i64)
                && f.get("value").is_some_and(Value::is_string)
        })
    });
    if !fields_ok {
        problems.push("template_fields must be a list of {component, type, index, value}".into());
    }
    json!({ "template": map.get("template"), "template_fields": fields })
}

async fn create_chat(State(state): State<SimState>, request: Admitted) -> Answer {
    let map = request.json()?;
    let mut problems = Vec::new();
    let phone = text(&map, "whatsapp_phone_id");
    if !phone.is_some_and(is_uuid) {
        problems.push("whatsapp_phone_id must be a UUID".to_owned());
    }
    let wa = text(&map, "wa_contact_id");
    match wa {
        None => problems.push("wa_contact_id must be a string".into()),
        Some(w) if w.chars().count() > 50 => {
            problems.push("wa_contact_id must be shorter than or equal to 50 characters".into())
        }
        _ => {}
    }
    let content = template_of(&map, &mut problems);
    if !problems.is_empty() {
        return Err(error(StatusCode::BAD_REQUEST, problems));
    }
    if phone != Some(DEFAULT_PHONE_ID) {
        return Err(not_found("Número de WhatsApp"));
    }
    let wa = wa.unwrap_or_default().to_owned();
    let mut w = state.wegly();
    let assigned = match text(&map, "assigned_agent_id") {
        Some(id) => match w.user(id) {
            Some(u) => Some(u),
            None => return Err(not_found("Agente")),
        },
        None => None,
    };
    let reused = w.chats.iter().position(|c| c.wa_contact_id == wa);
    let index = match reused {
        Some(i) => i,
        None => {
            w.chats.push(Chat::new(&wa, text(&map, "remote_profile_name").map(str::to_owned)));
            w.chats.len() - 1
        }
    };
    let chat = &mut w.chats[index];
    chat.status = text(&map, "status").map(str::to_ascii_uppercase).unwrap_or_else(|| "OPEN".into());
    if assigned.is_some() {
        chat.assigned = assigned;
    }
    let mut m = Msg::new("template", false, &chat.wa_contact_id, Utc::now());
    m.content_payload = content;
    let message_id = m.id.clone();
    chat.push(m);
    let answer = chat.json(false);
    let chat_id = chat.id.clone();
    drop(w);
    WeglySim::new(state).echo_later(chat_id, message_id);
    let status = if reused.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, axum::Json(answer)).into_response())
}

async fn get_chat(State(state): State<SimState>, Path(id): Path<String>, _admitted: Admitted) -> Answer {
    match state.wegly().chat(&id) {
        Some(chat) => Ok(axum::Json(chat.json(true)).into_response()),
        None => Err(not_found("Chat")),
    }
}

/// What a send asks for, validated against the chat.
enum Send {
    Free(Msg),
    Template(Msg),
}

/// Runs a send: the chat must exist, `reference_wamid` must name one of its messages, and
/// anything but a template needs the 24-hour window open.
fn run_send(
    state: SimState,
    id: &str,
    map: &Map<String, Value>,
    build: impl FnOnce(&Chat) -> Result<Send, Refusal>,
) -> Answer {
    let mut w = state.wegly();
    let Some(chat) = w.chat_mut(id) else {
        return Err(not_found("Chat"));
    };
    let quoted = match map.get("reference_wamid") {
        None | Some(Value::Null) => None,
        Some(Value::String(wamid)) => match chat.messages.iter().find(|m| m.wamid.as_deref() == Some(wamid)) {
            Some(m) => Some(m.quote()),
            None => {
                return Err(error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Mensagem referenciada (reference_wamid) não encontrada",
                ));
            }
        },
        Some(_) => return Err(error(StatusCode::BAD_REQUEST, vec!["reference_wamid must be a string"])),
    };
    let mut m = match build(chat) {
        Ok(Send::Template(m)) => m,
        Ok(Send::Free(m)) if chat.window_open(Utc::now()) => m,
        Ok(Send::Free(_)) => return Err(window_closed()),
        Err(r) => return Err(r),
    };
    m.quoted = quoted;
    let answer = json!({ "total": 1, "records": [m.json_processing(id)] });
    let message_id = m.id.clone();
    chat.push(m);
    drop(w);
    WeglySim::new(state).echo_later(id.to_owned(), message_id);
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

async fn send_message(State(state): State<SimState>, Path(id): Path<String>, request: Admitted) -> Answer {
    let map = request.json()?;
    // A media message's file is downloaded from its URL (see `fetch.rs`); a failed download is
    // refused.
    let media_url = map.get("media").and_then(Value::as_object).and_then(|m| text(m, "url")).map(str::to_owned);
    if map.get("type").and_then(Value::as_str) == Some("media")
        && let Some(url) = media_url.filter(|u| crate::is_http_url(u))
    {
        let fetched = crate::fetch::fetch(&state, PROVIDER, &url).await;
        if !fetched.succeeded() {
            return Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Não foi possível baixar a mídia: {}", fetched.failure()),
            ));
        }
    }
    let build = |chat: &Chat| -> Result<Send, Refusal> {
        let now = Utc::now();
        match map.get("type").and_then(Value::as_str) {
            Some("text") => {
                let Some(body) = text(&map, "body") else {
                    return Err(error(StatusCode::BAD_REQUEST, vec!["body must be a non-empty string"]));
                };
                if body.chars().count() > 4096 {
                    return Err(error(StatusCode::BAD_REQUEST, vec!["body must be shorter than 4096 characters"]));
                }
                let mut m = Msg::new("text", false, &chat.wa_contact_id, now);
                m.body_text = Some(body.to_owned());
                Ok(Send::Free(m))
            }
            Some("template") => {
                let mut problems = Vec::new();
                let content = template_of(&map, &mut problems);
                if !problems.is_empty() {
                    return Err(error(StatusCode::BAD_REQUEST, problems));
                }
                let mut m = Msg::new("template", false, &chat.wa_contact_id, now);
                m.content_payload = content;
                Ok(Send::Template(m))
            }
            Some("media") => {
                let media = map.get("media").and_then(Value::as_object);
                let url = media.and_then(|m| text(m, "url")).filter(|u| crate::is_http_url(u));
                let Some(url) = url else {
                    return Err(error(StatusCode::BAD_REQUEST, vec!["media.url must be an http(s) URL"]));
                };
                let media = media.cloned().unwrap_or_default();
                let kind = match text(&media, "media_type") {
                    Some(k @ ("image" | "video" | "audio" | "document" | "sticker")) => k.to_owned(),
                    Some(_) => {
                        return Err(error(
                            StatusCode::BAD_REQUEST,
                            vec!["media.media_type must be one of image, video, audio, document, sticker"],
                        ));
                    }
                    None => "document".to_owned(),
                };
                let file_name = text(&media, "file_name").map(str::to_owned);
                let mut m = Msg::new(&kind, false, &chat.wa_contact_id, now);
                m.body_text = text(&map, "body").map(str::to_owned);
                m.media = Some(json!({
                    "id": uuid::Uuid::new_v4().to_string(),
                    "mime_type": text(&media, "mime_type").map(str::to_owned)
                        .unwrap_or_else(|| super::guess_mime(&kind, file_name.as_deref())),
                    "file_name": file_name,
                    "is_downloaded": false,
                    "url": url,
                }));
                Ok(Send::Free(m))
            }
            _ => Err(error(
                StatusCode::BAD_REQUEST,
                vec!["type must be one of the following values: text, template, media"],
            )),
        }
    };
    run_send(state.clone(), &id, &map, build)
}

async fn send_interactive(State(state): State<SimState>, Path(id): Path<String>, request: Admitted) -> Answer {
    let map = request.json()?;
    let build = |chat: &Chat| -> Result<Send, Refusal> {
        let bad = |m: &str| Err(error(StatusCode::BAD_REQUEST, vec![m.to_owned()]));
        let Some(body_text) = text(&map, "body") else {
            return bad("body must be a non-empty string");
        };
        let titled = |v: &Value, max: usize| {
            v.get("id").and_then(Value::as_str).is_some_and(|s| !s.is_empty())
                && v.get("title").and_then(Value::as_str).is_some_and(|t| !t.is_empty() && t.chars().count() <= max)
        };
        match map.get("type").and_then(Value::as_str) {
            Some("button") => {
                let buttons = map.get("buttons").and_then(Value::as_array).cloned().unwrap_or_default();
                if buttons.is_empty() || buttons.len() > 3 || !buttons.iter().all(|b| titled(b, 20)) {
                    return bad("buttons must hold 1 to 3 {id, title} with titles of at most 20 characters");
                }
            }
            Some("list") => {
                if text(&map, "button").is_none() {
                    return bad("button must be a non-empty string");
                }
                let sections = map.get("sections").and_then(Value::as_array).cloned().unwrap_or_default();
                let rows_ok = sections.iter().all(|s| {
                    s.get("rows")
                        .and_then(Value::as_array)
                        .is_some_and(|rows| !rows.is_empty() && rows.iter().all(|r| titled(r, 24)))
                });
                if sections.is_empty() || !rows_ok {
                    return bad("sections must hold rows of {id, title} with titles of at most 24 characters");
                }
            }
            _ => return bad("type must be one of the following values: button, list"),
        }
        let mut m = Msg::new("interactive", false, &chat.wa_contact_id, Utc::now());
        m.body_text = Some(body_text.to_owned());
        let mut content = map.clone();
        content.remove("reference_wamid");
        m.content_payload = Value::Object(content);
        Ok(Send::Free(m))
    };
    run_send(state.clone(), &id, &map, build)
}

async fn send_location(State(state): State<SimState>, Path(id): Path<String>, request: Admitted) -> Answer {
    let map = request.json()?;
    let build = |chat: &Chat| -> Result<Send, Refusal> {
        let lat = map.get("latitude").and_then(Value::as_f64).filter(|v| (-90.0..=90.0).contains(v));
        let lng = map.get("longitude").and_then(Value::as_f64).filter(|v| (-180.0..=180.0).contains(v));
        let (Some(lat), Some(lng)) = (lat, lng) else {
            return Err(error(
                StatusCode::BAD_REQUEST,
                vec!["latitude must be a number within ±90", "longitude must be a number within ±180"],
            ));
        };
        let mut m = Msg::new("location", false, &chat.wa_contact_id, Utc::now());
        m.body_text = text(&map, "name").map(str::to_owned);
        m.content_payload =
            json!({ "latitude": lat, "longitude": lng, "name": map.get("name"), "address": map.get("address") });
        Ok(Send::Free(m))
    };
    run_send(state.clone(), &id, &map, build)
}

#[derive(Deserialize)]
struct Paging {
    page: Option<String>,
    limit: Option<String>,
}

async fn timeline(
    State(state): State<SimState>,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
    _admitted: Admitted,
) -> Answer {
    let number = |v: Option<String>, default: usize| match v {
        None => Some(default),
        Some(s) => s.parse::<usize>().ok().filter(|n| *n >= 1),
    };
    let (Some(page), Some(limit)) = (number(paging.page, 1), number(paging.limit, 20)) else {
        return Err(error(StatusCode::BAD_REQUEST, vec!["page and limit must be positive integers"]));
    };
    let limit = limit.min(100);
    let w = state.wegly();
    let Some(chat) = w.chat(&id) else {
        return Err(not_found("Chat"));
    };
    let records: Vec<Value> = chat
        .messages
        .iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|m| {
            json!({ "event_type": "MESSAGE", "event_at": super::store::iso(m.created_at), "message": m.json(&chat.id) })
        })
        .collect();
    Ok(axum::Json(json!({ "total": chat.messages.len(), "records": records })).into_response())
}

async fn remove_reaction(
    State(state): State<SimState>,
    Path((id, message_id)): Path<(String, String)>,
    _admitted: Admitted,
) -> Answer {
    let mut w = state.wegly();
    let Some(chat) = w.chat_mut(&id) else {
        return Err(not_found("Chat"));
    };
    let Some(m) = chat.message_mut(&message_id) else {
        return Err(error(StatusCode::NOT_FOUND, "Mensagem não encontrada"));
    };
    let before = m.reactions.len();
    m.reactions.retain(|r| r.actor == "CONTACT");
    if m.reactions.len() == before {
        return Err(error(StatusCode::NOT_FOUND, "Reação não encontrada"));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn responsible(State(state): State<SimState>, Path(id): Path<String>, request: Admitted) -> Answer {
    let map = request.json()?;
    let Some(user_id) = text(&map, "user_id").filter(|u| is_uuid(u)) else {
        return Err(error(StatusCode::BAD_REQUEST, vec!["user_id must be a UUID"]));
    };
    let mut w: std::sync::MutexGuard<'_, WeglyState> = state.wegly();
    let Some(user) = w.user(user_id) else {
        return Err(not_found("Usuário"));
    };
    let Some(chat) = w.chat_mut(&id) else {
        return Err(not_found("Chat"));
    };
    chat.assigned = Some(user);
    Ok(axum::Json(chat.json(true)).into_response())
}
