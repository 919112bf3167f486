//! Canned responses and settings, in the store and the engine: create, edit, delete, a shortcut
//! taken twice, the seeded examples (once only), and placeholders filled from a conversation.

use super as common;

use chrono::Utc;

use crate::exchange::{InboundContact, InboundMessage, WebhookEvent};
use crate::{AppSettingsPatch, CannedResponseInput, ContactPatch, ConversationFilter};

fn input(shortcut: &str, body: &str) -> CannedResponseInput {
    CannedResponseInput { shortcut: Some(shortcut.into()), body: Some(body.into()) }
}

/// A customer message from `number` named `name`; answers its conversation's id.
async fn conversation(h: &common::Harness, account_id: &str, number: &str, name: Option<&str>) -> String {
    let mut m = InboundMessage::text(number, format!("in-{number}"), "Oi", Utc::now());
    m.title = name.unwrap_or(number).into();
    m.contact =
        Some(InboundContact { external_id: number.into(), display_name: name.map(str::to_owned), avatar_url: None });
    h.inbox.store().apply_events(account_id, Some("{}"), &[WebhookEvent::Message(Box::new(m))]).await.unwrap();
    let page = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap();
    page.items.into_iter().find(|c| c.title == name.unwrap_or(number)).expect("the conversation").id
}

#[tokio::test]
async fn create_edit_delete_and_list_by_shortcut() {
    let h = common::inbox().await;
    let seeded = h.inbox.list_canned_responses().await.unwrap().len();

    let a = h.inbox.create_canned_response(input("/zz-refund", "  Your refund is on its way.  ")).await.unwrap();
    assert_eq!(a.shortcut, "zz-refund", "the slash is dropped");
    assert_eq!(a.body, "Your refund is on its way.", "the text is trimmed");
    let b = h.inbox.create_canned_response(input("zz-address", "Our address: Rua A, 10.")).await.unwrap();

    let list = h.inbox.list_canned_responses().await.unwrap();
    assert_eq!(list.len(), seeded + 2);
    let mine: Vec<_> = list.iter().filter(|c| c.shortcut.starts_with("zz-")).map(|c| c.shortcut.as_str()).collect();
    assert_eq!(mine, vec!["zz-address", "zz-refund"], "sorted by shortcut");

    let edited = h
        .inbox
        .update_canned_response(&a.id, CannedResponseInput { body: Some("Refund sent.".into()), shortcut: None })
        .await
        .unwrap();
    assert_eq!((edited.shortcut.as_str(), edited.body.as_str()), ("zz-refund", "Refund sent."));
    assert!(edited.updated_at >= a.updated_at);
    let renamed = h.inbox.update_canned_response(&a.id, input("ZZ-Refund", "Refund sent.")).await.unwrap();
    assert_eq!(renamed.shortcut, "ZZ-Refund", "its own shortcut in another case is not a clash");

    h.inbox.delete_canned_response(&b.id).await.unwrap();
    assert_eq!(h.inbox.delete_canned_response(&b.id).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.update_canned_response(&b.id, input("x", "y")).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.list_canned_responses().await.unwrap().len(), seeded + 1);

    // Bad input is refused with the reason, and nothing changes.
    let e = h.inbox.create_canned_response(input("two words", "x")).await.unwrap_err();
    assert_eq!((e.code(), e.body().key.as_str()), ("invalid_input", "canned.shortcut_invalid"));
    let e = h.inbox.update_canned_response(&a.id, CannedResponseInput { body: Some(" ".into()), shortcut: None });
    assert_eq!(e.await.unwrap_err().body().key, "canned.body_empty");
    assert_eq!(h.inbox.list_canned_responses().await.unwrap().len(), seeded + 1);
}

#[tokio::test]
async fn a_shortcut_is_used_once_regardless_of_case() {
    let h = common::inbox().await;
    let a = h.inbox.create_canned_response(input("thanks", "Thank you!")).await.unwrap();
    let e = h.inbox.create_canned_response(input("/THANKS", "Obrigado!")).await.unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert_eq!(e.body().key, "canned.shortcut_taken");
    assert_eq!(e.body().params.get("shortcut").map(String::as_str), Some("THANKS"));
    assert!(e.to_string().contains("/THANKS is already used"), "{e}");

    let b = h.inbox.create_canned_response(input("thanks2", "Obrigado!")).await.unwrap();
    let e = h.inbox.update_canned_response(&b.id, input("Thanks", "Obrigado!")).await.unwrap_err();
    assert_eq!(e.body().key, "canned.shortcut_taken");
    // The refused edit lost nothing.
    let kept = h.inbox.store().get_canned_response(&b.id).await.unwrap();
    assert_eq!((kept.shortcut.as_str(), kept.body.as_str()), ("thanks2", "Obrigado!"));
    // A seeded example's shortcut is taken too.
    assert_eq!(
        h.inbox.create_canned_response(input("Greeting", "x")).await.unwrap_err().body().key,
        "canned.shortcut_taken"
    );
    assert_eq!(h.inbox.store().get_canned_response(&a.id).await.unwrap().body, "Thank you!");
}

