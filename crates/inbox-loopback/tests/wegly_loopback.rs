//! Wegly over loopback: signed webhooks through the engine's receiver, and the store rules the
//! provider leans on (echo before the send's answer, a reused chat, the window moving forward).

mod common;

use std::collections::BTreeMap;

use chrono::Utc;
use inbox_core::exchange::{ChatUpdate, ConversationRef, InboundMessage, OutboundMessage, WebhookEvent};
use inbox_core::{
    Account, ConversationFilter, DeliveryStatus, Direction, Inbox, MessageKind, NewAccount, Provider, SendMessage,
    Sensitive, StartConversation, Template,
};
use inbox_sim::wegly::{DEFAULT_PHONE_ID, DEFAULT_TOKEN};
use inbox_sim::{CustomerMessage, Signing, SimHandle, WeglyEvent};
use serde_json::json;

const SIGNING_SECRET: &str = "wegly-subscription-secret-1";

/// A Wegly account on the simulator for this WhatsApp number id (the webhook is not subscribed).
fn new_account(sim: &SimHandle, name: &str, phone_id: &str) -> NewAccount {
    NewAccount {
        provider: Provider::Wegly,
        name: name.into(),
        settings: json!({ "base_url": sim.wegly_url(), "whatsapp_phone_id": phone_id }).as_object().unwrap().clone(),
        secrets: BTreeMap::from([
            ("token".to_owned(), Sensitive::new(DEFAULT_TOKEN)),
            ("signing_secret".to_owned(), Sensitive::new(SIGNING_SECRET)),
        ]),
    }
}

/// The simulator's Wegly account, subscribed to the account's webhook URL with hex signatures.
async fn wegly_account(inbox: &Inbox, sim: &SimHandle) -> Account {
    let account = inbox.create_account(new_account(sim, "Loja Wegly", DEFAULT_PHONE_ID)).await.unwrap();
    sim.wegly().subscribe(account.webhook_url.clone().unwrap(), SIGNING_SECRET, Signing::Hex);
    account
}

/// Starting a chat with `to`, its first message the template `name` (no fields).
fn start_with_template(account_id: &str, to: &str, name: &str) -> StartConversation {
    let template = Template { name: name.into(), language: "pt_BR".into(), fields: vec![], rendered: None };
    StartConversation {
        account_id: account_id.into(),
        to: to.into(),
        message: Some(SendMessage { kind: MessageKind::Template, template: Some(template), ..SendMessage::default() }),
        ..StartConversation::default()
    }
}

