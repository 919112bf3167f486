//! ZChat (Zenvia) / Omnize: one API family, two flavours, served under `/zchat`.
//!
//! An account's base URL is `{sim}/zchat`; below it the simulator serves the paths the client
//! uses (see `endpoint.rs`):
//!
//! | flavour | route |
//! |---|---|
//! | interactions ("ClientApi V1") | `POST /core/api/v1/interactions`, `PUT /core/api/v1/interactions/{hash}`, `POST …/{hash}/messages`, `PUT …/{hash}/typing`, `PUT …/{hash}/cleared`, `PUT …/{hash}/finish` |
//! | WhatsApp ("Whatsapp Api V1") | `POST /api/v1/whatsapp`, `PUT /api/v1/whatsapp/typing`, `PUT /api/v1/interactions/cleared` (removed in 2019: 404 unless switched on) |
//! | both | `GET /api/external/departments?token=` (current), `GET /api/v1/departments?token=` (the seed's; which of the two exist is a setting) |
//!
//! Every request is recorded first. A wrong or missing token answers 401, bad input 422, an
//! unknown interaction 404, always as `{"message", "status"}`. When a start or a WhatsApp message
//! carries `external_history`, the simulator GETs that URL before answering, as the real provider
//! would, and keeps what it got (see [`ZchatSim::history_fetches`]).
//!
//! Webhooks are set in the provider's admin site, so the simulator has one webhook URL set
//! through its control API ([`ZchatSim::set_webhook`], `POST /_sim/zchat/webhook`), and fires
//! every documented trigger of both flavours at it ([`ZchatSim::fire`]). ZChat and Omnize are two
//! products with two admin sites: a second URL can be set for the WhatsApp flavour's triggers
//! ([`ZchatSim::set_whatsapp_webhook`], `{"url", "flavour": "whatsapp"}`), so an interactions
//! account and a WhatsApp one can share one simulator.

mod control;
mod endpoint;
pub mod triggers;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::SimError;
use crate::state::SimState;
use crate::webhook::{self, FireResult};

pub(crate) use control::routes as control_routes;
pub(crate) use endpoint::routes;
pub use triggers::{Trigger, TriggerEvent};

/// Provider name used in [`crate::Recorded::provider`].
pub const PROVIDER: &str = "zchat";

/// Where the family's API lives on the simulator: an account's base URL is `{sim}` + this.
pub const PREFIX: &str = "/zchat";

/// The API token the simulator accepts until told otherwise.
pub const DEFAULT_TOKEN: &str = "zchat-sim-token";

/// How the WhatsApp flavour answers a message it accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhatsappAnswer {
    /// As documented: `{"message", "data": {"message_hash"}}`.
    #[default]
    WithHash,
    /// Later versions: `{"message": "Message sent successfully"}`.
    Plain,
    /// The published answer with a trailing comma (not valid JSON).
    TrailingComma,
}

/// Which departments route exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentsPath {
    /// Only the current `GET /api/external/departments`.
    #[default]
    External,
    /// Only the seed's `GET /api/v1/departments`.
    Legacy,
    Both,
}

/// A department as the provider lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimDepartment {
    pub id: i64,
    pub name: String,
    /// Interactions waiting.
    pub queue: i64,
    pub bot_id: Option<i64>,
    /// 1 active, 0 inactive.
    pub state: i64,
    pub agents: Vec<SimAgent>,
    pub channels: Vec<SimChannel>,
    pub ringing_max_time: i64,
    pub queued_max_time: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimAgent {
    pub id: i64,
    pub name: String,
    pub photo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimChannel {
    pub id: i64,
    pub name: String,
    pub state: i64,
}

impl SimDepartment {
    pub fn new(id: i64, name: &str, active: bool) -> Self {
        SimDepartment {
            id,
            name: name.into(),
            queue: 0,
            bot_id: None,
            state: i64::from(active),
            agents: Vec::new(),
            channels: vec![SimChannel { id: 1, name: "chat".into(), state: 1 }],
            ringing_max_time: 60,
            queued_max_time: 600,
        }
    }

    pub fn with_agent(mut self, id: i64, name: &str) -> Self {
        self.agents.push(SimAgent { id, name: name.into(), photo: None });
        self
    }
}

/// The departments a fresh simulator has: three active (1, 2 and 1545, the document's transfer
/// target) and one inactive (3).
pub fn default_departments() -> Vec<SimDepartment> {
    vec![
        SimDepartment::new(1, "Suporte", true).with_agent(111, "Atendente"),
        SimDepartment::new(2, "Vendas", true).with_agent(123, "Agent"),
        SimDepartment::new(3, "Financeiro", false),
        SimDepartment::new(1545, "Cobrança", true),
    ]
}

/// Which API an interaction came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavour {
    Interactions,
    Whatsapp,
}

