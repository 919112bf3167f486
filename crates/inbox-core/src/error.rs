//! The engine's error type, and the `{code, message}` body that transports hand to the UI.
//!
//! Codes are stable strings the UI may match on; messages are safe to show (storage and internal
//! details are logged, not returned). No error ever carries a secret.

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("the provider answered: {0}")]
    Provider(String),
    #[error("storage error: {0}")]
    Storage(#[from] sqlx::Error),
    #[error("storage migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("keychain error: {0}")]
    Secrets(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::InvalidInput(_) => "invalid_input",
            Error::Unsupported(_) => "unsupported",
            Error::Provider(_) => "provider_error",
            Error::Storage(_) | Error::Migration(_) => "storage_error",
            Error::Secrets(_) => "keychain_error",
            Error::Io(_) => "io_error",
            Error::Internal(_) => "internal_error",
        }
    }

    /// A message fit for the agent's eyes: what went wrong, without internals.
    pub fn public_message(&self) -> String {
        match self {
            Error::Storage(_) | Error::Migration(_) => "the local database failed; see the log".into(),
            Error::Io(_) => "a file operation failed; see the log".into(),
            Error::Internal(_) => "something went wrong inside Agent Inbox; see the log".into(),
            other => other.to_string(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code().into(), message: self.public_message() }
    }
}

/// What a transport sends when a command fails.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
