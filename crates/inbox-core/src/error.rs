//! The engine's error type, and the `{code, message, key, params}` body that transports hand to
//! the UI.
//!
//! Codes are stable strings the UI may match on; texts are safe to show (storage and internal
//! details are logged, not returned) and travel as a catalog key with parameters (see
//! [`crate::text`]), so the UI shows them in the agent's language. No error ever carries a secret.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::text::{Lang, Text};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A thing that does not exist: `text!("conversation.not_found")`.
    #[error("{0}")]
    NotFound(Text),
    #[error("{0}")]
    InvalidInput(Text),
    /// The account or its provider cannot do this, in the catalog's words.
    #[error("{0}")]
    NotSupported(Text),
    /// The provider refused or failed; the string is its own words (or the engine's account of
    /// them), quoted as the `detail` of `provider.answered`.
    #[error("the provider answered: {0}")]
    Provider(String),
    #[error("storage error: {0}")]
    Storage(#[from] sqlx::Error),
    #[error("storage migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The platform keychain failed; the string is its description (never a secret), quoted as
    /// the `detail` of `keychain.failed`.
    #[error("keychain error: {0}")]
    Secrets(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
    #[error("SQLite {0} is too old (WAL-reset bug); need 3.51.3 or newer")]
    SqliteTooOld(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Input the engine refuses: `Error::invalid(text!("outbound.empty"))`. An English string
    /// is accepted too, as untranslated text.
    pub fn invalid(text: impl Into<Text>) -> Self {
        Error::InvalidInput(text.into())
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::NotSupported(_) => "unsupported",
            Error::Provider(_) => "provider_error",
            Error::Storage(_) | Error::Migration(_) => "storage_error",
            Error::Secrets(_) => "keychain_error",
            Error::Io(_) => "io_error",
            Error::Internal(_) | Error::SqliteTooOld(_) => "internal_error",
        }
    }

    /// A text fit for the agent's eyes: what went wrong, without internals.
    pub fn public_text(&self) -> Text {
        match self {
            Error::NotFound(t) | Error::InvalidInput(t) | Error::NotSupported(t) => t.clone(),
            Error::Provider(detail) => text!("provider.answered", detail = detail),
            Error::Secrets(detail) => text!("keychain.failed", detail = detail),
            Error::Storage(_) | Error::Migration(_) => text!("engine.storage_failed"),
            Error::Io(_) => text!("engine.io_failed"),
            Error::Internal(_) | Error::SqliteTooOld(_) => text!("engine.internal_failed"),
        }
    }

    /// [`Error::public_text`] in English.
    pub fn public_message(&self) -> String {
        self.public_text().render(Lang::En)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.public_text())
    }
}

/// What a transport sends when a command fails: a stable code, the text's key and parameters for
/// the UI to render in the agent's language, and its English rendering (`message`, for logs and
/// clients that do not know the catalog).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub key: String,
    pub params: BTreeMap<String, String>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, text: Text) -> Self {
        ErrorBody { code: code.into(), message: text.render(Lang::En), key: text.key, params: text.params }
    }
}
