//! The family's routes for both flavours, and the [`Connector`] operations on them.

use serde_json::{Map, Value, json};

use super::wire::{
    Customer, customer_of, department_of, extra_of, interaction_message_request, media_type_of, parse_departments,
    positive_id, read_answer, start_interaction_request, text_of, token_request, update_request,
    whatsapp_message_request, whatsapp_typing_request,
};
use super::{Connector, Flavour};
use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::Capability;
use crate::model::{
    ConnectionTest, ConversationKind, ConversationStatus, Department, HandoffState, HandoffUpdate, Provider,
    StartConversation,
};
use crate::providers::http::{self, Answer};
use crate::providers::{Delivered, HandoffEvent, Handoffs, SendFailure, StartPlan, Started};
use crate::{Error, Result};

const INTERACTIONS_PATH: &str = "/core/api/v1/interactions";
const WHATSAPP_PATH: &str = "/api/v1/whatsapp";
const WHATSAPP_TYPING_PATH: &str = "/api/v1/whatsapp/typing";
const WHATSAPP_CLEARED_PATH: &str = "/api/v1/interactions/cleared";
const DEPARTMENTS_PATH: &str = "/api/external/departments";
const DEPARTMENTS_LEGACY_PATH: &str = "/api/v1/departments";

/// Interactions flavour: the key a conversation has until the provider answers its hash.
const PENDING_PREFIX: &str = "pending:";

impl Connector {
    async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<Answer, SendFailure> {
        let url = self.settings.url(path);
        http::call(self.label(), || self.http.request(method.clone(), &url).json(body)).await
    }

    /// Calls and reads the answer (see [`read_answer`]).
    async fn call(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<Value, SendFailure> {
        let answer = self.send(method, path, body).await?;
        read_answer(self.label(), &answer)
    }

    async fn get_departments(&self, path: &str) -> Result<Answer, SendFailure> {
        let token = self.token()?;
        let url = self.settings.url(path);
        http::call(self.label(), || self.http.get(&url).query(&[("token", token)])).await
    }

    /// The interaction a conversation is: its hash, once the provider gave one. Only a hash that
    /// is safe as a path segment (hashes are UUIDs) is used: triggers are unsigned, and a forged
    /// one must not steer our token to another path.
    pub(super) fn interaction_hash<'a>(&self, target: &'a ConversationTarget) -> Option<&'a str> {
        target
            .meta_str("interaction_hash")
            .or_else(|| target.handoff.as_ref().and_then(|h| h.interaction_hash.as_deref()))
            .or_else(|| (!target.external_id.starts_with(PENDING_PREFIX)).then_some(target.external_id.as_str()))
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    }

    pub(super) fn require_hash<'a>(&self, target: &'a ConversationTarget) -> Result<&'a str, SendFailure> {
        self.interaction_hash(target).ok_or_else(|| {
            SendFailure(format!(
                "this hand-off was never opened at {} (its start failed); start a new one",
                self.label()
            ))
        })
    }

    /// WhatsApp flavour: the conversation's department now (after transfers), else the start's,
    /// else the account's.
    pub(super) fn current_department(&self, target: &ConversationTarget) -> i64 {
        target
            .handoff
            .as_ref()
            .and_then(|h| h.department_id.as_deref())
            .and_then(|d| d.parse::<i64>().ok())
            .or_else(|| target.meta.get("department_id").and_then(positive_id))
            .unwrap_or(self.settings.department_id)
    }

    /// WhatsApp flavour: the customer as stored at the start, keyed by the conversation.
    pub(super) fn whatsapp_customer(&self, target: &ConversationTarget) -> Customer {
        let mut customer: Customer =
            target.meta.get("customer").and_then(|c| serde_json::from_value(c.clone()).ok()).unwrap_or_default();
        customer.external_id = Some(target.external_id.clone());
        customer
    }

    async fn send_interaction_message(&self, hash: &str, msg: &OutboundMessage) -> Result<(), SendFailure> {
        let body = interaction_message_request(self.token()?, msg)?;
        self.call(reqwest::Method::POST, &format!("{INTERACTIONS_PATH}/{hash}/messages"), &body).await?;
        Ok(())
    }

    /// Sends one WhatsApp-flavour message; answers the message hash when the provider gives one.
    async fn send_whatsapp(
        &self,
        msg: &OutboundMessage,
        department_id: i64,
        customer: &Customer,
        extra: Option<&Map<String, Value>>,
        history_url: Option<&str>,
    ) -> Result<Option<String>, SendFailure> {
        let body = whatsapp_message_request(self.token()?, msg, department_id, customer, extra, history_url)?;
        let answer = self.call(reqwest::Method::POST, WHATSAPP_PATH, &body).await?;
        Ok(answer.pointer("/data/message_hash").and_then(|h| text_of(Some(h))))
    }
}

