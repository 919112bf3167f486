//! Why the engine could not open, in terms a shell can show the agent: what kind of failure it
//! was, which file it concerns and the error's own text, so the window can say what happened and
//! what to do instead of the app exiting.
//!
//! The kind comes from SQLite's result codes and sqlx's migration errors, never from message
//! text. The detail is the error's text: paths and SQLite's words, never a secret (no error of
//! the engine carries one).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{Config, Error};

/// What kind of failure kept the engine from opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The SQLite library in this build is older than the store accepts.
    SqliteTooOld,
    /// The database was migrated by a newer version of the app.
    NewerDatabase,
    /// A migration of the database failed.
    MigrationFailed,
    /// The database file is not a database, or is damaged.
    CorruptDatabase,
    /// Another process holds the database.
    DatabaseLocked,
    /// The data folder or the database file cannot be created, read or written.
    DataFolder,
    /// The webhook receiver's address is taken or not available.
    WebhookAddress,
    Other,
}

/// A failure to open the engine, as the shell shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StartupFailure {
    pub kind: FailureKind,
    /// The database file the failure concerns.
    #[ts(type = "string | null")]
    pub path: Option<PathBuf>,
    /// The error's text, for the agent to copy into a support request.
    pub detail: String,
}

// SQLite's primary result codes (https://sqlite.org/rescode.html).
const SQLITE_PERM: i64 = 3;
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_READONLY: i64 = 8;
const SQLITE_CORRUPT: i64 = 11;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;
const SQLITE_NOTADB: i64 = 26;

impl StartupFailure {
    /// Classifies an error from [`crate::Inbox::open`] (or the first calls after it) under `config`.
    pub fn classify(error: &Error, config: &Config) -> StartupFailure {
        let kind = kind_of(error);
        let detail = match kind {
            FailureKind::WebhookAddress => format!("{} ({error})", config.webhook_listen),
            _ => error.to_string(),
        };
        StartupFailure { kind, path: Some(config.database.clone()), detail }
    }

    /// Only a damaged database may be moved aside: any other can still be opened once its
    /// cause is gone, and must stay where it is.
    pub fn may_move_aside(&self) -> bool {
        self.kind == FailureKind::CorruptDatabase
    }
}

fn kind_of(error: &Error) -> FailureKind {
    use sqlx::migrate::MigrateError;
    match error {
        Error::SqliteTooOld(_) => FailureKind::SqliteTooOld,
        Error::Storage(e) => sqlx_kind(e).unwrap_or(FailureKind::Other),
        Error::Migration(MigrateError::VersionMissing(_)) => FailureKind::NewerDatabase,
        Error::Migration(MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _)) => {
            sqlx_kind(e).unwrap_or(FailureKind::MigrationFailed)
        }
        Error::Migration(_) => FailureKind::MigrationFailed,
        Error::Io(e) => match e.kind() {
            std::io::ErrorKind::AddrInUse | std::io::ErrorKind::AddrNotAvailable => FailureKind::WebhookAddress,
            _ => FailureKind::DataFolder,
        },
        _ => FailureKind::Other,
    }
}

fn sqlx_kind(error: &sqlx::Error) -> Option<FailureKind> {
    match error {
        sqlx::Error::Database(db) => {
            // sqlx gives SQLite's extended result code; its low byte is the primary code.
            let code = db.code()?.parse::<i64>().ok()? & 0xff;
            match code {
                SQLITE_NOTADB | SQLITE_CORRUPT => Some(FailureKind::CorruptDatabase),
                SQLITE_BUSY | SQLITE_LOCKED => Some(FailureKind::DatabaseLocked),
                SQLITE_PERM | SQLITE_READONLY | SQLITE_FULL | SQLITE_CANTOPEN => Some(FailureKind::DataFolder),
                _ => None,
            }
        }
        sqlx::Error::Io(_) => Some(FailureKind::DataFolder),
        _ => None,
    }
}

/// Renames a damaged database, with its `-wal` and `-shm` files, to `<name>.damaged-<UTC time>`
/// in the same folder, so a fresh one can be created in its place. Nothing is deleted; the
/// write-ahead log stays beside the file it belongs to. Returns the new path of the database.
pub fn move_aside(database: &Path) -> std::io::Result<PathBuf> {
    let name = database
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the database path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut target = database.with_file_name(format!("{name}.damaged-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = database.with_file_name(format!("{name}.damaged-{stamp}-{n}"));
    }
    // The sidecars first: a database left without its log is still the old one, while a log
    // left behind would be replayed into the fresh database.
    for suffix in ["-wal", "-shm"] {
        let sidecar = database.with_file_name(format!("{name}{suffix}"));
        if sidecar.exists() {
            let mut moved = target.clone().into_os_string();
            moved.push(suffix);
            std::fs::rename(&sidecar, moved)?;
        }
    }
    std::fs::rename(database, &target)?;
    Ok(target)
}
