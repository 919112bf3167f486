//! Tags: the inbox's own list, and each tag's id at the services that sync tags (`tag_remotes`).

use super::conversations::{enum_str, parse_enum};
use super::{Store, new_id, now_ms};
use crate::exchange::RemoteTag;
use crate::model::{SyncState, Tag};
use crate::{Error, Result};

/// A tag with the local edit time sync needs.
#[derive(Debug, Clone)]
pub struct TagRow {
    pub tag: Tag,
    /// When it was last created or edited here (Unix ms). Tag sync does not compare times yet
    /// (contact sync does); kept so it can without another query.
    #[allow(dead_code)]
    pub updated_at: i64,
}

struct Raw {
    id: String,
    name: String,
    color: Option<String>,
    sync_state: String,
    sync_error: Option<String>,
    updated_at: i64,
}

impl TryFrom<Raw> for TagRow {
    type Error = Error;
    fn try_from(r: Raw) -> Result<TagRow> {
        Ok(TagRow {
            tag: Tag {
                id: r.id,
                name: r.name,
                color: r.color,
                sync_state: parse_enum(&r.sync_state)?,
                sync_error: r.sync_error,
            },
            updated_at: r.updated_at,
        })
    }
}

/// What pulling one provider tag did here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulledTag {
    /// A new local tag, or one whose name or colour changed.
    Changed,
    Unchanged,
    /// A local edit not yet accepted by the provider was kept.
    KeptLocal,
    /// Another provider tag already holds the local tag of that name; this one was skipped.
    Skipped,
}

