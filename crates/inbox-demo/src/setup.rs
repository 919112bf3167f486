//! What the demo is made of: the simulator's state before any account talks to it (this run's
//! tokens, the departments, Cirrus's contacts and tags) and each demo account's name, settings and
//! secrets.

use std::collections::BTreeMap;

use chrono::Utc;
use inbox_core::{Provider, Sensitive};
use inbox_sim::SimHandle;
use inbox_sim::cirrus::{CirrusContact, CirrusTag};
use inbox_sim::wegly::DEFAULT_PHONE_ID;
use inbox_sim::zchat::SimDepartment;
use serde_json::{Map, Value, json};

/// The mConnect demo account's number.
pub(crate) const MCONNECT_NUMBER: &str = "5511900000000";

/// ZChat/Omnize departments, with the agents who answer the seeded hand-offs.
pub(crate) const ZCHAT_DEPARTMENT: i64 = 1;
pub(crate) const ZCHAT_AGENT: &str = "Renata Alves";
pub(crate) const OMNIZE_DEPARTMENT: i64 = 4;
pub(crate) const OMNIZE_AGENT: &str = "Lívia Prado";

/// The Cirrus demo workspace (a client identifier is a UUID, the other ids are Mongo ids).
pub(crate) const CIRRUS_CLIENT: &str = "5f0c6a2e-9d41-4b8e-a7c3-2e6d9b14f0a8";
pub(crate) const CIRRUS_CHANNEL: &str = "65a1f0c2e4b0a1b2c3d4e5f6";
pub(crate) const CIRRUS_PLATFORM_CONFIG: &str = "65a1f0c2e4b0a1b2c3d4e5f7";
/// Cirrus's contacts and tags in the demo: (id, number, name, tag ids) and (id, name, colour).
pub(crate) const CIRRUS_CONTACTS: &[(&str, &str, &str, &[&str])] = &[
    ("65a1f10ae4b0a1b2c3d40001", "5531988887777", "Fernanda Lima", &["65a1f10ae4b0a1b2c3d4f001"]),
    ("65a1f10ae4b0a1b2c3d40002", "5531991234567", "Roberto Nogueira", &["65a1f10ae4b0a1b2c3d4f002"]),
    (
        "65a1f10ae4b0a1b2c3d40003",
        "5531987650123",
        "Luíza Martins",
        &["65a1f10ae4b0a1b2c3d4f001", "65a1f10ae4b0a1b2c3d4f003"],
    ),
];
pub(crate) const CIRRUS_TAGS: &[(&str, &str, &str)] = &[
    ("65a1f10ae4b0a1b2c3d4f001", "Cliente VIP", "#d97706"),
    ("65a1f10ae4b0a1b2c3d4f002", "Atacado", "#2563eb"),
    ("65a1f10ae4b0a1b2c3d4f003", "Pós-venda", "#059669"),
];

/// What remote agents say when the demo makes one write in.
pub(crate) const AGENT_MESSAGES: &[&str] = &[
    "Só um instante, estou consultando o seu cadastro.",
    "Pronto! Já registrei a sua solicitação. Posso ajudar em mais alguma coisa?",
    "Encaminhei o caso para a equipe responsável; a resposta chega em até 2 dias úteis.",
    "Consegui aplicar o desconto: o novo boleto chega por e-mail em alguns minutos.",
    "Obrigada pela paciência! O código de rastreio já está disponível no site.",
];

/// This run's provider secrets: given to the simulator and to the demo accounts, never stored.
pub(crate) struct RunSecrets {
    /// ZChat and Omnize share the simulator's one API token.
    pub(crate) zchat_token: Sensitive,
    pub(crate) cirrus_token: Sensitive,
    pub(crate) wegly_token: Sensitive,
    pub(crate) wegly_signing_secret: Sensitive,
}

impl RunSecrets {
    pub(crate) fn new() -> RunSecrets {
        let random = |prefix: &str| Sensitive::new(format!("{prefix}-{}", hex::encode(rand::random::<[u8; 16]>())));
        RunSecrets {
            zchat_token: random("demo-zchat"),
            cirrus_token: random("demo-cirrus"),
            wegly_token: random("demo-wegly"),
            wegly_signing_secret: random("demo-wegly-signing"),
        }
    }
}

/// The simulator as the demo needs it, before any account talks to it: this run's tokens, the
/// departments hand-offs go to, and Cirrus's contacts and tags (the same ids every run, so the
/// inbox's synced copies stay tied to them).
pub(crate) fn prepare_simulator(sim: &SimHandle, run: &RunSecrets) {
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

pub(crate) fn demo_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Mconnect => "Demo mConnect",
        Provider::Zchat => "Demo ZChat",
        Provider::Omnize => "Demo Omnize",
        Provider::Cirrus => "Demo Cirrus",
        Provider::Wegly => "Demo Wegly",
    }
}

/// A demo account's settings and secrets, pointing at this run's simulator.
pub(crate) fn demo_settings(
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
