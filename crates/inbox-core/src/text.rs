//! Texts the engine shows to an agent, as stable keys with parameters, and the one catalog of
//! their English and Brazilian Portuguese wording.
//!
//! A [`Text`] travels as `{"key": "outbound.too_long", "params": {"max": "4096"}}`; the UI renders
//! it in the agent's language from the catalog generated out of [`CATALOG`]
//! (`ui/src/lib/backend/generated/texts.ts`). English is what `Display` and every `message` field
//! use. Build one with [`text!`](crate::text): `text!("outbound.too_long", max = MAX_TEXT_CHARS)`.
//!
//! Code not converted yet (and words a provider supplies) becomes a `Text` through `From<String>`:
//! the key `engine.untranslated` with the English sentence as its only parameter, shown as is.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A text for the agent: a catalog key and its parameters (always strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Text {
    pub key: String,
    pub params: BTreeMap<String, String>,
}

/// A language the engine's texts are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    PtBr,
}

/// The key of a text not converted to the catalog yet: its only parameter, `text`, is English.
pub const UNTRANSLATED: &str = "engine.untranslated";

/// One catalog entry: a key and its wording, with `{param}` placeholders.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub key: &'static str,
    pub en: &'static str,
    pub pt_br: &'static str,
}

const fn entry(key: &'static str, en: &'static str, pt_br: &'static str) -> Entry {
    Entry { key, en, pt_br }
}

/// Every text the engine shows, by subject.
pub const CATALOG: &[Entry] = &[
    // the engine itself
    entry(UNTRANSLATED, "{text}", "{text}"),
    entry(
        "engine.storage_failed",
        "the local database failed; see the log",
        "o banco de dados local falhou; veja o log",
    ),
    entry("engine.io_failed", "a file operation failed; see the log", "uma operação de arquivo falhou; veja o log"),
    entry(
        "engine.internal_failed",
        "something went wrong inside Agent Inbox; see the log",
        "algo deu errado dentro do Agent Inbox; veja o log",
    ),
    entry("keychain.failed", "keychain error: {detail}", "erro no chaveiro do sistema: {detail}"),
    entry("provider.answered", "the provider answered: {detail}", "o provedor respondeu: {detail}"),
    entry("provider.cannot_do", "{provider} cannot do `{what}`", "{provider} não pode fazer `{what}`"),
    entry("api.unauthorized", "a valid bearer token is required", "é necessário um token de acesso válido"),
    entry("field.required", "`{field}` is required", "`{field}` é obrigatório"),
    entry("field.empty", "`{field}` cannot be empty", "`{field}` não pode ficar vazio"),
    entry("page.invalid_cursor", "invalid cursor", "cursor inválido"),
    // accounts
    entry("account.not_found", "account not found", "conta não encontrada"),
    entry(
        "account.no_secret_field",
        "{provider} has no secret field `{field}`",
        "{provider} não tem o campo secreto `{field}`",
    ),
    // conversations and messages
    entry("conversation.not_found", "conversation not found", "conversa não encontrada"),
    entry(
        "conversation.cannot_start",
        "{provider} cannot start conversations",
        "{provider} não pode iniciar conversas",
    ),
    entry("conversation.mood_invalid", "`mood` must be POSITIVE or NEGATIVE", "`mood` deve ser POSITIVE ou NEGATIVE"),
    entry("message.not_found", "message not found", "mensagem não encontrada"),
    entry(
        "message.unconfirmed",
        "the provider never confirmed this message",
        "o provedor nunca confirmou esta mensagem",
    ),
    entry(
        "message.quote_elsewhere",
        "the quoted message is in another conversation",
        "a mensagem citada está em outra conversa",
    ),
    entry(
        "message.quote_unconfirmed",
        "that message has no provider id yet, so it cannot be quoted",
        "essa mensagem ainda não tem id do provedor, então não pode ser citada",
    ),
    // what an agent may send
    entry(
        "outbound.window_closed",
        "the 24-hour window has closed: the customer last wrote over a day ago, so only an approved template can be sent",
        "a janela de 24 horas fechou: o cliente escreveu pela última vez há mais de um dia, então só um modelo aprovado pode ser enviado",
    ),
    entry("outbound.cannot_groups", "{provider} cannot write to groups", "{provider} não pode escrever em grupos"),
    entry("outbound.cannot_quote", "{provider} cannot quote messages", "{provider} não pode citar mensagens"),
    entry("outbound.cannot_text", "{provider} cannot send text", "{provider} não pode enviar texto"),
    entry("outbound.cannot_templates", "{provider} cannot send templates", "{provider} não pode enviar modelos"),
    entry(
        "outbound.cannot_interactive",
        "{provider} cannot send buttons or lists",
        "{provider} não pode enviar botões ou listas",
    ),
    entry("outbound.cannot_location", "{provider} cannot send locations", "{provider} não pode enviar localizações"),
    entry("outbound.cannot_files", "{provider} cannot send files", "{provider} não pode enviar arquivos"),
    entry(
        "outbound.cannot_caption",
        "{provider} cannot send a caption with a file",
        "{provider} não pode enviar legenda com um arquivo",
    ),
    entry("outbound.empty", "the message is empty", "a mensagem está vazia"),
    entry(
        "outbound.too_long",
        "the message is longer than {max} characters",
        "a mensagem tem mais de {max} caracteres",
    ),
    entry(
        "outbound.template_missing",
        "a template message needs `template`",
        "uma mensagem de modelo precisa de `template`",
    ),
    entry(
        "outbound.template_incomplete",
        "a template needs its name and language",
        "um modelo precisa do nome e do idioma",
    ),
    entry(
        "outbound.interactive_missing",
        "an interactive message needs `interactive`",
        "uma mensagem interativa precisa de `interactive`",
    ),
    entry(
        "outbound.interactive_no_text",
        "an interactive message needs its text",
        "uma mensagem interativa precisa do seu texto",
    ),
    entry("outbound.interactive_empty", "add buttons or list sections", "adicione botões ou seções de lista"),
    entry(
        "outbound.too_many_buttons",
        "WhatsApp allows at most 3 reply buttons",
        "o WhatsApp permite no máximo 3 botões de resposta",
    ),
    entry("outbound.buttons_and_list", "send buttons or a list, not both", "envie botões ou uma lista, não os dois"),
    entry(
        "outbound.list_button_missing",
        "a list needs the text of the button that opens it",
        "uma lista precisa do texto do botão que a abre",
    ),
    entry(
        "outbound.location_missing",
        "a location message needs `location`",
        "uma mensagem de localização precisa de `location`",
    ),
    entry(
        "outbound.location_out_of_range",
        "latitude must be within ±90 and longitude within ±180",
        "a latitude deve estar entre ±90 e a longitude entre ±180",
    ),
    entry(
        "outbound.kind_not_sendable",
        "that kind of message cannot be sent",
        "esse tipo de mensagem não pode ser enviado",
    ),
    entry("outbound.file_url_missing", "a file needs its URL", "um arquivo precisa da sua URL"),
    entry("outbound.file_url_invalid", "the file URL is not a valid URL", "a URL do arquivo não é uma URL válida"),
    entry(
        "outbound.file_url_scheme",
        "the file URL must start with http:// or https://",
        "a URL do arquivo deve começar com http:// ou https://",
    ),
    entry(
        "outbound.caption_too_long",
        "the caption is longer than {max} characters",
        "a legenda tem mais de {max} caracteres",
    ),
    // contacts and tags
    entry("contact.not_found", "contact not found", "contato não encontrado"),
    entry(
        "contact.name_too_long",
        "the custom name is longer than {max} characters",
        "o nome personalizado tem mais de {max} caracteres",
    ),
    entry(
        "contact.sync_unsupported",
        "{provider} does not sync contacts or tags",
        "{provider} não sincroniza contatos nem etiquetas",
    ),
    entry("tag.not_found", "tag not found", "etiqueta não encontrada"),
    entry("tag.unknown", "unknown tag `{id}`", "etiqueta desconhecida `{id}`"),
    entry("tag.exists", "a tag named \"{name}\" already exists", "já existe uma etiqueta chamada \"{name}\""),
    entry("tag.name_empty", "a tag's name cannot be empty", "o nome de uma etiqueta não pode ficar vazio"),
    entry(
        "tag.name_too_long",
        "the tag name is longer than {max} characters",
        "o nome da etiqueta tem mais de {max} caracteres",
    ),
    entry(
        "tag.color_invalid",
        "`color` must be a hex colour like #ff0000, not \"{value}\"",
        "`color` deve ser uma cor hexadecimal como #ff0000, não \"{value}\"",
    ),
];