#[async_trait::async_trait]
impl crate::providers::Connector for Connector {
    fn provider(&self) -> Provider {
        self.provider
    }

    fn capabilities(&self) -> Vec<Capability> {
        self.capabilities.clone()
    }

    fn handoffs(&self) -> Option<&dyn Handoffs> {
        Some(self)
    }

    /// Lists the departments with the token, and says how many are active.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let departments = self.list_departments().await?;
        let active = departments.iter().filter(|d| d.active).count();
        let label = self.label();
        let default = departments.iter().find(|d| d.id == self.settings.department_id.to_string());
        Ok(match default {
            None => ConnectionTest::new(
                false,
                text!(
                    "zchat.test_no_default",
                    provider = label,
                    active = active,
                    total = departments.len(),
                    department = self.settings.department_id
                ),
            ),
            Some(d) => {
                let (total, department) = (departments.len(), &d.name);
                ConnectionTest::new(
                    true,
                    if d.active {
                        text!(
                            "zchat.test_ok_active",
                            provider = label,
                            active = active,
                            total = total,
                            department = department
                        )
                    } else {
                        text!(
                            "zchat.test_ok_inactive",
                            provider = label,
                            active = active,
                            total = total,
                            department = department
                        )
                    },
                )
            }
        })
    }

    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Delivered, SendFailure> {
        match self.settings.flavour {
            Flavour::Interactions => {
                let hash = self.require_hash(target)?;
                self.send_interaction_message(hash, msg).await?;
                Ok(Delivered::default())
            }
            Flavour::Whatsapp => {
                let extra = target.meta.get("extra").and_then(Value::as_object);
                let id = self
                    .send_whatsapp(
                        msg,
                        self.current_department(target),
                        &self.whatsapp_customer(target),
                        extra,
                        target.history_url.as_deref(),
                    )
                    .await?;
                Ok(Delivered { provider_message_id: id, meta: Map::new() })
            }
        }
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let flavour = self.settings.flavour;
        let customer = customer_of(flavour, input)?;
        let department_id = department_of(&self.settings, input)?;
        let to = input.to.trim();
        let title = customer.name.clone().unwrap_or_else(|| to.to_owned());
        let mut meta = Map::new();
        meta.insert("department_id".into(), json!(department_id));
        meta.insert("customer".into(), customer.to_value());
        let external_id = match flavour {
            Flavour::Interactions => {
                media_type_of(input)?;
                let reach = customer.phone.as_deref().or(customer.email.as_deref()).unwrap_or(to);
                format!("{PENDING_PREFIX}{reach}")
            }
            Flavour::Whatsapp => {
                if input.message.is_none() {
                    return Err(Error::invalid(text!("zchat.start_needs_message", provider = self.label())));
                }
                if let Some(extra) = input.extra.as_ref().filter(|e| !e.is_empty()) {
                    meta.insert("extra".into(), json!(extra));
                }
                to.to_owned()
            }
        };
        Ok(StartPlan {
            external_id,
            kind: ConversationKind::Individual,
            title,
            meta,
            first_message: None,
            handoff: true,
        })
    }

    async fn start(
        &self,
        target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> Result<Started, SendFailure> {
        let flavour = self.settings.flavour;
        let invalid = |e: Error| SendFailure(e.public_message());
        let customer = customer_of(flavour, input).map_err(invalid)?;
        let department_id = department_of(&self.settings, input).map_err(invalid)?;
        let extra = extra_of(input, &target.conversation_id);
        let history_url = target.history_url.as_deref();
        let label = self.label();
        match flavour {
            Flavour::Interactions => {
                let media_type = media_type_of(input).map_err(invalid)?;
                let body =
                    start_interaction_request(self.token()?, media_type, department_id, &customer, &extra, history_url);
                let answer = self.send(reqwest::Method::POST, INTERACTIONS_PATH, &body).await?;
                let json = read_answer(label, &answer)?;
                let hash = json.pointer("/data/interaction_hash").and_then(|h| text_of(Some(h))).ok_or_else(|| {
                    SendFailure(format!(
                        "{label} answered without an interaction_hash: {}",
                        http::snippet(&answer.text)
                    ))
                })?;
                let mut meta = Map::new();
                meta.insert("interaction_hash".into(), json!(hash));
                let mut started = Started {
                    external_id: Some(hash.clone()),
                    meta,
                    handoff: Some(HandoffEvent {
                        state: HandoffState::Started,
                        position: None,
                        agent_name: None,
                        department_id: Some(department_id.to_string()),
                        interaction_hash: Some(hash.clone()),
                    }),
                    ..Started::default()
                };
                // The interaction exists now: a first message that fails is that message's
                // failure, not the start's.
                if let Some(first) = first
                    && let Err(failure) = self.send_interaction_message(&hash, first).await
                {
                    started.first_message_failure = Some(failure);
                }
                Ok(started)
            }
            Flavour::Whatsapp => {
                let first = first.ok_or_else(|| {
                    SendFailure(format!(
                        "write the first message: a hand-off through {label}'s WhatsApp API starts with it"
                    ))
                })?;
                let id = self.send_whatsapp(first, department_id, &customer, Some(&extra), history_url).await?;
                Ok(Started {
                    first_message_id: id,
                    handoff: Some(HandoffEvent {
                        state: HandoffState::Started,
                        position: None,
                        agent_name: None,
                        department_id: Some(department_id.to_string()),
                        interaction_hash: None,
                    }),
                    ..Started::default()
                })
            }
        }
    }

    /// Interactions flavour: `/typing` and `/cleared` (nothing to tell before the interaction
    /// exists or once it is finished). WhatsApp flavour: best effort, since the provider removed those endpoints in 2019:
    /// a 404, 405 or 410 is logged at debug level and counts as done.
    async fn typing(&self, target: &ConversationTarget, active: bool) -> Result<()> {
        let token = self.token()?;
        match self.settings.flavour {
            Flavour::Interactions => {
                let finished = target.handoff.as_ref().is_some_and(|h| h.state == HandoffState::Finished);
                let Some(hash) = self.interaction_hash(target).filter(|_| !finished) else {
                    tracing::debug!("no open interaction: no typing to tell");
                    return Ok(());
                };
                let action = if active { "typing" } else { "cleared" };
                self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}/{action}"), &token_request(token))
                    .await?;
                Ok(())
            }
            Flavour::Whatsapp => {
                let path = if active { WHATSAPP_TYPING_PATH } else { WHATSAPP_CLEARED_PATH };
                let body = whatsapp_typing_request(token, &target.external_id);
                let answer = self.send(reqwest::Method::PUT, path, &body).await?;
                if matches!(answer.status, 404 | 405 | 410) {
                    tracing::debug!(
                        provider = self.label(),
                        status = answer.status,
                        "the WhatsApp API has no typing endpoint (removed in 2019); skipped"
                    );
                    return Ok(());
                }
                read_answer(self.label(), &answer)?;
                Ok(())
            }
        }
    }

    /// Interactions flavour: resolving finishes the interaction (`/finish`), unless the provider
    /// already finished it or it never opened. The WhatsApp flavour has no finish endpoint:
    /// resolving is local.
    async fn set_status(&self, target: &ConversationTarget, status: ConversationStatus) -> Result<()> {
        if !self.finishes(target, status) {
            return Ok(());
        }
        let Some(hash) = self.interaction_hash(target) else { return Ok(()) };
        self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}/finish"), &token_request(self.token()?))
            .await?;
        Ok(())
    }
}

