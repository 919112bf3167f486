//! Contacts: who the customers are, under which identifier each account knows them, their tags,
//! and the sync state of the agents' edits.

use serde_json::Value;

use super::conversations::{enum_str, parse_enum};
use super::search::fts;
use super::{Cursor, Store, from_ms, into_page, new_id, now_ms, page_limit};
use crate::exchange::RemoteContact;
use crate::model::{Contact, ContactFilter, ContactIdentity, ConversationKind, Page, Provider, SyncState, Tag};
use crate::{Error, Result};

struct Raw {
    id: String,
    display_name: Option<String>,
    custom_name: Option<String>,
    avatar_url: Option<String>,
    sync_state: String,
    sync_error: Option<String>,
    synced_at: Option<i64>,
    updated_at: i64,
    identities: String,
    tags: String,
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl Raw {
    fn into_contact(self) -> Result<(Contact, i64)> {
        let parse = |s: &str| -> Result<Vec<Value>> {
            serde_json::from_str(s).map_err(|e| Error::Internal(format!("contact lists: {e}")))
        };
        let mut identities = Vec::new();
        for v in parse(&self.identities)? {
            identities.push(ContactIdentity {
                account_id: str_field(&v, "account_id").unwrap_or_default(),
                provider: Provider::parse(&str_field(&v, "provider").unwrap_or_default())?,
                external_id: str_field(&v, "external_id").unwrap_or_default(),
                remote_id: str_field(&v, "remote_id"),
            });
        }
        identities.sort_by(|a, b| (&a.account_id, &a.external_id).cmp(&(&b.account_id, &b.external_id)));
        let mut tags = Vec::new();
        for v in parse(&self.tags)? {
            tags.push(Tag {
                id: str_field(&v, "id").unwrap_or_default(),
                name: str_field(&v, "name").unwrap_or_default(),
                color: str_field(&v, "color"),
                sync_state: parse_enum(&str_field(&v, "sync_state").unwrap_or_default())?,
                sync_error: str_field(&v, "sync_error"),
            });
        }
        tags.sort_by_key(|t| t.name.to_lowercase());
        Ok((
            Contact {
                id: self.id,
                display_name: self.display_name,
                custom_name: self.custom_name,
                avatar_url: self.avatar_url,
                identities,
                tags,
                sync_state: parse_enum(&self.sync_state)?,
                sync_error: self.sync_error,
                synced_at: self.synced_at.map(from_ms),
            },
            self.updated_at,
        ))
    }
}

/// A contact's state as sync needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactSyncRow {
    pub contact_id: String,
    pub sync_state: SyncState,
    /// When the agent last edited it here (Unix ms).
    pub edited_at: Option<i64>,
}

/// One identity of a contact edited here, to push to its account's provider.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsentContact {
    pub contact_id: String,
    pub external_id: String,
    pub remote_id: Option<String>,
}

/// What a contact looks like to a provider: its fields and its tags' ids at that account.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactForPush {
    pub external_id: String,
    pub remote_id: Option<String>,
    pub kind: ConversationKind,
    pub display_name: Option<String>,
    pub custom_name: Option<String>,
    pub avatar_url: Option<String>,
    /// `(local tag id, remote id at this account if any)`.
    pub tags: Vec<(String, Option<String>)>,
}

