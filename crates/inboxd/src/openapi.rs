//! The OpenAPI 3.1 description of the API, served at `/api/openapi.json`. Written by hand next to
//! the routes; a test checks that every route here is served and every served route is here.

use axum::Json;
use serde_json::{Map, Value, json};

/// What a route answers with on success.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Answer {
    /// No body (204, or a plain acknowledgement).
    Empty,
    /// One value of the named schema.
    One(&'static str),
    /// An array of the named schema.
    List(&'static str),
    /// A `Page` whose items are the named schema.
    Page(&'static str),
    /// `text/event-stream` whose `data:` lines are the named schema.
    Stream(&'static str),
}

/// One authenticated route: method, path, operation id (the command's name), summary, request
/// body schema, success status and answer.
#[derive(Debug)]
pub(crate) struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub id: &'static str,
    pub summary: &'static str,
    pub request: Option<&'static str>,
    pub status: u16,
    pub answer: Answer,
}

const fn op(
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    request: Option<&'static str>,
    status: u16,
    answer: Answer,
) -> Operation {
    Operation { method, path, id, summary, request, status, answer }
}

use Answer::{Empty, List, One, Page, Stream};

/// Every authenticated route.
pub(crate) const OPERATIONS: &[Operation] = &[
    op("get", "/api/status", "app_status", "Version, demo mode and number of accounts", None, 200, One("AppStatus")),
    op(
        "get",
        "/api/providers",
        "list_providers",
        "Every provider: settings fields, capabilities, and why the missing ones are missing",
        None,
        200,
        List("ProviderInfo"),
    ),
    op("get", "/api/accounts", "list_accounts", "Accounts, each with its webhook URL", None, 200, List("Account")),
    op(
        "post",
        "/api/accounts",
        "create_account",
        "Create an account: secrets to the keychain, webhook registered where the provider takes one",
        Some("NewAccount"),
        201,
        One("Account"),
    ),
    op(
        "post",
        "/api/accounts/test",
        "test_new_account",
        "Try settings and secrets with the provider before saving them",
        Some("NewAccount"),
        200,
        One("ConnectionTest"),
    ),
    op("get", "/api/accounts/{id}", "get_account", "One account", None, 200, One("Account")),
    op(
        "patch",
        "/api/accounts/{id}",
        "update_account",
        "Rename, change settings (the webhook is registered again) or replace secrets",
        Some("AccountPatch"),
        200,
        One("Account"),
    ),
    op(
        "delete",
        "/api/accounts/{id}",
        "delete_account",
        "Remove an account, its conversations and its keychain entries",
        None,
        204,
        Empty,
    ),
    op(
        "post",
        "/api/accounts/{id}/test",
        "test_account",
        "Call the provider with the saved settings and say whether it answered",
        None,
        200,
        One("ConnectionTest"),
    ),
    op(
        "get",
        "/api/accounts/{id}/departments",
        "list_departments",
        "The provider's departments (hand-off targets)",
        None,
        200,
        List("Department"),
    ),
    op(
        "post",
        "/api/accounts/{id}/sync",
        "sync_account",
        "Pull the account's contacts and tags from the provider and push local edits",
        None,
        200,
        One("SyncReport"),
    ),
    op(
        "get",
        "/api/conversations",
        "list_conversations",
        "Conversations by last activity, filtered, cursor-paginated",
        None,
        200,
        Page("ConversationSummary"),
    ),
    op(
        "post",
        "/api/conversations",
        "start_conversation",
        "Start a conversation with a customer, with its first message where the provider needs one",
        Some("StartConversation"),
        201,
        One("ConversationSummary"),
    ),
    op("get", "/api/conversations/{id}", "get_conversation", "One conversation", None, 200, One("ConversationSummary")),
    op(
        "patch",
        "/api/conversations/{id}",
        "update_conversation",
        "Change status, priority and/or tags",
        Some("ConversationPatch"),
        200,
        One("ConversationSummary"),
    ),
    op(
        "get",
        "/api/conversations/{id}/messages",
        "list_messages",
        "Messages, newest first, cursor-paginated",
        None,
        200,
        Page("Message"),
    ),
    op(
        "post",
        "/api/conversations/{id}/messages",
        "send_message",
        "Store a message as pending, then send it",
        Some("SendMessage"),
        201,
        One("Message"),
    ),
    op(
        "post",
        "/api/conversations/{id}/read",
        "mark_read",
        "Reset the unread count",
        None,
        200,
        One("ConversationSummary"),
    ),
    op(
        "post",
        "/api/conversations/{id}/typing",
        "set_typing",
        "Tell the other side the agent is (or stopped) typing",
        Some("TypingUpdate"),
        204,
        Empty,
    ),
    op(
        "post",
        "/api/conversations/{id}/handoff",
        "update_handoff",
        "Mood, tags, customer key and note on a hand-off",
        Some("HandoffUpdate"),
        204,
        Empty,
    ),
    op(
        "post",
        "/api/conversations/{id}/reassign",
        "reassign",
        "Give the conversation to another user of the provider",
        Some("Reassign"),
        200,
        One("ConversationSummary"),
    ),
    op(
        "post",
        "/api/conversations/{id}/refresh",
        "refresh_conversation",
        "Read the conversation from the provider again",
        None,
        200,
        One("ConversationSummary"),
    ),
    op(
        "post",
        "/api/conversations/{id}/history/import",
        "import_history",
        "Start importing the chat's earlier messages; progress arrives as `history_progress` events",
        None,
        202,
        One("HistoryProgress"),
    ),
    op(
        "delete",
        "/api/messages/{id}",
        "delete_message",
        "Delete a sent message at the provider; answers it marked deleted",
        None,
        200,
        One("Message"),
    ),
    op(
        "delete",
        "/api/messages/{id}/reaction",
        "remove_reaction",
        "Remove the agent's reaction from a message",
        None,
        200,
        One("Message"),
    ),
    op("get", "/api/contacts", "list_contacts", "Contacts, filtered, cursor-paginated", None, 200, Page("Contact")),
    op("get", "/api/contacts/{id}", "get_contact", "One contact", None, 200, One("Contact")),
    op(
        "patch",
        "/api/contacts/{id}",
        "update_contact",
        "Name or tag a contact; pushed to providers that sync contacts",
        Some("ContactPatch"),
        200,
        One("Contact"),
    ),
    op("get", "/api/tags", "list_tags", "Every tag", None, 200, List("Tag")),
    op("post", "/api/tags", "create_tag", "Create a tag", Some("TagInput"), 201, One("Tag")),
    op("patch", "/api/tags/{id}", "update_tag", "Rename or recolour a tag", Some("TagInput"), 200, One("Tag")),
    op("delete", "/api/tags/{id}", "delete_tag", "Delete a tag", None, 204, Empty),
    op(
        "post",
        "/api/demo",
        "start_demo",
        "Start demo mode (in-process simulator and demo account)",
        None,
        200,
        One("Account"),
    ),
    op("post", "/api/demo/inbound", "simulate_inbound", "Demo only: a simulated customer writes in", None, 204, Empty),
    op(
        "get",
        "/api/events",
        "events",
        "Server-Sent Events stream of engine events (event name `inbox`)",
        None,
        200,
        Stream("Event"),
    ),
];

pub(crate) async fn document() -> Json<Value> {
    Json(build())
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": reference(name) })
}

fn query_parameters(id: &str) -> Vec<(&'static str, Value)> {
    let string = json!({ "type": "string" });
    let limit = json!({ "type": "integer", "minimum": 1, "maximum": 200 });
    match id {
        "list_conversations" => vec![
            ("status", reference("ConversationStatus")),
            ("account_id", string.clone()),
            ("priority", reference("Priority")),
            ("tag", json!({ "type": "string", "description": "a tag name" })),
            ("cursor", string),
            ("limit", limit),
        ],
        "list_messages" => vec![("cursor", string), ("limit", limit)],
        "list_contacts" => vec![
            ("account_id", string.clone()),
            ("query", json!({ "type": "string", "description": "matches names and identifiers" })),
            ("tag_id", string.clone()),
            ("cursor", string),
            ("limit", limit),
        ],
        _ => vec![],
    }
}

fn operation(o: &Operation) -> Value {
    let content = |schema: Value| json!({ "application/json": { "schema": schema } });
    let success = match o.answer {
        Empty => json!({ "description": "Done" }),
        One(name) => json!({ "description": "OK", "content": content(reference(name)) }),
        List(name) => json!({ "description": "OK", "content": content(array_of(name)) }),
        Page(name) => json!({ "description": "OK", "content": content(json!({
            "allOf": [reference("Page")], "properties": { "items": array_of(name) } })) }),
        Stream(name) => json!({ "description": "text/event-stream; each `data:` is one value",
                                "content": { "text/event-stream": { "schema": reference(name) } } }),
    };
    let mut responses = Map::new();
    responses.insert(o.status.to_string(), success);
    for (status, what) in [
        ("400", "The request could not be read"),
        ("401", "Missing or wrong bearer token"),
        ("404", "Not found"),
        ("409", "The provider cannot do this (`unsupported`)"),
        ("422", "Invalid input"),
        ("500", "Storage, keychain or internal failure"),
        ("502", "The provider refused or did not answer"),
    ] {
        responses.insert(status.into(), json!({ "description": what, "content": content(reference("Error")) }));
    }
    let mut parameters = Vec::new();
    if o.path.contains("{id}") {
        parameters.push(json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }));
    }
    for (name, schema) in query_parameters(o.id) {
        parameters.push(json!({ "name": name, "in": "query", "schema": schema }));
    }
    let mut out =
        json!({ "operationId": o.id, "summary": o.summary, "parameters": parameters, "responses": responses });
    if let Some(name) = o.request {
        out["requestBody"] = json!({ "required": true, "content": content(reference(name)) });
    }
    out
}

