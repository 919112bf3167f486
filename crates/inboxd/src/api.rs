//! The command set as HTTP routes. Each handler is a thin call into the engine.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{Stream, StreamExt};
use inbox_core::{ConversationFilter, ConversationPatch, NewAccount, SendMessage};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::{ApiError, AppState};

type ApiResult<T> = Result<Json<T>, ApiError>;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/accounts", get(list_accounts).post(create_account))
        .route("/api/conversations", get(list_conversations))
        .route("/api/conversations/{id}", get(get_conversation).patch(update_conversation))
        .route("/api/conversations/{id}/messages", get(list_messages).post(send_message))
        .route("/api/conversations/{id}/read", post(mark_read))
        .route("/api/demo", post(start_demo))
        .route("/api/demo/inbound", post(simulate_inbound))
        .route("/api/events", get(events))
}

async fn status(State(s): State<AppState>) -> ApiResult<inbox_core::AppStatus> {
    Ok(Json(s.inbox.status().await?))
}

async fn list_accounts(State(s): State<AppState>) -> ApiResult<Vec<inbox_core::Account>> {
    Ok(Json(s.inbox.list_accounts().await?))
}

async fn create_account(
    State(s): State<AppState>,
    body: Result<Json<NewAccount>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(new) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.create_account(new).await?)))
}

async fn list_conversations(
    State(s): State<AppState>,
    query: Result<Query<ConversationFilter>, QueryRejection>,
) -> ApiResult<inbox_core::Page<inbox_core::ConversationSummary>> {
    let Query(filter) = query?;
    Ok(Json(s.inbox.list_conversations(&filter).await?))
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
    body: Result<Json<ConversationPatch>, JsonRejection>,
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
    body: Result<Json<SendMessage>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(message) = body?;
    Ok((StatusCode::CREATED, Json(s.inbox.send_message(&id, message).await?)))
}

async fn mark_read(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<inbox_core::ConversationSummary> {
    Ok(Json(s.inbox.mark_read(&id).await?))
}

#[cfg(feature = "demo")]
async fn start_demo(State(s): State<AppState>) -> ApiResult<inbox_core::Account> {
    Ok(Json(s.inbox.start_demo().await?))
}

#[cfg(feature = "demo")]
async fn simulate_inbound(State(s): State<AppState>) -> Result<StatusCode, ApiError> {
    s.inbox.simulate_inbound().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(not(feature = "demo"))]
async fn start_demo() -> Result<StatusCode, ApiError> {
    Err(inbox_core::Error::Unsupported("this inboxd was built without the demo".into()).into())
}

#[cfg(not(feature = "demo"))]
async fn simulate_inbound() -> Result<StatusCode, ApiError> {
    Err(inbox_core::Error::Unsupported("this inboxd was built without the demo".into()).into())
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