/// Builds a [`Text`]: `text!("outbound.too_long", max = MAX_TEXT_CHARS)`. Parameters are
/// rendered with `Display`.
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Text::new($key)$(.with(stringify!($name), $value))*
    };
}

impl Text {
    pub fn new(key: impl Into<String>) -> Self {
        Text { key: key.into(), params: BTreeMap::new() }
    }

    /// Adds a parameter.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// Whether this is a sentence outside the catalog, shown as is.
    pub fn is_untranslated(&self) -> bool {
        self.key == UNTRANSLATED
    }

    /// The wording in `lang`, its placeholders filled. A key missing from the catalog renders as
    /// the key itself (a test keeps that from happening).
    pub fn render(&self, lang: Lang) -> String {
        let Some(entry) = lookup(&self.key) else { return self.key.clone() };
        let template = match lang {
            Lang::En => entry.en,
            Lang::PtBr => entry.pt_br,
        };
        fill(template, &self.params)
    }
}

/// The catalog entry for `key`.
pub fn lookup(key: &str) -> Option<&'static Entry> {
    CATALOG.iter().find(|e| e.key == key)
}

/// The `{name}` placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && end > 0 => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').and_then(|end| params.get(&after[..end]).map(|v| (end, v))) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        text!("engine.untranslated", text = text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::from(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_both_languages() {
        let t = text!("outbound.too_long", max = 4096);
        assert_eq!(t.render(Lang::En), "the message is longer than 4096 characters");
        assert_eq!(t.render(Lang::PtBr), "a mensagem tem mais de 4096 caracteres");
        assert_eq!(t.to_string(), "the message is longer than 4096 characters");
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            serde_json::json!({"key": "outbound.too_long", "params": {"max": "4096"}})
        );
    }

    #[test]
    fn untranslated_text_is_shown_as_is() {
        let t = Text::from("`base_url` is {odd}");
        assert!(t.is_untranslated());
        assert_eq!(t.render(Lang::En), "`base_url` is {odd}");
        assert_eq!(t.render(Lang::PtBr), "`base_url` is {odd}");
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("`{field}` is {x} but {not one} {}"), ["field", "x"]);
    }
}
