//! inboxd's HTTP API over loopback, against the simulator: the same command set as the desktop.

mod common;

use std::time::Duration;

use common::{Api, TOKEN, start};
use futures_util::StreamExt;
use inbox_core::SecretStore;
use inbox_sim::Inbound;
use serde_json::{Value, json};

const NUMBER: &str = "5511900003333";

impl Api {
    /// Creates an mConnect account on the simulator.
    async fn account(&self) -> Value {
        self.create_account(json!({"provider": "mconnect", "name": "Loja", "settings": {
            "base_url": self.sim.mconnect_url(), "number": NUMBER, "company": "acme", "username": "ana"}}))
            .await
    }
}

/// Reads SSE `data:` payloads until one matches.
async fn sse_until(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            while let Some(end) = buf.find("\n\n") {
                let frame: String = buf.drain(..end + 2).collect();
                let data: String = frame
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect::<Vec<_>>()
                    .join("\n");
                if data.is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(&data).unwrap();
                if pick(&value) {
                    return value;
                }
            }
            let chunk = stream.next().await.expect("stream ended").unwrap();
            buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("event within 10 s")
}

/// The command set's routes, as the command table names them (plus the event stream).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/status"),
    ("GET", "/api/providers"),
    ("GET", "/api/accounts"),
    ("POST", "/api/accounts"),
    ("GET", "/api/accounts/{id}"),
    ("PATCH", "/api/accounts/{id}"),
    ("DELETE", "/api/accounts/{id}"),
    ("POST", "/api/accounts/{id}/test"),
    ("POST", "/api/accounts/test"),
    ("GET", "/api/accounts/{id}/departments"),
    ("POST", "/api/accounts/{id}/sync"),
    ("GET", "/api/conversations"),
    ("GET", "/api/conversations/{id}"),
    ("POST", "/api/conversations"),
    ("PATCH", "/api/conversations/{id}"),
    ("POST", "/api/conversations/{id}/read"),
    ("GET", "/api/conversations/{id}/messages"),
    ("POST", "/api/conversations/{id}/messages"),
    ("POST", "/api/conversations/{id}/typing"),
    ("POST", "/api/conversations/{id}/handoff"),
    ("POST", "/api/conversations/{id}/reassign"),
    ("POST", "/api/conversations/{id}/refresh"),
    ("POST", "/api/conversations/{id}/history/import"),
    ("DELETE", "/api/messages/{id}"),
    ("DELETE", "/api/messages/{id}/reaction"),
    // drafts and internal notes
    ("GET", "/api/conversations/{id}/draft"),
    ("PUT", "/api/conversations/{id}/draft"),
    ("DELETE", "/api/conversations/{id}/draft"),
    ("POST", "/api/conversations/{id}/notes"),
    ("GET", "/api/contacts"),
    ("GET", "/api/contacts/{id}"),
    ("PATCH", "/api/contacts/{id}"),
    // the contact panel, merges and CSV
    ("GET", "/api/contacts/{id}/profile"),
    ("PATCH", "/api/contacts/{id}/profile"),
    ("POST", "/api/contacts/merge"),
    ("POST", "/api/contacts/merges/{id}/undo"),
    ("POST", "/api/contacts/import"),
    ("GET", "/api/contacts/export"),
    ("GET", "/api/tags"),
    ("POST", "/api/tags"),
    ("PATCH", "/api/tags/{id}"),
    ("DELETE", "/api/tags/{id}"),
    // search
    ("GET", "/api/search"),
    ("GET", "/api/messages/{id}/around"),
    ("GET", "/api/conversations/{id}/messages/newer"),
    // template library, canned responses, settings, split sending, files from disk
    ("DELETE", "/api/canned-responses/{id}"),
    ("DELETE", "/api/templates/{id}"),
    ("GET", "/api/accounts/{id}/templates"),
    ("GET", "/api/canned-responses"),
    ("GET", "/api/canned-responses/{id}/fill"),
    ("GET", "/api/media/{id}"),
    ("GET", "/api/settings"),
    ("PATCH", "/api/canned-responses/{id}"),
    ("PATCH", "/api/settings"),
    ("POST", "/api/accounts/{id}/templates"),
    ("POST", "/api/accounts/{id}/templates/import"),
    ("POST", "/api/accounts/{id}/templates/import/preview"),
    ("POST", "/api/canned-responses"),
    ("POST", "/api/conversations/{id}/messages/split"),
    ("POST", "/api/media"),
    ("PUT", "/api/templates/{id}"),
    ("POST", "/api/demo"),
    ("POST", "/api/demo/inbound"),
    ("GET", "/api/events"),
];

