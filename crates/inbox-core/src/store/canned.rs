//! Canned responses (shortcut → text) and the inbox's own settings (key → value).

use super::{Store, from_ms, new_id, now_ms};
use crate::canned::CannedResponse;
use crate::{Error, Result};

struct Raw {
    id: String,
    shortcut: String,
    body: String,
    created_at: i64,
    updated_at: i64,
}

impl From<Raw> for CannedResponse {
    fn from(r: Raw) -> CannedResponse {
        CannedResponse {
            id: r.id,
            shortcut: r.shortcut,
            body: r.body,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
        }
    }
}

fn shortcut_taken(shortcut: &str) -> Error {
    Error::invalid(text!("canned.shortcut_taken", shortcut = shortcut))
}

/// A shortcut another response already uses (case-insensitively), other than `except`.
async fn ensure_shortcut_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    shortcut: &str,
    except: Option<&str>,
) -> Result<()> {
    let except = except.unwrap_or("");
    let taken = sqlx::query_scalar!(
        "SELECT id FROM canned_responses WHERE shortcut = ?1 COLLATE NOCASE AND id != ?2",
        shortcut,
        except
    )
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Err(shortcut_taken(shortcut));
    }
    Ok(())
}

impl Store {
    /// Every canned response, by shortcut.
    pub async fn list_canned_responses(&self) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, shortcut, body, created_at, updated_at FROM canned_responses
             ORDER BY shortcut COLLATE NOCASE, id"
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(CannedResponse::from).collect())
    }

    pub async fn get_canned_response(&self, id: &str) -> Result<CannedResponse> {
        sqlx::query_as!(Raw, "SELECT id, shortcut, body, created_at, updated_at FROM canned_responses WHERE id = ?", id)
            .fetch_optional(&self.pool)
            .await?
            .map(CannedResponse::from)
            .ok_or(Error::NotFound(text!("canned.not_found")))
    }

    /// Creates a canned response; a shortcut already used (case-insensitively) is refused.
    pub async fn insert_canned_response(&self, shortcut: &str, body: &str) -> Result<CannedResponse> {
        let mut tx = self.begin_write().await?;
        ensure_shortcut_free(&mut tx, shortcut, None).await?;
        let id = new_id();
        let now = now_ms();
        sqlx::query!(
            "INSERT INTO canned_responses (id, shortcut, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            id,
            shortcut,
            body,
            now,
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.get_canned_response(&id).await
    }

    /// Changes a canned response's shortcut and/or text (`None` keeps it).
    pub async fn edit_canned_response(
        &self,
        id: &str,
        shortcut: Option<&str>,
        body: Option<&str>,
    ) -> Result<CannedResponse> {
        let mut tx = self.begin_write().await?;
        if let Some(shortcut) = shortcut {
            ensure_shortcut_free(&mut tx, shortcut, Some(id)).await?;
        }
        let now = now_ms();
        let done = sqlx::query!(
            "UPDATE canned_responses SET shortcut = COALESCE(?1, shortcut), body = COALESCE(?2, body), updated_at = ?3
             WHERE id = ?4",
            shortcut,
            body,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("canned.not_found")));
        }
        tx.commit().await?;
        self.get_canned_response(id).await
    }

    pub async fn delete_canned_response(&self, id: &str) -> Result<()> {
        let done = sqlx::query!("DELETE FROM canned_responses WHERE id = ?", id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("canned.not_found")));
        }
        Ok(())
    }

    /// A setting's value, `None` when it was never set (or was cleared).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!("SELECT value FROM settings WHERE key = ?", key).fetch_optional(&self.pool).await?)
    }

    /// Sets a setting; `None` clears it.
    pub async fn set_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(value) => {
                sqlx::query!(
                    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    key,
                    value
                )
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query!("DELETE FROM settings WHERE key = ?", key).execute(&self.pool).await?;
            }
        }
        Ok(())
    }
}
