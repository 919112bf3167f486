use super::conversations::{enum_str, parse_enum, preview_of};
use super::{Cursor, Store, from_ms, into_page, new_id, now_ms, page_limit};
use crate::exchange::{InboundContact, OutboundMessage};
use crate::model::{DeliveryStatus, Direction, Message, Page, Reaction};
use crate::{Error, Result};

/// What ingesting a webhook produced.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    New {
        conversation_id: String,
        message_id: String,
    },
    /// The provider delivered this message before; nothing was stored.
    Duplicate,
}

struct Raw {
    id: String,
    conversation_id: String,
    direction: String,
    sender_name: Option<String>,
    kind: String,
    body: Option<String>,
    media_url: Option<String>,
    caption: Option<String>,
    file_name: Option<String>,
    provider_message_id: Option<String>,
    status: String,
    error: Option<String>,
    quoted_message_id: Option<String>,
    payload: Option<String>,
    deleted_at: Option<i64>,
    created_at: i64,
    reactions: String,
    note: bool,
}

impl TryFrom<Raw> for Message {
    type Error = Error;
    fn try_from(r: Raw) -> Result<Message> {
        let reactions: Vec<Reaction> =
            serde_json::from_str(&r.reactions).map_err(|e| Error::Internal(format!("reactions: {e}")))?;
        Ok(Message {
            id: r.id,
            conversation_id: r.conversation_id,
            direction: parse_enum(&r.direction)?,
            sender_name: r.sender_name,
            kind: parse_enum(&r.kind)?,
            body: r.body,
            media_url: r.media_url,
            caption: r.caption,
            file_name: r.file_name,
            provider_message_id: r.provider_message_id,
            status: parse_enum(&r.status)?,
            error: r.error,
            quoted_message_id: r.quoted_message_id,
            payload: r.payload.as_deref().and_then(|p| serde_json::from_str(p).ok()),
            deleted_at: r.deleted_at.map(from_ms),
            created_at: from_ms(r.created_at),
            reactions,
            note: r.note,
        })
    }
}

/// Order of delivery statuses: a status may only replace a lower one. `failed` ends a send that
/// never got past `sent`; a message the provider has delivered cannot turn failed.
pub(super) fn rank(status: DeliveryStatus) -> i64 {
    match status {
        DeliveryStatus::Pending => 0,
        DeliveryStatus::Sent => 1,
        DeliveryStatus::Failed => 2,
        DeliveryStatus::Delivered => 3,
        DeliveryStatus::Read => 4,
    }
}

impl Store {
    /// Stores an inbound message with its raw payload, in one transaction. A message id the
    /// account has already stored is a duplicate delivery: nothing is written.
    #[cfg(test)]
    pub async fn ingest_inbound(
        &self,
        account_id: &str,
        raw_payload: &str,
        msg: &crate::exchange::InboundMessage,
    ) -> Result<Ingested> {
        let event = crate::exchange::WebhookEvent::Message(Box::new(msg.clone()));
        let applied = self.apply_events(account_id, Some(raw_payload), std::slice::from_ref(&event)).await?;
        Ok(match applied.into_iter().next() {
            Some(super::Applied::MessageAdded { conversation_id, message_id }) => {
                Ingested::New { conversation_id, message_id }
            }
            _ => Ingested::Duplicate,
        })
    }

