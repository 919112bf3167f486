//! The route map, the client (every operation of the library) and the [`Connector`]
//! operations built on it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use super::wire::{
    ContactRefDto, ContactTagsDto, CreateContactDto, CreateTagDto, DeleteMessageDto, GetContactsDto, GetTagsDto,
    SendMessageDto, SendPlatformMessagePayload, StartConversationDto, TagRefDto, UpdateContactDto, UpdateTagDto,
    content, failure, has_next_page, id_of, items_of, message_id_of, normalise_number, quoted, remote_contact,
    remote_tag, session_id_of, string_of,
};
use super::{CHANNEL_TYPE, Connector, PAGE_SIZE, PROVIDER, Service, Settings};
use crate::exchange::{ConversationTarget, OutboundMessage};
use crate::model::Capability;
use crate::model::{ConnectionTest, ConversationKind, Provider, StartConversation};
use crate::providers::http::{self, snippet};
use crate::providers::{Delivered, Directory, RemoteContact, RemotePage, RemoteTag, SendFailure, StartPlan, Started};
use crate::secrets::Sensitive;
use crate::{Error, Result, Text};

// ---------------------------------------------------------------------------------------------
// Route map

/// Every operation of the library, named `<api>.<method>` after the library's method names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Operation {
    ContactsCreate,
    ContactsUpdate,
    ContactsGetById,
    ContactsGet,
    ContactsDeletePlatform,
    ContactsGetTagsByContactId,
    ContactsAddTags,
    ContactsRemoveTags,
    TagsCreate,
    TagsGet,
    TagsGetById,
    TagsUpdate,
    TagsDelete,
    TagsGetContactsByTagId,
    MessagesStartConversation,
    MessagesSendMessage,
    MessagesSendProactiveMessage,
    MessagesSendGroupMessage,
    MessagesDeleteMessage,
}

impl Operation {
    pub(super) const ALL: [Operation; 19] = [
        Operation::ContactsCreate,
        Operation::ContactsUpdate,
        Operation::ContactsGetById,
        Operation::ContactsGet,
        Operation::ContactsDeletePlatform,
        Operation::ContactsGetTagsByContactId,
        Operation::ContactsAddTags,
        Operation::ContactsRemoveTags,
        Operation::TagsCreate,
        Operation::TagsGet,
        Operation::TagsGetById,
        Operation::TagsUpdate,
        Operation::TagsDelete,
        Operation::TagsGetContactsByTagId,
        Operation::MessagesStartConversation,
        Operation::MessagesSendMessage,
        Operation::MessagesSendProactiveMessage,
        Operation::MessagesSendGroupMessage,
        Operation::MessagesDeleteMessage,
    ];

