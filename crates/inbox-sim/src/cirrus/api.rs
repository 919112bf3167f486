//! The simulated Cirrus HTTP API: the client's inferred route map, served under `/cirrus` and
//! `/cirrus/v2`.
//!
//! | route | operation |
//! |---|---|
//! | `POST /contacts`, `GET /contacts` | `contacts.create`, `contacts.get` (page, limit, order, type, channelType, name, contactIdentifier, tagIds) |
//! | `GET`/`PATCH /contacts/{contactId}` | `contacts.getById`, `contacts.update` |
//! | `DELETE /contacts/{contactId}/platform` | `contacts.deletePlatform` |
//! | `GET`/`POST`/`DELETE /contacts/{contactId}/tags` | `contacts.getTagsByContacId`, `contacts.addTags`, `contacts.removeTags` |
//! | `POST /tags`, `GET /tags` | `tags.create`, `tags.get` (name) |
//! | `GET`/`PATCH`/`DELETE /tags/{tagId}` | `tags.getById`, `tags.update`, `tags.delete` |
//! | `GET /tags/{tagId}/contacts` | `tags.getContactsByTagId` |
//! | `POST /messages/start-conversation/{service}` | `messages.startConversation` |
//! | `POST /messages/send`, `/messages/proactive`, `/messages/group` | `messages.sendMessage`, `…sendProactiveMessage`, `…sendGroupMessage` |
//! | `DELETE /messages/{messageId}` | `messages.deleteMessage` |
//!
//! Every request is recorded first. Then: the bearer check (401), an injected failure, and the
//! operation with NestJS-like answers: 201 for creations, 404 `{statusCode, message, error}` for
//! unknown ids, 422 with a `message` array for invalid input, 410 for a closed session.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::{CirrusContact, CirrusMessage, CirrusSession, CirrusState, CirrusTag, PREFIX, PROVIDER, object_id};
use crate::state::{Recorded, SimState};

pub(crate) fn routes() -> Router<SimState> {
    Router::new().nest(PREFIX, api()).nest(&format!("{PREFIX}/v2"), api())
}

fn api() -> Router<SimState> {
    Router::new()
        .route("/contacts", post(contacts_create).get(contacts_get))
        .route("/contacts/{contact_id}", get(contacts_get_by_id).patch(contacts_update))
        .route("/contacts/{contact_id}/platform", axum::routing::delete(contacts_delete_platform))
        .route("/contacts/{contact_id}/tags", get(contacts_tags).post(contacts_add_tags).delete(contacts_remove_tags))
        .route("/tags", post(tags_create).get(tags_get))
        .route("/tags/{tag_id}", get(tags_get_by_id).patch(tags_update).delete(tags_delete))
        .route("/tags/{tag_id}/contacts", get(tags_contacts))
        .route("/messages/start-conversation/{service}", post(start_conversation))
        .route("/messages/send", post(send_message))
        .route("/messages/proactive", post(send_proactive))
        .route("/messages/group", post(send_group))
        .route("/messages/{message_id}", axum::routing::delete(delete_message))
}

/// A NestJS-like answer.
enum Reply {
    Ok(Value),
    Created(Value),
    Error(StatusCode, Value),
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Reply::Ok(v) => (StatusCode::OK, v),
            Reply::Created(v) => (StatusCode::CREATED, v),
            Reply::Error(s, v) => (s, v),
        };
        (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
    }
}

fn error(status: StatusCode, message: Value) -> Reply {
    Reply::Error(
        status,
        json!({ "statusCode": status.as_u16(), "message": message, "error": status.canonical_reason().unwrap_or("Error") }),
    )
}

fn not_found(what: &str) -> Reply {
    error(StatusCode::NOT_FOUND, json!(format!("{what} not found")))
}

fn invalid(messages: Vec<String>) -> Reply {
    error(StatusCode::UNPROCESSABLE_ENTITY, json!(messages))
}

