//! The template library: each template-capable account's approved WhatsApp templates as the
//! agent sees them (header, body with numbered placeholders `{{1}}`…, footer, buttons), kept here
//! so the composer can show a template's fields and a preview, and so a sent template keeps the
//! text the customer saw.
//!
//! - Commands: list, create, edit, delete, and import from a file in WhatsApp's template JSON
//!   (`preview_template_import` answers every item with its errors; `import_templates` saves all of
//!   them or none). Only accounts whose provider declares [`Capability::Templates`].
//! - Rules (`validate`): a lowercase name (`a-z`, `0-9`, `_`), a language code (`pt_BR`, `en`),
//!   a category, a body; body placeholders numbered 1..n without gaps; the header may have
//!   `{{1}}`; the footer none; up to 10 buttons, a URL button's address may end with `{{1}}`; one
//!   template per name and language in an account.
//! - Sending ([`Inbox::render_from_library`]): a template message whose name and language are in
//!   the account's library must fill every placeholder; the engine renders it and stores the text
//!   in the payload (`template.rendered`) and as the message's body. A template that is not in
//!   the library goes out as typed, without a rendering.

mod import;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::exchange::{AccountRow, OutboundMessage};
use crate::model::{Capability, MessageKind, Template, TemplateField};
use crate::{Error, Inbox, Result, Text};

pub use import::{TemplateImport, TemplateImportAction, TemplateImportItem, TemplateImportPreview};

/// WhatsApp's limits on a template's parts.
pub const MAX_NAME_CHARS: usize = 512;
pub const MAX_HEADER_CHARS: usize = 60;
pub const MAX_BODY_CHARS: usize = 1024;
pub const MAX_FOOTER_CHARS: usize = 60;
pub const MAX_BUTTONS: usize = 10;
pub const MAX_BUTTON_TEXT_CHARS: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateCategory {
    Marketing,
    Utility,
    Authentication,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    CopyCode,
}

/// A template's button: its label, and the address or number for URL and phone buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateButton {
    #[serde(rename = "type")]
    pub kind: TemplateButtonKind,
    pub text: String,
    /// URL buttons; may end with the placeholder `{{1}}`, filled when sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phone_number: Option<String>,
}

/// A template of an account's library.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryTemplate {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub language: String,
    pub category: TemplateCategory,
    pub header: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<TemplateButton>,
    /// One per placeholder to fill when sending, in order: header, body, buttons.
    pub slots: Vec<TemplateSlot>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A template as the agent writes it (create, edit, import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryTemplateInput {
    pub name: String,
    pub language: String,
    pub category: TemplateCategory,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub header: Option<String>,
    pub body: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub footer: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<_>", optional)]
    pub buttons: Vec<TemplateButton>,
}

/// A placeholder to fill: where it is (the fields a send carries: `component`, `index`,
/// `button_index`) and the words around it, to label its input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSlot {
    /// `HEADER`, `BODY` or `BUTTON`.
    pub component: String,
    pub index: i64,
    pub button_index: Option<i64>,
    /// The text around the placeholder, the placeholder itself shown as `___`.
    pub context: String,
}

/// The text the customer saw: a library template with its fields filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenderedTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub header: Option<String>,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub footer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub buttons: Vec<TemplateButton>,
}

/// One thing wrong with a template: which part (`name`, `language`, `category`, `header`,
/// `body`, `footer`, `buttons`, `buttons.{i}`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateIssue {
    pub field: String,
    pub text: Text,
}

impl TemplateIssue {
    fn new(field: impl Into<String>, text: Text) -> Self {
        TemplateIssue { field: field.into(), text }
    }
}

// ---- placeholders -------------------------------------------------------------------------

/// A `{{…}}` in a text: its byte range and what is written between the braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder<'a> {
    pub start: usize,
    pub end: usize,
    pub inner: &'a str,
}

impl Placeholder<'_> {
    /// The number of `{{3}}` (spaces allowed inside the braces).
    pub fn number(&self) -> Option<i64> {
        let n = self.inner.trim();
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 4 {
            return None;
        }
        n.parse().ok()
    }
}

/// Every `{{…}}` of a text, in order. An unclosed `{{` is plain text.
pub(crate) fn placeholders(s: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = s[from..].find("{{") {
        let start = from + open;
        let Some(close) = s[start + 2..].find("}}") else { break };
        let inner = &s[start + 2..start + 2 + close];
        if inner.contains("{{") {
            // `{{ {{1}}`: the first braces are text.
            from = start + 2;
            continue;
        }
        let end = start + 2 + close + 2;
        out.push(Placeholder { start, end, inner });
        from = end;
    }
    out
}

