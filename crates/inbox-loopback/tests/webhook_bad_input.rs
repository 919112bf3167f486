//! Bad webhook input gets a clear 4xx, stores nothing, and the engine keeps serving.

mod common;

use inbox_core::ConversationFilter;
use inbox_sim::Inbound;

async fn post(url: &str, body: Vec<u8>) -> (u16, serde_json::Value) {
    let response =
        reqwest::Client::new().post(url).header("content-type", "application/json").body(body).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

#[tokio::test]
async fn bad_deliveries_are_refused_and_store_nothing() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = common::mconnect_account(&h.inbox, &sim).await;
    let url = account.webhook_url.unwrap();
    let (base, _secret) = url.rsplit_once('/').unwrap();
    let good = sim.mconnect().build(&Inbound::text(common::NUMBER, "válido")).payload().to_string();

    let cases: Vec<(&str, String, Vec<u8>, u16, &str)> = vec![
        ("invalid JSON", url.clone(), b"{\"from\": ".to_vec(), 400, "webhook_invalid_json"),
        ("not an object", url.clone(), b"[1,2,3]".to_vec(), 422, "webhook_invalid_payload"),
        (
            "missing fields",
            url.clone(),
            br#"{"from":"5511987654321","chat_msg":"oi"}"#.to_vec(),
            422,
            "webhook_invalid_payload",
        ),
        ("wrong secret", format!("{base}/{}", "A".repeat(43)), good.clone().into_bytes(), 401, "webhook_unauthorized"),
        ("unknown account", url.replace(&account.id, "0000"), good.clone().into_bytes(), 401, "webhook_unauthorized"),
        (
            "wrong provider",
            url.replace("/mconnect/", "/wegly/"),
            good.clone().into_bytes(),
            401,
            "webhook_unauthorized",
        ),
        ("5 MB body", url.clone(), vec![b' '; 5 * 1024 * 1024], 413, "webhook_body_rejected"),
    ];
    for (what, target, body, status, code) in cases {
        let (got, json) = post(&target, body).await;
        assert_eq!(got, status, "{what}: {json}");
        assert_eq!(json["code"], code, "{what}: {json}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: a readable message");
    }
    assert!(h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items.is_empty());
    let pool = h.pool().await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 0);

    // Still serving: a good delivery after all that is stored.
    let (status, json) = post(&url, good.into_bytes()).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items.len(), 1);
}
