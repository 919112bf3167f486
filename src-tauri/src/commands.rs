//! The command set over Tauri IPC: each command is one call into the engine (or its demo).

use inbox_core::open_failure::StartupFailure;
use inbox_core::{
    Account, AccountPatch, AppStatus, ConnectionTest, Contact, ContactFilter, ContactPatch, ConversationFilter,
    ConversationPatch, ConversationSummary, Department, HandoffUpdate, HistoryProgress, Inbox, Message, NewAccount,
    Page, ProviderInfo, SendMessage, StartConversation, StoredMedia, SyncReport, Tag, TagInput,
};
// search
use inbox_core::{Draft, DraftInput, NewNote};
use inbox_core::{MessageWindow, SearchQuery, SearchResults};
// Template library.
use inbox_core::{LibraryTemplate, LibraryTemplateInput, TemplateImport, TemplateImportPreview};
// the contact panel, merges and CSV
use inbox_core::{
    ContactExport, ContactImport, ContactImportReport, ContactMerge, ContactProfile, ContactProfilePatch, MergeContacts,
};
use inbox_demo::Demo;
use tauri::{AppHandle, Runtime, State};

use crate::error::Error;
use crate::startup::Startup;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub(crate) async fn app_status(inbox: State<'_, Inbox>) -> Result<AppStatus> {
    Ok(inbox.status().await?)
}

#[tauri::command]
pub(crate) fn list_providers(inbox: State<'_, Inbox>) -> Vec<ProviderInfo> {
    inbox.list_providers()
}

#[tauri::command]
pub(crate) async fn list_accounts(inbox: State<'_, Inbox>) -> Result<Vec<Account>> {
    Ok(inbox.list_accounts().await?)
}

#[tauri::command]
pub(crate) async fn create_account(inbox: State<'_, Inbox>, account: NewAccount) -> Result<Account> {
    Ok(inbox.create_account(account).await?)
}

#[tauri::command]
pub(crate) async fn get_account(inbox: State<'_, Inbox>, id: String) -> Result<Account> {
    Ok(inbox.get_account(&id).await?)
}

#[tauri::command]
pub(crate) async fn update_account(inbox: State<'_, Inbox>, id: String, patch: AccountPatch) -> Result<Account> {
    Ok(inbox.update_account(&id, patch).await?)
}

#[tauri::command]
pub(crate) async fn delete_account(inbox: State<'_, Inbox>, id: String) -> Result<()> {
    Ok(inbox.delete_account(&id).await?)
}

#[tauri::command]
pub(crate) async fn test_account(inbox: State<'_, Inbox>, id: String) -> Result<ConnectionTest> {
    Ok(inbox.test_account(&id).await?)
}

#[tauri::command]
pub(crate) async fn test_new_account(inbox: State<'_, Inbox>, account: NewAccount) -> Result<ConnectionTest> {
    Ok(inbox.test_new_account(account).await?)
}

#[tauri::command]
pub(crate) async fn list_departments(inbox: State<'_, Inbox>, account_id: String) -> Result<Vec<Department>> {
    Ok(inbox.list_departments(&account_id).await?)
}

#[tauri::command]
pub(crate) async fn sync_account(inbox: State<'_, Inbox>, account_id: String) -> Result<SyncReport> {
    Ok(inbox.sync_account(&account_id).await?)
}

#[tauri::command]
pub(crate) async fn list_conversations(
    inbox: State<'_, Inbox>,
    filter: ConversationFilter,
) -> Result<Page<ConversationSummary>> {
    Ok(inbox.list_conversations(&filter).await?)
}

#[tauri::command]
pub(crate) async fn get_conversation(inbox: State<'_, Inbox>, id: String) -> Result<ConversationSummary> {
    Ok(inbox.get_conversation(&id).await?)
}

#[tauri::command]
pub(crate) async fn list_messages(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    cursor: Option<String>,
    limit: Option<u32>,
) -> Result<Page<Message>> {
    Ok(inbox.list_messages(&conversation_id, cursor.as_deref(), limit).await?)
}

// search
#[tauri::command]
pub(crate) async fn search(inbox: State<'_, Inbox>, query: SearchQuery) -> Result<SearchResults> {
    Ok(inbox.search(&query).await?)
}