/// A text with each `{{n}}` replaced by `value(n)` (left as it is when `value` has none).
pub(crate) fn fill(s: &str, value: impl Fn(i64) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for p in placeholders(s) {
        out.push_str(&s[last..p.start]);
        match p.number().and_then(&value) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&s[p.start..p.end]),
        }
        last = p.end;
    }
    out.push_str(&s[last..]);
    out
}

/// The numbers used in a text's placeholders, checked to be 1..n without gaps.
fn numbered(s: &str, field: &str, issues: &mut Vec<TemplateIssue>) -> i64 {
    let mut seen = std::collections::BTreeSet::new();
    for p in placeholders(s) {
        match p.number() {
            Some(n) => {
                seen.insert(n);
            }
            None => {
                issues.push(TemplateIssue::new(
                    field,
                    text!("template.placeholder_not_numbered", found = &s[p.start..p.end]),
                ));
                return 0;
            }
        }
    }
    let max = seen.last().copied().unwrap_or(0);
    if let Some(missing) = (1..=max).find(|n| !seen.contains(n)) {
        issues.push(TemplateIssue::new(
            field,
            text!("template.placeholder_gap", missing = format!("{{{{{missing}}}}}"), max = max),
        ));
    }
    max
}

/// The words around the first `{{n}}` of a text, it shown as `___` and others as `…`.
fn context(s: &str, n: i64) -> String {
    const AROUND: usize = 28;
    let all = placeholders(s);
    let Some(at) = all.iter().position(|p| p.number() == Some(n)) else { return String::new() };
    let marked = {
        let mut out = String::new();
        let mut last = 0;
        let mut mark = (0, 0);
        for (i, p) in all.iter().enumerate() {
            out.push_str(&s[last..p.start]);
            if i == at {
                mark.0 = out.chars().count();
                out.push_str("___");
                mark.1 = out.chars().count();
            } else {
                out.push('…');
            }
            last = p.end;
        }
        out.push_str(&s[last..]);
        (out, mark)
    };
    let (text, (m0, m1)) = marked;
    let chars: Vec<char> = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let from = m0.saturating_sub(AROUND);
    let to = (m1 + AROUND).min(chars.len());
    let mut out: String = chars[from..to].iter().collect();
    out = out.trim().to_owned();
    if from > 0 {
        out.insert(0, '…');
    }
    if to < chars.len() {
        out.push('…');
    }
    out
}

/// The placeholders to fill, in order: header, body, then each URL button's.
pub(crate) fn slots(t: &LibraryTemplateInput) -> Vec<TemplateSlot> {
    let mut out = Vec::new();
    let numbers = |s: &str| {
        let mut ns: Vec<i64> = placeholders(s).iter().filter_map(Placeholder::number).collect();
        ns.sort_unstable();
        ns.dedup();
        ns
    };
    if let Some(h) = &t.header {
        for n in numbers(h) {
            out.push(TemplateSlot { component: "HEADER".into(), index: n, button_index: None, context: context(h, n) });
        }
    }
    for n in numbers(&t.body) {
        out.push(TemplateSlot { component: "BODY".into(), index: n, button_index: None, context: context(&t.body, n) });
    }
    for (i, b) in t.buttons.iter().enumerate() {
        if let Some(url) = &b.url {
            for n in numbers(url) {
                out.push(TemplateSlot {
                    component: "BUTTON".into(),
                    index: n,
                    button_index: Some(i as i64),
                    context: format!("{} · {}", b.text, context(url, n)),
                });
            }
        }
    }
    out
}

