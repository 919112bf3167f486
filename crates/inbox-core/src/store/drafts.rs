//! Drafts (one per conversation) and internal notes (messages flagged `note`).

use super::conversations::{enum_str, preview_of};
use super::{Store, from_ms, new_id, now_ms};
use crate::drafts::{Draft, DraftInput, DraftPreview};
use crate::model::{DeliveryStatus, Direction, MessageKind};
use crate::{Error, Result};

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

struct Raw {
    conversation_id: String,
    body: String,
    quoted_message_id: Option<String>,
    media_ids: String,
    note: bool,
    updated_at: i64,
}

impl TryFrom<Raw> for Draft {
    type Error = Error;
    fn try_from(r: Raw) -> Result<Draft> {
        Ok(Draft {
            conversation_id: r.conversation_id,
            body: r.body,
            quoted_message_id: r.quoted_message_id,
            media_ids: serde_json::from_str(&r.media_ids).map_err(|e| Error::Internal(format!("media ids: {e}")))?,
            note: r.note,
            updated_at: from_ms(r.updated_at),
        })
    }
}

/// The list's line for a draft, from the JSON object the conversation queries select
/// (`{"body": ..., "media": n, "note": 0|1}`).
pub(super) fn draft_preview(json: Option<&str>) -> Option<DraftPreview> {
    #[derive(serde::Deserialize)]
    struct Selected {
        body: String,
        media: i64,
        note: i64,
    }
    let s: Selected = serde_json::from_str(json?).ok()?;
    let one_line = s.body.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(DraftPreview { text: preview_of(Some(&one_line), None), media: s.media, note: s.note != 0 })
}

/// Deletes a conversation's draft inside a write transaction; answers whether there was one.
pub(super) async fn delete_draft_in(tx: &mut Tx, conversation_id: &str) -> Result<bool> {
    let done = sqlx::query!("DELETE FROM drafts WHERE conversation_id = ?", conversation_id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

impl Store {
    pub async fn get_draft(&self, conversation_id: &str) -> Result<Option<Draft>> {
        let row = sqlx::query_as!(
            Raw,
            r#"SELECT conversation_id, body, quoted_message_id, media_ids, note AS "note: bool", updated_at
               FROM drafts WHERE conversation_id = ?"#,
            conversation_id
        )
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(row.try_into()?)),
            None => {
                self.conversation_exists(conversation_id).await?;
                Ok(None)
            }
        }
    }

    /// Replaces the conversation's draft with this one (the caller has checked it is not empty).
    pub async fn save_draft(&self, conversation_id: &str, input: &DraftInput) -> Result<Draft> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query_scalar!("SELECT COUNT(*) FROM conversations WHERE id = ?", conversation_id)
            .fetch_one(&mut *tx)
            .await?;
        if exists == 0 {
            return Err(Error::NotFound(text!("conversation.not_found")));
        }
        let now = now_ms();
        let body = input.body.clone().unwrap_or_default();
        let media_ids = serde_json::to_string(&input.media_ids).map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO drafts (conversation_id, body, quoted_message_id, media_ids, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (conversation_id) DO UPDATE SET
                 body = excluded.body, quoted_message_id = excluded.quoted_message_id,
                 media_ids = excluded.media_ids, note = excluded.note, updated_at = excluded.updated_at",
            conversation_id,
            body,
            input.quoted_message_id,
            media_ids,
            input.note,
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Draft {
            conversation_id: conversation_id.to_owned(),
            body,
            quoted_message_id: input.quoted_message_id.clone(),
            media_ids: input.media_ids.clone(),
            note: input.note,
            updated_at: from_ms(now),
        })
    }

    /// Deletes the conversation's draft; answers whether there was one.
    pub async fn delete_draft(&self, conversation_id: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let deleted = delete_draft_in(&mut tx, conversation_id).await?;
        tx.commit().await?;
        if !deleted {
            self.conversation_exists(conversation_id).await?;
        }
        Ok(deleted)
    }

    /// Stores an internal note and deletes the conversation's draft, in one transaction. The
    /// conversation's unread count, 24-hour window, preview and last activity stay as they are.
    /// Answers the note's id and whether a draft was deleted.
    pub async fn insert_note(
        &self,
        conversation_id: &str,
        account_id: &str,
        body: &str,
        quoted_message_id: Option<&str>,
    ) -> Result<(String, bool)> {
        let mut tx = self.begin_write().await?;
        let id = new_id();
        let now = now_ms();
        let outbound = enum_str(&Direction::Outbound);
        let kind = enum_str(&MessageKind::Text);
        // Never `pending`: nothing is on its way anywhere.
        let sent = enum_str(&DeliveryStatus::Sent);
        sqlx::query!(
            "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, quoted_message_id, status,
                                   note, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            id,
            conversation_id,
            account_id,
            outbound,
            kind,
            body,
            quoted_message_id,
            sent,
            now
        )
        .execute(&mut *tx)
        .await?;
        let cleared = delete_draft_in(&mut tx, conversation_id).await?;
        tx.commit().await?;
        Ok((id, cleared))
    }

    async fn conversation_exists(&self, conversation_id: &str) -> Result<()> {
        let exists = sqlx::query_scalar!("SELECT COUNT(*) FROM conversations WHERE id = ?", conversation_id)
            .fetch_one(&self.pool)
            .await?;
        if exists == 0 {
            return Err(Error::NotFound(text!("conversation.not_found")));
        }
        Ok(())
    }
}
