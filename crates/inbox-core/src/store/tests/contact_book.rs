//! The contact panel (notes, attributes, notification block, conversations on every account),
//! merging contacts and undoing it exactly, and CSV import (all or nothing) and export.

use super as common;

use chrono::Utc;
use serde_json::json;

use crate::exchange::{AccountRow, InboundContact, InboundMessage, WebhookEvent};
use crate::{
    ContactAttribute, ContactFilter, ContactImport, ContactPatch, ContactProfilePatch, Event, ImportAction,
    MergeContacts, Provider, TagInput,
};

async fn account(h: &common::Harness, name: &str) -> String {
    let row = AccountRow {
        id: crate::store::new_id(),
        provider: Provider::Mconnect,
        name: name.into(),
        settings:
            json!({"base_url": "http://127.0.0.1:9/x", "number": "5511900001111", "company": "c", "username": "u"})
                .as_object()
                .unwrap()
                .clone(),
        demo: false,
        created_at: Utc::now(),
    };
    h.inbox.store().insert_account(&row, &[0u8; 32]).await.unwrap();
    row.id
}

/// A customer message from `number`: creates the contact and its conversation. Answers the
/// conversation and the contact.
async fn inbound(h: &common::Harness, account_id: &str, number: &str, name: &str, id: &str) -> (String, String) {
    let mut m = InboundMessage::text(number, id, "Oi", Utc::now());
    m.title = name.into();
    m.contact = Some(InboundContact { external_id: number.into(), display_name: Some(name.into()), avatar_url: None });
    h.inbox.store().apply_events(account_id, Some("{}"), &[WebhookEvent::Message(Box::new(m))]).await.unwrap();
    let page = h.inbox.list_conversations(&Default::default()).await.unwrap();
    let c = page.items.into_iter().find(|c| c.account_id == account_id && c.title == name).unwrap();
    (c.id.clone(), c.contact_id.unwrap())
}

fn attr(key: &str, value: &str) -> ContactAttribute {
    ContactAttribute { key: key.into(), value: value.into() }
}

