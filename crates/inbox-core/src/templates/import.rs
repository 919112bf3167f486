//! Reading a template file: WhatsApp Business's template JSON (`{name, language, category,
//! components: [{type: HEADER|BODY|FOOTER|BUTTONS, text, buttons}]}`), one template, an array of
//! them, or `{data: [...]}` as Meta's API lists them. The library's own shape (`header`, `body`,
//! `footer`, `buttons`) is read too. Each item is checked by the library's rules; nothing is saved
//! here.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{
    LibraryTemplate, LibraryTemplateInput, TemplateButton, TemplateButtonKind, TemplateCategory, TemplateIssue,
    validate,
};
use crate::{Error, Result};

/// The largest file read, and the most templates in one.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
pub const MAX_IMPORT_TEMPLATES: usize = 1000;

/// A template file's text, as the agent picked it.
#[derive(Debug, Clone, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateImport {
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateImportAction {
    /// New in the library.
    Create,
    /// Replaces the library's template of the same name and language.
    Replace,
}

/// One template of the file: what it would do, or why it cannot be imported.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateImportItem {
    /// 1-based, in the file's order.
    pub position: u32,
    pub name: String,
    pub language: String,
    pub action: TemplateImportAction,
    /// Empty when it can be imported.
    pub errors: Vec<TemplateIssue>,
    /// The template as read (cleaned), for the preview.
    pub template: Option<LibraryTemplateInput>,
}

/// Every template of a file; `valid` when none has an error (then importing saves them all).
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateImportPreview {
    pub items: Vec<TemplateImportItem>,
    pub valid: bool,
}

/// The file's items; a file that is not one of the shapes is refused as a whole.
fn items(content: &str) -> Result<Vec<Value>> {
    if content.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(text!("template.import_too_large", max = MAX_IMPORT_BYTES / (1024 * 1024))));
    }
    let value: Value = serde_json::from_str(content.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::invalid(text!("template.import_invalid_json", line = e.line(), column = e.column())))?;
    let list = match value {
        Value::Array(items) => items,
        Value::Object(mut o) => match o.remove("data") {
            Some(Value::Array(items)) => items,
            Some(_) => return Err(Error::invalid(text!("template.import_not_templates"))),
            None => vec![Value::Object(o)],
        },
        _ => return Err(Error::invalid(text!("template.import_not_templates"))),
    };
    if list.is_empty() {
        return Err(Error::invalid(text!("template.import_empty")));
    }
    if list.len() > MAX_IMPORT_TEMPLATES {
        return Err(Error::invalid(text!("template.import_too_many", max = MAX_IMPORT_TEMPLATES)));
    }
    Ok(list)
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn category(s: &str) -> Option<TemplateCategory> {
    match s.trim().to_ascii_lowercase().as_str() {
        "marketing" => Some(TemplateCategory::Marketing),
        "utility" => Some(TemplateCategory::Utility),
        "authentication" => Some(TemplateCategory::Authentication),
        _ => None,
    }
}

fn button_kind(s: &str) -> Option<TemplateButtonKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "quick_reply" => Some(TemplateButtonKind::QuickReply),
        "url" => Some(TemplateButtonKind::Url),
        "phone_number" => Some(TemplateButtonKind::PhoneNumber),
        "copy_code" => Some(TemplateButtonKind::CopyCode),
        _ => None,
    }
}

fn buttons_of(list: &[Value], issues: &mut Vec<TemplateIssue>) -> Vec<TemplateButton> {
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let kind_name = str_of(b, "type").unwrap_or_default();
        let Some(kind) = button_kind(kind_name) else {
            issues.push(TemplateIssue::new(
                format!("buttons.{i}"),
                text!("template.button_type_unsupported", number = i + 1, value = kind_name),
            ));
            continue;
        };
        out.push(TemplateButton {
            kind,
            text: str_of(b, "text").unwrap_or_default().to_owned(),
            url: str_of(b, "url").map(str::to_owned),
            phone_number: str_of(b, "phone_number").map(str::to_owned),
        });
    }
    out
}

