//! The store's own tests, against real SQLite files: the behaviour any implementation of the
//! storage interface (`Store`'s methods) must keep. They open the engine on a temporary folder
//! and reach its store directly.

// the contact panel, merges and CSV
mod canned;
mod contact_book;
mod contacts;
// search
mod search;
// drafts and internal notes
mod drafts;
mod storage;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::exchange::AccountRow;
use crate::{Config, Inbox, MemorySecrets, Provider};

pub(crate) struct Harness {
    pub inbox: Inbox,
    pub dir: tempfile::TempDir,
}

impl Harness {
    /// A connection of its own to the engine's database, to read what the engine stored.
    pub async fn pool(&self) -> sqlx::SqlitePool {
        sqlx::SqlitePool::connect(&format!("sqlite://{}", self.dir.path().join("inbox.db").display())).await.unwrap()
    }
}

impl Inbox {
    pub(crate) fn store(&self) -> &super::Store {
        &self.inner.store
    }
}

pub(crate) async fn inbox() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let inbox = open(&dir).await;
    Harness { inbox, dir }
}

/// The engine on `dir`'s database (a second open of the same folder is a restart).
pub(crate) async fn open(dir: &tempfile::TempDir) -> Inbox {
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    Inbox::open(config, Arc::new(MemorySecrets::default())).await.unwrap()
}

/// An mConnect account stored as it is, with no provider call.
pub(crate) async fn mconnect_account(h: &Harness) -> String {
    let row = AccountRow {
        id: super::new_id(),
        provider: Provider::Mconnect,
        name: "Loja Centro".into(),
        settings: serde_json::json!({
            "base_url": "http://127.0.0.1:9/api/v1.0/whatsapp-omni/",
            "number": "5511900001111",
            "company": "cal4care",
            "username": "agent1",
        })
        .as_object()
        .unwrap()
        .clone(),
        demo: false,
        created_at: chrono::Utc::now(),
    };
    h.inbox.store().insert_account(&row, &[0u8; 32]).await.unwrap();
    row.id
}

/// Cursors and version checks.
mod basics {
    use crate::store::*;
    use base64::Engine as _;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor { at: 1_700_000_000_123, id: "0193-abc".into() };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert_eq!(Cursor::decode("%%%").unwrap_err().code(), "invalid_input");
        assert_eq!(
            Cursor::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("nocolon")).unwrap_err().code(),
            "invalid_input"
        );
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(parse_version("3.51.3") >= MIN_SQLITE_VERSION);
        assert!(parse_version("3.46.0") < MIN_SQLITE_VERSION);
        assert!(parse_version("3.100.0") > MIN_SQLITE_VERSION);
    }
}