    /// The name used in the `routes` setting.
    pub(super) fn name(self) -> &'static str {
        use Operation::*;
        match self {
            ContactsCreate => "contacts.create",
            ContactsUpdate => "contacts.update",
            ContactsGetById => "contacts.getById",
            ContactsGet => "contacts.get",
            ContactsDeletePlatform => "contacts.deletePlatform",
            ContactsGetTagsByContactId => "contacts.getTagsByContacId",
            ContactsAddTags => "contacts.addTags",
            ContactsRemoveTags => "contacts.removeTags",
            TagsCreate => "tags.create",
            TagsGet => "tags.get",
            TagsGetById => "tags.getById",
            TagsUpdate => "tags.update",
            TagsDelete => "tags.delete",
            TagsGetContactsByTagId => "tags.getContactsByTagId",
            MessagesStartConversation => "messages.startConversation",
            MessagesSendMessage => "messages.sendMessage",
            MessagesSendProactiveMessage => "messages.sendProactiveMessage",
            MessagesSendGroupMessage => "messages.sendGroupMessage",
            MessagesDeleteMessage => "messages.deleteMessage",
        }
    }

    pub(super) fn parse(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The inferred route, `METHOD /path`.
    pub(super) fn default_route(self) -> &'static str {
        use Operation::*;
        match self {
            ContactsCreate => "POST /contacts",
            ContactsUpdate => "PATCH /contacts/{contactId}",
            ContactsGetById => "GET /contacts/{contactId}",
            ContactsGet => "GET /contacts",
            ContactsDeletePlatform => "DELETE /contacts/{contactId}/platform",
            ContactsGetTagsByContactId => "GET /contacts/{contactId}/tags",
            ContactsAddTags => "POST /contacts/{contactId}/tags",
            ContactsRemoveTags => "DELETE /contacts/{contactId}/tags",
            TagsCreate => "POST /tags",
            TagsGet => "GET /tags",
            TagsGetById => "GET /tags/{tagId}",
            TagsUpdate => "PATCH /tags/{tagId}",
            TagsDelete => "DELETE /tags/{tagId}",
            TagsGetContactsByTagId => "GET /tags/{tagId}/contacts",
            MessagesStartConversation => "POST /messages/start-conversation/{service}",
            MessagesSendMessage => "POST /messages/send",
            MessagesSendProactiveMessage => "POST /messages/proactive",
            MessagesSendGroupMessage => "POST /messages/group",
            MessagesDeleteMessage => "DELETE /messages/{messageId}",
        }
    }

    /// The fields a path of this operation may name as `{field}`: its DTO's identifying fields.
    fn path_fields(self) -> &'static [&'static str] {
        use Operation::*;
        match self {
            ContactsCreate => &["clientIdentifier", "channelId", "contactIdentifier"],
            ContactsGet | TagsCreate | TagsGet => &["clientIdentifier"],
            ContactsUpdate
            | ContactsGetById
            | ContactsDeletePlatform
            | ContactsGetTagsByContactId
            | ContactsAddTags
            | ContactsRemoveTags => &["clientIdentifier", "contactId"],
            TagsGetById | TagsUpdate | TagsDelete | TagsGetContactsByTagId => &["clientIdentifier", "tagId"],
            MessagesStartConversation => &["service", "platformConfigId", "channelId", "clientProviderId"],
            MessagesSendMessage => &["sessionId"],
            MessagesSendProactiveMessage | MessagesSendGroupMessage => &["channelId", "recipientNumber", "platform"],
            MessagesDeleteMessage => &["messageId", "senderId", "channelSlug"],
        }
    }
}

/// One route: an HTTP method and a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Route {
    pub(super) method: reqwest::Method,
    /// Starts with `/`; `{field}` placeholders are filled from the DTO.
    pub(super) path: String,
}

impl Route {
    /// Parses `METHOD /path` for `op`, or says what is wrong with it.
    pub(super) fn parse(op: Operation, text: &str) -> std::result::Result<Route, Text> {
        let bad = |why: Text| why.with("name", op.name()).with("route", text);
        let (method, path) =
            text.trim().split_once(char::is_whitespace).ok_or_else(|| bad(text!("cirrus.route_shape")))?;
        let path = path.trim();
        let method = match method.to_ascii_uppercase().as_str() {
            "GET" => reqwest::Method::GET,
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            "PATCH" => reqwest::Method::PATCH,
            "DELETE" => reqwest::Method::DELETE,
            _ => return Err(bad(text!("cirrus.route_method"))),
        };
        if !path.starts_with('/') {
            return Err(bad(text!("cirrus.route_path_start")));
        }
        if path.chars().any(|c| c.is_whitespace() || c == '?' || c == '#') {
            return Err(bad(text!("cirrus.route_path_chars")));
        }
        let mut rest = path;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(bad(text!("cirrus.route_braces")));
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| bad(text!("cirrus.route_braces")))?;
            let field = &after[..close];
            if !op.path_fields().contains(&field) {
                return Err(bad(text!("cirrus.route_field", field = field, fields = op.path_fields().join(", "))));
            }
            rest = &after[close + 1..];
        }
        Ok(Route { method, path: path.to_owned() })
    }

    /// The path with its placeholders filled (URL-encoded), and the fields it used.
    pub(super) fn render(
        &self,
        fields: &Map<String, Value>,
    ) -> std::result::Result<(String, BTreeSet<String>), SendFailure> {
        let mut out = String::with_capacity(self.path.len());
        let mut used = BTreeSet::new();
        let mut rest = self.path.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            let field = &after[..close];
            let value = match fields.get(field) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(SendFailure(format!("the Cirrus route {} needs `{field}`, which is empty", self.path)));
                }
            };
            out.push_str(&encode_segment(&value));
            used.insert(field.to_owned());
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok((out, used))
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The account's route map: the inferred defaults with its overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Routes {
    map: BTreeMap<Operation, Route>,
    /// The overrides as given (normalised), for saving back into the settings.
    overrides: BTreeMap<String, String>,
}

