//! Shared simulator state: the request log, per-provider settings and the
//! outgoing HTTP client used to fire webhooks.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri, header};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cirrus::CirrusState;
use crate::error::SimError;
use crate::fetch::MediaFetch;
use crate::mconnect::MconnectState;
use crate::wegly::WeglyState;
use crate::zchat::ZchatState;

/// Timeout for outgoing webhook POSTs. mConnect documents 40 s.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(40);

/// One request received by a fake provider API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Provider name (`"mconnect"`, `"zchat"`), or `"unknown"` for a path no provider serves.
    pub provider: String,
    pub method: String,
    /// Path and query string, as received.
    pub path: String,
    pub received_at: DateTime<Utc>,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body as text (invalid UTF-8 replaced).
    pub raw: String,
    /// The body parsed as JSON, when it is JSON.
    pub body: Option<Value>,
    /// The media the request named, as the provider downloaded it (see `fetch.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaFetch>,
}

impl Recorded {
    pub(crate) fn capture(provider: &str, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Self {
        let path = uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
        Self {
            provider: provider.to_owned(),
            method: method.as_str().to_owned(),
            path,
            received_at: Utc::now(),
            content_type: headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
            raw: String::from_utf8_lossy(body).into_owned(),
            body: serde_json::from_slice(body).ok(),
            media: None,
        }
    }
}

/// State shared by every route of the simulator. Cheap to clone.
#[derive(Clone)]
pub struct SimState {
    shared: Arc<Shared>,
}

struct Shared {
    base_url: String,
    http: reqwest::Client,
    requests: Mutex<Vec<Recorded>>,
    mconnect: Mutex<MconnectState>,
    cirrus: Mutex<CirrusState>,
    zchat: Mutex<ZchatState>,
    wegly: Mutex<WeglyState>,
}

impl SimState {
    /// `base_url` is where the simulator is reachable (e.g.
    /// `http://127.0.0.1:7900`); generated avatar and image URLs point there.
    pub fn new(base_url: impl Into<String>) -> Result<Self, SimError> {
        let http = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("inbox-sim/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(SimError::Client)?;
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        Ok(Self {
            shared: Arc::new(Shared {
                base_url,
                http,
                requests: Mutex::default(),
                mconnect: Mutex::default(),
                cirrus: Mutex::default(),
                zchat: Mutex::default(),
                wegly: Mutex::default(),
            }),
        })
    }

    /// Where the simulator is reachable, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// All recorded provider-API requests, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Forget recorded requests; returns how many there were.
    pub fn clear_requests(&self) -> usize {
        let mut requests = lock(&self.shared.requests);
        let count = requests.len();
        requests.clear();
        count
    }

    pub(crate) fn record(&self, request: Recorded) {
        lock(&self.shared.requests).push(request);
    }

    /// Keeps a media download on the newest recorded request of `provider` naming `url`.
    pub(crate) fn attach_media(&self, provider: &str, url: &str, fetch: MediaFetch) {
        let mut requests = lock(&self.shared.requests);
        if let Some(r) = requests.iter_mut().rev().find(|r| r.provider == provider && r.raw.contains(url)) {
            r.media = Some(fetch);
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    pub(crate) fn mconnect(&self) -> MutexGuard<'_, MconnectState> {
        lock(&self.shared.mconnect)
    }

    pub(crate) fn cirrus(&self) -> MutexGuard<'_, CirrusState> {
        lock(&self.shared.cirrus)
    }

    pub(crate) fn zchat(&self) -> MutexGuard<'_, ZchatState> {
        lock(&self.shared.zchat)
    }

    pub(crate) fn wegly(&self) -> MutexGuard<'_, WeglyState> {
        lock(&self.shared.wegly)
    }
}

/// A panic while holding a lock leaves plain data behind; keep serving it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
