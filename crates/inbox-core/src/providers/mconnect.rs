//! mConnect (cal4care) OmniChannel WhatsApp.
//!
//! One POST endpoint whose `element_data.action` picks the operation; no authentication (callers
//! are identified by number, company and username). It drives WhatsApp Web, so there are no
//! templates and no 24-hour window. Quirks handled here:
//! - statuses are the strings `"true"`/`"false"`, and a failed send answers `result.data = "not-sent"`;
//! - the documented success answer of a file send, `{ "status": "true", }`, is not valid JSON;
//! - their server builds JSON by string concatenation, so we always send real JSON and report a
//!   refused send clearly rather than retrying it;
//! - webhooks carry no signature: the URL we register carries the account's secret.

use chrono::{TimeZone, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::http::{self, lenient_json, snippet};
use super::{AccountContext, Delivered, SendFailure, StartPlan, WebhookError, WebhookEvent};
use crate::model::{
    Capability, CapabilityNote, ConnectionTest, ConversationKind, Direction, FieldKind, FieldOption, MessageKind,
    Provider, ProviderInfo, SettingField, StartConversation, WebhookSetup,
};
use crate::store::{ConversationTarget, InboundContact, InboundMessage, OutboundMessage};
use crate::{Error, Result};

/// The public production endpoint, the default for a new account.
pub const DEFAULT_ENDPOINT: &str = "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/";

pub fn capabilities() -> Vec<Capability> {
    use Capability::*;
    vec![StartConversation, SendText, SendFile, Caption, Groups]
}

pub fn info() -> ProviderInfo {
    let why = |capability, reason: &str| CapabilityNote { capability, reason: reason.into() };
    use Capability::*;
    ProviderInfo {
        id: Provider::Mconnect,
        label: "mConnect",
        capabilities: capabilities(),
        unavailable: vec![
            why(Reply, "mConnect's API has no quoted replies."),
            why(Reactions, "mConnect does not forward reactions."),
            why(RemoveReaction, "mConnect does not forward reactions."),
            why(Typing, "mConnect's API has no typing notification."),
            why(Templates, "mConnect drives WhatsApp Web, which has no templates."),
            why(Window24h, "WhatsApp Web has no 24-hour window."),
            why(Interactive, "mConnect sends only text and files."),
            why(Location, "mConnect sends only text and files."),
            why(Delete, "mConnect's API cannot delete messages."),
            why(HistoryImport, "mConnect's API cannot read earlier messages."),
            why(Reassign, "mConnect has no users to reassign to."),
            why(ContactSync, "mConnect has no contact API."),
            why(TagSync, "mConnect has no tag API."),
        ],
        fields: vec![
            SettingField {
                key: "base_url",
                label: "Endpoint",
                kind: FieldKind::Url,
                required: true,
                options: vec![FieldOption { value: DEFAULT_ENDPOINT.into(), label: "mConnect production" }],
                default: Some(DEFAULT_ENDPOINT.into()),
                help: None,
            },
            SettingField {
                key: "number",
                label: "WhatsApp number",
                kind: FieldKind::Phone,
                required: true,
                options: vec![],
                default: None,
                help: Some("The scanned number, with country code, digits only."),
            },
            SettingField {
                key: "company",
                label: "Company",
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                default: None,
                help: None,
            },
            SettingField {
                key: "username",
                label: "Username",
                kind: FieldKind::Text,
                required: true,
                options: vec![],
                default: None,
                help: None,
            },
        ],
        webhook_setup: WebhookSetup::Registered,
        notes: vec![
            "mConnect has no token: it identifies callers by number, company and username.",
            "Sent messages stay \"sent\": mConnect forwards no delivery receipts.",
        ],
    }
}

/// An account's settings. None of them is a secret: mConnect has no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub endpoint: reqwest::Url,
    /// The scanned WhatsApp number, digits only, with country code.
    pub number: String,
    pub company: String,
    pub username: String,
}

impl Settings {
    pub fn from_map(map: &Map<String, Value>) -> Result<Settings> {
        let text = |key: &str| -> Result<String> {
            let v = map.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default();
            if v.is_empty() {
                return Err(Error::invalid(format!("`{key}` is required")));
            }
            Ok(v.to_owned())
        };
        let endpoint_text = text("base_url")?;
        let endpoint = reqwest::Url::parse(&endpoint_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| Error::invalid("`base_url` must be an http(s) URL"))?;
        let number = text("number")?.trim_start_matches('+').to_owned();
        if !(8..=15).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("`number` must be the WhatsApp number with country code: 8 to 15 digits"));
        }
        Ok(Settings { endpoint, number, company: text("company")?, username: text("username")? })
    }

    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("base_url".into(), Value::String(self.endpoint.to_string()));
        map.insert("number".into(), Value::String(self.number.clone()));
        map.insert("company".into(), Value::String(self.company.clone()));
        map.insert("username".into(), Value::String(self.username.clone()));
        map
    }
}