async fn stored_deliveries(h: &common::Harness) -> i64 {
    let pool = h.pool().await;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events").fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

async fn conversations(inbox: &Inbox) -> usize {
    inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items.len()
}

fn customer(wa: &str, text: &str) -> WeglyEvent {
    WeglyEvent::MessageReceived(CustomerMessage {
        wa_contact_id: Some(wa.into()),
        contact_name: Some("Marina".into()),
        text: Some(text.into()),
        ..Default::default()
    })
}

#[tokio::test]
async fn only_correctly_signed_deliveries_are_stored() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly_account(&h.inbox, &sim).await;
    let wegly = sim.wegly();

    // Refused: wrong secret, no header, a body changed after signing. Nothing is stored.
    for signing in [Signing::WrongSecret, Signing::Missing] {
        let fired = wegly.fire_signed(customer("5511911110001", "oi"), Some(signing)).await.unwrap();
        assert_eq!(fired.status, 401, "{signing:?}: {}", fired.response);
        let body: serde_json::Value = serde_json::from_str(&fired.response).unwrap();
        assert_eq!(body["code"], "webhook_unauthorized");
        assert!(!fired.response.contains(SIGNING_SECRET));
    }
    let good = json!({"event_key": "lead.created", "payload": {"lead": {"name": "Ana"}}}).to_string();
    let tampered = good.replace("Ana", "Eva");
    let signature = inbox_sim::wegly::sign(SIGNING_SECRET, good.as_bytes(), Signing::Hex).unwrap();
    let response = reqwest::Client::new()
        .post(account.webhook_url.clone().unwrap())
        .header("content-type", "application/json")
        .header("x-wegly-event", "lead.created")
        .header("x-wegly-signature", &signature)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(conversations(&h.inbox).await, 0);
    assert_eq!(stored_deliveries(&h).await, 0);

    // Accepted: hex (lower and upper), base64 (standard and URL-safe).
    for (n, signing) in [Signing::Hex, Signing::HexUpper, Signing::Base64, Signing::Base64Url].into_iter().enumerate() {
        let fired =
            wegly.fire_signed(customer("5511911110001", &format!("mensagem {n}")), Some(signing)).await.unwrap();
        assert_eq!(fired.status, 200, "{signing:?}: {}", fired.response);
    }
    assert_eq!(conversations(&h.inbox).await, 1);
    assert_eq!(stored_deliveries(&h).await, 4);
    let conversation = &h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0];
    assert_eq!(conversation.title, "Marina");
    assert!(conversation.window_expires_at.unwrap() > Utc::now() + chrono::Duration::hours(23));
    // The signing secret is in the keychain stand-in only.
    assert!(!h.database_contains(SIGNING_SECRET.as_bytes()));
    assert!(!h.database_contains(DEFAULT_TOKEN.as_bytes()));

    // A retry of a stored delivery is acknowledged and stores nothing new.
    let retry = wegly.redeliver().await.unwrap();
    assert_eq!(retry.status, 200);
    assert!(retry.response.contains("duplicate"), "{}", retry.response);
    assert_eq!(stored_deliveries(&h).await, 4);
}

#[tokio::test]
async fn an_echo_stored_before_the_send_answer_folds_into_the_sent_message() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly_account(&h.inbox, &sim).await;
    let fired = sim.wegly().fire(customer("5511911110002", "oi")).await.unwrap();
    let conversation_id = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0].id.clone();
    let store = h.inbox.testing();

    // Deterministically: our message is pending, the echo (with a further status) lands first.
    let ours = OutboundMessage { kind: MessageKind::Text, body: Some("Olá!".into()), ..OutboundMessage::default() };
    let id = store.insert_outbound(&conversation_id, &account.id, &ours).await.unwrap();
    let mut echo = InboundMessage::text(fired.chat_id.clone().unwrap(), "wegly-msg-1", "Olá!", Utc::now());
    echo.direction = Direction::Outbound;
    echo.status = Some(DeliveryStatus::Delivered);
    let applied = store.apply_events(&account.id, Some("{}"), &[WebhookEvent::Message(Box::new(echo))]).await.unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(h.inbox.list_messages(&conversation_id, None, None).await.unwrap().items.len(), 3);
    assert!(store.set_delivery(&id, DeliveryStatus::Sent, Some("wegly-msg-1"), None).await.unwrap());
    let page = h.inbox.list_messages(&conversation_id, None, None).await.unwrap();
    assert_eq!(page.items.len(), 2, "one message for one send");
    let mine = page.items.iter().find(|m| m.id == id).unwrap();
    assert_eq!(mine.provider_message_id.as_deref(), Some("wegly-msg-1"));
    assert_eq!(mine.status, DeliveryStatus::Delivered, "the echo's further status carries over");

    // Over the wire, with Wegly echoing every send at once: whichever arrives first, one message.
    sim.wegly().set_auto_events(true);
    for n in 0..5 {
        h.inbox.send_message(&conversation_id, SendMessage::text(format!("resposta {n}"))).await.unwrap();
    }
    common::until(async || {
        let items = h.inbox.list_messages(&conversation_id, None, None).await.unwrap().items;
        let replies: Vec<_> =
            items.iter().filter(|m| m.body.as_deref().is_some_and(|b| b.starts_with("resposta"))).collect();
        let settled = replies.len() == 5
            && replies.iter().all(|m| m.provider_message_id.is_some() && m.status == DeliveryStatus::Sent)
            && items.iter().filter(|m| m.direction == Direction::Outbound).count() == 6;
        // The customer's message and five echoes have reached the receiver.
        (settled && sim.wegly().settings().delivered == 6).then_some(())
    })
    .await;
    let items = h.inbox.list_messages(&conversation_id, None, None).await.unwrap().items;
    assert_eq!(items.len(), 7, "the customer's, ours stored by hand, five replies: no echo duplicated");
    assert_eq!(sim.wegly().messages(fired.chat_id.as_deref().unwrap()).len(), 6);
}

