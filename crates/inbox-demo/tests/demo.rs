//! Demo mode: the in-process simulator, one demo account per provider with a conversation that
//! shows what each does, simulated customers and agents, a restart on the same database, also on
//! a machine whose keychain is unavailable.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use inbox_core::{
    Account, ContactFilter, ConversationFilter, ConversationKind, ConversationSummary, DeliveryStatus, Direction,
    HandoffState, Inbox, Message, MessageKind, Provider, Result, SecretStore, SendMessage, Sensitive,
};
use inbox_demo::Demo;

/// A keychain that refuses everything, as on a system with no Secret Service running.
struct NoKeychain;

impl SecretStore for NoKeychain {
    fn get(&self, _: &str) -> Result<Option<Sensitive>> {
        Err(inbox_core::Error::Secrets("no Secret Service".into()))
    }
    fn set(&self, _: &str, _: &Sensitive) -> Result<()> {
        Err(inbox_core::Error::Secrets("no Secret Service".into()))
    }
    fn delete(&self, _: &str) -> Result<()> {
        Err(inbox_core::Error::Secrets("no Secret Service".into()))
    }
}

/// The demo accounts, by provider; exactly one each.
async fn demo_accounts(inbox: &Inbox) -> BTreeMap<&'static str, Account> {
    let accounts = inbox.list_accounts().await.unwrap();
    assert!(accounts.iter().all(|a| a.demo), "{accounts:?}");
    let by_provider: BTreeMap<_, _> = accounts.iter().map(|a| (a.provider.as_str(), a.clone())).collect();
    assert_eq!(by_provider.len(), accounts.len(), "one demo account per provider: {accounts:?}");
    by_provider
}

async fn conversations(inbox: &Inbox, provider: Provider) -> Vec<ConversationSummary> {
    let all = inbox.list_conversations(&ConversationFilter { limit: Some(100), ..Default::default() }).await.unwrap();
    all.items.into_iter().filter(|c| c.provider == provider).collect()
}

/// A conversation's messages, oldest first.
async fn messages(inbox: &Inbox, conversation_id: &str) -> Vec<Message> {
    let mut items = inbox.list_messages(conversation_id, None, Some(200)).await.unwrap().items;
    items.reverse();
    items
}

async fn message_count(inbox: &Inbox) -> usize {
    let all = inbox.list_conversations(&ConversationFilter { limit: Some(100), ..Default::default() }).await.unwrap();
    let mut n = 0;
    for c in all.items {
        n += messages(inbox, &c.id).await.len();
    }
    n
}

/// The one conversation of `provider` (the demo seeds one per hand-off and template provider).
async fn only(inbox: &Inbox, provider: Provider) -> ConversationSummary {
    let mut list = conversations(inbox, provider).await;
    assert_eq!(list.len(), 1, "{provider:?}: {list:?}");
    list.remove(0)
}

