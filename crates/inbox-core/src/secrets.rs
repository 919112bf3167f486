//! Where secrets live: the OS keychain, and nowhere else (a demo account's, in memory only).
//!
//! [`SecretStore`] is deliberately tiny so unit tests can use [`MemorySecrets`]; the app and inboxd
//! use [`KeyringSecrets`] (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
//! The engine holds whichever it is given inside one [`CachedSecrets`], which remembers what it
//! has read or written and keeps the keys registered as volatile (a demo account's) in memory only.
//! The trait is synchronous because keyring's API is; the engine always calls it from a blocking
//! thread (`spawn_blocking`), since keyring's sync API panics inside a tokio runtime when it uses
//! the async Secret Service backend.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
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

/// The durable store (the keychain) behind a cache of what has been read or written, so listing
/// accounts does not reach the keychain each time. Keys under a prefix registered with
/// [`CachedSecrets::keep_in_memory`] never reach the durable store: they live in the cache only,
/// and are gone when the process ends.
pub struct CachedSecrets {
    durable: Arc<dyn SecretStore>,
    cache: Mutex<HashMap<String, Sensitive>>,
    volatile: Mutex<HashSet<String>>,
}

impl CachedSecrets {
    pub fn new(durable: Arc<dyn SecretStore>) -> Self {
        CachedSecrets { durable, cache: Mutex::default(), volatile: Mutex::default() }
    }

    /// From now on, keys starting with `prefix` are kept in memory only.
    pub fn keep_in_memory(&self, prefix: impl Into<String>) {
        self.volatile.lock().expect("secrets lock").insert(prefix.into());
    }

    /// The value already in memory, if any: answered without reaching the durable store, so
    /// without a blocking call.
    pub fn cached(&self, key: &str) -> Option<Sensitive> {
        self.cache.lock().expect("secrets lock").get(key).cloned()
    }

    fn is_volatile(&self, key: &str) -> bool {
        self.volatile.lock().expect("secrets lock").iter().any(|prefix| key.starts_with(prefix.as_str()))
    }

    fn remember(&self, key: &str, value: &Sensitive) {
        self.cache.lock().expect("secrets lock").insert(key.to_owned(), value.clone());
    }
}

impl SecretStore for CachedSecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive>> {
        if let Some(value) = self.cached(key) {
            return Ok(Some(value));
        }
        if self.is_volatile(key) {
            return Ok(None);
        }
        let value = self.durable.get(key)?;
        if let Some(value) = &value {
            self.remember(key, value);
        }
        Ok(value)
    }

    fn set(&self, key: &str, value: &Sensitive) -> Result<()> {
        if !self.is_volatile(key) {
            self.durable.set(key, value)?;
        }
        self.remember(key, value);
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.cache.lock().expect("secrets lock").remove(key);
        if self.is_volatile(key) {
            return Ok(());
        }
        self.durable.delete(key)
    }
}