/// A message the client sent into an interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimMessage {
    pub content: String,
    /// `text`, `image`, `video`, `audio` or `file` (a MIME type is read as its short form).
    #[serde(rename = "type")]
    pub kind: String,
    pub url: Option<String>,
    /// The WhatsApp flavour's answer id, when it gave one.
    pub message_hash: Option<String>,
}

/// An interaction as the simulator keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimInteraction {
    pub hash: String,
    pub flavour: Flavour,
    pub department_id: i64,
    /// Interactions flavour: `TEXT`, `SMS` or `WHATSAPP` (`null` saved as `TEXT`).
    pub media_type: String,
    /// WhatsApp flavour: the customer's `external_id`.
    pub external_id: Option<String>,
    pub customer: Value,
    pub extra: Value,
    pub messages: Vec<SimMessage>,
    /// Whether the client said its customer is typing.
    pub client_typing: bool,
    pub finished: bool,
    /// `PUT /interactions/{hash}` bodies, token removed.
    pub updates: Vec<Value>,
}

/// What the simulator got when it read an `external_history` URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryFetch {
    pub interaction_hash: String,
    pub url: String,
    /// HTTP status, when the request got an answer.
    pub status: Option<u16>,
    /// The answer as JSON, when it was JSON.
    pub body: Option<Value>,
    /// Why there is no answer (not an http(s) URL, connection refused...).
    pub error: Option<String>,
}

/// Settings as the control API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZchatSettings {
    pub whatsapp_answer: WhatsappAnswer,
    pub departments_path: DepartmentsPath,
    /// Whether the WhatsApp flavour's removed typing endpoints still answer.
    pub whatsapp_typing: bool,
    /// Calls (other than department lists) still to fail with `fail_status`.
    pub fail_next: u32,
    pub fail_status: u16,
    pub fail_message: String,
    pub delay_ms: u64,
    /// When set, a new interaction fires "queued" at this position before its start is
    /// answered, as a fast provider can (the trigger then beats the hash it names).
    pub queue_on_start: Option<i64>,
}

/// A change of settings; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZchatSettingsPatch {
    #[serde(default)]
    pub whatsapp_answer: Option<WhatsappAnswer>,
    #[serde(default)]
    pub departments_path: Option<DepartmentsPath>,
    #[serde(default)]
    pub whatsapp_typing: Option<bool>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub token: Option<String>,
    /// A position to fire "queued" at before answering a start; 0 turns it off.
    #[serde(default)]
    pub queue_on_start: Option<i64>,
}

#[derive(Debug)]
pub(crate) struct ZchatState {
    token: String,
    webhook: Option<String>,
    /// Where WhatsApp-flavour triggers go, when not to `webhook`.
    whatsapp_webhook: Option<String>,
    departments: Vec<SimDepartment>,
    interactions: BTreeMap<String, SimInteraction>,
    /// WhatsApp flavour: the customer's open interaction, by `external_id`.
    open_by_customer: BTreeMap<String, String>,
    history_fetches: Vec<HistoryFetch>,
    whatsapp_answer: WhatsappAnswer,
    departments_path: DepartmentsPath,
    whatsapp_typing: bool,
    fail_next: u32,
    fail_status: u16,
    fail_message: String,
    delay: Duration,
    queue_on_start: Option<i64>,
}

impl Default for ZchatState {
    fn default() -> Self {
        ZchatState {
            token: DEFAULT_TOKEN.into(),
            webhook: None,
            whatsapp_webhook: None,
            departments: default_departments(),
            interactions: BTreeMap::new(),
            open_by_customer: BTreeMap::new(),
            history_fetches: Vec::new(),
            whatsapp_answer: WhatsappAnswer::default(),
            departments_path: DepartmentsPath::default(),
            whatsapp_typing: false,
            fail_next: 0,
            fail_status: 422,
            fail_message: "Error description here".into(),
            delay: Duration::ZERO,
            queue_on_start: None,
        }
    }
}

