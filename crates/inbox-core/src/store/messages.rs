use chrono::{DateTime, Utc};

use super::conversations::{enum_str, parse_enum, preview_of};
use super::{Cursor, Store, from_ms, into_page, new_id, now_ms, page_limit};
use crate::model::{ConversationKind, DeliveryStatus, Direction, Message, MessageKind, Page, Reaction};
use crate::{Error, Result};

/// A customer's message as a provider reported it, already mapped onto the engine's model.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// The provider's id of the chat: a phone number, a group id.
    pub conversation_external_id: String,
    pub conversation_kind: ConversationKind,
    /// The chat's name: the group's name, or the customer's.
    pub title: String,
    pub avatar_url: Option<String>,
    /// The customer, when the provider identifies one (individual chats).
    pub contact: Option<InboundContact>,
    pub sender_name: Option<String>,
    pub sender_external_id: Option<String>,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub provider_message_id: String,
    pub sent_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InboundContact {
    pub external_id: String,
    pub display_name: Option<String>,
    /// Providers hand out expiring avatar URLs; the newest one replaces the stored one.
    pub avatar_url: Option<String>,
}

/// What ingesting a webhook produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    New {
        conversation_id: String,
        message_id: String,
    },
    /// The provider delivered this message before; nothing was stored.
    Duplicate,
}

/// An agent's message, validated, ready to be stored before any network call.
#[derive(Debug, Clone)]
pub struct OutboundMessage {
    pub kind: MessageKind,
    pub body: Option<String>,
    pub media_url: Option<String>,
    pub caption: Option<String>,
    pub file_name: Option<String>,
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
    created_at: i64,
    reactions: String,
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
            created_at: from_ms(r.created_at),
            reactions,
        })
    }
}

/// Order of delivery statuses: a status may only replace a lower one. `failed` ends a send that
/// never got past `sent`; a message the provider has delivered cannot turn failed.
fn rank(status: DeliveryStatus) -> i64 {
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
    pub async fn ingest_inbound(&self, account_id: &str, raw_payload: &str, msg: &InboundMessage) -> Result<Ingested> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let known = sqlx::query_scalar!(
            "SELECT id FROM messages WHERE account_id = ? AND provider_message_id = ?",
            account_id,
            msg.provider_message_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if known.is_some() {
            return Ok(Ingested::Duplicate);
        }

        let contact_id = match &msg.contact {
            Some(c) => Some(upsert_contact(&mut tx, account_id, c, now).await?),
            None => None,
        };

        let kind = enum_str(&msg.conversation_kind);
        let sent_at = msg.sent_at.timestamp_millis();
        let new_conversation_id = new_id();
        let conversation_id = sqlx::query_scalar!(
            r#"INSERT INTO conversations (id, account_id, external_id, kind, contact_id, title, avatar_url,
                                          last_activity_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (account_id, external_id) DO UPDATE SET
                   title = excluded.title,
                   avatar_url = COALESCE(excluded.avatar_url, conversations.avatar_url),
                   contact_id = COALESCE(excluded.contact_id, conversations.contact_id)
               RETURNING id AS "id!: String""#,
            new_conversation_id,
            account_id,
            msg.conversation_external_id,
            kind,
            contact_id,
            msg.title,
            msg.avatar_url,
            sent_at,
            now
        )
        .fetch_one(&mut *tx)
        .await?;

        let message_id = new_id();
        let message_kind = enum_str(&msg.kind);
        let inbound = enum_str(&Direction::Inbound);
        let delivered = enum_str(&DeliveryStatus::Delivered);
        sqlx::query!(
            "INSERT INTO messages (id, conversation_id, account_id, direction, sender_name, sender_external_id, kind,
                                   body, media_url, caption, provider_message_id, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            message_id,
            conversation_id,
            account_id,
            inbound,
            msg.sender_name,
            msg.sender_external_id,
            message_kind,
            msg.body,
            msg.media_url,
            msg.caption,
            msg.provider_message_id,
            delivered,
            sent_at
        )
        .execute(&mut *tx)
        .await?;

        // A customer writing again reopens a resolved or snoozed conversation.
        let preview = preview_of(msg.body.as_deref(), msg.caption.as_deref());
        sqlx::query!(
            "UPDATE conversations SET unread_count = unread_count + 1, status = 'open',
                    last_activity_at = MAX(last_activity_at, ?1), last_message_preview = ?2,
                    last_message_direction = ?3, last_message_kind = ?4
             WHERE id = ?5",
            sent_at,
            preview,
            inbound,
            message_kind,
            conversation_id
        )
        .execute(&mut *tx)
        .await?;

        sqlx::query!(
            "INSERT INTO webhook_events (account_id, received_at, payload, message_id) VALUES (?, ?, ?, ?)",
            account_id,
            now,
            raw_payload,
            message_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ingested::New { conversation_id, message_id })
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
        sqlx::query!(
            "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, media_url, caption,
                                   file_name, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            conversation_id,
            account_id,
            outbound,
            kind,
            msg.body,
            msg.media_url,
            msg.caption,
            msg.file_name,
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
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Outbound messages still `pending` when the engine starts were interrupted mid-send: we
    /// cannot know whether the provider got them, so they are marked failed for the agent to see.
    pub async fn fail_interrupted_sends(&self) -> Result<u64> {
        let done = sqlx::query!(
            "UPDATE messages SET status = 'failed', error = 'interrupted before the provider confirmed it; check before resending'
             WHERE direction = 'outbound' AND status = 'pending'"
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn get_message(&self, id: &str) -> Result<Message> {
        let row = sqlx::query_as!(
            Raw,
            r#"SELECT m.id, m.conversation_id, m.direction, m.sender_name, m.kind, m.body, m.media_url, m.caption,
                      m.file_name, m.provider_message_id, m.status, m.error, m.quoted_message_id, m.created_at,
                      (SELECT json_group_array(json_object('reactor', r.reactor, 'emoji', r.emoji))
                         FROM reactions r WHERE r.message_id = m.id) AS "reactions!: String"
               FROM messages m WHERE m.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound("message"))?;
        row.try_into()
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
            return Err(Error::NotFound("conversation"));
        }
        let rows = sqlx::query_as!(
            Raw,
            r#"SELECT m.id, m.conversation_id, m.direction, m.sender_name, m.kind, m.body, m.media_url, m.caption,
                      m.file_name, m.provider_message_id, m.status, m.error, m.quoted_message_id, m.created_at,
                      (SELECT json_group_array(json_object('reactor', r.reactor, 'emoji', r.emoji))
                         FROM reactions r WHERE r.message_id = m.id) AS "reactions!: String"
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

async fn upsert_contact(
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
