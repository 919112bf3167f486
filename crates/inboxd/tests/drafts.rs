//! Drafts and internal notes over inboxd's HTTP API: the same commands the desktop shell offers,
//! with the same answers and events.

mod common;

use inbox_core::Event;
use inbox_sim::Inbound;
use serde_json::{Value, json};

const NUMBER: &str = "5511900004444";

#[tokio::test]
async fn drafts_and_notes_over_http() {
    let s = common::start().await;
    s.create_account(json!({"provider": "mconnect", "name": "Loja", "settings": {
        "base_url": s.sim.mconnect_url(), "number": NUMBER, "company": "acme", "username": "ana"}}))
        .await;
    let mut events = s.inbox.subscribe();
    let fired = s.sim.mconnect().fire(Inbound::text(NUMBER, "Oi").with_from("5511987650001")).await.unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let id = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, .. } => Some(conversation_id.clone()),
        _ => None,
    })
    .await;
    let draft = format!("/api/conversations/{id}/draft");

    assert_eq!(s.get(&draft).await, (200, Value::Null), "no draft yet");
    let (status, saved) =
        s.call(reqwest::Method::PUT, &draft, Some(json!({"body": "Já vejo", "media_ids": ["m1"]}))).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["body"], "Já vejo");
    assert_eq!(saved["media_ids"], json!(["m1"]));
    assert_eq!(saved["note"], false);
    assert_eq!(s.get_ok(&draft).await, saved);
    assert_eq!(s.conversation(&id).await["draft"], json!({"text": "Já vejo", "media": 1, "note": false}));
    let changed = common::next_event(&mut events, |e| match e {
        Event::DraftChanged { draft, .. } => Some(draft.clone()),
        _ => None,
    })
    .await;
    assert_eq!(changed.unwrap().body, "Já vejo");

    // Bad input: a clear error, nothing lost.
    let (status, error) = s.call(reqwest::Method::PUT, &draft, Some(json!({"body": "x", "media_ids": [""]}))).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("invalid_input")));
    assert_eq!(s.get_ok(&draft).await["body"], "Já vejo");

    // A note: 201, flagged, the draft gone, nothing sent.
    s.sim.clear_requests();
    let (status, note) = s.post(&format!("/api/conversations/{id}/notes"), json!({"body": "Cliente VIP"})).await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(note["note"], true);
    assert_eq!(note["direction"], "outbound");
    assert_eq!(s.get(&draft).await, (200, Value::Null));
    assert!(s.sim.requests().is_empty(), "a note reached the provider");
    let (status, error) = s.post(&format!("/api/conversations/{id}/notes"), json!({"body": "  "})).await;
    assert_eq!((status, error["code"].as_str()), (422, Some("invalid_input")));

    // An empty draft deletes it; DELETE does too and answers 204.
    s.call(reqwest::Method::PUT, &draft, Some(json!({"body": "de novo"}))).await;
    let (status, cleared) = s.call(reqwest::Method::PUT, &draft, Some(json!({"body": " "}))).await;
    assert_eq!((status, cleared), (200, Value::Null));
    s.call(reqwest::Method::PUT, &draft, Some(json!({"body": "mais uma vez"}))).await;
    assert_eq!(s.delete(&draft).await.0, 204);
    assert_eq!(s.get(&draft).await, (200, Value::Null));
    assert_eq!(s.get("/api/conversations/nope/draft").await.0, 404);
}