impl Routes {
    pub(super) fn defaults() -> Routes {
        let map = Operation::ALL
            .into_iter()
            .map(|op| (op, Route::parse(op, op.default_route()).expect("default routes are valid")))
            .collect();
        Routes { map, overrides: BTreeMap::new() }
    }

    /// Defaults with `overrides` (`{"operation": "METHOD /path"}`) applied. A JSON string holding
    /// such an object is accepted too (a settings form's text area).
    pub(super) fn with_overrides(overrides: Option<&Value>) -> Result<Routes> {
        let mut routes = Routes::defaults();
        let object = match overrides {
            None | Some(Value::Null) => return Ok(routes),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(routes),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(Error::invalid(text!("cirrus.routes_not_object")));
                }
            },
            Some(Value::Object(map)) => map.clone(),
            Some(_) => {
                return Err(Error::invalid(text!("cirrus.routes_not_object")));
            }
        };
        for (name, value) in &object {
            let op = Operation::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
                Error::invalid(text!("cirrus.route_unknown", name = name, known = known.join(", ")))
            })?;
            let text = value.as_str().ok_or_else(|| Error::invalid(text!("cirrus.route_not_text", name = name)))?;
            let route = Route::parse(op, text).map_err(Error::invalid)?;
            routes.overrides.insert(name.clone(), format!("{} {}", route.method, route.path));
            routes.map.insert(op, route);
        }
        Ok(routes)
    }

    pub(super) fn get(&self, op: Operation) -> &Route {
        &self.map[&op]
    }

    pub(super) fn overrides(&self) -> &BTreeMap<String, String> {
        &self.overrides
    }
}

// ---------------------------------------------------------------------------------------------
// The client: every documented operation

/// A refused call, with the HTTP status when Cirrus answered.
#[derive(Debug, Clone)]
pub struct CallError {
    pub status: Option<u16>,
    pub failure: SendFailure,
}

impl From<CallError> for SendFailure {
    fn from(e: CallError) -> SendFailure {
        e.failure
    }
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Error {
        Error::Provider(e.failure.0)
    }
}

type Call<T> = std::result::Result<T, CallError>;

pub struct Client {
    http: reqwest::Client,
    settings: Settings,
    token: Option<Sensitive>,
}

