/// The commands the UI may call; each gets an `allow-<name>` permission that
/// `capabilities/default.json` grants explicitly.
const COMMANDS: &[&str] = &[
    "app_status",
    "list_accounts",
    "create_account",
    "list_conversations",
    "get_conversation",
    "list_messages",
    "send_message",
    "update_conversation",
    "mark_read",
    "start_demo",
    "simulate_inbound",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
