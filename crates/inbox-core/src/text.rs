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
    entry(
        "provider.cannot_type",
        "{provider} cannot send typing notifications",
        "{provider} não pode enviar aviso de digitação",
    ),
    entry("provider.cannot_delete", "{provider} cannot delete messages", "{provider} não pode apagar mensagens"),
    entry(
        "provider.cannot_remove_reaction",
        "{provider} cannot remove reactions",
        "{provider} não pode remover reações",
    ),
    entry("field.not_text", "`{field}` must be text", "`{field}` deve ser texto"),
    entry("field.not_http_url", "`{field}` must be an http(s) URL", "`{field}` deve ser uma URL http(s)"),
    entry(
        "field.url_with_query",
        "`{field}` must not carry a query or a fragment",
        "`{field}` não pode ter query nem fragmento",
    ),
    entry(
        "start.number_invalid",
        "`to` must be a WhatsApp number with country code (8 to 15 digits)",
        "`to` deve ser um número de WhatsApp com DDI (8 a 15 dígitos)",
    ),
    entry(
        "cirrus.test_ok",
        "Cirrus answered: the account has {tags} tags",
        "A Cirrus respondeu: a conta tem {tags} etiquetas",
    ),
    entry(
        "mconnect.test_save_first",
        "save the account first: mConnect's only harmless call sets the webhook URL",
        "salve a conta primeiro: a única chamada inofensiva do mConnect define a URL do webhook",
    ),
    entry("mconnect.test_ok", "mConnect accepted the webhook URL", "O mConnect aceitou a URL do webhook"),
    entry(
        "wegly.test_ok",
        "Wegly accepted the token. The WhatsApp phone id is checked when a chat is started.",
        "A Wegly aceitou o token. O id do telefone do WhatsApp é verificado quando uma conversa é iniciada.",
    ),
    entry(
        "zchat.test_no_default",
        "{provider} answered with {active} active departments (of {total}), but the default department {department} is not one of them",
        "{provider} respondeu com {active} departamentos ativos (de {total}), mas o departamento padrão {department} não está entre eles",
    ),
    entry(
        "zchat.test_ok_active",
        "Connected to {provider}: {active} active departments (of {total}); the default, {department}, is active",
        "Conectado ao {provider}: {active} departamentos ativos (de {total}); o padrão, {department}, está ativo",
    ),
    entry(
        "zchat.test_ok_inactive",
        "Connected to {provider}: {active} active departments (of {total}); the default, {department}, is inactive",
        "Conectado ao {provider}: {active} departamentos ativos (de {total}); o padrão, {department}, está inativo",
    ),
    entry("api.unauthorized", "a valid bearer token is required", "é necessário um token de acesso válido"),
    entry("api.no_demo", "this inboxd was built without the demo", "este inboxd foi compilado sem a demonstração"),
    entry("demo.not_running", "the demo is not running", "a demonstração não está rodando"),
    entry(
        "demo.nothing_to_write",
        "no demo conversation to write in",
        "nenhuma conversa de demonstração para escrever",
    ),
    entry(
        "demo.bad_address",
        "INBOX_SIM_ADDR `{value}` is not an address",
        "INBOX_SIM_ADDR `{value}` não é um endereço",
    ),
    entry(
        "account.not_demo",
        "only a demo account is re-pointed at the demo",
        "só uma conta de demonstração é apontada para a demonstração",
    ),
    entry("provider.unknown", "unknown provider `{value}`", "provedor desconhecido `{value}`"),
    entry("priority.out_of_range", "priority must be 0 to 3, got {value}", "a prioridade vai de 0 a 3; veio {value}"),
    entry("startup.started_normally", "Agent Inbox started normally", "o Agent Inbox abriu normalmente"),
    entry(
        "startup.only_damaged_moves",
        "only a damaged database is moved aside",
        "só um banco de dados danificado é movido de lado",
    ),
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
    // search
    entry("search.empty", "type something to search for", "digite algo para buscar"),
    entry(
        "search.too_long",
        "a search can have at most {max} characters",
        "uma busca pode ter no máximo {max} caracteres",
    ),
    entry(
        "search.bad_range",
        "the start of the date range must be before its end",
        "o início do período deve ser antes do fim",
    ),
    entry(
        "search.unreadable",
        "this search could not be read; try other words",
        "não foi possível ler esta busca; tente outras palavras",
    ),
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
    // drafts and internal notes
    entry("draft.too_long", "a draft keeps at most {max} characters", "um rascunho guarda no máximo {max} caracteres"),
    entry(
        "draft.too_many_media",
        "a draft keeps at most {max} attachments",
        "um rascunho guarda no máximo {max} anexos",
    ),
    entry(
        "draft.media_id_invalid",
        "an attachment id of the draft is empty or too long",
        "um id de anexo do rascunho está vazio ou é longo demais",
    ),
    entry("note.empty", "write something in the note", "escreva algo na nota"),
    entry("note.too_long", "a note has at most {max} characters", "uma nota tem no máximo {max} caracteres"),
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
    // the contact panel, merges and CSV
    entry(
        "contact.notes_too_long",
        "the notes are longer than {max} characters",
        "as notas têm mais de {max} caracteres",
    ),
    entry("contact.attribute_key_empty", "an attribute needs a name", "um atributo precisa de um nome"),
    entry(
        "contact.attribute_key_too_long",
        "the attribute name \"{key}\" is longer than {max} characters",
        "o nome do atributo \"{key}\" tem mais de {max} caracteres",
    ),
    entry(
        "contact.attribute_value_too_long",
        "the value of \"{key}\" is longer than {max} characters",
        "o valor de \"{key}\" tem mais de {max} caracteres",
    ),
    entry(
        "contact.attribute_duplicate",
        "the attribute \"{key}\" appears twice",
        "o atributo \"{key}\" aparece duas vezes",
    ),
    entry(
        "contact.too_many_attributes",
        "a contact can have at most {max} attributes",
        "um contato pode ter no máximo {max} atributos",
    ),
    entry(
        "merge.needs_two",
        "choose the contact to keep and 1 to {max} others to merge into it",
        "escolha o contato que fica e de 1 a {max} outros para juntar a ele",
    ),
    entry("merge.not_found", "merge not found", "junção não encontrada"),
    entry("merge.already_undone", "this merge was already undone", "esta junção já foi desfeita"),
    entry(
        "merge.later_merge",
        "this contact was merged again since; undo the later merge first",
        "este contato foi juntado de novo depois; desfaça primeiro a junção mais recente",
    ),
    entry(
        "csv.unreadable",
        "the file could not be read as CSV: {detail}",
        "o arquivo não pôde ser lido como CSV: {detail}",
    ),
    entry("csv.empty", "the file has no contacts", "o arquivo não tem contatos"),
    entry("csv.too_large", "the file is larger than {max_mb} MB", "o arquivo tem mais de {max_mb} MB"),
    entry("csv.too_many_rows", "the file has more than {max} rows", "o arquivo tem mais de {max} linhas"),
    entry(
        "csv.missing_column",
        "the first line must name a column \"{column}\"",
        "a primeira linha deve ter uma coluna \"{column}\"",
    ),
    entry("csv.column_twice", "the column \"{column}\" appears twice", "a coluna \"{column}\" aparece duas vezes"),
    entry("csv.column_unnamed", "a column has no name in the first line", "uma coluna está sem nome na primeira linha"),
    entry("csv.row_unreadable", "this line could not be read: {detail}", "esta linha não pôde ser lida: {detail}"),
    entry(
        "csv.field_count",
        "this line has {found} fields; the first line has {expected}",
        "esta linha tem {found} campos; a primeira tem {expected}",
    ),
    entry("csv.phone_missing", "no phone number", "sem número de telefone"),
    entry(
        "csv.phone_invalid",
        "\"{value}\" is not a phone number (8 to 15 digits)",
        "\"{value}\" não é um número de telefone (8 a 15 dígitos)",
    ),
    entry("csv.account_missing", "no account", "sem conta"),
    entry("csv.account_unknown", "no account is called \"{value}\"", "nenhuma conta se chama \"{value}\""),
    entry(
        "csv.account_ambiguous",
        "several accounts are called \"{value}\"; use the account's id",
        "várias contas se chamam \"{value}\"; use o id da conta",
    ),
    entry(
        "csv.duplicate_row",
        "the same number at the same account is already on line {line}",
        "o mesmo número na mesma conta já está na linha {line}",
    ),
    entry(
        "csv.has_errors",
        "nothing was imported: {count} lines have errors",
        "nada foi importado: {count} linhas têm erros",
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
    // the template library
    entry("template.not_found", "template not found", "modelo não encontrado"),
    entry(
        "template.library_unsupported",
        "{provider} accounts have no approved templates",
        "contas {provider} não têm modelos aprovados",
    ),
    entry("template.name_required", "the template needs a name", "o modelo precisa de um nome"),
    entry(
        "template.name_too_long",
        "a template's name has at most {max} characters",
        "o nome de um modelo tem no máximo {max} caracteres",
    ),
    entry(
        "template.name_invalid",
        "\"{name}\" is not a template name: use lowercase letters, digits and _ (as in pedido_enviado)",
        "\"{name}\" não é um nome de modelo: use letras minúsculas, números e _ (como em pedido_enviado)",
    ),
    entry(
        "template.language_required",
        "the template needs a language (as pt_BR)",
        "o modelo precisa de um idioma (como pt_BR)",
    ),
    entry(
        "template.language_invalid",
        "\"{language}\" is not a language code: use one as pt_BR, en_US or es",
        "\"{language}\" não é um código de idioma: use um como pt_BR, en_US ou es",
    ),
    entry("template.category_required", "the template needs a category", "o modelo precisa de uma categoria"),
    entry(
        "template.category_invalid",
        "\"{value}\" is not a category: use MARKETING, UTILITY or AUTHENTICATION",
        "\"{value}\" não é uma categoria: use MARKETING, UTILITY ou AUTHENTICATION",
    ),
    entry("template.body_required", "the template needs a body text", "o modelo precisa de um texto de corpo"),
    entry("template.body_too_long", "the body has more than {max} characters", "o corpo tem mais de {max} caracteres"),
    entry(
        "template.header_too_long",
        "the header has more than {max} characters",
        "o cabeçalho tem mais de {max} caracteres",
    ),
    entry(
        "template.footer_too_long",
        "the footer has more than {max} characters",
        "o rodapé tem mais de {max} caracteres",
    ),
    entry(
        "template.placeholder_not_numbered",
        "{found} in the body is not a numbered placeholder: write them as {{1}}, {{2}}…",
        "{found} no corpo não é um campo numerado: escreva os campos como {{1}}, {{2}}…",
    ),
    entry(
        "template.placeholder_gap",
        "the body's placeholders must be numbered 1 to {max} without gaps: {missing} is missing",
        "os campos do corpo devem ser numerados de 1 a {max} sem lacunas: falta {missing}",
    ),
    entry(
        "template.header_placeholder",
        "the header can have one placeholder, {{1}}",
        "o cabeçalho pode ter um campo, {{1}}",
    ),
    entry("template.footer_placeholder", "the footer cannot have placeholders", "o rodapé não pode ter campos"),
    entry("template.too_many_buttons", "a template has at most {max} buttons", "um modelo tem no máximo {max} botões"),
    entry("template.button_text_required", "button {number} needs a text", "o botão {number} precisa de um texto"),
    entry(
        "template.button_text_too_long",
        "button {number}'s text has more than {max} characters",
        "o texto do botão {number} tem mais de {max} caracteres",
    ),
    entry(
        "template.button_url_invalid",
        "button {number} needs an http(s) address, which may end with {{1}}",
        "o botão {number} precisa de um endereço http(s), que pode terminar com {{1}}",
    ),
    entry(
        "template.button_phone_required",
        "button {number} needs a phone number",
        "o botão {number} precisa de um número de telefone",
    ),
    entry(
        "template.button_type_unsupported",
        "button {number}: the type \"{value}\" is not supported (QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE)",
        "botão {number}: o tipo \"{value}\" não é suportado (QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE)",
    ),
    entry(
        "template.header_format_unsupported",
        "headers with {format} are not supported yet; only text headers",
        "cabeçalhos com {format} ainda não são suportados; apenas cabeçalhos de texto",
    ),
    entry(
        "template.component_unknown",
        "unknown component \"{value}\" (HEADER, BODY, FOOTER, BUTTONS)",
        "componente desconhecido \"{value}\" (HEADER, BODY, FOOTER, BUTTONS)",
    ),
    entry("template.components_not_list", "`components` must be a list", "`components` deve ser uma lista"),
    entry(
        "template.duplicate",
        "this account already has a template {name} in {language}",
        "esta conta já tem um modelo {name} em {language}",
    ),
    entry(
        "template.field_missing",
        "fill {placeholder} of the template's {component}",
        "preencha {placeholder} do {component} do modelo",
    ),
    entry(
        "template.field_missing_button",
        "fill {placeholder} of the template's button {number}",
        "preencha {placeholder} do botão {number} do modelo",
    ),
    entry(
        "template.import_invalid_json",
        "the file is not valid JSON (line {line}, column {column})",
        "o arquivo não é um JSON válido (linha {line}, coluna {column})",
    ),
    entry(
        "template.import_not_templates",
        "the file holds no templates: expected a template, a list of templates or {\"data\": [...]}",
        "o arquivo não contém modelos: esperava um modelo, uma lista de modelos ou {\"data\": [...]}",
    ),
    entry("template.import_empty", "the file's list of templates is empty", "a lista de modelos do arquivo está vazia"),
    entry("template.import_too_large", "the file is larger than {max} MiB", "o arquivo tem mais de {max} MiB"),
    entry("template.import_too_many", "the file has more than {max} templates", "o arquivo tem mais de {max} modelos"),
    entry(
        "template.import_item_not_object",
        "this item is not a template (an object with name, language, category and components)",
        "este item não é um modelo (um objeto com name, language, category e components)",
    ),
    entry(
        "template.import_duplicate",
        "{name} in {language} is already item {first} of the file",
        "{name} em {language} já é o item {first} do arquivo",
    ),
    entry(
        "template.import_has_errors",
        "nothing was imported: {count} templates of the file have errors",
        "nada foi importado: {count} modelos do arquivo têm erros",
    ),
    // canned responses, settings, long texts split into several messages
    entry("canned.not_found", "canned response not found", "resposta pronta não encontrada"),
    entry(
        "canned.shortcut_taken",
        "the shortcut /{shortcut} is already used by another canned response",
        "o atalho /{shortcut} já é usado por outra resposta pronta",
    ),
    entry("canned.shortcut_empty", "a canned response needs a shortcut", "uma resposta pronta precisa de um atalho"),
    entry(
        "canned.shortcut_too_long",
        "the shortcut is longer than {max} characters",
        "o atalho tem mais de {max} caracteres",
    ),
    entry(
        "canned.shortcut_invalid",
        "the shortcut \"{shortcut}\" may only have letters, digits, -, _ and . (no spaces)",
        "o atalho \"{shortcut}\" só pode ter letras, dígitos, -, _ e . (sem espaços)",
    ),
    entry("canned.body_empty", "a canned response needs a text", "uma resposta pronta precisa de um texto"),
    entry("canned.body_too_long", "the text is longer than {max} characters", "o texto tem mais de {max} caracteres"),
    entry(
        "settings.agent_name_too_long",
        "the agent name is longer than {max} characters",
        "o nome do atendente tem mais de {max} caracteres",
    ),
    entry(
        "split.text_only",
        "only a text message can be split into several",
        "só uma mensagem de texto pode ser dividida em várias",
    ),
    // mConnect: notes on setting an account up, why a capability is missing, refusals
    entry(
        "mconnect.note_no_token",
        "mConnect has no token: it identifies callers by number, company and username.",
        "O mConnect não usa token: identifica quem chama pelo número, empresa e usuário.",
    ),
    entry(
        "mconnect.note_no_receipts",
        "Sent messages stay \"sent\": mConnect forwards no delivery receipts.",
        "Mensagens enviadas ficam como \"enviada\": o mConnect não repassa confirmações de entrega.",
    ),
    entry(
        "mconnect.reason_reply",
        "mConnect's API has no quoted replies.",
        "A API do mConnect não tem respostas com citação.",
    ),
    entry("mconnect.reason_reactions", "mConnect does not forward reactions.", "O mConnect não repassa reações."),
    entry(
        "mconnect.reason_typing",
        "mConnect's API has no typing notification.",
        "A API do mConnect não tem aviso de digitação.",
    ),
    entry(
        "mconnect.reason_templates",
        "mConnect drives WhatsApp Web, which has no templates.",
        "O mConnect usa o WhatsApp Web, que não tem modelos.",
    ),
    entry(
        "mconnect.reason_window",
        "WhatsApp Web has no 24-hour window.",
        "O WhatsApp Web não tem janela de 24 horas.",
    ),
    entry(
        "mconnect.reason_text_and_files_only",
        "mConnect sends only text and files.",
        "O mConnect envia somente texto e arquivos.",
    ),
    entry("mconnect.reason_delete", "mConnect's API cannot delete messages.", "A API do mConnect não apaga mensagens."),
    entry(
        "mconnect.reason_history_import",
        "mConnect's API cannot read earlier messages.",
        "A API do mConnect não lê mensagens anteriores.",
    ),
    entry(
        "mconnect.reason_reassign",
        "mConnect has no users to reassign to.",
        "O mConnect não tem usuários para quem reatribuir a conversa.",
    ),
    entry(
        "mconnect.reason_refresh",
        "mConnect keeps no chat to read back.",
        "O mConnect não guarda a conversa para ser lida de novo.",
    ),
    entry("mconnect.reason_contact_sync", "mConnect has no contact API.", "O mConnect não tem API de contatos."),
    entry("mconnect.reason_tag_sync", "mConnect has no tag API.", "O mConnect não tem API de etiquetas."),
    entry(
        "mconnect.number_invalid",
        "`number` must be the WhatsApp number with country code: 8 to 15 digits",
        "`number` deve ser o número do WhatsApp com DDI: 8 a 15 dígitos",
    ),
    entry(
        "mconnect.start_needs_message",
        "write the first message: an mConnect chat starts with it",
        "escreva a primeira mensagem: uma conversa do mConnect começa com ela",
    ),
    entry(
        "mconnect.start_number_invalid",
        "`to` must be a WhatsApp number with country code (8 to 15 digits) or a group id",
        "`to` deve ser um número de WhatsApp com DDI (8 a 15 dígitos) ou o id de um grupo",
    ),
    // ZChat and Omnize: notes on setting an account up, why a capability is missing, refusals
    entry(
        "zchat.note_webhook",
        "Paste the webhook URL in the provider's admin site (Settings > Integrations). It carries no signature: the URL itself is the secret.",
        "Cole a URL do webhook no painel de administração do provedor (Configurações > Integrações). Ela não tem assinatura: a própria URL é o segredo.",
    ),
    entry(
        "zchat.note_history_url",
        "The provider reads each conversation's history from a URL the inbox serves; it must reach this machine (a tunnel, or inboxd on a server).",
        "O provedor lê o histórico de cada conversa em uma URL servida pela caixa de entrada; ele precisa alcançar esta máquina (um túnel, ou o inboxd em um servidor).",
    ),
    entry(
        "zchat.reason_groups",
        "Hand-offs are one customer each; the API has no groups.",
        "Cada atendimento é de um único cliente; a API não tem grupos.",
    ),
    entry(
        "zchat.reason_caption",
        "The API sends a file's URL and one text; there is no separate caption.",
        "A API envia a URL do arquivo e um texto; não há legenda separada.",
    ),
    entry("zchat.reason_reply", "The API has no quoted replies.", "A API não tem respostas com citação."),
    entry("zchat.reason_reactions", "The API carries no reactions.", "A API não transmite reações."),
    entry(
        "zchat.reason_templates",
        "Templates belong to WhatsApp's official API; this one opens hand-offs.",
        "Modelos são da API oficial do WhatsApp; esta API abre atendimentos.",
    ),
    entry(
        "zchat.reason_window",
        "The provider's agents answer inside their own platform; no window applies here.",
        "Os atendentes do provedor respondem na própria plataforma; nenhuma janela se aplica aqui.",
    ),
    entry(
        "zchat.reason_text_and_media_only",
        "The API sends text and media only.",
        "A API envia somente texto e mídia.",
    ),
    entry("zchat.reason_delete", "The API cannot delete messages.", "A API não apaga mensagens."),
    entry(
        "zchat.reason_history_import",
        "The provider reads our history (external_history); it offers none to read back.",
        "O provedor lê o nosso histórico (external_history); não oferece o dele para leitura.",
    ),
    entry(
        "zchat.reason_reassign",
        "Transfers happen on the provider's side and arrive as \"transferred\".",
        "As transferências acontecem no provedor e chegam como \"transferido\".",
    ),
    entry(
        "zchat.reason_refresh",
        "Hand-off changes arrive as triggers; there is no call to read them back.",
        "As mudanças do atendimento chegam como gatilhos; não há chamada para lê-las de novo.",
    ),
    entry("zchat.reason_contact_sync", "The API has no contact list.", "A API não tem lista de contatos."),
    entry(
        "zchat.reason_tag_sync",
        "Tag ids can be set on an interaction, but tags cannot be listed or edited.",
        "É possível marcar ids de etiquetas em um atendimento, mas as etiquetas não podem ser listadas nem editadas.",
    ),
    entry(
        "zchat.reason_handoff_update",
        "Only the interactions flavour can update a hand-off (mood, tags, note).",
        "Só a API de interações pode atualizar um atendimento (humor, etiquetas, nota).",
    ),
    entry(
        "zchat.flavour_invalid",
        "`flavour` must be `interactions` or `whatsapp`",
        "`flavour` deve ser `interactions` ou `whatsapp`",
    ),
    entry(
        "zchat.default_department_invalid",
        "`department_id` must be the default department's id, a whole number above 0",
        "`department_id` deve ser o id do departamento padrão, um número inteiro maior que 0",
    ),
    entry(
        "zchat.department_invalid",
        "`department_id` must be a department's id, a whole number above 0",
        "`department_id` deve ser o id de um departamento, um número inteiro maior que 0",
    ),
    entry(
        "zchat.start_needs_message",
        "write the first message: a hand-off through {provider}'s WhatsApp API starts with it",
        "escreva a primeira mensagem: um atendimento pela API de WhatsApp do {provider} começa com ela",
    ),
    entry(
        "zchat.update_unsupported",
        "{provider}'s WhatsApp API cannot update a hand-off (mood, tags, note)",
        "a API de WhatsApp do {provider} não pode atualizar um atendimento (humor, etiquetas, nota)",
    ),
    entry(
        "zchat.update_empty",
        "nothing to update: give a mood, tag ids, a customer key or a note",
        "nada para atualizar: informe um humor, ids de etiquetas, uma chave de cliente ou uma nota",
    ),
    entry("zchat.email_invalid", "`email` is not an email address", "`email` não é um endereço de e-mail"),
    entry("zchat.cpf_invalid", "`cpf` must have 11 digits", "`cpf` deve ter 11 dígitos"),
    entry(
        "zchat.to_invalid",
        "`to` must be the customer's phone number (or email address)",
        "`to` deve ser o telefone do cliente (ou o endereço de e-mail)",
    ),
    entry(
        "zchat.media_type_invalid",
        "`service` must be TEXT, WHATSAPP or SMS (the interaction's media type)",
        "`service` deve ser TEXT, WHATSAPP ou SMS (o tipo de mídia do atendimento)",
    ),
    // Cirrus: notes on setting an account up, why a capability is missing, refusals
    entry(
        "cirrus.note_webhook",
        "Give Cirrus the webhook URL as the platform's callbackUrl. Events the inbox does not recognise are kept and shown as \"unrecognised event\".",
        "Informe à Cirrus a URL do webhook como callbackUrl da plataforma. Eventos que a caixa de entrada não reconhece são guardados e mostrados como \"evento não reconhecido\".",
    ),
    entry(
        "cirrus.note_sync",
        "Contacts and tags: edits made here are sent to Cirrus at once; on sync, Cirrus's version wins over a local edit that could not be sent.",
        "Contatos e etiquetas: as edições feitas aqui são enviadas à Cirrus na hora; na sincronização, a versão da Cirrus prevalece sobre uma edição local que não pôde ser enviada.",
    ),
    entry(
        "cirrus.reason_caption",
        "Cirrus's media message carries only the media URL.",
        "A mensagem de mídia da Cirrus leva somente a URL da mídia.",
    ),
    entry("cirrus.reason_reactions", "Cirrus's library has no reactions.", "A biblioteca da Cirrus não tem reações."),
    entry(
        "cirrus.reason_typing",
        "Cirrus's library has no typing notification.",
        "A biblioteca da Cirrus não tem aviso de digitação.",
    ),
    entry(
        "cirrus.reason_templates",
        "Cirrus's library sends proactive messages instead of templates.",
        "A biblioteca da Cirrus envia mensagens proativas em vez de modelos.",
    ),
    entry(
        "cirrus.reason_interactive",
        "Cirrus documents interactive messages as not implemented.",
        "A Cirrus documenta as mensagens interativas como não implementadas.",
    ),
    entry(
        "cirrus.reason_location",
        "Cirrus's library has no location message.",
        "A biblioteca da Cirrus não tem mensagem de localização.",
    ),
    entry("cirrus.reason_departments", "Cirrus has no departments.", "A Cirrus não tem departamentos."),
    entry(
        "cirrus.reason_not_handed_off",
        "Cirrus conversations are answered here, not handed off.",
        "As conversas da Cirrus são respondidas aqui, não repassadas.",
    ),
    entry("cirrus.reason_history_url", "Cirrus does not read history from us.", "A Cirrus não lê o histórico daqui."),
    entry(
        "cirrus.reason_history_import",
        "Cirrus's library cannot read earlier messages.",
        "A biblioteca da Cirrus não lê mensagens anteriores.",
    ),
    entry(
        "cirrus.reason_reassign",
        "Cirrus's library has no reassignment.",
        "A biblioteca da Cirrus não tem reatribuição.",
    ),
    entry(
        "cirrus.reason_refresh",
        "Cirrus's library cannot read a conversation back.",
        "A biblioteca da Cirrus não lê uma conversa de novo.",
    ),
    entry(
        "cirrus.reason_window",
        "Only the d360 service (official WhatsApp API) has the 24-hour window.",
        "Só o serviço d360 (API oficial do WhatsApp) tem a janela de 24 horas.",
    ),
    entry(
        "cirrus.routes_not_object",
        "`routes` must be a JSON object like {\"contacts.create\": \"POST /contacts\"}",
        "`routes` deve ser um objeto JSON como {\"contacts.create\": \"POST /contacts\"}",
    ),
    entry(
        "cirrus.route_unknown",
        "`routes` names an unknown operation `{name}`; known: {known}",
        "`routes` cita uma operação desconhecida `{name}`; conhecidas: {known}",
    ),
    entry(
        "cirrus.route_not_text",
        "route `{name}` must be a string like \"POST /contacts\"",
        "a rota `{name}` deve ser um texto como \"POST /contacts\"",
    ),
    entry(
        "cirrus.route_shape",
        "route `{name}` = \"{route}\": write it as \"METHOD /path\"",
        "rota `{name}` = \"{route}\": escreva como \"MÉTODO /caminho\"",
    ),
    entry(
        "cirrus.route_method",
        "route `{name}` = \"{route}\": the method must be GET, POST, PUT, PATCH or DELETE",
        "rota `{name}` = \"{route}\": o método deve ser GET, POST, PUT, PATCH ou DELETE",
    ),
    entry(
        "cirrus.route_path_start",
        "route `{name}` = \"{route}\": the path must start with /",
        "rota `{name}` = \"{route}\": o caminho deve começar com /",
    ),
    entry(
        "cirrus.route_path_chars",
        "route `{name}` = \"{route}\": the path cannot hold spaces, a query or a fragment",
        "rota `{name}` = \"{route}\": o caminho não pode ter espaços, query nem fragmento",
    ),
    entry(
        "cirrus.route_braces",
        "route `{name}` = \"{route}\": unbalanced braces",
        "rota `{name}` = \"{route}\": chaves desbalanceadas",
    ),
    entry(
        "cirrus.route_field",
        "route `{name}` = \"{route}\": `{{field}}` is not a field of this operation (use one of: {fields})",
        "rota `{name}` = \"{route}\": `{{field}}` não é um campo desta operação (use um destes: {fields})",
    ),
    entry(
        "cirrus.service_invalid",
        "`service` must be whatsappweb or d360, not `{value}`",
        "`service` deve ser whatsappweb ou d360, não `{value}`",
    ),
    entry(
        "cirrus.start_needs_platform_config",
        "set the account's platform config id: Cirrus needs it to start conversations",
        "preencha o id da configuração da plataforma na conta: a Cirrus precisa dele para iniciar conversas",
    ),
    entry(
        "cirrus.start_needs_company_name",
        "set the account's company name: Cirrus needs it to start WhatsApp Web conversations",
        "preencha o nome da empresa na conta: a Cirrus precisa dele para iniciar conversas pelo WhatsApp Web",
    ),
    // Wegly: notes on setting an account up, why a capability is missing, refusals
    entry(
        "wegly.note_webhook",
        "Subscribe the webhook URL in Wegly's integrations settings, with the same signing secret as here.",
        "Cadastre a URL do webhook nas configurações de integrações da Wegly, com o mesmo segredo de assinatura usado aqui.",
    ),
    entry(
        "wegly.note_window",
        "Outside the 24-hour window only an approved template can be sent.",
        "Fora da janela de 24 horas só é possível enviar um modelo aprovado.",
    ),
    entry(
        "wegly.note_new_chat",
        "A new chat opens with an approved template.",
        "Uma conversa nova começa com um modelo aprovado.",
    ),
    entry(
        "wegly.reason_groups",
        "Wegly's external API opens individual chats only.",
        "A API externa da Wegly abre somente conversas individuais.",
    ),
    entry(
        "wegly.reason_typing",
        "Wegly's external API has no typing notification.",
        "A API externa da Wegly não tem aviso de digitação.",
    ),
    entry(
        "wegly.reason_delete",
        "Wegly's external API cannot delete messages.",
        "A API externa da Wegly não apaga mensagens.",
    ),
    entry(
        "wegly.reason_departments",
        "Wegly has no departments in its external API.",
        "A Wegly não tem departamentos na sua API externa.",
    ),
    entry(
        "wegly.reason_not_handed_off",
        "Wegly chats are answered here, not handed off.",
        "As conversas da Wegly são respondidas aqui, não repassadas.",
    ),
    entry(
        "wegly.reason_history_url",
        "Wegly does not read history from us; the inbox imports Wegly's timeline instead.",
        "A Wegly não lê o histórico daqui; em vez disso, a caixa de entrada importa a linha do tempo da Wegly.",
    ),
    entry(
        "wegly.reason_contact_sync",
        "Wegly's external API has no contact list.",
        "A API externa da Wegly não tem lista de contatos.",
    ),
    entry("wegly.reason_tag_sync", "Wegly's external API has no tags.", "A API externa da Wegly não tem etiquetas."),
    entry(
        "wegly.base_url_invalid",
        "`base_url` must be an http(s) URL without query",
        "`base_url` deve ser uma URL http(s) sem query",
    ),
    entry(
        "wegly.phone_id_invalid",
        "`whatsapp_phone_id` must be the number's UUID, as Wegly shows it",
        "`whatsapp_phone_id` deve ser o UUID do número, como a Wegly o mostra",
    ),
    entry(
        "wegly.origin_invalid",
        "`origin` must be an http(s) URL such as https://example.com",
        "`origin` deve ser uma URL http(s) como https://example.com",
    ),
    entry(
        "wegly.to_invalid",
        "`to` must be the customer's WhatsApp number with country code: 8 to 15 digits",
        "`to` deve ser o número de WhatsApp do cliente com DDI: 8 a 15 dígitos",
    ),
    entry(
        "wegly.start_needs_template",
        "a Wegly chat opens with an approved template: add `message` with kind `template`",
        "uma conversa da Wegly começa com um modelo aprovado: adicione `message` com kind `template`",
    ),
    entry(
        "wegly.start_not_template",
        "a Wegly chat opens with an approved template: the first message must be of kind `template`",
        "uma conversa da Wegly começa com um modelo aprovado: a primeira mensagem deve ser de kind `template`",
    ),
    entry(
        "wegly.user_id_invalid",
        "`user_id` must be the Wegly user's UUID",
        "`user_id` deve ser o UUID do usuário da Wegly",
    ),
    entry("wegly.history_cursor_invalid", "bad history cursor", "cursor de histórico inválido"),
    // Files from disk (media.rs)
    entry("media.not_found", "that file is not in the media store", "esse arquivo não está no armazenamento de mídia"),
    entry("media.name_missing", "the file needs a name", "o arquivo precisa de um nome"),
    entry("media.empty", "{name} is empty", "{name} está vazio"),
    entry(
        "media.over_upload_limit",
        "{name} is {size}: no provider takes files over {max}",
        "{name} tem {size}: nenhum provedor aceita arquivos acima de {max}",
    ),
    entry(
        "media.too_large",
        "{name} is {size}: {provider} takes files of this type up to {max}",
        "{name} tem {size}: {provider} aceita arquivos deste tipo até {max}",
    ),
    entry(
        "media.wrong_type",
        "WhatsApp does not take {mime} files as this kind of message ({name}): send it as a file",
        "o WhatsApp não aceita arquivos {mime} como este tipo de mensagem ({name}): envie como arquivo",
    ),
    entry(
        "media.unreachable",
        "{provider} fetches files from the inbox's public address ({url}), which it cannot reach: set a public URL (a tunnel or a server) to send files from disk",
        "{provider} busca os arquivos no endereço público do inbox ({url}), que ele não alcança: defina uma URL pública (um túnel ou um servidor) para enviar arquivos do disco",
    ),
    entry(
        "media.body_unreadable",
        "the file could not be read whole (files over {max} are not taken)",
        "não foi possível ler o arquivo inteiro (arquivos acima de {max} não são aceitos)",
    ),
    entry(
        "media.file_and_url",
        "send either a file from disk or a URL, not both",
        "envie um arquivo do disco ou uma URL, não os dois",
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
