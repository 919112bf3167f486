//! SQLite storage: one file, WAL, synchronous=FULL, foreign keys on; embedded migrations;
//! compile-checked queries (offline data in `.sqlx/`, so a build needs no database).
//!
//! Every write that belongs together happens in one `BEGIN IMMEDIATE` transaction, so SQLite's
//! single writer is taken up front instead of failing half-way with "database is locked".

mod accounts;
// the contact panel, merges and CSV
mod contact_csv;
mod contact_merge;
mod contact_profile;
// Canned responses and settings.
mod canned;
mod contacts;
mod conversations;
// drafts and internal notes
mod drafts;
mod events;
// Files from disk
mod media;
mod messages;
// search
mod search;
mod tags;
// Template library.
mod templates;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::model::{Capability, DeliveryStatus, Provider};
use crate::{Error, Result};

#[cfg(test)]
pub(crate) use messages::Ingested;
#[cfg(test)]
pub(crate) use tags::PulledTag;
// search
pub(crate) use search::{MessageScope, fts};
// the contact panel, merges and CSV
pub(crate) use contact_csv::ImportContact;
pub(crate) use contact_merge::MergeOutcome;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// SQLite older than this carries the WAL-reset corruption bug.
pub const MIN_SQLITE_VERSION: (u32, u32, u32) = (3, 51, 3);

/// What applying one event changed, for the engine to announce.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    MessageAdded {
        conversation_id: String,
        message_id: String,
    },
    /// The provider delivered this message before; nothing was stored.
    Duplicate,
    StatusChanged {
        conversation_id: String,
        message_id: String,
        status: DeliveryStatus,
        error: Option<String>,
    },
    /// A message's reactions or deletion changed.
    MessageChanged {
        conversation_id: String,
        message_id: String,
    },
    ConversationChanged {
        conversation_id: String,
    },
    Typing {
        conversation_id: String,
        who: Option<String>,
        active: bool,
    },
    /// Nothing to store (an ignored delivery, a status for a message we do not know).
    Nothing,
}

/// What an account of this provider with these settings can do. The store does not know
/// who answers that: the engine hands it this when it opens it, for the summaries it reads.
pub type CapabilitiesOf = fn(Provider, &serde_json::Map<String, serde_json::Value>) -> Vec<Capability>;

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    capabilities: CapabilitiesOf,
}

/// The connection settings actually in force, read back from SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    pub sqlite_version: String,
    pub journal_mode: String,
    /// 2 is FULL.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
}

impl Store {
    pub async fn open(path: &Path, capabilities: CapabilitiesOf) -> Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // SQLite has one writer; a few connections are enough for concurrent readers.
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let store = Store { pool, capabilities };
        let version = store.pragmas().await?.sqlite_version;
        if parse_version(&version) < MIN_SQLITE_VERSION {
            return Err(Error::SqliteTooOld(version));
        }
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    pub async fn pragmas(&self) -> Result<Pragmas> {
        let mut conn = self.pool.acquire().await?;
        let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&mut *conn).await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
        let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await?;
        Ok(Pragmas { sqlite_version, journal_mode, synchronous, foreign_keys: foreign_keys == 1, busy_timeout_ms })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

fn parse_version(v: &str) -> (u32, u32, u32) {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Keyset pagination cursor: the sort key of the last item on a page, opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub at: i64,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", self.at, self.id))
    }

    pub fn decode(s: &str) -> Result<Cursor> {
        let bad = || Error::invalid(text!("page.invalid_cursor"));
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let raw = String::from_utf8(raw).map_err(|_| bad())?;
        let (at, id) = raw.split_once(':').ok_or_else(bad)?;
        Ok(Cursor { at: at.parse().map_err(|_| bad())?, id: id.to_owned() })
    }
}

pub(crate) fn page_limit(limit: Option<u32>) -> i64 {
    i64::from(limit.unwrap_or(50).clamp(1, 200))
}

/// Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page,
/// whose cursor is the sort key of the page's last item.
pub(crate) fn into_page<T>(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> crate::model::Page<T> {
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|item| key(item).encode())
    } else {
        None
    };
    crate::model::Page { items, next_cursor }
}