impl Store {
    pub async fn list_tags(&self) -> Result<Vec<Tag>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, name, color, sync_state, sync_error, updated_at FROM tags ORDER BY name COLLATE NOCASE, id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| TagRow::try_from(r).map(|t| t.tag)).collect()
    }

    pub async fn tag_row(&self, id: &str) -> Result<TagRow> {
        sqlx::query_as!(Raw, "SELECT id, name, color, sync_state, sync_error, updated_at FROM tags WHERE id = ?", id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound(text!("tag.not_found")))?
            .try_into()
    }

    pub async fn get_tag(&self, id: &str) -> Result<Tag> {
        Ok(self.tag_row(id).await?.tag)
    }

    /// Creates a tag; a name already used (case-insensitively) is refused.
    pub async fn insert_tag(&self, name: &str, color: Option<&str>, state: SyncState) -> Result<Tag> {
        let mut tx = self.begin_write().await?;
        ensure_name_free(&mut tx, name, None).await?;
        let id = new_id();
        let now = now_ms();
        let state = enum_str(&state);
        sqlx::query!(
            "INSERT INTO tags (id, name, color, sync_state, updated_at) VALUES (?, ?, ?, ?, ?)",
            id,
            name,
            color,
            state,
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.get_tag(&id).await
    }

    /// Renames or recolours a tag (`color` Some(None) clears it) and sets its sync state.
    pub async fn edit_tag(
        &self,
        id: &str,
        name: Option<&str>,
        color: Option<Option<&str>>,
        state: SyncState,
    ) -> Result<Tag> {
        let mut tx = self.begin_write().await?;
        if let Some(name) = name {
            ensure_name_free(&mut tx, name, Some(id)).await?;
        }
        let set_color = color.is_some();
        let color = color.flatten();
        let state = enum_str(&state);
        let now = now_ms();
        let done = sqlx::query!(
            "UPDATE tags SET name = COALESCE(?1, name), color = CASE WHEN ?2 THEN ?3 ELSE color END,
                    sync_state = ?4, sync_error = NULL, updated_at = ?5
             WHERE id = ?6",
            name,
            set_color,
            color,
            state,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("tag.not_found")));
        }
        tx.commit().await?;
        self.get_tag(id).await
    }

    pub async fn delete_tag(&self, id: &str) -> Result<()> {
        let done = sqlx::query!("DELETE FROM tags WHERE id = ?", id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("tag.not_found")));
        }
        Ok(())
    }

    pub async fn set_tag_sync(&self, id: &str, state: SyncState, error: Option<&str>) -> Result<()> {
        let state = enum_str(&state);
        sqlx::query!("UPDATE tags SET sync_state = ?, sync_error = ? WHERE id = ?", state, error, id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The tag's id at an account's provider, once pushed or pulled.
    pub async fn tag_remote_id(&self, tag_id: &str, account_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            "SELECT remote_id FROM tag_remotes WHERE tag_id = ? AND account_id = ?",
            tag_id,
            account_id
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn set_tag_remote(&self, tag_id: &str, account_id: &str, remote_id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // A remote id belongs to one local tag per account.
        sqlx::query!(
            "DELETE FROM tag_remotes WHERE account_id = ? AND remote_id = ? AND tag_id != ?",
            account_id,
            remote_id,
            tag_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO tag_remotes (tag_id, account_id, remote_id) VALUES (?, ?, ?)
             ON CONFLICT (tag_id, account_id) DO UPDATE SET remote_id = excluded.remote_id",
            tag_id,
            account_id,
            remote_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `(account_id, remote_id)` of every provider copy of a tag.
    pub async fn tag_remotes(&self, tag_id: &str) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query!("SELECT account_id, remote_id FROM tag_remotes WHERE tag_id = ? ORDER BY account_id", tag_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| (r.account_id, r.remote_id)).collect())
    }

    /// Tags edited here that no provider has accepted yet (`pending` or `failed`).
    pub async fn unsent_tags(&self) -> Result<Vec<TagRow>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, name, color, sync_state, sync_error, updated_at FROM tags
             WHERE sync_state IN ('pending', 'failed') ORDER BY name COLLATE NOCASE, id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TagRow::try_from).collect()
    }

    /// The local tag of an account's provider tag id.
    pub async fn tag_by_remote(&self, account_id: &str, remote_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            "SELECT tag_id FROM tag_remotes WHERE account_id = ? AND remote_id = ?",
            account_id,
            remote_id
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Takes in one tag as the provider has it: linked to the local tag it was pushed from or that
    /// has its name, or created. The provider's name and colour replace local ones, except on a
    /// tag whose local edit the provider has not accepted yet.
    pub async fn apply_pulled_tag(&self, account_id: &str, remote: &RemoteTag) -> Result<PulledTag> {
        let mut tx = self.begin_write().await?;
        let linked = sqlx::query_scalar!(
            "SELECT tag_id FROM tag_remotes WHERE account_id = ? AND remote_id = ?",
            account_id,
            remote.remote_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let synced = enum_str(&SyncState::Synced);
        let now = now_ms();
        let tag_id = match linked {
            Some(id) => id,
            None => {
                let same_name = sqlx::query!(
                    r#"SELECT t.id AS "id!: String",
                              (SELECT COUNT(*) FROM tag_remotes r WHERE r.tag_id = t.id AND r.account_id = ?1) AS "linked!: i64"
                       FROM tags t WHERE t.name = ?2 COLLATE NOCASE"#,
                    account_id,
                    remote.name
                )
                .fetch_optional(&mut *tx)
                .await?;
                let id = match same_name {
                    Some(row) if row.linked > 0 => return Ok(PulledTag::Skipped),
                    Some(row) => row.id,
                    None => {
                        let id = new_id();
                        sqlx::query!(
                            "INSERT INTO tags (id, name, color, sync_state, updated_at) VALUES (?, ?, ?, ?, ?)",
                            id,
                            remote.name,
                            remote.color,
                            synced,
                            now
                        )
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query!(
                            "INSERT INTO tag_remotes (tag_id, account_id, remote_id) VALUES (?, ?, ?)",
                            id,
                            account_id,
                            remote.remote_id
                        )
                        .execute(&mut *tx)
                        .await?;
                        tx.commit().await?;
                        return Ok(PulledTag::Changed);
                    }
                };
                sqlx::query!(
                    "INSERT INTO tag_remotes (tag_id, account_id, remote_id) VALUES (?, ?, ?)",
                    id,
                    account_id,
                    remote.remote_id
                )
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        let current = sqlx::query_as!(
            Raw,
            "SELECT id, name, color, sync_state, sync_error, updated_at FROM tags WHERE id = ?",
            tag_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if matches!(current.sync_state.as_str(), "pending" | "failed") {
            tx.commit().await?;
            return Ok(PulledTag::KeptLocal);
        }
        let taken = sqlx::query_scalar!(
            "SELECT COUNT(*) FROM tags WHERE name = ?1 COLLATE NOCASE AND id != ?2",
            remote.name,
            tag_id
        )
        .fetch_one(&mut *tx)
        .await?;
        // A rename onto another local tag's name is left out rather than failing the sync.
        let name = if taken > 0 { current.name.clone() } else { remote.name.clone() };
        let changed = name != current.name || remote.color != current.color || current.sync_state != synced;
        if changed {
            sqlx::query!(
                "UPDATE tags SET name = ?, color = ?, sync_state = ?, sync_error = NULL WHERE id = ?",
                name,
                remote.color,
                synced,
                tag_id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(if changed { PulledTag::Changed } else { PulledTag::Unchanged })
    }

    /// After a full pull: the account's provider tags that were not in it were deleted there. Their
    /// links go, and so do local tags that were only that provider's copy (and not edited here).
    /// Answers how many local tags were removed.
    pub async fn forget_missing_tags(&self, account_id: &str, present: &[String]) -> Result<u64> {
        let present = serde_json::to_string(present).map_err(|e| Error::Internal(format!("tag ids: {e}")))?;
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query!(
            "SELECT tag_id, remote_id FROM tag_remotes
             WHERE account_id = ?1 AND remote_id NOT IN (SELECT value FROM json_each(?2))",
            account_id,
            present
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut removed = 0;
        for row in gone {
            sqlx::query!("DELETE FROM tag_remotes WHERE account_id = ? AND remote_id = ?", account_id, row.remote_id)
                .execute(&mut *tx)
                .await?;
            let done = sqlx::query!(
                "DELETE FROM tags WHERE id = ? AND sync_state NOT IN ('pending', 'failed')
                   AND NOT EXISTS (SELECT 1 FROM tag_remotes r WHERE r.tag_id = tags.id)",
                row.tag_id
            )
            .execute(&mut *tx)
            .await?;
            removed += done.rows_affected();
        }
        tx.commit().await?;
        Ok(removed)
    }
}

async fn ensure_name_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    name: &str,
    except: Option<&str>,
) -> Result<()> {
    let taken = sqlx::query_scalar!(
        "SELECT COUNT(*) FROM tags WHERE name = ?1 COLLATE NOCASE AND (?2 IS NULL OR id != ?2)",
        name,
        except
    )
    .fetch_one(&mut **tx)
    .await?;
    if taken > 0 {
        return Err(Error::invalid(text!("tag.exists", name = name)));
    }
    Ok(())
}