/// The prefix of every keychain key of an account.
pub(crate) fn account_prefix(account_id: &str) -> String {
    format!("account/{account_id}/")
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

    /// A store that counts the calls it gets, in front of memory.
    #[derive(Default)]
    struct Counting {
        memory: MemorySecrets,
        gets: Mutex<Vec<String>>,
        sets: Mutex<Vec<String>>,
        deletes: Mutex<Vec<String>>,
    }

    impl SecretStore for Counting {
        fn get(&self, key: &str) -> Result<Option<Sensitive>> {
            self.gets.lock().unwrap().push(key.to_owned());
            self.memory.get(key)
        }
        fn set(&self, key: &str, value: &Sensitive) -> Result<()> {
            self.sets.lock().unwrap().push(key.to_owned());
            self.memory.set(key, value)
        }
        fn delete(&self, key: &str) -> Result<()> {
            self.deletes.lock().unwrap().push(key.to_owned());
            self.memory.delete(key)
        }
    }

    fn cached() -> (Arc<Counting>, CachedSecrets) {
        let durable = Arc::new(Counting::default());
        (durable.clone(), CachedSecrets::new(durable))
    }

    #[test]
    fn a_cache_hit_does_not_reach_the_durable_store() {
        let (durable, store) = cached();
        durable.memory.set("a", &Sensitive::new("from the keychain")).unwrap();
        assert_eq!(store.get("a").unwrap().unwrap().expose(), "from the keychain");
        assert_eq!(store.get("a").unwrap().unwrap().expose(), "from the keychain");
        assert_eq!(*durable.gets.lock().unwrap(), ["a"], "read once, then from memory");

        store.set("b", &Sensitive::new("written")).unwrap();
        assert_eq!(*durable.sets.lock().unwrap(), ["b"], "written through");
        assert_eq!(store.get("b").unwrap().unwrap().expose(), "written");
        assert_eq!(store.cached("b").unwrap().expose(), "written");
        assert_eq!(*durable.gets.lock().unwrap(), ["a"], "what was written is read from memory");

        // A miss is not remembered: a value set behind the cache's back is found later.
        assert!(store.get("c").unwrap().is_none());
        durable.memory.set("c", &Sensitive::new("later")).unwrap();
        assert_eq!(store.get("c").unwrap().unwrap().expose(), "later");
    }

    #[test]
    fn volatile_keys_never_reach_the_durable_store() {
        let (durable, store) = cached();
        store.keep_in_memory(account_prefix("demo1"));
        let key = account_secret_key("demo1", "token");
        assert!(store.get(&key).unwrap().is_none());
        store.set(&key, &Sensitive::new("t")).unwrap();
        store.set(&webhook_secret_key("demo1"), &Sensitive::new("w")).unwrap();
        assert_eq!(store.get(&key).unwrap().unwrap().expose(), "t");
        assert_eq!(store.get(&webhook_secret_key("demo1")).unwrap().unwrap().expose(), "w");
        store.delete(&key).unwrap();
        assert!(store.get(&key).unwrap().is_none());
        assert!(durable.gets.lock().unwrap().is_empty());
        assert!(durable.sets.lock().unwrap().is_empty());
        assert!(durable.deletes.lock().unwrap().is_empty());

        // Another account under a longer id with the same start is not volatile.
        let other = account_secret_key("demo10", "token");
        store.set(&other, &Sensitive::new("kept")).unwrap();
        assert_eq!(*durable.sets.lock().unwrap(), [other]);
    }

    #[test]
    fn a_volatile_key_works_when_the_durable_store_fails() {
        let store = CachedSecrets::new(Arc::new(Failing));
        store.keep_in_memory(account_prefix("demo"));
        store.set(&webhook_secret_key("demo"), &Sensitive::new("w")).unwrap();
        assert_eq!(store.get(&webhook_secret_key("demo")).unwrap().unwrap().expose(), "w");
        store.delete(&webhook_secret_key("demo")).unwrap();
        let err = store.set(&webhook_secret_key("real"), &Sensitive::new("w")).unwrap_err();
        assert_eq!(err.code(), "keychain_error");
        assert!(store.cached(&webhook_secret_key("real")).is_none(), "a failed write is not remembered");
    }

    struct Failing;

    impl SecretStore for Failing {
        fn get(&self, _: &str) -> Result<Option<Sensitive>> {
            Err(Error::Secrets("no keychain".into()))
        }
        fn set(&self, _: &str, _: &Sensitive) -> Result<()> {
            Err(Error::Secrets("no keychain".into()))
        }
        fn delete(&self, _: &str) -> Result<()> {
            Err(Error::Secrets("no keychain".into()))
        }
    }

    #[test]
    fn delete_removes_from_memory_and_the_durable_store() {
        let (durable, store) = cached();
        store.set("k", &Sensitive::new("v")).unwrap();
        store.delete("k").unwrap();
        assert_eq!(*durable.deletes.lock().unwrap(), ["k"]);
        assert!(store.cached("k").is_none());
        assert!(durable.memory.get("k").unwrap().is_none());
        assert!(store.get("k").unwrap().is_none());
    }
}
