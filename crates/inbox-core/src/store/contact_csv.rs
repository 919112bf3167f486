//! Contacts in and out of CSV files: the one transaction that imports every row (or none), and
//! the bulk reads an export needs. Reading and checking the file is the engine's (`contact_csv.rs`).

use std::collections::{BTreeSet, HashMap};

use super::conversations::enum_str;
use super::{Store, new_id, now_ms};
use crate::Result;
use crate::model::{ContactAttribute, SyncState};

/// One checked row to import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportContact {
    pub account_id: String,
    pub external_id: String,
    pub name: Option<String>,
    /// Tag names; missing tags are created.
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub attributes: Vec<ContactAttribute>,
    /// `pending` when the account syncs contacts (the next sync sends it), else `local`.
    pub sync_state: SyncState,
}

impl Store {
    /// The contact an account knows under this identifier.
    pub async fn identity_contact(&self, account_id: &str, external_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            "SELECT contact_id FROM contact_identities WHERE account_id = ? AND external_id = ?",
            account_id,
            external_id
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Writes every row in one transaction: a row whose identity exists updates that contact (a
    /// name becomes its custom name, tags are added, notes replaced, attributes set); a number
    /// already imported earlier in the file under another account becomes one more identity of
    /// that contact; any other row is a new contact. New tags are created in `tag_state`. Answers
    /// the contacts written and whether tags were created.
    pub async fn import_contacts(&self, rows: &[ImportContact], tag_state: SyncState) -> Result<(Vec<String>, bool)> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let tag_state = enum_str(&tag_state);
        let mut tags: HashMap<String, String> = sqlx::query!("SELECT id, name FROM tags")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|t| (t.name.to_lowercase(), t.id))
            .collect();
        let mut created_tags = false;
        let mut by_number: HashMap<&str, String> = HashMap::new();
        let mut written: BTreeSet<String> = BTreeSet::new();
        for row in rows {
            let state = enum_str(&row.sync_state);
            let existing = sqlx::query_scalar!(
                "SELECT contact_id FROM contact_identities WHERE account_id = ? AND external_id = ?",
                row.account_id,
                row.external_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let contact_id = match existing {
                Some(id) => {
                    sqlx::query!(
                        "UPDATE contacts SET
                             custom_name = COALESCE(?1, custom_name),
                             edited_at = CASE WHEN ?1 IS NOT NULL AND ?1 IS NOT custom_name THEN ?2 ELSE edited_at END,
                             sync_state = CASE WHEN ?1 IS NOT NULL AND ?1 IS NOT custom_name THEN ?3 ELSE sync_state END,
                             notes = COALESCE(?4, notes)
                         WHERE id = ?5",
                        row.name,
                        now,
                        state,
                        row.notes,
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                    id
                }
                None => {
                    let id = match by_number.get(row.external_id.as_str()) {
                        Some(id) => id.clone(),
                        None => {
                            let id = new_id();
                            sqlx::query!(
                                "INSERT INTO contacts (id, custom_name, notes, sync_state, edited_at, created_at,
                                                       updated_at)
                                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                                id,
                                row.name,
                                row.notes,
                                state,
                                now,
                                now,
                                now
                            )
                            .execute(&mut *tx)
                            .await?;
                            id
                        }
                    };
                    sqlx::query!(
                        "INSERT INTO contact_identities (account_id, external_id, contact_id) VALUES (?, ?, ?)",
                        row.account_id,
                        row.external_id,
                        id
                    )
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            for name in &row.tags {
                let tag_id = match tags.get(&name.to_lowercase()) {
                    Some(id) => id.clone(),
                    None => {
                        let id = new_id();
                        sqlx::query!(
                            "INSERT INTO tags (id, name, sync_state, updated_at) VALUES (?, ?, ?, ?)",
                            id,
                            name,
                            tag_state,
                            now
                        )
                        .execute(&mut *tx)
                        .await?;
                        tags.insert(name.to_lowercase(), id.clone());
                        created_tags = true;
                        id
                    }
                };
                sqlx::query!(
                    "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)",
                    contact_id,
                    tag_id
                )
                .execute(&mut *tx)
                .await?;
            }
            for a in &row.attributes {
                sqlx::query!(
                    "INSERT INTO contact_attributes (contact_id, key, value, position)
                     VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position) + 1, 0) FROM contact_attributes
                                          WHERE contact_id = ?1))
                     ON CONFLICT (contact_id, key) DO UPDATE SET value = excluded.value",
                    contact_id,
                    a.key,
                    a.value
                )
                .execute(&mut *tx)
                .await?;
            }
            by_number.insert(row.external_id.as_str(), contact_id.clone());
            written.insert(contact_id);
        }
        tx.commit().await?;
        Ok((written.into_iter().collect(), created_tags))
    }

    /// Every contact's notes and attributes (in order), for an export.
    pub async fn all_profile_fields(&self) -> Result<HashMap<String, (Option<String>, Vec<ContactAttribute>)>> {
        let mut out: HashMap<String, (Option<String>, Vec<ContactAttribute>)> = HashMap::new();
        for row in sqlx::query!(r#"SELECT id AS "id!: String", notes FROM contacts WHERE notes IS NOT NULL"#)
            .fetch_all(&self.pool)
            .await?
        {
            out.entry(row.id).or_default().0 = row.notes;
        }
        for row in
            sqlx::query!("SELECT contact_id, key, value FROM contact_attributes ORDER BY contact_id, position, key")
                .fetch_all(&self.pool)
                .await?
        {
            out.entry(row.contact_id).or_default().1.push(ContactAttribute { key: row.key, value: row.value });
        }
        Ok(out)
    }
}