// ---- validation ---------------------------------------------------------------------------

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `pt_BR`, `en`, `en_US`, `zh_Hant`.
fn language_ok(s: &str) -> bool {
    let (lang, region) = match s.split_once('_') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A template cleaned (trimmed; empty optional parts dropped) with every issue found; saved only
/// when there are none.
pub(crate) fn validate(input: LibraryTemplateInput) -> (LibraryTemplateInput, Vec<TemplateIssue>) {
    let mut issues = Vec::new();
    let too_long = |s: &str, max: usize| s.chars().count() > max;
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        issues.push(TemplateIssue::new("name", text!("template.name_required")));
    } else if too_long(&name, MAX_NAME_CHARS) {
        issues.push(TemplateIssue::new("name", text!("template.name_too_long", max = MAX_NAME_CHARS)));
    } else if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        issues.push(TemplateIssue::new("name", text!("template.name_invalid", name = &name)));
    }
    let language = input.language.trim().to_owned();
    if language.is_empty() {
        issues.push(TemplateIssue::new("language", text!("template.language_required")));
    } else if !language_ok(&language) {
        issues.push(TemplateIssue::new("language", text!("template.language_invalid", language = &language)));
    }
    let header = non_empty(input.header);
    if let Some(h) = &header {
        if too_long(h, MAX_HEADER_CHARS) {
            issues.push(TemplateIssue::new("header", text!("template.header_too_long", max = MAX_HEADER_CHARS)));
        }
        let ps = placeholders(h);
        if ps.len() > 1 || ps.iter().any(|p| p.number() != Some(1)) {
            issues.push(TemplateIssue::new("header", text!("template.header_placeholder")));
        }
    }
    let body = input.body.trim().to_owned();
    if body.is_empty() {
        issues.push(TemplateIssue::new("body", text!("template.body_required")));
    } else {
        if too_long(&body, MAX_BODY_CHARS) {
            issues.push(TemplateIssue::new("body", text!("template.body_too_long", max = MAX_BODY_CHARS)));
        }
        numbered(&body, "body", &mut issues);
    }
    let footer = non_empty(input.footer);
    if let Some(f) = &footer {
        if too_long(f, MAX_FOOTER_CHARS) {
            issues.push(TemplateIssue::new("footer", text!("template.footer_too_long", max = MAX_FOOTER_CHARS)));
        }
        if !placeholders(f).is_empty() {
            issues.push(TemplateIssue::new("footer", text!("template.footer_placeholder")));
        }
    }
    if input.buttons.len() > MAX_BUTTONS {
        issues.push(TemplateIssue::new("buttons", text!("template.too_many_buttons", max = MAX_BUTTONS)));
    }
    let mut buttons = Vec::with_capacity(input.buttons.len());
    for (i, b) in input.buttons.into_iter().enumerate() {
        let field = format!("buttons.{i}");
        let number = i + 1;
        let label = b.text.trim().to_owned();
        if label.is_empty() {
            issues.push(TemplateIssue::new(&field, text!("template.button_text_required", number = number)));
        } else if too_long(&label, MAX_BUTTON_TEXT_CHARS) {
            issues.push(TemplateIssue::new(
                &field,
                text!("template.button_text_too_long", number = number, max = MAX_BUTTON_TEXT_CHARS),
            ));
        }
        let mut url = non_empty(b.url);
        let mut phone_number = non_empty(b.phone_number);
        match b.kind {
            TemplateButtonKind::Url => {
                let ok = url.as_deref().is_some_and(|u| {
                    let ps = placeholders(u);
                    let fixed = fill(u, |_| Some("x".into()));
                    let parsed = reqwest::Url::parse(&fixed);
                    ps.iter().all(|p| p.number() == Some(1) && p.end == u.len())
                        && ps.len() <= 1
                        && parsed.is_ok_and(|p| matches!(p.scheme(), "http" | "https"))
                });
                if !ok {
                    issues.push(TemplateIssue::new(&field, text!("template.button_url_invalid", number = number)));
                }
                phone_number = None;
            }
            TemplateButtonKind::PhoneNumber => {
                if phone_number.is_none() {
                    issues.push(TemplateIssue::new(&field, text!("template.button_phone_required", number = number)));
                }
                url = None;
            }
            TemplateButtonKind::QuickReply | TemplateButtonKind::CopyCode => {
                url = None;
                phone_number = None;
            }
        }
        buttons.push(TemplateButton { kind: b.kind, text: label, url, phone_number });
    }
    let clean = LibraryTemplateInput { name, language, category: input.category, header, body, footer, buttons };
    (clean, issues)
}

/// The first issue as the command's error, its part named in the text.
fn refuse(issues: Vec<TemplateIssue>) -> Error {
    let first = issues.into_iter().next().map(|i| i.text).unwrap_or_else(|| text!("template.body_required"));
    Error::invalid(first)
}

// ---- rendering ----------------------------------------------------------------------------

/// A library template with the fields of a send filled in; `field_missing` for a placeholder
/// without a value.
pub(crate) fn render(t: &LibraryTemplateInput, fields: &[TemplateField]) -> Result<RenderedTemplate> {
    let value = |component: &str, button: Option<i64>, n: i64| {
        fields
            .iter()
            .find(|f| {
                f.component.eq_ignore_ascii_case(component)
                    && f.index == n
                    && (button.is_none() || f.button_index == button)
            })
            .map(|f| f.value.clone())
            .filter(|v| !v.trim().is_empty())
    };
    for slot in slots(t) {
        if value(&slot.component, slot.button_index, slot.index).is_none() {
            let placeholder = format!("{{{{{}}}}}", slot.index);
            return Err(Error::invalid(match slot.button_index {
                Some(b) => text!("template.field_missing_button", placeholder = placeholder, number = b + 1),
                None => text!("template.field_missing", component = slot.component, placeholder = placeholder),
            }));
        }
    }
    Ok(RenderedTemplate {
        header: t.header.as_deref().map(|h| fill(h, |n| value("HEADER", None, n))),
        body: fill(&t.body, |n| value("BODY", None, n)),
        footer: t.footer.clone(),
        buttons: t
            .buttons
            .iter()
            .enumerate()
            .map(|(i, b)| TemplateButton {
                url: b.url.as_deref().map(|u| fill(u, |n| value("BUTTON", Some(i as i64), n))),
                ..b.clone()
            })
            .collect(),
    })
}

