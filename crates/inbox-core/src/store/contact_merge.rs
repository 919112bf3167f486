//! Merging duplicate contacts into one, and undoing it exactly.
//!
//! A merge moves every identity, tag, attribute, note and conversation of the merged contacts to
//! the survivor and deletes them. Before it changes anything it writes, in the same transaction,
//! a snapshot of every row it is about to touch (`contact_merges.snapshot`): the contacts' rows,
//! their identities, tags and attributes, and the conversations linked to them (contact and
//! title). Undoing puts those rows back as they were and marks the merge undone; what arrived
//! after the merge (a new identity or conversation of the survivor) stays with the contact its
//! identity now names.
//!
//! Rules of a merge: the survivor keeps its names and photo (taking the first merged contact's
//! when it has none); notes are joined, the survivor's first, separated by a blank line; tags are
//! the union; an attribute whose key the survivor already has with another value is kept as
//! `key (2)`, `key (3)`…; notifications stay blocked if any of them had them blocked.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Store, from_ms, new_id, now_ms};
use crate::model::ContactMerge;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ContactRow {
    id: String,
    display_name: Option<String>,
    avatar_url: Option<String>,
    created_at: i64,
    updated_at: i64,
    custom_name: Option<String>,
    sync_state: String,
    sync_error: Option<String>,
    synced_at: Option<i64>,
    edited_at: Option<i64>,
    notes: Option<String>,
    notifications_blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct IdentityRow {
    account_id: String,
    external_id: String,
    contact_id: String,
    remote_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TagRow {
    contact_id: String,
    tag_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AttributeRow {
    contact_id: String,
    key: String,
    value: String,
    position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ConversationRow {
    id: String,
    contact_id: Option<String>,
    title: String,
}

/// Every row a merge touches, as it was before.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Snapshot {
    contacts: Vec<ContactRow>,
    identities: Vec<IdentityRow>,
    tags: Vec<TagRow>,
    attributes: Vec<AttributeRow>,
    conversations: Vec<ConversationRow>,
}

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

async fn contact_row(tx: &mut Tx, id: &str) -> Result<ContactRow> {
    sqlx::query_as!(
        ContactRow,
        r#"SELECT id, display_name, avatar_url, created_at, updated_at, custom_name, sync_state, sync_error, synced_at,
                  edited_at, notes, notifications_blocked AS "notifications_blocked!: bool"
           FROM contacts WHERE id = ?"#,
        id
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound(text!("contact.not_found")))
}

async fn snapshot_of(tx: &mut Tx, ids: &[String]) -> Result<Snapshot> {
    let mut s = Snapshot::default();
    let mut conversations = BTreeMap::new();
    for id in ids {
        s.contacts.push(contact_row(tx, id).await?);
        s.identities.extend(
            sqlx::query_as!(
                IdentityRow,
                "SELECT account_id, external_id, contact_id, remote_id FROM contact_identities WHERE contact_id = ?
                 ORDER BY account_id, external_id",
                id
            )
            .fetch_all(&mut **tx)
            .await?,
        );
        s.tags.extend(
            sqlx::query_as!(
                TagRow,
                "SELECT contact_id, tag_id FROM contact_tags WHERE contact_id = ? ORDER BY tag_id",
                id
            )
            .fetch_all(&mut **tx)
            .await?,
        );
        s.attributes.extend(
            sqlx::query_as!(
                AttributeRow,
                "SELECT contact_id, key, value, position FROM contact_attributes WHERE contact_id = ?
                 ORDER BY position, key",
                id
            )
            .fetch_all(&mut **tx)
            .await?,
        );
        let rows = sqlx::query_as!(
            ConversationRow,
            r#"SELECT c.id AS "id!: String", c.contact_id, c.title FROM conversations c
               WHERE c.contact_id = ?1
                  OR (c.kind = 'individual' AND EXISTS (SELECT 1 FROM contact_identities ci
                        WHERE ci.contact_id = ?1 AND ci.account_id = c.account_id AND ci.external_id = c.external_id))
               ORDER BY c.id"#,
            id
        )
        .fetch_all(&mut **tx)
        .await?;
        for r in rows {
            conversations.insert(r.id.clone(), r);
        }
    }
    s.conversations = conversations.into_values().collect();
    Ok(s)
}

fn name_of(c: &ContactRow) -> String {
    [&c.custom_name, &c.display_name]
        .into_iter()
        .flatten()
        .map(|n| n.trim())
        .find(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_default()
}

/// A key the survivor does not use yet: `key (2)`, `key (3)`…
fn free_key(taken: &BTreeSet<String>, key: &str) -> String {
    (2..).map(|n| format!("{key} ({n})")).find(|k| !taken.contains(k)).expect("a free key")
}

struct MergeRow {
    id: String,
    survivor_id: String,
    merged_ids: String,
    snapshot: String,
    merged_at: i64,
    undone_at: Option<i64>,
}

impl MergeRow {
    fn snapshot(&self) -> Result<Snapshot> {
        serde_json::from_str(&self.snapshot).map_err(|e| Error::Internal(format!("merge snapshot: {e}")))
    }

    fn into_merge(self) -> Result<ContactMerge> {
        let merged_ids: Vec<String> =
            serde_json::from_str(&self.merged_ids).map_err(|e| Error::Internal(format!("merge ids: {e}")))?;
        let snapshot = self.snapshot()?;
        let merged_names = merged_ids
            .iter()
            .map(|id| snapshot.contacts.iter().find(|c| &c.id == id).map(name_of).unwrap_or_default())
            .collect();
        Ok(ContactMerge {
            id: self.id,
            survivor_id: self.survivor_id,
            merged_ids,
            merged_names,
            merged_at: from_ms(self.merged_at),
            undone_at: self.undone_at.map(from_ms),
        })
    }
}

/// What a merge or its undo changed, for the engine's events.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    pub merge: ContactMerge,
    /// Contacts that exist after the change (the survivor, and after an undo the restored ones).
    pub contacts: Vec<String>,
    pub conversations: Vec<String>,
}

impl Store {
    /// Merges `others` into `survivor` by the rules above, keeping what undoes it.
    pub async fn merge_contacts(&self, survivor: &str, others: &[String]) -> Result<MergeOutcome> {
        let mut tx = self.begin_write().await?;
        let mut ids = vec![survivor.to_owned()];
        ids.extend(others.iter().cloned());
        let before = snapshot_of(&mut tx, &ids).await?;
        let now = now_ms();
        let rows: BTreeMap<&str, &ContactRow> = before.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
        let kept = rows[survivor];

        // The survivor's row: names and photo (its own first), notes, block, last activity.
        let donor = |f: fn(&ContactRow) -> Option<&String>| -> Option<String> {
            f(kept).cloned().or_else(|| others.iter().find_map(|o| f(rows[o.as_str()]).cloned()))
        };
        let display_name = donor(|c| c.display_name.as_ref());
        let custom_name = if kept.custom_name.is_none() && kept.display_name.is_none() {
            donor(|c| c.custom_name.as_ref())
        } else {
            kept.custom_name.clone()
        };
        let avatar_url = donor(|c| c.avatar_url.as_ref());
        let notes: Vec<&str> = ids
            .iter()
            .filter_map(|id| rows[id.as_str()].notes.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let notes = (!notes.is_empty()).then(|| notes.join("\n\n"));
        let blocked = ids.iter().any(|id| rows[id.as_str()].notifications_blocked);
        let updated_at = ids.iter().map(|id| rows[id.as_str()].updated_at).max().unwrap_or(now);
        sqlx::query!(
            "UPDATE contacts SET display_name = ?1, custom_name = ?2, avatar_url = ?3, notes = ?4,
                    notifications_blocked = ?5, updated_at = ?6
             WHERE id = ?7",
            display_name,
            custom_name,
            avatar_url,
            notes,
            blocked,
            updated_at,
            survivor
        )
        .execute(&mut *tx)
        .await?;

        // Attributes: the survivor's, then each merged contact's; a clashing key gets a suffix.
        let mut taken: BTreeMap<String, String> = before
            .attributes
            .iter()
            .filter(|a| a.contact_id == survivor)
            .map(|a| (a.key.clone(), a.value.clone()))
            .collect();
        let mut position = before.attributes.iter().filter(|a| a.contact_id == survivor).map(|a| a.position).max();
        for other in others {
            for a in before.attributes.iter().filter(|a| &a.contact_id == other) {
                let key = match taken.get(&a.key) {
                    Some(v) if v == &a.value => continue,
                    Some(_) => free_key(&taken.keys().cloned().collect(), &a.key),
                    None => a.key.clone(),
                };
                let next = position.map_or(0, |p| p + 1);
                position = Some(next);
                sqlx::query!(
                    "INSERT INTO contact_attributes (contact_id, key, value, position) VALUES (?, ?, ?, ?)",
                    survivor,
                    key,
                    a.value,
                    next
                )
                .execute(&mut *tx)
                .await?;
                taken.insert(key, a.value.clone());
            }
        }

        for other in others {
            sqlx::query!("UPDATE contact_identities SET contact_id = ?1 WHERE contact_id = ?2", survivor, other)
                .execute(&mut *tx)
                .await?;
            sqlx::query!(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)
                 SELECT ?1, tag_id FROM contact_tags WHERE contact_id = ?2",
                survivor,
                other
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("UPDATE conversations SET contact_id = ?1 WHERE contact_id = ?2", survivor, other)
                .execute(&mut *tx)
                .await?;
            sqlx::query!("DELETE FROM contacts WHERE id = ?", other).execute(&mut *tx).await?;
        }

        let merge_id = new_id();
        let merged_ids = serde_json::to_string(others).map_err(|e| Error::Internal(e.to_string()))?;
        let names: Vec<String> = others.iter().map(|o| name_of(rows[o.as_str()])).collect();
        let snapshot = serde_json::to_string(&before).map_err(|e| Error::Internal(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO contact_merges (id, survivor_id, merged_ids, snapshot, merged_at) VALUES (?, ?, ?, ?, ?)",
            merge_id,
            survivor,
            merged_ids,
            snapshot,
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let merge = ContactMerge {
            id: merge_id,
            survivor_id: survivor.to_owned(),
            merged_ids: others.to_vec(),
            merged_names: names,
            merged_at: from_ms(now),
            undone_at: None,
        };
        let conversations = before.conversations.into_iter().map(|c| c.id).collect();
        Ok(MergeOutcome { merge, contacts: vec![survivor.to_owned()], conversations })
    }

    async fn merge_row(&self, id: &str) -> Result<MergeRow> {
        sqlx::query_as!(
            MergeRow,
            "SELECT id, survivor_id, merged_ids, snapshot, merged_at, undone_at FROM contact_merges WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("merge.not_found")))
    }

    pub async fn get_contact_merge(&self, id: &str) -> Result<ContactMerge> {
        self.merge_row(id).await?.into_merge()
    }

    /// The latest merge into `contact_id`, if it was not undone.
    pub async fn last_contact_merge(&self, contact_id: &str) -> Result<Option<ContactMerge>> {
        let id = sqlx::query_scalar!(
            r#"SELECT id AS "id!: String" FROM contact_merges WHERE survivor_id = ?
               ORDER BY merged_at DESC, id DESC LIMIT 1"#,
            contact_id
        )
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => {
                let merge = self.get_contact_merge(&id).await?;
                Ok(merge.undone_at.is_none().then_some(merge))
            }
            None => Ok(None),
        }
    }

    /// Puts back every row the merge changed, as it was before it.
    pub async fn undo_contact_merge(&self, id: &str) -> Result<MergeOutcome> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query_as!(
            MergeRow,
            "SELECT id, survivor_id, merged_ids, snapshot, merged_at, undone_at FROM contact_merges WHERE id = ?",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound(text!("merge.not_found")))?;
        if row.undone_at.is_some() {
            return Err(Error::invalid(text!("merge.already_undone")));
        }
        let later = sqlx::query_scalar!(
            "SELECT COUNT(*) FROM contact_merges
             WHERE survivor_id = ?1 AND undone_at IS NULL AND (merged_at > ?2 OR (merged_at = ?2 AND id > ?3))",
            row.survivor_id,
            row.merged_at,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        let survivor_exists = sqlx::query_scalar!("SELECT COUNT(*) FROM contacts WHERE id = ?", row.survivor_id)
            .fetch_one(&mut *tx)
            .await?;
        if later > 0 || survivor_exists == 0 {
            return Err(Error::invalid(text!("merge.later_merge")));
        }
        let snapshot = row.snapshot()?;

        for c in &snapshot.contacts {
            sqlx::query!(
                "INSERT INTO contacts (id, display_name, avatar_url, created_at, updated_at, custom_name, sync_state,
                                       sync_error, synced_at, edited_at, notes, notifications_blocked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (id) DO UPDATE SET display_name = ?2, avatar_url = ?3, created_at = ?4, updated_at = ?5,
                     custom_name = ?6, sync_state = ?7, sync_error = ?8, synced_at = ?9, edited_at = ?10, notes = ?11,
                     notifications_blocked = ?12",
                c.id,
                c.display_name,
                c.avatar_url,
                c.created_at,
                c.updated_at,
                c.custom_name,
                c.sync_state,
                c.sync_error,
                c.synced_at,
                c.edited_at,
                c.notes,
                c.notifications_blocked
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("DELETE FROM contact_tags WHERE contact_id = ?", c.id).execute(&mut *tx).await?;
            sqlx::query!("DELETE FROM contact_attributes WHERE contact_id = ?", c.id).execute(&mut *tx).await?;
        }
        for i in &snapshot.identities {
            // An identity whose account was removed since stays gone.
            sqlx::query!(
                "INSERT INTO contact_identities (account_id, external_id, contact_id, remote_id)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?1)
                 ON CONFLICT (account_id, external_id) DO UPDATE SET contact_id = ?3, remote_id = ?4",
                i.account_id,
                i.external_id,
                i.contact_id,
                i.remote_id
            )
            .execute(&mut *tx)
            .await?;
        }
        for t in &snapshot.tags {
            sqlx::query!(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)
                 SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM tags WHERE id = ?2)",
                t.contact_id,
                t.tag_id
            )
            .execute(&mut *tx)
            .await?;
        }
        for a in &snapshot.attributes {
            sqlx::query!(
                "INSERT INTO contact_attributes (contact_id, key, value, position) VALUES (?, ?, ?, ?)",
                a.contact_id,
                a.key,
                a.value,
                a.position
            )
            .execute(&mut *tx)
            .await?;
        }
        let mut conversations: BTreeSet<String> = BTreeSet::new();
        for c in &snapshot.conversations {
            sqlx::query!(
                "UPDATE conversations SET contact_id = ?1, title = ?2 WHERE id = ?3",
                c.contact_id,
                c.title,
                c.id
            )
            .execute(&mut *tx)
            .await?;
            conversations.insert(c.id.clone());
        }
        // Conversations the survivor gained since: they follow the identity they are with.
        let moved = sqlx::query_scalar!(
            r#"UPDATE conversations SET contact_id = (SELECT ci.contact_id FROM contact_identities ci
                   WHERE ci.account_id = conversations.account_id AND ci.external_id = conversations.external_id)
               WHERE contact_id = ?1 AND kind = 'individual'
                 AND EXISTS (SELECT 1 FROM contact_identities ci
                   WHERE ci.account_id = conversations.account_id AND ci.external_id = conversations.external_id
                     AND ci.contact_id != ?1)
               RETURNING id AS "id!: String""#,
            row.survivor_id
        )
        .fetch_all(&mut *tx)
        .await?;
        conversations.extend(moved);
        let now = now_ms();
        sqlx::query!("UPDATE contact_merges SET undone_at = ? WHERE id = ?", now, id).execute(&mut *tx).await?;
        tx.commit().await?;
        let merge = self.get_contact_merge(id).await?;
        Ok(MergeOutcome {
            contacts: snapshot.contacts.into_iter().map(|c| c.id).collect(),
            conversations: conversations.into_iter().collect(),
            merge,
        })
    }
}
