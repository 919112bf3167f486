//! The simulated Wegly API and its signed webhooks, over real HTTP.

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use chrono::Utc;
use common::{client, start_sim};
use inbox_sim::fixtures::wegly as fx;
use inbox_sim::wegly::{DEFAULT_PHONE_ID, DEFAULT_TOKEN};
use inbox_sim::{CustomerMessage, MediaSpec, Signing, SimHandle, WeglyEvent};
use serde_json::{Value, json};
use tokio::sync::mpsc;

async fn call(sim: &SimHandle, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    call_as(sim, method, path, body, Some(DEFAULT_TOKEN)).await
}

async fn call_as(
    sim: &SimHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
    token: Option<&str>,
) -> (u16, Value) {
    let mut request = client().request(method, format!("{}{path}", sim.wegly_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request reaches the simulator");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn create(sim: &SimHandle, wa: &str) -> Value {
    let mut body: Value = serde_json::from_str(fx::CREATE_CHAT_REQUEST).unwrap();
    body["wa_contact_id"] = json!(wa);
    let (status, chat) = call(sim, reqwest::Method::POST, "/chats", Some(body)).await;
    assert_eq!(status, 201, "{chat}");
    chat
}

/// Same keys, recursively, as the document's example (values differ: the example masks them).
fn same_keys(ours: &Value, doc: &Value) -> bool {
    match (ours, doc) {
        (Value::Object(a), Value::Object(b)) => {
            b.iter().all(|(k, v)| a.get(k).is_some_and(|w| w.is_null() || v.is_null() || same_keys(w, v)))
        }
        _ => true,
    }
}

#[tokio::test]
async fn the_documented_create_chat_opens_a_chat_with_its_template() {
    let sim = start_sim();
    let body: Value = serde_json::from_str(fx::CREATE_CHAT_REQUEST).unwrap();
    let (status, chat) = call(&sim, reqwest::Method::POST, "/chats", Some(body.clone())).await;
    assert_eq!(status, 201, "{chat}");
    let doc: Value = serde_json::from_str(fx::CREATE_CHAT_RESPONSE).unwrap();
    assert!(same_keys(&chat, &doc), "{chat}");
    assert_eq!(chat["wa_contact_id"], "11999999999");
    assert_eq!(chat["status"], "OPEN");
    assert_eq!(chat["last_message"]["type"], "template");
    assert_eq!(chat["last_message"]["origin"], "OUTBOUND");
    assert_eq!(chat["last_message"]["content_payload"]["template"]["name"], "saudacao_inicial");
    assert!(chat.get("session_expires_at").is_none(), "the create answer has no window");

    // The same contact again: the chat is reused (200), with a second template.
    let (again, reused) = call(&sim, reqwest::Method::POST, "/chats", Some(body)).await;
    assert_eq!(again, 200);
    assert_eq!(reused["id"], chat["id"]);
    assert_eq!(sim.wegly().messages(chat["id"].as_str().unwrap()).len(), 2);

    // GET adds the window and the number's details; the customer never wrote: no session.
    let (status, got) =
        call(&sim, reqwest::Method::GET, &format!("/chats/{}", chat["id"].as_str().unwrap()), None).await;
    assert_eq!(status, 200);
    assert!(got["session_expires_at"].is_null() && got.get("session_expires_at").is_some());
    assert_eq!(got["phone_number"]["id"], DEFAULT_PHONE_ID);
    assert!(got["phone_number"]["raw_number"].is_string());
    let recorded = sim.requests();
    assert!(recorded.iter().all(|r| r.provider == "wegly"));
    assert_eq!(recorded[0].path, "/wegly/chats");
}

#[tokio::test]
async fn tokens_domains_and_validation_are_enforced() {
    let sim = start_sim();
    let (status, body) = call_as(&sim, reqwest::Method::GET, "/chats/x", None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["statusCode"], 401);
    let (status, _) = call_as(&sim, reqwest::Method::GET, "/chats/x", None, Some("wrong")).await;
    assert_eq!(status, 401);
    let (status, body) = call(&sim, reqwest::Method::GET, "/chats/3c90c3cc-0d44-4b50-8888-8dd25736052a", None).await;
    assert_eq!(status, 404, "{body}");

    sim.wegly().set_allowed_domain(Some("crm.example.com".into()));
    let (status, body) = call(&sim, reqwest::Method::GET, "/chats/x", None).await;
    assert_eq!(status, 403, "{body}");
    let from_crm = client()
        .get(format!("{}/chats/x", sim.wegly_url()))
        .bearer_auth(DEFAULT_TOKEN)
        .header("origin", "https://crm.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(from_crm.status(), 404);
    sim.wegly().set_allowed_domain(None);

    let (status, body) = call(
        &sim,
        reqwest::Method::POST,
        "/chats",
        Some(json!({"whatsapp_phone_id": "nope", "wa_contact_id": "x".repeat(51)})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"].as_array().unwrap().len(), 3, "{body}");
    let mut other_phone: Value = serde_json::from_str(fx::CREATE_CHAT_REQUEST).unwrap();
    other_phone["whatsapp_phone_id"] = json!(uuid::Uuid::new_v4().to_string());
    let (status, _) = call(&sim, reqwest::Method::POST, "/chats", Some(other_phone)).await;
    assert_eq!(status, 404);

    sim.wegly().fail_next(503, "manutenção programada");
    let (status, body) = call(&sim, reqwest::Method::GET, "/chats/x", None).await;
    assert_eq!((status, body["message"].as_str()), (503, Some("manutenção programada")));
    let (status, _) = call(&sim, reqwest::Method::GET, "/chats/x", None).await;
    assert_eq!(status, 404, "an injected failure is used once");
}

#[tokio::test]
async fn free_messages_need_the_window_and_templates_do_not() {
    let sim = start_sim();
    let chat = create(&sim, "5511987650001").await;
    let id = chat["id"].as_str().unwrap();
    let path = format!("/chats/{id}/messages");
    let (status, body) = call(&sim, reqwest::Method::POST, &path, Some(json!({"type": "text", "body": "oi"}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("24 horas"));
    let template =
        json!({"type": "template", "template": {"name": "lembrete", "language": "pt_BR"}, "template_fields": []});
    let (status, body) = call(&sim, reqwest::Method::POST, &path, Some(template)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["total"], 1);
    assert_eq!(body["records"][0]["status"], "processing");
    assert!(body["records"][0]["wamid"].is_null());

    // The customer writes: the window opens for 24 hours.
    sim.wegly().subscribe("http://127.0.0.1:9/none", "s", Signing::Hex);
    let _ = sim
        .wegly()
        .fire(WeglyEvent::MessageReceived(CustomerMessage {
            chat_id: Some(id.into()),
            text: Some("Oi!".into()),
            ..Default::default()
        }))
        .await;
    let got = sim.wegly().chat(id).unwrap();
    assert!(got["session_expires_at"].is_string());
    let customer = sim.wegly().messages(id).into_iter().find(|m| m["origin"] == "INBOUND").unwrap();
    let reply = json!({"type": "text", "body": "Olá", "reference_wamid": customer["wamid"]});
    let (status, body) = call(&sim, reqwest::Method::POST, &path, Some(reply)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["records"][0]["quoted_message"]["id"], customer["id"]);
    let (status, _) = call(
        &sim,
        reqwest::Method::POST,
        &path,
        Some(json!({"type": "text", "body": "x", "reference_wamid": "wamid.nope"})),
    )
    .await;
    assert_eq!(status, 422);

    let media = json!({"type": "media", "body": "nota", "media": {"url": "https://example.com/nota.pdf", "media_type": "document", "file_name": "nota.pdf"}});
    let (status, body) = call(&sim, reqwest::Method::POST, &path, Some(media)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["records"][0]["type"], "document");
    assert_eq!(body["records"][0]["media"]["mime_type"], "application/pdf");
    let (status, _) =
        call(&sim, reqwest::Method::POST, &path, Some(json!({"type": "media", "media": {"url": "ftp://x"}}))).await;
    assert_eq!(status, 400);

    let buttons = json!({"type": "button", "body": "Confirma?", "buttons": [{"id": "s", "title": "Sim"}, {"id": "n", "title": "Não"}]});
    let (status, body) = call(&sim, reqwest::Method::POST, &format!("{path}/interactive"), Some(buttons)).await;
    assert_eq!(status, 201, "{body}");
    let four = json!({"type": "button", "body": "x", "buttons": [{"id":"1","title":"a"},{"id":"2","title":"b"},{"id":"3","title":"c"},{"id":"4","title":"d"}]});
    let (status, _) = call(&sim, reqwest::Method::POST, &format!("{path}/interactive"), Some(four)).await;
    assert_eq!(status, 400);
    let (status, body) = call(
        &sim,
        reqwest::Method::POST,
        &format!("{path}/location"),
        Some(json!({"latitude": -23.56, "longitude": -46.65, "name": "Loja", "address": "Av. Paulista, 1000"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["records"][0]["content_payload"]["address"], "Av. Paulista, 1000");

    // 25 hours later the window is closed again.
    sim.wegly().set_last_customer_msg_at(id, Some(Utc::now() - chrono::Duration::hours(25)));
    let (status, _) =
        call(&sim, reqwest::Method::POST, &path, Some(json!({"type": "text", "body": "ainda aí?"}))).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn timeline_pages_reactions_and_reassignment() {
    let sim = start_sim();
    let id = sim.wegly().seed_chat("5511987650002", Some("Rita"), 45, None);
    let mut seen = Vec::new();
    for page in 1..=3 {
        let (status, body) =
            call(&sim, reqwest::Method::GET, &format!("/chats/{id}/timeline?page={page}&limit=20"), None).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 45);
        for r in body["records"].as_array().unwrap() {
            assert_eq!(r["event_type"], "MESSAGE");
            seen.push(r["message"]["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen.len(), 45);
    seen.dedup();
    assert_eq!(seen.len(), 45);
    let (status, _) = call(&sim, reqwest::Method::GET, &format!("/chats/{id}/timeline?page=0"), None).await;
    assert_eq!(status, 400);

    let message = &sim.wegly().messages(&id)[0];
    let message_id = message["id"].as_str().unwrap();
    sim.wegly().subscribe("http://127.0.0.1:9/none", "s", Signing::Hex);
    let _ = sim
        .wegly()
        .fire(WeglyEvent::Reaction {
            chat_id: id.clone(),
            message_id: message_id.into(),
            emoji: Some("👍".into()),
            actor: Some("USER".into()),
        })
        .await;
    let path = format!("/chats/{id}/messages/{message_id}/reaction");
    let (status, _) = call(&sim, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    let (status, body) = call(&sim, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, 404, "{body}");

    let user = &sim.wegly().users()[1];
    let (status, chat) =
        call(&sim, reqwest::Method::PATCH, &format!("/chats/{id}/responsible"), Some(json!({"user_id": user.id})))
            .await;
    assert_eq!(status, 200, "{chat}");
    assert_eq!(chat["assigned_agent"]["user"]["name"], user.name.as_str());
    let (status, _) = call(
        &sim,
        reqwest::Method::PATCH,
        &format!("/chats/{id}/responsible"),
        Some(json!({"user_id": uuid::Uuid::new_v4().to_string()})),
    )
    .await;
    assert_eq!(status, 404);
}

/// A webhook endpoint that hands the test each delivery's headers and raw body.
async fn receiver() -> (String, mpsc::UnboundedReceiver<(HeaderMap, Bytes)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    async fn take(
        State(tx): State<mpsc::UnboundedSender<(HeaderMap, Bytes)>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> &'static str {
        let _ = tx.send((headers, body));
        "ok"
    }
    let app = Router::new().route("/hook", post(take)).with_state(tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<(HeaderMap, Bytes)>) -> (HeaderMap, Bytes) {
    tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("a delivery in time").expect("receiver alive")
}

fn hmac_hex(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn deliveries_are_signed_as_asked() {
    use base64::Engine as _;
    let sim = start_sim();
    let (url, mut rx) = receiver().await;
    let wegly = sim.wegly();
    wegly.subscribe(&url, "segredo", Signing::Hex);
    let fired = wegly
        .fire(WeglyEvent::MessageReceived(CustomerMessage {
            wa_contact_id: Some("5511987650003".into()),
            contact_name: Some("Lia".into()),
            text: Some("Bom dia".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(fired.status, 200);
    let (headers, body) = next(&mut rx).await;
    assert_eq!(headers["x-wegly-event"], "chat.message_received");
    assert_eq!(headers["x-wegly-signature"].to_str().unwrap(), hmac_hex("segredo", &body));
    let delivery: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(delivery["event_key"], "chat.message_received");
    assert_eq!(delivery["payload"]["message"]["body_text"], "Bom dia");
    assert_eq!(delivery["payload"]["chat"]["contact_name"], "Lia");
    let chat_id = fired.chat_id.unwrap();

    wegly
        .fire_signed(
            WeglyEvent::MessageReceived(CustomerMessage {
                chat_id: Some(chat_id.clone()),
                media: Some(MediaSpec { kind: "image".into(), url: None, file_name: None, mime_type: None }),
                text: Some("foto".into()),
                ..Default::default()
            }),
            Some(Signing::Base64),
        )
        .await
        .unwrap();
    let (headers, body) = next(&mut rx).await;
    let sig = base64::engine::general_purpose::STANDARD.decode(headers["x-wegly-signature"].as_bytes()).unwrap();
    assert_eq!(hex::encode(sig), hmac_hex("segredo", &body));
    let delivery: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(delivery["payload"]["message"]["type"], "image");
    assert!(delivery["payload"]["message"]["media"]["url"].as_str().unwrap().starts_with(&sim.base_url()));

    wegly
        .fire_signed(WeglyEvent::Business { event_key: "lead.created".into(), name: None }, Some(Signing::Missing))
        .await
        .unwrap();
    let (headers, _) = next(&mut rx).await;
    assert!(headers.get("x-wegly-signature").is_none());
    wegly
        .fire_signed(WeglyEvent::Business { event_key: "deal.won".into(), name: None }, Some(Signing::WrongSecret))
        .await
        .unwrap();
    let (headers, body) = next(&mut rx).await;
    assert_ne!(headers["x-wegly-signature"].to_str().unwrap(), hmac_hex("segredo", &body));
    let again = wegly.redeliver().await.unwrap();
    let (headers2, body2) = next(&mut rx).await;
    assert_eq!(
        (again.event_key.as_str(), &body2, &headers2["x-wegly-signature"]),
        ("deal.won", &body, &headers["x-wegly-signature"])
    );

    // Over the control API: a status, then an unknown message is a 404.
    let outbound = sim.wegly().messages(&chat_id).len();
    assert_eq!(outbound, 2);
    let control = format!("{}/_sim/wegly/events", sim.base_url());
    let unknown = client()
        .post(&control)
        .json(&json!({"event": {"kind": "status", "chat_id": chat_id, "message_id": "nope", "status": "read"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let settings: Value =
        client().get(format!("{}/_sim/wegly/settings", sim.base_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(settings["signing"], "hex");
    assert!(!settings["webhook"].as_str().unwrap().contains("/hook"), "the URL is shown by origin only");
}

#[tokio::test]
async fn auto_events_echo_api_sends() {
    let sim = start_sim();
    let (url, mut rx) = receiver().await;
    sim.wegly().subscribe(&url, "k", Signing::Base64Url);
    sim.wegly().set_auto_events(true);
    let chat = create(&sim, "5511987650004").await;
    let (_, body) = next(&mut rx).await;
    let delivery: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(delivery["event_key"], "chat.message_sent");
    assert_eq!(delivery["payload"]["message"]["id"], chat["last_message"]["id"]);
    assert_eq!(delivery["payload"]["message"]["status"], "sent");
    assert!(delivery["payload"]["message"]["wamid"].as_str().unwrap().starts_with("wamid."));
}

#[tokio::test]
async fn the_control_routes_drive_the_simulation() {
    let sim = start_sim();
    let control = |path: &str| format!("{}/_sim/wegly{path}", sim.base_url());
    let post = |path: &str, body: Value| {
        let url = control(path);
        async move {
            let response = client().post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (url, mut rx) = receiver().await;
    assert_eq!(post("/subscription", json!({"url": "ftp://x", "secret": "s"})).await.0, 400);
    let (status, settings) = post("/subscription", json!({"url": url, "secret": "s", "signing": "base64"})).await;
    assert_eq!((status, settings["signing"].as_str()), (200, Some("base64")));
    assert_eq!(post("/tokens", json!({"token": "outro-token"})).await.0, 200);
    let (status, _) = call_as(&sim, reqwest::Method::GET, "/chats/x", None, Some("outro-token")).await;
    assert_eq!(status, 404, "the added token is accepted");
    let (_, settings) = post("/allowed-domain", json!({"domain": "loja.example"})).await;
    assert_eq!(settings["allowed_domain"], "loja.example");
    post("/allowed-domain", json!({"domain": null})).await;
    let (_, settings) = post("/fail-next", json!({"status": 429, "message": "Muitas requisições"})).await;
    assert_eq!(settings["pending_failures"], 1);
    let (status, body) = call(&sim, reqwest::Method::GET, "/chats/x", None).await;
    assert_eq!((status, body["message"].as_str()), (429, Some("Muitas requisições")));
    assert_eq!(post("/fail-next", json!({"status": 200, "message": "x"})).await.0, 400);

    let old = (Utc::now() - chrono::Duration::hours(30)).to_rfc3339();
    let (status, chat) = post(
        "/chats",
        json!({"wa_contact_id": "5511987650009", "contact_name": "Tânia", "history": 4, "last_customer_msg_at": old}),
    )
    .await;
    assert_eq!(status, 200, "{chat}");
    let id = chat["id"].as_str().unwrap().to_owned();
    assert_eq!(chat["contact_name"], "Tânia");
    let seen: Value = client().get(control(&format!("/chats/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen["messages"].as_array().unwrap().len(), 4);
    let (status, _) = call(
        &sim,
        reqwest::Method::POST,
        &format!("/chats/{id}/messages"),
        Some(json!({"type": "text", "body": "oi"})),
    )
    .await;
    assert_eq!(status, 422, "the last customer message is 30 hours old");
    let (_, chat) = post(&format!("/chats/{id}/last-customer-message"), json!({"at": Utc::now().to_rfc3339()})).await;
    assert!(chat["session_expires_at"].is_string());
    let (status, _) = call(
        &sim,
        reqwest::Method::POST,
        &format!("/chats/{id}/messages"),
        Some(json!({"type": "text", "body": "oi"})),
    )
    .await;
    assert_eq!(status, 201);

    let users: Value = client().get(control("/users")).send().await.unwrap().json().await.unwrap();
    let user_id = users[0]["id"].as_str().unwrap();
    let (status, fired) = post(
        "/events",
        json!({"event": {"kind": "chat_updated", "chat_id": id, "status": "snoozed", "user_id": user_id}, "signing": "hex_upper"}),
    )
    .await;
    assert_eq!(status, 200, "{fired}");
    let (headers, body) = next(&mut rx).await;
    assert_eq!(headers["x-wegly-signature"].to_str().unwrap(), hmac_hex("s", &body).to_uppercase());
    assert_eq!(fired["payload"]["chat"]["status"], "SNOOZED");
    assert_eq!(fired["payload"]["chat"]["assigned_agent"]["user"]["id"], user_id);
    let (status, again) = post("/redeliver", json!({})).await;
    assert_eq!((status, again["event_key"].as_str()), (200, Some("chat.updated")));
    let (_, body2) = next(&mut rx).await;
    assert_eq!(body2, body);

    let (_, settings) = post("/auto-events", json!({"on": true})).await;
    assert_eq!(settings["auto_events"], true);
    let deleted: Value = client().delete(control("/subscription")).send().await.unwrap().json().await.unwrap();
    assert!(deleted["webhook"].is_null());
    let (status, _) = post("/events", json!({"event": {"kind": "business", "event_key": "lead.created"}})).await;
    assert_eq!(status, 409, "no subscription");
}

#[tokio::test]
async fn a_chat_opened_before_the_simulator_started_can_be_restored() {
    let sim = start_sim();
    let wegly = sim.wegly();
    let chat_id = "7d3f0c8e-5a21-4b9e-8c47-1e2d3f4a5b6c";
    let path = format!("/chats/{chat_id}/messages");
    let text = json!({"type": "text", "body": "Olá!"});
    assert_eq!(call(&sim, reqwest::Method::POST, &path, Some(text.clone())).await.0, 404);

    // The customer wrote an hour ago: the window is open until 23 hours from now.
    let wrote = Utc::now() - chrono::Duration::hours(1);
    assert!(wegly.restore_chat(chat_id, "5541977776666", Some("Juliana Costa"), Some(wrote)));
    assert!(!wegly.restore_chat(chat_id, "5541900000000", None, None), "a known chat id is left alone");
    assert!(
        !wegly.restore_chat("0a1b2c3d-0000-4000-8000-000000000000", "5541977776666", None, None),
        "one chat a contact"
    );
    assert_eq!(wegly.chat_of("5541977776666").as_deref(), Some(chat_id));
    let chat = wegly.chat(chat_id).unwrap();
    assert_eq!(chat["contact_name"], "Juliana Costa");
    let (status, sent) = call(&sim, reqwest::Method::POST, &path, Some(text)).await;
    assert!((200..300).contains(&status), "{status}: {sent}");

    // Without a customer message the window is closed: only templates go.
    let closed = "0b1c2d3e-0000-4000-8000-000000000001";
    assert!(wegly.restore_chat(closed, "5541911112222", None, None));
    let (status, _) = call(
        &sim,
        reqwest::Method::POST,
        &format!("/chats/{closed}/messages"),
        Some(json!({"type": "text", "body": "Oi"})),
    )
    .await;
    assert!(status >= 400, "the window is closed: {status}");
}
