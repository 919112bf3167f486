//! Demo mode: the provider simulator runs in-process and one demo account per provider points at
//! it, so a new user sees each kind of conversation: mConnect customers and a group, a ZChat
//! hand-off and an Omnize (WhatsApp) one, a Cirrus customer with synced contacts and tags (and a
//! callback the inbox does not recognise), and a Wegly chat opened with a template. Simulated
//! customers and remote agents write in through real webhooks; nothing reaches WhatsApp.
//!
//! Everything goes through the engine's real paths: accounts are created (or re-pointed) like any
//! other, conversations are started through the connectors, and the simulator's webhooks reach
//! the receiver. Demo accounts keep their secrets in memory: each run draws new tokens, gives them
//! to the simulator and to the accounts, and re-points the accounts an earlier run created at this
//! run's simulator (see `repoint_demo_account`). Conversations are seeded once, when a provider's
//! demo account is created; on later runs the provider-side state the seeds left (ZChat
//! interactions, Wegly chats, Cirrus contacts and tags) is put back into the new simulator, so
//! replies keep working.
//!
//! The providers start concurrently. One that cannot start is logged and left out; the others
//! run. Only a simulator that cannot start at all fails the demo.
//!
//! The simulator listens on `INBOX_SIM_ADDR` when set (tests read what it received there), else
//! on a free loopback port.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::Instant;

use chrono::Utc;
use inbox_sim::cirrus::{CirrusContact, CirrusTag};
use inbox_sim::wegly::DEFAULT_PHONE_ID;
use inbox_sim::zchat::{SimDepartment, Trigger, TriggerEvent};
use inbox_sim::{
    CirrusInbound, CustomerMessage, FireResult, Inbound, InboundKind, Signing, SimError, SimHandle, Simulator,
    WeglyEvent, WeglyFire,
};
use rand::seq::IndexedRandom;
use serde_json::{Map, Value, json};

use crate::model::{
    Account, ConversationFilter, ConversationSummary, HandoffState, MessageKind, NewAccount, Provider, SendMessage,
    StartConversation, Template, TemplateField,
};
use crate::{Error, Inbox, Result, Sensitive};

pub(crate) struct Demo {
    sim: SimHandle,
    /// The demo accounts that started, by provider.
    accounts: HashMap<Provider, String>,
}

/// The mConnect demo account's number.
const MCONNECT_NUMBER: &str = "5511900000000";

/// ZChat/Omnize departments, with the agents who answer the seeded hand-offs.
const ZCHAT_DEPARTMENT: i64 = 1;
const ZCHAT_AGENT: &str = "Renata Alves";
const OMNIZE_DEPARTMENT: i64 = 4;
const OMNIZE_AGENT: &str = "Lívia Prado";

/// The Cirrus demo workspace (a client identifier is a UUID, the other ids are Mongo ids).
const CIRRUS_CLIENT: &str = "5f0c6a2e-9d41-4b8e-a7c3-2e6d9b14f0a8";
const CIRRUS_CHANNEL: &str = "65a1f0c2e4b0a1b2c3d4e5f6";
const CIRRUS_PLATFORM_CONFIG: &str = "65a1f0c2e4b0a1b2c3d4e5f7";
/// Cirrus's contacts and tags in the demo: (id, number, name, tag ids) and (id, name, colour).
const CIRRUS_CONTACTS: &[(&str, &str, &str, &[&str])] = &[
    ("65a1f10ae4b0a1b2c3d40001", "5531988887777", "Fernanda Lima", &["65a1f10ae4b0a1b2c3d4f001"]),
    ("65a1f10ae4b0a1b2c3d40002", "5531991234567", "Roberto Nogueira", &["65a1f10ae4b0a1b2c3d4f002"]),
    (
        "65a1f10ae4b0a1b2c3d40003",
        "5531987650123",
        "Luíza Martins",
        &["65a1f10ae4b0a1b2c3d4f001", "65a1f10ae4b0a1b2c3d4f003"],
    ),
];
const CIRRUS_TAGS: &[(&str, &str, &str)] = &[
    ("65a1f10ae4b0a1b2c3d4f001", "Cliente VIP", "#d97706"),
    ("65a1f10ae4b0a1b2c3d4f002", "Atacado", "#2563eb"),
    ("65a1f10ae4b0a1b2c3d4f003", "Pós-venda", "#059669"),
];

