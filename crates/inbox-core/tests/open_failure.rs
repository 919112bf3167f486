//! Each way the engine can fail to open, made for real on disk, and how it is classified; and
//! moving a damaged database aside.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use inbox_core::open_failure::{FailureKind, StartupFailure, move_aside};
use inbox_core::{Config, Inbox, MemorySecrets};

fn config(database: &Path) -> Config {
    Config { database: database.to_path_buf(), webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)), public_url: None }
}

/// Opens the engine on `config`, expecting it to fail, and classifies the failure.
async fn failure(config: &Config) -> StartupFailure {
    match Inbox::open(config.clone(), Arc::new(MemorySecrets::default())).await {
        Ok(_) => panic!("the engine opened"),
        Err(e) => StartupFailure::classify(&e, config),
    }
}

async fn fresh_database(path: &Path) {
    let inbox = Inbox::open(config(path), Arc::new(MemorySecrets::default())).await.unwrap();
    inbox.shutdown().await;
}

async fn sql(path: &Path, statement: &'static str) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query(statement).execute(&pool).await.unwrap();
    pool.close().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    std::fs::write(&path, "this is not a database, just some text that fills more than one header".repeat(20)).unwrap();
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::CorruptDatabase, "{f:?}");
    assert_eq!(f.path.as_deref(), Some(path.as_path()));
    assert!(f.detail.contains("not a database"), "{}", f.detail);
    assert!(f.may_move_aside());
    assert_eq!(serde_json::to_value(&f).unwrap()["kind"], "corrupt_database");
}

#[tokio::test]
async fn a_damaged_schema_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    fresh_database(&path).await;
    // Overwrite page 1 after the 100-byte file header: the schema's b-tree page.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 4096, "the database has more than one page");
    bytes[100..1000].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::CorruptDatabase, "{f:?}");
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    fresh_database(&path).await;
    sql(
        &path,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99991231000000, 'from a later version', 1, x'00', 1)",
    )
    .await;
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::NewerDatabase, "{f:?}");
    assert!(f.detail.contains("99991231000000"), "{}", f.detail);
    assert!(!f.may_move_aside(), "a newer database is healthy and must stay where it is");
}

#[tokio::test]
async fn an_edited_migration_is_a_failed_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    fresh_database(&path).await;
    sql(
        &path,
        "UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = (SELECT MIN(version) FROM _sqlx_migrations)",
    )
    .await;
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::MigrationFailed, "{f:?}");
}

#[tokio::test]
async fn a_database_held_by_another_process_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    fresh_database(&path).await;
    // Another program holds the file's exclusive lock for as long as its connection lives.
    let holder = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete)
        .locking_mode(sqlx::sqlite::SqliteLockingMode::Exclusive);
    let mut conn = sqlx::ConnectOptions::connect(&holder).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await.unwrap();
    sqlx::query("CREATE TABLE held (x)").execute(&mut conn).await.unwrap();
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::DatabaseLocked, "{f:?}");
    assert!(!f.may_move_aside());
    drop(conn);
}

#[tokio::test]
async fn a_data_folder_that_cannot_be_made_is_a_folder_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let f = failure(&config(&file.join("inbox.db"))).await;
    assert_eq!(f.kind, FailureKind::DataFolder, "{f:?}");
}

#[tokio::test]
async fn a_database_that_cannot_be_created_is_a_folder_problem() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the database file should be: SQLite cannot open it.
    let path = dir.path().join("inbox.db");
    std::fs::create_dir(&path).unwrap();
    let f = failure(&config(&path)).await;
    assert_eq!(f.kind, FailureKind::DataFolder, "{f:?}");
}

#[tokio::test]
async fn a_webhook_address_in_use_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = config(&dir.path().join("inbox.db"));
    config.webhook_listen = taken.local_addr().unwrap();
    let f = failure(&config).await;
    assert_eq!(f.kind, FailureKind::WebhookAddress, "{f:?}");
    assert!(f.detail.contains(&taken.local_addr().unwrap().to_string()), "{}", f.detail);
}

#[test]
fn an_old_sqlite_is_recognised() {
    let config = config(Path::new("/data/inbox.db"));
    let f = StartupFailure::classify(&inbox_core::Error::SqliteTooOld("3.45.1".into()), &config);
    assert_eq!(f.kind, FailureKind::SqliteTooOld);
    assert!(f.detail.contains("3.45.1") && f.detail.contains("3.51.3"), "{}", f.detail);
    let other = StartupFailure::classify(&inbox_core::Error::Internal("x".into()), &config);
    assert_eq!(other.kind, FailureKind::Other);
}

#[tokio::test]
async fn moving_a_damaged_database_aside_keeps_it_and_lets_a_fresh_one_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    std::fs::write(&path, b"garbage, not a database".repeat(10)).unwrap();
    assert_eq!(failure(&config(&path)).await.kind, FailureKind::CorruptDatabase);
    std::fs::write(dir.path().join("inbox.db-wal"), b"its log").unwrap();
    std::fs::write(dir.path().join("inbox.db-shm"), b"its index").unwrap();

    let moved = move_aside(&path).unwrap();
    let name = moved.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("inbox.db.damaged-"), "{name}");
    assert_eq!(moved.parent(), path.parent());
    assert_eq!(std::fs::read(&moved).unwrap(), b"garbage, not a database".repeat(10));
    assert_eq!(std::fs::read(format!("{}-wal", moved.display())).unwrap(), b"its log");
    assert_eq!(std::fs::read(format!("{}-shm", moved.display())).unwrap(), b"its index");
    assert!(!path.exists() && !dir.path().join("inbox.db-wal").exists() && !dir.path().join("inbox.db-shm").exists());

    let inbox = Inbox::open(config(&path), Arc::new(MemorySecrets::default())).await.unwrap();
    assert_eq!(inbox.list_accounts().await.unwrap().len(), 0);
    inbox.shutdown().await;

    // A second damaged file in the same second gets its own name; nothing is overwritten.
    std::fs::write(&path, b"more garbage").unwrap();
    std::fs::remove_file(dir.path().join("inbox.db-wal")).ok();
    std::fs::remove_file(dir.path().join("inbox.db-shm")).ok();
    let again = move_aside(&path).unwrap();
    assert_ne!(again, moved);
    assert_eq!(std::fs::read(&again).unwrap(), b"more garbage");
    assert!(moved.exists());
}
