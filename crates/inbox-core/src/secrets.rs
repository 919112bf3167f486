//! Where secrets live: the OS keychain, and nowhere else.
//!
//! [`SecretStore`] is deliberately tiny so unit tests can use [`MemorySecrets`]; the app and inboxd
//! use [`KeyringSecrets`] (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
//! The trait is synchronous because keyring's API is; the engine always calls it from a blocking
//! thread (`spawn_blocking`), since keyring's sync API panics inside a tokio runtime when it uses
//! the async Secret Service backend.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use crate::{Error, Result};

/// A secret value. Prints as `<redacted>` and cannot be serialized; it can be deserialized, so a
/// command can take a token in (never give one back).
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Sensitive(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, key: &str) -> Result<Option<Sensitive>>;
    fn set(&self, key: &str, value: &Sensitive) -> Result<()>;
    fn delete(&self, key: &str) -> Result<()>;
}

/// The OS keychain, under one service name.
pub struct KeyringSecrets {
    service: String,
}

impl KeyringSecrets {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringSecrets { service: service.into() }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(keychain_error)
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    // keyring's errors describe the platform failure, never the secret itself.
    Error::Secrets(e.to_string())
}

impl SecretStore for KeyringSecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Sensitive(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, key: &str, value: &Sensitive) -> Result<()> {
        self.entry(key)?.set_password(value.expose()).map_err(keychain_error)
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Secrets kept in memory only: for tests, and for an explicitly ephemeral inboxd.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<String, String>>,
}

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive>> {
        Ok(self.values.lock().expect("secrets lock").get(key).cloned().map(Sensitive))
    }
    fn set(&self, key: &str, value: &Sensitive) -> Result<()> {
        self.values.lock().expect("secrets lock").insert(key.to_owned(), value.0.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.values.lock().expect("secrets lock").remove(key);
        Ok(())
    }
}

/// The keychain key of an account's webhook secret.
pub(crate) fn webhook_secret_key(account_id: &str) -> String {
    format!("account/{account_id}/webhook-secret")
}

/// The keychain key of one of an account's provider secrets (a `secret` settings field: an API
/// token, a webhook signing secret).
pub(crate) fn account_secret_key(account_id: &str, field: &str) -> String {
    format!("account/{account_id}/{field}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_never_prints_its_value() {
        let s = Sensitive::new("hunter2");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemorySecrets::default();
        assert!(store.get("k").unwrap().is_none());
        store.set("k", &Sensitive::new("v")).unwrap();
        assert_eq!(store.get("k").unwrap().unwrap().expose(), "v");
        store.delete("k").unwrap();
        assert!(store.get("k").unwrap().is_none());
        store.delete("k").unwrap();
    }
}