fn envelope(element_data: Value) -> Value {
    json!({
        "operation": "wp_instance",
        "moduleType": "wp_instance",
        "api_type": "web",
        "element_data": element_data,
    })
}

/// The `setWebHook` request.
pub fn set_webhook_request(number: &str, url: &str) -> Value {
    envelope(json!({ "action": "setWebHook", "wp_num": number, "web_hook": url }))
}

/// Who a send goes from and to. For a person: from our number to theirs. For a group the
/// document says `from` is the group id; the recipient field then carries our own number.
fn addressing<'a>(settings: &'a Settings, target: &'a ConversationTarget) -> (&'a str, &'a str, &'static str) {
    match target.kind {
        ConversationKind::Individual => (&settings.number, &target.external_id, "0"),
        ConversationKind::Group => (&target.external_id, &settings.number, "1"),
    }
}

/// The `sendWhatsappText` request.
pub fn send_text_request(settings: &Settings, target: &ConversationTarget, message: &str) -> Value {
    let (from, to, is_group) = addressing(settings, target);
    envelope(json!({
        "action": "sendWhatsappText",
        "from": from,
        "to": to,
        "message": message,
        "is_group": is_group,
        "company": settings.company,
        "username": settings.username,
    }))
}

/// The `sendWhatsappFile` request. `filename` is not in the document but their server reads it.
pub fn send_file_request(
    settings: &Settings,
    target: &ConversationTarget,
    file_url: &str,
    caption: Option<&str>,
    file_name: Option<&str>,
) -> Value {
    let (from, to, is_group) = addressing(settings, target);
    let mut data = json!({
        "action": "sendWhatsappFile",
        "from": from,
        "to": to,
        "file_url": file_url,
        "caption": caption.unwrap_or_default(),
        "is_group": is_group,
        "company": settings.company,
        "username": settings.username,
    });
    if let Some(name) = file_name {
        data["filename"] = Value::String(name.to_owned());
    }
    envelope(data)
}

/// Reads a send answer. `Ok(Some(id))` for a text send, `Ok(None)` for a file send (which
/// returns no id), `Err` with a readable reason otherwise.
pub fn parse_send_response(http_status: u16, body: &str) -> Result<Option<String>, SendFailure> {
    let value = serde_json::from_str::<Value>(body).ok().or_else(|| lenient_json(body));
    let Some(value) = value else {
        return Err(SendFailure(format!(
            "mConnect answered HTTP {http_status} with an unreadable body: {}",
            snippet(body)
        )));
    };
    let ok = match value.get("status") {
        Some(Value::String(s)) => s == "true",
        Some(Value::Bool(b)) => *b,
        _ => false,
    };
    let data = value.pointer("/result/data").and_then(Value::as_str);
    if ok && (200..300).contains(&http_status) {
        return Ok(data.filter(|d| !d.is_empty() && *d != "not-sent").map(str::to_owned));
    }
    Err(SendFailure(match data {
        Some("not-sent") => "mConnect did not send the message (not-sent). Check that the WhatsApp number is still connected; texts with quotes or line breaks are known to fail on their side.".into(),
        Some(other) => format!("mConnect refused the message (HTTP {http_status}): {}", snippet(other)),
        None => format!("mConnect refused the message (HTTP {http_status}): {}", snippet(body)),
    }))
}

pub struct Client {
    http: reqwest::Client,
    settings: Settings,
}

/// The [`super::Connector`] for an mConnect account.
pub struct Connector {
    client: Client,
    webhook_url: Option<String>,
}

impl Connector {
    pub fn new(ctx: AccountContext) -> Result<Self> {
        let settings = Settings::from_map(&ctx.account.settings)?;
        Ok(Connector { client: Client::new(ctx.http, settings), webhook_url: ctx.webhook_url })
    }
}

