//! Contacts and tags in the store and the engine, without any provider call: local edits,
//! pagination and filters, conversation titles, and taking in a provider's tags and contacts.

use super as common;

use chrono::Utc;

use crate::exchange::{AccountRow, InboundContact, InboundMessage};
use crate::exchange::{RemoteContact, RemoteTag, WebhookEvent};
use crate::store::PulledTag;
use crate::{ContactFilter, ContactPatch, ConversationKind, Provider, SyncState, TagInput};
use serde_json::json;

async fn account(h: &common::Harness, provider: Provider) -> String {
    let row = AccountRow {
        id: crate::store::new_id(),
        provider,
        name: format!("{provider:?}"),
        settings: json!({"base_url": "http://127.0.0.1:9/x", "client_identifier": "c", "channel_id": "ch"})
            .as_object()
            .unwrap()
            .clone(),
        demo: false,
        created_at: Utc::now(),
    };
    h.inbox.store().insert_account(&row, &[0u8; 32]).await.unwrap();
    row.id
}

/// A customer message from `number` named `name`: creates the contact and its conversation.
async fn inbound(h: &common::Harness, account_id: &str, number: &str, name: &str, id: &str) {
    let mut m = InboundMessage::text(number, id, "Oi", Utc::now());
    m.title = name.into();
    m.contact = Some(InboundContact { external_id: number.into(), display_name: Some(name.into()), avatar_url: None });
    h.inbox.store().apply_events(account_id, Some("{}"), &[WebhookEvent::Message(Box::new(m))]).await.unwrap();
}

#[tokio::test]
async fn tags_without_a_syncing_account_stay_local() {
    let h = common::inbox().await;
    let tag =
        h.inbox.create_tag(TagInput { name: Some("  VIP ".into()), color: Some("#FFAA00".into()) }).await.unwrap();
    assert_eq!((tag.name.as_str(), tag.color.as_deref(), tag.sync_state), ("VIP", Some("#ffaa00"), SyncState::Local));
    let err = |e: crate::Error| (e.code(), e.public_message());
    let (code, message) =
        err(h.inbox.create_tag(TagInput { name: Some("vip".into()), color: None }).await.unwrap_err());
    assert_eq!(code, "invalid_input");
    assert!(message.contains("already exists"), "{message}");
    assert_eq!(
        err(h.inbox.create_tag(TagInput { name: Some(" ".into()), color: None }).await.unwrap_err()).0,
        "invalid_input"
    );
    let (code, message) =
        err(h.inbox.create_tag(TagInput { name: Some("X".into()), color: Some("red".into()) }).await.unwrap_err());
    assert_eq!(code, "invalid_input");
    assert!(message.contains("color"));

    let other = h.inbox.create_tag(TagInput { name: Some("Atacado".into()), color: None }).await.unwrap();
    let renamed = h
        .inbox
        .update_tag(&tag.id, TagInput { name: Some("Cliente VIP".into()), color: Some(String::new()) })
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.color), ("Cliente VIP", None));
    assert_eq!(
        h.inbox
            .update_tag(&other.id, TagInput { name: Some("cliente vip".into()), color: None })
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let names: Vec<String> = h.inbox.list_tags().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["Atacado", "Cliente VIP"]);
    h.inbox.delete_tag(&other.id).await.unwrap();
    assert_eq!(h.inbox.delete_tag(&other.id).await.unwrap_err().code(), "not_found");
    assert_eq!(h.inbox.list_tags().await.unwrap().len(), 1);
}

