//! Agent Inbox's desktop shell: a window over the engine.
//!
//! Everything the app does lives in `inbox-core`; this crate opens the engine, exposes its
//! command set over IPC (`commands`), forwards its events to the window and raises native
//! notifications (`attention`). Configuration comes from the environment (`settings`). When the
//! engine cannot open, the window shows why instead of the app exiting (`startup`).

mod attention;
mod commands;
mod error;
mod settings;
mod startup;

use tauri::Runtime;

/// Registers the command set on a builder (the real one, or the mock runtime's in tests).
fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_status,
        commands::list_providers,
        commands::list_accounts,
        commands::create_account,
        commands::get_account,
        commands::update_account,
        commands::delete_account,
        commands::test_account,
        commands::test_new_account,
        commands::list_departments,
        commands::sync_account,
        commands::list_conversations,
        commands::get_conversation,
        commands::start_conversation,
        commands::update_conversation,
        commands::mark_read,
        commands::list_messages,
        // search
        commands::search,
        commands::messages_around,
        commands::list_newer_messages,
        commands::send_message,
        commands::set_typing,
        commands::update_handoff,
        commands::reassign,
        commands::refresh_conversation,
        commands::import_history,
        commands::delete_message,
        commands::remove_reaction,
        // drafts and internal notes
        commands::get_draft,
        commands::save_draft,
        commands::clear_draft,
        commands::add_note,
        commands::list_contacts,
        commands::get_contact,
        commands::update_contact,
        // the contact panel, merges and CSV
        commands::get_contact_profile,
        commands::update_contact_profile,
        commands::merge_contacts,
        commands::undo_contact_merge,
        commands::import_contacts_csv,
        commands::export_contacts_csv,
        commands::list_tags,
        commands::create_tag,
        commands::update_tag,
        commands::delete_tag,
        // Template library.
        commands::list_templates,
        commands::create_template,
        commands::update_template,
        commands::delete_template,
        commands::preview_template_import,
        commands::import_templates,
        // canned responses, settings, long texts split into several messages
        commands::list_canned_responses,
        commands::create_canned_response,
        commands::update_canned_response,
        commands::delete_canned_response,
        commands::fill_canned_response,
        commands::get_settings,
        commands::update_settings,
        commands::send_split,
        commands::start_demo,
        commands::simulate_inbound,
        // Files from disk
        commands::upload_media,
        commands::media_content,
        commands::startup_failure,
        commands::move_database_aside,
        commands::restart_app,
        commands::quit_app,
    ])
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            startup::open(app);
            Ok(())
        })
        .on_window_event(attention::on_window_event)
        .run(tauri::generate_context!())
        .expect("error while running Agent Inbox");
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use inbox_core::open_failure::StartupFailure;
    use inbox_core::{Config, Inbox, MemorySecrets};
    use inbox_demo::Demo;
    use serde_json::{Value, json};
    use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
    use tauri::webview::InvokeRequest;

    use super::*;

    pub(crate) async fn engine(dir: &tempfile::TempDir) -> Inbox {
        let config = Config {
            database: dir.path().join("inbox.db"),
            webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
        };
        Inbox::open(config, Arc::new(MemorySecrets::default())).await.unwrap()
    }

    fn call(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: body.into(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(webview, request).map(|b| b.deserialize::<Value>().unwrap())
    }

    /// The command list in build.rs, the commands defined and the permissions granted agree: each
    /// command has exactly its own `allow-<name>` and nothing else is allowed.
    #[test]
    fn every_command_is_declared_and_granted_by_name() {
        let build = include_str!("../build.rs");
        let list = &build[build.find("const COMMANDS").unwrap()..];
        let declared: Vec<&str> = list[..list.find("];").unwrap()].split('"').skip(1).step_by(2).collect();
        let defined: Vec<&str> = include_str!("commands.rs")
            .split("#[tauri::command]")
            .skip(1)
            .map(|item| {
                let name = &item[item.find("fn ").unwrap() + 3..];
                &name[..name.find(['(', '<']).unwrap()]
            })
            .collect();
        let mut sorted = declared.clone();
        sorted.sort_unstable();
        let mut defined_sorted = defined.clone();
        defined_sorted.sort_unstable();
        assert_eq!(sorted, defined_sorted, "build.rs COMMANDS and commands.rs");
        assert_eq!(declared.len(), 67);

        let capability: Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .collect();
        let expected: Vec<String> = declared.iter().map(|c| c.replace('_', "-")).collect();
        assert_eq!(granted, expected, "capabilities/default.json grants each command by name, in order");
    }

    #[test]
    fn commands_reach_the_engine_and_errors_carry_codes() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let inbox = rt.block_on(engine(&dir));
        let sim = rt.block_on(async { inbox_sim::Simulator::start(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap() });
        let demo = Demo::new(inbox.clone());
        let app = with_commands(mock_builder()).manage(inbox).manage(demo).build(mock_context(noop_assets())).unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

        let status = call(&webview, "app_status", json!({})).unwrap();
        assert_eq!(status["accounts"], 0);

        let created = call(
            &webview,
            "create_account",
            json!({"account": {"provider": "mconnect", "name": "Loja", "settings": {
                "base_url": sim.mconnect_url(), "number": "5511900004444", "company": "acme", "username": "ana"}}}),
        )
        .unwrap();
        assert!(created["webhook_url"].as_str().unwrap().contains("/webhooks/mconnect/"));
        assert_eq!(call(&webview, "list_accounts", json!({})).unwrap().as_array().unwrap().len(), 1);

        let page = call(&webview, "list_conversations", json!({"filter": {"status": "open"}})).unwrap();
        assert_eq!(page["items"], json!([]));

        let missing = call(&webview, "list_messages", json!({"conversationId": "nope"})).unwrap_err();
        assert_eq!(
            missing,
            json!({"code": "not_found", "message": "conversation not found", "key": "conversation.not_found", "params": {}})
        );
        let invalid =
            call(&webview, "create_account", json!({"account": {"provider": "mconnect", "name": "", "settings": {}}}))
                .unwrap_err();
        assert_eq!(invalid["code"], "invalid_input");
        let no_demo = call(&webview, "simulate_inbound", json!({})).unwrap_err();
        assert_eq!(no_demo["code"], "unsupported");

        let providers = call(&webview, "list_providers", json!({})).unwrap();
        let ids: Vec<_> = providers.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["mconnect", "zchat", "omnize", "cirrus", "wegly"]);
        assert_eq!(providers[0]["fields"][0]["key"], "base_url");

        let id = created["id"].as_str().unwrap();
        assert_eq!(call(&webview, "get_account", json!({"id": id})).unwrap()["name"], "Loja");
        let renamed = call(&webview, "update_account", json!({"id": id, "patch": {"name": "Loja Centro"}})).unwrap();
        assert_eq!(renamed["name"], "Loja Centro");
        let missing = call(&webview, "get_account", json!({"id": "nope"})).unwrap_err();
        assert_eq!(
            missing,
            json!({"code": "not_found", "message": "account not found", "key": "account.not_found", "params": {}})
        );

        // Top-level parameters arrive camelCased from JS; the structures inside keep their own names.
        let started = call(
            &webview,
            "start_conversation",
            json!({"input": {"account_id": id, "to": "5511987650004",
                   "message": {"kind": "text", "body": "Olá"}}}),
        )
        .unwrap();
        assert_eq!(started["title"], "+5511987650004");
        let no_message =
            call(&webview, "start_conversation", json!({"input": {"account_id": id, "to": "5511987650005"}}))
                .unwrap_err();
        assert_eq!(no_message["code"], "invalid_input");
        let no_typing =
            call(&webview, "set_typing", json!({"conversationId": started["id"], "active": true})).unwrap_err();
        assert_eq!(no_typing["code"], "unsupported");
        assert!(call(&webview, "delete_account", json!({"id": id})).unwrap().is_null());
        assert_eq!(call(&webview, "list_accounts", json!({})).unwrap(), json!([]));
    }

    /// Without an engine the window still answers: it learns why, and may move a damaged
    /// database aside; the engine's commands fail instead of the app exiting.
    #[test]
    fn a_failed_start_is_reported_and_a_damaged_database_moved_aside() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            database: dir.path().join("inbox.db"),
            webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
        };
        std::fs::write(&config.database, "not a database at all ".repeat(40)).unwrap();
        let error = rt.block_on(Inbox::open(config.clone(), Arc::new(MemorySecrets::default()))).err().unwrap();
        let failure = StartupFailure::classify(&error, &config);
        let app = with_commands(mock_builder())
            .manage(startup::Startup(Some(failure)))
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

        let shown = call(&webview, "startup_failure", json!({})).unwrap();
        assert_eq!(shown["kind"], "corrupt_database");
        assert_eq!(shown["path"], config.database.display().to_string());
        assert!(shown["detail"].as_str().unwrap().contains("not a database"), "{shown}");
        assert!(call(&webview, "app_status", json!({})).is_err());

        let moved = call(&webview, "move_database_aside", json!({})).unwrap();
        let moved = std::path::PathBuf::from(moved.as_str().unwrap());
        assert_eq!(moved.parent(), config.database.parent());
        assert!(moved.file_name().unwrap().to_str().unwrap().starts_with("inbox.db.damaged-"));
        assert_eq!(std::fs::read_to_string(&moved).unwrap(), "not a database at all ".repeat(40));
        assert!(!config.database.exists());
        // The engine now opens on a fresh database in the same place.
        let inbox = rt.block_on(Inbox::open(config.clone(), Arc::new(MemorySecrets::default()))).unwrap();
        rt.block_on(inbox.shutdown());
    }

    /// The start-up screen's actions do nothing to an app whose engine opened, and a database
    /// that is not damaged is never moved.
    #[test]
    fn start_up_actions_refuse_when_there_is_nothing_to_act_on() {
        let app =
            with_commands(mock_builder()).manage(startup::Startup(None)).build(mock_context(noop_assets())).unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        assert_eq!(call(&webview, "startup_failure", json!({})).unwrap(), Value::Null);
        for cmd in ["move_database_aside", "restart_app", "quit_app"] {
            assert_eq!(call(&webview, cmd, json!({})).unwrap_err()["code"], "unsupported", "{cmd}");
        }

        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("inbox.db");
        std::fs::write(&database, "a database from a newer version").unwrap();
        let newer = StartupFailure {
            kind: inbox_core::open_failure::FailureKind::NewerDatabase,
            path: Some(database.clone()),
            detail: "migration 99991231000000 was previously applied but is missing".into(),
        };
        let refused = startup::Startup(Some(newer)).move_database_aside().unwrap_err();
        assert_eq!(refused.code(), "unsupported");
        assert!(database.exists());
    }
}
