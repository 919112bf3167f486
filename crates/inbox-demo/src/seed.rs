//! The demo's conversations: seeded once, when a provider's demo account is created, and on later
//! runs the provider-side state they left put back into the new simulator.

use chrono::Utc;
use inbox_core::model::{
    Account, HandoffState, MessageKind, Provider, SendMessage, StartConversation, Template, TemplateField,
};
use inbox_core::{Error, Inbox, Result};
use inbox_sim::zchat::{Trigger, TriggerEvent};
use inbox_sim::{CirrusInbound, CustomerMessage, Inbound, SimHandle, WeglyEvent};
use serde_json::json;

use crate::setup::{CIRRUS_CONTACTS, MCONNECT_NUMBER, OMNIZE_AGENT, ZCHAT_AGENT, ZCHAT_DEPARTMENT};
use crate::{conversations, delivered};

/// The first look at a provider: conversations that show what it does.
pub(crate) async fn seed(inbox: &Inbox, sim: &SimHandle, account: &Account) -> Result<()> {
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
            let started = inbox
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
            inbox
                .start_conversation(StartConversation {
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
            if let Err(e) = inbox.sync_account(&account.id).await {
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
                rendered: None,
            };
            let started = inbox
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
            let first = inbox.list_messages(&started.id, None, Some(10)).await?;
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
pub(crate) async fn restore(inbox: &Inbox, sim: &SimHandle, account: &Account) -> Result<()> {
    match account.provider {
        // mConnect keeps nothing; the Omnize API opens an interaction with the next message;
        // Cirrus's contacts and tags are put back with the simulator (sessions it has lost
        // are answered by sending proactively).
        Provider::Mconnect | Provider::Omnize | Provider::Cirrus => {}
        Provider::Zchat => {
            for c in conversations(inbox, &account.id).await? {
                let Some(h) = c.handoff.filter(|h| h.state != HandoffState::Finished) else { continue };
                let Some(hash) = h.interaction_hash else { continue };
                let department = h.department_id.and_then(|d| d.parse().ok()).unwrap_or(ZCHAT_DEPARTMENT);
                sim.zchat().restore_interaction(&hash, department, json!({ "name": c.title }));
            }
        }
        Provider::Wegly => {
            for c in conversations(inbox, &account.id).await? {
                let target = inbox.conversation_target(&c.id).await?;
                let Some(wa) = target.contact_external_id.as_deref() else { continue };
                if uuid::Uuid::parse_str(&target.external_id).is_err() {
                    continue; // a start Wegly never answered
                }
                let last_customer_message = c.window_expires_at.map(|end| end - inbox_core::providers::wegly::WINDOW);
                sim.wegly().restore_chat(&target.external_id, wa, Some(&c.title), last_customer_message);
            }
        }
    }
    Ok(())
}
