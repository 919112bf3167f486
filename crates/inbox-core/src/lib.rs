//! Agent Inbox's engine.
//!
//! [`Inbox`] is the one handle the shells hold: it owns the SQLite store, the HTTP client, the
//! secret store, the webhook receiver and the event broadcast. Its async methods are the command
//! set that both transports (the desktop shell's IPC and inboxd's HTTP API) expose unchanged.
//!
//! This crate never depends on Tauri or on any transport.

#[cfg(feature = "demo")]
mod demo;
mod error;
pub mod events;
pub mod model;
pub mod providers;
pub mod secrets;
pub mod store;
mod webhook;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

pub use error::{Error, ErrorBody, Result};
pub use events::Event;
pub use model::*;
pub use secrets::{KeyringSecrets, MemorySecrets, SecretStore, Sensitive};
pub use webhook::MAX_BODY_BYTES as WEBHOOK_MAX_BODY_BYTES;

use store::{AccountRow, InboundMessage, Ingested, OutboundMessage, Store};

/// The longest text WhatsApp accepts.
pub const MAX_TEXT_CHARS: usize = 4096;
const MAX_CAPTION_CHARS: usize = 1024;

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
    secrets: Arc<dyn SecretStore>,
    events: broadcast::Sender<Event>,
    webhook_addr: SocketAddr,
    public_url: String,
    /// Webhook secrets already read from the keychain, so listing accounts does not hit it each time.
    webhook_secrets: Mutex<HashMap<String, Sensitive>>,
    receiver: Mutex<Option<tokio::task::JoinHandle<()>>>,
    #[cfg(feature = "demo")]
    demo: tokio::sync::Mutex<Option<demo::Demo>>,
}

impl Inbox {
    /// Opens the database (migrating it), starts the webhook receiver, and marks sends that a
    /// previous run left unconfirmed as failed.
    #[tracing::instrument(skip(secrets), err)]
    pub async fn open(config: Config, secrets: Arc<dyn SecretStore>) -> Result<Inbox> {
        if let Some(dir) = config.database.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let store = Store::open(&config.database).await?;
        let interrupted = store.fail_interrupted_sends().await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "outbound messages left unconfirmed by the last run were marked failed");
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
        let inbox = Inbox {
            inner: Arc::new(Inner {
                store,
                http,
                secrets,
                events,
                webhook_addr,
                public_url,
                webhook_secrets: Mutex::default(),
                receiver: Mutex::default(),
                #[cfg(feature = "demo")]
                demo: tokio::sync::Mutex::default(),
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

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    fn emit(&self, event: Event) {
        // No subscriber is fine: nobody is looking.
        let _ = self.inner.events.send(event);
    }

    pub async fn status(&self) -> Result<AppStatus> {
        Ok(AppStatus {
            version: env!("CARGO_PKG_VERSION").into(),
            demo: self.demo_running().await,
            accounts: self.inner.store.count_accounts().await?,
        })
    }

    #[cfg(feature = "demo")]
    async fn demo_running(&self) -> bool {
        self.inner.demo.lock().await.is_some()
    }

    #[cfg(not(feature = "demo"))]
    async fn demo_running(&self) -> bool {
        false
    }

    /// Creates an account: its webhook secret goes to the keychain, its settings to SQLite, and the
    /// provider is told the webhook URL. If any step fails, nothing is left behind.
    #[tracing::instrument(skip(self, new), fields(provider = new.provider.as_str()), err)]
    pub async fn create_account(&self, new: NewAccount) -> Result<Account> {
        self.create_account_inner(new, false).await
    }

    async fn create_account_inner(&self, new: NewAccount, demo: bool) -> Result<Account> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("`name` is required"));
        }
        let settings = providers::validate_settings(new.provider, &new.settings)?;
        let row = AccountRow {
            id: store::new_id(),
            provider: new.provider,
            name: name.to_owned(),
            settings,
            demo,
            created_at: chrono::Utc::now(),
        };
        let secret = webhook::new_secret();
        // A real account's secret must outlive this run: the keychain. The demo's webhook only
        // ever points at this run's in-process simulator, so its secret stays in memory and the
        // demo works on machines without a keychain.
        if !demo {
            self.secret_set(secrets::webhook_secret_key(&row.id), secret.clone()).await?;
        }
        if let Err(e) = self.inner.store.insert_account(&row, &webhook::secret_hash(secret.expose())).await {
            self.forget_secret(&row).await;
            return Err(e);
        }
        let url = webhook::url(&self.inner.public_url, row.provider, &row.id, &secret);
        if let Err(e) = providers::register_webhook(&self.inner.http, &row, &url).await {
            self.inner.store.delete_account(&row.id).await?;
            self.forget_secret(&row).await;
            return Err(e);
        }
        self.inner.webhook_secrets.lock().expect("secrets cache").insert(row.id.clone(), secret);
        Ok(self.account_view(row, Some(url)))
    }

