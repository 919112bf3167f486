//! The template library: one row per account, name and language (`message_templates`).

use super::conversations::{enum_str, parse_enum};
use super::{Store, from_ms, new_id, now_ms};
use crate::templates::{LibraryTemplate, LibraryTemplateInput, slots};
use crate::{Error, Result};

struct Raw {
    id: String,
    account_id: String,
    name: String,
    language: String,
    category: String,
    header: Option<String>,
    body: String,
    footer: Option<String>,
    buttons: String,
    updated_at: i64,
}

impl TryFrom<Raw> for LibraryTemplate {
    type Error = Error;
    fn try_from(r: Raw) -> Result<LibraryTemplate> {
        let input = LibraryTemplateInput {
            name: r.name,
            language: r.language,
            category: parse_enum(&r.category)?,
            header: r.header,
            body: r.body,
            footer: r.footer,
            buttons: serde_json::from_str(&r.buttons)
                .map_err(|e| Error::Internal(format!("stored template buttons: {e}")))?,
        };
        Ok(LibraryTemplate {
            id: r.id,
            account_id: r.account_id,
            slots: slots(&input),
            name: input.name,
            language: input.language,
            category: input.category,
            header: input.header,
            body: input.body,
            footer: input.footer,
            buttons: input.buttons,
            updated_at: from_ms(r.updated_at),
        })
    }
}

fn buttons_json(t: &LibraryTemplateInput) -> Result<String> {
    serde_json::to_string(&t.buttons).map_err(|e| Error::Internal(format!("template buttons: {e}")))
}

/// `duplicate` when another template of the account has the name and language.
async fn ensure_free(
    tx: &mut sqlx::SqliteConnection,
    account_id: &str,
    t: &LibraryTemplateInput,
    except: Option<&str>,
) -> Result<()> {
    let taken = sqlx::query_scalar!(
        "SELECT id FROM message_templates WHERE account_id = ? AND name = ? AND language = ?",
        account_id,
        t.name,
        t.language
    )
    .fetch_optional(&mut *tx)
    .await?;
    match taken {
        Some(id) if Some(id.as_str()) != except => {
            Err(Error::invalid(text!("template.duplicate", name = &t.name, language = &t.language)))
        }
        _ => Ok(()),
    }
}

impl Store {
    pub async fn list_templates(&self, account_id: &str) -> Result<Vec<LibraryTemplate>> {
        let rows = sqlx::query_as!(
            Raw,
            "SELECT id, account_id, name, language, category, header, body, footer, buttons, updated_at
             FROM message_templates WHERE account_id = ? ORDER BY name, language",
            account_id
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(LibraryTemplate::try_from).collect()
    }

    pub async fn get_template(&self, id: &str) -> Result<LibraryTemplate> {
        sqlx::query_as!(
            Raw,
            "SELECT id, account_id, name, language, category, header, body, footer, buttons, updated_at
             FROM message_templates WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("template.not_found")))?
        .try_into()
    }

    /// The account's template of that name and language, if the library has it.
    pub async fn find_template(&self, account_id: &str, name: &str, language: &str) -> Result<Option<LibraryTemplate>> {
        sqlx::query_as!(
            Raw,
            "SELECT id, account_id, name, language, category, header, body, footer, buttons, updated_at
             FROM message_templates WHERE account_id = ? AND name = ? AND language = ?",
            account_id,
            name,
            language
        )
        .fetch_optional(&self.pool)
        .await?
        .map(LibraryTemplate::try_from)
        .transpose()
    }

    /// Adds a template; a name and language the account already has is refused.
    pub async fn insert_template(&self, account_id: &str, t: &LibraryTemplateInput) -> Result<LibraryTemplate> {
        let mut tx = self.begin_write().await?;
        ensure_free(&mut tx, account_id, t, None).await?;
        let id = new_id();
        let (now, category, buttons) = (now_ms(), enum_str(&t.category), buttons_json(t)?);
        sqlx::query!(
            "INSERT INTO message_templates
                 (id, account_id, name, language, category, header, body, footer, buttons, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            account_id,
            t.name,
            t.language,
            category,
            t.header,
            t.body,
            t.footer,
            buttons,
            now,
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.get_template(&id).await
    }

    /// Replaces a template's content; a name and language another template has is refused.
    pub async fn update_template(&self, id: &str, t: &LibraryTemplateInput) -> Result<LibraryTemplate> {
        let current = self.get_template(id).await?;
        let mut tx = self.begin_write().await?;
        ensure_free(&mut tx, &current.account_id, t, Some(id)).await?;
        let (now, category, buttons) = (now_ms(), enum_str(&t.category), buttons_json(t)?);
        sqlx::query!(
            "UPDATE message_templates
             SET name = ?, language = ?, category = ?, header = ?, body = ?, footer = ?, buttons = ?, updated_at = ?
             WHERE id = ?",
            t.name,
            t.language,
            category,
            t.header,
            t.body,
            t.footer,
            buttons,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.get_template(id).await
    }

    pub async fn delete_template(&self, id: &str) -> Result<()> {
        sqlx::query!("DELETE FROM message_templates WHERE id = ?", id).execute(&self.pool).await?;
        Ok(())
    }

    /// Saves templates in one transaction: new ones are added, those whose name and language the
    /// account has replace it.
    pub async fn save_templates(&self, account_id: &str, templates: &[LibraryTemplateInput]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = now_ms();
        for t in templates {
            let (id, category, buttons) = (new_id(), enum_str(&t.category), buttons_json(t)?);
            sqlx::query!(
                "INSERT INTO message_templates
                     (id, account_id, name, language, category, header, body, footer, buttons, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (account_id, name, language) DO UPDATE SET
                     category = excluded.category, header = excluded.header, body = excluded.body,
                     footer = excluded.footer, buttons = excluded.buttons, updated_at = excluded.updated_at",
                id,
                account_id,
                t.name,
                t.language,
                category,
                t.header,
                t.body,
                t.footer,
                buttons,
                now,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
