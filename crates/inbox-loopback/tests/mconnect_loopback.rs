//! mConnect end to end over loopback: simulator → webhook → engine → event, and
//! engine → client → simulator (which must see exactly the documented JSON).

mod common;

use inbox_core::{ConversationFilter, ConversationKind, DeliveryStatus, Direction, Event, MessageKind, SendMessage};
use inbox_sim::Inbound;
use serde_json::json;

#[tokio::test]
async fn creating_an_account_registers_a_secret_webhook_url() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = common::mconnect_account(&h.inbox, &sim).await;
    let url = account.webhook_url.clone().expect("webhook url");
    assert!(url.starts_with(&format!("http://{}/webhooks/mconnect/{}/", h.inbox.webhook_addr(), account.id)));
    let secret = url.rsplit('/').next().unwrap();
    assert!(secret.len() >= 43, "256-bit secret in the path");
    assert_eq!(sim.mconnect().webhook_for(common::NUMBER).as_deref(), Some(url.as_str()));

    let set = sim
        .requests()
        .into_iter()
        .find(|r| r.body.as_ref().is_some_and(|b| b["element_data"]["action"] == "setWebHook"))
        .unwrap();
    assert_eq!(
        set.body.unwrap(),
        json!({"operation":"wp_instance","moduleType":"wp_instance","api_type":"web",
               "element_data":{"action":"setWebHook","wp_num":common::NUMBER,"web_hook":url}})
    );
    // The secret is in the keychain stand-in, and never in SQLite.
    assert!(!h.database_contains(secret.as_bytes()), "secret leaked into SQLite");
    // Listing accounts shows the same URL again.
    let listed = h.inbox.list_accounts().await.unwrap();
    assert_eq!(listed[0].webhook_url.as_deref(), Some(url.as_str()));
}

