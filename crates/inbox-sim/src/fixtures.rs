//! The provider documents' examples, kept as files under `fixtures/` and
//! embedded here so other crates' tests can use them without path juggling.

/// mConnect OmniChannel WhatsApp examples (`fixtures/mconnect/`).
///
/// Values are verbatim from the provider document (masked numbers included);
/// only the line markers were stripped and wrapped URLs rejoined.
pub mod mconnect {
    /// `setWebHook` request.
    pub const SET_WEBHOOK: &str = include_str!("../fixtures/mconnect/set_webhook.json");
    /// `sendWhatsappText` request to a customer.
    pub const SEND_TEXT: &str = include_str!("../fixtures/mconnect/send_text.json");
    /// Answer to a successful text send.
    pub const SEND_TEXT_SUCCESS: &str = include_str!("../fixtures/mconnect/send_text_success.json");
    /// Answer to a failed text send.
    pub const SEND_TEXT_FAILURE: &str = include_str!("../fixtures/mconnect/send_text_failure.json");
    /// `sendWhatsappFile` request.
    pub const SEND_FILE: &str = include_str!("../fixtures/mconnect/send_file.json");
    /// Answer to a successful file send, exactly as published: NOT valid JSON
    /// (trailing comma, no `result`).
    pub const SEND_FILE_SUCCESS: &str = include_str!("../fixtures/mconnect/send_file_success.txt");
    /// Answer to a failed file send.
    pub const SEND_FILE_FAILURE: &str = include_str!("../fixtures/mconnect/send_file_failure.json");
    /// `sendWhatsappText` reply to a group (`is_group` "1", `from` is the group id).
    pub const GROUP_REPLY: &str = include_str!("../fixtures/mconnect/group_reply.json");
    /// Webhook: customer text message.
    pub const INBOUND_TEXT: &str = include_str!("../fixtures/mconnect/inbound_text.json");
    /// Webhook: customer media message.
    pub const INBOUND_MEDIA: &str = include_str!("../fixtures/mconnect/inbound_media.json");
    /// Webhook: text message in a group.
    pub const INBOUND_GROUP_TEXT: &str = include_str!("../fixtures/mconnect/inbound_group_text.json");
    /// Webhook: media message in a group (`sender` is `null`).
    pub const INBOUND_GROUP_MEDIA: &str = include_str!("../fixtures/mconnect/inbound_group_media.json");

    /// Every fixture as `(file name, contents)`, for table-driven tests.
    pub const ALL: &[(&str, &str)] = &[
        ("set_webhook.json", SET_WEBHOOK),
        ("send_text.json", SEND_TEXT),
        ("send_text_success.json", SEND_TEXT_SUCCESS),
        ("send_text_failure.json", SEND_TEXT_FAILURE),
        ("send_file.json", SEND_FILE),
        ("send_file_success.txt", SEND_FILE_SUCCESS),
        ("send_file_failure.json", SEND_FILE_FAILURE),
        ("group_reply.json", GROUP_REPLY),
        ("inbound_text.json", INBOUND_TEXT),
        ("inbound_media.json", INBOUND_MEDIA),
        ("inbound_group_text.json", INBOUND_GROUP_TEXT),
        ("inbound_group_media.json", INBOUND_GROUP_MEDIA),
    ];
}

pub mod wegly;
