//! Helpers every provider client shares: one way to call an HTTP API (timeout, retry only when
//! the request cannot have arrived, a tracing span per call), lenient JSON for the published
//! invalid answers, and readable errors out of a provider's answer.

use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use serde_json::Value;
use tracing::Instrument as _;
use tracing::field::Empty;

use super::{REQUEST_TIMEOUT, SendFailure};

/// An HTTP answer: status and body text.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub text: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, accepting the trailing commas some providers publish.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.text).ok().or_else(|| lenient_json(&self.text))
    }

    /// A readable failure: the provider's own `message` (or `error`) when it gives one.
    pub fn failure(&self, provider: &str) -> SendFailure {
        let said = self.json().and_then(|v| {
            ["message", "error", "detail", "msg"]
                .iter()
                .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_owned))
                .or_else(|| v.get("errors").map(|e| e.to_string()))
        });
        SendFailure(match said {
            Some(m) => format!("{provider} refused it (HTTP {}): {}", self.status, snippet(&m)),
            None if self.text.trim().is_empty() => format!("{provider} refused it (HTTP {})", self.status),
            None => format!("{provider} refused it (HTTP {}): {}", self.status, snippet(&self.text)),
        })
    }
}

/// Sends a request built by `build`. Only failures to connect are retried: once a request may
/// have reached the provider, sending it again could act twice.
///
/// The call runs in a `provider_call` span with the method, the path (never the query string:
/// ZChat's token travels there), the HTTP status and the time taken; a call that gets no
/// answer is logged at warn, in words that carry no URL.
pub async fn call<F>(provider: &str, build: F) -> Result<Answer, SendFailure>
where
    F: Fn() -> reqwest::RequestBuilder,
{
    let span = tracing::info_span!(
        "provider_call",
        provider,
        method = Empty,
        path = Empty,
        status = Empty,
        elapsed_ms = Empty
    );
    let started = Instant::now();
    let attempt = || async {
        let (client, request) = build().timeout(REQUEST_TIMEOUT).build_split();
        let request = request?;
        span.record("method", request.method().as_str());
        span.record("path", logged_path(request.url()));
        client.execute(request).await
    };
    let answer = async {
        let response = attempt
            .retry(ExponentialBuilder::default().with_min_delay(Duration::from_millis(300)).with_max_times(3))
            .when(|e: &reqwest::Error| e.is_connect())
            .await
            .map_err(|e| transport_failure(provider, &e))?;
        let status = response.status().as_u16();
        span.record("status", status);
        let text = response
            .text()
            .await
            .map_err(|e| SendFailure(format!("reading {provider}'s answer failed: {}", e.without_url())))?;
        Ok(Answer { status, text })
    }
    .instrument(span.clone())
    .await;
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("elapsed_ms", elapsed_ms);
    span.in_scope(|| match &answer {
        Ok(a) if a.status >= 500 => {
            tracing::warn!(status = a.status, elapsed_ms, "{provider} answered with a server error")
        }
        Ok(a) => tracing::debug!(status = a.status, elapsed_ms, "{provider} answered"),
        Err(failure) => tracing::warn!(reason = %failure, elapsed_ms, "{provider} call failed"),
    });
    answer
}

/// The part of a request's URL that may be logged: its path, without the query string (which
/// may carry a token) or anything else.
fn logged_path(url: &reqwest::Url) -> &str {
    url.path()
}

/// A transport error in words; never includes the URL (it may carry a token in its query).
fn transport_failure(provider: &str, e: &reqwest::Error) -> SendFailure {
    SendFailure(if e.is_timeout() {
        format!("{provider} did not answer within {} seconds", REQUEST_TIMEOUT.as_secs())
    } else if e.is_connect() {
        format!("could not reach {provider} (connection failed)")
    } else {
        format!("the request to {provider} failed: {}", without_url(e))
    })
}

fn without_url(e: &reqwest::Error) -> String {
    // `without_url` consumes; rebuild the message the same way on a reference.
    let mut s = e.to_string();
    if let Some(url) = e.url() {
        s = s.replace(url.as_str(), "<url>");
    }
    s
}

/// Parses JSON that may have trailing commas before `}` or `]` (published invalid answers).
pub fn lenient_json(body: &str) -> Option<Value> {
    let mut cleaned = String::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            cleaned.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        cleaned.push(c);
    }
    serde_json::from_str(&cleaned).ok()
}

/// The first 200 characters, for error messages.
pub fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(200).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// Parses a webhook body as JSON, telling "not JSON" (400) from "wrong shape" (422).
pub fn webhook_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, super::WebhookError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() || e.is_eof() && !body.is_empty() && serde_json::from_slice::<Value>(body).is_ok() {
            super::WebhookError::Invalid(format!("unexpected shape: {e}"))
        } else {
            super::WebhookError::InvalidJson(e.to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_json_drops_trailing_commas_outside_strings() {
        assert_eq!(lenient_json(r#"{ "status": "true", }"#).unwrap()["status"], "true");
        assert_eq!(lenient_json(r#"{"a": ["x,]", 1,],}"#).unwrap()["a"][0], "x,]");
        assert!(lenient_json("not json").is_none());
    }

    #[test]
    fn failures_quote_the_providers_message() {
        let a = Answer { status: 422, text: r#"{"message": "department inactive", "status": 422}"#.into() };
        assert_eq!(a.failure("ZChat").0, "ZChat refused it (HTTP 422): department inactive");
        let b = Answer { status: 502, text: String::new() };
        assert_eq!(b.failure("Wegly").0, "Wegly refused it (HTTP 502)");
    }

    #[test]
    fn the_logged_path_never_carries_the_query() {
        let url =
            reqwest::Url::parse("https://zchat.example/prefix/api/external/departments?token=s3cr3t&x=1#f").unwrap();
        assert_eq!(logged_path(&url), "/prefix/api/external/departments");
        assert!(!logged_path(&url).contains("s3cr3t"));
    }
}
