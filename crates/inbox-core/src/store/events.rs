//! Applying what a webhook delivery (or a page of imported history) means: every change one
//! delivery carries, and its raw payload, commit in one transaction, before the receiver answers.

use serde_json::{Value, json};

use super::conversations::{enum_str, preview_of};
use super::messages::upsert_contact;
use super::{Applied, Store, new_id, now_ms};
use crate::Result;
use crate::exchange::{ChatUpdate, ConversationRef, HandoffEvent, InboundMessage, WebhookEvent};
use crate::model::{ConversationKind, DeliveryStatus, Direction, Handoff, HandoffState, MessageKind};

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// The external id of the per-account conversation that collects provider events the inbox could
/// not tie to a chat.
pub const UNRECOGNISED_EXTERNAL_ID: &str = "_unrecognised";

fn event_kind(event: &WebhookEvent) -> &'static str {
    match event {
        WebhookEvent::Message(_) => "message",
        WebhookEvent::Status { .. } => "status",
        WebhookEvent::Reaction { .. } => "reaction",
        WebhookEvent::Handoff { .. } => "handoff",
        WebhookEvent::Typing { .. } => "typing",
        WebhookEvent::Chat { .. } => "chat",
        WebhookEvent::Unrecognised { .. } => "unrecognised",
        WebhookEvent::Ignored(_) => "ignored",
    }
}

/// A hand-off change in words, for the conversation's timeline (the UI renders its own
/// translation from `payload`; this is the fallback and the list preview).
pub fn describe_handoff(h: &HandoffEvent) -> String {
    match h.state {
        HandoffState::Started => "Hand-off started".into(),
        HandoffState::Queued => match h.position {
            Some(p) => format!("In the queue, position {p}"),
            None => "In the queue".into(),
        },
        HandoffState::Accepted => match &h.agent_name {
            Some(a) => format!("Accepted by {a}"),
            None => "Accepted by an agent".into(),
        },
        HandoffState::Unavailable => "No agent available".into(),
        HandoffState::Transferred => match &h.department_id {
            Some(d) => format!("Transferred to department {d}"),
            None => "Transferred to another department".into(),
        },
        HandoffState::Finished => "Finished by the agent".into(),
    }
}

