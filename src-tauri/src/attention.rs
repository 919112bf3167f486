//! Getting the agent's attention: engine events go to the window as `inbox://event`; an inbound
//! message while the window is not focused raises a native notification, and coming back to the
//! app then opens that conversation (`inbox://open-conversation`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use inbox_core::{ConversationKind, ConversationSummary, Event, Inbox, Message, MessageKind};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_notification::NotificationExt;

pub(crate) const EVENT: &str = "inbox://event";
pub(crate) const OPEN_CONVERSATION: &str = "inbox://open-conversation";

#[derive(Default)]
struct Attention {
    focused: AtomicBool,
    /// The conversation of the last notification, opened when the agent comes back.
    pending: Mutex<Option<String>>,
}

#[derive(Clone, Serialize)]
struct OpenConversation {
    conversation_id: String,
}

pub(crate) fn watch<R: Runtime>(app: AppHandle<R>, inbox: Inbox) {
    let focused = app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false);
    app.manage(Attention { focused: AtomicBool::new(focused), pending: Mutex::default() });
    let mut events = inbox.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => forward(&app, &inbox, &event).await,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the window fell behind the engine's events");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

async fn forward<R: Runtime>(app: &AppHandle<R>, inbox: &Inbox, event: &Event) {
    if let Err(e) = app.emit(EVENT, event) {
        tracing::warn!(error = %e, "could not forward an event to the window");
    }
    let Some((conversation_id, message)) = notification_for(event) else { return };
    let attention = app.state::<Attention>();
    if attention.focused.load(Ordering::Relaxed) || blocked(inbox, message).await {
        return;
    }
    let conversation = inbox.get_conversation(conversation_id).await.ok();
    let title = notification_title(message.sender_name.as_deref(), conversation.as_ref());
    if let Err(e) = app.notification().builder().title(title).body(notification_body(message)).show() {
        tracing::warn!(error = %e, "could not show a notification");
    }
    *attention.pending.lock().expect("attention lock") = Some(conversation_id.to_owned());
}

/// The conversation and message a notification is about: an inbound message a person wrote.
fn notification_for(event: &Event) -> Option<(&str, &Message)> {
    match (event, event.inbound_message()) {
        (Event::MessageAdded { conversation_id, .. }, Some(message)) if written_by_a_person(message.kind) => {
            Some((conversation_id, message))
        }
        _ => None,
    }
}

/// Whether the agents blocked notifications from the message's contact (the contact panel's
/// "block from notifications"). If the engine cannot tell, the notification is shown.
async fn blocked(inbox: &Inbox, message: &Message) -> bool {
    match inbox.notifications_blocked(&message.id).await {
        Ok(blocked) => blocked,
        Err(e) => {
            tracing::warn!(error = %e, "could not tell whether a contact's notifications are blocked");
            false
        }
    }
}

/// Whether a message of this kind is something a person wrote, and so worth a notification.
/// Conversation events (queued, accepted, transferred...) and provider events the inbox does not
/// understand show in the conversation but do not call the agent back.
fn written_by_a_person(kind: MessageKind) -> bool {
    match kind {
        MessageKind::Text
        | MessageKind::Image
        | MessageKind::Video
        | MessageKind::Audio
        | MessageKind::File
        | MessageKind::Sticker
        | MessageKind::Location
        | MessageKind::Template
        | MessageKind::Interactive => true,
        MessageKind::Event | MessageKind::Unrecognised => false,
    }
}

/// Who wrote: the customer, or in a group "member · group".
fn notification_title(sender: Option<&str>, conversation: Option<&ConversationSummary>) -> String {
    match (sender, conversation) {
        (Some(sender), Some(c)) if c.kind == ConversationKind::Group => format!("{sender} · {}", c.title),
        (Some(sender), _) => sender.to_owned(),
        (None, Some(c)) => c.title.clone(),
        (None, None) => "Agent Inbox".into(),
    }
}

