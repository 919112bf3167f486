//! Account commands: the provider catalogue, adding, editing, testing and removing accounts.
//!
//! Secrets (API tokens, signing secrets, the webhook URL's secret) go to the secret store: the
//! keychain, or memory only for a demo account (registered as volatile when it is created or
//! found at start-up). SQLite keeps settings and a SHA-256 of the webhook secret.

use std::collections::BTreeMap;

use crate::capable::{capabilities_of, part};
use crate::exchange::{AccountRow, ConversationTarget};
use crate::model::{Account, AccountPatch, Capability, ConnectionTest, Department, NewAccount, ProviderInfo};
use crate::providers::{self, AccountContext, Connector};
use crate::secrets::{self, Sensitive};
use crate::store;
use crate::{Error, Event, Inbox, Provider, Result, webhook};

impl Inbox {
    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn list_departments(&self, account_id: &str) -> Result<Vec<Department>> {
        let row = self.inner.store.get_account(account_id).await?;
        let connector = self.capable_account(&row, Capability::Departments).await?;
        part(connector.handoffs(), connector.as_ref(), Capability::Departments)?.list_departments().await
    }

    /// Every provider the inbox speaks: fields, capabilities and why the others are missing.
    pub fn list_providers(&self) -> Vec<ProviderInfo> {
        Provider::ALL.into_iter().map(providers::info).collect()
    }

    /// Creates an account: its secrets go to the keychain, its settings to SQLite, and the
    /// provider is told the webhook URL where it takes one. If any step fails, nothing is left.
    #[tracing::instrument(skip(self, new), fields(provider = new.provider.as_str()), err)]
    pub async fn create_account(&self, new: NewAccount) -> Result<Account> {
        self.create_account_inner(new, false).await
    }

    /// Creates a demo account: like [`Inbox::create_account`], but marked `demo` and with its
    /// secrets kept in memory only. A demo account only ever talks to a simulator that lives as
    /// long as the app, so its secrets need not outlive the run, and the demo works on machines
    /// without a keychain.
    #[tracing::instrument(skip(self, new), fields(provider = new.provider.as_str()), err)]
    pub async fn create_demo_account(&self, new: NewAccount) -> Result<Account> {
        self.create_account_inner(new, true).await
    }