/// The request's input: the JSON body, or for a GET the query string (repeated keys and
/// `key[]` become arrays).
struct Input(Map<String, Value>);

impl Input {
    fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    fn list(&self, key: &str) -> Option<Vec<String>> {
        match self.0.get(key)? {
            Value::Array(items) => Some(items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect()),
            Value::String(s) => {
                Some(s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            }
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<u64> {
        match self.0.get(key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// Names of required text fields that are missing, as validation messages.
    fn require(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().filter(|k| self.text(k).is_none()).map(|k| format!("{k} should not be empty")).collect()
    }
}

/// Records the request, then applies the bearer check and injected failures.
fn prelude(
    state: &SimState,
    operation: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Input, Reply> {
    state.record(Recorded::capture(PROVIDER, method, uri, headers, body));
    let mut cirrus = state.cirrus();
    if let Some(token) = &cirrus.token {
        let presented =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if presented != Some(token.as_str()) {
            return Err(error(StatusCode::UNAUTHORIZED, json!("Invalid or missing token")));
        }
    }
    if let Some((status, message)) = cirrus.take_failure(operation) {
        tracing::info!(provider = PROVIDER, operation, status, "injected failure");
        return Err(error(StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY), json!(message)));
    }
    drop(cirrus);
    if method == Method::GET {
        let mut map = Map::new();
        let url = reqwest::Url::parse(&format!("http://sim{uri}"))
            .map_err(|_| error(StatusCode::BAD_REQUEST, json!("bad URI")))?;
        for (k, v) in url.query_pairs() {
            let key = k.trim_end_matches("[]").to_owned();
            match map.get_mut(&key) {
                Some(Value::Array(items)) => items.push(json!(v)),
                Some(existing) => {
                    let first = existing.take();
                    *existing = json!([first, v]);
                }
                None if k.ends_with("[]") => {
                    map.insert(key, json!([v]));
                }
                None => {
                    map.insert(key, json!(v));
                }
            }
        }
        return Ok(Input(map));
    }
    if body.is_empty() {
        return Ok(Input(Map::new()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(Input(map)),
        _ => Err(error(StatusCode::BAD_REQUEST, json!("body must be a JSON object"))),
    }
}

macro_rules! handler {
    ($name:ident, $op:literal, |$state:ident, $input:ident| $body:expr) => {
        async fn $name(
            State($state): State<SimState>,
            method: Method,
            OriginalUri(uri): OriginalUri,
            headers: HeaderMap,
            body: Bytes,
        ) -> Reply {
            let $input = match prelude(&$state, $op, &method, &uri, &headers, &body) {
                Ok(i) => i,
                Err(r) => return r,
            };
            $body
        }
    };
    ($name:ident, $op:literal, |$state:ident, $input:ident, $param:ident| $body:expr) => {
        async fn $name(
            State($state): State<SimState>,
            Path($param): Path<String>,
            method: Method,
            OriginalUri(uri): OriginalUri,
            headers: HeaderMap,
            body: Bytes,
        ) -> Reply {
            let $input = match prelude(&$state, $op, &method, &uri, &headers, &body) {
                Ok(i) => i,
                Err(r) => return r,
            };
            $body
        }
    };
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn contact_index(s: &CirrusState, client: Option<&str>, id: &str) -> Option<usize> {
    s.contacts.iter().position(|c| c.id == id && client.is_none_or(|cl| cl == c.client_identifier))
}

fn tag_index(s: &CirrusState, client: Option<&str>, id: &str) -> Option<usize> {
    s.tags.iter().position(|t| t.id == id && client.is_none_or(|cl| cl == t.client_identifier))
}

fn unknown_tags(s: &CirrusState, client: &str, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter(|id| !s.tags.iter().any(|t| &t.id == *id && t.client_identifier == client))
        .map(|id| format!("tag {id} not found"))
        .collect()
}

fn valid_color(c: &str) -> bool {
    let hex = c.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

handler!(contacts_create, "contacts.create", |state, input| {
    let mut problems =
        input.require(&["clientIdentifier", "channelId", "contactIdentifier", "name", "type", "channelType"]);
    let kind = input.text("type").unwrap_or_default();
    if !kind.is_empty() && kind != "individual" && kind != "group" {
        problems.push("type must be one of the following values: individual, group".into());
    }
    if input.text("channelType").is_some_and(|t| t != "whatsapp") {
        problems.push("channelType must be one of the following values: whatsapp".into());
    }
    let mut s = state.cirrus();
    let client = input.text("clientIdentifier").unwrap_or_default();
    let number = input.text("contactIdentifier").unwrap_or_default();
    let tag_ids = input.list("tagIds").unwrap_or_default();
    problems.extend(unknown_tags(&s, &client, &tag_ids));
    if s.contacts.iter().any(|c| c.client_identifier == client && c.contact_identifier == number && !number.is_empty())
    {
        problems.push(format!("a contact with contactIdentifier {number} already exists"));
    }
    if !problems.is_empty() {
        return invalid(problems);
    }
    let now = Utc::now();
    let contact = CirrusContact {
        id: object_id(),
        client_identifier: client,
        channel_id: input.text("channelId").unwrap_or_default(),
        contact_identifier: number,
        name: input.text("name").unwrap_or_default(),
        custom_name: input.text("customName"),
        kind,
        channel_type: "whatsapp".into(),
        photo: input.text("photo"),
        tag_ids,
        platform: input.text("platform"),
        is_ignored: input.0.get("isIgnored").and_then(Value::as_bool).unwrap_or(false),
        created_at: now,
        updated_at: now,
    };
    let out = to_json(&contact);
    s.contacts.push(contact);
    Reply::Created(out)
});

handler!(contacts_get, "contacts.get", |state, input| {
    let problems = input.require(&["clientIdentifier"]);
    if !problems.is_empty() {
        return invalid(problems);
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let page = input.number("page").unwrap_or(1).max(1);
    let limit = input.number("limit").unwrap_or(30).clamp(1, 100);
    let name = input.text("name").map(|n| n.to_lowercase());
    let number = input.text("contactIdentifier");
    let kind = input.text("type");
    let channel_type = input.text("channelType");
    let tag_ids = input.list("tagIds").unwrap_or_default();
    let s = state.cirrus();
    let mut found: Vec<&CirrusContact> = s
        .contacts
        .iter()
        .filter(|c| c.client_identifier == client)
        .filter(|c| kind.as_ref().is_none_or(|k| &c.kind == k))
        .filter(|c| channel_type.as_ref().is_none_or(|t| &c.channel_type == t))
        .filter(|c| {
            name.as_ref().is_none_or(|n| {
                c.name.to_lowercase().contains(n)
                    || c.custom_name.as_ref().is_some_and(|cn| cn.to_lowercase().contains(n))
            })
        })
        .filter(|c| number.as_ref().is_none_or(|n| c.contact_identifier.contains(n.as_str())))
        .filter(|c| tag_ids.is_empty() || c.tag_ids.iter().any(|t| tag_ids.contains(t)))
        .collect();
    if input.text("order").as_deref() == Some("desc") {
        found.reverse();
    }
    let total = found.len() as u64;
    let data: Vec<Value> = found
        .into_iter()
        .skip(usize::try_from((page - 1) * limit).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(to_json)
        .collect();
    Reply::Ok(
        json!({ "data": data, "total": total, "page": page, "limit": limit, "totalPages": total.div_ceil(limit) }),
    )
});

handler!(contacts_get_by_id, "contacts.getById", |state, input, contact_id| {
    let s = state.cirrus();
    match contact_index(&s, input.text("clientIdentifier").as_deref(), &contact_id) {
        Some(i) => Reply::Ok(to_json(&s.contacts[i])),
        None => not_found("Contact"),
    }
});

handler!(contacts_update, "contacts.update", |state, input, contact_id| {
    let problems = input.require(&["clientIdentifier"]);
    if !problems.is_empty() {
        return invalid(problems);
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let mut s = state.cirrus();
    let Some(i) = contact_index(&s, Some(&client), &contact_id) else {
        return not_found("Contact");
    };
    let tag_ids = input.list("tagIds");
    let problems = unknown_tags(&s, &client, tag_ids.as_deref().unwrap_or_default());
    if !problems.is_empty() {
        return invalid(problems);
    }
    let c = &mut s.contacts[i];
    if input.has("customName") {
        c.custom_name = input.text("customName");
    }
    if let Some(p) = input.text("platform") {
        c.platform = Some(p);
    }
    if let Some(t) = tag_ids {
        c.tag_ids = t;
    }
    if let Some(n) = input.text("contactIdentifier") {
        c.contact_identifier = n;
    }
    if let Some(b) = input.0.get("isIgnored").and_then(Value::as_bool) {
        c.is_ignored = b;
    }
    c.updated_at = Utc::now();
    Reply::Ok(to_json(c))
});

handler!(contacts_delete_platform, "contacts.deletePlatform", |state, input, contact_id| {
    let mut s = state.cirrus();
    let Some(i) = contact_index(&s, input.text("clientIdentifier").as_deref(), &contact_id) else {
        return not_found("Contact");
    };
    let c = &mut s.contacts[i];
    c.platform = None;
    c.updated_at = Utc::now();
    Reply::Ok(to_json(c))
});

handler!(contacts_tags, "contacts.getTagsByContacId", |state, input, contact_id| {
    let s = state.cirrus();
    let Some(i) = contact_index(&s, input.text("clientIdentifier").as_deref(), &contact_id) else {
        return not_found("Contact");
    };
    let ids = &s.contacts[i].tag_ids;
    Reply::Ok(Value::Array(s.tags.iter().filter(|t| ids.contains(&t.id)).map(to_json).collect()))
});

fn change_tags(state: &SimState, input: &Input, contact_id: &str, add: bool) -> Reply {
    let mut problems = input.require(&["clientIdentifier"]);
    let tag_ids = input.list("tagIds").unwrap_or_default();
    if tag_ids.is_empty() {
        problems.push("tagIds should not be empty".into());
    }
    if !problems.is_empty() {
        return invalid(problems);
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let mut s = state.cirrus();
    let Some(i) = contact_index(&s, Some(&client), contact_id) else {
        return not_found("Contact");
    };
    if add {
        let problems = unknown_tags(&s, &client, &tag_ids);
        if !problems.is_empty() {
            return invalid(problems);
        }
    }
    let c = &mut s.contacts[i];
    if add {
        for t in tag_ids {
            if !c.tag_ids.contains(&t) {
                c.tag_ids.push(t);
            }
        }
    } else {
        c.tag_ids.retain(|t| !tag_ids.contains(t));
    }
    c.updated_at = Utc::now();
    Reply::Ok(to_json(c))
}

handler!(contacts_add_tags, "contacts.addTags", |state, input, contact_id| {
    change_tags(&state, &input, &contact_id, true)
});

handler!(contacts_remove_tags, "contacts.removeTags", |state, input, contact_id| {
    change_tags(&state, &input, &contact_id, false)
});

handler!(tags_create, "tags.create", |state, input| {
    let mut problems = input.require(&["clientIdentifier", "name"]);
    let color = input.text("color");
    if color.as_deref().is_some_and(|c| !valid_color(c)) {
        problems.push("color must be a hexadecimal color".into());
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let name = input.text("name").unwrap_or_default();
    let mut s = state.cirrus();
    if s.tags.iter().any(|t| t.client_identifier == client && t.name.eq_ignore_ascii_case(&name)) {
        problems.push(format!("a tag named {name} already exists"));
    }
    if !problems.is_empty() {
        return invalid(problems);
    }
    let now = Utc::now();
    let tag = CirrusTag { id: object_id(), client_identifier: client, name, color, created_at: now, updated_at: now };
    let out = to_json(&tag);
    s.tags.push(tag);
    Reply::Created(out)
});

handler!(tags_get, "tags.get", |state, input| {
    let problems = input.require(&["clientIdentifier"]);
    if !problems.is_empty() {
        return invalid(problems);
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let name = input.text("name").map(|n| n.to_lowercase());
    let s = state.cirrus();
    Reply::Ok(Value::Array(
        s.tags
            .iter()
            .filter(|t| t.client_identifier == client)
            .filter(|t| name.as_ref().is_none_or(|n| t.name.to_lowercase().contains(n)))
            .map(to_json)
            .collect(),
    ))
});

handler!(tags_get_by_id, "tags.getById", |state, input, tag_id| {
    let s = state.cirrus();
    match tag_index(&s, input.text("clientIdentifier").as_deref(), &tag_id) {
        Some(i) => Reply::Ok(to_json(&s.tags[i])),
        None => not_found("Tag"),
    }
});

handler!(tags_update, "tags.update", |state, input, tag_id| {
    let mut problems = input.require(&["clientIdentifier"]);
    if input.text("color").is_some_and(|c| !valid_color(&c)) {
        problems.push("color must be a hexadecimal color".into());
    }
    if !problems.is_empty() {
        return invalid(problems);
    }
    let client = input.text("clientIdentifier").unwrap_or_default();
    let mut s = state.cirrus();
    let Some(i) = tag_index(&s, Some(&client), &tag_id) else {
        return not_found("Tag");
    };
    if let Some(name) = input.text("name") {
        if s.tags.iter().any(|t| t.id != tag_id && t.client_identifier == client && t.name.eq_ignore_ascii_case(&name))
        {
            return invalid(vec![format!("a tag named {name} already exists")]);
        }
        s.tags[i].name = name;
    }
    if input.has("color") {
        s.tags[i].color = input.text("color");
    }
    s.tags[i].updated_at = Utc::now();
    Reply::Ok(to_json(&s.tags[i]))
});

handler!(tags_delete, "tags.delete", |state, input, tag_id| {
    let mut s = state.cirrus();
    let Some(i) = tag_index(&s, input.text("clientIdentifier").as_deref(), &tag_id) else {
        return not_found("Tag");
    };
    s.tags.remove(i);
    let now = Utc::now();
    for c in s.contacts.iter_mut().filter(|c| c.tag_ids.contains(&tag_id)) {
        c.tag_ids.retain(|t| t != &tag_id);
        c.updated_at = now;
    }
    Reply::Ok(json!({ "deleted": true, "_id": tag_id }))
});

handler!(tags_contacts, "tags.getContactsByTagId", |state, input, tag_id| {
    let s = state.cirrus();
    if tag_index(&s, input.text("clientIdentifier").as_deref(), &tag_id).is_none() {
        return not_found("Tag");
    }
    Reply::Ok(Value::Array(s.contacts.iter().filter(|c| c.tag_ids.contains(&tag_id)).map(to_json).collect()))
});

handler!(start_conversation, "messages.startConversation", |state, input, service| {
    if service != "whatsappweb" && service != "d360" {
        return error(StatusCode::NOT_FOUND, json!(format!("unknown service {service}")));
    }
    let mut problems = input.require(&["platformConfigId", "channelId", "clientProviderId", "userName"]);
    if service == "whatsappweb" && input.text("companyName").is_none() {
        problems.push("companyName is required for whatsappweb".into());
    }
    if !problems.is_empty() {
        return invalid(problems);
    }
    let session = CirrusSession {
        id: object_id(),
        service: service.clone(),
        platform_config_id: input.text("platformConfigId"),
        channel_id: input.text("channelId"),
        client_provider_id: input.text("clientProviderId").unwrap_or_default(),
        user_name: input.text("userName"),
        company_name: input.text("companyName"),
        platform: input.text("platform"),
        open: true,
        created_at: Utc::now(),
    };
    let out = json!({
        "sessionId": session.id,
        "status": "open",
        "service": service,
        "clientProviderId": session.client_provider_id,
    });
    state.cirrus().sessions.push(session);
    Reply::Created(out)
});

fn content_problems(input: &Input) -> Vec<String> {
    if input.text("text").is_none() && input.text("mediaUri").is_none() {
        vec!["text or mediaUri should not be empty".into()]
    } else {
        Vec::new()
    }
}

fn store_message(state: &SimState, via: &str, input: &Input) -> Value {
    let message = CirrusMessage {
        id: object_id(),
        via: via.to_owned(),
        session_id: input.text("sessionId"),
        recipient_number: input.text("recipientNumber"),
        channel_id: input.text("channelId"),
        platform: input.text("platform"),
        agent_name: input.text("agentName"),
        text: input.text("text"),
        media_uri: input.text("mediaUri"),
        quoted_message: input.0.get("quotedMessage").cloned(),
        deleted: false,
        created_at: Utc::now(),
    };
    let out = json!({ "messageId": message.id, "status": "sent" });
    state.cirrus().messages.push(message);
    out
}

handler!(send_message, "messages.sendMessage", |state, input| {
    let mut problems = input.require(&["agentName", "sessionId"]);
    problems.extend(content_problems(&input));
    if !problems.is_empty() {
        return invalid(problems);
    }
    if let Some(refused) = fetch_media(&state, &input).await {
        return refused;
    }
    let session_id = input.text("sessionId").unwrap_or_default();
    let open = state.cirrus().sessions.iter().find(|s| s.id == session_id).map(|s| s.open);
    match open {
        None => not_found("Session"),
        Some(false) => error(StatusCode::GONE, json!(format!("session {session_id} is closed"))),
        Some(true) => Reply::Created(store_message(&state, "session", &input)),
    }
});

fn platform_send(state: &SimState, input: &Input, via: &str) -> Reply {
    let mut problems = input.require(&["channelId", "recipientNumber", "platform"]);
    problems.extend(content_problems(input));
    if !problems.is_empty() {
        return invalid(problems);
    }
    Reply::Created(store_message(state, via, input))
}

handler!(send_proactive, "messages.sendProactiveMessage", |state, input| {
    match fetch_media(&state, &input).await {
        Some(refused) => refused,
        None => platform_send(&state, &input, "proactive"),
    }
});

handler!(send_group, "messages.sendGroupMessage", |state, input| {
    match fetch_media(&state, &input).await {
        Some(refused) => refused,
        None => platform_send(&state, &input, "group"),
    }
});

/// A `mediaUri` is downloaded as the provider does (see `fetch.rs`); a failed download is
/// refused (422).
async fn fetch_media(state: &SimState, input: &Input) -> Option<Reply> {
    let uri = input.text("mediaUri")?;
    let fetched = crate::fetch::fetch(state, PROVIDER, &uri).await;
    (!fetched.succeeded()).then(|| {
        error(StatusCode::UNPROCESSABLE_ENTITY, json!(format!("could not download mediaUri: {}", fetched.failure())))
    })
}

handler!(delete_message, "messages.deleteMessage", |state, input, message_id| {
    let problems = input.require(&["messageId", "senderId", "channelSlug"]);
    if !problems.is_empty() {
        return invalid(problems);
    }
    let mut s = state.cirrus();
    match s.messages.iter_mut().find(|m| m.id == message_id && !m.deleted) {
        Some(m) => {
            m.deleted = true;
            Reply::Ok(json!({ "deleted": true, "messageId": message_id }))
        }
        None => not_found("Message"),
    }
});
