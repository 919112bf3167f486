//! What the contact panel shows beyond the contact itself: the agents' notes, custom attributes,
//! the notification block, and the contact's conversations on every account.

use super::Store;
use crate::model::ContactAttribute;
use crate::{Error, Result};

/// A contact's panel fields as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileFields {
    pub notes: Option<String>,
    pub notifications_blocked: bool,
    pub attributes: Vec<ContactAttribute>,
}

impl Store {
    pub async fn profile_fields(&self, contact_id: &str) -> Result<ProfileFields> {
        let row = sqlx::query!(
            r#"SELECT notes, notifications_blocked AS "blocked!: bool" FROM contacts WHERE id = ?"#,
            contact_id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("contact.not_found")))?;
        let attributes = sqlx::query_as!(
            ContactAttribute,
            "SELECT key, value FROM contact_attributes WHERE contact_id = ? ORDER BY position, key",
            contact_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ProfileFields { notes: row.notes, notifications_blocked: row.blocked, attributes })
    }

    /// Saves what is given, in one transaction: notes (`Some(None)` clears them), the whole
    /// attribute list (in its order), the notification block.
    pub async fn edit_profile(
        &self,
        contact_id: &str,
        notes: Option<Option<&str>>,
        attributes: Option<&[ContactAttribute]>,
        blocked: Option<bool>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let set_notes = notes.is_some();
        let notes = notes.flatten();
        let done = sqlx::query!(
            "UPDATE contacts SET notes = CASE WHEN ?1 THEN ?2 ELSE notes END,
                    notifications_blocked = COALESCE(?3, notifications_blocked)
             WHERE id = ?4",
            set_notes,
            notes,
            blocked,
            contact_id
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("contact.not_found")));
        }
        if let Some(attributes) = attributes {
            sqlx::query!("DELETE FROM contact_attributes WHERE contact_id = ?", contact_id).execute(&mut *tx).await?;
            for (position, a) in attributes.iter().enumerate() {
                let position = position as i64;
                sqlx::query!(
                    "INSERT INTO contact_attributes (contact_id, key, value, position) VALUES (?, ?, ?, ?)",
                    contact_id,
                    a.key,
                    a.value,
                    position
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The contact's conversations on every account (linked to it, or an individual chat with one
    /// of its identities), most recently active first.
    pub async fn contact_conversation_ids(&self, contact_id: &str, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT c.id AS "id!: String" FROM conversations c
               WHERE c.contact_id = ?1
                  OR (c.kind = 'individual' AND EXISTS (SELECT 1 FROM contact_identities ci
                        WHERE ci.contact_id = ?1 AND ci.account_id = c.account_id AND ci.external_id = c.external_id))
               ORDER BY c.last_activity_at DESC, c.id DESC
               LIMIT ?2"#,
            contact_id,
            limit
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether a message's contact has its notifications blocked: the contact of its (individual)
    /// conversation, or the member who wrote it in a group.
    pub async fn message_notifications_blocked(&self, message_id: &str) -> Result<bool> {
        let blocked = sqlx::query_scalar!(
            r#"SELECT (EXISTS (SELECT 1 FROM contacts k WHERE k.id = c.contact_id AND k.notifications_blocked = 1)
                       OR EXISTS (SELECT 1 FROM contact_identities ci JOIN contacts k ON k.id = ci.contact_id
                                   WHERE ci.account_id = m.account_id AND k.notifications_blocked = 1
                                     AND (ci.external_id = m.sender_external_id
                                          OR (c.kind = 'individual' AND ci.external_id = c.external_id))))
                      AS "blocked!: bool"
               FROM messages m JOIN conversations c ON c.id = m.conversation_id
               WHERE m.id = ?"#,
            message_id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(blocked.unwrap_or(false))
    }
}
