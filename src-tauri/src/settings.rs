//! The shell's configuration, read once from the environment at start-up.
//!
//! - `AGENT_INBOX_DATA_DIR`: where the database lives (default: the OS app-data folder).
//! - `AGENT_INBOX_WEBHOOK_LISTEN`: the webhook receiver's address (default 127.0.0.1:8787).
//! - `AGENT_INBOX_PUBLIC_URL`: the base URL providers reach the receiver at (a tunnel, a proxy).
//! - `AGENT_INBOX_DEMO=1`: start demo mode when there is no real account.
//! - `INBOX_SIM_ADDR`: where the demo's simulator listens (read by `inbox-demo`).

use std::net::SocketAddr;
use std::path::PathBuf;

pub(crate) struct Settings {
    pub data_dir: PathBuf,
    pub webhook_listen: SocketAddr,
    pub webhook_listen_explicit: bool,
    pub public_url: Option<String>,
    pub demo_when_empty: bool,
}

const DEFAULT_WEBHOOK_LISTEN: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8787);

impl Settings {
    pub fn from_env(default_data_dir: PathBuf) -> Settings {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let listen = var("AGENT_INBOX_WEBHOOK_LISTEN").and_then(|v| match v.parse() {
            Ok(addr) => Some(addr),
            Err(_) => {
                tracing::warn!(value = %v, "AGENT_INBOX_WEBHOOK_LISTEN is not an address; using the default");
                None
            }
        });
        Settings {
            data_dir: var("AGENT_INBOX_DATA_DIR").map(PathBuf::from).unwrap_or(default_data_dir),
            webhook_listen_explicit: listen.is_some(),
            webhook_listen: listen.unwrap_or(DEFAULT_WEBHOOK_LISTEN),
            public_url: var("AGENT_INBOX_PUBLIC_URL"),
            demo_when_empty: var("AGENT_INBOX_DEMO").is_some_and(|v| v != "0"),
        }
    }

    pub fn engine_config(&self) -> inbox_core::Config {
        inbox_core::Config {
            database: self.data_dir.join("inbox.db"),
            webhook_listen: self.webhook_listen,
            public_url: self.public_url.clone(),
        }
    }
}
