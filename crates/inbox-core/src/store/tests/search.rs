//! Search: what the FTS5 indexes find (accents, case, prefixes, phone numbers), in what order,
//! that they stay in step with every write (insert, edit, deletion, removal) and with databases
//! that had data before the search migration; the window of messages around a message; and
//! the contacts list at 50,000 contacts using indexes only.

use super as common;

use std::borrow::Cow;

use chrono::{DateTime, Duration, Utc};

use crate::exchange::{InboundContact, InboundMessage, OutboundMessage, WebhookEvent};
use crate::store::{MIGRATOR, Store};
use crate::{ContactFilter, Direction, MessageKind, SearchQuery, SearchResults, SearchSide};

/// A customer's text in the chat `number` (named `name`), sent `days_ago`.
fn text(number: &str, name: &str, id: &str, body: &str, at: DateTime<Utc>) -> InboundMessage {
    let mut m = InboundMessage::text(number, id, body, at);
    m.title = name.into();
    m.sender_name = Some(name.into());
    m.contact = Some(InboundContact { external_id: number.into(), display_name: Some(name.into()), avatar_url: None });
    m
}

async fn deliver(h: &common::Harness, account: &str, m: InboundMessage) {
    h.inbox.store().apply_events(account, Some("{}"), &[WebhookEvent::Message(Box::new(m))]).await.unwrap();
}

async fn find(h: &common::Harness, q: &str) -> SearchResults {
    h.inbox.search(&SearchQuery { query: q.into(), ..SearchQuery::default() }).await.unwrap()
}

fn bodies(r: &SearchResults) -> Vec<String> {
    r.messages.iter().map(|m| m.snippet.iter().map(|s| s.text.as_str()).collect::<String>()).collect()
}

fn hits(r: &SearchResults) -> Vec<String> {
    r.messages.iter().flat_map(|m| m.snippet.iter().filter(|s| s.hit).map(|s| s.text.clone())).collect()
}

#[tokio::test]
async fn words_match_without_accents_case_or_their_ends() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    let now = Utc::now();
    deliver(&h, &a, text("5511987654321", "João Silva", "m1", "Olá! Meu pedido #4821 ainda não chegou", now)).await;
    deliver(&h, &a, text("5511900000002", "Ana Souza", "m2", "A AÇÃO de sábado foi ótima", now)).await;

    for q in ["nao chegou", "NÃO", "pedido 4821", "ped", "olá", "OLA"] {
        assert_eq!(bodies(&find(&h, q).await), ["Olá! Meu pedido #4821 ainda não chegou"], "{q}");
    }
    let r = find(&h, "acao sabado").await;
    assert_eq!(hits(&r), ["AÇÃO", "sábado"], "the words as stored are marked");
    assert!(r.messages[0].snippet.iter().any(|s| !s.hit && s.text.contains(" de ")));
    assert_eq!(r.messages[0].direction, Direction::Inbound);
    assert_eq!(r.messages[0].kind, MessageKind::Text);
    assert_eq!(r.messages[0].conversation_title, "Ana Souza");
    assert!(find(&h, "chegada").await.messages.is_empty(), "a prefix, not any similar word");

    // Conversations by title, contacts by name, both without accents.
    let r = find(&h, "joao").await;
    assert_eq!(r.conversations.len(), 1);
    assert_eq!(r.conversations[0].conversation.title, "João Silva");
    assert!(r.conversations[0].title.iter().any(|s| s.hit && s.text == "João"));
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(r.contacts[0].contact.display_name.as_deref(), Some("João Silva"));
    assert_eq!(r.contacts[0].conversation_id.as_deref(), Some(r.conversations[0].conversation.id.as_str()));
    // What the agent types is never FTS5 syntax.
    for q in ["\"", "pedido\" OR \"x", "NEAR(a b)", "*", "chegou)", "a:b", "-pedido"] {
        h.inbox.search(&SearchQuery { query: q.into(), ..SearchQuery::default() }).await.unwrap_or_else(|e| {
            assert_eq!(e.code(), "invalid_input", "{q}: {e}");
            SearchResults {
                conversations: vec![],
                messages: vec![],
                contacts: vec![],
                more_conversations: false,
                more_messages: false,
                more_contacts: false,
            }
        });
    }
}

