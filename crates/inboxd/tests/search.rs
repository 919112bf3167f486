//! Search over HTTP: the query string, grouped results with marked snippets, the page around a
//! message and the newer pages, and clear errors for bad input.

mod common;

use common::start;
use inbox_sim::Inbound;
use serde_json::json;

const NUMBER: &str = "5511900004444";

#[tokio::test]
async fn search_and_jump_over_http() {
    let s = start().await;
    s.create_account(json!({"provider": "mconnect", "name": "Loja", "settings": {
        "base_url": s.sim.mconnect_url(), "number": NUMBER, "company": "acme", "username": "ana"}}))
        .await;
    for text in ["Vocês entregam no sábado?", "Obrigada!", "Até logo"] {
        let fired = s
            .sim
            .mconnect()
            .fire(Inbound::text(NUMBER, text).with_from("5531988887777").with_sender_name("Fernanda Lima"))
            .await
            .unwrap();
        assert_eq!(fired.status, 200, "{}", fired.response);
    }

    let found = s.get_ok("/api/search?query=SABADO&side=customer&limit=5").await;
    let hit = &found["messages"][0];
    assert_eq!(hit["conversation_title"], "Fernanda Lima");
    assert!(hit["snippet"].as_array().unwrap().contains(&json!({"text": "sábado", "hit": true})), "{hit}");
    assert_eq!(found["more_messages"], false);
    let by_phone = s.get_ok("/api/search?query=%2B55%2031%2098888-7777").await;
    assert_eq!(by_phone["contacts"][0]["contact"]["display_name"], "Fernanda Lima", "{by_phone}");
    assert_eq!(by_phone["conversations"][0]["conversation"]["id"], hit["conversation_id"]);

    let message = hit["message_id"].as_str().unwrap();
    let conversation = hit["conversation_id"].as_str().unwrap();
    let window = s.get_ok(&format!("/api/messages/{message}/around?limit=2")).await;
    assert_eq!(window["conversation_id"], conversation);
    assert_eq!(window["items"].as_array().unwrap().len(), 2);
    assert_eq!(window["items"][1]["id"], message);
    assert!(window["older_cursor"].is_null());
    let cursor = window["newer_cursor"].as_str().expect("a newer message beyond the window");
    let newer = s.get_ok(&format!("/api/conversations/{conversation}/messages/newer?cursor={cursor}")).await;
    assert_eq!(newer["items"][0]["body"], "Até logo");
    assert!(newer["next_cursor"].is_null());

    for (path, status, key) in [
        ("/api/search?query=%20", 422, "search.empty"),
        ("/api/search", 422, "search.empty"),
        ("/api/search?query=oi&from=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", 422, "search.bad_range"),
        (&format!("/api/conversations/{conversation}/messages/newer") as &str, 422, "field.required"),
    ] {
        let (code, body) = s.get(path).await;
        assert_eq!(
            (code, body["code"].as_str(), body["key"].as_str()),
            (status, Some("invalid_input"), Some(key)),
            "{path}: {body}"
        );
    }
    let (code, body) = s.get("/api/search?query=oi&side=nobody").await;
    assert_eq!((code, body["code"].as_str()), (400, Some("invalid_input")), "{body}");
    let (code, _) = s.get("/api/messages/nope/around").await;
    assert_eq!(code, 404);
}