impl ZchatState {
    fn settings(&self) -> ZchatSettings {
        ZchatSettings {
            whatsapp_answer: self.whatsapp_answer,
            departments_path: self.departments_path,
            whatsapp_typing: self.whatsapp_typing,
            fail_next: self.fail_next,
            fail_status: self.fail_status,
            fail_message: self.fail_message.clone(),
            delay_ms: u64::try_from(self.delay.as_millis()).unwrap_or(u64::MAX),
            queue_on_start: self.queue_on_start,
        }
    }

    /// Consume one injected failure, if any is pending: `(status, message)`.
    fn take_failure(&mut self) -> Option<(u16, String)> {
        if self.fail_next == 0 {
            return None;
        }
        self.fail_next -= 1;
        Some((self.fail_status, self.fail_message.clone()))
    }
}

/// Handle on the ZChat/Omnize part of a running simulator. Cheap to clone.
#[derive(Clone)]
pub struct ZchatSim {
    state: SimState,
}

impl ZchatSim {
    pub fn new(state: SimState) -> Self {
        Self { state }
    }

    /// The base URL an account uses: `{sim}/zchat`.
    pub fn base_url(&self) -> String {
        format!("{}{PREFIX}", self.state.base_url())
    }

    /// The token the simulator accepts.
    pub fn token(&self) -> String {
        self.state.zchat().token.clone()
    }

    pub fn set_token(&self, token: impl Into<String>) {
        self.state.zchat().token = token.into();
    }

    /// The webhook URL set "in the admin site".
    pub fn webhook(&self) -> Option<String> {
        self.state.zchat().webhook.clone()
    }

    pub fn set_webhook(&self, url: impl Into<String>) {
        self.state.zchat().webhook = Some(url.into());
    }

    /// The webhook URL WhatsApp-flavour triggers go to, when one is set apart.
    pub fn whatsapp_webhook(&self) -> Option<String> {
        self.state.zchat().whatsapp_webhook.clone()
    }

    /// Sends WhatsApp-flavour triggers (those about a customer's `external_id`, or about an
    /// interaction opened through the WhatsApp API) to `url` instead of the webhook URL.
    pub fn set_whatsapp_webhook(&self, url: impl Into<String>) {
        self.state.zchat().whatsapp_webhook = Some(url.into());
    }

    pub fn departments(&self) -> Vec<SimDepartment> {
        self.state.zchat().departments.clone()
    }

    pub fn set_departments(&self, departments: Vec<SimDepartment>) {
        self.state.zchat().departments = departments;
    }

    pub fn set_departments_path(&self, path: DepartmentsPath) {
        self.state.zchat().departments_path = path;
    }

    pub fn set_whatsapp_answer(&self, answer: WhatsappAnswer) {
        self.state.zchat().whatsapp_answer = answer;
    }

    /// Whether `PUT /api/v1/whatsapp/typing` and `PUT /api/v1/interactions/cleared` answer
    /// (off by default: they were removed in 2019 and answer 404).
    pub fn set_whatsapp_typing(&self, on: bool) {
        self.state.zchat().whatsapp_typing = on;
    }

    /// The next `count` calls (department lists excepted) answer HTTP `status` with
    /// `{"message": message, "status": status}` (replaces any pending count; 0 cancels).
    pub fn fail_next(&self, count: u32, status: u16, message: impl Into<String>) {
        let mut zchat = self.state.zchat();
        zchat.fail_next = count;
        zchat.fail_status = status;
        zchat.fail_message = message.into();
    }

    /// Wait this long before answering every provider request (zero: no delay).
    pub fn set_delay(&self, delay: Duration) {
        self.state.zchat().delay = delay;
    }

    /// Fire "queued" at `position` for each new interaction before answering its start (`None`
    /// turns it off). Needs the webhook URL set.
    pub fn set_queue_on_start(&self, position: Option<i64>) {
        self.state.zchat().queue_on_start = position;
    }

    pub fn settings(&self) -> ZchatSettings {
        self.state.zchat().settings()
    }

