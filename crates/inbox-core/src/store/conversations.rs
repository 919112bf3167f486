use super::{CapabilitiesOf, Cursor, Store, from_ms, into_page, page_limit};
use crate::exchange::ConversationTarget;
use crate::model::{
    ConversationFilter, ConversationPatch, ConversationSummary, Handoff, LastMessage, Page, Priority, Provider,
};
use crate::{Error, Result};

struct Raw {
    id: String,
    account_id: String,
    provider: String,
    kind: String,
    title: String,
    avatar_url: Option<String>,
    status: String,
    priority: i64,
    unread_count: i64,
    last_activity_at: i64,
    last_message_preview: Option<String>,
    last_message_direction: Option<String>,
    last_message_kind: Option<String>,
    tags: String,
    settings: String,
    handoff: Option<String>,
    window_expires_at: Option<i64>,
    assignee: Option<String>,
    contact_id: Option<String>,
    /// Drafts: the conversation's draft as `{body, media, note}` JSON, if it has one.
    draft: Option<String>,
}

impl Raw {
    /// The summary the UI shows; `capabilities` answers what the conversation's account can do.
    fn into_summary(self, capabilities: CapabilitiesOf) -> Result<ConversationSummary> {
        let r = self;
        let provider = Provider::parse(&r.provider)?;
        let settings = match serde_json::from_str(&r.settings) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let handoff = r.handoff.as_deref().map(serde_json::from_str::<Handoff>).transpose().ok().flatten();
        let last_message = match (r.last_message_preview, r.last_message_direction, r.last_message_kind) {
            (Some(preview), Some(direction), Some(kind)) => {
                Some(LastMessage { preview, direction: parse_enum(&direction)?, kind: parse_enum(&kind)? })
            }
            _ => None,
        };
        Ok(ConversationSummary {
            id: r.id,
            account_id: r.account_id,
            provider,
            kind: parse_enum(&r.kind)?,
            title: r.title,
            avatar_url: r.avatar_url,
            status: parse_enum(&r.status)?,
            priority: Priority::try_from(r.priority)?,
            unread_count: r.unread_count,
            last_activity_at: from_ms(r.last_activity_at),
            last_message,
            tags: serde_json::from_str(&r.tags).map_err(|e| Error::Internal(format!("tags: {e}")))?,
            capabilities: capabilities(provider, &settings),
            handoff,
            window_expires_at: r.window_expires_at.map(from_ms),
            assignee: r.assignee,
            contact_id: r.contact_id,
            draft: super::drafts::draft_preview(r.draft.as_deref()),
        })
    }
}

/// Reads a stored snake_case enum value through its serde name.
pub(crate) fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| Error::Internal(format!("unexpected stored value `{s}`")))
}

/// The snake_case name of an enum value, as stored.
pub(crate) fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => unreachable!("stored enums serialize to strings"),
    }
}

/// The list's one-line preview of a message: its text or caption, cut to 140 characters.
/// Media without a caption previews as empty; the UI labels it by kind.
pub(crate) fn preview_of(body: Option<&str>, caption: Option<&str>) -> String {
    let text = body.or(caption).unwrap_or_default();
    let mut preview: String = text.chars().take(140).collect();
    if text.chars().count() > 140 {
        preview.push('…');
    }
    preview
}

