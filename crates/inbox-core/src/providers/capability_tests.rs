//! Each provider's declared capabilities and its implemented operations agree, both ways: a
//! capability that names an operation is declared exactly when the connector implements that
//! operation (anything but `unsupported` when called), and an optional part (`handoffs`,
//! `chats`, `directory`) is there exactly when a capability it carries is declared.
//!
//! The connectors talk to a local server that answers `{}` to everything, so an implemented
//! operation fails (or not) for its own reasons, never with `unsupported`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{AccountContext, Connector, connector, validate_settings};
use crate::exchange::{AccountRow, ConversationTarget};
use crate::model::{Capability, HandoffUpdate, Provider, StartConversation};
use crate::{Error, Result, Sensitive};

/// Every capability, from the wire enum's list in the generated contract (so a new one is not
/// forgotten here).
fn all_capabilities() -> Vec<Capability> {
    let listed = include_str!("../../../../ui/src/lib/backend/generated/Capability.ts");
    listed
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|name| serde_json::from_value(Value::String(name.to_owned())).expect("a capability the engine knows"))
        .collect()
}

/// A server on loopback answering `200 {}` to every request.
async fn answering_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(|| async { axum::Json(json!({})) });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The accounts to check: every provider, and each settings variant that changes what it can do.
fn accounts(base: &str) -> Vec<(Provider, Value)> {
    vec![
        (
            Provider::Mconnect,
            json!({"base_url": format!("{base}/api/"), "number": "5511900001111", "company": "c", "username": "u"}),
        ),
        (Provider::Zchat, json!({"flavour": "interactions", "base_url": base, "department_id": 7})),
        (Provider::Zchat, json!({"flavour": "whatsapp", "base_url": base, "department_id": 7})),
        (Provider::Omnize, json!({"flavour": "whatsapp", "base_url": base, "department_id": 7})),
        (Provider::Omnize, json!({"flavour": "interactions", "base_url": base, "department_id": 7})),
        (
            Provider::Cirrus,
            json!({"base_url": base, "client_identifier": "c", "channel_id": "ch", "platform_config_id": "p",
                   "platform": "karoochat", "service": "whatsappweb", "company_name": "Loja"}),
        ),
        (
            Provider::Cirrus,
            json!({"base_url": base, "client_identifier": "c", "channel_id": "ch", "platform_config_id": "p",
                   "platform": "karoochat", "service": "d360"}),
        ),
        (Provider::Wegly, json!({"base_url": base, "whatsapp_phone_id": "5f2b7c1e-0000-4000-8000-000000000001"})),
    ]
}

fn make(provider: Provider, settings: &Value) -> Box<dyn Connector> {
    let settings: Map<String, Value> = settings.as_object().unwrap().clone();
    let settings = validate_settings(provider, &settings).unwrap_or_else(|e| panic!("{provider:?} settings: {e}"));
    let secrets: BTreeMap<String, Sensitive> =
        [("token", "t0ken"), ("signing_secret", "s3cret")].map(|(k, v)| (k.to_owned(), Sensitive::new(v))).into();
    let account = AccountRow {
        id: "account-1".into(),
        provider,
        name: "Loja".into(),
        settings,
        demo: false,
        created_at: chrono::Utc::now(),
    };
    connector(AccountContext { http: reqwest::Client::new(), account, secrets, webhook_url: None }).unwrap()
}

fn target() -> ConversationTarget {
    let mut meta = Map::new();
    meta.insert("interaction_hash".into(), json!("abc123"));
    meta.insert("session_id".into(), json!("s1"));
    ConversationTarget {
        conversation_id: "c1".into(),
        account_id: "account-1".into(),
        external_id: "5511987650001".into(),
        title: "Cliente".into(),
        meta,
        ..ConversationTarget::default()
    }
}

fn implemented<T>(result: Result<T>) -> bool {
    !matches!(result, Err(Error::NotSupported(_)))
}

/// Whether the connector implements the operation `cap` names; `None` for a capability that
/// shapes what may be sent rather than naming an operation.
async fn probe(c: &dyn Connector, cap: Capability) -> Option<bool> {
    let t = target();
    Some(match cap {
        Capability::StartConversation => {
            let input =
                StartConversation { account_id: "account-1".into(), to: "5511987650001".into(), ..Default::default() };
            implemented(c.plan_start(&input))
        }
        Capability::Typing => implemented(c.typing(&t, true).await),
        Capability::Delete => implemented(c.delete_message(&t, "m1").await),
        Capability::RemoveReaction => implemented(c.remove_reaction(&t, "m1").await),
        Capability::Handoff => c.handoffs().is_some(),
        Capability::Departments => match c.handoffs() {
            Some(h) => implemented(h.list_departments().await),
            None => false,
        },
        Capability::HandoffUpdate => match c.handoffs() {
            Some(h) => {
                let update = HandoffUpdate { note: Some("nota".into()), ..Default::default() };
                implemented(h.update_handoff(&t, &update).await)
            }
            None => false,
        },
        Capability::Reassign => match c.chats() {
            Some(x) => implemented(x.reassign(&t, "5f2b7c1e-0000-4000-8000-000000000002").await),
            None => false,
        },
        Capability::Refresh => match c.chats() {
            Some(x) => implemented(x.refresh(&t).await),
            None => false,
        },
        Capability::HistoryImport => match c.chats() {
            Some(x) => implemented(x.history_page(&t, None).await),
            None => false,
        },
        Capability::ContactSync => match c.directory() {
            Some(d) => implemented(d.pull_contacts(1).await),
            None => false,
        },
        Capability::TagSync => match c.directory() {
            Some(d) => implemented(d.pull_tags().await),
            None => false,
        },
        _ => return None,
    })
}

#[tokio::test]
async fn declared_capabilities_and_implemented_operations_agree() {
    let base = answering_server().await;
    let all = all_capabilities();
    assert!(all.len() >= 23, "the capability list was read: {all:?}");
    let mut probed = 0;
    for (provider, settings) in accounts(&base) {
        let c = make(provider, &settings);
        let declared = c.capabilities();
        for &cap in &all {
            let Some(works) = probe(c.as_ref(), cap).await else { continue };
            probed += 1;
            assert_eq!(
                declared.contains(&cap),
                works,
                "{provider:?} {settings}: `{cap:?}` is {} but its operation is {}",
                if declared.contains(&cap) { "declared" } else { "not declared" },
                if works { "implemented" } else { "unsupported" },
            );
        }
        for part in [Part::Handoffs, Part::Chats, Part::Directory] {
            let carried = all.iter().any(|&cap| part_of(cap) == Some(part) && declared.contains(&cap));
            assert_eq!(c.has(part), carried, "{provider:?} {settings}: part {part:?}");
        }
    }
    assert!(probed > 50, "operations were probed: {probed}");
}

/// Which part of a connector carries the operations of a capability, for the capabilities that
/// name an operation (the rest shape what may be sent, and `outbound` checks those).
fn part_of(capability: Capability) -> Option<Part> {
    use Capability::*;
    Some(match capability {
        HandoffUpdate | Departments | Handoff => Part::Handoffs,
        Reassign | Refresh | HistoryImport => Part::Chats,
        ContactSync | TagSync => Part::Directory,
        _ => return None,
    })
}

/// The optional parts of a [`Connector`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Handoffs,
    Chats,
    Directory,
}

impl dyn Connector + '_ {
    /// Whether the connector has `part`.
    fn has(&self, part: Part) -> bool {
        match part {
            Part::Handoffs => self.handoffs().is_some(),
            Part::Chats => self.chats().is_some(),
            Part::Directory => self.directory().is_some(),
        }
    }
}
