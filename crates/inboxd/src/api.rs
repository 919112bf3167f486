//! The command set as HTTP routes. Each handler is a thin call into the engine.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use futures_util::{Stream, StreamExt};
use inbox_core::{
    AccountPatch, ContactFilter, ContactPatch, ConversationFilter, ConversationPatch, HandoffUpdate, NewAccount,
    SendMessage, StartConversation, TagInput,
};
use serde::Deserialize;
// Template library.
use inbox_core::{LibraryTemplate, LibraryTemplateInput, TemplateImport};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::{ApiError, AppState};

type ApiResult<T> = Result<Json<T>, ApiError>;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/providers", get(list_providers))
        .route("/api/accounts", get(list_accounts).post(create_account))
        .route("/api/accounts/test", post(test_new_account))
        .route("/api/accounts/{id}", get(get_account).patch(update_account).delete(delete_account))
        .route("/api/accounts/{id}/test", post(test_account))
        .route("/api/accounts/{id}/departments", get(list_departments))
        .route("/api/accounts/{id}/sync", post(sync_account))
        .route("/api/conversations", get(list_conversations).post(start_conversation))
        .route("/api/conversations/{id}", get(get_conversation).patch(update_conversation))
        .route("/api/conversations/{id}/messages", get(list_messages).post(send_message))
        .route("/api/conversations/{id}/read", post(mark_read))
        .route("/api/conversations/{id}/typing", post(set_typing))
        .route("/api/conversations/{id}/handoff", post(update_handoff))
        .route("/api/conversations/{id}/reassign", post(reassign))
        .route("/api/conversations/{id}/refresh", post(refresh_conversation))
        .route("/api/conversations/{id}/history/import", post(import_history))
        // drafts and internal notes
        .route("/api/conversations/{id}/draft", get(get_draft).put(save_draft).delete(clear_draft))
        .route("/api/conversations/{id}/notes", post(add_note))
        .route("/api/messages/{id}", delete(delete_message))
        .route("/api/messages/{id}/reaction", delete(remove_reaction))
        .route("/api/contacts", get(list_contacts))
        .route("/api/contacts/{id}", get(get_contact).patch(update_contact))
        // the contact panel, merges and CSV
        .route("/api/contacts/{id}/profile", get(get_contact_profile).patch(update_contact_profile))
        .route("/api/contacts/merge", post(merge_contacts))
        .route("/api/contacts/merges/{id}/undo", post(undo_contact_merge))
        .route(
            "/api/contacts/import",
            post(import_contacts_csv)
                .layer(axum::extract::DefaultBodyLimit::max(inbox_core::MAX_CSV_BYTES + 64 * 1024)),
        )
        .route("/api/contacts/export", get(export_contacts_csv))
        .route("/api/tags", get(list_tags).post(create_tag))
        .route("/api/tags/{id}", axum::routing::patch(update_tag).delete(delete_tag))
        // search
        .route("/api/search", get(search))
        .route("/api/messages/{id}/around", get(messages_around))
        .route("/api/conversations/{id}/messages/newer", get(list_newer_messages))
        // Template library.
        .route("/api/accounts/{id}/templates", get(list_templates).post(create_template))
        .route("/api/accounts/{id}/templates/import/preview", post(preview_template_import))
        .route("/api/accounts/{id}/templates/import", post(import_templates))
        .route("/api/templates/{id}", axum::routing::put(update_template).delete(delete_template))
        // canned responses, settings, long texts split into several messages
        .route("/api/canned-responses", get(list_canned_responses).post(create_canned_response))
        .route(
            "/api/canned-responses/{id}",
            axum::routing::patch(update_canned_response).delete(delete_canned_response),
        )
        .route("/api/canned-responses/{id}/fill", get(fill_canned_response))
        .route("/api/settings", get(get_settings).patch(update_settings))
        .route("/api/conversations/{id}/messages/split", post(send_split))
        .route("/api/demo", post(start_demo))
        .route("/api/demo/inbound", post(simulate_inbound))
        .route("/api/events", get(events))
        // Files from disk: upload (raw body) and read back a stored file.
        .route("/api/media", post(upload_media).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
        .route("/api/media/{id}", get(media_content))
}

type Body<T> = Result<Json<T>, JsonRejection>;

async fn status(State(s): State<AppState>) -> ApiResult<inbox_core::AppStatus> {
    Ok(Json(s.inbox.status().await?))
}

