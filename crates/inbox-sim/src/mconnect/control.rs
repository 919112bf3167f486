//! Control routes for mConnect, mounted under `/_sim/mconnect`.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /webhooks` | | `{number: url}` |
//! | `GET /settings` | | [`MconnectSettings`] |
//! | `POST /inbound` | [`Inbound`] | [`FireResult`]; 409 no webhook, 502 delivery failed |
//! | `POST /inbound-raw` | `{number, body}` | [`FireResult`] (same errors) |
//! | `POST /fail-next` | `{count}` | [`MconnectSettings`] |
//! | `POST /quirks` | `{concat_json}` | [`MconnectSettings`] |
//! | `POST /delay` | `{millis}` | [`MconnectSettings`] |

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::{FireResult, Inbound, MconnectSettings, MconnectSim};
use crate::control::{ApiError, JsonBody};
use crate::state::SimState;

pub(crate) fn routes() -> Router<SimState> {
    Router::new()
        .route("/webhooks", get(webhooks))
        .route("/settings", get(settings))
        .route("/inbound", post(inbound))
        .route("/inbound-raw", post(inbound_raw))
        .route("/fail-next", post(fail_next))
        .route("/quirks", post(quirks))
        .route("/delay", post(delay))
}

#[derive(Deserialize)]
struct RawInbound {
    number: String,
    body: String,
}

#[derive(Deserialize)]
struct FailNext {
    count: u32,
}

#[derive(Deserialize)]
struct Quirks {
    concat_json: bool,
}

#[derive(Deserialize)]
struct Delay {
    millis: u64,
}

async fn webhooks(State(state): State<SimState>) -> Json<BTreeMap<String, String>> {
    Json(MconnectSim::new(state).webhooks())
}

async fn settings(State(state): State<SimState>) -> Json<MconnectSettings> {
    Json(MconnectSim::new(state).settings())
}

async fn inbound(State(state): State<SimState>, body: JsonBody<Inbound>) -> Result<Json<FireResult>, ApiError> {
    let Json(inbound) = body?;
    Ok(Json(MconnectSim::new(state).fire(inbound).await?))
}

async fn inbound_raw(State(state): State<SimState>, body: JsonBody<RawInbound>) -> Result<Json<FireResult>, ApiError> {
    let Json(raw) = body?;
    Ok(Json(MconnectSim::new(state).fire_raw(&raw.number, raw.body).await?))
}

async fn fail_next(
    State(state): State<SimState>,
    body: JsonBody<FailNext>,
) -> Result<Json<MconnectSettings>, ApiError> {
    let Json(FailNext { count }) = body?;
    let sim = MconnectSim::new(state);
    sim.fail_next_sends(count);
    Ok(Json(sim.settings()))
}

async fn quirks(State(state): State<SimState>, body: JsonBody<Quirks>) -> Result<Json<MconnectSettings>, ApiError> {
    let Json(Quirks { concat_json }) = body?;
    let sim = MconnectSim::new(state);
    sim.set_concat_quirk(concat_json);
    Ok(Json(sim.settings()))
}

async fn delay(State(state): State<SimState>, body: JsonBody<Delay>) -> Result<Json<MconnectSettings>, ApiError> {
    let Json(Delay { millis }) = body?;
    let sim = MconnectSim::new(state);
    sim.set_delay(Duration::from_millis(millis));
    Ok(Json(sim.settings()))
}
