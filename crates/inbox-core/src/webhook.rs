//! The webhook receiver: an axum server the engine starts on loopback.
//!
//! Each account has its own URL, `/webhooks/{provider}/{account_id}/{secret}`; the secret is 256
//! random bits, kept in the keychain, and only its SHA-256 is in SQLite. A delivery is answered 2xx
//! only after the raw payload and the message it carries are committed in one transaction.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Inbox;
use crate::model::Provider;
use crate::providers::{self, WebhookError, WebhookEvent};
use crate::secrets::Sensitive;

/// Providers send small JSON documents; anything larger is refused before it is read whole.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub(crate) fn new_secret() -> Sensitive {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Sensitive::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn secret_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub(crate) fn url(base: &str, provider: Provider, account_id: &str, secret: &Sensitive) -> String {
    format!("{}/webhooks/{}/{}/{}", base.trim_end_matches('/'), provider.as_str(), account_id, secret.expose())
}

pub(crate) fn router(inbox: Inbox) -> Router {
    Router::new()
        .route("/webhooks/{provider}/{account_id}/{secret}", post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(inbox)
}

pub(crate) async fn serve(listener: tokio::net::TcpListener, inbox: Inbox) {
    let addr = listener.local_addr().ok();
    if let Err(e) = axum::serve(listener, router(inbox)).await {
        tracing::error!(?addr, error = %e, "webhook receiver stopped");
    }
}

fn reject(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "code": code, "message": message.into() }))).into_response()
}

#[tracing::instrument(name = "webhook", skip_all, fields(provider = %provider, account = %account_id))]
async fn receive(
    State(inbox): State<Inbox>,
    Path((provider, account_id, secret)): Path<(String, String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // Authenticate first: an unknown URL learns nothing about what the body should look like.
    let known = match inbox.store().webhook_secret_hash(&account_id).await {
        Ok(known) => known,
        Err(e) => {
            tracing::error!(error = %e, "looking up the webhook's account failed");
            return reject(StatusCode::SERVICE_UNAVAILABLE, "storage_error", "try again later");
        }
    };
    let authentic = known.as_ref().is_some_and(|(p, hash)| {
        p.as_str() == provider && bool::from(secret_hash(&secret).as_slice().ct_eq(hash.as_slice()))
    });
    let Some((provider, _)) = known.filter(|_| authentic) else {
        tracing::warn!("webhook with an unknown account or a wrong secret");
        return reject(StatusCode::UNAUTHORIZED, "webhook_unauthorized", "unknown webhook URL");
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("the body is larger than {MAX_BODY_BYTES} bytes")
            } else {
                rejection.body_text()
            };
            return reject(status, "webhook_body_rejected", message);
        }
    };
    let event = match providers::parse_webhook(provider, &body) {
        Ok(event) => event,
        Err(e @ WebhookError::InvalidJson(_)) => {
            return reject(StatusCode::BAD_REQUEST, "webhook_invalid_json", e.to_string());
        }
        Err(e @ WebhookError::Invalid(_)) => {
            return reject(StatusCode::UNPROCESSABLE_ENTITY, "webhook_invalid_payload", e.to_string());
        }
    };
    let message = match event {
        WebhookEvent::Message(message) => message,
        WebhookEvent::Ignored(why) => {
            tracing::debug!(why, "webhook ignored");
            return (StatusCode::OK, axum::Json(json!({ "ok": true, "ignored": why }))).into_response();
        }
    };
    let raw = String::from_utf8_lossy(&body);
    match inbox.ingest(&account_id, &raw, &message).await {
        Ok(true) => (StatusCode::OK, axum::Json(json!({ "ok": true }))).into_response(),
        Ok(false) => (StatusCode::OK, axum::Json(json!({ "ok": true, "duplicate": true }))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "storing a webhook failed");
            reject(StatusCode::SERVICE_UNAVAILABLE, "storage_error", "not stored; deliver again")
        }
    }
}

/// Binds the receiver; port 0 picks a free port.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}
