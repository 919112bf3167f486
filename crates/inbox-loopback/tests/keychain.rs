//! The real OS keychain (Secret Service on Linux). Ignored in a plain `cargo test` because it
//! needs a keyring daemon; `scripts/test-all.sh` runs it with `--ignored` inside
//! `dbus-run-session` with gnome-keyring unlocked, where it must pass.

mod common;

use std::sync::Arc;

use inbox_core::{KeyringSecrets, SecretStore, Sensitive};

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test]
#[ignore = "needs a Secret Service; run by scripts/test-all.sh inside dbus-run-session"]
async fn secrets_round_trip_through_the_os_keychain() {
    let service = format!("agent-inbox-test-{}", uuid::Uuid::new_v4());
    let store = Arc::new(KeyringSecrets::new(service.clone()));
    let s = store.clone();
    blocking(move || s.set("probe", &Sensitive::new("v1"))).await.expect("Secret Service reachable and unlocked");
    let s = store.clone();
    assert_eq!(blocking(move || s.get("probe")).await.unwrap().unwrap().expose(), "v1");
    let s = store.clone();
    blocking(move || s.delete("probe")).await.unwrap();
    let s = store.clone();
    assert!(blocking(move || s.get("probe")).await.unwrap().is_none());
}

#[tokio::test]
#[ignore = "needs a Secret Service; run by scripts/test-all.sh inside dbus-run-session"]
async fn an_accounts_webhook_secret_lives_in_the_keychain_across_restarts() {
    let service = format!("agent-inbox-test-{}", uuid::Uuid::new_v4());
    let dir = tempfile::tempdir().unwrap();
    let sim = common::sim();
    let inbox = common::open(&dir, Arc::new(KeyringSecrets::new(service.clone()))).await;
    let account = common::mconnect_account(&inbox, &sim).await;
    let url = account.webhook_url.unwrap();
    let secret = url.rsplit('/').next().unwrap().to_owned();
    inbox.shutdown().await;

    // Straight from the keychain, under the account's key.
    let probe = KeyringSecrets::new(service.clone());
    let key = format!("account/{}/webhook-secret", account.id);
    let stored = blocking(move || probe.get(&key)).await.unwrap().expect("secret in keychain");
    assert_eq!(stored.expose(), secret);

    // A new run (new process state) finds it again and shows the same URL.
    let inbox = common::open(&dir, Arc::new(KeyringSecrets::new(service.clone()))).await;
    let listed = inbox.list_accounts().await.unwrap();
    assert_eq!(
        listed[0].webhook_url.as_deref().map(|u| u.rsplit('/').next().unwrap().to_owned()),
        Some(secret.clone())
    );

    let cleanup = KeyringSecrets::new(service);
    let key = format!("account/{}/webhook-secret", account.id);
    blocking(move || cleanup.delete(&key)).await.unwrap();
}
