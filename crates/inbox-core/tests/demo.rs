//! Demo mode: the in-process simulator, the demo account and simulated customers, also on a
//! machine whose keychain is unavailable.

mod common;

use std::sync::Arc;

use inbox_core::{ConversationFilter, Event, Result, SecretStore, Sensitive};

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

#[tokio::test]
async fn the_demo_runs_without_a_keychain_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = common::open(&dir, Arc::new(NoKeychain)).await;
    let account = inbox.start_demo().await.unwrap();
    assert!(account.demo);
    assert!(inbox.status().await.unwrap().demo);
    let seeded = inbox.list_conversations(&ConversationFilter::default()).await.unwrap();
    assert_eq!(seeded.items.len(), 3, "an individual, a group and a media conversation");

    let mut events = inbox.subscribe();
    inbox.simulate_inbound().await.unwrap();
    common::next_event(&mut events, |e| matches!(e, Event::MessageAdded { .. }).then_some(())).await;

    // A real account needs the keychain: a clear error, and nothing left behind.
    let sim = common::sim();
    let err = inbox
        .create_account(inbox_core::NewAccount {
            secrets: Default::default(),
            provider: inbox_core::Provider::Mconnect,
            name: "Real".into(),
            settings: serde_json::json!({"base_url": sim.mconnect_url(), "number": "5511900005555", "company": "c", "username": "u"})
                .as_object()
                .unwrap()
                .clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "keychain_error");
    assert_eq!(inbox.list_accounts().await.unwrap().len(), 1);
    inbox.shutdown().await;

    // Next run: the same demo account, a new simulator, a new secret, webhooks flowing again.
    let inbox = common::open(&dir, Arc::new(NoKeychain)).await;
    let again = inbox.start_demo().await.unwrap();
    assert_eq!(again.id, account.id);
    assert_ne!(again.webhook_url, account.webhook_url, "a fresh secret for this run");
    let mut events = inbox.subscribe();
    inbox.simulate_inbound().await.unwrap();
    common::next_event(&mut events, |e| matches!(e, Event::MessageAdded { .. }).then_some(())).await;
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
    assert_eq!(h.inbox.simulate_inbound().await.unwrap_err().code(), "unsupported");
}
