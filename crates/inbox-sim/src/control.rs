//! The `/_sim` control API shared by all providers, and the JSON error type
//! every control route answers with.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::error::SimError;
use crate::state::{Recorded, SimState};

/// Providers this build simulates, as listed by `GET /_sim/health`.
pub const PROVIDERS: &[&str] =
    &[crate::mconnect::PROVIDER, crate::zchat::PROVIDER, crate::cirrus::PROVIDER, crate::wegly::PROVIDER];

/// Routes mounted under `/_sim` (providers nest their own under `/_sim/<name>`).
pub(crate) fn routes() -> Router<SimState> {
    Router::new().route("/health", get(health)).route("/requests", get(list_requests).delete(clear_requests))
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true, "providers": PROVIDERS }))
}

async fn list_requests(State(state): State<SimState>) -> Json<Vec<Recorded>> {
    Json(state.requests())
}

async fn clear_requests(State(state): State<SimState>) -> Json<serde_json::Value> {
    Json(json!({ "cleared": state.clear_requests() }))
}

/// A control route's JSON body: a body that does not parse becomes an [`ApiError`] (400) with `?`.
pub(crate) type JsonBody<T> = Result<Json<T>, JsonRejection>;

/// A control-route failure, answered as `{"error": "..."}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, message: message.into() }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, message: message.into() }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::bad_request(rejection.body_text())
    }
}

impl From<SimError> for ApiError {
    fn from(error: SimError) -> Self {
        let status = match &error {
            SimError::NoWebhook { .. } | SimError::NoCallback { .. } => StatusCode::CONFLICT,
            SimError::NoProviderWebhook { .. } => StatusCode::CONFLICT,
            SimError::Unknown { .. } => StatusCode::NOT_FOUND,
            SimError::Delivery { .. } => StatusCode::BAD_GATEWAY,
            SimError::Client(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self { status, message: error.to_string() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}