#[tokio::test]
async fn phone_numbers_are_found_in_any_form() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    deliver(&h, &a, text("5511987654321", "Carla Dias", "m1", "oi", Utc::now())).await;
    deliver(&h, &a, text("5521912345678", "Bruno Lima", "m2", "oi", Utc::now())).await;
    for q in ["+55 11 98765-4321", "5511987654321", "11987654321", "987654321", "(11) 98765-4321", "98765-4321", "9876"]
    {
        let r = find(&h, q).await;
        let names: Vec<_> = r.contacts.iter().filter_map(|c| c.contact.display_name.clone()).collect();
        assert_eq!(names, ["Carla Dias"], "contacts for {q}");
        let titles: Vec<_> = r.conversations.iter().map(|c| c.conversation.title.clone()).collect();
        if q != "9876" {
            assert_eq!(titles, ["Carla Dias"], "conversations for {q}");
        }
    }
    // A number stored without its country code is found with it.
    deliver(&h, &a, text("21955554444", "Duda", "m3", "oi", Utc::now())).await;
    let r = find(&h, "+55 21 95555-4444").await;
    assert_eq!(r.contacts.iter().filter_map(|c| c.contact.display_name.clone()).collect::<Vec<_>>(), ["Duda"]);
    assert_eq!(r.conversations.iter().map(|c| c.conversation.title.clone()).collect::<Vec<_>>(), ["Duda"]);
}

#[tokio::test]
async fn newest_first_weighted_by_relevance_and_filtered() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    let b = common::mconnect_account(&h).await;
    let now = Utc::now();
    deliver(&h, &a, text("5511900000001", "Ana", "old", "boleto vencido", now - Duration::days(60))).await;
    deliver(&h, &a, text("5511900000001", "Ana", "mid", "boleto do mês", now - Duration::days(3))).await;
    deliver(&h, &b, text("5511900000002", "Bia", "new", "segunda via do boleto", now - Duration::hours(1))).await;
    // A much better match (the word three times in a short text) a little older still wins.
    deliver(&h, &a, text("5511900000001", "Ana", "best", "boleto boleto boleto", now - Duration::days(4))).await;

    let r = find(&h, "boleto").await;
    assert_eq!(bodies(&r), ["boleto boleto boleto", "segunda via do boleto", "boleto do mês", "boleto vencido"]);

    let store = h.inbox.store();
    let conversation = store.list_conversations(&Default::default()).await.unwrap().items;
    let ana = conversation.iter().find(|c| c.title == "Ana").unwrap().id.clone();
    let reply =
        OutboundMessage { kind: MessageKind::Text, body: Some("seu boleto segue".into()), ..Default::default() };
    store.insert_outbound(&ana, &a, &reply).await.unwrap();

    let q = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery { query: "boleto".into(), ..SearchQuery::default() };
        f(&mut q);
        q
    };
    let agent = h.inbox.search(&q(|q| q.side = Some(SearchSide::Agent))).await.unwrap();
    assert_eq!(bodies(&agent), ["seu boleto segue"]);
    let customer = h.inbox.search(&q(|q| q.side = Some(SearchSide::Customer))).await.unwrap();
    assert_eq!(customer.messages.len(), 4);
    let mut by_b = q(|_| {});
    by_b.account_id = Some(b.clone());
    assert_eq!(bodies(&h.inbox.search(&by_b).await.unwrap()), ["segunda via do boleto"]);
    let mut last_week = q(|_| {});
    last_week.from = Some(now - Duration::days(7));
    last_week.until = Some(now - Duration::hours(2));
    assert_eq!(bodies(&h.inbox.search(&last_week).await.unwrap()), ["boleto boleto boleto", "boleto do mês"]);
    let mut one = q(|_| {});
    one.limit = Some(2);
    let limited = h.inbox.search(&one).await.unwrap();
    assert_eq!(limited.messages.len(), 2);
    assert!(limited.more_messages);
    assert!(!limited.more_conversations);
}

