//! Internal notes never reach a provider: over loopback against the simulator, a note leaves no
//! request behind while a normal reply does, and the `external_history` document ZChat/Omnize
//! read leaves notes out. A draft is deleted by the send that carries it.

mod common;

use inbox_core::{DeliveryStatus, DraftInput, Event, NewAccount, NewNote, Provider, SendMessage, StartConversation};
use inbox_sim::Inbound;
use inbox_sim::zchat::{DEFAULT_TOKEN, WhatsappAnswer};
use serde_json::json;

const NOTE: &str = "Nota interna: cliente VIP, não oferecer desconto";

/// Whether any request the simulator recorded carries `needle` (path or body).
fn recorded(sim: &inbox_sim::SimHandle, needle: &str) -> bool {
    sim.requests()
        .iter()
        .any(|r| r.path.contains(needle) || r.body.as_ref().is_some_and(|b| b.to_string().contains(needle)))
}

async fn delivered(events: &mut tokio::sync::broadcast::Receiver<Event>, id: &str) -> DeliveryStatus {
    common::next_event(events, |e| match e {
        Event::MessageStatusChanged { message_id, status, .. } if message_id == id => Some(*status),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_note_never_reaches_the_simulator_while_a_reply_does() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    let mut events = h.inbox.subscribe();
    let fired = sim.mconnect().fire(Inbound::text(common::NUMBER, "oi").with_from("5511987654321")).await.unwrap();
    assert_eq!(fired.status, 200);
    let conversation = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { conversation_id, .. } => Some(conversation_id.clone()),
        _ => None,
    })
    .await;
    sim.clear_requests();

    // The note is stored and announced...
    h.inbox
        .save_draft(&conversation, DraftInput { body: Some(NOTE.into()), note: true, ..DraftInput::default() })
        .await
        .unwrap();
    let note = h.inbox.add_note(&conversation, NewNote { body: NOTE.into(), reply_to: None }).await.unwrap();
    assert!(note.note);
    let announced = common::next_event(&mut events, |e| match e {
        Event::MessageAdded { message, .. } if message.id == note.id => Some(message.clone()),
        _ => None,
    })
    .await;
    assert!(announced.note);
    assert_eq!(h.inbox.get_draft(&conversation).await.unwrap(), None);

    // ...and a reply after it reaches the provider; by then the note would have too.
    h.inbox
        .save_draft(&conversation, DraftInput { body: Some("Já verifico".into()), ..DraftInput::default() })
        .await
        .unwrap();
    let reply = h.inbox.send_message(&conversation, SendMessage::text("Já verifico")).await.unwrap();
    assert_eq!(delivered(&mut events, &reply.id).await, DeliveryStatus::Sent);
    assert_eq!(h.inbox.get_draft(&conversation).await.unwrap(), None, "the send took the draft with it");

    let bodies: Vec<_> = sim.requests().into_iter().filter_map(|r| r.body).collect();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["element_data"]["message"], "Já verifico");
    assert!(!recorded(&sim, "Nota interna"), "a note reached the provider");

    // A restart leaves the note as it was: it is never taken for an interrupted send.
    h.inbox.shutdown().await;
    let reopened = common::open(&h.dir, h.secrets.clone()).await;
    let kept = reopened.list_messages(&conversation, None, None).await.unwrap().items;
    let kept_note = kept.iter().find(|m| m.id == note.id).unwrap();
    assert!(kept_note.note);
    assert_eq!(kept_note.status, note.status);
    assert!(!recorded(&sim, "Nota interna"));
    reopened.shutdown().await;
}

#[tokio::test]
async fn the_history_zchat_reads_leaves_notes_out() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = h
        .inbox
        .create_account(NewAccount {
            provider: Provider::Omnize,
            name: "Omnize".into(),
            settings: json!({"base_url": sim.zchat_url(), "department_id": "2"}).as_object().unwrap().clone(),
            secrets: [("token".to_string(), serde_json::from_value(json!(DEFAULT_TOKEN)).unwrap())].into(),
        })
        .await
        .unwrap();
    sim.zchat().set_webhook(account.webhook_url.as_deref().unwrap());
    let zc = sim.zchat();
    let mut events = h.inbox.subscribe();

    let started = h
        .inbox
        .start_conversation(StartConversation {
            account_id: account.id.clone(),
            to: "5511987654321".into(),
            name: Some("Carlos Lima".into()),
            message: Some(SendMessage::text("Oi, quero falar com vendas")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let note = h.inbox.add_note(&started.id, NewNote { body: NOTE.into(), reply_to: None }).await.unwrap();
    assert!(note.note);

    // The next message makes the provider read the history again.
    zc.set_whatsapp_answer(WhatsappAnswer::Plain);
    let second = h.inbox.send_message(&started.id, SendMessage::text("Quero o plano anual")).await.unwrap();
    assert_eq!(delivered(&mut events, &second.id).await, DeliveryStatus::Sent);
    let fetched = zc.history_fetches().last().cloned().expect("the provider read the history");
    assert_eq!(fetched.status, Some(200));
    let history = fetched.body.unwrap();
    let contents: Vec<&str> =
        history["messages"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(contents, ["Oi, quero falar com vendas"], "{history}");
    assert!(!recorded(&sim, "Nota interna"), "a note reached the provider");
    // The document, read again now, still leaves it out.
    let again: serde_json::Value = reqwest::get(&fetched.url).await.unwrap().json().await.unwrap();
    assert!(!again.to_string().contains("Nota interna"), "{again}");
}
