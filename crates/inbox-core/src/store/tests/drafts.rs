//! Drafts and internal notes: a draft round-trips and survives a restart, sending (or adding a
//! note) deletes it in the same transaction, and a note is stored flagged, never pending, never
//! unread, out of the `external_history` document, and leaves the list's preview alone.

use super as common;

use crate::exchange::InboundMessage;
use crate::store::Ingested;
use crate::{DeliveryStatus, Direction, DraftInput, Event, MessageKind, NewNote, SendMessage};

/// A conversation with one inbound message from the customer; answers (account, conversation, message).
async fn conversation(h: &common::Harness) -> (String, String, String) {
    let account = common::mconnect_account(h).await;
    let msg = InboundMessage::text("5511988887777", "in-1", "Oi, meu pedido 4821 não chegou", chrono::Utc::now());
    match h.inbox.store().ingest_inbound(&account, "{}", &msg).await.unwrap() {
        Ingested::New { conversation_id, message_id } => (account, conversation_id, message_id),
        Ingested::Duplicate => unreachable!(),
    }
}

fn draft(body: &str) -> DraftInput {
    DraftInput { body: Some(body.into()), ..DraftInput::default() }
}

fn drain(rx: &mut tokio::sync::broadcast::Receiver<Event>) -> Vec<Event> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
}

fn draft_events(events: &[Event]) -> Vec<Option<String>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::DraftChanged { draft, .. } => Some(draft.as_ref().map(|d| d.body.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_draft_round_trips_with_its_quote_attachments_and_mode() {
    let h = common::inbox().await;
    let (_, conversation_id, quoted) = conversation(&h).await;
    let mut events = h.inbox.subscribe();
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap(), None);

    let input = DraftInput {
        body: Some("  Olá! Vou verificar o pedido\n".into()),
        quoted_message_id: Some(quoted.clone()),
        media_ids: vec!["media-1".into(), "media-2".into()],
        note: false,
    };
    let saved = h.inbox.save_draft(&conversation_id, input).await.unwrap().expect("stored");
    let read = h.inbox.get_draft(&conversation_id).await.unwrap().expect("kept");
    assert_eq!(read, saved);
    assert_eq!(read.body, "  Olá! Vou verificar o pedido\n", "kept as typed");
    assert_eq!(read.quoted_message_id.as_deref(), Some(quoted.as_str()));
    assert_eq!(read.media_ids, ["media-1", "media-2"], "attachments come back unchanged");

    // The list shows it.
    let summary = h.inbox.get_conversation(&conversation_id).await.unwrap();
    let preview = summary.draft.expect("Draft: in the list");
    assert_eq!(preview.text, "Olá! Vou verificar o pedido");
    assert_eq!(preview.media, 2);
    assert!(!preview.note);

    // Saving again replaces it; an empty draft deletes it.
    h.inbox.save_draft(&conversation_id, draft("outra coisa")).await.unwrap();
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap().unwrap().body, "outra coisa");
    assert_eq!(h.inbox.save_draft(&conversation_id, draft(" \n ")).await.unwrap(), None);
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap(), None);
    assert!(h.inbox.get_conversation(&conversation_id).await.unwrap().draft.is_none());
    // Clearing what is not there changes nothing and says nothing.
    h.inbox.clear_draft(&conversation_id).await.unwrap();

    let seen = draft_events(&drain(&mut events));
    assert_eq!(
        seen,
        [Some("  Olá! Vou verificar o pedido\n".to_string()), Some("outra coisa".to_string()), None],
        "each change is announced once"
    );
}

#[tokio::test]
async fn bad_drafts_are_refused_and_lose_nothing() {
    let h = common::inbox().await;
    let (_, conversation_id, _) = conversation(&h).await;
    h.inbox.save_draft(&conversation_id, draft("guardado")).await.unwrap();

    let too_long = draft(&"a".repeat(crate::MAX_DRAFT_CHARS + 1));
    assert_eq!(h.inbox.save_draft(&conversation_id, too_long).await.unwrap_err().code(), "invalid_input");
    let blank_media = DraftInput { media_ids: vec![" ".into()], ..draft("x") };
    assert_eq!(h.inbox.save_draft(&conversation_id, blank_media).await.unwrap_err().code(), "invalid_input");
    let missing_quote = DraftInput { quoted_message_id: Some("nope".into()), ..draft("x") };
    assert_eq!(h.inbox.save_draft(&conversation_id, missing_quote).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.save_draft("no-such-conversation", draft("x")).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.get_draft("no-such-conversation").await.unwrap_err().code(), "not_found");

    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap().unwrap().body, "guardado");
}

#[tokio::test]
async fn a_draft_survives_closing_and_reopening_the_database() {
    let h = common::inbox().await;
    let (_, conversation_id, quoted) = conversation(&h).await;
    let input = DraftInput {
        body: Some("Amanhã cedo".into()),
        quoted_message_id: Some(quoted.clone()),
        media_ids: vec!["m-9".into()],
        note: true,
    };
    let saved = h.inbox.save_draft(&conversation_id, input).await.unwrap().unwrap();
    h.inbox.shutdown().await;

    let reopened = common::open(&h.dir).await;
    assert_eq!(reopened.get_draft(&conversation_id).await.unwrap(), Some(saved));
    let preview = reopened.get_conversation(&conversation_id).await.unwrap().draft.unwrap();
    assert!(preview.note);
    reopened.shutdown().await;
}