/// Everything a merge may touch, read straight from the tables.
async fn dump(h: &common::Harness) -> serde_json::Value {
    let pool = h.pool().await;
    let rows = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>()
        }
    };
    json!({
        "contacts": rows("SELECT json_array(id, display_name, custom_name, avatar_url, created_at, updated_at, sync_state,
                                             sync_error, synced_at, edited_at, notes, notifications_blocked)
                          FROM contacts ORDER BY id").await,
        "identities": rows("SELECT json_array(account_id, external_id, contact_id, remote_id) FROM contact_identities
                            ORDER BY account_id, external_id").await,
        "tags": rows("SELECT json_array(contact_id, tag_id) FROM contact_tags ORDER BY contact_id, tag_id").await,
        "attributes": rows("SELECT json_array(contact_id, key, value, position) FROM contact_attributes
                            ORDER BY contact_id, key").await,
        "conversations": rows("SELECT json_array(id, contact_id, title) FROM conversations ORDER BY id").await,
    })
}

#[tokio::test]
async fn notes_attributes_and_block_are_kept_and_announced() {
    let h = common::inbox().await;
    let a = account(&h, "Loja").await;
    let (_, contact) = inbound(&h, &a, "5511987650001", "Ana", "m1").await;
    let mut events = h.inbox.subscribe();

    let profile = h
        .inbox
        .update_contact_profile(
            &contact,
            ContactProfilePatch {
                notes: Some("  Prefers WhatsApp after 18h  ".into()),
                attributes: Some(vec![attr(" plan ", "Gold"), attr("city", "Recife")]),
                notifications_blocked: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(profile.notes.as_deref(), Some("Prefers WhatsApp after 18h"));
    assert_eq!(profile.attributes, vec![attr("plan", "Gold"), attr("city", "Recife")]);
    assert!(profile.notifications_blocked);
    match events.try_recv().unwrap() {
        Event::ContactProfileUpdated { profile } => assert_eq!(profile.contact.id, contact),
        other => panic!("{other:?}"),
    }

    // Absent fields are kept; an empty note clears; a changed list replaces.
    let profile = h
        .inbox
        .update_contact_profile(
            &contact,
            ContactProfilePatch {
                notes: Some(" ".into()),
                attributes: Some(vec![attr("city", "Olinda")]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (profile.notes, profile.attributes, profile.notifications_blocked),
        (None, vec![attr("city", "Olinda")], true)
    );

    // Bad input is refused whole and loses nothing.
    for bad in [vec![attr("", "x")], vec![attr("a", "1"), attr("A", "2")], vec![attr("k", &"v".repeat(1001))]] {
        let err = h
            .inbox
            .update_contact_profile(&contact, ContactProfilePatch { attributes: Some(bad), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }
    let err = h
        .inbox
        .update_contact_profile(&contact, ContactProfilePatch { notes: Some("x".repeat(10_001)), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(h.inbox.get_contact_profile(&contact).await.unwrap().attributes, vec![attr("city", "Olinda")]);
    let missing = h.inbox.update_contact_profile("nope", ContactProfilePatch::default()).await.unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[tokio::test]
async fn a_blocked_contact_is_blocked_for_its_messages_only() {
    let h = common::inbox().await;
    let a = account(&h, "Loja").await;
    let (ana_conv, ana) = inbound(&h, &a, "5511987650001", "Ana", "m1").await;
    let (bia_conv, _) = inbound(&h, &a, "5511987650002", "Bia", "m2").await;
    let message_of =
        async |conversation: &str| h.inbox.list_messages(conversation, None, None).await.unwrap().items[0].id.clone();
    let (ana_msg, bia_msg) = (message_of(&ana_conv).await, message_of(&bia_conv).await);
    assert!(!h.inbox.notifications_blocked(&ana_msg).await.unwrap());
    h.inbox
        .update_contact_profile(&ana, ContactProfilePatch { notifications_blocked: Some(true), ..Default::default() })
        .await
        .unwrap();
    assert!(h.inbox.notifications_blocked(&ana_msg).await.unwrap());
    assert!(!h.inbox.notifications_blocked(&bia_msg).await.unwrap());
    assert!(!h.inbox.notifications_blocked("unknown").await.unwrap());
}

#[tokio::test]
async fn a_profile_lists_the_contacts_conversations_on_every_account() {
    let h = common::inbox().await;
    let (centro, sul) = (account(&h, "Centro").await, account(&h, "Sul").await);
    let (c1, ana) = inbound(&h, &centro, "5511987650001", "Ana", "m1").await;
    let (c2, ana_sul) = inbound(&h, &sul, "5511987650001", "Ana Sul", "m2").await;
    inbound(&h, &sul, "5511987650009", "Outro", "m3").await;
    let profile = h.inbox.get_contact_profile(&ana).await.unwrap();
    assert_eq!(profile.conversations.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), vec![c1.clone()]);

    let merge =
        h.inbox.merge_contacts(MergeContacts { survivor_id: ana.clone(), contact_ids: vec![ana_sul] }).await.unwrap();
    let profile = h.inbox.get_contact_profile(&ana).await.unwrap();
    let mut ids: Vec<_> = profile.conversations.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    let mut want = vec![c1, c2];
    want.sort();
    assert_eq!(ids, want);
    assert_eq!(profile.contact.identities.len(), 2);
    assert_eq!(profile.last_merge.map(|m| m.id), Some(merge.id));
}

#[tokio::test]
async fn a_merge_keeps_everything_and_its_undo_restores_the_exact_state() {
    let h = common::inbox().await;
    let (centro, sul) = (account(&h, "Centro").await, account(&h, "Sul").await);
    let (_, ana) = inbound(&h, &centro, "5511987650001", "Ana Souza", "m1").await;
    let (sul_conv, ana_sul) = inbound(&h, &sul, "5511987650001", "Ana S.", "m2").await;
    let (_, other) = inbound(&h, &sul, "5511987650003", "Aninha", "m3").await;
    let vip = h.inbox.create_tag(TagInput { name: Some("VIP".into()), color: None }).await.unwrap();
    let lead = h.inbox.create_tag(TagInput { name: Some("Lead".into()), color: None }).await.unwrap();
    h.inbox
        .update_contact(&ana, ContactPatch { tag_ids: Some(vec![vip.id.clone()]), ..Default::default() })
        .await
        .unwrap();
    h.inbox
        .update_contact(
            &ana_sul,
            ContactPatch { tag_ids: Some(vec![vip.id.clone(), lead.id.clone()]), ..Default::default() },
        )
        .await
        .unwrap();
    h.inbox
        .update_contact(&other, ContactPatch { custom_name: Some("Ana (trabalho)".into()), ..Default::default() })
        .await
        .unwrap();
    let set = async |id: &str, notes: &str, attrs: Vec<ContactAttribute>| {
        h.inbox
            .update_contact_profile(
                id,
                ContactProfilePatch { notes: Some(notes.into()), attributes: Some(attrs), ..Default::default() },
            )
            .await
            .unwrap();
    };
    set(&ana, "Cliente desde 2019", vec![attr("plan", "Gold"), attr("city", "Recife")]).await;
    set(&ana_sul, "Pediu segunda via", vec![attr("plan", "Silver"), attr("cpf", "123")]).await;
    set(&other, "", vec![attr("city", "Recife")]).await;
    h.inbox
        .update_contact_profile(&other, ContactProfilePatch { notifications_blocked: Some(true), ..Default::default() })
        .await
        .unwrap();
    let before = dump(&h).await;

    let mut events = h.inbox.subscribe();
    let merge = h
        .inbox
        .merge_contacts(MergeContacts {
            survivor_id: ana.clone(),
            contact_ids: vec![ana_sul.clone(), other.clone(), ana.clone()],
        })
        .await
        .unwrap();
    assert_eq!(merge.merged_ids, vec![ana_sul.clone(), other.clone()]);
    assert_eq!(merge.merged_names, vec!["Ana S.".to_owned(), "Ana (trabalho)".into()]);
    let mut saw_merge = false;
    while let Ok(e) = events.try_recv() {
        saw_merge |= matches!(e, Event::ContactsMerged { ref merge } if merge.undone_at.is_none());
    }
    assert!(saw_merge);

    let profile = h.inbox.get_contact_profile(&ana).await.unwrap();
    assert_eq!(profile.contact.identities.len(), 3, "every identity");
    let mut tags: Vec<_> = profile.contact.tags.iter().map(|t| t.name.clone()).collect();
    tags.sort();
    assert_eq!(tags, vec!["Lead", "VIP"], "every tag once");
    assert_eq!(profile.notes.as_deref(), Some("Cliente desde 2019\n\nPediu segunda via"));
    assert_eq!(
        profile.attributes,
        vec![attr("plan", "Gold"), attr("city", "Recife"), attr("plan (2)", "Silver"), attr("cpf", "123")]
    );
    assert!(profile.notifications_blocked, "blocked if any was");
    assert_eq!(profile.conversations.len(), 3, "every conversation");
    assert_eq!(h.inbox.get_conversation(&sul_conv).await.unwrap().title, "Ana Souza", "retitled");
    assert_eq!(h.inbox.get_contact(&ana_sul).await.unwrap_err().code(), "not_found");
    let listed = h.inbox.list_contacts(&ContactFilter::default()).await.unwrap();
    assert_eq!(listed.items.len(), 1);

    let undone = h.inbox.undo_contact_merge(&merge.id).await.unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(dump(&h).await, before, "the exact previous state");
    assert_eq!(h.inbox.get_conversation(&sul_conv).await.unwrap().title, "Ana S.");
    assert!(h.inbox.get_contact_profile(&ana).await.unwrap().last_merge.is_none());
    assert_eq!(h.inbox.undo_contact_merge(&merge.id).await.unwrap_err().code(), "invalid_input");
    assert_eq!(h.inbox.undo_contact_merge("nope").await.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn only_the_latest_merge_into_a_contact_is_undone_and_bad_merges_are_refused() {
    let h = common::inbox().await;
    let a = account(&h, "Loja").await;
    let (_, x) = inbound(&h, &a, "5511987650001", "X", "m1").await;
    let (_, y) = inbound(&h, &a, "5511987650002", "Y", "m2").await;
    let (_, z) = inbound(&h, &a, "5511987650003", "Z", "m3").await;
    let err = h.inbox.merge_contacts(MergeContacts { survivor_id: x.clone(), contact_ids: vec![x.clone()] }).await;
    assert_eq!(err.unwrap_err().code(), "invalid_input");
    let err = h.inbox.merge_contacts(MergeContacts { survivor_id: x.clone(), contact_ids: vec!["nope".into()] }).await;
    assert_eq!(err.unwrap_err().code(), "not_found");
    let first =
        h.inbox.merge_contacts(MergeContacts { survivor_id: x.clone(), contact_ids: vec![y.clone()] }).await.unwrap();
    let second =
        h.inbox.merge_contacts(MergeContacts { survivor_id: x.clone(), contact_ids: vec![z.clone()] }).await.unwrap();
    assert_eq!(h.inbox.undo_contact_merge(&first.id).await.unwrap_err().code(), "invalid_input");
    h.inbox.undo_contact_merge(&second.id).await.unwrap();
    h.inbox.undo_contact_merge(&first.id).await.unwrap();
    assert_eq!(h.inbox.list_contacts(&ContactFilter::default()).await.unwrap().items.len(), 3);
}

#[tokio::test]
async fn csv_import_is_checked_then_all_or_nothing_and_round_trips() {
    let h = common::inbox().await;
    let (centro, _sul) = (account(&h, "Centro").await, account(&h, "Sul").await);
    let (_, ana) = inbound(&h, &centro, "5511987650001", "Ana", "m1").await;
    h.inbox.create_tag(TagInput { name: Some("VIP".into()), color: None }).await.unwrap();
    let before = dump(&h).await;

    let bad = "\u{feff}name,phone,account,tags,notes,plan\n\
               Bia,+55 21 99876-0002,Centro,vip; Novo,Liga depois das 18h,Gold\n\
               Caio,12,Centro,,,\n\
               Duda,5511987650004,Norte,,,\n\
               Bia de novo,5521998760002,centro,,,\n\
               Eva,5511987650005,Centro\n";
    let report = h.inbox.import_contacts_csv(ContactImport { csv: bad.into(), commit: false }).await.unwrap();
    assert!(report.file_errors.is_empty());
    assert_eq!(report.attribute_columns, vec!["plan"]);
    assert_eq!(report.new_tags, vec!["Novo"]);
    let keys: Vec<Vec<&str>> = report.rows.iter().map(|r| r.errors.iter().map(|e| e.key.as_str()).collect()).collect();
    assert_eq!(
        keys,
        vec![
            vec![],
            vec!["csv.phone_invalid"],
            vec!["csv.account_unknown"],
            vec!["csv.duplicate_row"],
            vec!["csv.field_count"]
        ]
    );
    assert_eq!(report.rows[0].line, 2);
    assert_eq!(report.rows[0].action, Some(ImportAction::Create));
    let err = h.inbox.import_contacts_csv(ContactImport { csv: bad.into(), commit: true }).await.unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(dump(&h).await, before, "nothing half-imported");

    let good = "nome;telefone;conta;etiquetas;notas;plan\n\
                Bia;+55 21 99876-0002;Centro;vip, Novo;Liga depois das 18h;Gold\n\
                Bia;5521998760002;Sul;;;\n\
                Ana Souza;5511987650001;Centro;VIP;Cliente antiga;\n\
                '=cmd;5511987650006;Centro;;;\n";
    let report = h.inbox.import_contacts_csv(ContactImport { csv: good.into(), commit: true }).await.unwrap();
    assert!(report.imported, "{report:?}");
    let actions: Vec<_> = report.rows.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        vec![
            Some(ImportAction::Create),
            Some(ImportAction::Attach),
            Some(ImportAction::Update),
            Some(ImportAction::Create)
        ]
    );
    let ana_now = h.inbox.get_contact_profile(&ana).await.unwrap();
    assert_eq!(ana_now.contact.custom_name.as_deref(), Some("Ana Souza"));
    assert_eq!(ana_now.notes.as_deref(), Some("Cliente antiga"));
    let all = h.inbox.list_contacts(&ContactFilter { query: Some("Bia".into()), ..Default::default() }).await.unwrap();
    assert_eq!(all.items.len(), 1);
    let bia = h.inbox.get_contact_profile(&all.items[0].id).await.unwrap();
    assert_eq!(bia.contact.identities.len(), 2, "one contact on two accounts");
    assert_eq!(bia.attributes, vec![attr("plan", "Gold")]);
    assert_eq!(bia.contact.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["Novo", "VIP"]);

    // Export: BOM, header, one row per identity, tags, notes, attributes, formulas guarded.
    let export = h.inbox.export_contacts_csv(&ContactFilter::default()).await.unwrap();
    assert!(export.csv.starts_with("\u{feff}name,phone,account,tags,notes,plan\r\n"), "{}", export.csv);
    assert!(export.csv.contains("Bia,5521998760002,Centro,Novo; VIP,Liga depois das 18h,Gold\r\n"), "{}", export.csv);
    assert!(export.csv.contains("Bia,5521998760002,Sul,Novo; VIP,Liga depois das 18h,Gold\r\n"));
    assert!(export.csv.contains("'=cmd,5511987650006,Centro"));
    assert_eq!(export.contacts, 3);
    let filtered =
        h.inbox.export_contacts_csv(&ContactFilter { query: Some("Ana".into()), ..Default::default() }).await.unwrap();
    assert_eq!(filtered.contacts, 1);

    // Round trip: the export imported into another database gives the same contacts.
    let other = common::inbox().await;
    for name in ["Centro", "Sul"] {
        account(&other, name).await;
    }
    let report =
        other.inbox.import_contacts_csv(ContactImport { csv: export.csv.clone(), commit: true }).await.unwrap();
    assert!(report.imported);
    let again = other.inbox.export_contacts_csv(&ContactFilter::default()).await.unwrap();
    let lines = |s: &str| {
        let mut l: Vec<String> = s.lines().map(str::to_owned).collect();
        l.sort();
        l
    };
    assert_eq!(lines(&again.csv), lines(&export.csv));
}
