//! Provider simulator for Agent Inbox.
//!
//! Fake omnichannel provider APIs on loopback: they record every request they
//! receive, answer like the real servers (quirks included), and fire real
//! webhooks at whatever URL the client registered.
//!
//! Each provider is a module with its own endpoint routes, control routes
//! (under `/_sim/<provider>`), state (a field of [`SimState`]) and handle
//! (like [`MconnectSim`]). Today: [`mconnect`], [`zchat`] (ZChat and Omnize, under `/zchat`),
//! [`cirrus`] (under `/cirrus`) and [`wegly`] (under `/wegly`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = inbox_sim::Simulator::start(([127, 0, 0, 1], 0).into())?;
//! println!("point the client at {}", sim.mconnect_url());
//! # Ok(()) }
//! ```

pub mod cirrus;
mod control;
mod error;
mod fetch;
/// The provider documents' examples (their own crate, so the engine's tests can use them
/// without the simulator).
pub use inbox_fixtures as fixtures;
pub mod mconnect;
mod media;
pub mod sample;
mod server;
mod state;
mod webhook;
pub mod wegly;
pub mod zchat;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

pub use cirrus::{CirrusFailure, CirrusInbound, CirrusSim};
pub use control::PROVIDERS;
pub use error::SimError;
pub use fetch::MediaFetch;
pub use mconnect::{Inbound, InboundKind, InboundMessage, MconnectSettings, MconnectSim};
pub use server::{SimHandle, Simulator};
pub use state::{Recorded, SimState};
pub use webhook::FireResult;
pub use wegly::{CustomerMessage, MediaSpec, Signing, SimUser, WeglyEvent, WeglyFire, WeglySettings, WeglySim};
pub use zchat::ZchatSim;

/// The whole simulator as an axum router, for embedding in another server.
/// Use [`MconnectSim::new`] with the same `state` to drive it from Rust.
pub fn router(state: SimState) -> Router {
    let control = control::routes()
        .nest("/mconnect", mconnect::control_routes())
        .nest("/zchat", zchat::control_routes())
        .nest("/cirrus", cirrus::control_routes())
        .nest("/wegly", wegly::control_routes());
    Router::new()
        .merge(mconnect::routes())
        .merge(zchat::routes())
        .merge(cirrus::routes())
        .merge(wegly::routes())
        .merge(media::routes())
        .nest("/_sim", control)
        .fallback(unknown_route)
        .with_state(state)
}

/// A request no route serves is recorded as provider `"unknown"`, so a client
/// calling a wrong URL shows up in the request log, then answered 404.
async fn unknown_route(
    State(state): State<SimState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    tracing::warn!(%method, %uri, "no simulated route");
    state.record(Recorded::capture("unknown", &method, &uri, &headers, &body));
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({ "error": format!("no simulated route for {method} {uri}") })),
    )
}

/// A webhook URL fit for logs and errors: its origin only. Webhook URLs carry their receiver's
/// secret in the path, and the simulator runs inside the app in demo mode.
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => format!("{}/…", u.origin().ascii_serialization()),
        Err(_) => "<unparsable url>".into(),
    }
}

/// Whether `url` is an absolute http(s) URL, as every webhook, callback, history and media URL
/// the simulator is given must be.
pub(crate) fn is_http_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod redact_tests {
    #[test]
    fn only_the_origin_survives() {
        assert_eq!(super::redact_url("http://127.0.0.1:8787/webhooks/mconnect/acc/s3cr3t"), "http://127.0.0.1:8787/…");
        assert_eq!(super::redact_url("not a url"), "<unparsable url>");
    }

    #[test]
    fn only_http_urls_are_urls_to_call() {
        assert!(super::is_http_url("http://127.0.0.1:1/hook"));
        assert!(super::is_http_url("https://example.com/x"));
        assert!(!super::is_http_url("ftp://example.com/x"));
        assert!(!super::is_http_url("not a url"));
    }
}