/// One item read into a template, with what its shape gets wrong.
fn read(item: &Value) -> (LibraryTemplateInput, Vec<TemplateIssue>) {
    let mut issues = Vec::new();
    let language = str_of(item, "language")
        .or_else(|| item.pointer("/language/code").and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
    let category_name = str_of(item, "category").unwrap_or_default();
    let category = category(category_name).unwrap_or_else(|| {
        issues.push(TemplateIssue::new(
            "category",
            if category_name.trim().is_empty() {
                text!("template.category_required")
            } else {
                text!("template.category_invalid", value = category_name)
            },
        ));
        TemplateCategory::Utility
    });
    let mut t = LibraryTemplateInput {
        name: str_of(item, "name").unwrap_or_default().to_owned(),
        language,
        category,
        header: None,
        body: String::new(),
        footer: None,
        buttons: Vec::new(),
    };
    match item.get("components") {
        Some(Value::Array(components)) => {
            for c in components {
                let kind = str_of(c, "type").unwrap_or_default();
                let text = str_of(c, "text").map(str::to_owned);
                match kind.to_ascii_uppercase().as_str() {
                    "HEADER" => {
                        let format = str_of(c, "format").unwrap_or("TEXT");
                        if format.eq_ignore_ascii_case("TEXT") {
                            t.header = text;
                        } else {
                            issues.push(TemplateIssue::new(
                                "header",
                                text!("template.header_format_unsupported", format = format),
                            ));
                        }
                    }
                    "BODY" => t.body = text.unwrap_or_default(),
                    "FOOTER" => t.footer = text,
                    "BUTTONS" => {
                        let list = c.get("buttons").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                        t.buttons = buttons_of(list, &mut issues);
                    }
                    _ => {
                        issues.push(TemplateIssue::new("components", text!("template.component_unknown", value = kind)))
                    }
                }
            }
        }
        Some(_) => issues.push(TemplateIssue::new("components", text!("template.components_not_list"))),
        // The library's own shape.
        None => {
            t.header = str_of(item, "header").map(str::to_owned);
            t.body = str_of(item, "body").unwrap_or_default().to_owned();
            t.footer = str_of(item, "footer").map(str::to_owned);
            let list = item.get("buttons").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            t.buttons = buttons_of(list, &mut issues);
        }
    }
    let (clean, mut rules) = validate(t);
    issues.append(&mut rules);
    (clean, issues)
}

/// Every item of a file, checked, against the library it would go into.
pub(crate) fn preview(content: &str, existing: &[LibraryTemplate]) -> Result<TemplateImportPreview> {
    let mut first_at: HashMap<(String, String), u32> = HashMap::new();
    let mut out = Vec::new();
    for (i, item) in items(content)?.iter().enumerate() {
        let position = i as u32 + 1;
        if !item.is_object() {
            out.push(TemplateImportItem {
                position,
                name: String::new(),
                language: String::new(),
                action: TemplateImportAction::Create,
                errors: vec![TemplateIssue::new("", text!("template.import_item_not_object"))],
                template: None,
            });
            continue;
        }
        let (t, mut errors) = read(item);
        let key = (t.name.clone(), t.language.clone());
        if !t.name.is_empty()
            && let Some(first) = first_at.get(&key)
        {
            errors.push(TemplateIssue::new(
                "name",
                text!("template.import_duplicate", name = &t.name, language = &t.language, first = first),
            ));
        } else {
            first_at.insert(key, position);
        }
        let replaces = existing.iter().any(|e| e.name == t.name && e.language == t.language);
        out.push(TemplateImportItem {
            position,
            name: t.name.clone(),
            language: t.language.clone(),
            action: if replaces { TemplateImportAction::Replace } else { TemplateImportAction::Create },
            errors,
            template: Some(t),
        });
    }
    let valid = out.iter().all(|i| i.errors.is_empty());
    Ok(TemplateImportPreview { items: out, valid })
}