/// What remote agents say when the demo makes one write in.
const AGENT_MESSAGES: &[&str] = &[
    "Só um instante, estou consultando o seu cadastro.",
    "Pronto! Já registrei a sua solicitação. Posso ajudar em mais alguma coisa?",
    "Encaminhei o caso para a equipe responsável; a resposta chega em até 2 dias úteis.",
    "Consegui aplicar o desconto: o novo boleto chega por e-mail em alguns minutos.",
    "Obrigada pela paciência! O código de rastreio já está disponível no site.",
];

/// This run's provider secrets: given to the simulator and to the demo accounts, never stored.
struct RunSecrets {
    /// ZChat and Omnize share the simulator's one API token.
    zchat_token: Sensitive,
    cirrus_token: Sensitive,
    wegly_token: Sensitive,
    wegly_signing_secret: Sensitive,
}

impl RunSecrets {
    fn new() -> RunSecrets {
        let random = |prefix: &str| Sensitive::new(format!("{prefix}-{}", hex::encode(rand::random::<[u8; 16]>())));
        RunSecrets {
            zchat_token: random("demo-zchat"),
            cirrus_token: random("demo-cirrus"),
            wegly_token: random("demo-wegly"),
            wegly_signing_secret: random("demo-wegly-signing"),
        }
    }
}

