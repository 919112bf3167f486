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

pub mod cirrus;

/// ZChat "ClientApi V1" (interactions flavour) and Omnize "Whatsapp Api V1" (WhatsApp flavour)
/// examples (`fixtures/zchat/`), one API family.
///
/// Values are verbatim from the two provider documents; the markdown indentation of indented
/// blocks was removed. The Omnize document's request examples carry `//` comments and miss commas
/// between the customer's fields, so they are kept verbatim as `.txt`: read their JSON content
/// with [`commented_json`]. The typing, stop-typing and finish requests of the ClientApi are the
/// same document (`{"token": ...}`), kept once as [`zchat::TOKEN_ONLY`]; so is its error answer.
/// The `_plain` and `_trailing_comma` WhatsApp answers come from the provider README (later
/// versions answer without `data.message_hash`; one published answer has a trailing comma).
pub mod zchat {
    /// ClientApi: start interaction request.
    pub const START_INTERACTION: &str = include_str!("../fixtures/zchat/start_interaction.json");
    /// ClientApi: start interaction answer.
    pub const START_INTERACTION_SUCCESS: &str = include_str!("../fixtures/zchat/start_interaction_success.json");
    /// ClientApi: every error answer (`{"message", "status": 422}`).
    pub const ERROR: &str = include_str!("../fixtures/zchat/error.json");
    /// ClientApi: what the `external_history` URL must answer.
    pub const EXTERNAL_HISTORY: &str = include_str!("../fixtures/zchat/external_history.json");
    /// ClientApi: update interaction request.
    pub const UPDATE_INTERACTION: &str = include_str!("../fixtures/zchat/update_interaction.json");
    /// ClientApi: update interaction answer.
    pub const UPDATE_INTERACTION_SUCCESS: &str = include_str!("../fixtures/zchat/update_interaction_success.json");
    /// ClientApi: send message request (an image).
    pub const SEND_MESSAGE: &str = include_str!("../fixtures/zchat/send_message.json");
    /// ClientApi: send message answer.
    pub const SEND_MESSAGE_SUCCESS: &str = include_str!("../fixtures/zchat/send_message_success.json");
    /// ClientApi: typing, stop typing and finish requests (the same body).
    pub const TOKEN_ONLY: &str = include_str!("../fixtures/zchat/token_only.json");
    /// ClientApi trigger: interaction added to the queue.
    pub const TRIGGER_QUEUED: &str = include_str!("../fixtures/zchat/trigger_queued.json");
    /// ClientApi trigger: an agent accepted the interaction.
    pub const TRIGGER_ACCEPTED: &str = include_str!("../fixtures/zchat/trigger_accepted.json");
    /// ClientApi trigger: no agent available.
    pub const TRIGGER_UNAVAILABLE: &str = include_str!("../fixtures/zchat/trigger_unavailable.json");
    /// ClientApi trigger: the agent finished the interaction.
    pub const TRIGGER_FINISHED: &str = include_str!("../fixtures/zchat/trigger_finished.json");
    /// ClientApi trigger: the agent is typing.
    pub const TRIGGER_TYPING: &str = include_str!("../fixtures/zchat/trigger_typing.json");
    /// ClientApi trigger: the agent stopped typing.
    pub const TRIGGER_CLEARED: &str = include_str!("../fixtures/zchat/trigger_cleared.json");
    /// ClientApi trigger: the agent wrote.
    pub const TRIGGER_AGENT_MESSAGE: &str = include_str!("../fixtures/zchat/trigger_agent_message.json");

    /// Whatsapp Api: send message request, verbatim (comments, missing commas: not JSON).
    pub const WA_SEND_MESSAGE: &str = include_str!("../fixtures/zchat/wa_send_message.txt");
    /// Whatsapp Api: send message answer, as documented (with `data.message_hash`).
    pub const WA_SEND_MESSAGE_SUCCESS: &str = include_str!("../fixtures/zchat/wa_send_message_success.json");
    /// Whatsapp Api: later answer without `data` (provider README).
    pub const WA_SEND_MESSAGE_SUCCESS_PLAIN: &str =
        include_str!("../fixtures/zchat/wa_send_message_success_plain.json");
    /// Whatsapp Api: the published answer with a trailing comma (provider README): not JSON.
    pub const WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA: &str =
        include_str!("../fixtures/zchat/wa_send_message_success_trailing_comma.txt");
    /// Whatsapp Api: client typing request, verbatim (a comment: not JSON).
    pub const WA_TYPING: &str = include_str!("../fixtures/zchat/wa_typing.txt");
    /// Whatsapp Api: client stopped typing request, verbatim (a comment: not JSON).
    pub const WA_CLEARED: &str = include_str!("../fixtures/zchat/wa_cleared.txt");
    /// Whatsapp Api trigger: the agent finished the interaction.
    pub const WA_TRIGGER_FINISHED: &str = include_str!("../fixtures/zchat/wa_trigger_finished.json");
    /// Whatsapp Api trigger: the agent is typing.
    pub const WA_TRIGGER_TYPING: &str = include_str!("../fixtures/zchat/wa_trigger_typing.json");
    /// Whatsapp Api trigger: the agent stopped typing.
    pub const WA_TRIGGER_CLEARED: &str = include_str!("../fixtures/zchat/wa_trigger_cleared.json");
    /// Whatsapp Api trigger: the agent wrote (no message hash).
    pub const WA_TRIGGER_AGENT_MESSAGE: &str = include_str!("../fixtures/zchat/wa_trigger_agent_message.json");
    /// Whatsapp Api trigger: the agent transferred the interaction (`department_id` is a string).
    pub const WA_TRIGGER_TRANSFERRED: &str = include_str!("../fixtures/zchat/wa_trigger_transferred.json");

