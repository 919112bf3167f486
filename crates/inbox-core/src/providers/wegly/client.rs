//! Wegly's routes, and the [`Connector`] operations on them.

use chrono::Utc;
use reqwest::Method;
use serde_json::{Map, Value};

use super::webhook::{ChatInfo, message_events};
use super::wire::{
    self, as_u64, chat_update, check_media_type, failure, mime_of, our_template_id, parse_created_chat, parse_time,
    sent_message_id, str_at, wa_contact_id,
};
use super::{Connector, NAME};
use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::Capability;
use crate::model::{ConnectionTest, ConversationKind, MessageKind, Provider, StartConversation};
use crate::providers::http::{Answer, call, snippet};
use crate::providers::{ChatUpdate, Delivered, HistoryPage, ProviderChats, SendFailure, StartPlan, Started};
use crate::{Error, Result};

impl Connector {
    fn url(&self, segments: &[&str]) -> reqwest::Url {
        let mut url = self.settings.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    fn request(&self, method: Method, url: reqwest::Url, body: Option<&Value>) -> reqwest::RequestBuilder {
        let mut r =
            self.http.request(method, url).bearer_auth(self.token.expose()).header("accept", "application/json");
        if let Some(origin) = &self.settings.origin {
            r = r.header("origin", origin).header("referer", format!("{origin}/"));
        }
        if let Some(body) = body {
            r = r.json(body);
        }
        r
    }

    async fn call(&self, method: Method, segments: &[&str], body: Option<&Value>) -> Result<Answer, SendFailure> {
        let url = self.url(segments);
        call(NAME, || self.request(method.clone(), url.clone(), body)).await
    }

    /// A call that must succeed with a JSON object (or nothing).
    async fn call_ok(&self, method: Method, segments: &[&str], body: Option<&Value>) -> Result<Value, SendFailure> {
        let answer = self.call(method, segments, body).await?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        if answer.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        answer.json().ok_or_else(|| {
            SendFailure(format!(
                "{NAME} answered HTTP {} with an unreadable body: {}",
                answer.status,
                snippet(&answer.text)
            ))
        })
    }

    async fn get_chat(&self, chat_id: &str) -> Result<Value, SendFailure> {
        let chat = self.call_ok(Method::GET, &["chats", chat_id], None).await?;
        if chat.get("id").and_then(Value::as_str).is_none() {
            return Err(SendFailure(format!("{NAME} answered without a chat: {}", snippet(&chat.to_string()))));
        }
        Ok(chat)
    }

    async fn timeline(&self, chat_id: &str, page: u64, limit: u64) -> Result<(Vec<Value>, Option<u64>), SendFailure> {
        let mut url = self.url(&["chats", chat_id, "timeline"]);
        url.query_pairs_mut()
            .append_pair(wire::PAGE_PARAM, &page.to_string())
            .append_pair(wire::LIMIT_PARAM, &limit.to_string());
        let answer = call(NAME, || self.request(Method::GET, url.clone(), None)).await?;
        if !answer.ok() {
            return Err(failure(&answer));
        }
        let v = answer
            .json()
            .ok_or_else(|| SendFailure(format!("{NAME}'s timeline answer is unreadable: {}", snippet(&answer.text))))?;
        let records = v.get("records").and_then(Value::as_array).cloned().unwrap_or_default();
        let total = v.get("total").and_then(as_u64);
        Ok((records, total))
    }

    /// The WhatsApp id of a message of the chat, for `reference_wamid`: read from the timeline,
    /// newest pages first (a reply usually quotes a recent message).
    async fn wamid_of(&self, chat_id: &str, message_id: &str) -> Result<String, SendFailure> {
        if message_id.starts_with("wamid.") {
            return Ok(message_id.to_owned());
        }
        const LOOKUP_PAGE: u64 = 100;
        const MAX_PAGES: u64 = 20;
        let find = |records: &[Value]| -> Option<Option<String>> {
            records.iter().filter_map(|r| r.get("message")).find(|m| str_at(m, "id") == Some(message_id)).map(|m| {
                str_at(m, "wamid")
                    .or_else(|| str_at(m, "meta_message_id"))
                    .or_else(|| str_at(m, "meta_id"))
                    .map(str::to_owned)
            })
        };
        let (first, total) = self.timeline(chat_id, 1, LOOKUP_PAGE).await?;
        let mut found = find(&first);
        if found.is_none() {
            let pages = total.unwrap_or(0).div_ceil(LOOKUP_PAGE);
            for page in (2..=pages).rev().take(MAX_PAGES as usize) {
                let (records, _) = self.timeline(chat_id, page, LOOKUP_PAGE).await?;
                found = find(&records);
                if found.is_some() {
                    break;
                }
            }
        }
        match found {
            Some(Some(wamid)) => Ok(wamid),
            Some(None) => Err(SendFailure(
                "the quoted message has no WhatsApp id yet (it is still being sent); try the reply again in a moment"
                    .into(),
            )),
            None => Err(SendFailure(format!("{NAME}'s timeline of this chat does not have the quoted message"))),
        }
    }

    /// Sends one message to a chat; answers Wegly's message id.
    async fn send(&self, chat_id: &str, msg: &OutboundMessage) -> Result<Option<String>, SendFailure> {
        let reference = match &msg.quoted_provider_message_id {
            Some(quoted) => Some(self.wamid_of(chat_id, quoted).await?),
            None => None,
        };
        let reference = reference.as_deref();
        let missing = |what: &str| SendFailure(format!("the stored message has no {what}"));
        let (segments, body): (Vec<&str>, Value) = match msg.kind {
            MessageKind::Text => {
                let text = msg.body.as_deref().ok_or_else(|| missing("text"))?;
                (vec!["chats", chat_id, "messages"], wire::text(text, reference))
            }
            MessageKind::Template => {
                let t = msg.template().ok_or_else(|| missing("template"))?;
                (vec!["chats", chat_id, "messages"], wire::template(&t, reference))
            }
            MessageKind::Interactive => {
                let i = msg.interactive().ok_or_else(|| missing("buttons or list"))?;
                (vec!["chats", chat_id, "messages", "interactive"], wire::interactive(&i, reference))
            }
            MessageKind::Location => {
                let l = msg.location().ok_or_else(|| missing("location"))?;
                (vec!["chats", chat_id, "messages", "location"], wire::location(&l, reference))
            }
            MessageKind::Image | MessageKind::Video | MessageKind::Audio | MessageKind::File | MessageKind::Sticker => {
                let url = msg.media_url.as_deref().ok_or_else(|| missing("file URL"))?;
                let name = msg.file_name.as_deref();
                check_media_type(msg.kind, name.unwrap_or(url))?;
                let mime = name.and_then(mime_of).or_else(|| mime_of(url));
                let body = wire::media(msg.kind, url, msg.caption.as_deref(), name, mime, reference);
                (vec!["chats", chat_id, "messages"], body)
            }
            MessageKind::Event | MessageKind::Unrecognised => {
                return Err(SendFailure("that kind of message cannot be sent".into()));
            }
        };
        let answer = self.call_ok(Method::POST, &segments, Some(&body)).await?;
        Ok(sent_message_id(&answer))
    }
}

/// The key a started conversation has until Wegly answers with its chat id.
const UNOPENED_PREFIX: &str = "wa:";

/// The Wegly chat id of a conversation, or why there is none (a start that failed).
fn chat_id(target: &ConversationTarget) -> Result<&str, SendFailure> {
    if target.external_id.starts_with(UNOPENED_PREFIX) {
        return Err(SendFailure(
            "Wegly never opened this chat (its start failed): start the conversation again with a template".into(),
        ));
    }
    Ok(&target.external_id)
}

#[async_trait::async_trait]
impl crate::providers::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Wegly
    }

    fn capabilities(&self) -> Vec<Capability> {
        self.capabilities.clone()
    }

    fn chats(&self) -> Option<&dyn ProviderChats> {
        Some(self)
    }

    /// Wegly has no "who am I" call. Reading a chat that cannot exist (a random UUID) is cheap
    /// and harmless: 404 means the token was accepted, 401/403 that it was refused.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let probe = uuid::Uuid::new_v4().to_string();
        let answer = self.call(Method::GET, &["chats", &probe], None).await.map_err(Error::from)?;
        Ok(match answer.status {
            404 | 200..=299 => ConnectionTest::new(true, text!("wegly.test_ok")),
            _ => ConnectionTest::new(false, crate::text::Text::from(failure(&answer).0)),
        })
    }

    async fn deliver(&self, target: &ConversationTarget, msg: &OutboundMessage) -> Result<Delivered, SendFailure> {
        let id = self.send(chat_id(target)?, msg).await?;
        Ok(Delivered { provider_message_id: id, meta: Map::new() })
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let message = input.message.as_ref().ok_or_else(|| Error::invalid(text!("wegly.start_needs_template")))?;
        if message.kind != MessageKind::Template || message.template.is_none() {
            return Err(Error::invalid(text!("wegly.start_not_template")));
        }
        let to = wa_contact_id(&input.to)?;
        let title = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        Ok(StartPlan {
            title: title.unwrap_or_else(|| format!("+{to}")),
            // Until Wegly answers with the chat's id.
            external_id: format!("{UNOPENED_PREFIX}{to}"),
            kind: ConversationKind::Individual,
            meta: Map::new(),
            first_message: None,
            handoff: false,
        })
    }

    async fn start(
        &self,
        _target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> Result<Started, SendFailure> {
        let template = first
            .and_then(OutboundMessage::template)
            .ok_or_else(|| SendFailure("a Wegly chat opens with an approved template".into()))?;
        let to = wa_contact_id(&input.to).map_err(|e| SendFailure(e.public_message()))?;
        let name = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let body = wire::create_chat(&self.settings.whatsapp_phone_id, &to, name, &template);
        let created = self.call_ok(Method::POST, &["chats"], Some(&body)).await?;
        let mut started = parse_created_chat(&created)?;
        // The create answer has no window; the chat itself does. A failure here leaves the
        // window unknown until the customer writes or the agent refreshes.
        let chat_id = started.external_id.clone().unwrap_or_default();
        match self.get_chat(&chat_id).await {
            Ok(chat) => {
                started.chat = Some(chat_update(&chat, Utc::now()));
                if started.first_message_id.is_none() {
                    started.first_message_id = our_template_id(&chat);
                }
            }
            Err(e) => tracing::warn!(reason = %e, "reading the new Wegly chat failed"),
        }
        Ok(started)
    }

    async fn remove_reaction(&self, target: &ConversationTarget, provider_message_id: &str) -> Result<()> {
        self.call_ok(Method::DELETE, &["chats", chat_id(target)?, "messages", provider_message_id, "reaction"], None)
            .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ProviderChats for Connector {
    async fn reassign(&self, target: &ConversationTarget, user_id: &str) -> Result<ChatUpdate> {
        if uuid::Uuid::parse_str(user_id).is_err() {
            return Err(Error::invalid(text!("wegly.user_id_invalid")));
        }
        let body = wire::responsible(user_id);
        let answer = self.call_ok(Method::PATCH, &["chats", chat_id(target)?, "responsible"], Some(&body)).await?;
        // The answer is the chat; if Wegly answers nothing, read it.
        let chat = if answer.get("id").is_some() { answer } else { self.get_chat(chat_id(target)?).await? };
        Ok(chat_update(&chat, Utc::now()))
    }

    async fn refresh(&self, target: &ConversationTarget) -> Result<ChatUpdate> {
        let chat = self.get_chat(chat_id(target)?).await?;
        Ok(chat_update(&chat, Utc::now()))
    }

    async fn history_page(&self, target: &ConversationTarget, cursor: Option<&str>) -> Result<HistoryPage> {
        let page = match cursor {
            None => 1,
            Some(c) => c
                .parse::<u64>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| Error::invalid(text!("wegly.history_cursor_invalid")))?,
        };
        let (records, total) = self.timeline(chat_id(target)?, page, wire::PAGE_SIZE).await?;
        let chat = ChatInfo { title: Some(target.title.clone()), ..ChatInfo::bare(&target.external_id) };
        let mut events = Vec::new();
        for record in &records {
            let kind = str_at(record, "event_type").unwrap_or("MESSAGE");
            let Some(message) = record.get("message").filter(|m| m.is_object()) else { continue };
            if !kind.eq_ignore_ascii_case("MESSAGE") {
                continue;
            }
            let fallback_time = str_at(record, "event_at").and_then(parse_time);
            match message_events(&chat, message, fallback_time, false) {
                Ok(mut e) => events.append(&mut e),
                Err(reason) => tracing::warn!(%reason, "skipped a timeline record"),
            }
        }
        let seen = (page - 1) * wire::PAGE_SIZE + records.len() as u64;
        let more = !records.is_empty() && total.is_none_or(|t| seen < t);
        Ok(HistoryPage { events, total, next: more.then(|| (page + 1).to_string()) })
    }
}
