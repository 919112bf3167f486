//! Control routes for Cirrus, mounted under `/_sim/cirrus`.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /state` | | [`CirrusSnapshot`] |
//! | `POST /callback` | `{url}` | `{url}` (Cirrus's `platforms[].callbackUrl`) |
//! | `POST /inbound` | [`CirrusInbound`] | [`FireResult`]; 409 no callback URL, 502 delivery failed |
//! | `POST /inbound-raw` | `{body}` (any text) | [`FireResult`] (same errors) |
//! | `POST /fail-next` | [`CirrusFailure`] | `{ok}` |
//! | `POST /token` | `{token}` (`null`: no check) | `{token_required}` |
//! | `POST /tags` | `{client_identifier, name, color}` | the tag, created on Cirrus's side |
//! | `PATCH /tags/{id}` | `{name}` | the tag, renamed on Cirrus's side |
//! | `POST /contacts` | `{client_identifier, channel_id, number, name, tag_ids}` | the contact |
//! | `PATCH /contacts/{id}` | [`ContactEdit`] | the contact, changed on Cirrus's side |
//! | `POST /sessions/{id}/close` | | `{closed}` |

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{CirrusFailure, CirrusInbound, CirrusSim, CirrusSnapshot, ContactEdit};
use crate::control::{ApiError, JsonBody};
use crate::state::SimState;
use crate::webhook::FireResult;

pub(crate) fn routes() -> Router<SimState> {
    Router::new()
        .route("/state", get(snapshot))
        .route("/callback", post(set_callback))
        .route("/inbound", post(inbound))
        .route("/inbound-raw", post(inbound_raw))
        .route("/fail-next", post(fail_next))
        .route("/token", post(token))
        .route("/tags", post(add_tag))
        .route("/tags/{id}", patch(rename_tag))
        .route("/contacts", post(add_contact))
        .route("/contacts/{id}", patch(edit_contact))
        .route("/sessions/{id}/close", post(close_session))
}

#[derive(Deserialize)]
struct Callback {
    url: String,
}

#[derive(Deserialize)]
struct Raw {
    body: String,
}

#[derive(Deserialize)]
struct Token {
    token: Option<String>,
}

#[derive(Deserialize)]
struct NewTag {
    client_identifier: String,
    name: String,
    #[serde(default)]
    color: Option<String>,
}

#[derive(Deserialize)]
struct TagName {
    name: String,
}

#[derive(Deserialize)]
struct NewContact {
    client_identifier: String,
    channel_id: String,
    number: String,
    name: String,
    #[serde(default)]
    tag_ids: Vec<String>,
}

fn missing(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": format!("no such {what}") }))).into_response()
}

async fn snapshot(State(state): State<SimState>) -> Json<CirrusSnapshot> {
    Json(CirrusSim::new(state).snapshot())
}

async fn set_callback(State(state): State<SimState>, body: JsonBody<Callback>) -> Result<Json<Value>, ApiError> {
    let Json(Callback { url }) = body?;
    if !crate::is_http_url(&url) {
        return Err(ApiError::bad_request("url must be an http(s) URL"));
    }
    CirrusSim::new(state).set_callback_url(url.clone());
    Ok(Json(json!({ "url": url })))
}

async fn inbound(State(state): State<SimState>, body: JsonBody<CirrusInbound>) -> Result<Json<FireResult>, ApiError> {
    let Json(inbound) = body?;
    Ok(Json(CirrusSim::new(state).fire(inbound).await?))
}

async fn inbound_raw(State(state): State<SimState>, body: JsonBody<Raw>) -> Result<Json<FireResult>, ApiError> {
    let Json(raw) = body?;
    Ok(Json(CirrusSim::new(state).fire_raw(raw.body).await?))
}

async fn fail_next(State(state): State<SimState>, body: JsonBody<CirrusFailure>) -> Result<Json<Value>, ApiError> {
    let Json(failure) = body?;
    CirrusSim::new(state).fail_next(failure);
    Ok(Json(json!({ "ok": true })))
}

async fn token(State(state): State<SimState>, body: JsonBody<Token>) -> Result<Json<Value>, ApiError> {
    let Json(Token { token }) = body?;
    let required = token.is_some();
    CirrusSim::new(state).require_token(token);
    Ok(Json(json!({ "token_required": required })))
}

async fn add_tag(State(state): State<SimState>, body: JsonBody<NewTag>) -> Result<Response, ApiError> {
    let Json(t) = body?;
    let sim = CirrusSim::new(state);
    let id = sim.add_tag(&t.client_identifier, &t.name, t.color.as_deref());
    let tag = sim.tags().into_iter().find(|x| x.id == id);
    Ok(Json(tag).into_response())
}

async fn rename_tag(
    State(state): State<SimState>,
    Path(id): Path<String>,
    body: JsonBody<TagName>,
) -> Result<Response, ApiError> {
    let Json(TagName { name }) = body?;
    let sim = CirrusSim::new(state);
    if !sim.rename_tag(&id, &name) {
        return Ok(missing("tag"));
    }
    Ok(Json(sim.tags().into_iter().find(|t| t.id == id)).into_response())
}

async fn add_contact(State(state): State<SimState>, body: JsonBody<NewContact>) -> Result<Response, ApiError> {
    let Json(c) = body?;
    let sim = CirrusSim::new(state);
    let tags: Vec<&str> = c.tag_ids.iter().map(String::as_str).collect();
    let id = sim.add_contact(&c.client_identifier, &c.channel_id, &c.number, &c.name, &tags);
    Ok(Json(sim.contact(&id)).into_response())
}

async fn edit_contact(
    State(state): State<SimState>,
    Path(id): Path<String>,
    body: JsonBody<ContactEdit>,
) -> Result<Response, ApiError> {
    let Json(edit) = body?;
    Ok(match CirrusSim::new(state).edit_contact(&id, &edit) {
        Some(c) => Json(c).into_response(),
        None => missing("contact"),
    })
}

async fn close_session(State(state): State<SimState>, Path(id): Path<String>) -> Response {
    if CirrusSim::new(state).close_session(&id) {
        Json(json!({ "closed": true })).into_response()
    } else {
        missing("session")
    }
}