    pub fn apply(&self, patch: ZchatSettingsPatch) -> ZchatSettings {
        let mut zchat = self.state.zchat();
        if let Some(v) = patch.whatsapp_answer {
            zchat.whatsapp_answer = v;
        }
        if let Some(v) = patch.departments_path {
            zchat.departments_path = v;
        }
        if let Some(v) = patch.whatsapp_typing {
            zchat.whatsapp_typing = v;
        }
        if let Some(ms) = patch.delay_ms {
            zchat.delay = Duration::from_millis(ms);
        }
        if let Some(token) = patch.token {
            zchat.token = token;
        }
        if let Some(position) = patch.queue_on_start {
            zchat.queue_on_start = (position > 0).then_some(position);
        }
        zchat.settings()
    }

    /// Every interaction, by hash.
    pub fn interactions(&self) -> Vec<SimInteraction> {
        self.state.zchat().interactions.values().cloned().collect()
    }

    /// Adds an open interactions-flavour interaction under a hash the client already holds (one
    /// the provider opened before this simulator started), so messages to it are accepted. Does
    /// nothing when the hash is known. Answers whether it was added.
    pub fn restore_interaction(&self, hash: &str, department_id: i64, customer: Value) -> bool {
        let mut zchat = self.state.zchat();
        if zchat.interactions.contains_key(hash) {
            return false;
        }
        let interaction = SimInteraction {
            hash: hash.to_owned(),
            flavour: Flavour::Interactions,
            department_id,
            media_type: "TEXT".into(),
            external_id: None,
            customer,
            extra: Value::Object(serde_json::Map::new()),
            messages: Vec::new(),
            client_typing: false,
            finished: false,
            updates: Vec::new(),
        };
        zchat.interactions.insert(hash.to_owned(), interaction);
        true
    }

    pub fn interaction(&self, hash: &str) -> Option<SimInteraction> {
        self.state.zchat().interactions.get(hash).cloned()
    }

    /// WhatsApp flavour: the customer's open interaction.
    pub fn open_interaction_of(&self, external_id: &str) -> Option<SimInteraction> {
        let zchat = self.state.zchat();
        zchat.open_by_customer.get(external_id).and_then(|h| zchat.interactions.get(h)).cloned()
    }

    /// Every `external_history` read, oldest first.
    pub fn history_fetches(&self) -> Vec<HistoryFetch> {
        self.state.zchat().history_fetches.clone()
    }

    /// The payload `trigger` fires, built against the simulator's interactions (their `extra`,
    /// the customer's interaction hash) without sending it.
    pub fn build(&self, trigger: &Trigger) -> Value {
        let zchat = self.state.zchat();
        trigger.payload(&zchat.interactions, &zchat.open_by_customer)
    }

    /// POSTs `trigger`'s payload to the webhook URL: once, no retry, no signature (as the
    /// provider). The interaction's state follows (finished, transferred).
    pub async fn fire(&self, trigger: Trigger) -> Result<FireResult, SimError> {
        let (url, payload) = {
            let mut zchat = self.state.zchat();
            let payload = trigger.payload(&zchat.interactions, &zchat.open_by_customer);
            let whatsapp = trigger.external_id.is_some()
                || payload["interaction_hash"]
                    .as_str()
                    .and_then(|h| zchat.interactions.get(h))
                    .is_some_and(|i| i.flavour == Flavour::Whatsapp);
            let webhook = whatsapp.then(|| zchat.whatsapp_webhook.clone()).flatten().or_else(|| zchat.webhook.clone());
            let webhook = webhook.ok_or(SimError::NoProviderWebhook { provider: PROVIDER })?;
            triggers::follow(&mut zchat, &trigger, &payload);
            (webhook, payload)
        };
        webhook::fire(&self.state, PROVIDER, url, payload).await
    }

    /// POSTs `body` as is (JSON or not) to the webhook URL.
    pub async fn fire_raw(&self, body: String) -> Result<FireResult, SimError> {
        webhook::fire_raw(&self.state, PROVIDER, self.require_webhook()?, body).await
    }

    fn require_webhook(&self) -> Result<String, SimError> {
        self.webhook().ok_or(SimError::NoProviderWebhook { provider: PROVIDER })
    }
}

/// A UUID-shaped id (version 4 layout), like the provider's hashes.
pub(crate) fn new_hash() -> String {
    let n: u128 = rand::random();
    let hex = format!("{n:032x}");
    format!("{}-{}-4{}-a{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_look_like_uuids() {
        let h = super::new_hash();
        let parts: Vec<&str> = h.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12], "{h}");
        assert_ne!(h, super::new_hash());
    }
}
