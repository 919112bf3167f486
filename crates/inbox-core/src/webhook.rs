//! The webhook receiver: an axum server the engine starts on loopback.
//!
//! Each account has its own URL, `/webhooks/{provider}/{account_id}/{secret}`; the secret is 256
//! random bits, kept in the keychain, and only its SHA-256 is in SQLite. A delivery is answered 2xx
//! only after the raw payload and the message it carries are committed in one transaction.
//!
//! The same server answers `GET /history/{conversation_id}/{token}`: the `external_history`
//! document ZChat/Omnize read, built from the stored conversation. The token is an HMAC of the
//! conversation id under the account's webhook secret, so it is unguessable and stores nothing.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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

/// The `external_history` token of a conversation.
pub(crate) fn history_token(secret: &Sensitive, conversation_id: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(b"history:");
    mac.update(conversation_id.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub(crate) fn url(base: &str, provider: Provider, account_id: &str, secret: &Sensitive) -> String {
    format!("{}/webhooks/{}/{}/{}", base.trim_end_matches('/'), provider.as_str(), account_id, secret.expose())
}

pub(crate) fn router(inbox: Inbox) -> Router {
    Router::new()
        .route("/webhooks/{provider}/{account_id}/{secret}", post(receive))
        .route("/history/{conversation_id}/{token}", get(history))
        // Files from disk: a stored file, at an expiring URL (see media.rs).
        .route("/media/{media_id}/{token}", get(crate::media::serve))
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
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // Authenticate first: an unknown URL learns nothing about what the body should look like.
    let known = match inbox.inner.store.webhook_secret_hash(&account_id).await {
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
    let secrets = match inbox.inner.store.get_account(&account_id).await {
        Ok(row) => inbox.account_secrets(&row).await,
        Err(e) => {
            tracing::error!(error = %e, "loading the webhook's account failed");
            return reject(StatusCode::SERVICE_UNAVAILABLE, "storage_error", "try again later");
        }
    };
    let request = providers::WebhookRequest { headers: &headers, body: &body, secrets: &secrets };
    let events = match providers::parse_webhook(provider, &request) {
        Ok(events) => events,
        Err(e @ WebhookError::InvalidJson(_)) => {
            return reject(StatusCode::BAD_REQUEST, "webhook_invalid_json", e.to_string());
        }
        Err(e @ WebhookError::Invalid(_)) => {
            return reject(StatusCode::UNPROCESSABLE_ENTITY, "webhook_invalid_payload", e.to_string());
        }
        Err(e @ WebhookError::Unauthorized(_)) => {
            tracing::warn!(reason = %e, "webhook refused");
            return reject(StatusCode::UNAUTHORIZED, "webhook_unauthorized", e.to_string());
        }
    };
    if let [WebhookEvent::Ignored(why)] = events.as_slice() {
        tracing::debug!(why, "webhook ignored");
        return (StatusCode::OK, axum::Json(json!({ "ok": true, "ignored": why }))).into_response();
    }
    let raw = String::from_utf8_lossy(&body);
    match inbox.ingest_events(&account_id, Some(&raw), &events).await {
        Ok(true) => (StatusCode::OK, axum::Json(json!({ "ok": true }))).into_response(),
        Ok(false) => (StatusCode::OK, axum::Json(json!({ "ok": true, "duplicate": true }))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "storing a webhook failed");
            reject(StatusCode::SERVICE_UNAVAILABLE, "storage_error", "not stored; deliver again")
        }
    }
}

/// How many messages the history document carries at most (the newest ones).
const HISTORY_LIMIT: i64 = 500;

/// `GET /history/{conversation_id}/{token}`: the conversation as ZChat/Omnize read it,
/// `{"messages":[{"time":"YYYY-MM-DD HH:MM:SS","direction":"CLIENT"|"AGENT","content":"..."}]}`.
/// Our side of a hand-off speaks for the customer (CLIENT); the provider's agents are AGENT.
/// Times are UTC. Events, unrecognised deliveries, internal notes and outbound messages not (yet)
/// sent are left out.
#[tracing::instrument(name = "history", skip_all)]
async fn history(State(inbox): State<Inbox>, Path((conversation_id, token)): Path<(String, String)>) -> Response {
    let denied = || reject(StatusCode::NOT_FOUND, "not_found", "unknown history URL");
    let Ok(target) = inbox.inner.store.conversation_target(&conversation_id).await else {
        return denied();
    };
    let Ok(row) = inbox.inner.store.get_account(&target.account_id).await else {
        return denied();
    };
    let Some(secret) = inbox.webhook_secret(&row).await else {
        return denied();
    };
    let expected = history_token(&secret, &conversation_id);
    if !bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
        tracing::warn!("history request with a wrong token");
        return denied();
    }
    let messages = match inbox.inner.store.history(&conversation_id, HISTORY_LIMIT).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reading a history failed");
            return reject(StatusCode::SERVICE_UNAVAILABLE, "storage_error", "try again later");
        }
    };
    let items: Vec<serde_json::Value> = messages
        .iter()
        .filter(|m| !matches!(m.kind, crate::MessageKind::Event | crate::MessageKind::Unrecognised))
        // Internal notes are for the agents here, never for the provider (the query leaves them
        // out already; this says so where the document is written).
        .filter(|m| !m.note)
        // A message still being sent reaches the provider through the API itself; a failed one
        // reached nobody.
        .filter(|m| {
            m.direction == crate::Direction::Inbound
                || !matches!(m.status, crate::DeliveryStatus::Pending | crate::DeliveryStatus::Failed)
        })
        .filter_map(|m| {
            let content = m.body.clone().or_else(|| m.caption.clone()).or_else(|| m.media_url.clone())?;
            Some(json!({
                "time": m.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                "direction": if m.direction == crate::Direction::Outbound { "CLIENT" } else { "AGENT" },
                "content": content,
            }))
        })
        .collect();
    (StatusCode::OK, axum::Json(json!({ "messages": items }))).into_response()
}

/// Binds the receiver; port 0 picks a free port.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}
