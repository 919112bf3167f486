//! inboxd: the engine behind a local HTTP API, with an event stream.
//!
//! The API is the same command set the desktop shell exposes over IPC, as JSON routes under
//! `/api`, protected by a bearer token. Engine events stream as Server-Sent Events on
//! `/api/events`. The built web UI can be served from the same origin. The webhook receiver is
//! the engine's own (see `inbox_core::Config::webhook_listen`).

mod api;
mod error;
mod openapi;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use inbox_core::{Inbox, Sensitive};
use subtle::ConstantTimeEq;
use tower_http::services::{ServeDir, ServeFile};

pub use error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub inbox: Inbox,
    /// The demo of `inbox`: started by `--demo` or by `POST /api/demo`.
    #[cfg(feature = "demo")]
    pub demo: inbox_demo::Demo,
    token: Arc<Sensitive>,
}

impl AppState {
    /// The engine and the API's bearer token, with the engine's demo not started.
    pub fn new(inbox: Inbox, token: Sensitive) -> AppState {
        AppState {
            #[cfg(feature = "demo")]
            demo: inbox_demo::Demo::new(inbox.clone()),
            inbox,
            token: Arc::new(token),
        }
    }
}

/// The whole HTTP app: `/api` (bearer token), `/api/openapi.json` (public), and the UI's files.
pub fn app(inbox: Inbox, token: Sensitive, ui_dir: Option<PathBuf>) -> Router {
    router(AppState::new(inbox, token), ui_dir)
}

/// [`app`] over a state made beforehand (to start its demo first).
pub fn router(state: AppState, ui_dir: Option<PathBuf>) -> Router {
    let api = api::routes()
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token))
        .route("/api/openapi.json", axum::routing::get(openapi::document));
    let app = api.with_state(state);
    match ui_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            app.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => app,
    }
}

async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if bool::from(presented.as_bytes().ct_eq(state.token.expose().as_bytes())) && !presented.is_empty() {
        next.run(request).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(inbox_core::ErrorBody::new("unauthorized", inbox_core::text!("api.unauthorized"))),
        )
            .into_response()
    }
}