/// Every documented route, from the served OpenAPI document.
async fn operations(s: &Api) -> Vec<(String, String)> {
    let doc: Value = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap().json().await.unwrap();
    let mut out = Vec::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for method in methods.as_object().unwrap().keys() {
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_route_needs_the_bearer_token() {
    let s = start().await;
    let mut ops = operations(&s).await;
    assert_eq!(ops.len(), 64);
    ops.sort();
    let mut expected: Vec<(String, String)> = ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    expected.sort();
    assert_eq!(ops, expected, "the documented routes are the command table's");
    for (method, path) in ops {
        let url = format!("{}{}", s.base, path.replace("{id}", "x"));
        let response = s.http.request(method.parse().unwrap(), &url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{method} {path} without a token");
        let wrong = s.http.request(method.parse().unwrap(), &url).bearer_auth("wrong").send().await.unwrap();
        assert_eq!(wrong.status().as_u16(), 401, "{method} {path} with a wrong token");
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized");
    }
}

#[tokio::test]
async fn openapi_document_lists_exactly_the_served_routes() {
    let s = start().await;
    let response = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap();
    assert_eq!(response.status(), 200, "public, no token needed");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.values().map(|m| m.as_object().unwrap().len()).sum::<usize>(), 64);
    for (path, methods) in paths {
        for (method, op) in methods.as_object().unwrap() {
            assert!(op["responses"].as_object().unwrap().contains_key("401"));
            if path == "/api/events" {
                continue;
            }
            // With the token, each documented route exists (any answer but 404-for-route/405).
            let url = format!("{}{}", s.base, path.replace("{id}", "does-not-exist"));
            let response = s
                .http
                .request(method.to_uppercase().parse().unwrap(), url)
                .bearer_auth(TOKEN)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert_ne!(status, 405, "{method} {path} is served");
            let text = response.text().await.unwrap();
            if status >= 400 {
                let body: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|_| panic!("{method} {path}: error without a JSON body: {text}"));
                assert!(body["code"].is_string() && body["message"].is_string(), "{method} {path}: {body}");
            }
            if status == 404 {
                let body: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    body["code"], "not_found",
                    "{method} {path}: a 404 must come from the engine, not a missing route"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_command_set_works_end_to_end_over_http() {
    let s = start().await;
    let (status, body) = s.get("/api/status").await;
    assert_eq!(status, 200);
    assert_eq!(body["accounts"], 0);

    let account = s.account().await;
    let url = account["webhook_url"].as_str().unwrap();
    assert!(url.contains(&format!("/webhooks/mconnect/{}/", account["id"].as_str().unwrap())));
    assert_eq!(s.sim.mconnect().webhook_for(NUMBER).as_deref(), Some(url));
    assert_eq!(account["capabilities"], json!(["start_conversation", "send_text", "send_file", "caption", "groups"]));
    let (_, accounts) = s.get("/api/accounts").await;
    assert_eq!(accounts.as_array().unwrap().len(), 1);

    // Subscribe, then a customer writes in: the event arrives on the stream.
    let response = s.http.get(format!("{}/api/events", s.base)).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.bytes_stream();
    let mut buf = String::new();
    let fired = s
        .sim
        .mconnect()
        .fire(Inbound::text(NUMBER, "Quero trocar o tamanho").with_from("5511987650000").with_sender_name("Carla Dias"))
        .await
        .unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let added = sse_until(&mut stream, &mut buf, |e| e["type"] == "message_added").await;
    assert_eq!(added["message"]["body"], "Quero trocar o tamanho");
    let conversation_id = added["conversation_id"].as_str().unwrap().to_owned();

    let (status, list) = s.get("/api/conversations?status=open&limit=10").await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["id"], conversation_id.as_str());
    assert_eq!(list["items"][0]["title"], "Carla Dias");
    assert_eq!(list["items"][0]["unread_count"], 1);
    assert_eq!(list["next_cursor"], Value::Null);

    let (_, messages) = s.get(&format!("/api/conversations/{conversation_id}/messages?limit=1")).await;
    assert_eq!(messages["items"].as_array().unwrap().len(), 1);

    // Reply: stored first (201, pending), then sent; the simulator saw the documented JSON.
    let (status, sent) = s
        .post(
            &format!("/api/conversations/{conversation_id}/messages"),
            json!({"kind": "text", "body": "Claro, qual tamanho?"}),
        )
        .await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["status"], "pending");
    let changed = sse_until(&mut stream, &mut buf, |e| e["type"] == "message_status_changed").await;
    assert_eq!(changed["message_id"], sent["id"]);
    assert_eq!(changed["status"], "sent");
    let request = s.sim.requests().into_iter().rev().find_map(|r| r.body).unwrap();
    assert_eq!(request["element_data"]["message"], "Claro, qual tamanho?");
    assert_eq!(request["element_data"]["to"], "5511987650000");

    let (status, patched) = s
        .call(
            reqwest::Method::PATCH,
            &format!("/api/conversations/{conversation_id}"),
            Some(json!({"status": "resolved", "priority": 3})),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["status"], "resolved");
    assert_eq!(patched["priority"], 3);
    let (_, urgent) = s.get("/api/conversations?priority=3&status=resolved").await;
    assert_eq!(urgent["items"].as_array().unwrap().len(), 1);
    let (_, read) = s.post(&format!("/api/conversations/{conversation_id}/read"), json!({})).await;
    assert_eq!(read["unread_count"], 0);
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let s = start().await;
    let (status, body) =
        s.post("/api/accounts", json!({"provider": "mconnect", "name": "x", "settings": {"base_url": "nope"}})).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "invalid_input");
    assert!(body["message"].as_str().unwrap().contains("base_url"));
    let (status, body) = s.post("/api/accounts", json!({"provider": "telegraph"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_input");
    let (status, body) = s.get("/api/conversations?priority=9").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = s.get("/api/conversations?cursor=zzz").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = s.get("/api/conversations/nope").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, _) = s.call(reqwest::Method::PATCH, "/api/conversations/nope", Some(json!({"priority": 7}))).await;
    assert_eq!(status, 400);
}

/// An error answer is the engine's `{code, message}` with the HTTP status its code maps to.
#[track_caller]
fn assert_engine_error(status: u16, body: &Value) {
    let code = body["code"].as_str().unwrap_or_else(|| panic!("no code in {body}"));
    let expected = match code {
        "not_found" => 404,
        "invalid_input" => 422,
        "unsupported" => 409,
        "provider_error" => 502,
        "storage_error" | "keychain_error" | "io_error" | "internal_error" => 500,
        other => panic!("unknown error code {other}"),
    };
    assert_eq!(status, expected, "{body}");
    assert!(!body["message"].as_str().unwrap_or_default().is_empty(), "{body}");
}

#[track_caller]
fn assert_code(answer: (u16, Value), status: u16, code: &str) {
    assert_eq!((answer.0, answer.1["code"].as_str()), (status, Some(code)), "{}", answer.1);
    assert!(!answer.1["message"].as_str().unwrap_or_default().is_empty(), "{}", answer.1);
}

impl Api {
    /// A customer writes in on the account's number; answers the conversation and message ids.
    async fn inbound(&self, from: &str, text: &str) -> (String, String) {
        let fired = self
            .sim
            .mconnect()
            .fire(Inbound::text(NUMBER, text).with_from(from).with_sender_name("Carla Dias"))
            .await
            .unwrap();
        assert_eq!(fired.status, 200, "{}", fired.response);
        let (_, list) = self.get("/api/conversations").await;
        let conversation = list["items"][0]["id"].as_str().unwrap().to_owned();
        let (_, messages) = self.get(&format!("/api/conversations/{conversation}/messages")).await;
        (conversation, messages["items"][0]["id"].as_str().unwrap().to_owned())
    }
}

#[tokio::test]
async fn providers_are_listed_with_fields_and_capabilities() {
    let s = start().await;
    let (status, providers) = s.get("/api/providers").await;
    assert_eq!(status, 200, "{providers}");
    let providers = providers.as_array().unwrap();
    let doc: Value = s.http.get(format!("{}/api/openapi.json", s.base)).send().await.unwrap().json().await.unwrap();
    let documented = doc["components"]["schemas"]["Capability"]["enum"].as_array().unwrap().clone();
    assert_eq!(documented.len(), 23);
    let ids: Vec<_> = providers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["mconnect", "zchat", "omnize", "cirrus", "wegly"]);
    for p in providers {
        assert!(!p["label"].as_str().unwrap().is_empty(), "{p}");
        assert!(!p["capabilities"].as_array().unwrap().is_empty(), "{p}");
        assert!(matches!(p["webhook_setup"].as_str(), Some("registered" | "manual")), "{p}");
        assert!(p["notes"].is_array() && p["unavailable"].is_array(), "{p}");
        for note in p["notes"].as_array().unwrap() {
            assert!(note["key"].is_string() && note["params"].is_object(), "{note}");
        }
        let fields = p["fields"].as_array().unwrap();
        assert!(!fields.is_empty(), "{p}");
        for f in fields {
            assert!(f["key"].is_string() && f["label"].is_string() && f["required"].is_boolean(), "{f}");
            assert!(
                matches!(f["type"].as_str(), Some("text" | "url" | "phone" | "number" | "select" | "json" | "secret")),
                "{f}"
            );
            assert!(f["options"].is_array(), "{f}");
        }
        // Every capability named is one the API documents (the UI matches on these strings).
        for note in p["unavailable"].as_array().unwrap() {
            assert!(note["reason"]["key"].is_string() && note["reason"]["params"].is_object(), "{note}");
            assert!(documented.contains(&note["capability"]), "{note}");
        }
        for capability in p["capabilities"].as_array().unwrap() {
            assert!(documented.contains(capability), "{capability}");
        }
    }
    let mconnect = &providers[0];
    assert_eq!(mconnect["capabilities"], json!(["start_conversation", "send_text", "send_file", "caption", "groups"]));
    let keys: Vec<_> = mconnect["fields"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["base_url", "number", "company", "username"]);
    assert_eq!(mconnect["webhook_setup"], "registered");
}

#[tokio::test]
async fn an_account_is_read_edited_tested_and_deleted() {
    let s = start().await;
    let account = s.account().await;
    let id = account["id"].as_str().unwrap().to_owned();
    let url = account["webhook_url"].as_str().unwrap().to_owned();
    let keychain_key = format!("account/{id}/webhook-secret");
    assert!(s.secrets.get(&keychain_key).unwrap().is_some(), "the webhook secret is in the keychain");

    let (status, got) = s.get(&format!("/api/accounts/{id}")).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!((got["id"].as_str(), got["name"].as_str()), (Some(id.as_str()), Some("Loja")));
    assert_eq!(got["webhook_url"], url.as_str());
    assert_eq!(got["secrets_set"], json!([]));

    // Renaming leaves the provider alone; a new number is registered with the same webhook URL.
    let (status, renamed) = s.patch(&format!("/api/accounts/{id}"), json!({"name": "Loja Centro"})).await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Loja Centro");
    let other_number = "5511900007777";
    let mut settings = got["settings"].clone();
    settings["number"] = json!(other_number);
    let (status, moved) = s.patch(&format!("/api/accounts/{id}"), json!({"settings": settings})).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["settings"]["number"], other_number);
    assert_eq!(s.sim.mconnect().webhook_for(other_number).as_deref(), Some(url.as_str()));
    assert_eq!(s.get(&format!("/api/accounts/{id}")).await.1["name"], "Loja Centro");

    // Testing calls mConnect's only harmless operation: the webhook is registered again.
    s.sim.mconnect().set_webhook(other_number, "http://127.0.0.1:9/elsewhere");
    let (status, test) = s.post(&format!("/api/accounts/{id}/test"), json!({})).await;
    assert_eq!(status, 200, "{test}");
    assert_eq!(test["ok"], true, "{test}");
    assert!(!test["message"].as_str().unwrap().is_empty());
    assert_eq!(s.sim.mconnect().webhook_for(other_number).as_deref(), Some(url.as_str()));

    // Errors: bad bodies, empty name, unknown ids.
    assert_code(s.patch(&format!("/api/accounts/{id}"), json!({"name": 5})).await, 400, "invalid_input");
    assert_code(s.patch(&format!("/api/accounts/{id}"), json!({"name": "  "})).await, 422, "invalid_input");
    assert_code(
        s.patch(&format!("/api/accounts/{id}"), json!({"secrets": {"token": "abc"}})).await,
        422,
        "invalid_input",
    );
    assert_code(s.raw(reqwest::Method::PATCH, &format!("/api/accounts/{id}"), "{").await, 400, "invalid_input");
    assert_code(s.get("/api/accounts/nope").await, 404, "not_found");
    assert_code(s.patch("/api/accounts/nope", json!({"name": "x"})).await, 404, "not_found");
    assert_code(s.post("/api/accounts/nope/test", json!({})).await, 404, "not_found");

    // Deleting removes the account and its keychain entries.
    let (status, body) = s.delete(&format!("/api/accounts/{id}")).await;
    assert_eq!(status, 204, "{body}");
    assert!(s.secrets.get(&keychain_key).unwrap().is_none(), "the keychain entry is gone");
    assert_code(s.get(&format!("/api/accounts/{id}")).await, 404, "not_found");
    assert_code(s.delete(&format!("/api/accounts/{id}")).await, 404, "not_found");
    assert_eq!(s.get("/api/accounts").await.1, json!([]));
}

#[tokio::test]
async fn settings_can_be_tested_before_saving() {
    let s = start().await;
    let draft = json!({"provider": "mconnect", "name": "Loja", "settings": {
        "base_url": s.sim.mconnect_url(), "number": "5511900008888", "company": "acme", "username": "ana"}});
    let (status, test) = s.post("/api/accounts/test", draft).await;
    assert_eq!(status, 200, "{test}");
    // mConnect's only harmless call sets the webhook, which an unsaved account does not have yet.
    assert_eq!(test["ok"], false, "{test}");
    assert!(!test["message"].as_str().unwrap().is_empty());
    assert!(s.sim.requests().is_empty(), "nothing was sent to the provider");
    assert_eq!(s.get("/api/accounts").await.1, json!([]), "nothing was saved");

    let bad = json!({"provider": "mconnect", "name": "Loja", "settings": {"base_url": "nope"}});
    assert_code(s.post("/api/accounts/test", bad).await, 422, "invalid_input");
    assert_code(s.post("/api/accounts/test", json!({"provider": "telegraph"})).await, 400, "invalid_input");
}

#[tokio::test]
async fn creating_an_account_is_announced_on_the_event_stream() {
    let s = start().await;
    let response = s.http.get(format!("{}/api/events", s.base)).bearer_auth(TOKEN).send().await.unwrap();
    let mut stream = response.bytes_stream();
    let mut buf = String::new();
    let account = s.account().await;
    let event = sse_until(&mut stream, &mut buf, |e| e["type"] == "accounts_changed").await;
    assert_eq!(event, json!({"type": "accounts_changed"}));
    let (status, _) = s.delete(&format!("/api/accounts/{}", account["id"].as_str().unwrap())).await;
    assert_eq!(status, 204);
    sse_until(&mut stream, &mut buf, |e| e["type"] == "accounts_changed").await;
}

#[tokio::test]
async fn a_conversation_is_started_with_its_first_message() {
    let s = start().await;
    let account = s.account().await;
    let account_id = account["id"].as_str().unwrap();
    let to = "5511987650001";
    let (status, started) = s
        .post(
            "/api/conversations",
            json!({"account_id": account_id, "to": format!("+{to}"), "name": "Bruno Lima",
                   "message": {"kind": "text", "body": "Olá Bruno, seu pedido chegou"}}),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    assert_eq!(started["title"], "Bruno Lima");
    assert_eq!(started["account_id"], account_id);
    assert_eq!(started["kind"], "individual");
    let request = s.sim.requests().into_iter().rev().find_map(|r| r.body).unwrap();
    assert_eq!(request["element_data"]["message"], "Olá Bruno, seu pedido chegou");
    assert_eq!(request["element_data"]["to"], to);
    let conversation = started["id"].as_str().unwrap();
    let (_, messages) = s.get(&format!("/api/conversations/{conversation}/messages")).await;
    assert_eq!(messages["items"][0]["body"], "Olá Bruno, seu pedido chegou");
    assert_eq!(messages["items"][0]["status"], "sent");
    assert_eq!(s.get(&format!("/api/conversations/{conversation}")).await.1["id"], conversation);

    let start = |body: Value| s.post("/api/conversations", body);
    assert_code(start(json!({"account_id": account_id, "to": to})).await, 422, "invalid_input");
    assert_code(
        start(json!({"account_id": account_id, "to": " ", "message": {"kind": "text", "body": "x"}})).await,
        422,
        "invalid_input",
    );
    assert_code(
        start(json!({"account_id": account_id, "to": to, "message": {"kind": "text", "body": "  "}})).await,
        422,
        "invalid_input",
    );
    assert_code(
        start(json!({"account_id": account_id, "to": to, "message": {"kind": "location",
            "location": {"latitude": -23.5, "longitude": -46.6}}}))
        .await,
        409,
        "unsupported",
    );
    assert_code(
        start(json!({"account_id": "nope", "to": to, "message": {"kind": "text", "body": "x"}})).await,
        404,
        "not_found",
    );
    assert_code(start(json!({"to": to})).await, 400, "invalid_input");
}

/// Seeds a tag straight into the database, so the conversation route is tested on its own.
async fn seed_tag(s: &Api, id: &str, name: &str) {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(s.dir.path().join("inbox.db"));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::query("INSERT INTO tags (id, name) VALUES (?, ?)").bind(id).bind(name).execute(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test]
async fn conversation_tags_are_replaced_by_tag_ids() {
    let s = start().await;
    s.account().await;
    let (conversation, _) = s.inbound("5511987650002", "Oi").await;
    seed_tag(&s, "tag-vip", "VIP").await;
    seed_tag(&s, "tag-troca", "Troca").await;
    let path = format!("/api/conversations/{conversation}");

    let (status, tagged) = s.patch(&path, json!({"tag_ids": ["tag-vip", "tag-troca"]})).await;
    assert_eq!(status, 200, "{tagged}");
    let mut tags: Vec<_> = tagged["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    tags.sort_unstable();
    assert_eq!(tags, ["Troca", "VIP"]);
    let (_, filtered) = s.get("/api/conversations?tag=VIP").await;
    assert_eq!(filtered["items"][0]["id"], conversation.as_str());

    let (status, retagged) = s.patch(&path, json!({"tag_ids": ["tag-troca"], "priority": 2})).await;
    assert_eq!(status, 200, "{retagged}");
    assert_eq!((retagged["tags"].clone(), retagged["priority"].clone()), (json!(["Troca"]), json!(2)));
    assert_eq!(s.get("/api/conversations?tag=VIP").await.1["items"], json!([]));
    let (status, cleared) = s.patch(&path, json!({"tag_ids": []})).await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["tags"], json!([]));

    assert_code(s.patch(&path, json!({"tag_ids": ["no-such-tag"]})).await, 422, "invalid_input");
    assert_eq!(s.get(&path).await.1["tags"], json!([]), "a refused patch changes nothing");
    assert_code(s.patch(&path, json!({"tag_ids": "tag-vip"})).await, 400, "invalid_input");
    assert_code(s.patch("/api/conversations/nope", json!({"tag_ids": []})).await, 404, "not_found");
}

#[tokio::test]
async fn conversation_actions_mconnect_lacks_are_refused_as_unsupported() {
    let s = start().await;
    let account = s.account().await;
    let account_id = account["id"].as_str().unwrap();
    let (conversation, message) = s.inbound("5511987650003", "Oi").await;
    let c = |rest: &str| format!("/api/conversations/{conversation}{rest}");
    s.sim.clear_requests();

    assert_code(s.post(&c("/typing"), json!({"active": true})).await, 409, "unsupported");
    assert_code(s.post(&c("/handoff"), json!({"mood": "POSITIVE", "note": "ok"})).await, 409, "unsupported");
    assert_code(s.post(&c("/reassign"), json!({"user_id": "42"})).await, 409, "unsupported");
    assert_code(s.post(&c("/refresh"), json!({})).await, 409, "unsupported");
    assert_code(s.post(&c("/history/import"), json!({})).await, 409, "unsupported");
    assert_code(s.delete(&format!("/api/messages/{message}")).await, 409, "unsupported");
    assert_code(s.delete(&format!("/api/messages/{message}/reaction")).await, 409, "unsupported");
    assert_code(s.get(&format!("/api/accounts/{account_id}/departments")).await, 409, "unsupported");
    assert!(s.sim.requests().is_empty(), "nothing reached the provider");

    // Bodies are read before anything else.
    assert_code(s.post(&c("/typing"), json!({})).await, 400, "invalid_input");
    assert_code(s.post(&c("/typing"), json!({"active": "yes"})).await, 400, "invalid_input");
    assert_code(s.post(&c("/handoff"), json!({"mood": "GRUMPY"})).await, 422, "invalid_input");
    assert_code(s.post(&c("/handoff"), json!({"tag_ids": "x"})).await, 400, "invalid_input");
    assert_code(s.post(&c("/reassign"), json!({"user_id": " "})).await, 422, "invalid_input");
    assert_code(s.post(&c("/reassign"), json!({})).await, 400, "invalid_input");

    // Unknown ids.
    let unknown = |rest: &str| format!("/api/conversations/nope{rest}");
    assert_code(s.post(&unknown("/typing"), json!({"active": false})).await, 404, "not_found");
    assert_code(s.post(&unknown("/handoff"), json!({"note": "x"})).await, 404, "not_found");
    assert_code(s.post(&unknown("/reassign"), json!({"user_id": "42"})).await, 404, "not_found");
    assert_code(s.post(&unknown("/refresh"), json!({})).await, 404, "not_found");
    assert_code(s.post(&unknown("/history/import"), json!({})).await, 404, "not_found");
    assert_code(s.delete("/api/messages/nope").await, 404, "not_found");
    assert_code(s.delete("/api/messages/nope/reaction").await, 404, "not_found");
    assert_code(s.get("/api/accounts/nope/departments").await, 404, "not_found");
}

/// Contacts and tags: the routes reach the engine and carry its answer. Unknown ids and bodies
/// that do not parse are errors whatever the engine can do.
#[tokio::test]
async fn contact_and_tag_routes_carry_the_engines_answers() {
    let s = start().await;
    let account = s.account().await;
    let account_id = account["id"].as_str().unwrap();

    assert_code(s.get("/api/contacts?limit=many").await, 400, "invalid_input");
    assert_code(s.patch("/api/contacts/nope", json!({"tag_ids": "vip"})).await, 400, "invalid_input");
    assert_code(s.patch("/api/contacts/nope", json!({"custom_name": 7})).await, 400, "invalid_input");
    assert_code(s.raw(reqwest::Method::POST, "/api/tags", "not json").await, 400, "invalid_input");
    assert_code(s.post("/api/tags", json!({"name": ["VIP"]})).await, 400, "invalid_input");
    assert_code(s.patch("/api/tags/nope", json!({"color": false})).await, 400, "invalid_input");

    for (status, body) in [
        s.get("/api/contacts/nope").await,
        s.patch("/api/contacts/nope", json!({"custom_name": "Carla"})).await,
        s.patch("/api/tags/nope", json!({"name": "VIP"})).await,
        s.post("/api/accounts/nope/sync", json!({})).await,
    ] {
        assert!(status >= 400, "an unknown id is an error: {status} {body}");
        assert_engine_error(status, &body);
    }

    // Answers that may succeed are the documented shape, or an engine error.
    let (status, body) = s.get(&format!("/api/contacts?account_id={account_id}&query=ana&limit=10")).await;
    if status == 200 {
        assert!(body["items"].is_array() && body.get("next_cursor").is_some(), "{body}");
    } else {
        assert_engine_error(status, &body);
    }
    let (status, body) = s.get("/api/tags").await;
    if status == 200 {
        assert!(body.is_array(), "{body}");
    } else {
        assert_engine_error(status, &body);
    }
    let (status, body) = s.delete("/api/tags/nope").await;
    if status != 204 {
        assert_engine_error(status, &body);
    }
}
