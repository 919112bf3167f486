//! One way into the engine for every test: a fresh SQLite file, in-memory secrets, the webhook
//! receiver on a free loopback port, and (when asked) the simulator beside it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use inbox_core::{Account, Config, Event, Inbox, MemorySecrets, NewAccount, Provider, SecretStore};
use inbox_sim::{SimHandle, Simulator};
use tokio::sync::broadcast;

pub const NUMBER: &str = "5511900001111";

pub struct Harness {
    pub inbox: Inbox,
    pub dir: tempfile::TempDir,
    pub secrets: Arc<MemorySecrets>,
}

impl Harness {
    /// A connection of its own to the engine's database, to read what the engine stored.
    pub async fn pool(&self) -> sqlx::SqlitePool {
        sqlx::SqlitePool::connect(&format!("sqlite://{}", self.dir.path().join("inbox.db").display())).await.unwrap()
    }

    /// Whether the database file or its write-ahead log holds `needle` anywhere (for secrets that
    /// must never reach SQLite).
    pub fn database_contains(&self, needle: &[u8]) -> bool {
        let db = std::fs::read(self.dir.path().join("inbox.db")).unwrap();
        let wal = std::fs::read(self.dir.path().join("inbox.db-wal")).unwrap_or_default();
        [db, wal].iter().any(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    }
}

pub async fn inbox() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let inbox = open(&dir, secrets.clone()).await;
    Harness { inbox, dir, secrets }
}

pub async fn open(dir: &tempfile::TempDir, secrets: Arc<dyn SecretStore>) -> Inbox {
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    Inbox::open(config, secrets).await.unwrap()
}

pub fn sim() -> SimHandle {
    Simulator::start(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap()
}

pub async fn mconnect_account(inbox: &Inbox, sim: &SimHandle) -> Account {
    inbox
        .create_account(NewAccount {
            secrets: Default::default(),
            provider: Provider::Mconnect,
            name: "Loja Centro".into(),
            settings: serde_json::json!({
                "base_url": sim.mconnect_url(),
                "number": NUMBER,
                "company": "cal4care",
                "username": "agent1",
            })
            .as_object()
            .unwrap()
            .clone(),
        })
        .await
        .unwrap()
}

/// Waits (bounded) for the first event matching `pick`.
pub async fn next_event<T>(rx: &mut broadcast::Receiver<Event>, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let event = rx.recv().await.expect("event stream closed");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    })
    .await
    .expect("expected event did not arrive within 10 s")
}

/// Polls `check` (every 20 ms, for at most 10 s) until it answers something.
pub async fn until<T>(mut check: impl AsyncFnMut() -> Option<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(found) = check().await {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("condition met within 10 s")
}
