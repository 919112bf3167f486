//! Storage against a real SQLite file: settings in force, migrations, dedup, pagination.

use super as common;

use crate::exchange::{InboundContact, InboundMessage};
use crate::store::{Ingested, MIGRATOR, Store};
use crate::{ConversationFilter, ConversationKind, ConversationPatch, ConversationStatus, MessageKind, Priority};

#[tokio::test]
async fn pragmas_and_sqlite_version_are_what_we_require() {
    let h = common::inbox().await;
    let p = h.inbox.store().pragmas().await.unwrap();
    assert_eq!(p.journal_mode, "wal");
    assert_eq!(p.synchronous, 2, "synchronous=FULL");
    assert!(p.foreign_keys);
    assert!(p.busy_timeout_ms >= 5000, "busy timeout {}", p.busy_timeout_ms);
    let v: Vec<u32> = p.sqlite_version.split('.').map(|x| x.parse().unwrap()).collect();
    assert!((v[0], v[1], v[2]) >= (3, 51, 3), "SQLite {} has the WAL-reset bug", p.sqlite_version);
}

#[tokio::test]
async fn migrations_apply_once_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/inbox.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let store = Store::open(&path, no_capabilities).await.unwrap();
    store.close().await;
    let store = Store::open(&path, no_capabilities).await.unwrap();
    assert_eq!(store.count_accounts().await.unwrap(), 0);
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1").fetch_one(&pool).await.unwrap();
    assert_eq!(applied as usize, MIGRATOR.iter().count());
}

fn inbound(external: &str, provider_id: &str, secs: i64, text: &str) -> InboundMessage {
    InboundMessage {
        direction: crate::Direction::Inbound,
        conversation_external_id: external.into(),
        conversation_kind: ConversationKind::Individual,
        title: format!("Customer {external}"),
        avatar_url: Some(format!("https://pps.example/{provider_id}.jpg")),
        contact: Some(InboundContact {
            external_id: external.into(),
            display_name: Some(format!("Customer {external}")),
            avatar_url: Some(format!("https://pps.example/{provider_id}.jpg")),
        }),
        sender_name: Some(format!("Customer {external}")),
        sender_external_id: Some(external.into()),
        kind: MessageKind::Text,
        body: Some(text.into()),
        media_url: None,
        caption: None,
        file_name: None,
        payload: None,
        quoted_provider_message_id: None,
        status: None,
        provider_message_id: provider_id.into(),
        sent_at: chrono::DateTime::from_timestamp(secs, 0).unwrap(),
    }
}

/// An mConnect account, stored as it is (no provider is called).
async fn account(h: &common::Harness) -> String {
    common::mconnect_account(h).await
}

#[tokio::test]
async fn a_second_delivery_of_the_same_message_stores_nothing() {
    let h = common::inbox().await;
    let account = account(&h).await;
    let store = h.inbox.store();
    let msg = inbound("5511988887777", "false_5511988887777@c.us_AAA", 1_700_000_000, "oi");
    let first = store.ingest_inbound(&account, "{\"raw\":1}", &msg).await.unwrap();
    assert!(matches!(first, Ingested::New { .. }));
    let second = store.ingest_inbound(&account, "{\"raw\":2}", &msg).await.unwrap();
    assert_eq!(second, Ingested::Duplicate);

    let page = store.list_conversations(&ConversationFilter::default()).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].unread_count, 1);
    let messages = store.list_messages(&page.items[0].id, None, None).await.unwrap();
    assert_eq!(messages.items.len(), 1);
    let pool = h.pool().await;
    let raw: Vec<String> = sqlx::query_scalar("SELECT payload FROM webhook_events").fetch_all(&pool).await.unwrap();
    assert_eq!(raw, vec!["{\"raw\":1}".to_string()]);
}

#[tokio::test]
async fn messages_page_newest_first_without_gaps_or_repeats() {
    let h = common::inbox().await;
    let account = account(&h).await;
    let store = h.inbox.store();
    // 23 messages, two of them sharing a timestamp, to exercise the id tie-break.
    for i in 0..23 {
        let secs = 1_700_000_000 + if i == 11 { 10 } else { i };
        store
            .ingest_inbound(&account, "{}", &inbound("5511", &format!("m{i:02}"), secs, &format!("text {i}")))
            .await
            .unwrap();
    }
    let conversation = store.list_conversations(&ConversationFilter::default()).await.unwrap().items.remove(0);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = store.list_messages(&conversation.id, cursor.as_deref(), Some(5)).await.unwrap();
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|m| (m.created_at, m.id.clone())));
        pages += 1;
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 23);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");
    sorted.dedup();
    assert_eq!(sorted.len(), 23, "no repeats");
    assert_eq!(conversation.unread_count, 23);
    assert_eq!(conversation.last_message.unwrap().preview, "text 22");
}

