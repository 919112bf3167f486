//! Control routes for Wegly, mounted under `/_sim/wegly`.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /settings` | | [`WeglySettings`] |
//! | `GET /users` | | the users chats can be assigned to |
//! | `POST /subscription` | [`Subscription`] `{url, secret, signing?}` | [`WeglySettings`] |
//! | `DELETE /subscription` | | [`WeglySettings`] |
//! | `POST /tokens` | `{token}` | [`WeglySettings`] |
//! | `POST /allowed-domain` | `{domain}` (null lifts it) | [`WeglySettings`] |
//! | `POST /fail-next` | `{status, message}` | [`WeglySettings`] |
//! | `POST /auto-events` | `{on}` | [`WeglySettings`] |
//! | `POST /chats` | `{wa_contact_id, contact_name?, history?, last_customer_msg_at?}` | the chat |
//! | `GET /chats/{id}` | | `{chat, messages}` |
//! | `POST /chats/{id}/last-customer-message` | `{at}` | the chat |
//! | `POST /events` | `{event: WeglyEvent, signing?}` | [`WeglyFire`]; 404 unknown chat/message, 409 no subscription, 502 delivery failed |
//! | `POST /redeliver` | | [`WeglyFire`] (the last delivery again) |

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Signing, SimUser, Subscription, WeglyEvent, WeglyFire, WeglySettings, WeglySim};
use crate::control::{ApiError, JsonBody};
use crate::state::SimState;

pub(crate) fn routes() -> Router<SimState> {
    Router::new()
        .route("/settings", get(settings))
        .route("/users", get(users))
        .route("/subscription", post(subscribe).delete(unsubscribe))
        .route("/tokens", post(add_token))
        .route("/allowed-domain", post(allowed_domain))
        .route("/fail-next", post(fail_next))
        .route("/auto-events", post(auto_events))
        .route("/chats", post(seed_chat))
        .route("/chats/{id}", get(chat))
        .route("/chats/{id}/last-customer-message", post(last_customer_message))
        .route("/events", post(fire))
        .route("/redeliver", post(redeliver))
}

async fn settings(State(state): State<SimState>) -> Json<WeglySettings> {
    Json(WeglySim::new(state).settings())
}

async fn users(State(state): State<SimState>) -> Json<Vec<SimUser>> {
    Json(WeglySim::new(state).users())
}

async fn subscribe(
    State(state): State<SimState>,
    body: JsonBody<Subscription>,
) -> Result<Json<WeglySettings>, ApiError> {
    let Json(s) = body?;
    if !crate::is_http_url(&s.url) {
        return Err(ApiError::bad_request("url must be an http(s) URL"));
    }
    if s.secret.is_empty() {
        return Err(ApiError::bad_request("secret must not be empty"));
    }
    let sim = WeglySim::new(state);
    sim.subscribe(s.url, s.secret, s.signing);
    Ok(Json(sim.settings()))
}

async fn unsubscribe(State(state): State<SimState>) -> Json<WeglySettings> {
    let sim = WeglySim::new(state);
    sim.unsubscribe();
    Json(sim.settings())
}

#[derive(Deserialize)]
struct Token {
    token: String,
}

async fn add_token(State(state): State<SimState>, body: JsonBody<Token>) -> Result<Json<WeglySettings>, ApiError> {
    let Json(Token { token }) = body?;
    if token.trim().is_empty() {
        return Err(ApiError::bad_request("token must not be empty"));
    }
    let sim = WeglySim::new(state);
    sim.add_token(token.trim());
    Ok(Json(sim.settings()))
}

#[derive(Deserialize)]
struct Domain {
    domain: Option<String>,
}

async fn allowed_domain(
    State(state): State<SimState>,
    body: JsonBody<Domain>,
) -> Result<Json<WeglySettings>, ApiError> {
    let Json(Domain { domain }) = body?;
    let sim = WeglySim::new(state);
    sim.set_allowed_domain(domain.filter(|d| !d.trim().is_empty()));
    Ok(Json(sim.settings()))
}

#[derive(Deserialize)]
struct FailNext {
    status: u16,
    message: String,
}

async fn fail_next(State(state): State<SimState>, body: JsonBody<FailNext>) -> Result<Json<WeglySettings>, ApiError> {
    let Json(FailNext { status, message }) = body?;
    if !(400..=599).contains(&status) {
        return Err(ApiError::bad_request("status must be an HTTP error status (400 to 599)"));
    }
    let sim = WeglySim::new(state);
    sim.fail_next(status, message);
    Ok(Json(sim.settings()))
}

#[derive(Deserialize)]
struct On {
    on: bool,
}

async fn auto_events(State(state): State<SimState>, body: JsonBody<On>) -> Result<Json<WeglySettings>, ApiError> {
    let Json(On { on }) = body?;
    let sim = WeglySim::new(state);
    sim.set_auto_events(on);
    Ok(Json(sim.settings()))
}

#[derive(Deserialize)]
struct Seed {
    wa_contact_id: String,
    #[serde(default)]
    contact_name: Option<String>,
    #[serde(default)]
    history: usize,
    #[serde(default)]
    last_customer_msg_at: Option<DateTime<Utc>>,
}

async fn seed_chat(State(state): State<SimState>, body: JsonBody<Seed>) -> Result<Json<Value>, ApiError> {
    let Json(seed) = body?;
    if seed.history > 10_000 {
        return Err(ApiError::bad_request("history is at most 10000 messages"));
    }
    let sim = WeglySim::new(state);
    let id = sim.seed_chat(&seed.wa_contact_id, seed.contact_name.as_deref(), seed.history, seed.last_customer_msg_at);
    Ok(Json(sim.chat(&id).unwrap_or(Value::Null)))
}

async fn chat(State(state): State<SimState>, Path(id): Path<String>) -> Response {
    let sim = WeglySim::new(state);
    match sim.chat(&id) {
        Some(chat) => Json(json!({ "chat": chat, "messages": sim.messages(&id) })).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("no chat {id}") }))).into_response(),
    }
}

#[derive(Deserialize)]
struct At {
    at: Option<DateTime<Utc>>,
}

async fn last_customer_message(
    State(state): State<SimState>,
    Path(id): Path<String>,
    body: JsonBody<At>,
) -> Result<Json<Value>, ApiError> {
    let Json(At { at }) = body?;
    let sim = WeglySim::new(state);
    if !sim.set_last_customer_msg_at(&id, at) {
        return Err(ApiError::not_found(format!("no chat {id}")));
    }
    Ok(Json(sim.chat(&id).unwrap_or(Value::Null)))
}

#[derive(Deserialize)]
struct Fire {
    event: WeglyEvent,
    #[serde(default)]
    signing: Option<Signing>,
}

async fn fire(State(state): State<SimState>, body: JsonBody<Fire>) -> Result<Json<WeglyFire>, ApiError> {
    let Json(Fire { event, signing }) = body?;
    Ok(Json(WeglySim::new(state).fire_signed(event, signing).await?))
}

async fn redeliver(State(state): State<SimState>) -> Result<Json<WeglyFire>, ApiError> {
    Ok(Json(WeglySim::new(state).redeliver().await?))
}
