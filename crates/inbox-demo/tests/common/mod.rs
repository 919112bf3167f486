//! One way into the engine for the demo's tests: a fresh SQLite file, the given secret store, the
//! webhook receiver on a free loopback port, and the engine's demo.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use inbox_core::{Config, Inbox, MemorySecrets, SecretStore};
use inbox_demo::Demo;
use inbox_sim::{SimHandle, Simulator};

pub struct Harness {
    pub inbox: Inbox,
    pub demo: Demo,
    pub dir: tempfile::TempDir,
}

/// An engine with in-memory secrets and its demo, not started.
pub async fn inbox() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let inbox = open(&dir, Arc::new(MemorySecrets::default())).await;
    let demo = Demo::new(inbox.clone());
    Harness { inbox, demo, dir }
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