#[async_trait::async_trait]
impl super::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Mconnect
    }

    async fn register_webhook(&self, url: &str) -> Result<()> {
        self.client.set_webhook(url).await
    }

    /// mConnect has no read-only call, and any unknown action is taken as a file send. Its one
    /// harmless call is setting the webhook to the URL it already has, so that is the test.
    async fn test_connection(&self) -> Result<ConnectionTest> {
        let Some(url) = &self.webhook_url else {
            return Ok(ConnectionTest {
                ok: false,
                message: "save the account first: mConnect's only harmless call sets the webhook URL".into(),
            });
        };
        self.client.set_webhook(url).await?;
        Ok(ConnectionTest { ok: true, message: "mConnect accepted the webhook URL".into() })
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
            return Err(Error::invalid("write the first message: an mConnect chat starts with it"));
        }
        let to = input.to.trim_start_matches('+').to_owned();
        let group = to.ends_with("@g.us");
        if !group && (!(8..=15).contains(&to.len()) || !to.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Error::invalid(
                "`to` must be a WhatsApp number with country code (8 to 15 digits) or a group id",
            ));
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
    ) -> std::result::Result<super::Started, SendFailure> {
        let first = first.ok_or_else(|| SendFailure("write the first message to start an mConnect chat".into()))?;
        let id = self.client.deliver(target, first).await?;
        Ok(super::Started { first_message_id: id, ..Default::default() })
    }
}

impl Client {
    pub fn new(http: reqwest::Client, settings: Settings) -> Self {
        Client { http, settings }
    }