/// Sends a text and waits (bounded) until the provider confirmed it.
async fn reply_reaches_the_provider(inbox: &Inbox, conversation_id: &str, text: &str) {
    let sent = inbox.send_message(conversation_id, SendMessage::text(text)).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let m = messages(inbox, conversation_id).await.into_iter().find(|m| m.id == sent.id).unwrap();
        match m.status {
            DeliveryStatus::Pending => {}
            DeliveryStatus::Failed => panic!("the reply failed: {:?}", m.error),
            _ => return,
        }
        assert!(Instant::now() < deadline, "the reply was not confirmed within 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn every_provider_has_a_demo_conversation_that_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = common::open(&dir, Arc::new(NoKeychain)).await;
    let demo = Demo::new(inbox.clone());
    let began = Instant::now();
    let account = demo.start().await.unwrap();
    eprintln!("demo started in {} ms", began.elapsed().as_millis());
    assert!(account.demo);
    assert_eq!(account.provider, Provider::Mconnect);
    assert!(inbox.status().await.unwrap().demo);
    let accounts = demo_accounts(&inbox).await;
    assert_eq!(
        accounts.keys().copied().collect::<Vec<_>>(),
        vec!["cirrus", "mconnect", "omnize", "wegly", "zchat"],
        "five demo accounts, one per provider"
    );
    for a in accounts.values() {
        assert!(a.webhook_url.is_some(), "{a:?}");
    }
    assert_eq!(demo.start().await.unwrap().id, account.id, "a second start returns the running demo");

    // mConnect: an individual customer, a media message and a group whose members are named.
    let mconnect = conversations(&inbox, Provider::Mconnect).await;
    assert_eq!(mconnect.len(), 3, "{mconnect:?}");
    let group = mconnect.iter().find(|c| c.kind == ConversationKind::Group).expect("a group conversation");
    let senders: BTreeSet<_> = messages(&inbox, &group.id).await.into_iter().filter_map(|m| m.sender_name).collect();
    assert!(senders.len() >= 2, "the group's members are named: {senders:?}");
    let mut kinds = Vec::new();
    for c in &mconnect {
        kinds.extend(messages(&inbox, &c.id).await.into_iter().map(|m| m.kind));
    }
    assert!(kinds.contains(&MessageKind::Text) && kinds.contains(&MessageKind::Image), "{kinds:?}");

    // ZChat and Omnize: a hand-off the engine started, accepted by a remote agent who answered.
    for (provider, agent) in [(Provider::Zchat, "Renata Alves"), (Provider::Omnize, "Lívia Prado")] {
        let c = only(&inbox, provider).await;
        let handoff = c.handoff.clone().expect("a hand-off");
        assert_eq!(handoff.state, HandoffState::Accepted, "{provider:?}: {handoff:?}");
        assert_eq!(handoff.agent_name.as_deref(), Some(agent));
        let list = messages(&inbox, &c.id).await;
        let first = &list[0];
        assert_eq!((first.direction, first.status), (Direction::Outbound, DeliveryStatus::Sent), "{first:?}");
        let states: Vec<_> = list
            .iter()
            .filter(|m| m.kind == MessageKind::Event)
            .filter_map(|m| m.payload.as_ref()?.pointer("/event/state")?.as_str().map(str::to_owned))
            .collect();
        assert_eq!(states, ["queued", "accepted"], "{provider:?}: the hand-off's event lines");
        let answer = list.last().unwrap();
        assert_eq!((answer.direction, answer.kind), (Direction::Inbound, MessageKind::Text), "{answer:?}");
        assert_eq!(answer.sender_name.as_deref(), Some(agent));
    }
    assert!(only(&inbox, Provider::Zchat).await.handoff.unwrap().interaction_hash.is_some());

    // Cirrus: a customer's message, an event the inbox does not know, the synced contacts and tags.
    let cirrus = only(&inbox, Provider::Cirrus).await;
    let list = messages(&inbox, &cirrus.id).await;
    assert!(list.iter().any(|m| m.direction == Direction::Inbound && m.kind == MessageKind::Text), "{list:?}");
    let unknown = list.iter().find(|m| m.kind == MessageKind::Unrecognised).expect("an unrecognised event");
    assert_eq!(unknown.payload.as_ref().unwrap()["raw"]["event"], "session.transferred", "{unknown:?}");
    let contacts = inbox
        .list_contacts(&ContactFilter { account_id: Some(accounts["cirrus"].id.clone()), ..Default::default() })
        .await
        .unwrap();
    assert!(contacts.items.len() >= 3, "{:?}", contacts.items);
    let tags: BTreeSet<_> = inbox.list_tags().await.unwrap().into_iter().map(|t| t.name).collect();
    assert!(tags.contains("Cliente VIP") && tags.contains("Atacado"), "{tags:?}");
    assert!(cirrus.contact_id.is_some(), "the conversation is tied to the synced contact");

    // Wegly: a chat opened with a template the customer reacted to, then wrote: the window is open.
    let wegly = only(&inbox, Provider::Wegly).await;
    assert!(wegly.window_expires_at.expect("a window") > Utc::now() + chrono::Duration::hours(23));
    let list = messages(&inbox, &wegly.id).await;
    let template = &list[0];
    assert_eq!((template.kind, template.status), (MessageKind::Template, DeliveryStatus::Sent), "{template:?}");
    assert_eq!(template.payload.as_ref().unwrap()["template"]["name"], "pedido_enviado");
    assert_eq!(template.reactions.iter().map(|r| r.emoji.as_str()).collect::<Vec<_>>(), ["👍"]);
    // Template library: the demo's templates are in the library, and the seeded one shows as sent.
    assert_eq!(
        template.payload.as_ref().unwrap()["template"]["rendered"]["body"],
        "Olá, Juliana! Seu pedido #7310 foi enviado e chega em até 3 dias úteis. Acompanhe a entrega pelo botão abaixo."
    );
    let library = inbox.list_templates(&wegly.account_id).await.unwrap();
    assert!(library.iter().any(|t| t.name == "pedido_enviado" && t.language == "pt_BR"), "{library:?}");
    assert_eq!(library.len(), 4);
    assert!(list.iter().any(|m| m.direction == Direction::Inbound && m.kind == MessageKind::Text), "{list:?}");

    // Simulated customers and agents: each call adds a message, whichever provider it picks.
    for _ in 0..8 {
        let before = message_count(&inbox).await;
        demo.simulate_inbound().await.unwrap();
        assert!(message_count(&inbox).await > before, "simulate_inbound added a message");
    }

    // A real account needs the keychain: a clear error, and nothing left behind.
    let sim = common::sim();
    let err = inbox
        .create_account(inbox_core::NewAccount {
            secrets: Default::default(),
            provider: Provider::Mconnect,
            name: "Real".into(),
            settings: serde_json::json!({"base_url": sim.mconnect_url(), "number": "5511900005555", "company": "c", "username": "u"})
                .as_object()
                .unwrap()
                .clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "keychain_error");
    assert_eq!(inbox.list_accounts().await.unwrap().len(), 5);
    let seeded: BTreeMap<_, _> = inbox
        .list_conversations(&ConversationFilter { limit: Some(100), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    inbox.shutdown().await;

    // Next run: the same accounts, a new simulator, new secrets, no second seeding.
    let inbox = common::open(&dir, Arc::new(NoKeychain)).await;
    let demo = Demo::new(inbox.clone());
    let began = Instant::now();
    let again = demo.start().await.unwrap();
    eprintln!("demo restarted in {} ms", began.elapsed().as_millis());
    assert_eq!(again.id, account.id);
    let restarted = demo_accounts(&inbox).await;
    for (provider, before) in &accounts {
        let now = &restarted[provider];
        assert_eq!(now.id, before.id, "{provider}: the same account");
        assert_ne!(now.webhook_url, before.webhook_url, "{provider}: a fresh webhook secret for this run");
        assert_ne!(now.settings["base_url"], before.settings["base_url"], "{provider}: this run's simulator");
    }
    let after: BTreeMap<_, _> = inbox
        .list_conversations(&ConversationFilter { limit: Some(100), ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    assert_eq!(after, seeded, "the seeds are not repeated");

    // Replies work at the new simulator, also where it needs the provider's own chat back.
    for (provider, title) in [
        (Provider::Zchat, "Carla Mendes"),
        (Provider::Omnize, "Paulo Henrique Dias"),
        (Provider::Cirrus, "Fernanda Lima"),
        (Provider::Wegly, "Juliana Costa"),
    ] {
        let seeded = conversations(&inbox, provider).await.into_iter().find(|c| c.title == title);
        let c = seeded.unwrap_or_else(|| panic!("{provider:?}: no conversation with {title}"));
        reply_reaches_the_provider(&inbox, &c.id, "Perfeito, obrigado pelo retorno!").await;
    }
    let mconnect = conversations(&inbox, Provider::Mconnect).await;
    let individual = mconnect.iter().find(|c| c.kind == ConversationKind::Individual).unwrap();
    reply_reaches_the_provider(&inbox, &individual.id, "Já verifiquei: sai para entrega hoje.").await;

    let before = message_count(&inbox).await;
    demo.simulate_inbound().await.unwrap();
    assert!(message_count(&inbox).await > before, "simulate_inbound added a message after the restart");

    // The previous run's secret, on this run's receiver.
    let old_secret = account.webhook_url.unwrap().rsplit('/').next().unwrap().to_owned();
    let new_url = again.webhook_url.unwrap();
    let stale = format!("{}/{old_secret}", new_url.rsplit_once('/').unwrap().0);
    let old = reqwest::Client::new().post(stale).body("{}").send().await.unwrap();
    assert_eq!(old.status().as_u16(), 401, "the previous run's URL no longer works");
}

#[tokio::test]
async fn simulating_a_customer_needs_the_demo() {
    let h = common::inbox().await;
    assert_eq!(h.demo.simulate_inbound().await.unwrap_err().code(), "unsupported");
}
