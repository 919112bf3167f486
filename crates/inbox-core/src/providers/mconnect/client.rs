//! mConnect's one endpoint, and the [`Connector`] operations on it.

use serde_json::Value;

use super::wire::{parse_send_response, send_file_request, send_text_request, set_webhook_request};
use super::{Connector, Settings};
use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::Capability;
use crate::model::{ConnectionTest, ConversationKind, MessageKind, Provider, StartConversation};
use crate::providers::http::{self, lenient_json, snippet};
use crate::providers::{Delivered, SendFailure, StartPlan, Started};
use crate::{Error, Result};

pub(super) struct Client {
    http: reqwest::Client,
    settings: Settings,
}

#[async_trait::async_trait]
impl crate::providers::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Mconnect
    }

    fn capabilities(&self) -> Vec<Capability> {
        self.capabilities.clone()
    }

    async fn register_webhook(&self, url: &str) -> Result<()> {
        self.client.set_webhook(url).await
    }

    /// mConnect has no read-only call, and any unknown action is taken as a file send. Its one
    /// harmless call is setting the webhook to the URL it already has, so that is the test.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let Some(url) = &self.webhook_url else {
            return Ok(ConnectionTest::new(false, text!("mconnect.test_save_first")));
        };
        self.client.set_webhook(url).await?;
        Ok(ConnectionTest::new(true, text!("mconnect.test_ok")))
    }

    async fn deliver(
        &self,
        target: &ConversationTarget,
        msg: &OutboundMessage,
    ) -> std::result::Result<Delivered, SendFailure> {
        let id = self.client.deliver(target, msg).await?;
        Ok(Delivered { provider_message_id: id, meta: Default::default() })
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        if input.message.is_none() {
            return Err(Error::invalid(text!("mconnect.start_needs_message")));
        }
        let to = input.to.trim_start_matches('+').to_owned();
        let group = to.ends_with("@g.us");
        if !group && (!(8..=15).contains(&to.len()) || !to.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Error::invalid(text!("mconnect.start_number_invalid")));
        }
        Ok(StartPlan {
            title: input.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("+{to}")),
            external_id: to,
            kind: if group { ConversationKind::Group } else { ConversationKind::Individual },
            meta: Default::default(),
            first_message: None,
            handoff: false,
        })
    }

    /// WhatsApp Web needs no opening call: the first message starts the chat.
    async fn start(
        &self,
        target: &ConversationTarget,
        _input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> std::result::Result<Started, SendFailure> {
        let first = first.ok_or_else(|| SendFailure("write the first message to start an mConnect chat".into()))?;
        let id = self.client.deliver(target, first).await?;
        Ok(Started { first_message_id: id, ..Default::default() })
    }
}

impl Client {
    pub(super) fn new(http: reqwest::Client, settings: Settings) -> Self {
        Client { http, settings }
    }

    async fn set_webhook(&self, url: &str) -> Result<()> {
        let body = set_webhook_request(&self.settings.number, url);
        let (status, text) = self.post(&body).await.map_err(|e| Error::Provider(e.0))?;
        let value = serde_json::from_str::<Value>(&text).ok().or_else(|| lenient_json(&text));
        let ok = value.as_ref().and_then(|v| v.get("status")).is_some_and(|s| s == "true" || s == true);
        if (200..300).contains(&status) && ok {
            Ok(())
        } else {
            Err(Error::Provider(format!("mConnect did not accept the webhook (HTTP {status}): {}", snippet(&text))))
        }
    }

    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Option<String>, SendFailure> {
        let body = match msg.kind {
            MessageKind::Text => send_text_request(&self.settings, target, msg.body.as_deref().unwrap_or_default()),
            _ => {
                let url = msg.media_url.as_deref().ok_or_else(|| SendFailure("a file needs a URL".into()))?;
                send_file_request(&self.settings, target, url, msg.caption.as_deref(), msg.file_name.as_deref())
            }
        };
        let (status, text) = self.post(&body).await?;
        parse_send_response(status, &text)
    }

    /// POSTs one request (see [`http::call`]: a request that may have reached mConnect is not
    /// retried, since sending it again could deliver the message twice).
    async fn post(&self, body: &Value) -> Result<(u16, String), SendFailure> {
        let answer = http::call("mConnect", || self.http.post(self.settings.endpoint.clone()).json(body)).await?;
        Ok((answer.status, answer.text))
    }
}
