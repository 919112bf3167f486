//! Demo mode: the provider simulator runs in-process and one demo account per provider points at
//! it, so a new user sees each kind of conversation: mConnect customers and a group, a ZChat
//! hand-off and an Omnize (WhatsApp) one, a Cirrus customer with synced contacts and tags (and a
//! callback the inbox does not recognise), and a Wegly chat opened with a template. Simulated
//! customers and remote agents write in through real webhooks; nothing reaches WhatsApp.
//!
//! [`Demo`] drives an [`Inbox`] through its public API only, like any other client: accounts are
//! created (or re-pointed) as demo accounts, whose secrets the engine keeps in memory,
//! conversations are started through the connectors, and the simulator's webhooks reach the
//! receiver. Each run draws new tokens, gives them to the simulator and to the accounts, and
//! re-points the accounts an earlier run created at this run's simulator
//! ([`Inbox::repoint_demo_account`]). Conversations are seeded once, when a provider's demo
//! account is created; on later runs the provider-side state the seeds left (ZChat interactions,
//! Wegly chats, Cirrus contacts and tags) is put back into the new simulator, so replies keep
//! working (`seed`).
//!
//! The providers start concurrently. One that cannot start is logged and left out; the others
//! run. Only a simulator that cannot start at all fails the demo.
//!
//! The simulator listens on `INBOX_SIM_ADDR` when set (tests read what it received there), else
//! on a free loopback port.

mod seed;
mod setup;
// Template library.
mod templates;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use inbox_core::model::{Account, ConversationFilter, ConversationSummary, HandoffState, NewAccount, Provider};
use inbox_core::{Error, Inbox, Result};
use inbox_sim::zchat::{Trigger, TriggerEvent};
use inbox_sim::{
    CirrusInbound, CustomerMessage, FireResult, Inbound, InboundKind, Signing, SimError, SimHandle, Simulator,
    WeglyEvent, WeglyFire,
};
use rand::seq::IndexedRandom;

use setup::{AGENT_MESSAGES, MCONNECT_NUMBER, OMNIZE_AGENT, RunSecrets, ZCHAT_AGENT};

/// The demo of one engine: not running until [`Demo::start`], then running for as long as the
/// process. Cloning gives another handle to the same demo.
#[derive(Clone)]
pub struct Demo {
    inbox: Inbox,
    running: Arc<tokio::sync::Mutex<Option<Running>>>,
}

/// A started demo: its simulator and the demo accounts that started, by provider.
struct Running {
    sim: SimHandle,
    accounts: HashMap<Provider, String>,
    /// How many remote-agent lines were simulated. Each line carries its own protocol number:
    /// Omnize's WhatsApp flavour gives agent messages no id, so a byte-identical delivery is
    /// taken for a redelivery and a repeated line would never show.
    agent_lines: std::sync::atomic::AtomicUsize,
}

impl Demo {
    /// The demo of `inbox`, not started.
    pub fn new(inbox: Inbox) -> Demo {
        Demo { inbox, running: Arc::default() }
    }

    /// Whether the demo runs.
    pub async fn running(&self) -> bool {
        self.running.lock().await.is_some()
    }

