//! Media fetched by URL, as the providers that take a file's link (every one simulated here)
//! download it: the simulator GETs the URL it was given when the send arrives, keeps the hash and
//! length of what came back on the recorded request ([`crate::Recorded::media`]), and answers the
//! send with the provider's failure when the download failed, so tests can compare the bytes and
//! see a failed fetch reported.
//!
//! The simulator stays off the internet: only loopback URLs (the inbox's receiver, the
//! simulator itself) are fetched; any other URL (or a placeholder that is no URL) is recorded as
//! not fetched and the send goes on, as it always has.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::state::SimState;

const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// What the simulated provider got when it downloaded a media URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFetch {
    pub url: String,
    /// False for a URL off loopback: the simulator does not reach the internet.
    pub fetched: bool,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    /// Length of the body received, in bytes.
    pub len: Option<u64>,
    /// Hex SHA-256 of the body received.
    pub sha256: Option<String>,
    pub error: Option<String>,
}

impl MediaFetch {
    /// Whether the provider has the file (or did not try: an off-loopback URL).
    pub fn succeeded(&self) -> bool {
        !self.fetched || (self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s)))
    }

    /// Why the download failed, for the provider's answer.
    pub fn failure(&self) -> String {
        match (&self.error, self.status) {
            (Some(e), _) => e.clone(),
            (None, Some(status)) => format!("HTTP {status}"),
            (None, None) => "no answer".into(),
        }
    }
}

fn on_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host == "localhost",
    }
}

/// Downloads `url` as `provider` would and keeps the outcome on the newest recorded request of
/// that provider naming the URL.
pub(crate) async fn fetch(state: &SimState, provider: &str, url: &str) -> MediaFetch {
    let mut out = MediaFetch {
        url: url.to_owned(),
        fetched: false,
        status: None,
        content_type: None,
        len: None,
        sha256: None,
        error: None,
    };
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && on_loopback(&parsed) => {
            out.fetched = true;
            match state.http().get(parsed).timeout(FETCH_TIMEOUT).send().await {
                Ok(response) => {
                    out.status = Some(response.status().as_u16());
                    out.content_type = response
                        .headers()
                        .get(reqwest::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    match response.bytes().await {
                        Ok(body) => {
                            out.len = Some(body.len() as u64);
                            out.sha256 = Some(hex::encode(Sha256::digest(&body)));
                        }
                        Err(e) => out.error = Some(e.without_url().to_string()),
                    }
                }
                Err(e) => out.error = Some(e.without_url().to_string()),
            }
        }
        Ok(_) => {}
        // Not fetched either (the documents' own examples carry placeholders such as `.....`).
        Err(_) => out.error = Some("not a URL".into()),
    }
    tracing::info!(provider, url = %crate::redact_url(url), status = ?out.status, len = ?out.len, "media fetched");
    state.attach_media(provider, url, out.clone());
    out
}