impl Store {
    pub async fn list_conversations(&self, filter: &ConversationFilter) -> Result<Page<ConversationSummary>> {
        let status = filter.status.as_ref().map(enum_str);
        let priority = filter.priority.map(|p| p.value());
        let cursor = filter.cursor.as_deref().map(Cursor::decode).transpose()?;
        let (cursor_at, cursor_id) = match &cursor {
            Some(c) => (Some(c.at), Some(c.id.as_str())),
            None => (None, None),
        };
        let limit = page_limit(filter.limit);
        let fetch = limit + 1;
        let rows = sqlx::query_as!(
            Raw,
            r#"SELECT c.id, c.account_id, a.provider, c.kind, c.title, c.avatar_url, c.status, c.priority,
                      c.unread_count, c.last_activity_at, c.last_message_preview, c.last_message_direction,
                      c.last_message_kind,
                      (SELECT json_group_array(t.name) FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
                        WHERE ct.conversation_id = c.id) AS "tags!: String",
                      a.settings, c.handoff, c.window_expires_at, c.assignee, c.contact_id,
                      (SELECT json_object('body', d.body, 'media', json_array_length(d.media_ids), 'note', d.note)
                         FROM drafts d WHERE d.conversation_id = c.id) AS "draft?: String"
               FROM conversations c JOIN accounts a ON a.id = c.account_id
               WHERE (?1 IS NULL OR c.status = ?1)
                 AND (?2 IS NULL OR c.account_id = ?2)
                 AND (?3 IS NULL OR c.priority = ?3)
                 AND (?4 IS NULL OR EXISTS (SELECT 1 FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
                                            WHERE ct.conversation_id = c.id AND t.name = ?4))
                 AND (?5 IS NULL OR c.last_activity_at < ?5 OR (c.last_activity_at = ?5 AND c.id < ?6))
               ORDER BY c.last_activity_at DESC, c.id DESC
               LIMIT ?7"#,
            status,
            filter.account_id,
            priority,
            filter.tag,
            cursor_at,
            cursor_id,
            fetch
        )
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(|r| r.into_summary(self.capabilities)).collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |c| Cursor { at: c.last_activity_at.timestamp_millis(), id: c.id.clone() }))
    }

    pub async fn get_conversation(&self, id: &str) -> Result<ConversationSummary> {
        let row = sqlx::query_as!(
            Raw,
            r#"SELECT c.id, c.account_id, a.provider, c.kind, c.title, c.avatar_url, c.status, c.priority,
                      c.unread_count, c.last_activity_at, c.last_message_preview, c.last_message_direction,
                      c.last_message_kind,
                      (SELECT json_group_array(t.name) FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id
                        WHERE ct.conversation_id = c.id) AS "tags!: String",
                      a.settings, c.handoff, c.window_expires_at, c.assignee, c.contact_id,
                      (SELECT json_object('body', d.body, 'media', json_array_length(d.media_ids), 'note', d.note)
                         FROM drafts d WHERE d.conversation_id = c.id) AS "draft?: String"
               FROM conversations c JOIN accounts a ON a.id = c.account_id
               WHERE c.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("conversation.not_found")))?;
        row.into_summary(self.capabilities)
    }

    pub async fn conversation_target(&self, id: &str) -> Result<ConversationTarget> {
        let row = sqlx::query!(
            r#"SELECT c.id, c.account_id, c.external_id, c.kind, c.title, c.meta, c.handoff, c.window_expires_at,
                      (SELECT ci.external_id FROM contact_identities ci
                        WHERE ci.contact_id = c.contact_id AND ci.account_id = c.account_id LIMIT 1) AS contact_external_id
               FROM conversations c WHERE c.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("conversation.not_found")))?;
        let meta = match serde_json::from_str(&row.meta) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        Ok(ConversationTarget {
            conversation_id: row.id,
            account_id: row.account_id,
            external_id: row.external_id,
            kind: parse_enum(&row.kind)?,
            title: row.title,
            meta,
            handoff: row.handoff.as_deref().and_then(|h| serde_json::from_str(h).ok()),
            window_expires_at: row.window_expires_at.map(from_ms),
            contact_external_id: row.contact_external_id,
            history_url: None,
        })
    }

    pub async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> Result<ConversationSummary> {
        let status = patch.status.as_ref().map(enum_str);
        let priority = patch.priority.map(|p| p.value());
        let mut tx = self.begin_write().await?;
        let done = sqlx::query!(
            "UPDATE conversations SET status = COALESCE(?1, status), priority = COALESCE(?2, priority) WHERE id = ?3",
            status,
            priority,
            id
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("conversation.not_found")));
        }
        if let Some(tag_ids) = &patch.tag_ids {
            sqlx::query!("DELETE FROM conversation_tags WHERE conversation_id = ?", id).execute(&mut *tx).await?;
            for tag_id in tag_ids {
                let known =
                    sqlx::query_scalar!("SELECT COUNT(*) FROM tags WHERE id = ?", tag_id).fetch_one(&mut *tx).await?;
                if known == 0 {
                    return Err(Error::invalid(text!("tag.unknown", id = tag_id)));
                }
                sqlx::query!("INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (?, ?)", id, tag_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        self.get_conversation(id).await
    }

    pub async fn mark_read(&self, id: &str) -> Result<ConversationSummary> {
        let done =
            sqlx::query!("UPDATE conversations SET unread_count = 0 WHERE id = ?", id).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("conversation.not_found")));
        }
        self.get_conversation(id).await
    }
}
