//! Control routes for ZChat/Omnize, mounted under `/_sim/zchat`.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /webhook` | | `{url, whatsapp_url}` |
//! | `POST /webhook` | `{url, flavour?}` | `{url, whatsapp_url}` (the URL "pasted in the admin site"; `flavour: "whatsapp"` sets the WhatsApp flavour's own) |
//! | `GET /settings` | | [`ZchatSettings`] |
//! | `POST /settings` | [`ZchatSettingsPatch`] | [`ZchatSettings`] |
//! | `POST /fail-next` | `{count, status?, message?}` | [`ZchatSettings`] |
//! | `GET /departments` | | `[SimDepartment]` |
//! | `PUT /departments` | `[SimDepartment]` | `[SimDepartment]` |
//! | `GET /interactions` | | `[SimInteraction]` |
//! | `GET /history-fetches` | | `[HistoryFetch]` |
//! | `POST /trigger` | [`Trigger`] | [`FireResult`]; 409 no webhook, 502 delivery failed |
//! | `POST /trigger-raw` | `{body}` | [`FireResult`] (same errors) |

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{
    Flavour, HistoryFetch, SimDepartment, SimInteraction, Trigger, ZchatSettings, ZchatSettingsPatch, ZchatSim,
};
use crate::control::{ApiError, JsonBody};
use crate::mconnect::FireResult;
use crate::state::SimState;

pub(crate) fn routes() -> Router<SimState> {
    Router::new()
        .route("/webhook", get(webhook).post(set_webhook))
        .route("/settings", get(settings).post(set_settings))
        .route("/fail-next", post(fail_next))
        .route("/departments", get(departments).put(set_departments))
        .route("/interactions", get(interactions))
        .route("/history-fetches", get(history_fetches))
        .route("/trigger", post(trigger))
        .route("/trigger-raw", post(trigger_raw))
}

#[derive(Serialize, Deserialize)]
struct WebhookUrl {
    url: Option<String>,
    /// Where WhatsApp-flavour triggers go, when set apart from `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    whatsapp_url: Option<String>,
}

#[derive(Deserialize)]
struct SetWebhook {
    url: Option<String>,
    #[serde(default)]
    flavour: Option<Flavour>,
}

#[derive(Deserialize)]
struct FailNext {
    count: u32,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct RawTrigger {
    body: String,
}

fn webhook_urls(sim: &ZchatSim) -> WebhookUrl {
    WebhookUrl { url: sim.webhook(), whatsapp_url: sim.whatsapp_webhook() }
}

async fn webhook(State(state): State<SimState>) -> Json<WebhookUrl> {
    Json(webhook_urls(&ZchatSim::new(state)))
}

async fn set_webhook(State(state): State<SimState>, body: JsonBody<SetWebhook>) -> Result<Json<WebhookUrl>, ApiError> {
    let Json(SetWebhook { url, flavour }) = body?;
    let url = url.filter(|u| crate::is_http_url(u));
    let url = url.ok_or_else(|| ApiError::bad_request("`url` must be an http(s) URL"))?;
    let sim = ZchatSim::new(state);
    match flavour {
        Some(Flavour::Whatsapp) => sim.set_whatsapp_webhook(url),
        _ => sim.set_webhook(url),
    }
    Ok(Json(webhook_urls(&sim)))
}

async fn settings(State(state): State<SimState>) -> Json<ZchatSettings> {
    Json(ZchatSim::new(state).settings())
}

async fn set_settings(
    State(state): State<SimState>,
    body: JsonBody<ZchatSettingsPatch>,
) -> Result<Json<ZchatSettings>, ApiError> {
    let Json(patch) = body?;
    Ok(Json(ZchatSim::new(state).apply(patch)))
}

async fn fail_next(State(state): State<SimState>, body: JsonBody<FailNext>) -> Result<Json<ZchatSettings>, ApiError> {
    let Json(FailNext { count, status, message }) = body?;
    let status = status.unwrap_or(422);
    if !(400..600).contains(&status) {
        return Err(ApiError::bad_request("`status` must be an HTTP error status (400-599)"));
    }
    let sim = ZchatSim::new(state);
    sim.fail_next(count, status, message.unwrap_or_else(|| "Error description here".into()));
    Ok(Json(sim.settings()))
}

async fn departments(State(state): State<SimState>) -> Json<Vec<SimDepartment>> {
    Json(ZchatSim::new(state).departments())
}

async fn set_departments(
    State(state): State<SimState>,
    body: JsonBody<Vec<SimDepartment>>,
) -> Result<Json<Vec<SimDepartment>>, ApiError> {
    let Json(list) = body?;
    let sim = ZchatSim::new(state);
    sim.set_departments(list);
    Ok(Json(sim.departments()))
}

async fn interactions(State(state): State<SimState>) -> Json<Vec<SimInteraction>> {
    Json(ZchatSim::new(state).interactions())
}

async fn history_fetches(State(state): State<SimState>) -> Json<Vec<HistoryFetch>> {
    Json(ZchatSim::new(state).history_fetches())
}

async fn trigger(State(state): State<SimState>, body: JsonBody<Trigger>) -> Result<Json<FireResult>, ApiError> {
    let Json(trigger) = body?;
    Ok(Json(ZchatSim::new(state).fire(trigger).await?))
}

async fn trigger_raw(State(state): State<SimState>, body: JsonBody<RawTrigger>) -> Result<Json<FireResult>, ApiError> {
    let Json(RawTrigger { body }) = body?;
    Ok(Json(ZchatSim::new(state).fire_raw(body).await?))
}
