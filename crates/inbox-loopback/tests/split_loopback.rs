//! A text longer than the provider takes, sent as several messages over loopback: every part is
//! stored first, the simulator receives them one after the other in order, and when one is
//! refused the parts after it are not sent.

mod common;

use inbox_core::{DeliveryStatus, Event, MAX_TEXT_CHARS, SendMessage};
use inbox_sim::Inbound;

async fn conversation_with(h: &common::Harness, sim: &inbox_sim::SimHandle) -> String {
    let mut events = h.inbox.subscribe();
    let fired = sim.mconnect().fire(Inbound::text(common::NUMBER, "oi").with_from("5511987654321")).await.unwrap();
    assert_eq!(fired.status, 200);
    common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, .. } => Some(conversation_id.clone()),
        _ => None,
    })
    .await
}

async fn outcome(events: &mut tokio::sync::broadcast::Receiver<Event>, id: &str) -> (DeliveryStatus, Option<String>) {
    common::next_event(events, |e| match e {
        Event::MessageStatusChanged { message_id, status, error, .. } if message_id == id => {
            Some((*status, error.clone()))
        }
        _ => None,
    })
    .await
}

/// Paragraphs of sentences, `chars` characters or a little more.
fn long_text(chars: usize) -> String {
    let paragraph = "O pedido 4821 foi separado hoje. Ele segue para a transportadora amanhã cedo. ".repeat(12);
    let mut text = String::new();
    while text.chars().count() < chars {
        text.push_str(paragraph.trim());
        text.push_str("\n\n");
    }
    text.trim().to_owned()
}

fn sent_texts(sim: &inbox_sim::SimHandle) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter_map(|r| r.body)
        .filter(|b| b["element_data"]["action"] == "sendWhatsappText")
        .map(|b| b["element_data"]["message"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_long_text_reaches_the_provider_in_parts_in_order() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let person = conversation_with(&h, &sim).await;
    let mut events = h.inbox.subscribe();
    sim.clear_requests();

    let text = long_text(MAX_TEXT_CHARS * 2 + 500);
    // One message this long is refused; split, it goes.
    let refused = h.inbox.send_message(&person, SendMessage::text(text.clone())).await.unwrap_err();
    assert_eq!(refused.body().key, "outbound.too_long");

    let stored = h.inbox.send_split(&person, SendMessage::text(text.clone())).await.unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|m| m.status == DeliveryStatus::Pending), "stored before the network calls");
    for m in &stored {
        assert_eq!(outcome(&mut events, &m.id).await.0, DeliveryStatus::Sent);
    }
    let bodies: Vec<String> = stored.iter().map(|m| m.body.clone().unwrap()).collect();
    assert!(bodies.iter().all(|b| b.chars().count() <= MAX_TEXT_CHARS));
    assert!(bodies.iter().all(|b| !b.starts_with(char::is_whitespace) && b.ends_with('.')), "cut at paragraphs");
    assert_eq!(bodies.join("\n\n"), text, "nothing lost");
    assert_eq!(sent_texts(&sim), bodies, "the provider got the parts in order");

    // In the timeline, in the same order.
    let page = h.inbox.list_messages(&person, None, None).await.unwrap();
    let newest: Vec<String> = page.items.iter().take(3).rev().map(|m| m.id.clone()).collect();
    assert_eq!(newest, stored.iter().map(|m| m.id.clone()).collect::<Vec<_>>());
}

#[tokio::test]
async fn parts_after_a_refused_one_are_not_sent() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let person = conversation_with(&h, &sim).await;
    let mut events = h.inbox.subscribe();
    sim.clear_requests();
    sim.mconnect().fail_next_sends(1);

    let stored = h.inbox.send_split(&person, SendMessage::text(long_text(MAX_TEXT_CHARS + 200))).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(outcome(&mut events, &stored[0].id).await.0, DeliveryStatus::Failed);
    let (status, error) = outcome(&mut events, &stored[1].id).await;
    assert_eq!(status, DeliveryStatus::Failed);
    assert!(error.unwrap().contains("earlier part"));
    assert_eq!(sent_texts(&sim).len(), 1, "only the refused first part reached the provider");
    // Both are kept, to send again.
    let page = h.inbox.list_messages(&person, None, None).await.unwrap();
    assert!(stored.iter().all(|s| page.items.iter().any(|m| m.id == s.id && m.status == DeliveryStatus::Failed)));

    // A split text that is not text is refused before anything is stored.
    let e =
        h.inbox.send_split(&person, SendMessage { kind: inbox_core::MessageKind::Location, ..SendMessage::default() });
    assert_eq!(e.await.unwrap_err().body().key, "split.text_only");
}
