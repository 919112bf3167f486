//! Agent Inbox's desktop shell: a window over the engine.
//!
//! Everything the app does lives in `inbox-core`; this crate opens the engine, exposes its
//! command set over IPC (`commands`), forwards its events to the window and raises native
//! notifications (`attention`). Configuration comes from the environment (`settings`).

mod attention;
mod commands;
mod error;
mod settings;

use std::sync::Arc;

use inbox_core::{Inbox, KeyringSecrets};
use inbox_demo::Demo;
use tauri::{Manager, Runtime};

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
        commands::send_message,
        commands::set_typing,
        commands::update_handoff,
        commands::reassign,
        commands::refresh_conversation,
        commands::import_history,
        commands::delete_message,
        commands::remove_reaction,
        commands::list_contacts,
        commands::get_contact,
        commands::update_contact,
        commands::list_tags,
        commands::create_tag,
        commands::update_tag,
        commands::delete_tag,
        commands::start_demo,
        commands::simulate_inbound,
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
            let settings = settings::Settings::from_env(app.path().app_data_dir()?);
            let (inbox, demo) = tauri::async_runtime::block_on(open_engine(&settings))?;
            app.manage(inbox.clone());
            app.manage(demo);
            attention::watch(app.handle().clone(), inbox);
            Ok(())
        })
        .on_window_event(attention::on_window_event)
        .run(tauri::generate_context!())
        .expect("error while running Agent Inbox");
}

async fn open_engine(settings: &settings::Settings) -> Result<(Inbox, Demo), inbox_core::Error> {
    let secrets = Arc::new(KeyringSecrets::new("agent-inbox"));
    let inbox = match Inbox::open(settings.engine_config(), secrets.clone()).await {
        Err(inbox_core::Error::Io(e))
            if e.kind() == std::io::ErrorKind::AddrInUse && !settings.webhook_listen_explicit =>
        {
            tracing::warn!(listen = %settings.webhook_listen, "webhook port in use; using a free port (registered webhook URLs will not reach this run)");
            let mut config = settings.engine_config();
            config.webhook_listen.set_port(0);
            Inbox::open(config, secrets).await?
        }
        other => other?,
    };
    let demo = Demo::new(inbox.clone());
    if settings.demo_when_empty {
        let has_real_account = inbox.list_accounts().await?.iter().any(|a| !a.demo);
        // A demo that cannot start must not keep the app from opening: the first-run screen
        // offers it again and shows why it failed.
        if !has_real_account && let Err(e) = demo.start().await {
            tracing::error!(error = %e, "the demo did not start");
        }
    }
    Ok((inbox, demo))
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use inbox_core::{Config, MemorySecrets};
    use serde_json::{Value, json};
    use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
    use tauri::webview::InvokeRequest;

    use super::*;

    async fn engine(dir: &tempfile::TempDir) -> Inbox {
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
        assert_eq!(declared.len(), 34);

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
        assert_eq!(missing, json!({"code": "not_found", "message": "conversation not found"}));
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
        assert_eq!(missing, json!({"code": "not_found", "message": "account not found"}));

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
}