#[tokio::test]
async fn examples_are_seeded_once_and_stay_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = common::open(&dir).await;
    let list = inbox.list_canned_responses().await.unwrap();
    let shortcuts: Vec<_> = list.iter().map(|c| c.shortcut.as_str()).collect();
    for s in ["greeting", "order", "closing", "away", "ola", "pedido", "encerramento", "ausente"] {
        assert!(shortcuts.contains(&s), "{s} is seeded: {shortcuts:?}");
    }
    assert!(list.iter().any(|c| c.body.contains("{{first_name}}")));
    let greeting = list.iter().find(|c| c.shortcut == "greeting").unwrap().id.clone();
    inbox.delete_canned_response(&greeting).await.unwrap();
    inbox.shutdown().await;

    // A restart (the migrations run again) does not bring it back nor add the others twice.
    let inbox = common::open(&dir).await;
    let after = inbox.list_canned_responses().await.unwrap();
    assert_eq!(after.len(), list.len() - 1);
    assert!(after.iter().all(|c| c.shortcut != "greeting"));
    inbox.shutdown().await;
}

#[tokio::test]
async fn the_agent_name_is_a_setting_kept_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = common::open(&dir).await;
    assert_eq!(inbox.get_settings().await.unwrap().agent_name, None);
    let s = inbox.update_settings(AppSettingsPatch { agent_name: Some("  Marta Reis ".into()) }).await.unwrap();
    assert_eq!(s.agent_name.as_deref(), Some("Marta Reis"));
    // An absent field is kept.
    let s = inbox.update_settings(AppSettingsPatch::default()).await.unwrap();
    assert_eq!(s.agent_name.as_deref(), Some("Marta Reis"));
    let e = inbox.update_settings(AppSettingsPatch { agent_name: Some("x".repeat(101)) }).await.unwrap_err();
    assert_eq!(e.body().key, "settings.agent_name_too_long");
    inbox.shutdown().await;

    let inbox = common::open(&dir).await;
    assert_eq!(inbox.get_settings().await.unwrap().agent_name.as_deref(), Some("Marta Reis"));
    // An empty one clears it.
    let s = inbox.update_settings(AppSettingsPatch { agent_name: Some(" ".into()) }).await.unwrap();
    assert_eq!(s.agent_name, None);
    inbox.shutdown().await;
}

#[tokio::test]
async fn placeholders_are_filled_from_the_conversation() {
    let h = common::inbox().await;
    let account = common::mconnect_account(&h).await;
    let juliana = conversation(&h, &account, "5511988887777", Some("Juliana Costa")).await;
    let unnamed = conversation(&h, &account, "5511966665555", None).await;
    let canned = h
        .inbox
        .create_canned_response(input("hi", "Hi {{first_name}} ({{name}}), {{agent}} here; we will call {{phone}}."))
        .await
        .unwrap();

    // No agent name yet: {{agent}} stays as written, and is listed.
    let out = h.inbox.fill_canned_response(&canned.id, &juliana).await.unwrap();
    assert_eq!(out.text, "Hi Juliana (Juliana Costa), {{agent}} here; we will call +5511988887777.");
    assert_eq!(out.unfilled, vec!["agent"]);

    h.inbox.update_settings(AppSettingsPatch { agent_name: Some("Marta".into()) }).await.unwrap();
    let out = h.inbox.fill_canned_response(&canned.id, &juliana).await.unwrap();
    assert_eq!(out.text, "Hi Juliana (Juliana Costa), Marta here; we will call +5511988887777.");
    assert!(out.unfilled.is_empty());

    // The agents' own name for the contact comes first.
    let contact = h.inbox.get_conversation(&juliana).await.unwrap().contact_id.expect("a contact");
    h.inbox
        .update_contact(&contact, ContactPatch { custom_name: Some("Ju Costa".into()), ..ContactPatch::default() })
        .await
        .unwrap();
    let out = h.inbox.fill_canned_response(&canned.id, &juliana).await.unwrap();
    assert!(out.text.starts_with("Hi Ju (Ju Costa), Marta here"), "{}", out.text);

    // A contact known only by number has no name: those placeholders stay, the phone is filled.
    let out = h.inbox.fill_canned_response(&canned.id, &unnamed).await.unwrap();
    assert_eq!(out.text, "Hi {{first_name}} ({{name}}), Marta here; we will call +5511966665555.");
    assert_eq!(out.unfilled, vec!["first_name", "name"]);

    assert_eq!(h.inbox.fill_canned_response("nope", &juliana).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.fill_canned_response(&canned.id, "nope").await.unwrap_err().code(), "not_found");
}