#[tokio::test]
async fn sending_deletes_the_draft_with_the_stored_message() {
    let h = common::inbox().await;
    let (_, conversation_id, _) = conversation(&h).await;
    h.inbox.save_draft(&conversation_id, draft("Seu pedido sai hoje")).await.unwrap();
    let mut events = h.inbox.subscribe();

    // The provider is unreachable: the message is stored anyway (then fails), and the draft went
    // with the store.
    let sent = h.inbox.send_message(&conversation_id, SendMessage::text("Seu pedido sai hoje")).await.unwrap();
    assert_eq!(sent.status, DeliveryStatus::Pending);
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap(), None);
    assert!(h.inbox.get_conversation(&conversation_id).await.unwrap().draft.is_none());
    let seen = drain(&mut events);
    assert_eq!(draft_events(&seen), [None]);
    let summary = seen.iter().find_map(|e| match e {
        Event::ConversationUpdated { conversation } => Some(conversation.clone()),
        _ => None,
    });
    assert!(summary.expect("the list is told").draft.is_none());

    // A send the engine refuses (an empty text) leaves the draft where it was.
    h.inbox.save_draft(&conversation_id, draft("ainda aqui")).await.unwrap();
    assert!(h.inbox.send_message(&conversation_id, SendMessage::text("")).await.is_err());
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap().unwrap().body, "ainda aqui");
}

#[tokio::test]
async fn a_note_is_stored_flagged_and_never_pending_unread_or_in_the_preview() {
    let h = common::inbox().await;
    let (_, conversation_id, quoted) = conversation(&h).await;
    let store = h.inbox.store();
    h.inbox.mark_read(&conversation_id).await.unwrap();
    let before = h.inbox.get_conversation(&conversation_id).await.unwrap();
    h.inbox.save_draft(&conversation_id, DraftInput { note: true, ..draft("Cliente VIP") }).await.unwrap();
    let mut events = h.inbox.subscribe();

    let note = h
        .inbox
        .add_note(
            &conversation_id,
            NewNote { body: "Cliente VIP: ligar antes das 18h\n".into(), reply_to: Some(quoted) },
        )
        .await
        .unwrap();
    assert!(note.note);
    assert_eq!(note.direction, Direction::Outbound);
    assert_eq!(note.kind, MessageKind::Text);
    assert_eq!(note.body.as_deref(), Some("Cliente VIP: ligar antes das 18h"));
    assert_ne!(note.status, DeliveryStatus::Pending);
    assert_eq!(note.provider_message_id, None);

    let seen = drain(&mut events);
    assert!(
        seen.iter().any(|e| matches!(e, Event::MessageAdded { message, .. } if message.id == note.id && message.note))
    );
    assert_eq!(draft_events(&seen), [None], "the draft became the note");
    assert_eq!(h.inbox.get_draft(&conversation_id).await.unwrap(), None);

    // Not unread, same preview, same place in the list, same 24-hour window.
    let after = h.inbox.get_conversation(&conversation_id).await.unwrap();
    assert_eq!(after.unread_count, 0);
    assert_eq!(after.last_activity_at, before.last_activity_at);
    assert_eq!(after.last_message.as_ref().unwrap().preview, before.last_message.as_ref().unwrap().preview);
    assert_eq!(after.last_message.as_ref().unwrap().direction, Direction::Inbound);
    assert_eq!(after.window_expires_at, before.window_expires_at);

    // In the timeline with its flag; ordinary messages are not notes.
    let listed = h.inbox.list_messages(&conversation_id, None, None).await.unwrap().items;
    let notes: Vec<&str> = listed.iter().filter(|m| m.note).map(|m| m.id.as_str()).collect();
    assert_eq!(notes, [note.id.as_str()]);

    // The provider's history document leaves it out; a restart does not turn it into a failed send.
    let history = store.history(&conversation_id, 500).await.unwrap();
    assert!(history.iter().all(|m| !m.note && m.id != note.id), "{history:?}");
    assert_eq!(history.len(), 1);
    assert_eq!(store.fail_interrupted_sends().await.unwrap(), 0);
    assert_eq!(store.get_message(&note.id).await.unwrap().status, note.status);
}

#[tokio::test]
async fn an_empty_note_or_a_quote_from_elsewhere_is_refused() {
    let h = common::inbox().await;
    let (account, conversation_id, _) = conversation(&h).await;
    let other = InboundMessage::text("5511977776666", "in-2", "outra conversa", chrono::Utc::now());
    let Ingested::New { message_id: elsewhere, .. } =
        h.inbox.store().ingest_inbound(&account, "{}", &other).await.unwrap()
    else {
        unreachable!()
    };
    let note = |body: &str, reply_to: Option<String>| NewNote { body: body.into(), reply_to };
    assert_eq!(h.inbox.add_note(&conversation_id, note(" \n", None)).await.unwrap_err().code(), "invalid_input");
    assert_eq!(
        h.inbox.add_note(&conversation_id, note("x", Some(elsewhere))).await.unwrap_err().code(),
        "invalid_input"
    );
    let long = "a".repeat(crate::MAX_NOTE_CHARS + 1);
    assert_eq!(h.inbox.add_note(&conversation_id, note(&long, None)).await.unwrap_err().code(), "invalid_input");
    assert_eq!(h.inbox.add_note("no-such-conversation", note("x", None)).await.unwrap_err().code(), "not_found");
    let listed = h.inbox.list_messages(&conversation_id, None, None).await.unwrap().items;
    assert!(listed.iter().all(|m| !m.note));
}