#[tokio::test]
async fn an_account_the_provider_refuses_leaves_nothing_behind() {
    let h = common::inbox().await;
    let result = h
        .inbox
        .create_account(inbox_core::NewAccount {
            secrets: Default::default(),
            provider: inbox_core::Provider::Mconnect,
            name: "Nowhere".into(),
            settings: json!({"base_url": "http://127.0.0.1:9/none", "number": "5511900002222", "company": "c", "username": "u"})
                .as_object()
                .unwrap()
                .clone(),
        })
        .await;
    let err = result.unwrap_err();
    assert_eq!(err.code(), "provider_error", "{err}");
    assert!(h.inbox.list_accounts().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_documented_inbound_shape_reaches_the_engine_as_an_event() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let mut events = h.inbox.subscribe();
    let mc = sim.mconnect();

    let text = mc.fire(Inbound::text(common::NUMBER, "Olá, tudo bem?").with_from("5511987654321")).await.unwrap();
    assert_eq!(text.status, 200, "{}", text.response);
    let (conversation_id, message) = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, message } => Some((conversation_id.clone(), message.clone())),
        _ => None,
    })
    .await;
    assert_eq!(message.direction, Direction::Inbound);
    assert_eq!(message.body.as_deref(), Some("Olá, tudo bem?"));
    assert_eq!(message.provider_message_id.as_deref(), text.payload["message_id"].as_str());
    let updated = common::next_event(&mut events, |e| match e {
        Event::ConversationUpdated { conversation } => Some(conversation.clone()),
        _ => None,
    })
    .await;
    assert_eq!(updated.id, conversation_id);
    assert_eq!(updated.unread_count, 1);
    assert_eq!(updated.title, text.payload["sender_name"].as_str().unwrap());
    assert_eq!(updated.avatar_url.as_deref(), text.payload["sender"].as_str());

    // The avatar URL expires; each message refreshes it.
    let mut second = Inbound::text(common::NUMBER, "segunda").with_from("5511987654321");
    second.avatar_url = Some("https://pps.example/new.jpg".into());
    let again = mc.fire(second).await.unwrap();
    assert_eq!(again.status, 200);
    let refreshed = common::next_event(&mut events, |e| match e {
        Event::ConversationUpdated { conversation } if conversation.id == conversation_id => Some(conversation.clone()),
        _ => None,
    })
    .await;
    assert_eq!(refreshed.avatar_url.as_deref(), Some("https://pps.example/new.jpg"));
    assert_eq!(refreshed.unread_count, 2);

    let media = mc.fire(Inbound::media(common::NUMBER)).await.unwrap();
    assert_eq!(media.status, 200);
    let m = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { message, .. } => Some(message.clone()),
        _ => None,
    })
    .await;
    assert_eq!(m.media_url.as_deref(), media.payload["image"].as_str());
    assert_ne!(m.kind, MessageKind::Text);

    let group = mc.fire(Inbound::group_text(common::NUMBER, "bom dia grupo")).await.unwrap();
    assert_eq!(group.status, 200);
    let (gid, gm) = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, message } => Some((conversation_id.clone(), message.clone())),
        _ => None,
    })
    .await;
    assert_eq!(gm.sender_name.as_deref(), group.payload["sender_name"].as_str());
    let gc = h.inbox.get_conversation(&gid).await.unwrap();
    assert_eq!(gc.kind, ConversationKind::Group);
    assert_eq!(gc.title, group.payload["group_name"].as_str().unwrap());

    let gmedia = mc
        .fire(
            Inbound::group_media(common::NUMBER)
                .with_group(group.payload["from"].as_str().unwrap(), group.payload["group_name"].as_str().unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(gmedia.status, 200, "{}", gmedia.response);
    assert_eq!(gmedia.payload["sender"], serde_json::Value::Null);
    let (gid2, _) = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, message } => Some((conversation_id.clone(), message.clone())),
        _ => None,
    })
    .await;
    assert_eq!(gid2, gid, "group media lands in the same group conversation");

    // Duplicate delivery: same payload again stores nothing new.
    let dup = mc.fire_raw(common::NUMBER, text.payload.to_string()).await.unwrap();
    assert_eq!(dup.status, 200);
    assert!(dup.response.contains("duplicate"));
    let page = h.inbox.list_messages(&conversation_id, None, None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    let all = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap();
    assert_eq!(all.items.len(), 3, "customer, media sender, group");
}

async fn conversation_with(h: &common::Harness, sim: &inbox_sim::SimHandle, inbound: Inbound) -> String {
    let mut events = h.inbox.subscribe();
    let fired = sim.mconnect().fire(inbound).await.unwrap();
    assert_eq!(fired.status, 200);
    common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, .. } => Some(conversation_id.clone()),
        _ => None,
    })
    .await
}

async fn outcome(
    events: &mut tokio::sync::broadcast::Receiver<Event>,
    id: &str,
) -> (DeliveryStatus, Option<String>, Option<String>) {
    common::next_event(events, |e| match e {
        Event::MessageStatusChanged { message_id, status, provider_message_id, error, .. } if message_id == id => {
            Some((*status, provider_message_id.clone(), error.clone()))
        }
        _ => None,
    })
    .await
}