#[tokio::test]
async fn contacts_page_filter_and_name_their_conversations() {
    let h = common::inbox().await;
    let a = account(&h, Provider::Mconnect).await;
    let b = account(&h, Provider::Mconnect).await;
    inbound(&h, &a, "5511900000001", "Ana Souza", "m1").await;
    inbound(&h, &a, "5511900000002", "Bruno Lima", "m2").await;
    inbound(&h, &b, "5511900000003", "Carla 100%", "m3").await;

    let first = h.inbox.list_contacts(&ContactFilter { limit: Some(2), ..ContactFilter::default() }).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let cursor = first.next_cursor.clone().expect("a second page");
    let second = h
        .inbox
        .list_contacts(&ContactFilter { limit: Some(2), cursor: Some(cursor), ..ContactFilter::default() })
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    assert!(second.next_cursor.is_none());
    let all: Vec<_> = first.items.iter().chain(&second.items).map(|c| c.id.clone()).collect();
    assert_eq!(all.iter().collect::<std::collections::BTreeSet<_>>().len(), 3, "no contact twice");

    let by_account =
        h.inbox.list_contacts(&ContactFilter { account_id: Some(b.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(by_account.items.len(), 1);
    assert_eq!(by_account.items[0].identities[0].provider, Provider::Mconnect);
    let query = |q: &str| ContactFilter { query: Some(q.into()), ..ContactFilter::default() };
    assert_eq!(h.inbox.list_contacts(&query("bruno")).await.unwrap().items.len(), 1);
    assert_eq!(h.inbox.list_contacts(&query("0000001")).await.unwrap().items.len(), 1);
    assert_eq!(h.inbox.list_contacts(&query("100%")).await.unwrap().items.len(), 1, "% is matched literally");
    assert_eq!(h.inbox.list_contacts(&query("0%")).await.unwrap().items.len(), 1);
    assert_eq!(
        h.inbox
            .list_contacts(&ContactFilter { cursor: Some("zz".into()), ..Default::default() })
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );

    // An edit with no syncing account stays local; the conversation takes the custom name.
    let ana = h.inbox.list_contacts(&query("Ana")).await.unwrap().items.remove(0);
    let vip = h.inbox.create_tag(TagInput { name: Some("VIP".into()), color: None }).await.unwrap();
    let edited = h
        .inbox
        .update_contact(
            &ana.id,
            ContactPatch {
                custom_name: Some(" Ana (Padaria) ".into()),
                tag_ids: Some(vec![vip.id.clone(), vip.id.clone()]),
            },
        )
        .await
        .unwrap();
    assert_eq!((edited.custom_name.as_deref(), edited.sync_state), (Some("Ana (Padaria)"), SyncState::Local));
    assert_eq!(edited.tags.len(), 1);
    let conversations = h.inbox.list_conversations(&Default::default()).await.unwrap().items;
    let conversation = conversations.iter().find(|c| c.contact_id.as_deref() == Some(ana.id.as_str())).unwrap();
    assert_eq!(conversation.title, "Ana (Padaria)");
    let tagged =
        h.inbox.list_contacts(&ContactFilter { tag_id: Some(vip.id.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(tagged.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [ana.id.as_str()]);
    // Clearing the custom name gives the conversation the customer's own name back.
    h.inbox.update_contact(&ana.id, ContactPatch { custom_name: Some(String::new()), tag_ids: None }).await.unwrap();
    assert_eq!(h.inbox.get_conversation(&conversation.id).await.unwrap().title, "Ana Souza");
    assert_eq!(h.inbox.get_contact(&ana.id).await.unwrap().tags.len(), 1, "tags untouched");

    let unknown = ContactPatch { custom_name: None, tag_ids: Some(vec!["nope".into()]) };
    assert_eq!(h.inbox.update_contact(&ana.id, unknown).await.unwrap_err().code(), "invalid_input");
    assert_eq!(h.inbox.get_contact("nope").await.unwrap_err().code(), "not_found");
    // Deleting a tag takes it off its contacts.
    h.inbox.delete_tag(&vip.id).await.unwrap();
    assert!(h.inbox.get_contact(&ana.id).await.unwrap().tags.is_empty());
}

#[tokio::test]
async fn tags_and_contacts_from_the_provider_are_taken_in() {
    let h = common::inbox().await;
    let store = h.inbox.store();
    let cirrus = account(&h, Provider::Cirrus).await;
    let local = store.insert_tag("VIP", None, SyncState::Local).await.unwrap();
    let remote =
        |id: &str, name: &str| RemoteTag { remote_id: id.into(), name: name.into(), color: Some("#ff0000".into()) };

    // Same name: linked, and the provider's colour taken.
    assert_eq!(store.apply_pulled_tag(&cirrus, &remote("r1", "vip")).await.unwrap(), PulledTag::Changed);
    assert_eq!(store.tag_by_remote(&cirrus, "r1").await.unwrap().as_deref(), Some(local.id.as_str()));
    let vip = store.get_tag(&local.id).await.unwrap();
    assert_eq!((vip.name.as_str(), vip.color.as_deref(), vip.sync_state), ("vip", Some("#ff0000"), SyncState::Synced));
    assert_eq!(store.apply_pulled_tag(&cirrus, &remote("r1", "vip")).await.unwrap(), PulledTag::Unchanged);
    // A second provider tag of the same name is skipped rather than merged.
    assert_eq!(store.apply_pulled_tag(&cirrus, &remote("r9", "VIP")).await.unwrap(), PulledTag::Skipped);
    // New: created here.
    assert_eq!(store.apply_pulled_tag(&cirrus, &remote("r2", "Novo")).await.unwrap(), PulledTag::Changed);
    let novo = store.tag_by_remote(&cirrus, "r2").await.unwrap().unwrap();
    // An edit here not yet accepted is kept.
    store.edit_tag(&novo, Some("Novo cliente"), None, SyncState::Failed).await.unwrap();
    assert_eq!(store.apply_pulled_tag(&cirrus, &remote("r2", "Novo")).await.unwrap(), PulledTag::KeptLocal);
    assert_eq!(store.get_tag(&novo).await.unwrap().name, "Novo cliente");
    // Deleted at the provider: gone here unless edited here.
    assert_eq!(store.forget_missing_tags(&cirrus, &[]).await.unwrap(), 1);
    assert_eq!(store.get_tag(&local.id).await.unwrap_err().code(), "not_found");
    assert_eq!(store.get_tag(&novo).await.unwrap().name, "Novo cliente");
    assert_eq!(store.tag_remotes(&novo).await.unwrap(), vec![]);

    // A contact the inbox knows from a conversation is matched by number and takes the provider's names.
    inbound(&h, &cirrus, "5521911112222", "Ana", "m1").await;
    let before = h.inbox.list_contacts(&ContactFilter::default()).await.unwrap().items.remove(0);
    let row = store.contact_for_remote(&cirrus, "c1", "5521911112222").await.unwrap().unwrap();
    assert_eq!((row.contact_id.as_str(), row.sync_state), (before.id.as_str(), SyncState::Local));
    let pulled = RemoteContact {
        remote_id: "c1".into(),
        external_id: "5521911112222".into(),
        kind: ConversationKind::Individual,
        name: Some("Ana Souza".into()),
        custom_name: Some("Ana (Padaria)".into()),
        avatar_url: None,
        tag_remote_ids: vec![],
        updated_at: None,
    };
    let (id, retitled) = store
        .apply_pulled_contact(&cirrus, &pulled, std::slice::from_ref(&novo), Some(&row.contact_id), SyncState::Synced)
        .await
        .unwrap();
    assert_eq!(id, before.id);
    assert_eq!(retitled.len(), 1);
    let after = store.get_contact(&id).await.unwrap();
    assert_eq!(after.identities[0].remote_id.as_deref(), Some("c1"));
    assert_eq!(after.tags[0].id, novo);
    assert!(after.synced_at.is_some());
    assert_eq!(h.inbox.get_conversation(&retitled[0]).await.unwrap().title, "Ana (Padaria)");
    // Found by remote id from now on; a contact new to the inbox is created.
    assert!(store.contact_for_remote(&cirrus, "c1", "other").await.unwrap().is_some());
    let new = RemoteContact { remote_id: "c2".into(), external_id: "5521900000000".into(), ..pulled.clone() };
    let (created, retitled) = store.apply_pulled_contact(&cirrus, &new, &[], None, SyncState::Synced).await.unwrap();
    assert_ne!(created, id);
    assert!(retitled.is_empty());
    assert_eq!(store.unsent_contacts(&cirrus).await.unwrap(), vec![]);
    store.edit_contact(&created, Some(Some("x")), None, SyncState::Pending).await.unwrap();
    let unsent = store.unsent_contacts(&cirrus).await.unwrap();
    assert_eq!((unsent.len(), unsent[0].remote_id.as_deref()), (1, Some("c2")));
}