#[tokio::test]
async fn bad_queries_are_refused_with_a_reason() {
    let h = common::inbox().await;
    let now = Utc::now();
    let refuse = |q: SearchQuery| {
        let inbox = h.inbox.clone();
        async move { inbox.search(&q).await.unwrap_err() }
    };
    for q in ["", "   ", " - ! "] {
        let e = refuse(SearchQuery { query: q.into(), ..SearchQuery::default() }).await;
        assert_eq!((e.code(), e.body().key.as_str()), ("invalid_input", "search.empty"), "{q:?}");
    }
    let e = refuse(SearchQuery { query: "x".repeat(201), ..SearchQuery::default() }).await;
    assert_eq!(e.body().key, "search.too_long");
    assert_eq!(e.body().params["max"], "200");
    let e =
        refuse(SearchQuery { query: "oi".into(), from: Some(now), until: Some(now), ..SearchQuery::default() }).await;
    assert_eq!((e.code(), e.body().key.as_str()), ("invalid_input", "search.bad_range"));
    assert_eq!(
        crate::text::Text { key: "search.bad_range".into(), params: Default::default() }.render(crate::Lang::PtBr),
        "o início do período deve ser antes do fim"
    );
}

#[tokio::test]
async fn the_index_follows_every_write_in_the_same_transaction() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    deliver(&h, &a, text("5511900000001", "Ana", "m1", "pedido de orçamento", Utc::now())).await;
    let id = find(&h, "orcamento").await.messages[0].message_id.clone();
    let pool = h.pool().await;

    // An edit: the old words leave, the new ones come.
    sqlx::query("UPDATE messages SET body = 'pedido de reembolso', caption = 'nota fiscal' WHERE id = ?")
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(find(&h, "orcamento").await.messages.is_empty());
    assert_eq!(find(&h, "reembolso").await.messages[0].message_id, id);
    assert_eq!(find(&h, "fiscal").await.messages[0].message_id, id, "captions are searched");
    // A change that does not touch the text leaves it alone.
    sqlx::query("UPDATE messages SET status = 'read' WHERE id = ?").bind(&id).execute(&pool).await.unwrap();
    assert_eq!(find(&h, "reembolso").await.messages.len(), 1);

    // A transaction that fails leaves the index as it was.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("UPDATE messages SET body = 'troca' WHERE id = ?").bind(&id).execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(find(&h, "troca").await.messages.is_empty());
    assert_eq!(find(&h, "reembolso").await.messages.len(), 1);

    // Deleted (kept for the record, shown as deleted): out of the index.
    h.inbox.store().mark_deleted(&id).await.unwrap();
    assert!(find(&h, "reembolso").await.messages.is_empty());

    // A file's name is searched; removing the conversation removes everything it indexed.
    let mut file = text("5511900000001", "Ana", "m2", "", Utc::now());
    file.kind = MessageKind::File;
    file.body = None;
    file.file_name = Some("contrato_assinado.pdf".into());
    deliver(&h, &a, file).await;
    let r = find(&h, "contrato").await;
    assert_eq!(r.messages.len(), 1);
    h.inbox.store().delete_conversation(&r.messages[0].conversation_id).await.unwrap();
    assert!(find(&h, "contrato").await.messages.is_empty());
    let count = |table: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("message_search_keys").await, 0);
    assert_eq!(count("messages_fts").await, 0);
    assert_eq!(count("conversation_search_keys").await, 0);

    // Contacts follow their names and identities.
    deliver(&h, &a, text("5511911112222", "Rafaela", "m3", "oi", Utc::now())).await;
    let contact = find(&h, "rafaela").await.contacts[0].contact.id.clone();
    h.inbox
        .update_contact(&contact, crate::ContactPatch { custom_name: Some("Rafa Padaria".into()), tag_ids: None })
        .await
        .unwrap();
    assert_eq!(find(&h, "padaria").await.contacts[0].contact.id, contact);
    sqlx::query("UPDATE contact_identities SET external_id = '5511933334444' WHERE contact_id = ?")
        .bind(&contact)
        .execute(&pool)
        .await
        .unwrap();
    assert!(find(&h, "11911112222").await.contacts.is_empty());
    assert_eq!(find(&h, "933334444").await.contacts[0].contact.id, contact);
    sqlx::query("DELETE FROM contacts WHERE id = ?").bind(&contact).execute(&pool).await.unwrap();
    assert!(find(&h, "padaria").await.contacts.is_empty());
    assert_eq!(count("contact_search_keys").await, count("contacts").await);
}

