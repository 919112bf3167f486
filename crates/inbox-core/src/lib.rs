//! Agent Inbox's engine.
//!
//! [`Inbox`] is the one handle the shells hold: it owns the SQLite store, the HTTP client, the
//! secret store, the webhook receiver and the event broadcast. Its async methods are the command
//! set that both transports (the desktop shell's IPC and inboxd's HTTP API) expose unchanged.
//!
//! This crate never depends on Tauri or on any transport.

#[macro_use]
pub mod text;

mod accounts;
// Canned responses and the inbox's settings; long texts split into several messages.
mod canned;
mod capable;
// the contact panel, merges and CSV
mod contact_book;
mod contact_csv;
mod contacts;
mod conversations;
// drafts and internal notes
mod drafts;
mod error;
pub mod events;
// Files from disk: the local media store.
pub mod exchange;
pub mod media;
pub mod model;
pub mod open_failure;
mod outbound;
pub mod providers;
// search
mod search;
pub mod secrets;
mod split;
mod store;
// Template library.
pub mod templates;
#[cfg(feature = "test-support")]
pub mod testing;
mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

pub use drafts::{Draft, DraftInput, DraftPreview, MAX_DRAFT_CHARS, MAX_NOTE_CHARS, NewNote};
pub use error::{Error, ErrorBody, Result};
pub use events::Event;
pub use model::*;
pub use secrets::{KeyringSecrets, MemorySecrets, SecretStore, Sensitive};
pub use text::{Lang, Text};
// Template library.
pub use templates::{
    LibraryTemplate, LibraryTemplateInput, RenderedTemplate, TemplateButton, TemplateButtonKind, TemplateCategory,
    TemplateImport, TemplateImportAction, TemplateImportItem, TemplateImportPreview, TemplateIssue, TemplateSlot,
};
pub use webhook::MAX_BODY_BYTES as WEBHOOK_MAX_BODY_BYTES;

use secrets::CachedSecrets;
use store::{Applied, Store};

pub use outbound::MAX_TEXT_CHARS;
// search
pub use search::{
    ContactHit, ConversationHit, MessageHit, MessageWindow, SearchQuery, SearchResults, SearchSide, TextSegment,
};
// the contact panel, merges and CSV
pub use contact_csv::MAX_CSV_BYTES;
// Canned responses and the inbox's settings; long texts split into several messages.
pub use canned::{AppSettings, AppSettingsPatch, CannedResponse, CannedResponseInput, FilledCannedResponse};
pub use split::split_text;

#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file; created with its folder if missing.
    pub database: PathBuf,
    /// Where the webhook receiver listens. Port 0 picks a free port.
    pub webhook_listen: SocketAddr,
    /// The base URL providers reach the receiver at (a tunnel, a server). Defaults to the
    /// receiver's own loopback address.
    pub public_url: Option<String>,
}

#[derive(Clone)]
pub struct Inbox {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    http: reqwest::Client,
    /// The keychain given to [`Inbox::open`], behind one cache; demo accounts' keys stay in memory.
    secrets: Arc<CachedSecrets>,
    events: broadcast::Sender<Event>,
    webhook_addr: SocketAddr,
    public_url: String,
    receiver: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Whether a demo runs against this engine (see [`Inbox::set_demo_running`]).
    demo_running: AtomicBool,
    /// Files from disk: the media store's folder, beside the database (see `media.rs`).
    media_dir: PathBuf,
}