/// The notification's text: the message, or what kind of media it is. Some Linux notification
/// daemons read markup in the body, so customer text is escaped to stay text.
fn notification_body(message: &Message) -> String {
    let portuguese = std::env::var("LANG").is_ok_and(|l| l.starts_with("pt"));
    let text = match (message.body.as_deref().or(message.caption.as_deref()), message.kind) {
        (Some(text), _) => text.to_owned(),
        (None, MessageKind::Image) => if portuguese { "📷 Imagem" } else { "📷 Photo" }.into(),
        (None, MessageKind::Video) => if portuguese { "🎬 Vídeo" } else { "🎬 Video" }.into(),
        (None, MessageKind::Audio) => if portuguese { "🎤 Áudio" } else { "🎤 Audio" }.into(),
        (None, MessageKind::Sticker) => if portuguese { "🏷️ Figurinha" } else { "🏷️ Sticker" }.into(),
        (None, MessageKind::Location) => if portuguese { "📍 Localização" } else { "📍 Location" }.into(),
        (None, MessageKind::File) => if portuguese { "📎 Arquivo" } else { "📎 File" }.into(),
        (None, _) => if portuguese { "💬 Mensagem" } else { "💬 Message" }.into(),
    };
    let short: String = text.chars().take(200).collect();
    short.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

pub(crate) fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::Focused(focused) = event else { return };
    let Some(attention) = window.try_state::<Attention>() else { return };
    attention.focused.store(*focused, Ordering::Relaxed);
    if *focused && let Some(conversation_id) = attention.pending.lock().expect("attention lock").take() {
        let _ = window.emit(OPEN_CONVERSATION, OpenConversation { conversation_id });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: Option<&str>, kind: MessageKind) -> Message {
        Message {
            id: "m".into(),
            conversation_id: "c".into(),
            direction: inbox_core::Direction::Inbound,
            sender_name: Some("Ana".into()),
            kind,
            body: body.map(str::to_owned),
            media_url: None,
            caption: None,
            file_name: None,
            provider_message_id: None,
            status: inbox_core::DeliveryStatus::Delivered,
            error: None,
            quoted_message_id: None,
            payload: None,
            deleted_at: None,
            created_at: chrono::Utc::now(),
            reactions: vec![],
            note: false,
        }
    }

    #[test]
    fn group_notifications_name_the_member_and_the_group() {
        let group = ConversationSummary {
            id: "c".into(),
            account_id: "a".into(),
            provider: inbox_core::Provider::Mconnect,
            kind: ConversationKind::Group,
            title: "Clientes VIP".into(),
            avatar_url: None,
            status: inbox_core::ConversationStatus::Open,
            priority: inbox_core::Priority::NORMAL,
            unread_count: 1,
            last_activity_at: chrono::Utc::now(),
            last_message: None,
            tags: vec![],
            capabilities: vec![],
            handoff: None,
            window_expires_at: None,
            assignee: None,
            contact_id: None,
            draft: None,
        };
        assert_eq!(notification_title(Some("Jhones"), Some(&group)), "Jhones · Clientes VIP");
        let person = ConversationSummary { kind: ConversationKind::Individual, title: "Ana".into(), ..group };
        assert_eq!(notification_title(Some("Ana Souza"), Some(&person)), "Ana Souza");
        assert_eq!(notification_title(None, Some(&person)), "Ana");
        assert_eq!(notification_title(None, None), "Agent Inbox");
    }

    #[test]
    fn only_inbound_messages_a_person_writes_raise_notifications() {
        use MessageKind::{Audio, File, Image, Interactive, Location, Sticker, Template, Text, Unrecognised, Video};
        let added = |message: Message| Event::MessageAdded { conversation_id: "c".into(), message };
        for kind in [Text, Image, Video, Audio, File, Sticker, Location, Template, Interactive] {
            let event = added(message(Some("oi"), kind));
            let (conversation_id, about) = notification_for(&event).unwrap_or_else(|| panic!("{kind:?} notifies"));
            assert_eq!((conversation_id, about.kind), ("c", kind));
        }
        for kind in [MessageKind::Event, Unrecognised] {
            assert!(notification_for(&added(message(Some("Na fila: posição 2"), kind))).is_none(), "{kind:?}");
        }
        let outbound = Message { direction: inbox_core::Direction::Outbound, ..message(Some("oi"), Text) };
        assert!(notification_for(&added(outbound)).is_none(), "the agent's own message");
        let typing = Event::Typing { conversation_id: "c".into(), who: None, active: true };
        assert!(notification_for(&typing).is_none());
    }

    /// A blocked contact's messages raise no notification; everyone else's still do.
    #[test]
    fn a_blocked_contacts_messages_raise_no_notification() {
        use inbox_sim::Inbound;
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let inbox = crate::tests::engine(&dir).await;
            let sim = inbox_sim::Simulator::start(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
            let number = "5511900007777";
            inbox
                .create_account(inbox_core::NewAccount {
                    secrets: Default::default(),
                    provider: inbox_core::Provider::Mconnect,
                    name: "Loja".into(),
                    settings: serde_json::json!({"base_url": sim.mconnect_url(), "number": number,
                                                 "company": "acme", "username": "ana"})
                    .as_object()
                    .unwrap()
                    .clone(),
                })
                .await
                .unwrap();
            let mut events = inbox.subscribe();
            let next_inbound = async |events: &mut tokio::sync::broadcast::Receiver<Event>| loop {
                let event =
                    tokio::time::timeout(std::time::Duration::from_secs(10), events.recv()).await.unwrap().unwrap();
                if notification_for(&event).is_some() {
                    return event;
                }
            };
            let fire = async |from: &str, text: &str| {
                let done = sim.mconnect().fire(Inbound::text(number, text).with_from(from)).await.unwrap();
                assert_eq!(done.status, 200, "{}", done.response);
            };

            fire("5521911112222", "Oi, sou a Bia").await;
            let first = next_inbound(&mut events).await;
            let (_, message) = notification_for(&first).unwrap();
            assert!(!blocked(&inbox, message).await, "nobody is blocked yet");
            fire("5521933334444", "Oi, sou o Caio").await;
            let other = next_inbound(&mut events).await;

            let Event::MessageAdded { conversation_id, .. } = &first else { unreachable!() };
            let contact_id = inbox.get_conversation(conversation_id).await.unwrap().contact_id.unwrap();
            let patch = inbox_core::ContactProfilePatch { notifications_blocked: Some(true), ..Default::default() };
            assert!(inbox.update_contact_profile(&contact_id, patch).await.unwrap().notifications_blocked);

            fire("5521911112222", "Mais uma coisa").await;
            let again = next_inbound(&mut events).await;
            let (_, message) = notification_for(&again).unwrap();
            assert_eq!(message.body.as_deref(), Some("Mais uma coisa"));
            assert!(blocked(&inbox, message).await, "the blocked contact's new message");
            assert!(!blocked(&inbox, notification_for(&other).unwrap().1).await, "another contact's message");
            inbox.shutdown().await;
        });
    }

    #[test]
    fn notification_text_is_escaped_and_media_is_named() {
        assert_eq!(
            notification_body(&message(Some("<b>oi</b> & tchau"), MessageKind::Text)),
            "&lt;b&gt;oi&lt;/b&gt; &amp; tchau"
        );
        assert!(notification_body(&message(None, MessageKind::Image)).starts_with("📷"));
        assert!(notification_body(&message(None, MessageKind::Location)).starts_with("📍"));
        assert!(notification_body(&message(None, MessageKind::File)).starts_with("📎"));
        assert_eq!(notification_body(&message(Some(&"x".repeat(500)), MessageKind::Text)).len(), 200);
    }
}
