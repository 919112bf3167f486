//! The OpenAPI 3.1 description of the API, served at `/api/openapi.json` and committed as
//! `crates/inboxd/openapi.json`. The route table is written here next to the routes (a test checks
//! that every route here is served and every served route is here); the schemas are derived from
//! the engine's types, the same ones the UI's TypeScript types are generated from. A test fails
//! when the committed file is stale; regenerate it with
//! `UPDATE_WIRE=1 cargo test -p inboxd --lib openapi`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::Json;
use serde_json::{Map, Value, json};
use utoipa::{PartialSchema, ToSchema};

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
    /// Files from disk: raw bytes of the file's own type.
    Binary,
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

use Answer::{Binary, Empty, List, One, Page, Stream};

/// Every authenticated route.
pub(crate) const OPERATIONS: &[Operation] = &[
    // Files from disk
    op(
        "post",
        "/api/media",
        "upload_media",
        "Keep a file in the media store (raw body, `Content-Type` its MIME type)",
        Some("binary"),
        201,
        One("StoredMedia"),
    ),
    op("get", "/api/media/{id}", "media_content", "A stored file's bytes", None, 200, Binary),
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
    // drafts and internal notes
    op(
        "get",
        "/api/conversations/{id}/draft",
        "get_draft",
        "The conversation's draft (text, quote, attachments, note mode), or null",
        None,
        200,
        One("OptionalDraft"),
    ),
    op(
        "put",
        "/api/conversations/{id}/draft",
        "save_draft",
        "Keep the composer's draft; an empty one deletes it (answers null)",
        Some("DraftInput"),
        200,
        One("OptionalDraft"),
    ),
    op("delete", "/api/conversations/{id}/draft", "clear_draft", "Delete the conversation's draft", None, 204, Empty),
    op(
        "post",
        "/api/conversations/{id}/notes",
        "add_note",
        "Store an internal note (never sent to the provider); deletes the draft",
        Some("NewNote"),
        201,
        One("Message"),
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
    // the contact panel, merges and CSV
    op(
        "get",
        "/api/contacts/{id}/profile",
        "get_contact_profile",
        "A contact with its notes, attributes, notification block and conversations on every account",
        None,
        200,
        One("ContactProfile"),
    ),
    op(
        "patch",
        "/api/contacts/{id}/profile",
        "update_contact_profile",
        "Change a contact's notes, attributes or notification block",
        Some("ContactProfilePatch"),
        200,
        One("ContactProfile"),
    ),
    op(
        "post",
        "/api/contacts/merge",
        "merge_contacts",
        "Merge contacts into one (kept so it can be undone)",
        Some("MergeContacts"),
        201,
        One("ContactMerge"),
    ),
    op(
        "post",
        "/api/contacts/merges/{id}/undo",
        "undo_contact_merge",
        "Undo a merge, putting every contact back as it was",
        None,
        200,
        One("ContactMerge"),
    ),
    op(
        "post",
        "/api/contacts/import",
        "import_contacts_csv",
        "Check a CSV file of contacts, or import it (every row or none)",
        Some("ContactImport"),
        200,
        One("ContactImportReport"),
    ),
    op(
        "get",
        "/api/contacts/export",
        "export_contacts_csv",
        "The contacts a filter matches, as a CSV file",
        None,
        200,
        One("ContactExport"),
    ),
    op("get", "/api/tags", "list_tags", "Every tag", None, 200, List("Tag")),
    op("post", "/api/tags", "create_tag", "Create a tag", Some("TagInput"), 201, One("Tag")),
    op("patch", "/api/tags/{id}", "update_tag", "Rename or recolour a tag", Some("TagInput"), 200, One("Tag")),
    op("delete", "/api/tags/{id}", "delete_tag", "Delete a tag", None, 204, Empty),
    // search
    op(
        "get",
        "/api/search",
        "search",
        "Find conversations, messages (with marked snippets) and contacts, offline",
        None,
        200,
        One("SearchResults"),
    ),
    op(
        "get",
        "/api/messages/{id}/around",
        "messages_around",
        "The page of messages around a message, with cursors toward older and newer ones",
        None,
        200,
        One("MessageWindow"),
    ),
    op(
        "get",
        "/api/conversations/{id}/messages/newer",
        "list_newer_messages",
        "Messages just newer than a cursor, newest first; the next cursor goes on toward the newest",
        None,
        200,
        Page("Message"),
    ),
    // Template library.
    op(
        "get",
        "/api/accounts/{id}/templates",
        "list_templates",
        "The account's template library",
        None,
        200,
        List("LibraryTemplate"),
    ),
    op(
        "post",
        "/api/accounts/{id}/templates",
        "create_template",
        "Add a template to the account's library",
        Some("LibraryTemplateInput"),
        201,
        One("LibraryTemplate"),
    ),
    op(
        "post",
        "/api/accounts/{id}/templates/import/preview",
        "preview_template_import",
        "What importing a template file would do, item by item, with each item's errors; saves nothing",
        Some("TemplateImport"),
        200,
        One("TemplateImportPreview"),
    ),
    op(
        "post",
        "/api/accounts/{id}/templates/import",
        "import_templates",
        "Import a template file: every template or none; answers the library",
        Some("TemplateImport"),
        200,
        List("LibraryTemplate"),
    ),
    op(
        "put",
        "/api/templates/{id}",
        "update_template",
        "Replace a library template",
        Some("LibraryTemplateInput"),
        200,
        One("LibraryTemplate"),
    ),
    op("delete", "/api/templates/{id}", "delete_template", "Delete a library template", None, 204, Empty),
    // canned responses, settings, long texts split into several messages
    op(
        "get",
        "/api/canned-responses",
        "list_canned_responses",
        "Every canned response, by shortcut",
        None,
        200,
        List("CannedResponse"),
    ),
    op(
        "post",
        "/api/canned-responses",
        "create_canned_response",
        "Create a canned response (the shortcut must be unused)",
        Some("CannedResponseInput"),
        201,
        One("CannedResponse"),
    ),
    op(
        "patch",
        "/api/canned-responses/{id}",
        "update_canned_response",
        "Change a canned response's shortcut or text",
        Some("CannedResponseInput"),
        200,
        One("CannedResponse"),
    ),
    op("delete", "/api/canned-responses/{id}", "delete_canned_response", "Delete a canned response", None, 204, Empty),
    op(
        "get",
        "/api/canned-responses/{id}/fill",
        "fill_canned_response",
        "A canned response's text with its placeholders filled from a conversation",
        None,
        200,
        One("FilledCannedResponse"),
    ),
    op(
        "get",
        "/api/settings",
        "get_settings",
        "The inbox's settings (the agent's name)",
        None,
        200,
        One("AppSettings"),
    ),
    op(
        "patch",
        "/api/settings",
        "update_settings",
        "Change settings; an empty value clears one",
        Some("AppSettingsPatch"),
        200,
        One("AppSettings"),
    ),
    op(
        "post",
        "/api/conversations/{id}/messages/split",
        "send_split",
        "Send a text longer than the provider takes as several messages, in order",
        Some("SendMessage"),
        201,
        List("Message"),
    ),
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
    static DOCUMENT: LazyLock<Value> = LazyLock::new(build);
    Json(DOCUMENT.clone())
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
        // search
        "search" => vec![
            ("query", json!({ "type": "string", "description": "the words to find (1 to 200 characters)" })),
            ("account_id", string.clone()),
            ("from", json!({ "type": "string", "format": "date-time", "description": "messages at or after" })),
            ("until", json!({ "type": "string", "format": "date-time", "description": "messages before" })),
            ("side", reference("SearchSide")),
            ("limit", json!({ "type": "integer", "minimum": 1, "maximum": 50 })),
        ],
        "messages_around" => vec![("limit", limit.clone())],
        "list_newer_messages" => vec![("cursor", string), ("limit", limit)],
        "fill_canned_response" => vec![("conversation_id", string)],
        // Files from disk
        "upload_media" => vec![
            ("name", json!({ "type": "string", "description": "the file's name (required)" })),
            (
                "conversation_id",
                json!({ "type": "string", "description": "check this conversation's provider limits first" }),
            ),
        ],
        "list_contacts" => vec![
            ("account_id", string.clone()),
            ("query", json!({ "type": "string", "description": "matches names and identifiers" })),
            ("tag_id", string.clone()),
            ("cursor", string),
            ("limit", limit),
        ],
        // the contact panel, merges and CSV
        "export_contacts_csv" => vec![
            ("account_id", string.clone()),
            ("query", json!({ "type": "string", "description": "matches names and identifiers" })),
            ("tag_id", string),
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
        Binary => json!({ "description": "The file, with its MIME type as `Content-Type`",
                          "content": { "*/*": { "schema": { "type": "string", "format": "binary" } } } }),
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
    // Files from disk: the upload's body is the file itself.
    if o.request == Some("binary") {
        out["requestBody"] =
            json!({ "required": true, "content": { "*/*": { "schema": { "type": "string", "format": "binary" } } } });
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

/// A schema and every schema it refers to, by name.
type Schemas = BTreeMap<String, Value>;

fn add<T: ToSchema>(schemas: &mut Schemas) {
    let mut found = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut found);
    for (name, schema) in found {
        schemas.insert(name, serde_json::to_value(schema).expect("a schema is JSON"));
    }
}

/// The JSON schemas of the engine's types, derived from them (utoipa, inbox-core's `openapi`
/// feature), plus the two request bodies that are inboxd's own and the error body.
fn schemas() -> Value {
    use inbox_core::*;
    let mut s = Schemas::new();
    add::<AppStatus>(&mut s);
    add::<ProviderInfo>(&mut s);
    add::<Account>(&mut s);
    add::<NewAccount>(&mut s);
    add::<AccountPatch>(&mut s);
    add::<ConnectionTest>(&mut s);
    add::<Department>(&mut s);
    add::<SyncReport>(&mut s);
    add::<ConversationSummary>(&mut s);
    add::<ConversationStatus>(&mut s);
    add::<Priority>(&mut s);
    add::<ConversationPatch>(&mut s);
    add::<StartConversation>(&mut s);
    add::<Message>(&mut s);
    add::<SendMessage>(&mut s);
    add::<HandoffUpdate>(&mut s);
    add::<HistoryProgress>(&mut s);
    add::<Tag>(&mut s);
    add::<TagInput>(&mut s);
    add::<Contact>(&mut s);
    add::<ContactPatch>(&mut s);
    // the contact panel, merges and CSV
    add::<ContactProfile>(&mut s);
    add::<ContactProfilePatch>(&mut s);
    add::<MergeContacts>(&mut s);
    add::<ContactMerge>(&mut s);
    add::<ContactImport>(&mut s);
    add::<ContactImportReport>(&mut s);
    add::<ContactExport>(&mut s);
    add::<Event>(&mut s);
    // search
    add::<SearchResults>(&mut s);
    add::<SearchSide>(&mut s);
    add::<MessageWindow>(&mut s);
    // drafts and internal notes
    add::<Draft>(&mut s);
    add::<DraftInput>(&mut s);
    add::<NewNote>(&mut s);
    s.insert("OptionalDraft".into(), json!({ "oneOf": [reference("Draft"), { "type": "null" }] }));
    // Template library.
    add::<LibraryTemplate>(&mut s);
    add::<LibraryTemplateInput>(&mut s);
    add::<TemplateImport>(&mut s);
    add::<TemplateImportPreview>(&mut s);
    // canned responses, settings
    add::<CannedResponse>(&mut s);
    add::<CannedResponseInput>(&mut s);
    add::<FilledCannedResponse>(&mut s);
    add::<AppSettings>(&mut s);
    add::<AppSettingsPatch>(&mut s);
    add::<StoredMedia>(&mut s);
    // The list's envelope; each route's answer says what its items are.
    let mut page = serde_json::to_value(Page::<Value>::schema()).expect("a schema is JSON");
    page["properties"]["items"].as_object_mut().expect("items is a schema").remove("items");
    s.insert("Page".into(), page);
    // `{code, message}`; the codes are the engine's (`Error::code`) and the token check's.
    let mut error = serde_json::to_value(ErrorBody::schema()).expect("a schema is JSON");
    error["properties"]["code"]["enum"] = json!([
        "not_found",
        "invalid_input",
        "unsupported",
        "provider_error",
        "storage_error",
        "keychain_error",
        "io_error",
        "internal_error",
        "unauthorized"
    ]);
    s.insert("Error".into(), error);
    s.insert(
        "TypingUpdate".into(),
        json!({ "type": "object", "required": ["active"], "properties": { "active": { "type": "boolean" } } }),
    );
    s.insert(
        "Reassign".into(),
        json!({ "type": "object", "required": ["user_id"], "properties": { "user_id": { "type": "string" } } }),
    );
    Value::Object(s.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGENERATE: &str = "UPDATE_WIRE=1 cargo test -p inboxd --lib openapi";

    /// `crates/inboxd/openapi.json` is the document the server serves; it is written only when
    /// asked (`UPDATE_WIRE=1`).
    #[test]
    fn committed_document_is_current() {
        let text = serde_json::to_string_pretty(&build()).unwrap() + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
        if std::env::var_os("UPDATE_WIRE").is_some() {
            std::fs::write(&path, &text).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == text, "crates/inboxd/openapi.json is stale: regenerate it with `{REGENERATE}`");
    }

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