#[tauri::command]
pub(crate) async fn messages_around(
    inbox: State<'_, Inbox>,
    message_id: String,
    limit: Option<u32>,
) -> Result<MessageWindow> {
    Ok(inbox.messages_around(&message_id, limit).await?)
}

#[tauri::command]
pub(crate) async fn list_newer_messages(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    cursor: Option<String>,
    limit: Option<u32>,
) -> Result<Page<Message>> {
    Ok(inbox.list_newer_messages(&conversation_id, cursor.as_deref(), limit).await?)
}

#[tauri::command]
pub(crate) async fn send_message(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    message: SendMessage,
) -> Result<Message> {
    Ok(inbox.send_message(&conversation_id, message).await?)
}

#[tauri::command]
pub(crate) async fn update_conversation(
    inbox: State<'_, Inbox>,
    id: String,
    patch: ConversationPatch,
) -> Result<ConversationSummary> {
    Ok(inbox.update_conversation(&id, &patch).await?)
}

#[tauri::command]
pub(crate) async fn mark_read(inbox: State<'_, Inbox>, id: String) -> Result<ConversationSummary> {
    Ok(inbox.mark_read(&id).await?)
}

#[tauri::command]
pub(crate) async fn start_conversation(
    inbox: State<'_, Inbox>,
    input: StartConversation,
) -> Result<ConversationSummary> {
    Ok(inbox.start_conversation(input).await?)
}

#[tauri::command]
pub(crate) async fn set_typing(inbox: State<'_, Inbox>, conversation_id: String, active: bool) -> Result<()> {
    Ok(inbox.set_typing(&conversation_id, active).await?)
}

#[tauri::command]
pub(crate) async fn update_handoff(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    update: HandoffUpdate,
) -> Result<()> {
    Ok(inbox.update_handoff(&conversation_id, update).await?)
}

#[tauri::command]
pub(crate) async fn reassign(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    user_id: String,
) -> Result<ConversationSummary> {
    Ok(inbox.reassign(&conversation_id, &user_id).await?)
}

#[tauri::command]
pub(crate) async fn refresh_conversation(
    inbox: State<'_, Inbox>,
    conversation_id: String,
) -> Result<ConversationSummary> {
    Ok(inbox.refresh_conversation(&conversation_id).await?)
}

#[tauri::command]
pub(crate) async fn import_history(inbox: State<'_, Inbox>, conversation_id: String) -> Result<HistoryProgress> {
    Ok(inbox.import_history(&conversation_id).await?)
}

#[tauri::command]
pub(crate) async fn delete_message(inbox: State<'_, Inbox>, message_id: String) -> Result<Message> {
    Ok(inbox.delete_message(&message_id).await?)
}

#[tauri::command]
pub(crate) async fn remove_reaction(inbox: State<'_, Inbox>, message_id: String) -> Result<Message> {
    Ok(inbox.remove_reaction(&message_id).await?)
}

// drafts and internal notes
#[tauri::command]
pub(crate) async fn get_draft(inbox: State<'_, Inbox>, conversation_id: String) -> Result<Option<Draft>> {
    Ok(inbox.get_draft(&conversation_id).await?)
}

#[tauri::command]
pub(crate) async fn save_draft(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    draft: DraftInput,
) -> Result<Option<Draft>> {
    Ok(inbox.save_draft(&conversation_id, draft).await?)
}

#[tauri::command]
pub(crate) async fn clear_draft(inbox: State<'_, Inbox>, conversation_id: String) -> Result<()> {
    Ok(inbox.clear_draft(&conversation_id).await?)
}

#[tauri::command]
pub(crate) async fn add_note(inbox: State<'_, Inbox>, conversation_id: String, note: NewNote) -> Result<Message> {
    Ok(inbox.add_note(&conversation_id, note).await?)
}

#[tauri::command]
pub(crate) async fn list_contacts(inbox: State<'_, Inbox>, filter: ContactFilter) -> Result<Page<Contact>> {
    Ok(inbox.list_contacts(&filter).await?)
}

#[tauri::command]
pub(crate) async fn get_contact(inbox: State<'_, Inbox>, id: String) -> Result<Contact> {
    Ok(inbox.get_contact(&id).await?)
}

