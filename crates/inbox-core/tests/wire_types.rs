//! The UI's wire types are generated from the engine's: ts-rs renders every type that crosses a
//! transport (the model, `Event`, `ErrorBody`) into `ui/src/lib/backend/generated/`, one file per
//! type plus an `index.ts`, and the engine's text catalog into `texts.ts` (every key of
//! `inbox_core::text::CATALOG` with its English and Portuguese wording). This test renders them again and fails when the committed files differ,
//! so the UI cannot drift from the JSON the engine writes. It writes nothing unless asked:
//!
//! ```sh
//! UPDATE_WIRE=1 cargo test -p inbox-core --test wire_types
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use inbox_core::*;
use ts_rs::{TS, TypeVisitor};

const REGENERATE: &str = "UPDATE_WIRE=1 cargo test -p inbox-core --test wire_types";

/// A rendered TypeScript file: the type's name and the file's text.
struct File {
    name: String,
    text: String,
}

/// Renders a type and, recursively, every type it refers to.
struct Render<'a> {
    config: &'a ts_rs::Config,
    files: BTreeMap<PathBuf, File>,
}

impl TypeVisitor for Render<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        let Some(path) = T::output_path() else { return };
        if self.files.contains_key(&path) {
            return;
        }
        let text = T::export_to_string(self.config).unwrap_or_else(|e| panic!("rendering {path:?}: {e}"));
        self.files.insert(path, File { name: T::ident(self.config), text });
        T::visit_dependencies(self);
    }
}

/// Every type a transport carries, with what they refer to.
fn render() -> BTreeMap<PathBuf, String> {
    // i64 and u64 travel as JSON numbers (counts, positions, indexes: far below 2^53).
    let config = ts_rs::Config::new().with_large_int("number");
    let mut r = Render { config: &config, files: BTreeMap::new() };
    macro_rules! roots {
        ($($t:ty),* $(,)?) => { $( r.visit::<$t>(); )* };
    }
    roots!(
        // providers and accounts
        Provider,
        Capability,
        CapabilityNote,
        SettingField,
        FieldKind,
        FieldOption,
        ProviderInfo,
        WebhookSetup,
        Account,
        NewAccount,
        AccountPatch,
        ConnectionTest,
        Department,
        // conversations and messages
        ConversationKind,
        ConversationStatus,
        Priority,
        Direction,
        MessageKind,
        DeliveryStatus,
        LastMessage,
        ConversationSummary,
        Handoff,
        HandoffState,
        Reaction,
        Message,
        MessagePayload,
        ConversationEvent,
        // files from disk
        StoredMedia,
        Page<ts_rs::Dummy>,
        ConversationFilter,
        SendMessage,
        Template,
        TemplateField,
        Interactive,
        InteractiveButton,
        InteractiveSection,
        InteractiveRow,
        Location,
        StartConversation,
        HandoffUpdate,
        ConversationPatch,
        HistoryProgress,
        // drafts and internal notes
        Draft,
        DraftInput,
        DraftPreview,
        NewNote,
        // contacts and tags
        SyncState,
        Tag,
        TagInput,
        ContactIdentity,
        Contact,
        ContactFilter,
        ContactPatch,
        SyncReport,
        // search
        SearchSide,
        SearchQuery,
        TextSegment,
        ConversationHit,
        MessageHit,
        ContactHit,
        SearchResults,
        MessageWindow,
        // template library
        TemplateCategory,
        TemplateButtonKind,
        TemplateButton,
        TemplateSlot,
        LibraryTemplate,
        LibraryTemplateInput,
        RenderedTemplate,
        TemplateIssue,
        TemplateImport,
        TemplateImportAction,
        TemplateImportItem,
        TemplateImportPreview,
        // the contact panel, merges and CSV
        ContactAttribute,
        ContactProfile,
        ContactProfilePatch,
        MergeContacts,
        ContactMerge,
        ContactImport,
        ImportAction,
        ContactImportRow,
        ContactImportReport,
        ContactExport,
        // canned responses, settings
        CannedResponse,
        CannedResponseInput,
        FilledCannedResponse,
        AppSettings,
        AppSettingsPatch,
        // status, events, errors
        AppStatus,
        Event,
        ErrorBody,
        inbox_core::open_failure::StartupFailure,
        Text,
    );
    let mut out: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut index = format!(
        "// Generated from the engine's types (crates/inbox-core/tests/wire_types.rs). Do not edit:\n\
         // regenerate with `{REGENERATE}`.\n\n"
    );
    for (path, file) in &r.files {
        let module = path.with_extension("");
        index.push_str(&format!("export type {{ {} }} from './{}';\n", file.name, module.display()));
    }
    for (path, file) in r.files {
        out.insert(path, file.text);
    }
    out.insert(PathBuf::from("index.ts"), index);
    out.insert(PathBuf::from("texts.ts"), texts());
    out
}

/// The engine's text catalog as a TypeScript object: `{ [key]: { en, 'pt-BR' } }`.
fn texts() -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap();
    let mut out = format!(
        "// Generated from the engine's text catalog (crates/inbox-core/src/text.rs). Do not edit:\n\
         // regenerate with `{REGENERATE}`.\n\n\
         /** Every text the engine shows, by key, with `{{param}}` placeholders. */\n\
         export const TEXTS: Record<string, {{ en: string; 'pt-BR': string }}> = {{\n"
    );
    for entry in inbox_core::text::CATALOG {
        out.push_str(&format!(
            "  {}: {{ en: {}, 'pt-BR': {} }},\n",
            quote(entry.key),
            quote(entry.en),
            quote(entry.pt_br)
        ));
    }
    out.push_str("};\n\n");
    out.push_str(&format!(
        "/** The key of a sentence outside the catalog: its `text` parameter is shown as is. */\n\
         export const UNTRANSLATED = {};\n",
        quote(inbox_core::text::UNTRANSLATED)
    ));
    out
}

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/backend/generated")
}

/// Every `.ts` file under `dir`, relative to it.
fn committed(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "ts") {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn generated_typescript_matches_the_model() {
    let files = render();
    let dir = generated_dir();
    if std::env::var_os("UPDATE_WIRE").is_some() {
        for stale in committed(&dir).into_iter().filter(|p| !files.contains_key(p)) {
            std::fs::remove_file(dir.join(stale)).unwrap();
        }
        for (path, text) in &files {
            let target = dir.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, text).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for (path, text) in &files {
        match std::fs::read_to_string(dir.join(path)) {
            Ok(existing) if existing == *text => {}
            Ok(_) => problems.push(format!("{} differs", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for extra in committed(&dir).into_iter().filter(|p| !files.contains_key(p)) {
        problems.push(format!("{} is no longer generated", extra.display()));
    }
    assert!(
        problems.is_empty(),
        "ui/src/lib/backend/generated/ is stale:\n  {}\nregenerate with `{REGENERATE}` and commit the result",
        problems.join("\n  ")
    );
}

/// Integers that ts-rs would call `bigint` are numbers in JSON, and so in every generated file.
#[test]
fn no_generated_type_is_a_bigint() {
    for (path, text) in render() {
        assert!(!text.contains("bigint"), "{} mentions bigint:\n{text}", path.display());
    }
}