fn dto_map<T: Serialize>(dto: &T) -> Map<String, Value> {
    match serde_json::to_value(dto) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The library's methods that send their DTO as it is: `method(Dto) => Operation`, each a
/// `pub async fn method(&self, dto: &Dto) -> Call<Value>`.
macro_rules! dto_methods {
    ($($method:ident($dto:ty) => $op:ident;)*) => {$(
        #[doc = concat!("Calls `", stringify!($op), "` with its DTO; answers the JSON (`null` for an empty body).")]
        pub async fn $method(&self, dto: &$dto) -> Call<Value> {
            self.call(Operation::$op, dto_map(dto), &[]).await
        }
    )*};
}

impl Client {
    pub fn new(http: reqwest::Client, settings: Settings, token: Option<Sensitive>) -> Client {
        Client { http, settings, token }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Calls one operation with its DTO; `extra` fills path placeholders that are not DTO fields
    /// (the start's `service`). Answers the JSON (`null` for an empty body).
    async fn call(&self, op: Operation, dto: Map<String, Value>, extra: &[(&str, &str)]) -> Call<Value> {
        let route = self.settings.routes.get(op);
        let mut fields = dto.clone();
        for (k, v) in extra {
            fields.insert((*k).to_owned(), Value::String((*v).to_owned()));
        }
        let (path, used) = route.render(&fields).map_err(|failure| CallError { status: None, failure })?;
        let url = format!("{}{}", self.settings.base_url.as_str().trim_end_matches('/'), path);
        let query: Vec<(String, String)> = if route.method == reqwest::Method::GET {
            dto.iter()
                .filter(|(k, _)| !used.contains(*k))
                .flat_map(|(k, v)| match v {
                    Value::Array(items) => items.iter().filter_map(string_of).map(|s| (k.clone(), s)).collect(),
                    Value::Null => vec![],
                    Value::String(s) => vec![(k.clone(), s.clone())],
                    other => vec![(k.clone(), other.to_string())],
                })
                .collect()
        } else {
            Vec::new()
        };
        let body = Value::Object(dto);
        let method = route.method.clone();
        tracing::debug!(operation = op.name(), %method, path = %route.path, "calling Cirrus");
        let answer = http::call(PROVIDER, || {
            let mut request = self.http.request(method.clone(), &url);
            if method == reqwest::Method::GET {
                request = request.query(&query);
            } else {
                request = request.json(&body);
            }
            if let Some(token) = &self.token {
                request = request.bearer_auth(token.expose());
            }
            request
        })
        .await
        .map_err(|failure| CallError { status: None, failure })?;
        if !answer.ok() {
            return Err(CallError { status: Some(answer.status), failure: failure(&answer) });
        }
        if answer.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        answer.json().ok_or_else(|| CallError {
            status: Some(answer.status),
            failure: SendFailure(format!(
                "{PROVIDER} answered with something that is not JSON: {}",
                snippet(&answer.text)
            )),
        })
    }

    dto_methods! {
        // ContactApi
        create_contact(CreateContactDto) => ContactsCreate;
        update_contact(UpdateContactDto) => ContactsUpdate;
        get_contact_by_id(ContactRefDto) => ContactsGetById;
        get_contacts(GetContactsDto) => ContactsGet;
        delete_contact_platform(ContactRefDto) => ContactsDeletePlatform;
        get_tags_by_contact_id(ContactRefDto) => ContactsGetTagsByContactId;
        add_contact_tags(ContactTagsDto) => ContactsAddTags;
        remove_contact_tags(ContactTagsDto) => ContactsRemoveTags;
        // TagApi
        create_tag(CreateTagDto) => TagsCreate;
        get_tags(GetTagsDto) => TagsGet;
        get_tag_by_id(TagRefDto) => TagsGetById;
        update_tag(UpdateTagDto) => TagsUpdate;
        delete_tag(TagRefDto) => TagsDelete;
        get_contacts_by_tag_id(TagRefDto) => TagsGetContactsByTagId;
        // MessageApi (the start, whose path also names the service, is below)
        send_message(SendMessageDto) => MessagesSendMessage;
        send_proactive_message(SendPlatformMessagePayload) => MessagesSendProactiveMessage;
        send_group_message(SendPlatformMessagePayload) => MessagesSendGroupMessage;
        delete_message(DeleteMessageDto) => MessagesDeleteMessage;
    }

    pub async fn start_conversation(&self, dto: &StartConversationDto, service: Service) -> Call<Value> {
        self.call(Operation::MessagesStartConversation, dto_map(dto), &[("service", service.as_str())]).await
    }

    // Typed helpers the connector builds on

    pub fn contact_ref(&self, contact_id: &str) -> ContactRefDto {
        ContactRefDto { client_identifier: self.settings.client_identifier.clone(), contact_id: contact_id.to_owned() }
    }

    pub fn tag_ref(&self, tag_id: &str) -> TagRefDto {
        TagRefDto { client_identifier: self.settings.client_identifier.clone(), tag_id: tag_id.to_owned() }
    }

    pub async fn list_tags(&self) -> Call<Vec<RemoteTag>> {
        let dto = GetTagsDto { client_identifier: self.settings.client_identifier.clone(), name: None };
        let answer = self.get_tags(&dto).await?;
        let mut tags: Vec<RemoteTag> = Vec::new();
        for tag in items_of(&answer).iter().filter_map(remote_tag) {
            if !tags.iter().any(|t| t.remote_id == tag.remote_id) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    /// One page of the account's WhatsApp contacts, oldest first.
    pub async fn contacts_page(&self, page: u32) -> Call<RemotePage<RemoteContact>> {
        let dto = GetContactsDto {
            client_identifier: self.settings.client_identifier.clone(),
            page: Some(page.max(1)),
            limit: Some(PAGE_SIZE),
            order: Some("asc".into()),
            channel_type: Some(CHANNEL_TYPE.into()),
            ..GetContactsDto::default()
        };
        let answer = self.get_contacts(&dto).await?;
        let raw = items_of(&answer);
        let items: Vec<RemoteContact> = raw.iter().filter_map(remote_contact).collect();
        let next = has_next_page(&answer, page.max(1), PAGE_SIZE, raw.len());
        Ok(RemotePage { items, next_page: next.then_some(page.max(1) + 1) })
    }

    /// The contact with this number, if Cirrus has one.
    pub async fn find_contact(&self, number: &str) -> Call<Option<RemoteContact>> {
        let dto = GetContactsDto {
            client_identifier: self.settings.client_identifier.clone(),
            page: Some(1),
            limit: Some(PAGE_SIZE),
            channel_type: Some(CHANNEL_TYPE.into()),
            contact_identifier: Some(number.to_owned()),
            ..GetContactsDto::default()
        };
        let answer = self.get_contacts(&dto).await?;
        Ok(items_of(&answer).iter().filter_map(remote_contact).find(|c| c.external_id == number))
    }
}

impl Connector {
    fn platform_payload(
        &self,
        recipient: &str,
        msg: &OutboundMessage,
    ) -> std::result::Result<SendPlatformMessagePayload, SendFailure> {
        let (text, media_uri) = content(msg)?;
        Ok(SendPlatformMessagePayload {
            channel_id: self.settings().channel_id.clone(),
            recipient_number: recipient.to_owned(),
            platform: self.settings().platform()?.to_owned(),
            text,
            media_uri,
            quoted_message: quoted(msg),
        })
    }

    /// Makes Cirrus's tags of a contact exactly `wanted`.
    async fn set_contact_tags(&self, contact_id: &str, wanted: &[String]) -> Call<()> {
        let current = self.client.get_tags_by_contact_id(&self.client.contact_ref(contact_id)).await?;
        let current: BTreeSet<String> =
            items_of(&current).iter().filter_map(|t| string_of(t).or_else(|| id_of(t))).collect();
        let wanted: BTreeSet<String> = wanted.iter().cloned().collect();
        let add: Vec<String> = wanted.difference(&current).cloned().collect();
        let remove: Vec<String> = current.difference(&wanted).cloned().collect();
        let dto = |tag_ids| ContactTagsDto {
            client_identifier: self.settings().client_identifier.clone(),
            contact_id: contact_id.to_owned(),
            tag_ids,
        };
        if !add.is_empty() {
            self.client.add_contact_tags(&dto(add)).await?;
        }
        if !remove.is_empty() {
            self.client.remove_contact_tags(&dto(remove)).await?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl crate::providers::Connector for Connector {
    fn provider(&self) -> Provider {
        Provider::Cirrus
    }

    fn capabilities(&self) -> Vec<Capability> {
        self.capabilities.clone()
    }

    fn directory(&self) -> Option<&dyn Directory> {
        Some(self)
    }

    async fn test_connection(&self) -> Result<ConnectionTest> {
        let tags = self.client.list_tags().await?;
        Ok(ConnectionTest::new(true, text!("cirrus.test_ok", tags = tags.len())))
    }

    async fn deliver(
        &self,
        target: &ConversationTarget,
        msg: &OutboundMessage,
    ) -> std::result::Result<Delivered, SendFailure> {
        let id_from = |v: &Value| message_id_of(v);
        if target.kind == ConversationKind::Group {
            let payload = self.platform_payload(&target.external_id, msg)?;
            let answer = self.client.send_group_message(&payload).await?;
            return Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() });
        }
        if let Some(session_id) = target.meta_str("session_id") {
            let (text, media_uri) = content(msg)?;
            let dto = SendMessageDto {
                agent_name: self.agent_name(),
                session_id: session_id.to_owned(),
                text,
                media_uri,
                quoted_message: quoted(msg),
            };
            match self.client.send_message(&dto).await {
                Ok(answer) => return Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() }),
                // The session is gone: the message goes out proactively and the session is forgotten.
                Err(CallError { status: Some(404 | 410), failure }) => {
                    tracing::info!(reason = %failure, "Cirrus session closed; sending proactively");
                }
                Err(e) => return Err(e.into()),
            }
            let payload = self.platform_payload(&target.external_id, msg)?;
            let answer = self.client.send_proactive_message(&payload).await?;
            let mut meta = Map::new();
            meta.insert("session_id".into(), Value::Null);
            return Ok(Delivered { provider_message_id: id_from(&answer), meta });
        }
        let payload = self.platform_payload(&target.external_id, msg)?;
        let answer = self.client.send_proactive_message(&payload).await?;
        Ok(Delivered { provider_message_id: id_from(&answer), meta: Map::new() })
    }

    fn plan_start(&self, input: &StartConversation) -> Result<StartPlan> {
        let service = match input.service.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Service::parse(s)?,
            None => self.settings().service,
        };
        if self.settings().platform_config_id.is_none() {
            return Err(Error::invalid(text!("cirrus.start_needs_platform_config")));
        }
        if service == Service::WhatsappWeb && self.settings().company_name.is_none() {
            return Err(Error::invalid(text!("cirrus.start_needs_company_name")));
        }
        let number = normalise_number(&input.to)?;
        let mut meta = Map::new();
        meta.insert("service".into(), Value::String(service.as_str().into()));
        Ok(StartPlan {
            title: input.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("+{number}")),
            external_id: number,
            kind: ConversationKind::Individual,
            meta,
            first_message: None,
            handoff: false,
        })
    }

    async fn start(
        &self,
        target: &ConversationTarget,
        input: &StartConversation,
        first: Option<&OutboundMessage>,
    ) -> std::result::Result<Started, SendFailure> {
        let service =
            target.meta_str("service").and_then(|s| Service::parse(s).ok()).unwrap_or(self.settings().service);
        let settings = self.settings();
        let dto = StartConversationDto {
            platform_config_id: settings.platform_config_id.clone().unwrap_or_default(),
            channel_id: settings.channel_id.clone(),
            client_provider_id: target.external_id.clone(),
            user_name: input
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| target.external_id.clone()),
            company_name: settings.company_name.clone(),
            // Optional in the library ("a specific platform"); the account's slug is for sends.
            platform: None,
            session_with_priority: None,
        };
        let answer = self.client.start_conversation(&dto, service).await?;
        let session_id = session_id_of(&answer).ok_or_else(|| {
            SendFailure(format!(
                "Cirrus opened the conversation but answered no session id: {}",
                snippet(&answer.to_string())
            ))
        })?;
        let mut meta = Map::new();
        meta.insert("session_id".into(), Value::String(session_id.clone()));
        meta.insert("service".into(), Value::String(service.as_str().into()));
        let mut started = Started { meta, ..Started::default() };
        if let Some(first) = first {
            let mut with_session = target.clone();
            with_session.meta.insert("session_id".into(), Value::String(session_id));
            match self.deliver(&with_session, first).await {
                Ok(delivered) => started.first_message_id = delivered.provider_message_id,
                Err(failure) => started.first_message_failure = Some(failure),
            }
        }
        Ok(started)
    }

    async fn delete_message(&self, _target: &ConversationTarget, provider_message_id: &str) -> Result<()> {
        let dto = DeleteMessageDto {
            message_id: provider_message_id.to_owned(),
            sender_id: self.settings().channel_id.clone(),
            channel_slug: self.settings().platform().map_err(Error::from)?.to_owned(),
        };
        self.client.delete_message(&dto).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Directory for Connector {
    async fn pull_tags(&self) -> Result<Vec<RemoteTag>> {
        Ok(self.client.list_tags().await?)
    }

    async fn push_tag(&self, remote_id: Option<&str>, name: &str, color: Option<&str>) -> Result<String> {
        let client_identifier = self.settings().client_identifier.clone();
        if let Some(id) = remote_id {
            let dto = UpdateTagDto {
                client_identifier: client_identifier.clone(),
                tag_id: id.to_owned(),
                name: Some(name.to_owned()),
                color: color.map(str::to_owned),
            };
            match self.client.update_tag(&dto).await {
                Ok(answer) => return Ok(id_of(&answer).unwrap_or_else(|| id.to_owned())),
                // Deleted on Cirrus's side: created again below.
                Err(CallError { status: Some(404), .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let dto = CreateTagDto { client_identifier, name: name.to_owned(), color: color.map(str::to_owned) };
        let answer = self.client.create_tag(&dto).await?;
        id_of(&answer).ok_or_else(|| Error::Provider("Cirrus created the tag but answered no id".into()))
    }

    async fn delete_tag(&self, remote_id: &str) -> Result<()> {
        match self.client.delete_tag(&self.client.tag_ref(remote_id)).await {
            Ok(_) | Err(CallError { status: Some(404), .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn pull_contacts(&self, page: u32) -> Result<RemotePage<RemoteContact>> {
        Ok(self.client.contacts_page(page).await?)
    }

    /// Creates the contact (or finds it by number) or updates its custom name, then makes its
    /// tags match with `addTags`/`removeTags`.
    async fn push_contact(&self, remote_id: Option<&str>, contact: &RemoteContact) -> Result<String> {
        let settings = self.settings();
        let existing = match remote_id {
            Some(id) => Some(id.to_owned()),
            None => self.client.find_contact(&contact.external_id).await?.map(|c| c.remote_id),
        };
        let Some(id) = existing else {
            let dto = CreateContactDto {
                client_identifier: settings.client_identifier.clone(),
                channel_id: settings.channel_id.clone(),
                contact_identifier: contact.external_id.clone(),
                name: contact.name.clone().unwrap_or_else(|| contact.external_id.clone()),
                kind: if contact.kind == ConversationKind::Group { "group" } else { "individual" }.into(),
                channel_type: CHANNEL_TYPE.into(),
                custom_name: contact.custom_name.clone(),
                tag_ids: Some(contact.tag_remote_ids.clone()).filter(|t| !t.is_empty()),
                ..CreateContactDto::default()
            };
            let answer = self.client.create_contact(&dto).await?;
            return id_of(&answer)
                .ok_or_else(|| Error::Provider("Cirrus created the contact but answered no id".into()));
        };
        let dto = UpdateContactDto {
            client_identifier: settings.client_identifier.clone(),
            contact_id: id.clone(),
            custom_name: Some(contact.custom_name.clone().unwrap_or_default()),
            ..UpdateContactDto::default()
        };
        self.client.update_contact(&dto).await?;
        self.set_contact_tags(&id, &contact.tag_remote_ids).await?;
        Ok(id)
    }
}
