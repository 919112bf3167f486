//! Opening the engine, and what the window shows when it cannot be opened.
//!
//! A failure does not end the app: the shell keeps running without an engine, manages a
//! [`Startup`] holding the classified [`StartupFailure`], and the UI, which asks for it before
//! anything else, shows what happened and offers what can be done about it (`commands.rs`:
//! `startup_failure`, `move_database_aside`, `restart_app`, `quit_app`).

use std::path::PathBuf;
use std::sync::Arc;

use inbox_core::open_failure::{self, FailureKind, StartupFailure};
use inbox_core::{Inbox, KeyringSecrets};
use inbox_demo::Demo;
use tauri::{Manager, Runtime};

use crate::settings::Settings;

/// How start-up went: `None` when the engine opened.
pub(crate) struct Startup(pub Option<StartupFailure>);

impl Startup {
    /// The failure, or `unsupported` when the engine opened (the start-up screen's actions
    /// apply only to a start-up that failed).
    pub fn failure(&self) -> Result<&StartupFailure, inbox_core::Error> {
        self.0.as_ref().ok_or_else(|| inbox_core::Error::NotSupported(inbox_core::text!("startup.started_normally")))
    }

    /// Renames the damaged database aside (see [`open_failure::move_aside`]); refused for any
    /// other failure. Returns the path it was moved to.
    pub fn move_database_aside(&self) -> Result<PathBuf, inbox_core::Error> {
        let failure = self.failure()?;
        match (&failure.path, failure.may_move_aside()) {
            (Some(path), true) => {
                let moved = open_failure::move_aside(path)?;
                tracing::warn!(from = %path.display(), to = %moved.display(), "moved the damaged database aside");
                Ok(moved)
            }
            _ => Err(inbox_core::Error::NotSupported(inbox_core::text!("startup.only_damaged_moves"))),
        }
    }
}

/// Opens the engine from the environment's settings and manages it, or manages the failure.
pub(crate) fn open<R: Runtime>(app: &tauri::App<R>) {
    let failure = match app.path().app_data_dir() {
        Err(e) => StartupFailure {
            kind: FailureKind::DataFolder,
            path: None,
            detail: format!("the system did not give an app data folder: {e}"),
        },
        Ok(default_dir) => {
            let settings = Settings::from_env(default_dir);
            match tauri::async_runtime::block_on(open_engine(&settings)) {
                Ok((inbox, demo)) => {
                    app.manage(inbox.clone());
                    app.manage(demo);
                    app.manage(Startup(None));
                    crate::attention::watch(app.handle().clone(), inbox);
                    return;
                }
                Err(e) => StartupFailure::classify(&e, &settings.engine_config()),
            }
        }
    };
    tracing::error!(kind = ?failure.kind, path = ?failure.path, detail = %failure.detail, "the engine did not open");
    app.manage(Startup(Some(failure)));
}

async fn open_engine(settings: &Settings) -> Result<(Inbox, Demo), inbox_core::Error> {
    let secrets = Arc::new(KeyringSecrets::new("agent-inbox"));
    let inbox = match Inbox::open(settings.engine_config(), secrets.clone()).await {
        Err(inbox_core::Error::Io(e))
            if e.kind() == std::io::ErrorKind::AddrInUse && !settings.webhook_listen_explicit =>
        {
            tracing::warn!(listen = %settings.webhook_listen, "webhook port in use; using a free port (registered webhook URLs will not reach this run)");
            let mut config = settings.engine_config();
            config.webhook_listen.set_port(0);
            Inbox::open(config, secrets).await?
        }
        other => other?,
    };
    let demo = Demo::new(inbox.clone());
    if settings.demo_when_empty {
        let has_real_account = inbox.list_accounts().await?.iter().any(|a| !a.demo);
        // A demo that cannot start must not keep the app from opening: the first-run screen
        // offers it again and shows why it failed.
        if !has_real_account && let Err(e) = demo.start().await {
            tracing::error!(error = %e, "the demo did not start");
        }
    }
    Ok((inbox, demo))
}