#[tokio::test]
async fn replies_reach_the_simulator_as_documented_json() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let person = conversation_with(&h, &sim, Inbound::text(common::NUMBER, "oi").with_from("5511987654321")).await;
    let mut events = h.inbox.subscribe();
    sim.clear_requests();

    let text = "Claro! Ele sai \"hoje\"\ncom entrega expressa.";
    let stored = h.inbox.send_message(&person, SendMessage::text(text)).await.unwrap();
    assert_eq!(stored.status, DeliveryStatus::Pending, "stored before the network call");
    let (status, provider_id, error) = outcome(&mut events, &stored.id).await;
    assert_eq!(status, DeliveryStatus::Sent, "{error:?}");
    assert!(provider_id.unwrap().starts_with("true_5511987654321@c.us_"));

    let file = SendMessage {
        kind: MessageKind::Image,
        body: None,
        media_url: Some("https://example.com/test.jpeg".into()),
        caption: Some("demo".into()),
        ..SendMessage::default()
    };
    let stored_file = h.inbox.send_message(&person, file).await.unwrap();
    let (status, _, error) = outcome(&mut events, &stored_file.id).await;
    assert_eq!(status, DeliveryStatus::Sent, "the documented invalid-JSON success answer is accepted: {error:?}");

    let bodies: Vec<_> = sim.requests().into_iter().filter_map(|r| r.body).collect();
    assert_eq!(
        bodies,
        vec![
            json!({"operation":"wp_instance","moduleType":"wp_instance","api_type":"web","element_data":{
                "action":"sendWhatsappText","from":common::NUMBER,"to":"5511987654321","message":text,
                "is_group":"0","company":"cal4care","username":"agent1"}}),
            json!({"operation":"wp_instance","moduleType":"wp_instance","api_type":"web","element_data":{
                "action":"sendWhatsappFile","from":common::NUMBER,"to":"5511987654321",
                "file_url":"https://example.com/test.jpeg","caption":"demo","filename":"test.jpeg",
                "is_group":"0","company":"cal4care","username":"agent1"}}),
        ]
    );

    let group = conversation_with(
        &h,
        &sim,
        Inbound::group_text(common::NUMBER, "oi grupo").with_group("6582986675-1502710128", "cal4care"),
    )
    .await;
    sim.clear_requests();
    let g = h.inbox.send_message(&group, SendMessage::text("Bom dia a todos")).await.unwrap();
    assert_eq!(outcome(&mut events, &g.id).await.0, DeliveryStatus::Sent);
    let body = sim.requests().remove(0).body.unwrap();
    assert_eq!(body["element_data"]["is_group"], "1");
    assert_eq!(body["element_data"]["from"], "6582986675-1502710128");
    assert_eq!(body["element_data"]["to"], common::NUMBER);
}

#[tokio::test]
async fn a_refused_send_is_failed_with_a_readable_reason() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let person = conversation_with(&h, &sim, Inbound::text(common::NUMBER, "oi")).await;
    let mut events = h.inbox.subscribe();
    sim.mconnect().fail_next_sends(1);
    let stored = h.inbox.send_message(&person, SendMessage::text("isto falha")).await.unwrap();
    let (status, _, error) = outcome(&mut events, &stored.id).await;
    assert_eq!(status, DeliveryStatus::Failed);
    assert!(error.as_deref().unwrap().contains("not-sent"), "{error:?}");
    let kept = h.inbox.list_messages(&person, None, None).await.unwrap().items.remove(0);
    assert_eq!(kept.id, stored.id, "the failed message is kept, not dropped");
    assert_eq!(kept.status, DeliveryStatus::Failed);
    assert_eq!(kept.body.as_deref(), Some("isto falha"));
}

#[tokio::test]
async fn bad_outbound_input_is_refused_before_storing() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let person = conversation_with(&h, &sim, Inbound::text(common::NUMBER, "oi")).await;
    for (input, needle) in [
        (SendMessage::text("   "), "empty"),
        (SendMessage::text("x".repeat(4097)), "longer"),
        (
            SendMessage {
                kind: MessageKind::File,
                body: None,
                media_url: Some("file:///etc/passwd".into()),
                ..SendMessage::default()
            },
            "http",
        ),
        (SendMessage { kind: MessageKind::File, ..SendMessage::default() }, "URL"),
    ] {
        let err = h.inbox.send_message(&person, input).await.unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(err.public_message().contains(needle), "{err}");
    }
    assert_eq!(h.inbox.send_message("missing", SendMessage::text("x")).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.list_messages(&person, None, None).await.unwrap().items.len(), 1);
}
