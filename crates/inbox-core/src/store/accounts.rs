use super::{Store, from_ms};
use crate::exchange::AccountRow;
use crate::model::Provider;
use crate::{Error, Result};

struct Raw {
    id: String,
    provider: String,
    name: String,
    settings: String,
    demo: i64,
    created_at: i64,
}

impl TryFrom<Raw> for AccountRow {
    type Error = Error;
    fn try_from(r: Raw) -> Result<AccountRow> {
        let settings = match serde_json::from_str(&r.settings) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(Error::Internal(format!("account {} has unreadable settings", r.id))),
        };
        Ok(AccountRow {
            provider: Provider::parse(&r.provider)?,
            id: r.id,
            name: r.name,
            settings,
            demo: r.demo != 0,
            created_at: from_ms(r.created_at),
        })
    }
}

impl Store {
    pub async fn insert_account(&self, row: &AccountRow, webhook_secret_sha256: &[u8]) -> Result<()> {
        let settings = serde_json::Value::Object(row.settings.clone()).to_string();
        let provider = row.provider.as_str();
        let created_at = row.created_at.timestamp_millis();
        sqlx::query!(
            "INSERT INTO accounts (id, provider, name, settings, webhook_secret_sha256, demo, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            row.id,
            provider,
            row.name,
            settings,
            webhook_secret_sha256,
            row.demo,
            created_at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn update_account_settings(
        &self,
        id: &str,
        settings: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        let settings = serde_json::Value::Object(settings.clone()).to_string();
        let done =
            sqlx::query!("UPDATE accounts SET settings = ? WHERE id = ?", settings, id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("account.not_found")));
        }
        Ok(())
    }

    /// Saves an edited account's name and settings.
    pub async fn update_account(&self, row: &AccountRow) -> Result<()> {
        let settings = serde_json::Value::Object(row.settings.clone()).to_string();
        let done = sqlx::query!("UPDATE accounts SET name = ?, settings = ? WHERE id = ?", row.name, settings, row.id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("account.not_found")));
        }
        Ok(())
    }

    pub async fn set_webhook_secret_hash(&self, id: &str, webhook_secret_sha256: &[u8]) -> Result<()> {
        let done =
            sqlx::query!("UPDATE accounts SET webhook_secret_sha256 = ? WHERE id = ?", webhook_secret_sha256, id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("account.not_found")));
        }
        Ok(())
    }

    pub async fn delete_account(&self, id: &str) -> Result<()> {
        sqlx::query!("DELETE FROM accounts WHERE id = ?", id).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn list_accounts(&self) -> Result<Vec<AccountRow>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, provider, name, settings, demo, created_at FROM accounts ORDER BY created_at, id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AccountRow::try_from).collect()
    }

    pub async fn get_account(&self, id: &str) -> Result<AccountRow> {
        let row = sqlx::query_as!(
            Raw,
            "SELECT id, provider, name, settings, demo, created_at FROM accounts WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("account.not_found")))?;
        row.try_into()
    }

    /// Every demo account, oldest first.
    pub async fn demo_accounts(&self) -> Result<Vec<AccountRow>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, provider, name, settings, demo, created_at FROM accounts WHERE demo = 1 ORDER BY created_at, id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AccountRow::try_from).collect()
    }

    pub async fn count_accounts(&self) -> Result<i64> {
        Ok(sqlx::query_scalar!("SELECT COUNT(*) FROM accounts").fetch_one(&self.pool).await?)
    }

    /// The stored SHA-256 of an account's webhook secret, with its provider.
    pub async fn webhook_secret_hash(&self, id: &str) -> Result<Option<(Provider, Vec<u8>)>> {
        let row = sqlx::query!("SELECT provider, webhook_secret_sha256 FROM accounts WHERE id = ?", id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((Provider::parse(&r.provider)?, r.webhook_secret_sha256))).transpose()
    }
}