impl Inbox {
    /// Starts the demo (or returns the running one): the simulator and one demo account per
    /// provider, created and seeded on first use and pointed at this run's simulator afterwards.
    /// Answers the mConnect demo account (the first that started, if that one did not).
    pub async fn start_demo(&self) -> Result<Account> {
        let mut demo = self.inner.demo.lock().await;
        if let Some(running) = demo.as_ref() {
            return self.main_demo_account(running).await;
        }
        let began = Instant::now();
        let addr: SocketAddr = match std::env::var("INBOX_SIM_ADDR") {
            Ok(v) => v.parse().map_err(|_| Error::invalid(format!("INBOX_SIM_ADDR `{v}` is not an address")))?,
            Err(_) => SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let sim = Simulator::start(addr)?;
        let run = RunSecrets::new();
        prepare_simulator(&sim, &run);
        let mut earlier: HashMap<Provider, crate::exchange::AccountRow> = HashMap::new();
        for row in self.inner.store.demo_accounts().await? {
            earlier.entry(row.provider).or_insert(row);
        }
        let [m, z, o, c, w] = Provider::ALL.map(|p| earlier.remove(&p));
        let (mconnect, zchat, omnize, cirrus, wegly) = tokio::join!(
            self.start_demo_provider(&sim, &run, Provider::Mconnect, m),
            self.start_demo_provider(&sim, &run, Provider::Zchat, z),
            self.start_demo_provider(&sim, &run, Provider::Omnize, o),
            self.start_demo_provider(&sim, &run, Provider::Cirrus, c),
            self.start_demo_provider(&sim, &run, Provider::Wegly, w),
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
        *demo = Some(Demo { sim, accounts });
        Ok(main)
    }

    async fn main_demo_account(&self, running: &Demo) -> Result<Account> {
        let id = Provider::ALL
            .iter()
            .find_map(|p| running.accounts.get(p))
            .ok_or_else(|| Error::Internal("the demo runs without accounts".into()))?;
        let row = self.inner.store.get_account(id).await?;
        self.account_view(row).await
    }

    /// One provider's demo account, created and seeded, or re-pointed at this run's simulator.
    async fn start_demo_provider(
        &self,
        sim: &SimHandle,
        run: &RunSecrets,
        provider: Provider,
        earlier: Option<crate::exchange::AccountRow>,
    ) -> Result<Account> {
        let (settings, secrets) = demo_settings(sim, run, provider);
        let (account, fresh) = match earlier {
            Some(row) => (self.repoint_demo_account(row, &settings, secrets).await?, false),
            None => {
                let new = NewAccount { provider, name: demo_name(provider).into(), settings, secrets };
                (self.create_account_inner(new, true).await?, true)
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
        // The account works from here on: a seed that fails leaves it running, with a warning.
        let prepared = if fresh { self.seed_demo(sim, &account).await } else { self.restore_demo(sim, &account).await };
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

    /// The first look at a provider: conversations that show what it does.
    async fn seed_demo(&self, sim: &SimHandle, account: &Account) -> Result<()> {
        match account.provider {
            Provider::Mconnect => {
                let m = sim.mconnect();
                let (group, group_name) = ("5511976543210-1617181920", "Revendedores Sul");
                for inbound in [
                    Inbound::text(MCONNECT_NUMBER, "Olá! Meu pedido #4821 ainda não chegou, podem verificar?")
                        .with_from("5511987654001")
                        .with_sender_name("Ana Souza"),
                    Inbound::group_text(MCONNECT_NUMBER, "Bom dia, equipe! Alguém pode confirmar a entrega de hoje?")
                        .with_group(group, group_name)
                        .with_sender_name("Carlos Menezes"),
                    Inbound::group_text(MCONNECT_NUMBER, "Aqui também: a nota fiscal do pedido 3390 ainda não chegou.")
                        .with_group(group, group_name)
                        .with_sender_name("Beatriz Rocha"),
                    Inbound::media(MCONNECT_NUMBER).with_from("5521998761234").with_sender_name("Diego Santos"),
                ] {
                    delivered("mConnect message", m.fire(inbound).await)?;
                }
            }
            Provider::Zchat => {
                let started = self
                    .start_conversation(StartConversation {
                        account_id: account.id.clone(),
                        to: "5511987650001".into(),
                        name: Some("Carla Mendes".into()),
                        email: Some("carla.mendes@exemplo.com.br".into()),
                        message: Some(SendMessage::text(
                            "Olá! Quero negociar a fatura de outubro, que venceu ontem. Consigo parcelar?",
                        )),
                        ..StartConversation::default()
                    })
                    .await?;
                let hash = started
                    .handoff
                    .as_ref()
                    .and_then(|h| h.interaction_hash.clone())
                    .ok_or_else(|| Error::Internal("the ZChat hand-off has no interaction hash".into()))?;
                let z = sim.zchat();
                for event in [
                    TriggerEvent::Queued { position: 2 },
                    TriggerEvent::Accepted,
                    TriggerEvent::agent_text(
                        "Oi, Carla! Aqui é a Renata, do Suporte. Já estou com a sua fatura aberta: posso parcelar em 3 vezes sem juros.",
                        ZCHAT_AGENT,
                    ),
                ] {
                    delivered("ZChat trigger", z.fire(Trigger::interaction(hash.clone(), event)).await)?;
                }
            }
            Provider::Omnize => {
                let customer = "5521976540002";
                self.start_conversation(StartConversation {
                    account_id: account.id.clone(),
                    to: customer.into(),
                    name: Some("Paulo Henrique Dias".into()),
                    message: Some(SendMessage::text("Oi, meu celular chegou com a tela trincada. Como faço a troca?")),
                    ..StartConversation::default()
                })
                .await?;
                let z = sim.zchat();
                for event in [
                    TriggerEvent::Queued { position: 1 },
                    TriggerEvent::Accepted,
                    TriggerEvent::agent_text(
                        "Olá, Paulo! Sinto muito pelo transtorno. Já abri a troca: o código de postagem chega por e-mail em instantes.",
                        OMNIZE_AGENT,
                    ),
                ] {
                    delivered("Omnize trigger", z.fire(Trigger::whatsapp(customer, event)).await)?;
                }
            }
            Provider::Cirrus => {
                if let Err(e) = self.sync_account(&account.id).await {
                    tracing::warn!(error = %e.public_message(), "the demo's Cirrus contacts did not sync");
                }
                let (_, number, name, _) = CIRRUS_CONTACTS[0];
                let c = sim.cirrus();
                let first = delivered(
                    "Cirrus callback",
                    c.fire(
                        CirrusInbound::text(
                            number,
                            "Boa tarde! Vocês entregam no sábado? Preciso do pedido até o fim de semana.",
                        )
                        .with_name(name),
                    )
                    .await,
                )?;
                // An event the inbox does not know: kept, and shown as an unrecognised event.
                let unknown = json!({
                    "event": "session.transferred",
                    "data": {
                        "sessionId": first.payload["data"]["sessionId"],
                        "contact": { "number": number, "name": name },
                        "fromTeam": "Atendimento",
                        "toTeam": "Logística",
                        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    },
                });
                delivered("Cirrus callback", c.fire_raw(unknown.to_string()).await)?;
                let again = CirrusInbound::text(number, "Ah, e vocês entregam em Contagem também?").with_name(name);
                delivered("Cirrus callback", c.fire(again).await)?;
            }
            Provider::Wegly => {
                let customer = "5541977776666";
                let field = |index: i64, value: &str| TemplateField {
                    component: "BODY".into(),
                    kind: "TEXT".into(),
                    index,
                    value: value.into(),
                    button_index: None,
                    card_index: None,
                };
                let template = Template {
                    name: "pedido_enviado".into(),
                    language: "pt_BR".into(),
                    fields: vec![field(1, "Juliana"), field(2, "#7310")],
                };
                let started = self
                    .start_conversation(StartConversation {
                        account_id: account.id.clone(),
                        to: customer.into(),
                        name: Some("Juliana Costa".into()),
                        message: Some(SendMessage {
                            kind: MessageKind::Template,
                            template: Some(template),
                            ..SendMessage::default()
                        }),
                        ..StartConversation::default()
                    })
                    .await?;
                let w = sim.wegly();
                let chat_id =
                    w.chat_of(customer).ok_or_else(|| Error::Internal("Wegly did not open the demo chat".into()))?;
                let first = self.inner.store.list_messages(&started.id, None, Some(10)).await?;
                let template_id = first
                    .items
                    .iter()
                    .find(|m| m.kind == MessageKind::Template)
                    .and_then(|m| m.provider_message_id.clone())
                    .ok_or_else(|| Error::Internal("the Wegly template was not confirmed".into()))?;
                delivered(
                    "Wegly reaction",
                    w.fire(WeglyEvent::Reaction {
                        chat_id: chat_id.clone(),
                        message_id: template_id,
                        emoji: Some("👍".into()),
                        actor: None,
                    })
                    .await,
                )?;
                delivered(
                    "Wegly message",
                    w.fire(WeglyEvent::MessageReceived(CustomerMessage {
                        chat_id: Some(chat_id),
                        text: Some("Oi! Recebi, obrigada. Ainda dá para mudar o endereço de entrega?".into()),
                        ..CustomerMessage::default()
                    }))
                    .await,
                )?;
            }
        }
        Ok(())
    }

    /// Later runs: what the seeds left at the provider, put back into this run's simulator.
    async fn restore_demo(&self, sim: &SimHandle, account: &Account) -> Result<()> {
        match account.provider {
            // mConnect keeps nothing; the Omnize API opens an interaction with the next message;
            // Cirrus's contacts and tags are put back with the simulator (sessions it has lost
            // are answered by sending proactively).
            Provider::Mconnect | Provider::Omnize | Provider::Cirrus => {}
            Provider::Zchat => {
                for c in self.demo_conversations(&account.id).await? {
                    let Some(h) = c.handoff.filter(|h| h.state != HandoffState::Finished) else { continue };
                    let Some(hash) = h.interaction_hash else { continue };
                    let department = h.department_id.and_then(|d| d.parse().ok()).unwrap_or(ZCHAT_DEPARTMENT);
                    sim.zchat().restore_interaction(&hash, department, json!({ "name": c.title }));
                }
            }
            Provider::Wegly => {
                for c in self.demo_conversations(&account.id).await? {
                    let target = self.inner.store.conversation_target(&c.id).await?;
                    let Some(wa) = target.contact_external_id.as_deref() else { continue };
                    if uuid::Uuid::parse_str(&target.external_id).is_err() {
                        continue; // a start Wegly never answered
                    }
                    let last_customer_message = c.window_expires_at.map(|end| end - crate::providers::wegly::WINDOW);
                    sim.wegly().restore_chat(&target.external_id, wa, Some(&c.title), last_customer_message);
                }
            }
        }
        Ok(())
    }

    async fn demo_conversations(&self, account_id: &str) -> Result<Vec<ConversationSummary>> {
        let filter = ConversationFilter { account_id: Some(account_id.into()), limit: Some(100), ..Default::default() };
        Ok(self.inner.store.list_conversations(&filter).await?.items)
    }

    /// A simulated customer (or a provider's agent, in a hand-off) writes in (demo mode only).
    pub async fn simulate_inbound(&self) -> Result<()> {
        let demo = self.inner.demo.lock().await;
        let demo = demo.as_ref().ok_or_else(|| Error::Unsupported("the demo is not running".into()))?;
        let mut providers: Vec<Provider> =
            Provider::ALL.into_iter().filter(|p| demo.accounts.contains_key(p)).collect();
        // A provider with nobody to write (a hand-off provider whose conversations were removed)
        // gives way to another.
        while !providers.is_empty() {
            let provider = providers[rand::random_range(0..providers.len())];
            if self.simulate_one(demo, provider).await? {
                return Ok(());
            }
            providers.retain(|p| *p != provider);
        }
        Err(Error::Unsupported("no demo conversation to write in".into()))
    }

    /// One simulated event of `provider`; false when it has nobody to write.
    async fn simulate_one(&self, demo: &Demo, provider: Provider) -> Result<bool> {
        let sim = &demo.sim;
        let agent_text = || {
            let text = AGENT_MESSAGES.choose(&mut rand::rng()).copied().unwrap_or(AGENT_MESSAGES[0]);
            let agent = if provider == Provider::Omnize { OMNIZE_AGENT } else { ZCHAT_AGENT };
            TriggerEvent::agent_text(text, agent)
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
                let Some(hash) = self.open_handoff(demo, provider).await?.and_then(|c| c.handoff?.interaction_hash)
                else {
                    return Ok(false);
                };
                delivered("ZChat trigger", sim.zchat().fire(Trigger::interaction(hash, agent_text())).await)?;
            }
            Provider::Omnize => {
                let Some(c) = self.open_handoff(demo, provider).await? else { return Ok(false) };
                let target = self.inner.store.conversation_target(&c.id).await?;
                delivered(
                    "Omnize trigger",
                    sim.zchat().fire(Trigger::whatsapp(target.external_id, agent_text())).await,
                )?;
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
    async fn open_handoff(&self, demo: &Demo, provider: Provider) -> Result<Option<ConversationSummary>> {
        let Some(account_id) = demo.accounts.get(&provider) else { return Ok(None) };
        Ok(self
            .demo_conversations(account_id)
            .await?
            .into_iter()
            .find(|c| c.handoff.as_ref().is_some_and(|h| h.state != HandoffState::Finished)))
    }
}

/// The simulator as the demo needs it, before any account talks to it: this run's tokens, the
/// departments hand-offs go to, and Cirrus's contacts and tags (the same ids every run, so the
/// inbox's synced copies stay tied to them).
fn prepare_simulator(sim: &SimHandle, run: &RunSecrets) {
    let zchat = sim.zchat();
    zchat.set_token(run.zchat_token.expose());
    zchat.set_departments(vec![
        SimDepartment::new(ZCHAT_DEPARTMENT, "Suporte", true).with_agent(111, ZCHAT_AGENT),
        SimDepartment::new(2, "Vendas", true).with_agent(123, "Marcos Vieira"),
        SimDepartment::new(3, "Financeiro", false),
        SimDepartment::new(OMNIZE_DEPARTMENT, "Pós-venda", true).with_agent(131, OMNIZE_AGENT),
    ]);
    let cirrus = sim.cirrus();
    cirrus.require_token(Some(run.cirrus_token.expose().to_owned()));
    let created = Utc::now() - chrono::Duration::days(30);
    for (id, name, color) in CIRRUS_TAGS {
        cirrus.put_tag(CirrusTag {
            id: (*id).into(),
            client_identifier: CIRRUS_CLIENT.into(),
            name: (*name).into(),
            color: Some((*color).into()),
            created_at: created,
            updated_at: created,
        });
    }
    for (id, number, name, tags) in CIRRUS_CONTACTS {
        cirrus.put_contact(CirrusContact {
            id: (*id).into(),
            client_identifier: CIRRUS_CLIENT.into(),
            channel_id: CIRRUS_CHANNEL.into(),
            contact_identifier: (*number).into(),
            name: (*name).into(),
            custom_name: None,
            kind: "individual".into(),
            channel_type: "whatsapp".into(),
            photo: None,
            tag_ids: tags.iter().map(|t| (*t).to_owned()).collect(),
            platform: Some("karoochat".into()),
            is_ignored: false,
            created_at: created,
            updated_at: created,
        });
    }
    sim.wegly().add_token(run.wegly_token.expose());
}

fn demo_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Mconnect => "Demo mConnect",
        Provider::Zchat => "Demo ZChat",
        Provider::Omnize => "Demo Omnize",
        Provider::Cirrus => "Demo Cirrus",
        Provider::Wegly => "Demo Wegly",
    }
}

/// A demo account's settings and secrets, pointing at this run's simulator.
fn demo_settings(
    sim: &SimHandle,
    run: &RunSecrets,
    provider: Provider,
) -> (Map<String, Value>, BTreeMap<String, Sensitive>) {
    let secret = |field: &str, value: &Sensitive| (field.to_owned(), value.clone());
    let (settings, secrets) = match provider {
        Provider::Mconnect => (
            json!({ "base_url": sim.mconnect_url(), "number": MCONNECT_NUMBER, "company": "demo", "username": "demo" }),
            BTreeMap::new(),
        ),
        Provider::Zchat => (
            json!({ "flavour": "interactions", "base_url": sim.zchat_url(), "department_id": ZCHAT_DEPARTMENT }),
            BTreeMap::from([secret("token", &run.zchat_token)]),
        ),
        Provider::Omnize => (
            json!({ "flavour": "whatsapp", "base_url": sim.zchat_url(), "department_id": OMNIZE_DEPARTMENT }),
            BTreeMap::from([secret("token", &run.zchat_token)]),
        ),
        Provider::Cirrus => (
            json!({
                "base_url": sim.cirrus_url(),
                "client_identifier": CIRRUS_CLIENT,
                "channel_id": CIRRUS_CHANNEL,
                "platform_config_id": CIRRUS_PLATFORM_CONFIG,
                "platform": "karoochat",
                "service": "whatsappweb",
                "company_name": "Loja Demo",
                "agent_name": "Equipe Loja Demo",
            }),
            BTreeMap::from([secret("token", &run.cirrus_token)]),
        ),
        Provider::Wegly => (
            json!({ "base_url": sim.wegly_url(), "whatsapp_phone_id": DEFAULT_PHONE_ID }),
            BTreeMap::from([secret("token", &run.wegly_token), secret("signing_secret", &run.wegly_signing_secret)]),
        ),
    };
    (settings.as_object().cloned().unwrap_or_default(), secrets)
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
