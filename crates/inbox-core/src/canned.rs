//! Canned responses: texts an agent keeps under a short name (`/greeting`) and inserts in the
//! composer, with placeholders filled from the conversation; and the inbox's own settings (the
//! agent's name, which `{{agent}}` needs).
//!
//! Placeholders are `{{name}}` (the contact's name, the agents' name for them first),
//! `{{first_name}}` (its first word), `{{agent}}` (the `agent_name` setting) and `{{phone}}` (the
//! customer's number, `+` and digits). Spaces inside the braces and letter case do not matter. A
//! placeholder the inbox has no value for (a group has no single customer; no agent name set; a
//! contact known only by number has no name) and one it does not know (`{{order}}`) are left in
//! the text exactly as written, and listed in `unfilled`: the text goes to the composer, not to
//! the customer, so the agent sees what is missing and completes it before sending.
//!
//! Examples in English and Portuguese are seeded by the migration that creates the table, so
//! they are inserted once; one the agent deletes does not come back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::ConversationKind;
use crate::outbound::MAX_TEXT_CHARS;
use crate::{Error, Inbox, Result};

/// Longest shortcut accepted.
const MAX_SHORTCUT_CHARS: usize = 32;
/// Longest agent name accepted.
const MAX_AGENT_NAME_CHARS: usize = 100;
/// The setting `{{agent}}` reads.
const AGENT_NAME: &str = "agent_name";

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    pub id: String,
    /// What the agent types after `/`, without the slash; unique regardless of case.
    pub shortcut: String,
    /// The text, with its placeholders as written.
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new canned response (both fields required), or the fields of one to change.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct CannedResponseInput {
    /// A leading `/` is dropped. Letters, digits, `-`, `_` and `.`; up to 32.
    pub shortcut: Option<String>,
    pub body: Option<String>,
}

/// A canned response's text with the conversation's values in its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilledCannedResponse {
    pub text: String,
    /// Placeholders left in the text as written (no value here, or unknown), by name.
    pub unfilled: Vec<String>,
}

/// The inbox's own settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppSettings {
    /// The agent's name, for `{{agent}}` in canned responses.
    pub agent_name: Option<String>,
}

/// Settings to change; an absent field is kept, an empty one cleared.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct AppSettingsPatch {
    pub agent_name: Option<String>,
}

/// The values placeholders take in one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Values {
    pub name: Option<String>,
    pub agent: Option<String>,
    pub phone: Option<String>,
}

impl Values {
    fn get(&self, key: &str) -> Option<String> {
        match key {
            "name" => self.name.clone(),
            "first_name" => self.name.as_deref().and_then(|n| n.split_whitespace().next()).map(str::to_owned),
            "agent" => self.agent.clone(),
            "phone" => self.phone.clone(),
            _ => None,
        }
    }
}

/// Fills `{{key}}` placeholders; answers the text and the placeholders left as written.
pub(crate) fn fill(body: &str, values: &Values) -> FilledCannedResponse {
    let mut text = String::with_capacity(body.len());
    let mut unfilled: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            text.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        let key = inner.trim().to_lowercase();
        let whole = &rest[start..start + 2 + end + 2];
        let is_name = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
        match values.get(&key).filter(|v| !v.trim().is_empty()) {
            Some(value) if is_name => text.push_str(&value),
            _ if is_name => {
                if !unfilled.contains(&key) {
                    unfilled.push(key);
                }
                text.push_str(whole);
            }
            _ => text.push_str(whole),
        }
        rest = &rest[start + 2 + end + 2..];
    }
    text.push_str(rest);
    FilledCannedResponse { text, unfilled }
}

/// A customer identifier as a phone number (`+` and 8 to 15 digits), when it is one.
pub(crate) fn phone_of(external_id: &str) -> Option<String> {
    let number = external_id.split('@').next().unwrap_or_default().trim().trim_start_matches('+');
    let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    (digits.chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&digits.len())).then(|| format!("+{digits}"))
}

/// A trimmed shortcut without its leading `/`, or why it cannot be one.
fn clean_shortcut(s: &str) -> Result<String> {
    let s = s.trim();
    let s = s.strip_prefix('/').unwrap_or(s).trim();
    if s.is_empty() {
        return Err(Error::invalid(text!("canned.shortcut_empty")));
    }
    if s.chars().count() > MAX_SHORTCUT_CHARS {
        return Err(Error::invalid(text!("canned.shortcut_too_long", max = MAX_SHORTCUT_CHARS)));
    }
    if !s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(Error::invalid(text!("canned.shortcut_invalid", shortcut = s)));
    }
    Ok(s.to_owned())
}

/// The text without surrounding blank space, or why it cannot be one.
fn clean_body(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::invalid(text!("canned.body_empty")));
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::invalid(text!("canned.body_too_long", max = MAX_TEXT_CHARS)));
    }
    Ok(s.to_owned())
}

impl Inbox {
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn list_canned_responses(&self) -> Result<Vec<CannedResponse>> {
        self.inner.store.list_canned_responses().await
    }

    /// Creates a canned response; a shortcut another one uses is refused (`canned.shortcut_taken`).
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn create_canned_response(&self, input: CannedResponseInput) -> Result<CannedResponse> {
        let shortcut = clean_shortcut(input.shortcut.as_deref().unwrap_or_default())?;
        let body = clean_body(input.body.as_deref().unwrap_or_default())?;
        self.inner.store.insert_canned_response(&shortcut, &body).await
    }