    /// Starts the demo (or returns the running one): the simulator and one demo account per
    /// provider, created and seeded on first use and pointed at this run's simulator afterwards.
    /// Answers the mConnect demo account (the first that started, if that one did not).
    pub async fn start(&self) -> Result<Account> {
        let mut running = self.running.lock().await;
        if let Some(running) = running.as_ref() {
            return self.main_account(running).await;
        }
        let inbox = &self.inbox;
        let began = Instant::now();
        let addr: SocketAddr = match std::env::var("INBOX_SIM_ADDR") {
            Ok(v) => v.parse().map_err(|_| Error::invalid(inbox_core::text!("demo.bad_address", value = v)))?,
            Err(_) => SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let sim = Simulator::start(addr)?;
        let run = RunSecrets::new();
        setup::prepare_simulator(&sim, &run);
        let mut earlier: HashMap<Provider, Account> = HashMap::new();
        for account in inbox.list_accounts().await?.into_iter().filter(|a| a.demo) {
            earlier.entry(account.provider).or_insert(account);
        }
        let [m, z, o, c, w] = Provider::ALL.map(|p| earlier.remove(&p));
        let (mconnect, zchat, omnize, cirrus, wegly) = tokio::join!(
            start_provider(inbox, &sim, &run, Provider::Mconnect, m),
            start_provider(inbox, &sim, &run, Provider::Zchat, z),
            start_provider(inbox, &sim, &run, Provider::Omnize, o),
            start_provider(inbox, &sim, &run, Provider::Cirrus, c),
            start_provider(inbox, &sim, &run, Provider::Wegly, w),
        );
        let mut accounts = HashMap::new();
        let mut main = None;
        for (provider, outcome) in [
            (Provider::Mconnect, mconnect),
            (Provider::Zchat, zchat),
            (Provider::Omnize, omnize),
            (Provider::Cirrus, cirrus),
            (Provider::Wegly, wegly),
        ] {
            match outcome {
                Ok(account) => {
                    accounts.insert(provider, account.id.clone());
                    main.get_or_insert(account);
                }
                Err(e) => tracing::warn!(
                    provider = provider.as_str(),
                    error = %e.public_message(),
                    "the demo could not start this provider; the others run"
                ),
            }
        }
        let Some(main) = main else {
            sim.shutdown().await;
            return Err(Error::Internal("the demo could not start any provider".into()));
        };
        tracing::info!(
            providers = accounts.len(),
            elapsed_ms = u64::try_from(began.elapsed().as_millis()).unwrap_or(u64::MAX),
            "demo started"
        );
        *running = Some(Running { sim, accounts, agent_lines: Default::default() });
        inbox.set_demo_running(true);
        Ok(main)
    }

    async fn main_account(&self, running: &Running) -> Result<Account> {
        let id = Provider::ALL
            .iter()
            .find_map(|p| running.accounts.get(p))
            .ok_or_else(|| Error::Internal("the demo runs without accounts".into()))?;
        self.inbox.get_account(id).await
    }

    /// A simulated customer (or a provider's agent, in a hand-off) writes in (demo mode only).
    pub async fn simulate_inbound(&self) -> Result<()> {
        let running = self.running.lock().await;
        let demo = running.as_ref().ok_or_else(|| Error::NotSupported(inbox_core::text!("demo.not_running")))?;
        let mut providers: Vec<Provider> =
            Provider::ALL.into_iter().filter(|p| demo.accounts.contains_key(p)).collect();
        // A provider with nobody to write (a hand-off provider whose conversations were removed)
        // gives way to another.
        while !providers.is_empty() {
            let provider = providers[rand::random_range(0..providers.len())];
            if simulate_one(&self.inbox, demo, provider).await? {
                return Ok(());
            }
            providers.retain(|p| *p != provider);
        }
        Err(Error::NotSupported(inbox_core::text!("demo.nothing_to_write")))
    }
}

/// One provider's demo account, created and seeded, or re-pointed at this run's simulator.
async fn start_provider(
    inbox: &Inbox,
    sim: &SimHandle,
    run: &RunSecrets,
    provider: Provider,
    earlier: Option<Account>,
) -> Result<Account> {
    let (settings, secrets) = setup::demo_settings(sim, run, provider);
    let (account, fresh) = match earlier {
        Some(account) => (inbox.repoint_demo_account(&account.id, &settings, secrets).await?, false),
        None => {
            let new = NewAccount { provider, name: setup::demo_name(provider).into(), settings, secrets };
            (inbox.create_demo_account(new).await?, true)
        }
    };
    // Where the webhook URL is pasted in the provider's admin site, the simulator is that site.
    let url = account.webhook_url.clone().ok_or_else(|| Error::Internal("a demo account has no webhook".into()))?;
    match provider {
        Provider::Mconnect => {} // registered with setWebHook by the connector
        Provider::Zchat => sim.zchat().set_webhook(url),
        Provider::Omnize => sim.zchat().set_whatsapp_webhook(url),
        Provider::Cirrus => sim.cirrus().set_callback_url(url),
        Provider::Wegly => sim.wegly().subscribe(url, run.wegly_signing_secret.expose(), Signing::Hex),
    }
    // Template library: the demo's templates, before the seed sends one.
    if let Err(e) = templates::fill_library(inbox, &account).await {
        tracing::warn!(provider = provider.as_str(), error = %e.public_message(), "the demo's templates were not added");
    }
    // The account works from here on: a seed that fails leaves it running, with a warning.
    let prepared =
        if fresh { seed::seed(inbox, sim, &account).await } else { seed::restore(inbox, sim, &account).await };
    if let Err(e) = prepared {
        tracing::warn!(
            provider = provider.as_str(),
            error = %e.public_message(),
            "the demo's {} for this provider did not complete",
            if fresh { "first conversations" } else { "provider-side state" }
        );
    }
    Ok(account)
}

/// A demo account's conversations (the demo never has more than a page).
async fn conversations(inbox: &Inbox, account_id: &str) -> Result<Vec<ConversationSummary>> {
    let filter = ConversationFilter { account_id: Some(account_id.into()), limit: Some(100), ..Default::default() };
    Ok(inbox.list_conversations(&filter).await?.items)
}

/// One simulated event of `provider`; false when it has nobody to write.
async fn simulate_one(inbox: &Inbox, demo: &Running, provider: Provider) -> Result<bool> {
    let sim = &demo.sim;
    let agent_text = || {
        let n = demo.agent_lines.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let line = AGENT_MESSAGES[n % AGENT_MESSAGES.len()];
        let text = format!("{line} (protocolo {})", 48_210 + n);
        let agent = if provider == Provider::Omnize { OMNIZE_AGENT } else { ZCHAT_AGENT };
        TriggerEvent::agent_text(&text, agent)
    };
    match provider {
        Provider::Mconnect => {
            let kind = *[
                InboundKind::Text,
                InboundKind::Text,
                InboundKind::Media,
                InboundKind::GroupText,
                InboundKind::GroupMedia,
            ]
            .choose(&mut rand::rng())
            .unwrap_or(&InboundKind::Text);
            delivered("mConnect message", sim.mconnect().fire(Inbound::new(kind, MCONNECT_NUMBER)).await)?;
        }
        Provider::Zchat => {
            let Some(hash) = open_handoff(inbox, demo, provider).await?.and_then(|c| c.handoff?.interaction_hash)
            else {
                return Ok(false);
            };
            delivered("ZChat trigger", sim.zchat().fire(Trigger::interaction(hash, agent_text())).await)?;
        }
        Provider::Omnize => {
            let Some(c) = open_handoff(inbox, demo, provider).await? else { return Ok(false) };
            let target = inbox.conversation_target(&c.id).await?;
            delivered("Omnize trigger", sim.zchat().fire(Trigger::whatsapp(target.external_id, agent_text())).await)?;
        }
        Provider::Cirrus => {
            delivered("Cirrus callback", sim.cirrus().fire(CirrusInbound::default()).await)?;
        }
        Provider::Wegly => {
            let message = CustomerMessage {
                wa_contact_id: Some(inbox_sim::sample::phone_number()),
                contact_name: Some(inbox_sim::sample::customer_name()),
                text: Some(inbox_sim::sample::customer_message()),
                ..CustomerMessage::default()
            };
            delivered("Wegly message", sim.wegly().fire(WeglyEvent::MessageReceived(message)).await)?;
        }
    }
    Ok(true)
}

/// A hand-off of the provider's demo account still open (the newest), if any.
async fn open_handoff(inbox: &Inbox, demo: &Running, provider: Provider) -> Result<Option<ConversationSummary>> {
    let Some(account_id) = demo.accounts.get(&provider) else { return Ok(None) };
    Ok(conversations(inbox, account_id)
        .await?
        .into_iter()
        .find(|c| c.handoff.as_ref().is_some_and(|h| h.state != HandoffState::Finished)))
}

/// What the simulator's deliveries report, for [`delivered`].
trait Fired {
    fn status(&self) -> u16;
    fn response(&self) -> &str;
}

impl Fired for FireResult {
    fn status(&self) -> u16 {
        self.status
    }
    fn response(&self) -> &str {
        &self.response
    }
}

impl Fired for WeglyFire {
    fn status(&self) -> u16 {
        self.status
    }
    fn response(&self) -> &str {
        &self.response
    }
}

/// A delivery the receiver accepted, or why it did not.
fn delivered<T: Fired>(what: &str, result: std::result::Result<T, SimError>) -> Result<T> {
    match result {
        Ok(r) if (200..300).contains(&r.status()) => Ok(r),
        Ok(r) => Err(Error::Internal(format!("demo {what}: the webhook answered {}: {}", r.status(), r.response()))),
        Err(e) => Err(Error::Internal(format!("demo {what}: {e}"))),
    }
}