impl Inbox {
    /// Opens the database (migrating it), starts the webhook receiver, and marks sends that a
    /// previous run left unconfirmed as failed. `secrets` is the durable store (the keychain); the
    /// engine caches what it reads and writes there, and keeps demo accounts' secrets in memory.
    #[tracing::instrument(skip(secrets), err)]
    pub async fn open(config: Config, secrets: Arc<dyn SecretStore>) -> Result<Inbox> {
        if let Some(dir) = config.database.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let store = Store::open(&config.database, providers::capabilities).await?;
        let interrupted = store.fail_interrupted_sends().await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "outbound messages left unconfirmed by the last run were marked failed");
        }
        let secrets = Arc::new(CachedSecrets::new(secrets));
        for row in store.demo_accounts().await? {
            secrets.keep_in_memory(secrets::account_prefix(&row.id));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .user_agent(concat!("AgentInbox/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Internal(format!("http client: {e}")))?;
        let listener = webhook::bind(config.webhook_listen).await?;
        let webhook_addr = listener.local_addr()?;
        let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{webhook_addr}"));
        let (events, _) = broadcast::channel(1024);
        let media_dir = config.database.parent().map_or_else(|| PathBuf::from("media"), |dir| dir.join("media"));
        let inbox = Inbox {
            inner: Arc::new(Inner {
                store,
                http,
                secrets,
                events,
                webhook_addr,
                public_url,
                receiver: Mutex::default(),
                demo_running: AtomicBool::new(false),
                media_dir,
            }),
        };
        // The receiver holds a clone of the handle; `shutdown` stops it.
        let task = tokio::spawn(webhook::serve(listener, inbox.clone()));
        *inbox.inner.receiver.lock().expect("receiver lock") = Some(task);
        tracing::info!(%webhook_addr, "webhook receiver listening");
        Ok(inbox)
    }

    /// Stops the webhook receiver and closes the database.
    pub async fn shutdown(&self) {
        if let Some(task) = self.inner.receiver.lock().expect("receiver lock").take() {
            task.abort();
        }
        self.inner.store.close().await;
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    pub fn webhook_addr(&self) -> SocketAddr {
        self.inner.webhook_addr
    }

    fn emit(&self, event: Event) {
        // No subscriber is fine: nobody is looking.
        let _ = self.inner.events.send(event);
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn status(&self) -> Result<AppStatus> {
        Ok(AppStatus {
            version: env!("CARGO_PKG_VERSION").into(),
            demo: self.inner.demo_running.load(Ordering::Relaxed),
            accounts: self.inner.store.count_accounts().await?,
        })
    }

    /// Records whether a demo (a simulator driving the demo accounts from outside the engine)
    /// runs against this engine, for [`Inbox::status`].
    pub fn set_demo_running(&self, running: bool) {
        self.inner.demo_running.store(running, Ordering::Relaxed);
    }

    async fn emit_conversation(&self, id: &str) {
        match self.inner.store.get_conversation(id).await {
            Ok(conversation) => self.emit(Event::ConversationUpdated { conversation }),
            Err(e) => tracing::warn!(conversation = id, error = %e, "could not reload a conversation for its event"),
        }
    }

    /// Commits what one delivery carries (and its raw payload), then announces it. Returns
    /// false when nothing new was stored (a duplicate delivery).
    pub(crate) async fn ingest_events(
        &self,
        account_id: &str,
        raw: Option<&str>,
        events: &[providers::WebhookEvent],
    ) -> Result<bool> {
        let applied = self.apply_and_announce(account_id, raw, events).await?;
        Ok(applied.iter().any(|a| !matches!(a, Applied::Duplicate | Applied::Nothing)))
    }

    /// Commits events (and the raw payload) in one transaction, then announces each change.
    /// Answers what each event changed.
    pub(crate) async fn apply_and_announce(
        &self,
        account_id: &str,
        raw: Option<&str>,
        events: &[providers::WebhookEvent],
    ) -> Result<Vec<Applied>> {
        let applied = self.inner.store.apply_events(account_id, raw, events).await?;
        for a in &applied {
            self.announce(a.clone()).await;
        }
        Ok(applied)
    }

    async fn announce(&self, applied: Applied) {
        match applied {
            Applied::MessageAdded { conversation_id, message_id } => {
                match self.inner.store.get_message(&message_id).await {
                    Ok(message) => {
                        self.emit(Event::MessageAdded { conversation_id: conversation_id.clone(), message });
                        self.emit_conversation(&conversation_id).await;
                    }
                    Err(e) => tracing::warn!(error = %e, "could not reload a stored message for its event"),
                }
            }
            Applied::StatusChanged { conversation_id, message_id, status, error } => {
                let provider_message_id = self.inner.store.message_ref(&message_id).await.ok().and_then(|(_, pid)| pid);
                self.emit(Event::MessageStatusChanged {
                    conversation_id,
                    message_id,
                    status,
                    provider_message_id,
                    error,
                });
            }
            Applied::MessageChanged { conversation_id, message_id } => {
                if let Ok(message) = self.inner.store.get_message(&message_id).await {
                    self.emit(Event::MessageUpdated { conversation_id, message });
                }
            }
            Applied::ConversationChanged { conversation_id } => self.emit_conversation(&conversation_id).await,
            Applied::Typing { conversation_id, who, active } => {
                self.emit(Event::Typing { conversation_id, who, active })
            }
            Applied::Duplicate | Applied::Nothing => {}
        }
    }

    /// A secret, from memory when it is there, else from the keychain on a blocking thread.
    async fn secret_get(&self, key: String) -> Result<Option<Sensitive>> {
        if let Some(value) = self.inner.secrets.cached(&key) {
            return Ok(Some(value));
        }
        let secrets = self.inner.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.get(&key))
            .await
            .map_err(|e| Error::Internal(format!("keychain task: {e}")))?
    }

    async fn secret_set(&self, key: String, value: Sensitive) -> Result<()> {
        let secrets = self.inner.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.set(&key, &value))
            .await
            .map_err(|e| Error::Internal(format!("keychain task: {e}")))?
    }

    async fn secret_delete(&self, key: String) -> Result<()> {
        let secrets = self.inner.secrets.clone();
        tokio::task::spawn_blocking(move || secrets.delete(&key))
            .await
            .map_err(|e| Error::Internal(format!("keychain task: {e}")))?
    }
}