#[tokio::test]
async fn starting_a_chat_wegly_reuses_joins_the_conversation_the_inbox_has() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly_account(&h.inbox, &sim).await;
    let fired = sim.wegly().fire(customer("5511911110003", "preciso de ajuda")).await.unwrap();
    let known = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0].clone();

    let started =
        h.inbox.start_conversation(start_with_template(&account.id, "+55 11 91111-0003", "retomada")).await.unwrap();
    assert_eq!(started.id, known.id, "the same chat is the same conversation");
    assert_eq!(conversations(&h.inbox).await, 1);
    let messages = h.inbox.list_messages(&known.id, None, None).await.unwrap().items;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].kind, MessageKind::Template);
    assert_eq!(messages[0].status, DeliveryStatus::Sent);
    let sim_chat = sim.wegly().chat(fired.chat_id.as_deref().unwrap()).unwrap();
    assert_eq!(messages[0].provider_message_id.as_deref(), sim_chat["last_message"]["id"].as_str());
}

#[tokio::test]
async fn the_window_never_moves_back() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly_account(&h.inbox, &sim).await;
    sim.wegly().fire(customer("5511911110004", "oi")).await.unwrap();
    let c = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0].clone();
    let later = c.window_expires_at.unwrap();
    let target = h.inbox.conversation_target(&c.id).await.unwrap();
    let earlier = ChatUpdate { window_expires_at: Some(later - chrono::Duration::hours(3)), ..ChatUpdate::default() };
    let event = WebhookEvent::Chat {
        conversation: ConversationRef { external_id: target.external_id.clone(), kind: target.kind, title: None },
        update: earlier,
    };
    h.inbox.testing().apply_events(&account.id, Some("{}"), &[event]).await.unwrap();
    assert_eq!(h.inbox.get_conversation(&c.id).await.unwrap().window_expires_at, Some(later));
}

#[tokio::test]
async fn a_start_wegly_refuses_is_shown_and_the_chat_stays_unopened() {
    let h = common::inbox().await;
    let sim = common::sim();
    let wrong_number = new_account(&sim, "Número errado", "7d0f5b0e-1111-4222-8333-944445555666");
    let account = h.inbox.create_account(wrong_number).await.unwrap();
    let mut events = h.inbox.subscribe();
    let started =
        h.inbox.start_conversation(start_with_template(&account.id, "5511911110005", "boas_vindas")).await.unwrap();
    let first = &h.inbox.list_messages(&started.id, None, None).await.unwrap().items[0];
    assert_eq!(first.status, DeliveryStatus::Failed);
    assert_eq!(first.error.as_deref(), Some("Wegly refused it (HTTP 404): Número de WhatsApp não encontrado."));

    let text = h.inbox.send_message(&started.id, SendMessage::text("oi")).await.unwrap();
    let error = common::next_event(&mut events, |e| match e {
        inbox_core::Event::MessageStatusChanged { message_id, error, .. } if *message_id == text.id => error.clone(),
        _ => None,
    })
    .await;
    assert!(error.contains("never opened this chat"), "{error}");
    assert_eq!(sim.requests().len(), 1, "only the refused create reached Wegly");
}
