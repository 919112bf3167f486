//! `inboxd`: Agent Inbox without a window.
//!
//! ```text
//! inboxd [--data-dir DIR] [--listen 127.0.0.1:8780] [--webhook-listen 127.0.0.1:8788]
//!        [--public-url URL] [--ui-dir ui/dist] [--token TOKEN] [--secrets keyring|memory] [--demo]
//! ```
//! The token may also come from `INBOXD_TOKEN`; without one a random token is made and the UI's
//! address (with the token in its fragment) is printed once.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use inbox_core::{Config, Inbox, KeyringSecrets, MemorySecrets, SecretStore, Sensitive};
use rand::RngCore;

struct Args {
    data_dir: PathBuf,
    listen: SocketAddr,
    webhook_listen: SocketAddr,
    public_url: Option<String>,
    ui_dir: Option<PathBuf>,
    token: Option<String>,
    memory_secrets: bool,
    demo: bool,
}

const USAGE: &str = "usage: inboxd [--data-dir DIR] [--listen ADDR] [--webhook-listen ADDR] [--public-url URL] \
[--ui-dir DIR] [--token TOKEN] [--secrets keyring|memory] [--demo]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        data_dir: default_data_dir(),
        listen: SocketAddr::from(([127, 0, 0, 1], 8780)),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 8788)),
        public_url: None,
        ui_dir: None,
        token: std::env::var("INBOXD_TOKEN").ok().filter(|t| !t.is_empty()),
        memory_secrets: false,
        demo: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--data-dir" => args.data_dir = value("--data-dir")?.into(),
            "--listen" => args.listen = value("--listen")?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--webhook-listen" => {
                args.webhook_listen =
                    value("--webhook-listen")?.parse().map_err(|e| format!("--webhook-listen: {e}"))?
            }
            "--public-url" => args.public_url = Some(value("--public-url")?),
            "--ui-dir" => args.ui_dir = Some(value("--ui-dir")?.into()),
            "--token" => args.token = Some(value("--token")?),
            "--secrets" => match value("--secrets")?.as_str() {
                "keyring" => args.memory_secrets = false,
                "memory" => args.memory_secrets = true,
                other => return Err(format!("--secrets must be keyring or memory, not {other}")),
            },
            "--demo" => args.demo = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("agent-inbox-server")
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "inboxd stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let secrets: Arc<dyn SecretStore> = if args.memory_secrets {
        tracing::warn!("--secrets memory: webhook secrets are lost when inboxd stops");
        Arc::new(MemorySecrets::default())
    } else {
        Arc::new(KeyringSecrets::new("agent-inbox"))
    };
    let config = Config {
        database: args.data_dir.join("inbox.db"),
        webhook_listen: args.webhook_listen,
        public_url: args.public_url,
    };
    let inbox = Inbox::open(config, secrets).await?;
    let (token, generated) = match args.token {
        Some(t) => (Sensitive::new(t), false),
        None => {
            let mut bytes = [0u8; 24];
            rand::rng().fill_bytes(&mut bytes);
            (Sensitive::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)), true)
        }
    };
    let state = inboxd::AppState::new(inbox.clone(), token.clone());
    if args.demo {
        // The server runs without the demo rather than not at all.
        #[cfg(feature = "demo")]
        if let Err(e) = state.demo.start().await {
            tracing::error!(error = %e.public_message(), "the demo did not start");
        }
        #[cfg(not(feature = "demo"))]
        return Err("this inboxd was built without the demo".into());
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    if generated {
        // Printed once, to the terminal that started inboxd, never to the log.
        println!("open http://{addr}/#token={}", token.expose());
    }
    let app = inboxd::router(state, args.ui_dir);
    println!("inboxd listening on http://{addr}");
    tracing::info!(%addr, webhooks = %inbox.webhook_addr(), "inboxd ready");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    inbox.shutdown().await;
    Ok(())
}
