//! The command set over Tauri IPC: each command is one call into the engine.

use inbox_core::{
    Account, AppStatus, ConversationFilter, ConversationPatch, ConversationSummary, Inbox, Message, NewAccount, Page,
    SendMessage,
};
use tauri::State;

use crate::error::Error;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub(crate) async fn app_status(inbox: State<'_, Inbox>) -> Result<AppStatus> {
    Ok(inbox.status().await?)
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
pub(crate) async fn start_demo(inbox: State<'_, Inbox>) -> Result<Account> {
    Ok(inbox.start_demo().await?)
}

#[tauri::command]
pub(crate) async fn simulate_inbound(inbox: State<'_, Inbox>) -> Result<()> {
    Ok(inbox.simulate_inbound().await?)
}