impl Store {
    /// Contacts, most recently active first, with keyset pagination. A query matches through
    /// the contacts' search index (any part of a name or identity, a phone number in any form).
    pub async fn list_contacts(&self, filter: &ContactFilter) -> Result<Page<Contact>> {
        let cursor = filter.cursor.as_deref().map(Cursor::decode).transpose()?;
        let limit = page_limit(filter.limit);
        let fetch = limit + 1;
        let query = filter.query.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(fts::Terms::parse);
        let items = match query {
            Some(terms) if terms.is_empty() => Vec::new(),
            Some(terms) => {
                let account = filter.account_id.as_deref();
                let found = self
                    .search_contact_ids(&terms.contacts(), account, filter.tag_id.as_deref(), cursor.as_ref(), fetch)
                    .await?;
                let ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
                let at: std::collections::HashMap<&str, i64> =
                    found.iter().map(|(id, at)| (id.as_str(), *at)).collect();
                let contacts = self.contacts_by_ids(&ids).await?;
                contacts
                    .into_iter()
                    .map(|c| {
                        let updated = at.get(c.id.as_str()).copied().unwrap_or_default();
                        (c, updated)
                    })
                    .collect()
            }
            None => {
                // Before the first page: after the newest possible key.
                let (at, id) = match &cursor {
                    Some(c) => (c.at, c.id.clone()),
                    None => (i64::MAX, String::new()),
                };
                let rows = sqlx::query_as!(
                    Raw,
                    r#"SELECT c.id, c.display_name, c.custom_name, c.avatar_url, c.sync_state, c.sync_error, c.synced_at,
                              c.updated_at,
                              (SELECT json_group_array(json_object('account_id', ci.account_id, 'provider', a.provider,
                                                                   'external_id', ci.external_id, 'remote_id', ci.remote_id))
                                 FROM contact_identities ci JOIN accounts a ON a.id = ci.account_id
                                WHERE ci.contact_id = c.id) AS "identities!: String",
                              (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color,
                                                                   'sync_state', t.sync_state, 'sync_error', t.sync_error))
                                 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                                WHERE ct.contact_id = c.id) AS "tags!: String"
                       FROM contacts c
                       WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM contact_identities ci
                                                     WHERE ci.contact_id = c.id AND ci.account_id = ?1))
                         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ?2))
                         AND (c.updated_at, c.id) < (?3, ?4)
                       ORDER BY c.updated_at DESC, c.id DESC
                       LIMIT ?5"#,
                    filter.account_id,
                    filter.tag_id,
                    at,
                    id,
                    fetch
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(Raw::into_contact).collect::<Result<Vec<_>>>()?
            }
        };
        let page = into_page(items, limit, |(c, at)| Cursor { at: *at, id: c.id.clone() });
        Ok(Page { items: page.items.into_iter().map(|(c, _)| c).collect(), next_cursor: page.next_cursor })
    }

    /// Contacts matching a search (and optionally having an identity at the account, a tag),
    /// most recently active first: `(id, updated_at)`, at most `limit`.
    pub async fn search_contact_ids(
        &self,
        matching: &fts::ContactMatch,
        account_id: Option<&str>,
        tag_id: Option<&str>,
        after: Option<&Cursor>,
        limit: i64,
    ) -> Result<Vec<(String, i64)>> {
        let (at, id) = match after {
            Some(c) => (c.at, c.id.as_str()),
            None => (i64::MAX, ""),
        };
        let rows = match matching {
            fts::ContactMatch::Fts(expr) => sqlx::query!(
                r#"SELECT c.id AS "id!: String", c.updated_at AS "updated_at!: i64"
                   FROM contacts c
                   WHERE c.id IN (SELECT k.contact_id FROM contacts_fts
                                    JOIN contact_search_keys k ON k.key = contacts_fts.rowid
                                   WHERE contacts_fts MATCH ?1)
                     AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_identities ci
                                                 WHERE ci.contact_id = c.id AND ci.account_id = ?2))
                     AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ?3))
                     AND (c.updated_at, c.id) < (?4, ?5)
                   ORDER BY c.updated_at DESC, c.id DESC
                   LIMIT ?6"#,
                expr,
                account_id,
                tag_id,
                at,
                id,
                limit
            )
            .fetch_all(&self.pool)
            .await
            .map_err(super::search::fts_error)?
            .into_iter()
            .map(|r| (r.id, r.updated_at))
            .collect::<Vec<_>>(),
            // Words of one or two characters cannot use trigrams: the index's own text is read.
            fts::ContactMatch::Like(pattern) => sqlx::query!(
                r#"SELECT c.id AS "id!: String", c.updated_at AS "updated_at!: i64"
                   FROM contacts c
                   WHERE c.id IN (SELECT k.contact_id FROM contacts_fts
                                    JOIN contact_search_keys k ON k.key = contacts_fts.rowid
                                   WHERE contacts_fts.display_name LIKE ?1 ESCAPE '\'
                                      OR contacts_fts.custom_name LIKE ?1 ESCAPE '\'
                                      OR contacts_fts.phones LIKE ?1 ESCAPE '\')
                     AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_identities ci
                                                 WHERE ci.contact_id = c.id AND ci.account_id = ?2))
                     AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ?3))
                     AND (c.updated_at, c.id) < (?4, ?5)
                   ORDER BY c.updated_at DESC, c.id DESC
                   LIMIT ?6"#,
                pattern,
                account_id,
                tag_id,
                at,
                id,
                limit
            )
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| (r.id, r.updated_at))
            .collect::<Vec<_>>(),
        };
        Ok(rows)
    }

    /// The contacts with these ids, in this order (unknown ids are skipped).
    pub async fn contacts_by_ids(&self, ids: &[String]) -> Result<Vec<Contact>> {
        let list = serde_json::to_string(ids).map_err(|e| Error::Internal(format!("ids: {e}")))?;
        let rows = sqlx::query_as!(
            Raw,
            r#"SELECT c.id, c.display_name, c.custom_name, c.avatar_url, c.sync_state, c.sync_error, c.synced_at,
                      c.updated_at,
                      (SELECT json_group_array(json_object('account_id', ci.account_id, 'provider', a.provider,
                                                           'external_id', ci.external_id, 'remote_id', ci.remote_id))
                         FROM contact_identities ci JOIN accounts a ON a.id = ci.account_id
                        WHERE ci.contact_id = c.id) AS "identities!: String",
                      (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color,
                                                           'sync_state', t.sync_state, 'sync_error', t.sync_error))
                         FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                        WHERE ct.contact_id = c.id) AS "tags!: String"
               FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?1))"#,
            list
        )
        .fetch_all(&self.pool)
        .await?;
        let mut found: std::collections::HashMap<String, Contact> =
            rows.into_iter().map(|r| r.into_contact().map(|(c, _)| (c.id.clone(), c))).collect::<Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    pub async fn get_contact(&self, id: &str) -> Result<Contact> {
        let row = sqlx::query_as!(
            Raw,
            r#"SELECT c.id, c.display_name, c.custom_name, c.avatar_url, c.sync_state, c.sync_error, c.synced_at,
                      c.updated_at,
                      (SELECT json_group_array(json_object('account_id', ci.account_id, 'provider', a.provider,
                                                           'external_id', ci.external_id, 'remote_id', ci.remote_id))
                         FROM contact_identities ci JOIN accounts a ON a.id = ci.account_id
                        WHERE ci.contact_id = c.id) AS "identities!: String",
                      (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color,
                                                           'sync_state', t.sync_state, 'sync_error', t.sync_error))
                         FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                        WHERE ct.contact_id = c.id) AS "tags!: String"
               FROM contacts c WHERE c.id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("contact.not_found")))?;
        Ok(row.into_contact()?.0)
    }

    /// Saves an agent's edit: the custom name (`Some(None)` clears it) and/or the whole tag list,
    /// with the sync state it starts in and the edit time. Unknown tags are refused.
    pub async fn edit_contact(
        &self,
        id: &str,
        custom_name: Option<Option<&str>>,
        tag_ids: Option<&[String]>,
        state: SyncState,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let set_name = custom_name.is_some();
        let name = custom_name.flatten();
        let state = enum_str(&state);
        let done = sqlx::query!(
            "UPDATE contacts SET custom_name = CASE WHEN ?1 THEN ?2 ELSE custom_name END, sync_state = ?3,
                    sync_error = NULL, edited_at = ?4
             WHERE id = ?5",
            set_name,
            name,
            state,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(text!("contact.not_found")));
        }
        if let Some(tag_ids) = tag_ids {
            sqlx::query!("DELETE FROM contact_tags WHERE contact_id = ?", id).execute(&mut *tx).await?;
            for tag_id in tag_ids {
                let known =
                    sqlx::query_scalar!("SELECT COUNT(*) FROM tags WHERE id = ?", tag_id).fetch_one(&mut *tx).await?;
                if known == 0 {
                    return Err(Error::invalid(text!("tag.unknown", id = tag_id)));
                }
                sqlx::query!("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)", id, tag_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the outcome of pushing a contact: `synced` stamps `synced_at`.
    pub async fn set_contact_sync(&self, id: &str, state: SyncState, error: Option<&str>) -> Result<()> {
        let synced = state == SyncState::Synced;
        let state = enum_str(&state);
        let now = now_ms();
        sqlx::query!(
            "UPDATE contacts SET sync_state = ?1, sync_error = ?2,
                    synced_at = CASE WHEN ?3 THEN ?4 ELSE synced_at END
             WHERE id = ?5",
            state,
            error,
            synced,
            now,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_identity_remote(&self, account_id: &str, external_id: &str, remote_id: &str) -> Result<()> {
        sqlx::query!(
            "UPDATE contact_identities SET remote_id = ? WHERE account_id = ? AND external_id = ?",
            remote_id,
            account_id,
            external_id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What the provider of `account_id` needs to hold this identity of the contact.
    pub async fn contact_for_push(
        &self,
        contact_id: &str,
        account_id: &str,
        external_id: &str,
    ) -> Result<ContactForPush> {
        let row = sqlx::query!(
            r#"SELECT c.display_name, c.custom_name, c.avatar_url, ci.remote_id,
                      (SELECT cv.kind FROM conversations cv WHERE cv.account_id = ci.account_id
                          AND cv.external_id = ci.external_id) AS kind
               FROM contacts c JOIN contact_identities ci ON ci.contact_id = c.id
               WHERE c.id = ?1 AND ci.account_id = ?2 AND ci.external_id = ?3"#,
            contact_id,
            account_id,
            external_id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("contact.not_found")))?;
        let tags = sqlx::query!(
            "SELECT ct.tag_id, r.remote_id FROM contact_tags ct
               LEFT JOIN tag_remotes r ON r.tag_id = ct.tag_id AND r.account_id = ?2
             WHERE ct.contact_id = ?1 ORDER BY ct.tag_id",
            contact_id,
            account_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ContactForPush {
            external_id: external_id.to_owned(),
            remote_id: row.remote_id,
            kind: match row.kind.as_deref() {
                Some("group") => ConversationKind::Group,
                _ => ConversationKind::Individual,
            },
            display_name: row.display_name,
            custom_name: row.custom_name,
            avatar_url: row.avatar_url,
            tags: tags.into_iter().map(|t| (t.tag_id, t.remote_id)).collect(),
        })
    }

    /// The local contact an account's provider contact is: by its remote id, else by its number.
    pub async fn contact_for_remote(
        &self,
        account_id: &str,
        remote_id: &str,
        external_id: &str,
    ) -> Result<Option<ContactSyncRow>> {
        let row = sqlx::query!(
            r#"SELECT c.id AS "id!: String", c.sync_state, c.edited_at
               FROM contact_identities ci JOIN contacts c ON c.id = ci.contact_id
               WHERE ci.account_id = ?1 AND (ci.remote_id = ?2 OR ci.external_id = ?3)
               ORDER BY ci.remote_id = ?2 DESC LIMIT 1"#,
            account_id,
            remote_id,
            external_id
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ContactSyncRow { contact_id: r.id, sync_state: parse_enum(&r.sync_state)?, edited_at: r.edited_at })
        })
        .transpose()
    }

    /// The account's contacts edited here that its provider has not accepted yet.
    pub async fn unsent_contacts(&self, account_id: &str) -> Result<Vec<UnsentContact>> {
        let rows = sqlx::query!(
            "SELECT c.id, ci.external_id, ci.remote_id FROM contacts c
               JOIN contact_identities ci ON ci.contact_id = c.id
             WHERE ci.account_id = ? AND c.sync_state IN ('pending', 'failed')
             ORDER BY c.id",
            account_id
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| UnsentContact { contact_id: r.id, external_id: r.external_id, remote_id: r.remote_id })
            .collect())
    }

    /// Takes in a contact as the provider has it, in one transaction: creates it here or replaces
    /// its names, avatar and tags (`tag_ids`: local ids of its tags), records its remote id, links
    /// the account's conversation with that number and retitles its conversations. `existing`
    /// is the local contact it was matched to. Answers the contact id and the retitled
    /// conversations.
    pub async fn apply_pulled_contact(
        &self,
        account_id: &str,
        remote: &RemoteContact,
        tag_ids: &[String],
        existing: Option<&str>,
        state: SyncState,
    ) -> Result<(String, Vec<String>)> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        let state = enum_str(&state);
        let contact_id = match existing {
            Some(id) => {
                sqlx::query!(
                    "UPDATE contacts SET display_name = COALESCE(?1, display_name), custom_name = ?2,
                            avatar_url = COALESCE(?3, avatar_url), sync_state = ?4, sync_error = NULL, synced_at = ?5
                     WHERE id = ?6",
                    remote.name,
                    remote.custom_name,
                    remote.avatar_url,
                    state,
                    now,
                    id
                )
                .execute(&mut *tx)
                .await?;
                id.to_owned()
            }
            None => {
                let id = new_id();
                sqlx::query!(
                    "INSERT INTO contacts (id, display_name, custom_name, avatar_url, sync_state, synced_at, created_at,
                                           updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    id,
                    remote.name,
                    remote.custom_name,
                    remote.avatar_url,
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
        // The number may have been known under another contact (a conversation's); the provider's
        // record decides which contact it is.
        sqlx::query!(
            "INSERT INTO contact_identities (account_id, external_id, contact_id, remote_id) VALUES (?, ?, ?, ?)
             ON CONFLICT (account_id, external_id) DO UPDATE SET contact_id = excluded.contact_id,
                 remote_id = excluded.remote_id",
            account_id,
            remote.external_id,
            contact_id,
            remote.remote_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM contact_tags WHERE contact_id = ?", contact_id).execute(&mut *tx).await?;
        for tag_id in tag_ids {
            sqlx::query!("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)", contact_id, tag_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query!(
            "UPDATE conversations SET contact_id = ?1
             WHERE account_id = ?2 AND external_id = ?3 AND kind = 'individual' AND contact_id IS NOT ?1",
            contact_id,
            account_id,
            remote.external_id
        )
        .execute(&mut *tx)
        .await?;
        let retitled = retitle(&mut tx, &contact_id).await?;
        tx.commit().await?;
        Ok((contact_id, retitled))
    }

    /// Sets the title of the contact's individual conversations to its name (the custom name
    /// first); answers the conversations whose title changed.
    pub async fn retitle_conversations(&self, contact_id: &str) -> Result<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let changed = retitle(&mut tx, contact_id).await?;
        tx.commit().await?;
        Ok(changed)
    }
}

async fn retitle(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>, contact_id: &str) -> Result<Vec<String>> {
    let name = sqlx::query_scalar!(
        r#"SELECT COALESCE(NULLIF(TRIM(custom_name), ''), NULLIF(TRIM(display_name), '')) AS "name: String"
           FROM contacts WHERE id = ?"#,
        contact_id
    )
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    let Some(name) = name else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query_scalar!(
        r#"UPDATE conversations SET title = ?1
           WHERE kind = 'individual' AND title != ?1
             AND (contact_id = ?2 OR EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = ?2
                                              AND ci.account_id = conversations.account_id
                                              AND ci.external_id = conversations.external_id))
           RETURNING id AS "id!: String""#,
        name,
        contact_id
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows)
}