#[tauri::command]
pub(crate) async fn update_contact(inbox: State<'_, Inbox>, id: String, patch: ContactPatch) -> Result<Contact> {
    Ok(inbox.update_contact(&id, patch).await?)
}

// ---- the contact panel, merges and CSV

#[tauri::command]
pub(crate) async fn get_contact_profile(inbox: State<'_, Inbox>, id: String) -> Result<ContactProfile> {
    Ok(inbox.get_contact_profile(&id).await?)
}

#[tauri::command]
pub(crate) async fn update_contact_profile(
    inbox: State<'_, Inbox>,
    id: String,
    patch: ContactProfilePatch,
) -> Result<ContactProfile> {
    Ok(inbox.update_contact_profile(&id, patch).await?)
}

#[tauri::command]
pub(crate) async fn merge_contacts(inbox: State<'_, Inbox>, merge: MergeContacts) -> Result<ContactMerge> {
    Ok(inbox.merge_contacts(merge).await?)
}

#[tauri::command]
pub(crate) async fn undo_contact_merge(inbox: State<'_, Inbox>, merge_id: String) -> Result<ContactMerge> {
    Ok(inbox.undo_contact_merge(&merge_id).await?)
}

#[tauri::command]
pub(crate) async fn import_contacts_csv(inbox: State<'_, Inbox>, import: ContactImport) -> Result<ContactImportReport> {
    Ok(inbox.import_contacts_csv(import).await?)
}

#[tauri::command]
pub(crate) async fn export_contacts_csv(inbox: State<'_, Inbox>, filter: ContactFilter) -> Result<ContactExport> {
    Ok(inbox.export_contacts_csv(&filter).await?)
}

#[tauri::command]
pub(crate) async fn list_tags(inbox: State<'_, Inbox>) -> Result<Vec<Tag>> {
    Ok(inbox.list_tags().await?)
}

#[tauri::command]
pub(crate) async fn create_tag(inbox: State<'_, Inbox>, tag: TagInput) -> Result<Tag> {
    Ok(inbox.create_tag(tag).await?)
}

#[tauri::command]
pub(crate) async fn update_tag(inbox: State<'_, Inbox>, id: String, tag: TagInput) -> Result<Tag> {
    Ok(inbox.update_tag(&id, tag).await?)
}

#[tauri::command]
pub(crate) async fn delete_tag(inbox: State<'_, Inbox>, id: String) -> Result<()> {
    Ok(inbox.delete_tag(&id).await?)
}

// Template library.
#[tauri::command]
pub(crate) async fn list_templates(inbox: State<'_, Inbox>, account_id: String) -> Result<Vec<LibraryTemplate>> {
    Ok(inbox.list_templates(&account_id).await?)
}

#[tauri::command]
pub(crate) async fn create_template(
    inbox: State<'_, Inbox>,
    account_id: String,
    template: LibraryTemplateInput,
) -> Result<LibraryTemplate> {
    Ok(inbox.create_template(&account_id, template).await?)
}

#[tauri::command]
pub(crate) async fn update_template(
    inbox: State<'_, Inbox>,
    id: String,
    template: LibraryTemplateInput,
) -> Result<LibraryTemplate> {
    Ok(inbox.update_template(&id, template).await?)
}

#[tauri::command]
pub(crate) async fn delete_template(inbox: State<'_, Inbox>, id: String) -> Result<()> {
    Ok(inbox.delete_template(&id).await?)
}

#[tauri::command]
pub(crate) async fn preview_template_import(
    inbox: State<'_, Inbox>,
    account_id: String,
    file: TemplateImport,
) -> Result<TemplateImportPreview> {
    Ok(inbox.preview_template_import(&account_id, file).await?)
}

#[tauri::command]
pub(crate) async fn import_templates(
    inbox: State<'_, Inbox>,
    account_id: String,
    file: TemplateImport,
) -> Result<Vec<LibraryTemplate>> {
    Ok(inbox.import_templates(&account_id, file).await?)
}

// canned responses, settings, long texts split into several messages

#[tauri::command]
pub(crate) async fn list_canned_responses(inbox: State<'_, Inbox>) -> Result<Vec<inbox_core::CannedResponse>> {
    Ok(inbox.list_canned_responses().await?)
}