impl LibraryTemplate {
    pub(crate) fn input(&self) -> LibraryTemplateInput {
        LibraryTemplateInput {
            name: self.name.clone(),
            language: self.language.clone(),
            category: self.category,
            header: self.header.clone(),
            body: self.body.clone(),
            footer: self.footer.clone(),
            buttons: self.buttons.clone(),
        }
    }
}

// ---- commands -----------------------------------------------------------------------------

impl Inbox {
    /// An account whose provider has templates, else `unsupported`.
    async fn template_account(&self, account_id: &str) -> Result<AccountRow> {
        let row = self.inner.store.get_account(account_id).await?;
        if !crate::capable::capabilities_of(&row).contains(&Capability::Templates) {
            return Err(Error::NotSupported(text!("template.library_unsupported", provider = row.provider.as_str())));
        }
        Ok(row)
    }

    /// The account's library, by name then language.
    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn list_templates(&self, account_id: &str) -> Result<Vec<LibraryTemplate>> {
        self.template_account(account_id).await?;
        self.inner.store.list_templates(account_id).await
    }

    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn create_template(&self, account_id: &str, input: LibraryTemplateInput) -> Result<LibraryTemplate> {
        self.template_account(account_id).await?;
        let (clean, issues) = validate(input);
        if !issues.is_empty() {
            return Err(refuse(issues));
        }
        self.inner.store.insert_template(account_id, &clean).await
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_template(&self, id: &str, input: LibraryTemplateInput) -> Result<LibraryTemplate> {
        let current = self.inner.store.get_template(id).await?;
        self.template_account(&current.account_id).await?;
        let (clean, issues) = validate(input);
        if !issues.is_empty() {
            return Err(refuse(issues));
        }
        self.inner.store.update_template(id, &clean).await
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn delete_template(&self, id: &str) -> Result<()> {
        self.inner.store.get_template(id).await?;
        self.inner.store.delete_template(id).await
    }

    /// What importing a file would do, item by item, with every item's errors. Saves nothing.
    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn preview_template_import(
        &self,
        account_id: &str,
        input: TemplateImport,
    ) -> Result<TemplateImportPreview> {
        self.template_account(account_id).await?;
        let existing = self.inner.store.list_templates(account_id).await?;
        import::preview(&input.content, &existing)
    }

    /// Imports a file: every template in it, or none when any has an error (the preview's
    /// errors). A template whose name and language are already in the library is replaced.
    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn import_templates(&self, account_id: &str, input: TemplateImport) -> Result<Vec<LibraryTemplate>> {
        let preview = self.preview_template_import(account_id, input).await?;
        let invalid = preview.items.iter().filter(|i| !i.errors.is_empty()).count();
        if invalid > 0 {
            return Err(Error::invalid(text!("template.import_has_errors", count = invalid)));
        }
        let templates: Vec<LibraryTemplateInput> = preview.items.into_iter().filter_map(|i| i.template).collect();
        self.inner.store.save_templates(account_id, &templates).await?;
        self.inner.store.list_templates(account_id).await
    }

    /// A template message whose name and language are in the account's library: every
    /// placeholder must be filled; its rendering is stored in the payload and as the body. Other
    /// templates go out as typed, without a rendering (a client cannot supply one).
    pub(crate) async fn render_from_library(&self, account_id: &str, outbound: &mut OutboundMessage) -> Result<()> {
        if outbound.kind != MessageKind::Template {
            return Ok(());
        }
        let Some(mut template): Option<Template> = outbound.template() else { return Ok(()) };
        let found = self.inner.store.find_template(account_id, template.name.trim(), template.language.trim()).await?;
        template.rendered = match found {
            Some(library) => Some(render(&library.input(), &template.fields)?),
            None => None,
        };
        if let Some(r) = &template.rendered {
            outbound.body = Some(r.body.clone());
        }
        outbound.payload = Some(serde_json::json!({ "template": template }));
        Ok(())
    }
}
