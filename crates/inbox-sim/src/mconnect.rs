//! mConnect (cal4care) OmniChannel WhatsApp.
//!
//! One provider endpoint, `POST /mconnect/api/v1.0/whatsapp-omni/`, where
//! `element_data.action` selects the operation (see `endpoint.rs`), webhook
//! payload builders for the four documented inbound events (see [`inbound`]),
//! and the control routes under `/_sim/mconnect` (see `control.rs`).

mod control;
mod endpoint;
pub mod inbound;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::state::SimState;
use crate::webhook;

pub use crate::webhook::FireResult;
pub(crate) use control::routes as control_routes;
pub(crate) use endpoint::routes;
pub use inbound::{
    Inbound, InboundKind, InboundMessage, group_media_payload, group_text_payload, media_payload, text_payload,
};

/// Provider name used in [`crate::Recorded::provider`].
pub const PROVIDER: &str = "mconnect";

/// Path of the provider endpoint on the simulator (trailing slash included,
/// as in the documented URL).
pub const ENDPOINT_PATH: &str = "/mconnect/api/v1.0/whatsapp-omni/";

/// mConnect's mutable simulator settings and registered webhooks.
#[derive(Debug, Default)]
pub(crate) struct MconnectState {
    /// Our WhatsApp number (`wp_num`) → webhook URL.
    webhooks: BTreeMap<String, String>,
    /// How many upcoming sends answer `not-sent`.
    fail_next: u32,
    /// Fail texts their string-concatenated JSON would break.
    concat_quirk: bool,
    /// Delay before answering any provider request.
    delay: Duration,
}

impl MconnectState {
    /// Consume one injected failure, if any is pending.
    fn take_failure(&mut self) -> bool {
        if self.fail_next == 0 {
            return false;
        }
        self.fail_next -= 1;
        true
    }

    fn settings(&self) -> MconnectSettings {
        MconnectSettings {
            fail_next: self.fail_next,
            concat_json: self.concat_quirk,
            delay_ms: u64::try_from(self.delay.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// Current mConnect simulation settings, as shown by the control API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MconnectSettings {
    /// Sends still to fail with `not-sent`.
    pub fail_next: u32,
    /// Whether texts containing `"` or a newline fail (string-concatenation quirk).
    pub concat_json: bool,
    /// Artificial delay before every provider answer, in milliseconds.
    pub delay_ms: u64,
}

/// Handle on the mConnect part of a running simulator. Cheap to clone.
#[derive(Clone)]
pub struct MconnectSim {
    state: SimState,
}

impl MconnectSim {
    pub fn new(state: SimState) -> Self {
        Self { state }
    }

    /// Webhook registered by `setWebHook` for our number `number`.
    pub fn webhook_for(&self, number: &str) -> Option<String> {
        self.state.mconnect().webhooks.get(number).cloned()
    }

    /// All registered webhooks, number → URL.
    pub fn webhooks(&self) -> BTreeMap<String, String> {
        self.state.mconnect().webhooks.clone()
    }

    /// Register a webhook directly, as `setWebHook` would.
    pub fn set_webhook(&self, number: impl Into<String>, url: impl Into<String>) {
        self.state.mconnect().webhooks.insert(number.into(), url.into());
    }

    /// The next `count` text or file sends answer `not-sent` (replaces any
    /// pending count; 0 cancels).
    pub fn fail_next_sends(&self, count: u32) {
        self.state.mconnect().fail_next = count;
    }

    /// When on, a text (or file caption) containing `"` or a line break fails
    /// with `not-sent`, like their server that builds JSON by concatenation.
    pub fn set_concat_quirk(&self, on: bool) {
        self.state.mconnect().concat_quirk = on;
    }

    /// Wait this long before answering every provider request (zero: no delay).
    pub fn set_delay(&self, delay: Duration) {
        self.state.mconnect().delay = delay;
    }

    pub fn settings(&self) -> MconnectSettings {
        self.state.mconnect().settings()
    }

    /// Resolve an inbound event (filling defaults) without sending it.
    pub fn build(&self, inbound: &Inbound) -> InboundMessage {
        inbound.resolve(self.state.base_url())
    }

    /// Build the webhook payload for `inbound` and POST it to the webhook
    /// registered for `inbound.number`: once, no retry, 40 s timeout.
    pub async fn fire(&self, inbound: Inbound) -> Result<FireResult, SimError> {
        let url = self.require_webhook(&inbound.number)?;
        webhook::fire(&self.state, PROVIDER, url, self.build(&inbound).payload()).await
    }

    /// POST `body` as is (JSON or not) to the webhook registered for `number`.
    pub async fn fire_raw(&self, number: &str, body: String) -> Result<FireResult, SimError> {
        webhook::fire_raw(&self.state, PROVIDER, self.require_webhook(number)?, body).await
    }

    fn require_webhook(&self, number: &str) -> Result<String, SimError> {
        self.webhook_for(number).ok_or_else(|| SimError::NoWebhook { number: number.to_owned() })
    }
}
