//! Errors returned by the simulator's Rust API.

/// Something the simulator could not do.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// `fire` was asked to deliver to a number that never called `setWebHook`.
    #[error("no webhook registered for number {number}")]
    NoWebhook { number: String },

    /// `fire` was asked to deliver for a provider whose webhook URL was never set.
    #[error("no webhook URL set for {provider}")]
    NoProviderWebhook { provider: &'static str },

    /// The webhook POST failed at the transport level (refused, timeout, ...).
    #[error("webhook delivery to {url} failed: {source}")]
    Delivery {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    /// A callback was fired before the provider was given a callback URL.
    #[error("no callback URL set for {provider}")]
    NoCallback { provider: &'static str },

    /// An event names a chat, message or user the simulator does not have.
    #[error("unknown {what} {id}")]
    Unknown { what: String, id: String },

    /// The outgoing HTTP client could not be built.
    #[error("could not build the webhook HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}