#[tokio::test]
async fn a_database_from_before_search_is_indexed_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let before = sqlx::migrate::Migrator {
            migrations: Cow::Owned(MIGRATOR.iter().filter(|m| m.version < 20261203000001).cloned().collect()),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO accounts (id, provider, name, settings, webhook_secret_sha256, created_at)
             VALUES ('a', 'mconnect', 'Loja', '{}', x'00', 0)",
            "INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES ('k', 'Conceição', 0, 0)",
            "INSERT INTO contact_identities (account_id, external_id, contact_id) VALUES ('a', '5511987654321', 'k')",
            "INSERT INTO conversations (id, account_id, external_id, kind, contact_id, title, last_activity_at, created_at)
             VALUES ('c', 'a', '5511987654321', 'individual', 'k', 'Conceição', 0, 0)",
            "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, status, created_at)
             VALUES ('m1', 'c', 'a', 'inbound', 'text', 'a promoção acabou?', 'delivered', 1000)",
            "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, status, created_at, deleted_at)
             VALUES ('m2', 'c', 'a', 'inbound', 'text', 'promoção apagada', 'delivered', 2000, 3000)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    let h = common::Harness { inbox: common::open(&dir).await, dir };
    let r = find(&h, "promocao").await;
    assert_eq!(bodies(&r), ["a promoção acabou?"], "indexed, and the deleted message is not");
    assert_eq!(find(&h, "conceicao").await.conversations.len(), 1);
    assert_eq!(find(&h, "11 98765-4321").await.contacts.len(), 1);
    // And it keeps following writes.
    let store: &Store = h.inbox.store();
    store.mark_deleted("m1").await.unwrap();
    assert!(find(&h, "promocao").await.messages.is_empty());
}

#[tokio::test]
async fn a_message_opens_with_pages_around_it() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    let start = Utc::now() - Duration::days(10);
    for i in 0..120 {
        let body = if i == 30 { "o código de rastreio é XYZ".to_owned() } else { format!("mensagem {i}") };
        deliver(&h, &a, text("5511900000001", "Ana", &format!("m{i:03}"), &body, start + Duration::minutes(i))).await;
    }
    let hit = find(&h, "rastreio").await.messages.remove(0);
    let window = h.inbox.messages_around(&hit.message_id, Some(20)).await.unwrap();
    assert_eq!(window.conversation_id, hit.conversation_id);
    assert_eq!(window.items.len(), 20);
    let at = window.items.iter().position(|m| m.id == hit.message_id).expect("the message is on the page");
    assert_eq!(at, 10, "ten newer messages above it (newest first), nine older below");
    let body = |m: &crate::Message| m.body.clone().unwrap_or_default();
    assert_eq!(body(&window.items[0]), "mensagem 40");
    assert_eq!(body(&window.items[19]), "mensagem 21");

    // Older pages continue with list_messages, newer ones with list_newer_messages, to the ends.
    let mut seen: Vec<String> = window.items.iter().map(body).collect();
    let mut older = window.older_cursor.clone();
    while let Some(c) = older {
        let page = h.inbox.list_messages(&window.conversation_id, Some(&c), Some(25)).await.unwrap();
        seen.extend(page.items.iter().map(body));
        older = page.next_cursor;
    }
    let mut newer = window.newer_cursor.clone();
    let mut newest_pages = Vec::new();
    while let Some(c) = newer {
        let page = h.inbox.list_newer_messages(&window.conversation_id, Some(&c), Some(25)).await.unwrap();
        assert!(page.items.windows(2).all(|w| w[0].created_at > w[1].created_at), "newest first");
        newest_pages.push(page.items.len());
        seen.extend(page.items.iter().map(body));
        newer = page.next_cursor;
    }
    assert_eq!(newest_pages, [25, 25, 25, 4]);
    assert_eq!(seen.len(), 120, "every message once");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 120);

    // Near the newest message there is no newer cursor; the oldest has no older one.
    let newest = h.inbox.list_messages(&window.conversation_id, None, Some(1)).await.unwrap().items.remove(0);
    let w = h.inbox.messages_around(&newest.id, Some(20)).await.unwrap();
    assert!(w.newer_cursor.is_none());
    assert_eq!(w.items[0].id, newest.id);
    assert_eq!(w.items.len(), 20);
    assert!(w.older_cursor.is_some());
    let e = h.inbox.messages_around("nope", None).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    let e = h.inbox.list_newer_messages(&window.conversation_id, None, None).await.unwrap_err();
    assert_eq!(e.code(), "invalid_input");
}