impl Store {
    /// Applies a delivery's events and logs its raw payload, in one transaction. `raw` is `None`
    /// for imported history (nothing was delivered).
    pub async fn apply_events(
        &self,
        account_id: &str,
        raw: Option<&str>,
        events: &[WebhookEvent],
    ) -> Result<Vec<Applied>> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        // Nothing was delivered: these are imported history, not news for the agent.
        let history = raw.is_none();
        let mut applied = Vec::with_capacity(events.len());
        for event in events {
            let outcome = match event {
                WebhookEvent::Message(m) => apply_message(&mut tx, account_id, m, now, history).await?,
                WebhookEvent::Status { provider_message_id, status, error } => {
                    apply_status(&mut tx, account_id, provider_message_id, *status, error.as_deref()).await?
                }
                WebhookEvent::Reaction { provider_message_id, reactor, emoji, from_me } => {
                    apply_reaction(&mut tx, account_id, provider_message_id, reactor, emoji.as_deref(), *from_me, now)
                        .await?
                }
                WebhookEvent::Handoff { conversation, handoff } => {
                    apply_handoff(&mut tx, account_id, conversation, handoff, raw, now).await?
                }
                WebhookEvent::Typing { conversation, who, active } => {
                    match find_conversation(&mut tx, account_id, &conversation.external_id).await? {
                        Some(conversation_id) => {
                            // A hand-off's trigger names nobody: the remote agent is who last wrote.
                            let who = match who {
                                Some(who) => Some(who.clone()),
                                None => handoff_agent(&mut tx, &conversation_id).await?,
                            };
                            Applied::Typing { conversation_id, who, active: *active }
                        }
                        None => Applied::Nothing,
                    }
                }
                WebhookEvent::Chat { conversation, update } => {
                    let before = sqlx::query_scalar!(
                        "SELECT title FROM conversations WHERE account_id = ? AND external_id = ?",
                        account_id,
                        conversation.external_id
                    )
                    .fetch_optional(&mut *tx)
                    .await?;
                    let renamed = match (&before, conversation.title.as_deref()) {
                        (Some(old), Some(new)) => !new.trim().is_empty() && old != new,
                        _ => false,
                    };
                    let conversation_id = upsert_conversation(&mut tx, account_id, conversation, now).await?;
                    // A repeated delivery that changes nothing is not news (and not stored again).
                    let changed = apply_chat_update(&mut tx, &conversation_id, update).await?;
                    if changed || renamed || before.is_none() {
                        Applied::ConversationChanged { conversation_id }
                    } else {
                        Applied::Nothing
                    }
                }
                WebhookEvent::Unrecognised { conversation, summary } => {
                    apply_unrecognised(&mut tx, account_id, conversation.as_ref(), summary, raw, now).await?
                }
                WebhookEvent::Ignored(_) => Applied::Nothing,
            };
            applied.push(outcome);
        }
        if let Some(raw) = raw {
            let kind = events.first().map(event_kind).unwrap_or("ignored");
            let message_id = applied.iter().find_map(|a| match a {
                Applied::MessageAdded { message_id, .. } => Some(message_id.clone()),
                _ => None,
            });
            let stored_anything = applied.iter().any(|a| !matches!(a, Applied::Nothing | Applied::Duplicate));
            if stored_anything {
                sqlx::query!(
                    "INSERT INTO webhook_events (account_id, received_at, kind, payload, message_id) VALUES (?, ?, ?, ?, ?)",
                    account_id,
                    now,
                    kind,
                    raw,
                    message_id
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(applied)
    }

    /// Stores a conversation the agent starts, with its first message as pending, in one
    /// transaction. An existing conversation under the same key is reused (and reopened).
    pub async fn insert_started(
        &self,
        account_id: &str,
        plan: &crate::exchange::StartPlan,
    ) -> Result<(String, Option<String>)> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let r =
            ConversationRef { external_id: plan.external_id.clone(), kind: plan.kind, title: Some(plan.title.clone()) };
        let conversation_id = upsert_conversation(&mut tx, account_id, &r, now).await?;
        let meta = Value::Object(plan.meta.clone()).to_string();
        sqlx::query!(
            "UPDATE conversations SET meta = json_patch(meta, ?1), status = 'open', last_activity_at = MAX(last_activity_at, ?2)
             WHERE id = ?3",
            meta,
            now,
            conversation_id
        )
        .execute(&mut *tx)
        .await?;
        if plan.handoff {
            // A start is a new hand-off: nothing of an earlier one (agent, hash) carries over.
            sqlx::query!("UPDATE conversations SET handoff = NULL WHERE id = ?", conversation_id)
                .execute(&mut *tx)
                .await?;
            let started = HandoffEvent {
                state: HandoffState::Started,
                position: None,
                agent_name: None,
                department_id: plan.meta.get("department_id").map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
                interaction_hash: None,
            };
            merge_handoff(&mut tx, &conversation_id, &started, now).await?;
        }
        tx.commit().await?;
        let first = match &plan.first_message {
            Some(m) => Some(self.insert_outbound(&conversation_id, account_id, m).await?),
            None => None,
        };
        Ok((conversation_id, first))
    }

    /// Gives a started conversation the provider's id for its chat. When another conversation of
    /// the account already has that id (the provider reused a chat the inbox knows), the started
    /// one's messages join it and the started one goes. Answers the conversation that now
    /// carries the id.
    pub async fn rekey_conversation(&self, conversation_id: &str, external_id: &str) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let current = sqlx::query!(
            "SELECT account_id, title, meta, contact_id, last_activity_at, last_message_preview,
                    last_message_direction, last_message_kind
             FROM conversations WHERE id = ?",
            conversation_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(crate::Error::NotFound(text!("conversation.not_found")))?;
        let survivor = match find_conversation(&mut tx, &current.account_id, external_id).await? {
            None => {
                sqlx::query!("UPDATE conversations SET external_id = ? WHERE id = ?", external_id, conversation_id)
                    .execute(&mut *tx)
                    .await?;
                conversation_id.to_owned()
            }
            Some(same) if same == conversation_id => same,
            Some(existing) => {
                sqlx::query!(
                    "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?",
                    existing,
                    conversation_id
                )
                .execute(&mut *tx)
                .await?;
                // A conversation a webhook created moments ago is titled by its bare id: the
                // started one's title (the customer's name) is better.
                sqlx::query!(
                    "UPDATE conversations SET meta = json_patch(meta, ?1), status = 'open',
                            contact_id = COALESCE(contact_id, ?2),
                            title = CASE WHEN title = external_id THEN ?3 ELSE title END
                     WHERE id = ?4",
                    current.meta,
                    current.contact_id,
                    current.title,
                    existing
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!(
                    "UPDATE conversations SET last_activity_at = ?1, last_message_preview = ?2,
                            last_message_direction = ?3, last_message_kind = ?4
                     WHERE id = ?5 AND last_activity_at <= ?1",
                    current.last_activity_at,
                    current.last_message_preview,
                    current.last_message_direction,
                    current.last_message_kind,
                    existing
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!("DELETE FROM conversations WHERE id = ?", conversation_id).execute(&mut *tx).await?;
                existing
            }
        };
        tx.commit().await?;
        Ok(survivor)
    }

    pub async fn delete_conversation(&self, id: &str) -> Result<()> {
        sqlx::query!("DELETE FROM conversations WHERE id = ?", id).execute(&self.pool).await?;
        Ok(())
    }

    /// Sets provider-side state learned from a send or a start: merges `meta`, applies the chat
    /// update and the hand-off. With `keep_reported`, a hand-off state the provider already
    /// reported for this conversation (a webhook that beat the start's answer) is kept and the
    /// start only adds its ids.
    pub async fn apply_started(
        &self,
        conversation_id: &str,
        keep_reported: bool,
        meta: &serde_json::Map<String, Value>,
        chat: Option<&ChatUpdate>,
        handoff: Option<&HandoffEvent>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let reported: Option<Handoff> = if keep_reported {
            sqlx::query_scalar!("SELECT handoff FROM conversations WHERE id = ?", conversation_id)
                .fetch_optional(&mut *tx)
                .await?
                .flatten()
                .and_then(|h| serde_json::from_str::<Handoff>(&h).ok())
                .filter(|h| h.state != HandoffState::Started)
        } else {
            None
        };
        if !meta.is_empty() {
            let patch = Value::Object(meta.clone()).to_string();
            sqlx::query!("UPDATE conversations SET meta = json_patch(meta, ?) WHERE id = ?", patch, conversation_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(chat) = chat {
            apply_chat_update(&mut tx, conversation_id, chat).await?;
        }
        if let Some(h) = handoff {
            let h = match &reported {
                // The provider already said where the hand-off is: the start adds only its ids.
                Some(current) => HandoffEvent {
                    state: current.state,
                    position: current.position,
                    agent_name: None,
                    department_id: current.department_id.is_none().then(|| h.department_id.clone()).flatten(),
                    interaction_hash: h.interaction_hash.clone(),
                },
                None => h.clone(),
            };
            merge_handoff(&mut tx, conversation_id, &h, now_ms()).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The remote agent a hand-off last heard from.
async fn handoff_agent(tx: &mut Tx, conversation_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT json_extract(handoff, '$.agent_name') AS "agent_name?: String" FROM conversations WHERE id = ?"#,
        conversation_id
    )
    .fetch_optional(&mut **tx)
    .await?
    .flatten())
}

/// The id of the message the provider knows as `provider_message_id` in this account.
async fn find_message(tx: &mut Tx, account_id: &str, provider_message_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM messages WHERE account_id = ? AND provider_message_id = ?",
        account_id,
        provider_message_id
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// That message's id and its conversation's.
async fn find_message_in(tx: &mut Tx, account_id: &str, provider_message_id: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query!(
        "SELECT id, conversation_id FROM messages WHERE account_id = ? AND provider_message_id = ?",
        account_id,
        provider_message_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.id, r.conversation_id)))
}

async fn find_conversation(tx: &mut Tx, account_id: &str, external_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM conversations WHERE account_id = ? AND external_id = ?",
        account_id,
        external_id
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// The conversation a ref names, created (empty, titled by the ref) if new.
pub(super) async fn upsert_conversation(
    tx: &mut Tx,
    account_id: &str,
    conversation: &ConversationRef,
    now: i64,
) -> Result<String> {
    if let Some(id) = find_conversation(tx, account_id, &conversation.external_id).await? {
        if let Some(title) = conversation.title.as_deref().filter(|t| !t.trim().is_empty()) {
            sqlx::query!("UPDATE conversations SET title = ? WHERE id = ?", title, id).execute(&mut **tx).await?;
        }
        return Ok(id);
    }
    let id = new_id();
    let kind = enum_str(&conversation.kind);
    let title = conversation.title.clone().unwrap_or_else(|| conversation.external_id.clone());
    sqlx::query!(
        "INSERT INTO conversations (id, account_id, external_id, kind, title, last_activity_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        account_id,
        conversation.external_id,
        kind,
        title,
        now,
        now
    )
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

async fn apply_message(
    tx: &mut Tx,
    account_id: &str,
    msg: &InboundMessage,
    now: i64,
    history: bool,
) -> Result<Applied> {
    if find_message(tx, account_id, &msg.provider_message_id).await?.is_some() {
        return Ok(Applied::Duplicate);
    }

    let contact_id = match &msg.contact {
        Some(c) => Some(upsert_contact(tx, account_id, c, now).await?),
        None => None,
    };
    // The name the agents gave the contact goes before the one the provider reports.
    let title = match &contact_id {
        Some(id) => sqlx::query_scalar!("SELECT custom_name FROM contacts WHERE id = ?", id)
            .fetch_one(&mut **tx)
            .await?
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| msg.title.clone()),
        None => msg.title.clone(),
    };
    let kind = enum_str(&msg.conversation_kind);
    let sent_at = msg.sent_at.timestamp_millis();
    let new_conversation_id = new_id();
    // An empty title keeps the stored one (a hand-off's agent message must not rename the
    // customer's conversation); a new conversation is then titled by its external id.
    let conversation_id = sqlx::query_scalar!(
        r#"INSERT INTO conversations (id, account_id, external_id, kind, contact_id, title, avatar_url,
                                      last_activity_at, created_at)
           VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(NULLIF(?6, ''), ?3), ?7, ?8, ?9)
           ON CONFLICT (account_id, external_id) DO UPDATE SET
               title = COALESCE(NULLIF(?6, ''), conversations.title),
               avatar_url = COALESCE(excluded.avatar_url, conversations.avatar_url),
               contact_id = COALESCE(excluded.contact_id, conversations.contact_id)
           RETURNING id AS "id!: String""#,
        new_conversation_id,
        account_id,
        msg.conversation_external_id,
        kind,
        contact_id,
        title,
        msg.avatar_url,
        sent_at,
        now
    )
    .fetch_one(&mut **tx)
    .await?;

    let quoted_id = match &msg.quoted_provider_message_id {
        Some(pid) => find_message(tx, account_id, pid).await?,
        None => None,
    };
    let message_id = new_id();
    let message_kind = enum_str(&msg.kind);
    let direction = enum_str(&msg.direction);
    let status = enum_str(&msg.status.unwrap_or(match msg.direction {
        Direction::Inbound => DeliveryStatus::Delivered,
        Direction::Outbound => DeliveryStatus::Sent,
    }));
    let payload = msg.payload.as_ref().map(Value::to_string);
    sqlx::query!(
        "INSERT INTO messages (id, conversation_id, account_id, direction, sender_name, sender_external_id, kind,
                               body, media_url, caption, file_name, payload, provider_message_id, status,
                               quoted_message_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        message_id,
        conversation_id,
        account_id,
        direction,
        msg.sender_name,
        msg.sender_external_id,
        message_kind,
        msg.body,
        msg.media_url,
        msg.caption,
        msg.file_name,
        payload,
        msg.provider_message_id,
        status,
        quoted_id,
        sent_at
    )
    .execute(&mut **tx)
    .await?;

    if msg.direction == Direction::Inbound
        && let Some(sender) = &msg.sender_name
    {
        // A hand-off names the remote agent who accepted or last wrote.
        sqlx::query!(
            "UPDATE conversations SET handoff = json_set(handoff, '$.agent_name', ?1) WHERE id = ?2 AND handoff IS NOT NULL",
            sender,
            conversation_id
        )
        .execute(&mut **tx)
        .await?;
    }
    let preview = preview_of(msg.body.as_deref(), msg.caption.as_deref());
    if msg.direction == Direction::Inbound && !history {
        // A customer writing again reopens a resolved or snoozed conversation.
        sqlx::query!(
            "UPDATE conversations SET unread_count = unread_count + 1, status = 'open',
                    last_activity_at = MAX(last_activity_at, ?1), last_message_preview = ?2,
                    last_message_direction = ?3, last_message_kind = ?4
             WHERE id = ?5",
            sent_at,
            preview,
            direction,
            message_kind,
            conversation_id
        )
        .execute(&mut **tx)
        .await?;
    } else {
        // Only a newer message replaces the preview (history arrives in any order); imported
        // history neither counts as unread nor reopens the conversation.
        sqlx::query!(
            "UPDATE conversations SET last_message_preview = ?2, last_message_direction = ?3, last_message_kind = ?4,
                    last_activity_at = ?1
             WHERE id = ?5 AND (last_message_preview IS NULL OR last_activity_at <= ?1)",
            sent_at,
            preview,
            direction,
            message_kind,
            conversation_id
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(Applied::MessageAdded { conversation_id, message_id })
}

async fn apply_status(
    tx: &mut Tx,
    account_id: &str,
    provider_message_id: &str,
    status: DeliveryStatus,
    error: Option<&str>,
) -> Result<Applied> {
    let Some((message_id, conversation_id)) = find_message_in(tx, account_id, provider_message_id).await? else {
        return Ok(Applied::Nothing);
    };
    let new = enum_str(&status);
    let rank = super::messages::rank(status);
    let done = sqlx::query!(
        "UPDATE messages SET status = ?1, error = COALESCE(?2, error)
          WHERE id = ?3
            AND (CASE status WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 2
                             WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 END) < ?4",
        new,
        error,
        message_id,
        rank
    )
    .execute(&mut **tx)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Applied::StatusChanged { conversation_id, message_id, status, error: error.map(str::to_owned) }
    } else {
        Applied::Nothing
    })
}

#[allow(clippy::too_many_arguments)]
async fn apply_reaction(
    tx: &mut Tx,
    account_id: &str,
    provider_message_id: &str,
    reactor: &str,
    emoji: Option<&str>,
    from_me: bool,
    now: i64,
) -> Result<Applied> {
    let Some((message_id, conversation_id)) = find_message_in(tx, account_id, provider_message_id).await? else {
        return Ok(Applied::Nothing);
    };
    // One emoji per reactor per message: a new one replaces the old, an empty one removes it.
    match emoji.filter(|e| !e.is_empty()) {
        Some(emoji) => {
            sqlx::query!(
                "INSERT INTO reactions (message_id, reactor, emoji, reacted_at, from_me) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (message_id, reactor) DO UPDATE SET emoji = excluded.emoji,
                     reacted_at = excluded.reacted_at, from_me = excluded.from_me",
                message_id,
                reactor,
                emoji,
                now,
                from_me
            )
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query!("DELETE FROM reactions WHERE message_id = ? AND reactor = ?", message_id, reactor)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(Applied::MessageChanged { conversation_id, message_id })
}

async fn merge_handoff(tx: &mut Tx, conversation_id: &str, h: &HandoffEvent, now: i64) -> Result<Handoff> {
    let current = sqlx::query_scalar!("SELECT handoff FROM conversations WHERE id = ?", conversation_id)
        .fetch_one(&mut **tx)
        .await?;
    let mut handoff: Handoff = current.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    handoff.state = h.state;
    handoff.position = if h.state == HandoffState::Queued { h.position } else { None };
    if h.agent_name.is_some() {
        handoff.agent_name = h.agent_name.clone();
    }
    if h.department_id.is_some() {
        handoff.department_id = h.department_id.clone();
    }
    if h.interaction_hash.is_some() {
        handoff.interaction_hash = h.interaction_hash.clone();
    }
    handoff.updated_at = Some(super::from_ms(now));
    let text = serde_json::to_string(&handoff).map_err(|e| crate::Error::Internal(format!("handoff: {e}")))?;
    // The remote agent finishing ends the conversation here too; any other state keeps it open.
    let status = if h.state == HandoffState::Finished { "resolved" } else { "open" };
    sqlx::query!("UPDATE conversations SET handoff = ?, status = ? WHERE id = ?", text, status, conversation_id)
        .execute(&mut **tx)
        .await?;
    Ok(handoff)
}

async fn apply_handoff(
    tx: &mut Tx,
    account_id: &str,
    conversation: &ConversationRef,
    h: &HandoffEvent,
    raw: Option<&str>,
    now: i64,
) -> Result<Applied> {
    let conversation_id = upsert_conversation(tx, account_id, conversation, now).await?;
    merge_handoff(tx, &conversation_id, h, now).await?;
    // Each change also goes on the timeline, so the agent sees the hand-off's story in order.
    let body = describe_handoff(h);
    let payload = json!({ "event": {
        "state": h.state,
        "position": h.position,
        "agent_name": h.agent_name,
        "department_id": h.department_id,
    }})
    .to_string();
    let message_id = new_id();
    let _ = raw;
    sqlx::query!(
        "INSERT INTO messages (id, conversation_id, account_id, direction, sender_name, kind, body, payload, status,
                               created_at)
         VALUES (?, ?, ?, 'inbound', ?, 'event', ?, ?, 'delivered', ?)",
        message_id,
        conversation_id,
        account_id,
        h.agent_name,
        body,
        payload,
        now
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "UPDATE conversations SET last_activity_at = MAX(last_activity_at, ?1), last_message_preview = ?2,
                last_message_direction = 'inbound', last_message_kind = 'event'
         WHERE id = ?3",
        now,
        body,
        conversation_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(Applied::MessageAdded { conversation_id, message_id })
}

/// The 24-hour window only ever moves forward: the customer's last message only gets later, so
/// an earlier end comes from a retried or out-of-order delivery and must not close the window.
/// Answers whether anything changed.
async fn apply_chat_update(tx: &mut Tx, conversation_id: &str, u: &ChatUpdate) -> Result<bool> {
    let status = u.status.as_ref().map(enum_str);
    let priority = u.priority.map(|p| p.value());
    let window = u.window_expires_at.map(|t| t.timestamp_millis());
    let done = sqlx::query!(
        "UPDATE conversations SET title = COALESCE(?1, title), status = COALESCE(?2, status),
                priority = COALESCE(?3, priority), unread_count = COALESCE(?4, unread_count),
                window_expires_at = CASE WHEN ?5 IS NULL THEN window_expires_at
                                         WHEN window_expires_at IS NULL OR window_expires_at < ?5 THEN ?5
                                         ELSE window_expires_at END,
                assignee = COALESCE(?6, assignee),
                avatar_url = COALESCE(?7, avatar_url)
         WHERE id = ?8
           AND (title IS NOT COALESCE(?1, title) OR status IS NOT COALESCE(?2, status)
                OR priority IS NOT COALESCE(?3, priority) OR unread_count IS NOT COALESCE(?4, unread_count)
                OR (?5 IS NOT NULL AND (window_expires_at IS NULL OR window_expires_at < ?5))
                OR assignee IS NOT COALESCE(?6, assignee) OR avatar_url IS NOT COALESCE(?7, avatar_url))",
        u.title,
        status,
        priority,
        u.unread_count,
        window,
        u.assignee,
        u.avatar_url,
        conversation_id
    )
    .execute(&mut **tx)
    .await?;
    let mut changed = done.rows_affected() > 0;
    if !u.meta.is_empty() {
        let patch = Value::Object(u.meta.clone()).to_string();
        let meta = sqlx::query!(
            "UPDATE conversations SET meta = json_patch(meta, ?1) WHERE id = ?2 AND meta IS NOT json_patch(meta, ?1)",
            patch,
            conversation_id
        )
        .execute(&mut **tx)
        .await?;
        changed |= meta.rows_affected() > 0;
    }
    Ok(changed)
}

async fn apply_unrecognised(
    tx: &mut Tx,
    account_id: &str,
    conversation: Option<&ConversationRef>,
    summary: &str,
    raw: Option<&str>,
    now: i64,
) -> Result<Applied> {
    let fallback = ConversationRef {
        external_id: UNRECOGNISED_EXTERNAL_ID.into(),
        kind: ConversationKind::Individual,
        title: Some("Unrecognised events".into()),
    };
    let conversation_id = upsert_conversation(tx, account_id, conversation.unwrap_or(&fallback), now).await?;
    let raw_value: Value = raw.and_then(|r| serde_json::from_str(r).ok()).unwrap_or(Value::Null);
    let payload = json!({ "raw": raw_value }).to_string();
    let message_id = new_id();
    let kind = enum_str(&MessageKind::Unrecognised);
    sqlx::query!(
        "INSERT INTO messages (id, conversation_id, account_id, direction, kind, body, payload, status, created_at)
         VALUES (?, ?, ?, 'inbound', ?, ?, ?, 'delivered', ?)",
        message_id,
        conversation_id,
        account_id,
        kind,
        summary,
        payload,
        now
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "UPDATE conversations SET last_activity_at = MAX(last_activity_at, ?1), last_message_preview = ?2,
                last_message_direction = 'inbound', last_message_kind = ?3, unread_count = unread_count + 1
         WHERE id = ?4",
        now,
        summary,
        kind,
        conversation_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(Applied::MessageAdded { conversation_id, message_id })
}