    pub async fn set_webhook(&self, url: &str) -> Result<()> {
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

    pub async fn deliver(
        &self,
        target: &ConversationTarget,
        msg: &OutboundMessage,
    ) -> Result<Option<String>, SendFailure> {
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

/// The webhook body, as documented. Numbers arrive as strings; `time` is Unix seconds as a string.
#[derive(Debug, Deserialize)]
struct Webhook {
    from: Option<String>,
    to: Option<String>,
    chat_msg: Option<String>,
    time: Option<Value>,
    sender_name: Option<String>,
    message_id: Option<String>,
    sender: Option<String>,
    image: Option<String>,
    caption: Option<String>,
    group_icon: Option<String>,
    group_name: Option<String>,
}

pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let hook: Webhook = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            WebhookError::Invalid(format!("unexpected field type: {e}"))
        } else {
            WebhookError::InvalidJson(e.to_string())
        }
    })?;
    let required = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty()).ok_or_else(|| WebhookError::Invalid(format!("missing field `{name}`")))
    };
    let from = required(hook.from, "from")?;
    required(hook.to, "to")?;
    let message_id = required(hook.message_id, "message_id")?;
    if from == "status@broadcast" || message_id.contains("status@broadcast") {
        return Ok(WebhookEvent::Ignored("WhatsApp status broadcast"));
    }
    let sent_at = match hook.time {
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
    .and_then(|secs| Utc.timestamp_opt(secs, 0).single())
    .ok_or_else(|| WebhookError::Invalid("missing or invalid field `time` (Unix seconds)".into()))?;

    let text = hook.chat_msg.filter(|s| !s.is_empty());
    let media = hook.image.filter(|s| !s.is_empty());
    let (kind, body, caption) = match (&media, text) {
        (Some(url), text) => (MessageKind::from_file_name(url), None, hook.caption.or(text)),
        (None, Some(text)) => (MessageKind::Text, Some(text), None),
        (None, None) => return Err(WebhookError::Invalid("the message has neither `chat_msg` nor `image`".into())),
    };
    let is_group = message_id.contains("@g.us") || hook.group_name.is_some();
    let sender_name = hook.sender_name.filter(|s| !s.trim().is_empty());
    let avatar = hook.sender.filter(|s| !s.is_empty());

    let message = if is_group {
        InboundMessage {
            direction: Direction::Inbound,
            title: hook.group_name.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| from.clone()),
            conversation_external_id: from,
            conversation_kind: ConversationKind::Group,
            avatar_url: hook.group_icon.filter(|s| !s.is_empty()),
            // Group webhooks name the member but give no number for them.
            contact: None,
            sender_name,
            sender_external_id: None,
            kind,
            body,
            media_url: media,
            caption,
            file_name: None,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id: message_id,
            sent_at,
        }
    } else {
        InboundMessage {
            direction: Direction::Inbound,
            title: sender_name.clone().unwrap_or_else(|| format!("+{from}")),
            conversation_external_id: from.clone(),
            conversation_kind: ConversationKind::Individual,
            avatar_url: avatar.clone(),
            contact: Some(InboundContact {
                external_id: from.clone(),
                display_name: sender_name.clone(),
                avatar_url: avatar,
            }),
            sender_name,
            sender_external_id: Some(from),
            kind,
            body,
            media_url: media,
            caption,
            file_name: None,
            payload: None,
            quoted_provider_message_id: None,
            status: None,
            provider_message_id: message_id,
            sent_at,
        }
    };
    Ok(WebhookEvent::Message(Box::new(message)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use inbox_sim::fixtures::mconnect as fx;

    fn settings() -> Settings {
        Settings::from_map(
            json!({"base_url": DEFAULT_ENDPOINT, "number": "174000000", "company": "cal4care", "username": "cal4care"})
                .as_object()
                .unwrap(),
        )
        .unwrap()
    }

    fn target(kind: ConversationKind, id: &str) -> ConversationTarget {
        ConversationTarget {
            conversation_id: "c".into(),
            account_id: "a".into(),
            external_id: id.into(),
            kind,
            ..ConversationTarget::default()
        }
    }

    fn fixture(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    /// Shapes must match the document's examples key for key (values differ where the doc masks them).
    fn same_keys(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_keys(v, w)))
            }
            (Value::String(_), Value::String(_))
            | (Value::Number(_), Value::Number(_))
            | (Value::Null, Value::Null) => true,
            _ => false,
        }
    }

    #[test]
    fn set_webhook_matches_the_document() {
        let doc = fixture(fx::SET_WEBHOOK);
        let ours = set_webhook_request("170000000", "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/");
        assert!(same_keys(&ours, &doc), "{ours} vs {doc}");
        assert_eq!(ours["element_data"]["action"], "setWebHook");
    }

    #[test]
    fn send_text_matches_the_document() {
        let mut s = settings();
        s.company = "cal4care".into();
        let ours = send_text_request(&s, &target(ConversationKind::Individual, "18456000"), "test");
        let mut doc = fixture(fx::SEND_TEXT);
        doc["element_data"]["from"] = json!("174000000");
        doc["element_data"]["to"] = json!("18456000");
        assert_eq!(ours, doc);
    }

    #[test]
    fn group_text_sets_is_group_and_sends_from_the_group() {
        let ours =
            send_text_request(&settings(), &target(ConversationKind::Group, "6582986675-1502710128"), "testc api");
        let doc = fixture(fx::GROUP_REPLY);
        assert!(same_keys(&ours, &doc));
        assert_eq!(ours["element_data"]["is_group"], "1");
        assert_eq!(ours["element_data"]["from"], "6582986675-1502710128");
        assert_eq!(ours["element_data"]["to"], "174000000");
    }

    #[test]
    fn send_file_matches_the_document() {
        let ours = send_file_request(
            &settings(),
            &target(ConversationKind::Individual, "918000000"),
            "https://example.com/test.jpeg",
            Some("demo"),
            None,
        );
        let mut doc = fixture(fx::SEND_FILE);
        doc["element_data"]["from"] = json!("174000000");
        doc["element_data"]["to"] = json!("918000000");
        assert_eq!(ours, doc);
    }

    #[test]
    fn text_with_quotes_and_newlines_is_valid_json() {
        let text = "She said \"hi\"\nand left \\ here";
        let ours = send_text_request(&settings(), &target(ConversationKind::Individual, "5511999990000"), text);
        let wire = serde_json::to_string(&ours).unwrap();
        let back: Value = serde_json::from_str(&wire).unwrap();
        assert_eq!(back["element_data"]["message"], text);
    }

    #[test]
    fn send_answers_as_documented() {
        assert_eq!(
            parse_send_response(200, fx::SEND_TEXT_SUCCESS).unwrap().as_deref(),
            Some("true_918489514086@c.us_3EB013E4277919A8B677")
        );
        let failure = parse_send_response(200, fx::SEND_TEXT_FAILURE).unwrap_err();
        assert!(failure.0.contains("not-sent"), "{failure}");
        assert_eq!(parse_send_response(200, fx::SEND_FILE_SUCCESS).unwrap(), None);
        assert!(parse_send_response(200, fx::SEND_FILE_FAILURE).unwrap_err().0.contains("not-sent"));
        assert!(parse_send_response(502, "<html>Bad gateway</html>").unwrap_err().0.contains("HTTP 502"));
        assert!(parse_send_response(500, r#"{"status":"true"}"#).is_err());
    }

    #[test]
    fn lenient_json_keeps_commas_inside_strings() {
        let v = lenient_json(r#"{"a": "x, }", "b": [1, 2,], }"#).unwrap();
        assert_eq!(v, json!({"a": "x, }", "b": [1, 2]}));
    }

    #[test]
    fn inbound_text_from_the_document() {
        let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_TEXT.as_bytes()).unwrap() else { panic!() };
        let doc = fixture(fx::INBOUND_TEXT);
        assert_eq!(m.conversation_kind, ConversationKind::Individual);
        assert_eq!(m.conversation_external_id, doc["from"].as_str().unwrap());
        assert_eq!(m.kind, MessageKind::Text);
        assert_eq!(m.body.as_deref(), Some("test"));
        assert_eq!(m.sender_name.as_deref(), Some("Selva"));
        assert_eq!(m.title, "Selva");
        assert_eq!(m.provider_message_id, "false_918489514086@c.us_3EB0D0E65F495E0160A7");
        assert_eq!(m.sent_at.timestamp(), 1600316758);
        let contact = m.contact.as_ref().unwrap();
        assert_eq!(contact.avatar_url.as_deref(), doc["sender"].as_str());
        assert_eq!(m.avatar_url.as_deref(), doc["sender"].as_str());
    }

    #[test]
    fn inbound_media_from_the_document() {
        let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_MEDIA.as_bytes()).unwrap() else { panic!() };
        assert_eq!(m.kind, MessageKind::Image);
        assert_eq!(
            m.media_url.as_deref(),
            Some("https://omni.mconnectapps.com/api/v1.0/whatsapp_image/1600317556.jpeg")
        );
        assert_eq!(m.body, None);
        assert_eq!(m.sender_name.as_deref(), Some("Rashid"));
    }

    #[test]
    fn inbound_group_text_from_the_document() {
        let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_GROUP_TEXT.as_bytes()).unwrap() else { panic!() };
        let doc = fixture(fx::INBOUND_GROUP_TEXT);
        assert_eq!(m.conversation_kind, ConversationKind::Group);
        assert_eq!(m.conversation_external_id, doc["from"].as_str().unwrap());
        assert_eq!(m.title, "cal4care");
        assert_eq!(m.sender_name.as_deref(), Some("Jhones"));
        assert_eq!(m.avatar_url.as_deref(), doc["group_icon"].as_str());
        assert!(m.contact.is_none());
        assert_eq!(m.body.as_deref(), Some("test"));
    }

    #[test]
    fn inbound_group_media_with_null_sender_from_the_document() {
        let WebhookEvent::Message(m) = parse_webhook(fx::INBOUND_GROUP_MEDIA.as_bytes()).unwrap() else { panic!() };
        assert_eq!(m.conversation_kind, ConversationKind::Group);
        assert_eq!(m.kind, MessageKind::Image);
        assert_eq!(m.media_url.as_deref(), Some("https://example.com/1600317960.jpeg"));
        assert_eq!(m.caption, None);
    }

    #[test]
    fn bad_webhooks_are_refused_with_reasons() {
        assert!(matches!(parse_webhook(b"{not json"), Err(WebhookError::InvalidJson(_))));
        let missing = parse_webhook(br#"{"from":"5511","to":"174","time":"1600316758","chat_msg":"x"}"#).unwrap_err();
        assert_eq!(missing, WebhookError::Invalid("missing field `message_id`".into()));
        let no_content = parse_webhook(br#"{"from":"5511","to":"174","time":"1","message_id":"false_x"}"#).unwrap_err();
        assert!(matches!(no_content, WebhookError::Invalid(_)));
        let bad_time =
            parse_webhook(br#"{"from":"5511","to":"174","time":"soon","message_id":"m","chat_msg":"x"}"#).unwrap_err();
        assert!(matches!(bad_time, WebhookError::Invalid(m) if m.contains("time")));
        assert!(matches!(parse_webhook(br#"{"from": 5}"#), Err(WebhookError::Invalid(_))));
        assert!(matches!(
            parse_webhook(br#"{"from":"status@broadcast","to":"174","time":"1","message_id":"false_status@broadcast_1","chat_msg":"x"}"#),
            Ok(WebhookEvent::Ignored(_))
        ));
    }

    #[test]
    fn settings_are_validated() {
        let bad = |v: Value| Settings::from_map(v.as_object().unwrap()).unwrap_err().public_message();
        assert!(
            bad(json!({"base_url": "ftp://x", "number": "5511999990000", "company": "c", "username": "u"}))
                .contains("base_url")
        );
        assert!(
            bad(json!({"base_url": DEFAULT_ENDPOINT, "number": "12ab", "company": "c", "username": "u"}))
                .contains("number")
        );
        assert!(
            bad(json!({"base_url": DEFAULT_ENDPOINT, "number": "5511999990000", "username": "u"})).contains("company")
        );
        let ok = Settings::from_map(
            json!({"base_url": DEFAULT_ENDPOINT, "number": "+5511999990000", "company": "c", "username": "u"})
                .as_object()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(ok.number, "5511999990000");
    }
}