    /// Every fixture as `(file name, contents)`, for table-driven tests.
    pub const ALL: &[(&str, &str)] = &[
        ("start_interaction.json", START_INTERACTION),
        ("start_interaction_success.json", START_INTERACTION_SUCCESS),
        ("error.json", ERROR),
        ("external_history.json", EXTERNAL_HISTORY),
        ("update_interaction.json", UPDATE_INTERACTION),
        ("update_interaction_success.json", UPDATE_INTERACTION_SUCCESS),
        ("send_message.json", SEND_MESSAGE),
        ("send_message_success.json", SEND_MESSAGE_SUCCESS),
        ("token_only.json", TOKEN_ONLY),
        ("trigger_queued.json", TRIGGER_QUEUED),
        ("trigger_accepted.json", TRIGGER_ACCEPTED),
        ("trigger_unavailable.json", TRIGGER_UNAVAILABLE),
        ("trigger_finished.json", TRIGGER_FINISHED),
        ("trigger_typing.json", TRIGGER_TYPING),
        ("trigger_cleared.json", TRIGGER_CLEARED),
        ("trigger_agent_message.json", TRIGGER_AGENT_MESSAGE),
        ("wa_send_message.txt", WA_SEND_MESSAGE),
        ("wa_send_message_success.json", WA_SEND_MESSAGE_SUCCESS),
        ("wa_send_message_success_plain.json", WA_SEND_MESSAGE_SUCCESS_PLAIN),
        ("wa_send_message_success_trailing_comma.txt", WA_SEND_MESSAGE_SUCCESS_TRAILING_COMMA),
        ("wa_typing.txt", WA_TYPING),
        ("wa_cleared.txt", WA_CLEARED),
        ("wa_trigger_finished.json", WA_TRIGGER_FINISHED),
        ("wa_trigger_typing.json", WA_TRIGGER_TYPING),
        ("wa_trigger_cleared.json", WA_TRIGGER_CLEARED),
        ("wa_trigger_agent_message.json", WA_TRIGGER_AGENT_MESSAGE),
        ("wa_trigger_transferred.json", WA_TRIGGER_TRANSFERRED),
    ];
}

/// The JSON a commented example means: `//` comments (outside strings) removed, the commas the
/// Omnize document leaves out between members on separate lines added, trailing commas dropped.
/// `None` when the result still is not JSON.
pub fn commented_json(text: &str) -> Option<serde_json::Value> {
    // 1. Comments out, line by line (JSON strings never span lines).
    let lines: Vec<String> = text.lines().map(strip_line_comment).collect();
    // 2. A member ending a line, followed by a line that starts another member, needs a comma.
    let mut joined = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_end();
        joined.push_str(trimmed);
        let next = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty());
        let ends_value = trimmed.ends_with(|c: char| c == '"' || c == '}' || c == ']' || c.is_ascii_alphanumeric());
        if ends_value && next.is_some_and(|n| n.starts_with('"')) {
            joined.push(',');
        }
        joined.push('\n');
    }
    // 3. Trailing commas out.
    let mut cleaned = String::with_capacity(joined.len());
    let chars: Vec<char> = joined.chars().collect();
    let (mut in_string, mut escaped) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' && matches!(chars[i + 1..].iter().find(|c| !c.is_whitespace()), Some('}' | ']')) {
            continue;
        }
        cleaned.push(c);
    }
    serde_json::from_str(&cleaned).ok()
}

/// A line without its `//` comment; `//` inside a string (a URL) stays.
fn strip_line_comment(line: &str) -> String {
    let (mut in_string, mut escaped) = (false, false);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return line[..i].to_owned();
        }
    }
    line.to_owned()
}

#[cfg(test)]
mod commented_json_tests {
    use serde_json::json;

    #[test]
    fn comments_go_and_missing_commas_come() {
        let text = "{\n  \"a\": \"x // not a comment\", // a comment\n  \"b\": {\n    \"c\": 1 //c\n    \"d\": \"https://e.f\"\n  },\n}\n";
        assert_eq!(
            super::commented_json(text).unwrap(),
            json!({"a": "x // not a comment", "b": {"c": 1, "d": "https://e.f"}})
        );
        assert!(super::commented_json("{ nope").is_none());
    }
}

pub mod wegly;