#[tauri::command]
pub(crate) async fn create_canned_response(
    inbox: State<'_, Inbox>,
    canned: inbox_core::CannedResponseInput,
) -> Result<inbox_core::CannedResponse> {
    Ok(inbox.create_canned_response(canned).await?)
}

#[tauri::command]
pub(crate) async fn update_canned_response(
    inbox: State<'_, Inbox>,
    id: String,
    canned: inbox_core::CannedResponseInput,
) -> Result<inbox_core::CannedResponse> {
    Ok(inbox.update_canned_response(&id, canned).await?)
}

#[tauri::command]
pub(crate) async fn delete_canned_response(inbox: State<'_, Inbox>, id: String) -> Result<()> {
    Ok(inbox.delete_canned_response(&id).await?)
}

#[tauri::command]
pub(crate) async fn fill_canned_response(
    inbox: State<'_, Inbox>,
    id: String,
    conversation_id: String,
) -> Result<inbox_core::FilledCannedResponse> {
    Ok(inbox.fill_canned_response(&id, &conversation_id).await?)
}

#[tauri::command]
pub(crate) async fn get_settings(inbox: State<'_, Inbox>) -> Result<inbox_core::AppSettings> {
    Ok(inbox.get_settings().await?)
}

#[tauri::command]
pub(crate) async fn update_settings(
    inbox: State<'_, Inbox>,
    patch: inbox_core::AppSettingsPatch,
) -> Result<inbox_core::AppSettings> {
    Ok(inbox.update_settings(patch).await?)
}

#[tauri::command]
pub(crate) async fn send_split(
    inbox: State<'_, Inbox>,
    conversation_id: String,
    message: SendMessage,
) -> Result<Vec<Message>> {
    Ok(inbox.send_split(&conversation_id, message).await?)
}

#[tauri::command]
pub(crate) async fn start_demo(demo: State<'_, Demo>) -> Result<Account> {
    Ok(demo.start().await?)
}

#[tauri::command]
pub(crate) async fn simulate_inbound(demo: State<'_, Demo>) -> Result<()> {
    Ok(demo.simulate_inbound().await?)
}

// Files from disk: the file is the raw body of `upload_media`; its name (percent-encoded UTF-8),
// MIME type and conversation travel as the `x-media-name`, `x-media-type` and
// `x-conversation-id` headers. `media_content` answers the stored bytes raw.

#[tauri::command]
pub(crate) async fn upload_media(inbox: State<'_, Inbox>, request: tauri::ipc::Request<'_>) -> Result<StoredMedia> {
    let (bytes, name, mime, conversation) = upload_parts(&request)?;
    Ok(inbox.upload_media(bytes, &name, &mime, conversation.as_deref()).await?)
}

#[tauri::command]
pub(crate) async fn media_content(inbox: State<'_, Inbox>, id: String) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(inbox.media_content(&id).await?.1))
}

/// The bytes, name, type and conversation of an upload request.
fn upload_parts(
    request: &tauri::ipc::Request<'_>,
) -> std::result::Result<(Vec<u8>, String, String, Option<String>), inbox_core::Error> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        let max = inbox_core::media::human_size(inbox_core::media::MAX_UPLOAD_BYTES);
        return Err(inbox_core::Error::invalid(inbox_core::text!("media.body_unreadable", max = max)));
    };
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let name = inbox_core::media::decode_header_name(&header("x-media-name").unwrap_or_default());
    Ok((bytes.clone(), name, header("x-media-type").unwrap_or_default(), header("x-conversation-id")))
}

// The start-up screen: why the engine did not open, and what the agent can do about it.

#[tauri::command]
pub(crate) fn startup_failure(startup: State<'_, Startup>) -> Option<StartupFailure> {
    startup.0.clone()
}

#[tauri::command]
pub(crate) fn move_database_aside(startup: State<'_, Startup>) -> Result<String> {
    Ok(startup.move_database_aside()?.display().to_string())
}

#[tauri::command]
pub(crate) fn restart_app<R: Runtime>(app: AppHandle<R>, startup: State<'_, Startup>) -> Result<()> {
    startup.failure()?;
    app.restart()
}

#[tauri::command]
pub(crate) fn quit_app<R: Runtime>(app: AppHandle<R>, startup: State<'_, Startup>) -> Result<()> {
    startup.failure()?;
    app.exit(0);
    Ok(())
}
