//! Demo mode: the provider simulator runs in-process, a demo mConnect account points at it, and
//! simulated customers write in through real webhooks. Nothing reaches WhatsApp.
//!
//! The simulator listens on `INBOX_SIM_ADDR` when set (tests read what it received there), else
//! on a free loopback port.

use std::net::SocketAddr;

use inbox_sim::{Inbound, InboundKind, SimHandle, Simulator};
use rand::seq::IndexedRandom;
use serde_json::json;

use crate::{Account, Error, Inbox, NewAccount, Provider, Result, providers, webhook};

pub(crate) struct Demo {
    sim: SimHandle,
    account_id: String,
    number: String,
}

const DEMO_NUMBER: &str = "5511900000000";

impl Inbox {
    /// Starts the demo (or returns the running one): the simulator, and the demo account, created
    /// on first use and pointed at this run's simulator afterwards.
    pub async fn start_demo(&self) -> Result<Account> {
        let mut demo = self.inner.demo.lock().await;
        if let Some(running) = demo.as_ref() {
            let row = self.inner.store.get_account(&running.account_id).await?;
            return self.account_view(row).await;
        }
        let addr: SocketAddr = match std::env::var("INBOX_SIM_ADDR") {
            Ok(v) => v.parse().map_err(|_| Error::invalid(format!("INBOX_SIM_ADDR `{v}` is not an address")))?,
            Err(_) => SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let sim = Simulator::start(addr)?;
        let settings = json!({
            "base_url": sim.mconnect_url(),
            "number": DEMO_NUMBER,
            "company": "demo",
            "username": "demo",
        });
        let settings = settings.as_object().cloned().unwrap_or_default();
        let (account, fresh) = match self.inner.store.demo_account().await? {
            Some(mut row) => {
                // The simulator's port changes from run to run: point the account at this one,
                // with a new in-memory webhook secret (see `create_account_inner`).
                row.settings = providers::validate_settings(Provider::Mconnect, &settings)?;
                self.inner.store.update_account_settings(&row.id, &row.settings).await?;
                let secret = webhook::new_secret();
                self.inner.store.set_webhook_secret_hash(&row.id, &webhook::secret_hash(secret.expose())).await?;
                let url = webhook::url(&self.inner.public_url, row.provider, &row.id, &secret);
                self.inner.webhook_secrets.lock().expect("secrets cache").insert(row.id.clone(), secret);
                self.connector(&row).await?.register_webhook(&url).await?;
                (self.account_view(row).await?, false)
            }
            None => {
                let new = NewAccount {
                    provider: Provider::Mconnect,
                    name: "Demo (simulated customers)".into(),
                    settings,
                    secrets: Default::default(),
                };
                (self.create_account_inner(new, true).await?, true)
            }
        };
        let running = Demo { sim, account_id: account.id.clone(), number: DEMO_NUMBER.into() };
        if fresh {
            // A first look that shows each kind of conversation.
            for inbound in [
                Inbound::text(DEMO_NUMBER, "Olá! Meu pedido #4821 ainda não chegou, podem verificar?"),
                Inbound::group_text(DEMO_NUMBER, "Bom dia, equipe! Alguém pode confirmar a entrega de hoje?"),
                Inbound::media(DEMO_NUMBER),
            ] {
                running.sim.mconnect().fire(inbound).await.map_err(|e| Error::Internal(format!("demo: {e}")))?;
            }
        }
        *demo = Some(running);
        Ok(account)
    }

    /// A simulated customer writes in (demo mode only).
    pub async fn simulate_inbound(&self) -> Result<()> {
        let demo = self.inner.demo.lock().await;
        let demo = demo.as_ref().ok_or_else(|| Error::Unsupported("the demo is not running".into()))?;
        let kind = *[
            InboundKind::Text,
            InboundKind::Text,
            InboundKind::Media,
            InboundKind::GroupText,
            InboundKind::GroupMedia,
        ]
        .choose(&mut rand::rng())
        .unwrap_or(&InboundKind::Text);
        let result = demo.sim.mconnect().fire(Inbound::new(kind, demo.number.clone())).await;
        match result {
            Ok(r) if (200..300).contains(&r.status) => Ok(()),
            Ok(r) => Err(Error::Internal(format!("demo webhook answered {}: {}", r.status, r.response))),
            Err(e) => Err(Error::Internal(format!("demo: {e}"))),
        }
    }
}