/// The SQL of the contacts list and contact search, as written in `store/contacts.rs`.
fn contact_list_queries() -> Vec<String> {
    let source = include_str!("../contacts.rs");
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("r#\"") {
        let after = &rest[start + 3..];
        let end = after.find("\"#").unwrap();
        let sql = &after[..end];
        if sql.contains("FROM contacts c") && sql.contains("ORDER BY c.updated_at DESC") {
            out.push(sql.to_owned());
        }
        rest = &after[end + 2..];
    }
    out
}

#[tokio::test]
async fn fifty_thousand_contacts_list_and_search_through_indexes() {
    let h = common::inbox().await;
    let a = common::mconnect_account(&h).await;
    let pool = h.pool().await;
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
         INSERT INTO contacts (id, display_name, created_at, updated_at)
         SELECT printf('c%05d', i), printf('Cliente %d %s', i, CASE i % 3 WHEN 0 THEN 'João' WHEN 1 THEN 'Conceição' ELSE 'Maria' END),
                i, i FROM n",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO contact_identities (account_id, external_id, contact_id)
         SELECT ?, printf('55119%08d', CAST(substr(id, 2) AS INTEGER)), id FROM contacts",
    )
    .bind(&a)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();

    // The plans: every read of contacts and their identities and tags goes through an index.
    let queries = contact_list_queries();
    assert_eq!(queries.len(), 3, "the list, the search and its short-word form");
    for sql in &queries {
        let plan: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"))
            .iter()
            .map(|row| sqlx::Row::get::<String, _>(row, "detail"))
            .collect();
        for line in &plan {
            let table_scan = ["SCAN c", "SCAN contacts", "SCAN ci", "SCAN ct", "SCAN contact_identities"]
                .iter()
                .any(|s| line == s || line.starts_with(&format!("{s} ")) && !line.contains("USING"));
            assert!(!table_scan, "{line} in the plan of\n{sql}\n{plan:#?}");
        }
    }

    // And what they answer.
    let list = |f: ContactFilter| {
        let inbox = h.inbox.clone();
        async move { inbox.list_contacts(&f).await.unwrap() }
    };
    let first = list(ContactFilter { limit: Some(50), ..Default::default() }).await;
    assert_eq!(first.items[0].id, "c50000", "most recently active first");
    let second = list(ContactFilter { limit: Some(50), cursor: first.next_cursor.clone(), ..Default::default() }).await;
    assert_eq!(second.items[0].id, "c49950");
    let q = |s: &str| ContactFilter { query: Some(s.into()), limit: Some(200), ..Default::default() };
    let joao = list(q("joao")).await;
    assert_eq!(joao.items.len(), 200);
    assert!(joao.items.iter().all(|c| c.display_name.as_deref().unwrap().ends_with("João")));
    assert_eq!(list(q("Cliente 4242 ")).await.items.iter().filter(|c| c.id == "c04242").count(), 1);
    let by_phone = list(q("+55 11 90004-2424")).await;
    assert_eq!(by_phone.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c42424"]);
    let paged = list(ContactFilter { query: Some("conceicao".into()), limit: Some(100), ..Default::default() }).await;
    let next = list(ContactFilter {
        query: Some("conceicao".into()),
        limit: Some(100),
        cursor: paged.next_cursor.clone(),
        ..Default::default()
    })
    .await;
    assert_eq!(next.items.len(), 100);
    assert!(paged.items.last().unwrap().id > next.items[0].id, "the next page continues, no repeats");
    let found = find(&h, "Cliente 4242").await;
    assert!(found.contacts.iter().any(|c| c.contact.id == "c04242"));
}