pub(crate) fn build() -> Value {
    let mut paths = Map::new();
    for o in OPERATIONS {
        let entry = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        entry[o.method] = operation(o);
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Agent Inbox local API (inboxd)", "version": env!("CARGO_PKG_VERSION"),
                  "description": "The engine's command set over HTTP. Every route but this document needs `Authorization: Bearer <token>`. Errors are `{code, message}`." },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas(),
        }
    })
}

fn enumeration(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn object(properties: Value) -> Value {
    json!({ "type": "object", "properties": properties })
}

fn schemas() -> Value {
    let string = json!({ "type": "string" });
    let nullable = json!({ "type": ["string", "null"] });
    let integer = json!({ "type": "integer" });
    let boolean = json!({ "type": "boolean" });
    let time = json!({ "type": "string", "format": "date-time" });
    let nullable_time = json!({ "type": ["string", "null"], "format": "date-time" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let settings = json!({ "type": "object", "description": "The provider's non-secret fields, by key (see ProviderInfo.fields)" });
    let secrets = json!({ "type": "object", "additionalProperties": { "type": "string" },
                          "description": "Values of the provider's `secret` fields; they go to the keychain and are never sent back" });
    let mut s = Map::new();
    let mut add = |name: &str, schema: Value| {
        s.insert(name.to_owned(), schema);
    };
    add(
        "Error",
        json!({ "type": "object", "required": ["code", "message"], "properties": {
            "code": enumeration(&["not_found", "invalid_input", "unsupported", "provider_error", "storage_error",
                                  "keychain_error", "io_error", "internal_error", "unauthorized"]),
            "message": string } }),
    );
    add("AppStatus", object(json!({ "version": string, "demo": boolean, "accounts": integer })));
    add("Provider", enumeration(&["mconnect", "zchat", "omnize", "cirrus", "wegly"]));
    add(
        "Capability",
        enumeration(&[
            "start_conversation",
            "send_text",
            "send_file",
            "caption",
            "groups",
            "reply",
            "reactions",
            "remove_reaction",
            "typing",
            "templates",
            "window_24h",
            "interactive",
            "location",
            "delete",
            "departments",
            "handoff",
            "handoff_update",
            "history_url",
            "history_import",
            "reassign",
            "contact_sync",
            "tag_sync",
        ]),
    );
    add(
        "MessageKind",
        enumeration(&[
            "text",
            "image",
            "video",
            "audio",
            "file",
            "sticker",
            "location",
            "template",
            "interactive",
            "event",
            "unrecognised",
        ]),
    );
    add("DeliveryStatus", enumeration(&["pending", "sent", "delivered", "read", "failed"]));
    add("ConversationStatus", enumeration(&["open", "snoozed", "resolved"]));
    add(
        "Priority",
        json!({ "type": "integer", "minimum": 0, "maximum": 3, "description": "0 low, 1 normal, 2 high, 3 urgent" }),
    );
    add("SyncState", enumeration(&["local", "synced", "pending", "failed", "replaced"]));
    add(
        "ProviderInfo",
        object(json!({
            "id": reference("Provider"), "label": string,
            "capabilities": array_of("Capability"),
            "unavailable": { "type": "array", "items": object(json!({ "capability": reference("Capability"), "reason": string })) },
            "fields": array_of("SettingField"),
            "webhook_setup": enumeration(&["registered", "manual"]),
            "notes": strings })),
    );
    add(
        "SettingField",
        object(json!({
            "key": string, "label": string,
            "type": enumeration(&["text", "url", "phone", "number", "select", "json", "secret"]),
            "required": boolean,
            "options": { "type": "array", "items": object(json!({ "value": string, "label": string })) },
            "default": nullable, "help": nullable })),
    );
    add(
        "Account",
        object(json!({
            "id": string, "provider": reference("Provider"), "name": string, "settings": settings,
            "capabilities": array_of("Capability"), "webhook_url": nullable, "history_url_scheme": nullable,
            "secrets_set": strings, "demo": boolean, "created_at": time })),
    );
    add(
        "NewAccount",
        json!({ "type": "object", "required": ["provider", "name", "settings"], "properties": {
            "provider": reference("Provider"), "name": string, "settings": settings, "secrets": secrets } }),
    );
    add("AccountPatch", object(json!({ "name": string, "settings": settings, "secrets": secrets })));
    add("ConnectionTest", object(json!({ "ok": boolean, "message": string })));
    add(
        "Department",
        object(
            json!({ "id": string, "name": string, "active": boolean, "queue": { "type": ["integer", "null"] }, "agents": strings }),
        ),
    );
    add(
        "SyncReport",
        object(
            json!({ "pulled_contacts": integer, "pulled_tags": integer, "pushed": integer, "replaced": integer, "failed": integer }),
        ),
    );
    add(
        "Page",
        json!({ "type": "object", "required": ["items", "next_cursor"], "properties": {
            "items": { "type": "array" }, "next_cursor": nullable } }),
    );
    add(
        "Handoff",
        object(json!({
            "state": enumeration(&["started", "queued", "accepted", "unavailable", "transferred", "finished"]),
            "position": { "type": ["integer", "null"] }, "agent_name": nullable, "department_id": nullable,
            "interaction_hash": nullable, "updated_at": nullable_time })),
    );
    add(
        "ConversationSummary",
        object(json!({
            "id": string, "account_id": string, "provider": reference("Provider"),
            "kind": enumeration(&["individual", "group"]), "title": string, "avatar_url": nullable,
            "status": reference("ConversationStatus"), "priority": reference("Priority"),
            "unread_count": integer, "last_activity_at": time,
            "last_message": { "type": ["object", "null"], "properties": {
                "preview": string, "direction": enumeration(&["inbound", "outbound"]), "kind": reference("MessageKind") } },
            "tags": strings, "capabilities": array_of("Capability"),
            "handoff": { "oneOf": [reference("Handoff"), { "type": "null" }] },
            "window_expires_at": nullable_time, "assignee": nullable, "contact_id": nullable })),
    );
    add(
        "ConversationPatch",
        object(json!({ "status": reference("ConversationStatus"), "priority": reference("Priority"),
                       "tag_ids": { "type": "array", "items": string, "description": "replaces the conversation's tags" } })),
    );
    add(
        "StartConversation",
        json!({ "type": "object", "required": ["account_id", "to"], "properties": {
            "account_id": string,
            "to": { "type": "string", "description": "the customer's number or the provider's contact id; a group id where groups are supported" },
            "name": string, "email": string, "cpf": string, "department_id": string,
            "extra": { "type": "object" }, "service": string, "message": reference("SendMessage") } }),
    );
    add(
        "Message",
        object(json!({
            "id": string, "conversation_id": string, "direction": enumeration(&["inbound", "outbound"]),
            "sender_name": nullable, "kind": reference("MessageKind"), "body": nullable, "media_url": nullable,
            "caption": nullable, "file_name": nullable, "provider_message_id": nullable,
            "status": reference("DeliveryStatus"), "error": nullable, "quoted_message_id": nullable,
            "payload": { "description": "template {template}, interactive {interactive}, location {location}, event {event}, unrecognised {raw}" },
            "deleted_at": nullable_time, "created_at": time,
            "reactions": { "type": "array", "items": object(json!({ "reactor": string, "emoji": string, "from_me": boolean })) } })),
    );
    add(
        "SendMessage",
        json!({ "type": "object", "required": ["kind"], "properties": {
            "kind": reference("MessageKind"), "body": string, "media_url": string, "caption": string, "file_name": string,
            "reply_to": { "type": "string", "description": "the quoted message's id" },
            "template": reference("Template"), "interactive": reference("Interactive"), "location": reference("Location") } }),
    );
    add(
        "Template",
        json!({ "type": "object", "required": ["name", "language"], "properties": {
            "name": string, "language": string,
            "fields": { "type": "array", "items": object(json!({ "component": string, "type": string, "index": integer,
                "value": string, "button_index": integer, "card_index": integer })) } } }),
    );
    add(
        "Interactive",
        json!({ "type": "object", "required": ["body"], "properties": {
            "body": string, "header": nullable, "footer": nullable,
            "buttons": { "type": "array", "items": object(json!({ "id": string, "title": string })) },
            "list_button": nullable,
            "sections": { "type": "array", "items": object(json!({ "title": string, "rows": { "type": "array",
                "items": object(json!({ "id": string, "title": string, "description": nullable })) } })) } } }),
    );
    add(
        "Location",
        json!({ "type": "object", "required": ["latitude", "longitude"], "properties": {
            "latitude": { "type": "number" }, "longitude": { "type": "number" }, "name": nullable, "address": nullable } }),
    );
    add("TypingUpdate", json!({ "type": "object", "required": ["active"], "properties": { "active": boolean } }));
    add("Reassign", json!({ "type": "object", "required": ["user_id"], "properties": { "user_id": string } }));
    add(
        "HandoffUpdate",
        object(
            json!({ "mood": enumeration(&["POSITIVE", "NEGATIVE"]), "tag_ids": strings, "customer_key": string, "note": string }),
        ),
    );
    add(
        "HistoryProgress",
        object(json!({ "conversation_id": string, "imported": integer, "total": { "type": ["integer", "null"] },
                       "done": boolean, "error": nullable })),
    );
    add(
        "Tag",
        object(
            json!({ "id": string, "name": string, "color": nullable, "sync_state": reference("SyncState"), "sync_error": nullable }),
        ),
    );
    add("TagInput", object(json!({ "name": string, "color": string })));
    add(
        "Contact",
        object(json!({
            "id": string, "display_name": nullable, "custom_name": nullable, "avatar_url": nullable,
            "identities": { "type": "array", "items": object(json!({ "account_id": string, "provider": reference("Provider"),
                "external_id": string, "remote_id": nullable })) },
            "tags": array_of("Tag"), "sync_state": reference("SyncState"), "sync_error": nullable,
            "synced_at": nullable_time })),
    );
    add(
        "ContactPatch",
        object(json!({ "custom_name": { "type": "string", "description": "empty clears it" },
                       "tag_ids": { "type": "array", "items": string, "description": "replaces the contact's tags" } })),
    );
    add(
        "Event",
        json!({ "type": "object", "required": ["type"],
                "description": "message_added {conversation_id, message} | message_status_changed {conversation_id, message_id, status, provider_message_id, error} | conversation_updated {conversation} | message_updated {conversation_id, message} | typing {conversation_id, who, active} | history_progress {progress} | contact_updated {contact} | tags_changed {tags} | accounts_changed {}",
                "properties": { "type": enumeration(&["message_added", "message_status_changed", "conversation_updated",
                    "message_updated", "typing", "history_progress", "contact_updated", "tags_changed", "accounts_changed"]) } }),
    );
    Value::Object(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` in the document names a schema it defines.
    #[test]
    fn every_reference_resolves() {
        let doc = build();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut pending = vec![&doc];
        let mut seen = 0;
        while let Some(value) = pending.pop() {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        let name = target.strip_prefix("#/components/schemas/").unwrap();
                        assert!(schemas.contains_key(name), "{target} is not defined");
                        seen += 1;
                    }
                    pending.extend(map.values());
                }
                Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
        assert!(seen > OPERATIONS.len());
    }

    #[test]
    fn operation_ids_and_routes_are_unique() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), OPERATIONS.len());
        let mut routes: Vec<_> = OPERATIONS.iter().map(|o| (o.method, o.path)).collect();
        routes.sort_unstable();
        routes.dedup();
        assert_eq!(routes.len(), OPERATIONS.len());
    }

    #[test]
    fn success_statuses_follow_the_command_table() {
        let status = |id: &str| OPERATIONS.iter().find(|o| o.id == id).unwrap().status;
        for id in ["create_account", "start_conversation", "send_message", "create_tag"] {
            assert_eq!(status(id), 201, "{id}");
        }
        for id in ["delete_account", "set_typing", "update_handoff", "delete_tag", "simulate_inbound"] {
            assert_eq!(status(id), 204, "{id}");
        }
        assert_eq!(status("import_history"), 202);
    }
}