#[tokio::test]
async fn conversations_filter_and_paginate() {
    let h = common::inbox().await;
    let account = account(&h).await;
    let store = h.inbox.store();
    for i in 0..7 {
        store
            .ingest_inbound(&account, "{}", &inbound(&format!("55{i}"), &format!("p{i}"), 1_700_000_000 + i, "hi"))
            .await
            .unwrap();
    }
    let all = store.list_conversations(&ConversationFilter { limit: Some(3), ..Default::default() }).await.unwrap();
    assert_eq!(all.items.len(), 3);
    assert_eq!(all.items[0].title, "Customer 556", "most recent activity first");
    let rest = store
        .list_conversations(&ConversationFilter {
            limit: Some(10),
            cursor: all.next_cursor.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 4);
    assert!(rest.next_cursor.is_none());

    let target = &all.items[1].id;
    store
        .update_conversation(
            target,
            &ConversationPatch {
                status: Some(ConversationStatus::Resolved),
                priority: Some(Priority::URGENT),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let resolved = store
        .list_conversations(&ConversationFilter { status: Some(ConversationStatus::Resolved), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(resolved.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec![target.as_str()]);
    assert_eq!(resolved.items[0].priority, Priority::URGENT);
    let urgent = store
        .list_conversations(&ConversationFilter { priority: Some(Priority::URGENT), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(urgent.items.len(), 1);
    let by_account = store
        .list_conversations(&ConversationFilter { account_id: Some("nope".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(by_account.items.is_empty());
    let by_tag =
        store.list_conversations(&ConversationFilter { tag: Some("vip".into()), ..Default::default() }).await.unwrap();
    assert!(by_tag.items.is_empty());

    // A customer writing again reopens a resolved conversation.
    let external = format!("55{}", 5);
    store.ingest_inbound(&account, "{}", &inbound(&external, "again", 1_800_000_000, "back")).await.unwrap();
    let reopened = store.get_conversation(target).await.unwrap();
    assert_eq!(reopened.status, ConversationStatus::Open);
    assert_eq!(reopened.last_message.unwrap().preview, "back");

    let bad =
        store.list_conversations(&ConversationFilter { cursor: Some("garbage!".into()), ..Default::default() }).await;
    assert_eq!(bad.unwrap_err().code(), "invalid_input");
}

#[tokio::test]
async fn tags_filter_conversations() {
    let h = common::inbox().await;
    let account = account(&h).await;
    let store = h.inbox.store();
    store.ingest_inbound(&account, "{}", &inbound("551", "a", 1_700_000_000, "x")).await.unwrap();
    store.ingest_inbound(&account, "{}", &inbound("552", "b", 1_700_000_001, "y")).await.unwrap();
    let page = store.list_conversations(&ConversationFilter::default()).await.unwrap();
    let tagged = page.items.iter().find(|c| c.title == "Customer 551").unwrap().id.clone();
    let pool = h.pool().await;
    sqlx::query("INSERT INTO tags (id, name) VALUES ('t1', 'VIP')").execute(&pool).await.unwrap();
    sqlx::query("INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (?, 't1')")
        .bind(&tagged)
        .execute(&pool)
        .await
        .unwrap();
    let vip =
        store.list_conversations(&ConversationFilter { tag: Some("vip".into()), ..Default::default() }).await.unwrap();
    assert_eq!(vip.items.len(), 1);
    assert_eq!(vip.items[0].id, tagged);
    assert_eq!(vip.items[0].tags, vec!["VIP".to_string()]);
}

/// A customer's conversation with one agent reply stored as pending; returns the reply's id.
async fn stored_reply(h: &common::Harness) -> String {
    let account = account(h).await;
    let store = h.inbox.store();
    store.ingest_inbound(&account, "{}", &inbound("551", "a", 1_700_000_000, "x")).await.unwrap();
    let conversation = store.list_conversations(&ConversationFilter::default()).await.unwrap().items.remove(0);
    let out =
        crate::exchange::OutboundMessage { kind: MessageKind::Text, body: Some("hello".into()), ..Default::default() };
    store.insert_outbound(&conversation.id, &account, &out).await.unwrap()
}

#[tokio::test]
async fn delivery_status_only_moves_forward() {
    use crate::DeliveryStatus::*;
    let h = common::inbox().await;
    let id = stored_reply(&h).await;
    let store = h.inbox.store();
    assert_eq!(store.get_message(&id).await.unwrap().status, Pending);
    assert!(store.set_delivery(&id, Sent, Some("true_1"), None).await.unwrap());
    assert!(store.set_delivery(&id, Read, None, None).await.unwrap());
    assert!(!store.set_delivery(&id, Delivered, None, None).await.unwrap(), "read must not go back to delivered");
    assert!(!store.set_delivery(&id, Failed, None, Some("late")).await.unwrap());
    let m = store.get_message(&id).await.unwrap();
    assert_eq!(m.status, Read);
    assert_eq!(m.provider_message_id.as_deref(), Some("true_1"));
}

#[tokio::test]
async fn sends_left_pending_by_a_crash_are_marked_failed_on_start() {
    let h = common::inbox().await;
    let id = stored_reply(&h).await;
    h.inbox.shutdown().await;
    let reopened = common::open(&h.dir).await;
    let m = reopened.store().get_message(&id).await.unwrap();
    assert_eq!(m.status, crate::DeliveryStatus::Failed);
    assert!(m.error.unwrap().contains("interrupted"));
}

/// The store is opened here without the engine; what accounts can do plays no part.
fn no_capabilities(_: crate::Provider, _: &serde_json::Map<String, serde_json::Value>) -> Vec<crate::Capability> {
    Vec::new()
}