    /// Changes a canned response's shortcut and/or text (absent fields are kept).
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_canned_response(&self, id: &str, input: CannedResponseInput) -> Result<CannedResponse> {
        let shortcut = input.shortcut.as_deref().map(clean_shortcut).transpose()?;
        let body = input.body.as_deref().map(clean_body).transpose()?;
        self.inner.store.edit_canned_response(id, shortcut.as_deref(), body.as_deref()).await
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn delete_canned_response(&self, id: &str) -> Result<()> {
        self.inner.store.delete_canned_response(id).await
    }

    /// A canned response's text with the placeholders filled for a conversation (see the
    /// module's documentation for what stays unfilled).
    #[tracing::instrument(skip_all, fields(id = %id, conversation = %conversation_id), err(level = "warn"))]
    pub async fn fill_canned_response(&self, id: &str, conversation_id: &str) -> Result<FilledCannedResponse> {
        let canned = self.inner.store.get_canned_response(id).await?;
        let values = self.placeholder_values(conversation_id).await?;
        Ok(fill(&canned.body, &values))
    }

    pub(crate) async fn placeholder_values(&self, conversation_id: &str) -> Result<Values> {
        let conversation = self.inner.store.get_conversation(conversation_id).await?;
        let target = self.inner.store.conversation_target(conversation_id).await?;
        let agent = self.inner.store.setting(AGENT_NAME).await?;
        if conversation.kind == ConversationKind::Group {
            return Ok(Values { agent, ..Values::default() });
        }
        let phone = target.contact_external_id.as_deref().and_then(phone_of);
        let contact_name = match &conversation.contact_id {
            Some(id) => {
                let c = self.inner.store.get_contact(id).await?;
                c.custom_name.or(c.display_name)
            }
            None => None,
        };
        // A conversation known only by its number is titled with it: that is no name.
        let title = Some(conversation.title.trim().to_owned())
            .filter(|t| !t.is_empty() && phone_of(t).is_none() && Some(t) != target.contact_external_id.as_ref());
        let name =
            contact_name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty() && phone_of(n).is_none()).or(title);
        Ok(Values { name, agent, phone })
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn get_settings(&self) -> Result<AppSettings> {
        Ok(AppSettings { agent_name: self.inner.store.setting(AGENT_NAME).await? })
    }

    /// Changes the settings given; an empty value clears one.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn update_settings(&self, patch: AppSettingsPatch) -> Result<AppSettings> {
        if let Some(name) = &patch.agent_name {
            let name = name.trim();
            if name.chars().count() > MAX_AGENT_NAME_CHARS {
                return Err(Error::invalid(text!("settings.agent_name_too_long", max = MAX_AGENT_NAME_CHARS)));
            }
            self.inner.store.set_setting(AGENT_NAME, Some(name).filter(|n| !n.is_empty())).await?;
        }
        self.get_settings().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values { name: Some("Juliana Costa".into()), agent: Some("Marta".into()), phone: Some("+5511988887777".into()) }
    }

    #[test]
    fn fills_every_placeholder_from_the_values() {
        let out = fill("Hi {{first_name}} ({{name}}), {{ agent }} here. We call {{PHONE}}.", &values());
        assert_eq!(out.text, "Hi Juliana (Juliana Costa), Marta here. We call +5511988887777.");
        assert!(out.unfilled.is_empty());
    }

    #[test]
    fn a_placeholder_without_a_value_stays_as_written_and_is_listed() {
        let v = Values { name: None, agent: Some("  ".into()), phone: None };
        let out = fill("Hi {{first_name}}, {{agent}} here; {{agent}} again. Order {{order}}.", &v);
        assert_eq!(out.text, "Hi {{first_name}}, {{agent}} here; {{agent}} again. Order {{order}}.");
        assert_eq!(out.unfilled, vec!["first_name", "agent", "order"]);
    }

    #[test]
    fn text_that_only_looks_like_a_placeholder_is_kept() {
        let out = fill("{{}} {{a b}} {{name} and {{ unclosed", &values());
        assert_eq!(out.text, "{{}} {{a b}} {{name} and {{ unclosed");
        assert!(out.unfilled.is_empty());
        assert_eq!(fill("olá, {{name}}! ✓", &values()).text, "olá, Juliana Costa! ✓");
    }

    #[test]
    fn phone_numbers_are_recognised_in_identifiers() {
        assert_eq!(phone_of("5511988887777").as_deref(), Some("+5511988887777"));
        assert_eq!(phone_of("5511988887777@c.us").as_deref(), Some("+5511988887777"));
        assert_eq!(phone_of("+55 11 98888-7777").as_deref(), Some("+5511988887777"));
        assert_eq!(phone_of("0f1c2a3b-chat"), None);
        assert_eq!(phone_of("1234"), None);
    }

    #[test]
    fn shortcuts_are_cleaned_or_refused() {
        assert_eq!(clean_shortcut(" /greeting ").unwrap(), "greeting");
        assert_eq!(clean_shortcut("saudação_2").unwrap(), "saudação_2");
        assert_eq!(clean_shortcut("/").unwrap_err().code(), "invalid_input");
        assert_eq!(clean_shortcut("two words").unwrap_err().code(), "invalid_input");
        assert_eq!(clean_shortcut(&"x".repeat(33)).unwrap_err().code(), "invalid_input");
        assert_eq!(clean_body("   ").unwrap_err().code(), "invalid_input");
        assert_eq!(clean_body(&"x".repeat(MAX_TEXT_CHARS + 1)).unwrap_err().code(), "invalid_input");
    }
}
