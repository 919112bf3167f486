//! Firing webhooks, the same way for every provider: one POST of the body at the URL the
//! receiver gave, with a JSON content type, once, no retry, within the shared client's timeout
//! (see [`SimState`]). The URL carries the receiver's secret, so errors and logs show only its
//! origin ([`crate::redact_url`]).

use axum::http::header;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::SimError;
use crate::state::SimState;

/// Outcome of delivering one webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FireResult {
    /// URL the payload was POSTed to.
    pub webhook: String,
    /// HTTP status the receiver answered.
    pub status: u16,
    /// The payload sent (`null` for a raw body that is not JSON).
    pub payload: Value,
    /// The receiver's response body.
    pub response: String,
}

/// POSTs `body` to `url` with `content-type: application/json` and the extra `headers`;
/// answers the receiver's HTTP status and response body. A transport failure is
/// [`SimError::Delivery`], naming the URL's origin only.
pub(crate) async fn post(
    state: &SimState,
    url: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Result<(u16, String), SimError> {
    let delivery_error =
        |source: reqwest::Error| SimError::Delivery { url: crate::redact_url(url), source: source.without_url() };
    let mut request = state.http().post(url).header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body(body).send().await.map_err(delivery_error)?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(delivery_error)?;
    Ok((status, text))
}

/// Fires `payload` (as JSON) at `webhook` for `provider` and records what the receiver said.
pub(crate) async fn fire(
    state: &SimState,
    provider: &'static str,
    webhook: String,
    payload: Value,
) -> Result<FireResult, SimError> {
    let (status, response) = deliver(state, provider, &webhook, payload.to_string()).await?;
    Ok(FireResult { webhook, status, payload, response })
}

/// Fires `body` as is (JSON or not) at `webhook`; the result's payload is the body read as
/// JSON, or `null`.
pub(crate) async fn fire_raw(
    state: &SimState,
    provider: &'static str,
    webhook: String,
    body: String,
) -> Result<FireResult, SimError> {
    let payload = serde_json::from_str(&body).unwrap_or(Value::Null);
    let (status, response) = deliver(state, provider, &webhook, body).await?;
    Ok(FireResult { webhook, status, payload, response })
}

async fn deliver(state: &SimState, provider: &'static str, url: &str, body: String) -> Result<(u16, String), SimError> {
    let (status, response) = post(state, url, &[], body).await?;
    tracing::info!(provider, url = %crate::redact_url(url), status, "webhook delivered");
    Ok((status, response))
}
