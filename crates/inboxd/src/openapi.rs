//! The OpenAPI 3.1 description of the API, served at `/api/openapi.json`. Written by hand next to
//! the routes; a test checks that every route here is served and every served route is here.

use axum::Json;
use serde_json::{Value, json};

/// (method, path, operation id, summary) of every authenticated route.
pub(crate) const OPERATIONS: &[(&str, &str, &str, &str)] = &[
    ("get", "/api/status", "app_status", "Version, demo mode and number of accounts"),
    ("get", "/api/accounts", "list_accounts", "Accounts, each with its webhook URL"),
    ("post", "/api/accounts", "create_account", "Create an account; registers its webhook with the provider"),
    ("get", "/api/conversations", "list_conversations", "Conversations by last activity, filtered, cursor-paginated"),
    ("get", "/api/conversations/{id}", "get_conversation", "One conversation"),
    ("patch", "/api/conversations/{id}", "update_conversation", "Change status and/or priority"),
    ("get", "/api/conversations/{id}/messages", "list_messages", "Messages, newest first, cursor-paginated"),
    ("post", "/api/conversations/{id}/messages", "send_message", "Store a message as pending, then send it"),
    ("post", "/api/conversations/{id}/read", "mark_read", "Reset the unread count"),
    ("post", "/api/demo", "start_demo", "Start demo mode (in-process simulator and demo account)"),
    ("post", "/api/demo/inbound", "simulate_inbound", "Demo only: a simulated customer writes in"),
    ("get", "/api/events", "events", "Server-Sent Events stream of engine events (event name `inbox`)"),
];