/// Both flavours hand the conversation to the provider's agents; only the interactions flavour
/// updates a hand-off (mood, tags, customer key, note).
#[async_trait::async_trait]
impl Handoffs for Connector {
    async fn list_departments(&self) -> Result<Vec<Department>> {
        let mut answer = self.get_departments(DEPARTMENTS_PATH).await?;
        if answer.status == 404 {
            tracing::debug!(provider = self.label(), "the current departments route is missing; trying the old one");
            answer = self.get_departments(DEPARTMENTS_LEGACY_PATH).await?;
        }
        let body = read_answer(self.label(), &answer)?;
        parse_departments(self.label(), &body)
    }

    async fn update_handoff(&self, target: &ConversationTarget, update: &HandoffUpdate) -> Result<()> {
        if self.settings.flavour != Flavour::Interactions {
            return Err(Error::NotSupported(text!("zchat.update_unsupported", provider = self.label())));
        }
        let body = update_request(self.token()?, update);
        if body.as_object().is_some_and(|b| b.len() == 1) {
            return Err(Error::invalid(text!("zchat.update_empty")));
        }
        let hash = self.require_hash(target)?;
        self.call(reqwest::Method::PUT, &format!("{INTERACTIONS_PATH}/{hash}"), &body).await?;
        Ok(())
    }

    fn after_status(&self, target: &ConversationTarget, status: ConversationStatus) -> Option<HandoffEvent> {
        self.finishes(target, status).then(|| HandoffEvent {
            state: HandoffState::Finished,
            position: None,
            agent_name: None,
            department_id: None,
            interaction_hash: self.interaction_hash(target).map(str::to_owned),
        })
    }
}

impl Connector {
    /// Whether resolving `target` finishes an interaction at the provider.
    pub(super) fn finishes(&self, target: &ConversationTarget, status: ConversationStatus) -> bool {
        status == ConversationStatus::Resolved
            && self.settings.flavour == Flavour::Interactions
            && self.interaction_hash(target).is_some()
            && target.handoff.as_ref().is_none_or(|h| h.state != HandoffState::Finished)
    }
}