    async fn create_account_inner(&self, new: NewAccount, demo: bool) -> Result<Account> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::invalid(text!("field.required", field = "name")));
        }
        let settings = providers::validate_settings(new.provider, &new.settings)?;
        let provider_secrets = checked_secrets(new.provider, new.secrets, true)?;
        let row = AccountRow {
            id: store::new_id(),
            provider: new.provider,
            name: name.to_owned(),
            settings,
            demo,
            created_at: chrono::Utc::now(),
        };
        let secret = webhook::new_secret();
        if demo {
            self.inner.secrets.keep_in_memory(secrets::account_prefix(&row.id));
        }
        let mut written = Vec::new();
        let mut all = provider_secrets.clone();
        all.insert(WEBHOOK_SECRET_FIELD.to_owned(), secret.clone());
        for (field, value) in &all {
            let key = self.secret_key(&row.id, field);
            if let Err(e) = self.secret_set(key.clone(), value.clone()).await {
                self.forget_keys(&written).await;
                return Err(e);
            }
            written.push(key);
        }
        if let Err(e) = self.inner.store.insert_account(&row, &webhook::secret_hash(secret.expose())).await {
            self.forget_keys(&written).await;
            return Err(e);
        }
        let url = webhook::url(&self.inner.public_url, row.provider, &row.id, &secret);
        let connector = providers::connector(AccountContext {
            http: self.inner.http.clone(),
            account: row.clone(),
            secrets: provider_secrets,
            webhook_url: Some(url.clone()),
        });
        let registered = match connector {
            Ok(c) => c.register_webhook(&url).await,
            Err(e) => Err(e),
        };
        if let Err(e) = registered {
            self.inner.store.delete_account(&row.id).await?;
            self.forget_keys(&written).await;
            return Err(e);
        }
        self.emit(Event::AccountsChanged);
        self.account_view(row).await
    }

    /// Points an existing demo account at new settings and secrets (kept in memory only, like
    /// every demo secret) with a fresh webhook secret, and registers the new webhook URL where
    /// the provider takes one. The demo's simulator lives only as long as the app, so each run
    /// does this for the accounts an earlier run created.
    #[tracing::instrument(skip(self, settings, provider_secrets), err)]
    pub async fn repoint_demo_account(
        &self,
        id: &str,
        settings: &serde_json::Map<String, serde_json::Value>,
        provider_secrets: BTreeMap<String, Sensitive>,
    ) -> Result<Account> {
        let mut row = self.inner.store.get_account(id).await?;
        if !row.demo {
            return Err(Error::invalid(text!("account.not_demo")));
        }
        row.settings = providers::validate_settings(row.provider, settings)?;
        let provider_secrets = checked_secrets(row.provider, provider_secrets, true)?;
        self.inner.store.update_account_settings(&row.id, &row.settings).await?;
        for (field, value) in provider_secrets {
            self.secret_set(self.secret_key(&row.id, &field), value).await?;
        }
        let secret = webhook::new_secret();
        self.inner.store.set_webhook_secret_hash(&row.id, &webhook::secret_hash(secret.expose())).await?;
        let url = webhook::url(&self.inner.public_url, row.provider, &row.id, &secret);
        self.secret_set(self.secret_key(&row.id, WEBHOOK_SECRET_FIELD), secret).await?;
        self.connector(&row).await?.register_webhook(&url).await?;
        self.emit(Event::AccountsChanged);
        self.account_view(row).await
    }

    /// Edits an account. New settings are validated and, where the provider takes a webhook URL,
    /// registered again; a secret given replaces the keychain's.
    #[tracing::instrument(skip(self, patch), err)]
    pub async fn update_account(&self, id: &str, patch: AccountPatch) -> Result<Account> {
        let mut row = self.inner.store.get_account(id).await?;
        if let Some(name) = &patch.name {
            let name = name.trim();
            if name.is_empty() {
                return Err(Error::invalid(text!("field.empty", field = "name")));
            }
            row.name = name.to_owned();
        }
        let settings_changed = match &patch.settings {
            Some(settings) => {
                let settings = providers::validate_settings(row.provider, settings)?;
                let changed = settings != row.settings;
                row.settings = settings;
                changed
            }
            None => false,
        };
        let new_secrets = checked_secrets(row.provider, patch.secrets, false)?;
        for (field, value) in new_secrets {
            self.secret_set(self.secret_key(&row.id, &field), value).await?;
        }
        if settings_changed {
            let connector = self.connector(&row).await?;
            if let Some(url) = self.webhook_url(&row).await {
                connector.register_webhook(&url).await?;
            }
        }
        self.inner.store.update_account(&row).await?;
        self.emit(Event::AccountsChanged);
        self.account_view(row).await
    }

    /// Removes an account, its conversations and its secrets.
    #[tracing::instrument(skip(self), err)]
    pub async fn delete_account(&self, id: &str) -> Result<()> {
        let row = self.inner.store.get_account(id).await?;
        self.inner.store.delete_account(id).await?;
        let mut keys: Vec<String> =
            providers::secret_fields(row.provider).into_iter().map(|f| self.secret_key(id, f)).collect();
        keys.push(self.secret_key(id, WEBHOOK_SECRET_FIELD));
        self.forget_keys(&keys).await;
        self.emit(Event::AccountsChanged);
        Ok(())
    }

    /// Calls the provider with the account's settings and token, and says whether it answered.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn test_account(&self, id: &str) -> Result<ConnectionTest> {
        let row = self.inner.store.get_account(id).await?;
        let connector = self.connector(&row).await?;
        Ok(connector.test_connection().await.unwrap_or_else(|e| ConnectionTest::new(false, e.public_text())))
    }

    /// Tests settings and secrets before they are saved.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn test_new_account(&self, new: NewAccount) -> Result<ConnectionTest> {
        let settings = providers::validate_settings(new.provider, &new.settings)?;
        let provider_secrets = checked_secrets(new.provider, new.secrets, true)?;
        let row = AccountRow {
            id: "draft".into(),
            provider: new.provider,
            name: new.name,
            settings,
            demo: false,
            created_at: chrono::Utc::now(),
        };
        let connector = providers::connector(AccountContext {
            http: self.inner.http.clone(),
            account: row,
            secrets: provider_secrets,
            webhook_url: None,
        })?;
        Ok(connector.test_connection().await.unwrap_or_else(|e| ConnectionTest::new(false, e.public_text())))
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn list_accounts(&self) -> Result<Vec<Account>> {
        let rows = self.inner.store.list_accounts().await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            accounts.push(self.account_view(row).await?);
        }
        Ok(accounts)
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn get_account(&self, id: &str) -> Result<Account> {
        let row = self.inner.store.get_account(id).await?;
        self.account_view(row).await
    }

    pub(crate) async fn account_view(&self, row: AccountRow) -> Result<Account> {
        let webhook_url = self.webhook_url(&row).await;
        let capabilities = capabilities_of(&row);
        let history_url_scheme = capabilities
            .contains(&crate::Capability::HistoryUrl)
            .then(|| format!("{}/history/{{conversation}}/{{token}}", self.inner.public_url.trim_end_matches('/')));
        let secrets = self.account_secrets(&row).await;
        Ok(Account {
            capabilities,
            id: row.id,
            provider: row.provider,
            name: row.name,
            settings: row.settings,
            webhook_url,
            history_url_scheme,
            secrets_set: secrets.into_keys().collect(),
            demo: row.demo,
            created_at: row.created_at,
        })
    }

    /// The account's webhook URL, from the secret store. A keychain failure hides the URL rather
    /// than failing the whole listing.
    pub(crate) async fn webhook_url(&self, row: &AccountRow) -> Option<String> {
        let secret = self.webhook_secret(row).await?;
        Some(webhook::url(&self.inner.public_url, row.provider, &row.id, &secret))
    }

    pub(crate) async fn webhook_secret(&self, row: &AccountRow) -> Option<Sensitive> {
        match self.secret_get(secrets::webhook_secret_key(&row.id)).await {
            Ok(secret) => secret,
            Err(e) => {
                tracing::warn!(account = %row.id, error = %e, "webhook secret unavailable");
                None
            }
        }
    }

    /// The account's provider secrets that are set, from the secret store.
    pub(crate) async fn account_secrets(&self, row: &AccountRow) -> BTreeMap<String, Sensitive> {
        let mut out = BTreeMap::new();
        for field in providers::secret_fields(row.provider) {
            let value = match self.secret_get(self.secret_key(&row.id, field)).await {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(account = %row.id, field, error = %e, "provider secret unavailable");
                    None
                }
            };
            if let Some(v) = value {
                out.insert(field.to_owned(), v);
            }
        }
        out
    }

    pub(crate) async fn connector(&self, row: &AccountRow) -> Result<Box<dyn Connector>> {
        let secrets = self.account_secrets(row).await;
        let webhook_url = self.webhook_url(row).await;
        providers::connector(AccountContext {
            http: self.inner.http.clone(),
            account: row.clone(),
            secrets,
            webhook_url,
        })
    }

    /// The connector and the target of a conversation, with the `external_history` URL filled in
    /// for providers that read it.
    pub(crate) async fn connector_for_conversation(
        &self,
        conversation_id: &str,
    ) -> Result<(Box<dyn Connector>, ConversationTarget)> {
        let mut target = self.inner.store.conversation_target(conversation_id).await?;
        let row = self.inner.store.get_account(&target.account_id).await?;
        if capabilities_of(&row).contains(&crate::Capability::HistoryUrl) {
            target.history_url = self.history_url(&row, conversation_id).await;
        }
        Ok((self.connector(&row).await?, target))
    }

    /// The unguessable URL the provider GETs a conversation's history from: the token is an HMAC
    /// of the conversation id under the account's webhook secret, so nothing extra is stored.
    pub(crate) async fn history_url(&self, row: &AccountRow, conversation_id: &str) -> Option<String> {
        let secret = self.webhook_secret(row).await?;
        Some(format!(
            "{}/history/{}/{}",
            self.inner.public_url.trim_end_matches('/'),
            conversation_id,
            webhook::history_token(&secret, conversation_id)
        ))
    }

    fn secret_key(&self, account_id: &str, field: &str) -> String {
        if field == WEBHOOK_SECRET_FIELD {
            secrets::webhook_secret_key(account_id)
        } else {
            secrets::account_secret_key(account_id, field)
        }
    }

    async fn forget_keys(&self, keys: &[String]) {
        for key in keys {
            if let Err(e) = self.secret_delete(key.clone()).await {
                tracing::warn!(error = %e, "could not remove a secret from the keychain");
            }
        }
    }
}

/// The pseudo-field under which the webhook URL's secret is kept.
const WEBHOOK_SECRET_FIELD: &str = "webhook-secret";

/// Keeps only the provider's secret fields, trimmed; `require` insists on the required ones.
fn checked_secrets(
    provider: Provider,
    given: BTreeMap<String, Sensitive>,
    require: bool,
) -> Result<BTreeMap<String, Sensitive>> {
    let known = providers::secret_fields(provider);
    let mut out = BTreeMap::new();
    for (key, value) in given {
        if !known.contains(&key.as_str()) {
            return Err(Error::invalid(text!("account.no_secret_field", provider = provider.as_str(), field = key)));
        }
        let trimmed = value.expose().trim();
        if !trimmed.is_empty() {
            out.insert(key, Sensitive::new(trimmed));
        }
    }
    if require {
        for field in providers::required_secrets(provider) {
            if !out.contains_key(field) {
                return Err(Error::invalid(text!("field.required", field = field)));
            }
        }
    }
    Ok(out)
}