async fn list_providers(State(s): State<AppState>) -> ApiResult<Vec<inbox_core::ProviderInfo>> {
    Ok(Json(s.inbox.list_providers()))
}

async fn list_accounts(State(s): State<AppState>) -> ApiResult<Vec<inbox_core::Account>> {
    Ok(Json(s.inbox.list_accounts().await?))
}

async fn create_account(State(s): State<AppState>, body: Body<NewAccount>) -> Result<impl IntoResponse, ApiError> {
    let Json(new) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.create_account(new).await?)))
}

async fn get_account(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::Account> {
    Ok(Json(s.inbox.get_account(&id).await?))
}

async fn update_account(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<AccountPatch>,
) -> ApiResult<inbox_core::Account> {
    let Json(patch) = body?;
    Ok(Json(s.inbox.update_account(&id, patch).await?))
}

async fn delete_account(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.inbox.delete_account(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn test_account(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::ConnectionTest> {
    Ok(Json(s.inbox.test_account(&id).await?))
}

async fn test_new_account(State(s): State<AppState>, body: Body<NewAccount>) -> ApiResult<inbox_core::ConnectionTest> {
    let Json(new) = body?;
    Ok(Json(s.inbox.test_new_account(new).await?))
}

async fn list_departments(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Vec<inbox_core::Department>> {
    Ok(Json(s.inbox.list_departments(&id).await?))
}

async fn sync_account(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::SyncReport> {
    Ok(Json(s.inbox.sync_account(&id).await?))
}

async fn list_conversations(
    State(s): State<AppState>,
    query: Result<Query<ConversationFilter>, QueryRejection>,
) -> ApiResult<inbox_core::Page<inbox_core::ConversationSummary>> {
    let Query(filter) = query?;
    Ok(Json(s.inbox.list_conversations(&filter).await?))
}

async fn start_conversation(
    State(s): State<AppState>,
    body: Body<StartConversation>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.start_conversation(input).await?)))
}

async fn get_conversation(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<inbox_core::ConversationSummary> {
    Ok(Json(s.inbox.get_conversation(&id).await?))
}

async fn update_conversation(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<ConversationPatch>,
) -> ApiResult<inbox_core::ConversationSummary> {
    let Json(patch) = body?;
    Ok(Json(s.inbox.update_conversation(&id, &patch).await?))
}

#[derive(Deserialize)]
struct PageQuery {
    cursor: Option<String>,
    limit: Option<u32>,
}

async fn list_messages(
    State(s): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<inbox_core::Page<inbox_core::Message>> {
    let Query(page) = query?;
    Ok(Json(s.inbox.list_messages(&id, page.cursor.as_deref(), page.limit).await?))
}

async fn send_message(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<SendMessage>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(message) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.send_message(&id, message).await?)))
}

async fn mark_read(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::ConversationSummary> {
    Ok(Json(s.inbox.mark_read(&id).await?))
}

#[derive(Deserialize)]
struct TypingBody {
    active: bool,
}

async fn set_typing(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<TypingBody>,
) -> Result<StatusCode, ApiError> {
    let Json(TypingBody { active }) = body?;
    s.inbox.set_typing(&id, active).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn update_handoff(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<HandoffUpdate>,
) -> Result<StatusCode, ApiError> {
    let Json(update) = body?;
    s.inbox.update_handoff(&id, update).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ReassignBody {
    user_id: String,
}

async fn reassign(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<ReassignBody>,
) -> ApiResult<inbox_core::ConversationSummary> {
    let Json(ReassignBody { user_id }) = body?;
    Ok(Json(s.inbox.reassign(&id, &user_id).await?))
}

async fn refresh_conversation(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<inbox_core::ConversationSummary> {
    Ok(Json(s.inbox.refresh_conversation(&id).await?))
}

async fn import_history(State(s): State<AppState>, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::ACCEPTED, Json(s.inbox.import_history(&id).await?)))
}

async fn delete_message(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::Message> {
    Ok(Json(s.inbox.delete_message(&id).await?))
}

async fn remove_reaction(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::Message> {
    Ok(Json(s.inbox.remove_reaction(&id).await?))
}

// search
async fn search(
    State(s): State<AppState>,
    query: Result<Query<inbox_core::SearchQuery>, QueryRejection>,
) -> ApiResult<inbox_core::SearchResults> {
    let Query(q) = query?;
    Ok(Json(s.inbox.search(&q).await?))
}

#[derive(Deserialize)]
struct WindowQuery {
    limit: Option<u32>,
}

async fn messages_around(
    State(s): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<WindowQuery>, QueryRejection>,
) -> ApiResult<inbox_core::MessageWindow> {
    let Query(q) = query?;
    Ok(Json(s.inbox.messages_around(&id, q.limit).await?))
}

async fn list_newer_messages(
    State(s): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<inbox_core::Page<inbox_core::Message>> {
    let Query(page) = query?;
    Ok(Json(s.inbox.list_newer_messages(&id, page.cursor.as_deref(), page.limit).await?))
}

// drafts and internal notes
async fn get_draft(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Option<inbox_core::Draft>> {
    Ok(Json(s.inbox.get_draft(&id).await?))
}

async fn save_draft(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<inbox_core::DraftInput>,
) -> ApiResult<Option<inbox_core::Draft>> {
    let Json(draft) = body?;
    Ok(Json(s.inbox.save_draft(&id, draft).await?))
}

async fn clear_draft(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.inbox.clear_draft(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_note(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<inbox_core::NewNote>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(note) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.add_note(&id, note).await?)))
}

async fn list_contacts(
    State(s): State<AppState>,
    query: Result<Query<ContactFilter>, QueryRejection>,
) -> ApiResult<inbox_core::Page<inbox_core::Contact>> {
    let Query(filter) = query?;
    Ok(Json(s.inbox.list_contacts(&filter).await?))
}

async fn get_contact(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::Contact> {
    Ok(Json(s.inbox.get_contact(&id).await?))
}

async fn update_contact(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<ContactPatch>,
) -> ApiResult<inbox_core::Contact> {
    let Json(patch) = body?;
    Ok(Json(s.inbox.update_contact(&id, patch).await?))
}

// ---- the contact panel, merges and CSV

async fn get_contact_profile(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<inbox_core::ContactProfile> {
    Ok(Json(s.inbox.get_contact_profile(&id).await?))
}

async fn update_contact_profile(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<inbox_core::ContactProfilePatch>,
) -> ApiResult<inbox_core::ContactProfile> {
    let Json(patch) = body?;
    Ok(Json(s.inbox.update_contact_profile(&id, patch).await?))
}

async fn merge_contacts(
    State(s): State<AppState>,
    body: Body<inbox_core::MergeContacts>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.merge_contacts(input).await?)))
}

async fn undo_contact_merge(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::ContactMerge> {
    Ok(Json(s.inbox.undo_contact_merge(&id).await?))
}

async fn import_contacts_csv(
    State(s): State<AppState>,
    body: Body<inbox_core::ContactImport>,
) -> ApiResult<inbox_core::ContactImportReport> {
    let Json(input) = body?;
    Ok(Json(s.inbox.import_contacts_csv(input).await?))
}

async fn export_contacts_csv(
    State(s): State<AppState>,
    query: Result<Query<ContactFilter>, QueryRejection>,
) -> ApiResult<inbox_core::ContactExport> {
    let Query(filter) = query?;
    Ok(Json(s.inbox.export_contacts_csv(&filter).await?))
}

async fn list_tags(State(s): State<AppState>) -> ApiResult<Vec<inbox_core::Tag>> {
    Ok(Json(s.inbox.list_tags().await?))
}

async fn create_tag(State(s): State<AppState>, body: Body<TagInput>) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.create_tag(input).await?)))
}

async fn update_tag(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<TagInput>,
) -> ApiResult<inbox_core::Tag> {
    let Json(input) = body?;
    Ok(Json(s.inbox.update_tag(&id, input).await?))
}

async fn delete_tag(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.inbox.delete_tag(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Template library.
async fn list_templates(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Vec<LibraryTemplate>> {
    Ok(Json(s.inbox.list_templates(&id).await?))
}

async fn create_template(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<LibraryTemplateInput>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.create_template(&id, input).await?)))
}

async fn update_template(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<LibraryTemplateInput>,
) -> ApiResult<LibraryTemplate> {
    let Json(input) = body?;
    Ok(Json(s.inbox.update_template(&id, input).await?))
}

async fn delete_template(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.inbox.delete_template(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn preview_template_import(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<TemplateImport>,
) -> ApiResult<inbox_core::TemplateImportPreview> {
    let Json(input) = body?;
    Ok(Json(s.inbox.preview_template_import(&id, input).await?))
}

async fn import_templates(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<TemplateImport>,
) -> ApiResult<Vec<LibraryTemplate>> {
    let Json(input) = body?;
    Ok(Json(s.inbox.import_templates(&id, input).await?))
}

// canned responses, settings, long texts split into several messages

async fn list_canned_responses(State(s): State<AppState>) -> ApiResult<Vec<inbox_core::CannedResponse>> {
    Ok(Json(s.inbox.list_canned_responses().await?))
}

async fn create_canned_response(
    State(s): State<AppState>,
    body: Body<inbox_core::CannedResponseInput>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.create_canned_response(input).await?)))
}

async fn update_canned_response(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<inbox_core::CannedResponseInput>,
) -> ApiResult<inbox_core::CannedResponse> {
    let Json(input) = body?;
    Ok(Json(s.inbox.update_canned_response(&id, input).await?))
}

async fn delete_canned_response(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.inbox.delete_canned_response(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct FillQuery {
    conversation_id: String,
}

async fn fill_canned_response(
    State(s): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<FillQuery>, QueryRejection>,
) -> ApiResult<inbox_core::FilledCannedResponse> {
    let Query(q) = query?;
    Ok(Json(s.inbox.fill_canned_response(&id, &q.conversation_id).await?))
}

async fn get_settings(State(s): State<AppState>) -> ApiResult<inbox_core::AppSettings> {
    Ok(Json(s.inbox.get_settings().await?))
}

async fn update_settings(
    State(s): State<AppState>,
    body: Body<inbox_core::AppSettingsPatch>,
) -> ApiResult<inbox_core::AppSettings> {
    let Json(patch) = body?;
    Ok(Json(s.inbox.update_settings(patch).await?))
}

async fn send_split(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Body<SendMessage>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(message) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.send_split(&id, message).await?)))
}

#[cfg(feature = "demo")]
async fn start_demo(State(s): State<AppState>) -> ApiResult<inbox_core::Account> {
    Ok(Json(s.demo.start().await?))
}

#[cfg(feature = "demo")]
async fn simulate_inbound(State(s): State<AppState>) -> Result<StatusCode, ApiError> {
    s.demo.simulate_inbound().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(not(feature = "demo"))]
async fn start_demo() -> Result<StatusCode, ApiError> {
    Err(inbox_core::Error::NotSupported(inbox_core::text!("api.no_demo")).into())
}

#[cfg(not(feature = "demo"))]
async fn simulate_inbound() -> Result<StatusCode, ApiError> {
    Err(inbox_core::Error::NotSupported(inbox_core::text!("api.no_demo")).into())
}

/// The engine's events as SSE, named `inbox`. A subscriber too slow to keep up gets a `resync`
/// event and should reload what it shows.
async fn events(State(s): State<AppState>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let stream = BroadcastStream::new(s.inbox.subscribe()).map(|item| {
        Ok(match item {
            Ok(event) => match SseEvent::default().event("inbox").json_data(&event) {
                Ok(sse) => sse,
                Err(e) => {
                    tracing::error!(error = %e, "an event did not serialize");
                    SseEvent::default().event("resync").data("{}")
                }
            },
            Err(BroadcastStreamRecvError::Lagged(missed)) => {
                tracing::warn!(missed, "an event subscriber fell behind");
                SseEvent::default().event("resync").data("{}")
            }
        })
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

// Files from disk

/// Read whole up to this size, so a file just over the engine's limit gets its clear refusal.
const UPLOAD_BODY_LIMIT: usize = inbox_core::media::MAX_UPLOAD_BYTES as usize + 1024 * 1024;

#[derive(Deserialize)]
struct UploadQuery {
    /// The file's name.
    name: String,
    /// Checks the provider's limits of this conversation before storing.
    conversation_id: Option<String>,
}

/// `POST /api/media?name=&conversation_id=`: the body is the file, its `Content-Type` the MIME type.
async fn upload_media(
    State(s): State<AppState>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(q) = query?;
    let body = body.map_err(|_| {
        let max = inbox_core::media::human_size(inbox_core::media::MAX_UPLOAD_BYTES);
        inbox_core::Error::invalid(inbox_core::text!("media.body_unreadable", max = max))
    })?;
    let mime = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let stored = s.inbox.upload_media(body.to_vec(), &q.name, mime, q.conversation_id.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `GET /api/media/{id}`: a stored file's bytes, with its type.
async fn media_content(State(s): State<AppState>, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let (media, bytes) = s.inbox.media_content(&id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, media.mime_type)], bytes))
}