    /// Stores an agent's message as `pending`, before anything is sent.
    pub async fn insert_outbound(
        &self,
        conversation_id: &str,
        account_id: &str,
        msg: &OutboundMessage,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let id = new_id();
        let kind = enum_str(&msg.kind);
        let outbound = enum_str(&Direction::Outbound);
        let pending = enum_str(&DeliveryStatus::Pending);
        let payload = msg.payload.as_ref().map(serde_json::Value::to_string);
        sqlx::query!(
            "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, media_url, caption,
                                   file_name, payload, quoted_message_id, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            conversation_id,
            account_id,
            outbound,
            kind,
            msg.body,
            msg.media_url,
            msg.caption,
            msg.file_name,
            payload,
            msg.quoted_message_id,
            pending,
            now
        )
        .execute(&mut *tx)
        .await?;
        let preview = preview_of(msg.body.as_deref(), msg.caption.as_deref());
        sqlx::query!(
            "UPDATE conversations SET last_activity_at = MAX(last_activity_at, ?1), last_message_preview = ?2,
                    last_message_direction = ?3, last_message_kind = ?4
             WHERE id = ?5",
            now,
            preview,
            outbound,
            kind,
            conversation_id
        )
        .execute(&mut *tx)
        .await?;
        // Drafts: the message sent is the conversation's draft; it goes in the same transaction.
        super::drafts::delete_draft_in(&mut tx, conversation_id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a message's delivery status forward; returns false if the new status is not ahead
    /// of the stored one (statuses arrive out of order and must never move back).
    pub async fn set_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        provider_message_id: Option<&str>,
        error: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let echo_status = match provider_message_id {
            Some(pid) => absorb_echo(&mut tx, message_id, pid).await?,
            None => None,
        };
        let new = enum_str(&status);
        let new_rank = rank(status);
        let done = sqlx::query!(
            "UPDATE messages
                SET status = ?1, provider_message_id = COALESCE(?2, provider_message_id), error = ?3
              WHERE id = ?4
                AND (CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2
                                 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 END) < ?5",
            new,
            provider_message_id,
            error,
            message_id,
            new_rank
        )
        .execute(&mut *tx)
        .await?;
        if let Some(echo) = echo_status.filter(|e| rank(*e) > new_rank) {
            let further = enum_str(&echo);
            sqlx::query!("UPDATE messages SET status = ? WHERE id = ?", further, message_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Outbound messages still `pending` when the engine starts were interrupted mid-send: we
    /// cannot know whether the provider got them, so they are marked failed for the agent to see.
    pub async fn fail_interrupted_sends(&self) -> Result<u64> {
        let done = sqlx::query!(
            "UPDATE messages SET status = 'failed', error = 'interrupted before the provider confirmed it; check before resending'
             WHERE direction = 'outbound' AND status = 'pending' AND note = 0"
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn get_message(&self, id: &str) -> Result<Message> {
        let row = sqlx::query_as!(
            Raw,
            r#"SELECT m.id, m.conversation_id, m.direction, m.sender_name, m.kind, m.body, m.media_url, m.caption,
                      m.file_name, m.provider_message_id, m.status, m.error, m.quoted_message_id, m.payload, m.deleted_at,
                      m.created_at,
                      (SELECT json_group_array(json_object('reactor', r.reactor, 'emoji', r.emoji,
                                                           'from_me', json(CASE r.from_me WHEN 1 THEN 'true' ELSE 'false' END)))
                         FROM reactions r WHERE r.message_id = m.id) AS "reactions!: String",
                      m.note AS "note: bool"
               FROM messages m WHERE m.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("message.not_found")))?;
        row.try_into()
    }

    /// The provider's id of a stored message, with its conversation.
    pub async fn message_ref(&self, id: &str) -> Result<(String, Option<String>)> {
        let row = sqlx::query!("SELECT conversation_id, provider_message_id FROM messages WHERE id = ?", id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound(text!("message.not_found")))?;
        Ok((row.conversation_id, row.provider_message_id))
    }

    /// Marks a message deleted (its content stays for the record; the UI shows it as deleted).
    pub async fn mark_deleted(&self, id: &str) -> Result<()> {
        let now = now_ms();
        sqlx::query!("UPDATE messages SET deleted_at = ? WHERE id = ?", now, id).execute(&self.pool).await?;
        Ok(())
    }

    /// Removes the agent's own reaction from a message.
    pub async fn remove_own_reaction(&self, id: &str) -> Result<()> {
        sqlx::query!("DELETE FROM reactions WHERE message_id = ? AND from_me = 1", id).execute(&self.pool).await?;
        Ok(())
    }

    /// Messages of a conversation oldest first, for the `external_history` document. Internal
    /// notes are never part of it.
    pub async fn history(&self, conversation_id: &str, limit: i64) -> Result<Vec<Message>> {
        let rows = sqlx::query_as!(
            Raw,
            r#"SELECT * FROM (
                 SELECT m.id, m.conversation_id, m.direction, m.sender_name, m.kind, m.body, m.media_url, m.caption,
                        m.file_name, m.provider_message_id, m.status, m.error, m.quoted_message_id, m.payload,
                        m.deleted_at, m.created_at, '[]' AS "reactions!: String", m.note AS "note: bool"
                 FROM messages m WHERE m.conversation_id = ?1 AND m.note = 0
                 ORDER BY m.created_at DESC, m.id DESC LIMIT ?2)
               ORDER BY created_at, id"#,
            conversation_id,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Message::try_from).collect()
    }

    /// A conversation's messages, newest first.
    pub async fn list_messages(
        &self,
        conversation_id: &str,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Message>> {
        let cursor = cursor.map(Cursor::decode).transpose()?;
        let (cursor_at, cursor_id) = match &cursor {
            Some(c) => (Some(c.at), Some(c.id.as_str())),
            None => (None, None),
        };
        let limit = page_limit(limit);
        let fetch = limit + 1;
        let exists = sqlx::query_scalar!("SELECT COUNT(*) FROM conversations WHERE id = ?", conversation_id)
            .fetch_one(&self.pool)
            .await?;
        if exists == 0 {
            return Err(Error::NotFound(text!("conversation.not_found")));
        }
        let rows = sqlx::query_as!(
            Raw,
            r#"SELECT m.id, m.conversation_id, m.direction, m.sender_name, m.kind, m.body, m.media_url, m.caption,
                      m.file_name, m.provider_message_id, m.status, m.error, m.quoted_message_id, m.payload, m.deleted_at,
                      m.created_at,
                      (SELECT json_group_array(json_object('reactor', r.reactor, 'emoji', r.emoji,
                                                           'from_me', json(CASE r.from_me WHEN 1 THEN 'true' ELSE 'false' END)))
                         FROM reactions r WHERE r.message_id = m.id) AS "reactions!: String",
                      m.note AS "note: bool"
               FROM messages m
               WHERE m.conversation_id = ?1
                 AND (?2 IS NULL OR m.created_at < ?2 OR (m.created_at = ?2 AND m.id < ?3))
               ORDER BY m.created_at DESC, m.id DESC
               LIMIT ?4"#,
            conversation_id,
            cursor_at,
            cursor_id,
            fetch
        )
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(Message::try_from).collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |m| Cursor { at: m.created_at.timestamp_millis(), id: m.id.clone() }))
    }
}

/// A provider may report our own send back (an outbound echo) before its answer to the send is
/// recorded; the echo was then stored as a message of its own under the provider's id. It is
/// folded into ours (reactions, quotes and raw deliveries move over) and removed; its status is
/// answered so ours can move forward to it.
async fn absorb_echo(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    message_id: &str,
    provider_message_id: &str,
) -> Result<Option<DeliveryStatus>> {
    let Some(echo) = sqlx::query!(
        "SELECT e.id, e.status FROM messages e JOIN messages m ON m.id = ?1
         WHERE e.account_id = m.account_id AND e.conversation_id = m.conversation_id
           AND e.provider_message_id = ?2 AND e.id <> m.id AND e.direction = 'outbound'",
        message_id,
        provider_message_id
    )
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    sqlx::query!(
        "INSERT OR IGNORE INTO reactions (message_id, reactor, emoji, reacted_at, from_me)
         SELECT ?1, reactor, emoji, reacted_at, from_me FROM reactions WHERE message_id = ?2",
        message_id,
        echo.id
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!("UPDATE messages SET quoted_message_id = ?1 WHERE quoted_message_id = ?2", message_id, echo.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query!("UPDATE webhook_events SET message_id = ?1 WHERE message_id = ?2", message_id, echo.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query!("DELETE FROM messages WHERE id = ?", echo.id).execute(&mut **tx).await?;
    Ok(parse_enum(&echo.status).ok())
}

pub(super) async fn upsert_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    account_id: &str,
    c: &InboundContact,
    now: i64,
) -> Result<String> {
    let existing = sqlx::query_scalar!(
        "SELECT contact_id FROM contact_identities WHERE account_id = ? AND external_id = ?",
        account_id,
        c.external_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    match existing {
        Some(id) => {
            sqlx::query!(
                "UPDATE contacts SET display_name = COALESCE(?1, display_name), avatar_url = COALESCE(?2, avatar_url),
                        updated_at = ?3 WHERE id = ?4",
                c.display_name,
                c.avatar_url,
                now,
                id
            )
            .execute(&mut **tx)
            .await?;
            Ok(id)
        }
        None => {
            let id = new_id();
            sqlx::query!(
                "INSERT INTO contacts (id, display_name, avatar_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                id,
                c.display_name,
                c.avatar_url,
                now,
                now
            )
            .execute(&mut **tx)
            .await?;
            sqlx::query!(
                "INSERT INTO contact_identities (account_id, external_id, contact_id) VALUES (?, ?, ?)",
                account_id,
                c.external_id,
                id
            )
            .execute(&mut **tx)
            .await?;
            Ok(id)
        }
    }
}
