use serde::Serialize;

/// What a command returns to the UI when it fails: `{code, message, key, params}`, the same body
/// inboxd sends.
/// The full error goes to the log; the UI gets the stable code and a safe message.
#[derive(Debug, Serialize)]
pub struct Error(inbox_core::ErrorBody);

impl From<inbox_core::Error> for Error {
    fn from(e: inbox_core::Error) -> Self {
        tracing::warn!(code = e.code(), error = %e, "command failed");
        Error(e.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_message_and_text() {
        let e = Error::from(inbox_core::Error::NotFound(inbox_core::text!("conversation.not_found")));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "not_found", "message": "conversation not found",
                "key": "conversation.not_found", "params": {}})
        );
        let storage = Error::from(inbox_core::Error::Internal("secret detail".into()));
        assert!(!serde_json::to_string(&storage).unwrap().contains("secret detail"));
    }
}