pub(crate) async fn document() -> Json<Value> {
    Json(build())
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn operation(op: &str, summary: &str) -> Value {
    let ok = |schema: Value| json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    let (request, response) = match op {
        "app_status" => (None, ok(reference("AppStatus"))),
        "list_accounts" => (None, ok(json!({ "type": "array", "items": reference("Account") }))),
        "create_account" => (Some(reference("NewAccount")), ok(reference("Account"))),
        "list_conversations" => (
            None,
            ok(
                json!({ "allOf": [reference("Page")], "properties": { "items": { "type": "array", "items": reference("ConversationSummary") } } }),
            ),
        ),
        "get_conversation" | "update_conversation" | "mark_read" => (
            if op == "update_conversation" { Some(reference("ConversationPatch")) } else { None },
            ok(reference("ConversationSummary")),
        ),
        "list_messages" => (
            None,
            ok(
                json!({ "allOf": [reference("Page")], "properties": { "items": { "type": "array", "items": reference("Message") } } }),
            ),
        ),
        "send_message" => (Some(reference("SendMessage")), ok(reference("Message"))),
        "start_demo" => (None, ok(reference("Account"))),
        "simulate_inbound" => (None, json!({ "description": "A simulated customer message was delivered" })),
        "events" => (
            None,
            json!({ "description": "text/event-stream; each `data:` is an Event", "content": { "text/event-stream": { "schema": reference("Event") } } }),
        ),
        _ => (None, json!({ "description": "OK" })),
    };
    let mut responses = serde_json::Map::new();
    let code = match op {
        "create_account" | "send_message" => "201",
        "simulate_inbound" => "204",
        _ => "200",
    };
    responses.insert(code.into(), response);
    for (status, what) in [
        ("400", "The request could not be read"),
        ("401", "Missing or wrong bearer token"),
        ("404", "Not found"),
        ("422", "Invalid input"),
        ("502", "The provider refused or did not answer"),
    ] {
        responses.insert(
            status.into(),
            json!({ "description": what, "content": { "application/json": { "schema": reference("Error") } } }),
        );
    }
    let mut parameters = Vec::new();
    if op.contains("conversation") && op != "list_conversations"
        || matches!(op, "list_messages" | "send_message" | "mark_read")
    {
        parameters.push(json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }));
    }
    if op == "list_conversations" {
        for (name, schema) in [
            ("status", json!({ "type": "string", "enum": ["open", "snoozed", "resolved"] })),
            ("account_id", json!({ "type": "string" })),
            ("priority", json!({ "type": "integer", "minimum": 0, "maximum": 3 })),
            ("tag", json!({ "type": "string" })),
            ("cursor", json!({ "type": "string" })),
            ("limit", json!({ "type": "integer", "minimum": 1, "maximum": 200 })),
        ] {
            parameters.push(json!({ "name": name, "in": "query", "schema": schema }));
        }
    }
    if op == "list_messages" {
        parameters.push(json!({ "name": "cursor", "in": "query", "schema": { "type": "string" } }));
        parameters.push(
            json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } }),
        );
    }
    let mut out = json!({ "operationId": op, "summary": summary, "parameters": parameters, "responses": responses });
    if let Some(schema) = request {
        out["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    }
    out
}

pub(crate) fn build() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, op, summary) in OPERATIONS {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = operation(op, summary);
    }
    let string = json!({ "type": "string" });
    let nullable = json!({ "type": ["string", "null"] });
    let time = json!({ "type": "string", "format": "date-time" });
    let capability = json!({ "type": "string", "enum": ["send_text", "send_file", "groups", "reactions", "typing", "templates", "delete"] });
    let kind = json!({ "type": "string", "enum": ["text", "image", "video", "audio", "file"] });
    let delivery = json!({ "type": "string", "enum": ["pending", "sent", "delivered", "read", "failed"] });
    let status = json!({ "type": "string", "enum": ["open", "snoozed", "resolved"] });
    let priority =
        json!({ "type": "integer", "minimum": 0, "maximum": 3, "description": "0 low, 1 normal, 2 high, 3 urgent" });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Agent Inbox local API (inboxd)", "version": env!("CARGO_PKG_VERSION"),
                  "description": "The engine's command set over HTTP. Every route but this document needs `Authorization: Bearer <token>`." },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["code", "message"], "properties": { "code": string, "message": string } },
                "AppStatus": { "type": "object", "properties": { "version": string, "demo": { "type": "boolean" }, "accounts": { "type": "integer" } } },
                "Account": { "type": "object", "properties": {
                    "id": string, "provider": { "type": "string", "enum": ["mconnect"] }, "name": string,
                    "settings": { "type": "object", "additionalProperties": { "type": "string" } },
                    "capabilities": { "type": "array", "items": capability }, "webhook_url": nullable,
                    "demo": { "type": "boolean" }, "created_at": time } },
                "NewAccount": { "type": "object", "required": ["provider", "name", "settings"], "properties": {
                    "provider": { "type": "string", "enum": ["mconnect"] }, "name": string,
                    "settings": { "type": "object", "description": "mconnect: base_url, number, company, username",
                                  "additionalProperties": { "type": "string" } } } },
                "Page": { "type": "object", "required": ["items", "next_cursor"], "properties": {
                    "items": { "type": "array" }, "next_cursor": nullable } },
                "ConversationSummary": { "type": "object", "properties": {
                    "id": string, "account_id": string, "provider": string,
                    "kind": { "type": "string", "enum": ["individual", "group"] }, "title": string, "avatar_url": nullable,
                    "status": status, "priority": priority, "unread_count": { "type": "integer" }, "last_activity_at": time,
                    "last_message": { "type": ["object", "null"], "properties": { "preview": string, "direction": { "type": "string", "enum": ["inbound", "outbound"] }, "kind": kind } },
                    "tags": { "type": "array", "items": string }, "capabilities": { "type": "array", "items": capability } } },
                "ConversationPatch": { "type": "object", "properties": { "status": status, "priority": priority } },
                "Message": { "type": "object", "properties": {
                    "id": string, "conversation_id": string, "direction": { "type": "string", "enum": ["inbound", "outbound"] },
                    "sender_name": nullable, "kind": kind, "body": nullable, "media_url": nullable, "caption": nullable,
                    "file_name": nullable, "provider_message_id": nullable, "status": delivery, "error": nullable,
                    "quoted_message_id": nullable, "created_at": time,
                    "reactions": { "type": "array", "items": { "type": "object", "properties": { "reactor": string, "emoji": string } } } } },
                "SendMessage": { "type": "object", "required": ["kind"], "properties": {
                    "kind": kind, "body": string, "media_url": string, "caption": string, "file_name": string } },
                "Event": { "type": "object", "required": ["type"], "description": "message_added {conversation_id, message} | message_status_changed {conversation_id, message_id, status, provider_message_id, error} | conversation_updated {conversation} | typing {conversation_id, who, active}",
                           "properties": { "type": { "type": "string", "enum": ["message_added", "message_status_changed", "conversation_updated", "typing"] } } }
            }
        }
    })
}
