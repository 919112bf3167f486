/// The commands the UI may call; each gets an `allow-<name>` permission that
/// `capabilities/default.json` grants explicitly.
const COMMANDS: &[&str] = &[
    "app_status",
    "list_providers",
    "list_accounts",
    "create_account",
    "get_account",
    "update_account",
    "delete_account",
    "test_account",
    "test_new_account",
    "list_departments",
    "sync_account",
    "list_conversations",
    "get_conversation",
    "start_conversation",
    "update_conversation",
    "mark_read",
    "list_messages",
    // search
    "search",
    "messages_around",
    "list_newer_messages",
    "send_message",
    "set_typing",
    "update_handoff",
    "reassign",
    "refresh_conversation",
    "import_history",
    "delete_message",
    "remove_reaction",
    // drafts and internal notes
    "get_draft",
    "save_draft",
    "clear_draft",
    "add_note",
    "list_contacts",
    "get_contact",
    "update_contact",
    // the contact panel, merges and CSV
    "get_contact_profile",
    "update_contact_profile",
    "merge_contacts",
    "undo_contact_merge",
    "import_contacts_csv",
    "export_contacts_csv",
    "list_tags",
    "create_tag",
    "update_tag",
    "delete_tag",
    // Template library.
    "list_templates",
    "create_template",
    "update_template",
    "delete_template",
    "preview_template_import",
    "import_templates",
    // canned responses, settings, long texts split into several messages
    "list_canned_responses",
    "create_canned_response",
    "update_canned_response",
    "delete_canned_response",
    "fill_canned_response",
    "get_settings",
    "update_settings",
    "send_split",
    "start_demo",
    "simulate_inbound",
    // Files from disk
    "upload_media",
    "media_content",
    "startup_failure",
    "move_database_aside",
    "restart_app",
    "quit_app",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