    async fn forget_secret(&self, account: &AccountRow) {
        if account.demo {
            return;
        }
        let key = secrets::webhook_secret_key(&account.id);
        if let Err(e) = self.secret_delete(key).await {
            tracing::warn!(error = %e, "could not remove a webhook secret from the keychain");
        }
    }

    fn account_view(&self, row: AccountRow, webhook_url: Option<String>) -> Account {
        Account {
            capabilities: row.provider.capabilities(),
            id: row.id,
            provider: row.provider,
            name: row.name,
            settings: row.settings,
            webhook_url,
            demo: row.demo,
            created_at: row.created_at,
        }
    }

    pub async fn list_accounts(&self) -> Result<Vec<Account>> {
        let rows = self.inner.store.list_accounts().await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            let url = self.webhook_url(&row).await;
            accounts.push(self.account_view(row, url));
        }
        Ok(accounts)
    }

    /// The account's webhook URL, from the keychain. A keychain failure hides the URL rather than
    /// failing the whole listing.
    async fn webhook_url(&self, row: &AccountRow) -> Option<String> {
        let cached = self.inner.webhook_secrets.lock().expect("secrets cache").get(&row.id).cloned();
        let secret = match cached {
            Some(s) => s,
            None => match self.secret_get(secrets::webhook_secret_key(&row.id)).await {
                Ok(Some(s)) => {
                    self.inner.webhook_secrets.lock().expect("secrets cache").insert(row.id.clone(), s.clone());
                    s
                }
                Ok(None) => return None,
                Err(e) => {
                    tracing::warn!(account = %row.id, error = %e, "webhook secret unavailable");
                    return None;
                }
            },
        };
        Some(webhook::url(&self.inner.public_url, row.provider, &row.id, &secret))
    }

    pub async fn list_conversations(&self, filter: &ConversationFilter) -> Result<Page<ConversationSummary>> {
        self.inner.store.list_conversations(filter).await
    }

    pub async fn get_conversation(&self, id: &str) -> Result<ConversationSummary> {
        self.inner.store.get_conversation(id).await
    }

    /// A conversation's messages, newest first.
    pub async fn list_messages(
        &self,
        conversation_id: &str,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Message>> {
        self.inner.store.list_messages(conversation_id, cursor, limit).await
    }

    pub async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> Result<ConversationSummary> {
        let conversation = self.inner.store.update_conversation(id, patch).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }

    pub async fn mark_read(&self, id: &str) -> Result<ConversationSummary> {
        let conversation = self.inner.store.mark_read(id).await?;
        self.emit(Event::ConversationUpdated { conversation: conversation.clone() });
        Ok(conversation)
    }

    /// Stores the agent's message as `pending` and returns it; the provider call happens after,
    /// in the background, and its outcome arrives as [`Event::MessageStatusChanged`].
    #[tracing::instrument(skip(self, input), fields(kind = ?input.kind), err)]
    pub async fn send_message(&self, conversation_id: &str, input: SendMessage) -> Result<Message> {
        let target = self.inner.store.conversation_target(conversation_id).await?;
        let account = self.inner.store.get_account(&target.account_id).await?;
        let outbound = validate_outbound(account.provider, target.kind, input)?;
        let id = self.inner.store.insert_outbound(conversation_id, &account.id, &outbound).await?;
        let message = self.inner.store.get_message(&id).await?;
        self.emit(Event::MessageAdded { conversation_id: conversation_id.to_owned(), message: message.clone() });
        self.emit_conversation(conversation_id).await;

        let inbox = self.clone();
        tokio::spawn(async move {
            let outcome = providers::deliver(&inbox.inner.http, &account, &target, &outbound).await;
            let (status, provider_id, error) = match outcome {
                Ok(provider_id) => (DeliveryStatus::Sent, provider_id, None),
                Err(failure) => {
                    tracing::warn!(message = %id, reason = %failure, "send failed");
                    (DeliveryStatus::Failed, None, Some(failure.0))
                }
            };
            match inbox.inner.store.set_delivery(&id, status, provider_id.as_deref(), error.as_deref()).await {
                Ok(true) => inbox.emit(Event::MessageStatusChanged {
                    conversation_id: target.conversation_id.clone(),
                    message_id: id,
                    status,
                    provider_message_id: provider_id,
                    error,
                }),
                Ok(false) => {}
                Err(e) => tracing::error!(message = %id, error = %e, "recording a delivery status failed"),
            }
        });
        Ok(message)
    }

    async fn emit_conversation(&self, id: &str) {
        match self.inner.store.get_conversation(id).await {
            Ok(conversation) => self.emit(Event::ConversationUpdated { conversation }),
            Err(e) => tracing::warn!(conversation = id, error = %e, "could not reload a conversation for its event"),
        }
    }

    /// Commits one inbound message (and its raw payload), then announces it. Returns false for a
    /// duplicate delivery.
    pub(crate) async fn ingest(&self, account_id: &str, raw: &str, message: &InboundMessage) -> Result<bool> {
        match self.inner.store.ingest_inbound(account_id, raw, message).await? {
            Ingested::Duplicate => Ok(false),
            Ingested::New { conversation_id, message_id } => {
                let message = self.inner.store.get_message(&message_id).await?;
                self.emit(Event::MessageAdded { conversation_id: conversation_id.clone(), message });
                self.emit_conversation(&conversation_id).await;
                Ok(true)
            }
        }
    }

    async fn secret_get(&self, key: String) -> Result<Option<Sensitive>> {
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

fn validate_outbound(provider: Provider, kind: ConversationKind, input: SendMessage) -> Result<OutboundMessage> {
    let caps = provider.capabilities();
    let need = |cap: Capability, what: &str| {
        if caps.contains(&cap) {
            Ok(())
        } else {
            Err(Error::Unsupported(format!("{} cannot {what}", provider.as_str())))
        }
    };
    if kind == ConversationKind::Group {
        need(Capability::Groups, "write to groups")?;
    }
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    match input.kind {
        MessageKind::Text => {
            need(Capability::SendText, "send text")?;
            let body =
                input.body.filter(|b| !b.trim().is_empty()).ok_or_else(|| Error::invalid("the message is empty"))?;
            if body.chars().count() > MAX_TEXT_CHARS {
                return Err(Error::invalid(format!("the message is longer than {MAX_TEXT_CHARS} characters")));
            }
            Ok(OutboundMessage {
                kind: MessageKind::Text,
                body: Some(body),
                media_url: None,
                caption: None,
                file_name: None,
            })
        }
        kind => {
            need(Capability::SendFile, "send files")?;
            let url = non_empty(input.media_url).ok_or_else(|| Error::invalid("a file needs its URL"))?;
            let parsed = reqwest::Url::parse(&url).map_err(|_| Error::invalid("the file URL is not a valid URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::invalid("the file URL must start with http:// or https://"));
            }
            let caption = non_empty(input.caption);
            if caption.as_ref().is_some_and(|c| c.chars().count() > MAX_CAPTION_CHARS) {
                return Err(Error::invalid(format!("the caption is longer than {MAX_CAPTION_CHARS} characters")));
            }
            let file_name = non_empty(input.file_name).or_else(|| {
                parsed.path_segments().and_then(|mut s| s.next_back()).filter(|s| !s.is_empty()).map(str::to_owned)
            });
            Ok(OutboundMessage { kind, body: None, media_url: Some(url), caption, file_name })
        }
    }
}
