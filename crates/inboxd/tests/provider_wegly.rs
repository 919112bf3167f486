//! Wegly end to end over loopback: the engine (in-memory secrets) behind inboxd's HTTP API, the
//! simulator as Wegly, its signed webhooks into the engine's receiver. Results are read back
//! through `/api/conversations` and `/api/conversations/{id}/messages`.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{Api, until};
use inbox_core::{
    Event, HistoryProgress, MessageKind, NewAccount, Provider, SendMessage, Sensitive, StartConversation, Template,
    TemplateField,
};
use inbox_sim::wegly::{DEFAULT_PHONE_ID, DEFAULT_TOKEN};
use inbox_sim::{CustomerMessage, Recorded, Signing, WeglyEvent};
use serde_json::{Value, json};

const SIGNING_SECRET: &str = "whsec-wegly-e2e-0001";

impl Api {
    /// Creates the Wegly account over the API and subscribes the simulator to its webhook URL.
    async fn account(&self, signing: Signing) -> Value {
        let account = self
            .create_account(json!({"provider": "wegly", "name": "Loja Wegly", "settings": {
                "base_url": self.sim.wegly_url(), "whatsapp_phone_id": DEFAULT_PHONE_ID},
                "secrets": {"token": DEFAULT_TOKEN, "signing_secret": SIGNING_SECRET}}))
            .await;
        let text = account.to_string();
        assert!(!text.contains(DEFAULT_TOKEN) && !text.contains(SIGNING_SECRET), "no secret in the account: {text}");
        let mut set: Vec<&str> = account["secrets_set"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        set.sort();
        assert_eq!(set, ["signing_secret", "token"]);
        self.sim.wegly().subscribe(account["webhook_url"].as_str().unwrap(), SIGNING_SECRET, signing);
        account
    }

    /// The last request the simulated Wegly got with this method and path.
    fn request(&self, method: &str, path: &str) -> Recorded {
        self.last_request(method, |p| p == path)
    }
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("a timestamp")).unwrap().with_timezone(&Utc)
}

fn customer(chat_id: &str, text: &str) -> WeglyEvent {
    WeglyEvent::MessageReceived(CustomerMessage {
        chat_id: Some(chat_id.into()),
        text: Some(text.into()),
        ..Default::default()
    })
}

#[tokio::test]
async fn a_wegly_chat_from_its_template_to_its_reassignment() {
    let e = common::start().await;
    let account = e.account(Signing::Base64).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    let wegly = e.sim.wegly();

    let test = e.inbox.test_account(&account_id).await.unwrap();
    assert!(test.ok, "{}", test.message);

    // Start: the first message is a template, sent by creating the chat.
    let template = Template {
        name: "saudacao_inicial".into(),
        language: "pt_BR".into(),
        fields: vec![TemplateField {
            component: "BODY".into(),
            kind: "TEXT".into(),
            index: 1,
            value: "Joana".into(),
            button_index: None,
            card_index: None,
        }],
        rendered: None,
    };
    let start = |message: SendMessage| StartConversation {
        account_id: account_id.clone(),
        to: "+55 11 98888-7777".into(),
        name: Some("Joana Prado".into()),
        message: Some(message),
        ..StartConversation::default()
    };
    let refused = e.inbox.start_conversation(start(SendMessage::text("Oi Joana"))).await.unwrap_err();
    assert_eq!(refused.code(), "invalid_input");
    assert!(refused.public_message().contains("template"), "{refused}");
    let template_message =
        SendMessage { kind: MessageKind::Template, template: Some(template), ..SendMessage::default() };
    let started = e.inbox.start_conversation(start(template_message)).await.unwrap();
    let conv = started.id.clone();
    let chat_id = wegly.chat_of("5511988887777").expect("Wegly has the chat");
    assert_eq!(
        e.request("POST", "/wegly/chats").body.unwrap(),
        json!({"whatsapp_phone_id": DEFAULT_PHONE_ID, "wa_contact_id": "5511988887777",
               "remote_profile_name": "Joana Prado",
               "template": {"name": "saudacao_inicial", "language": "pt_BR"},
               "template_fields": [{"component": "BODY", "type": "TEXT", "index": 1, "value": "Joana"}]})
    );
    let c = e.conversation(&conv).await;
    assert_eq!(c["title"], "Joana Prado");
    assert_eq!(c["provider"], "wegly");
    assert!(time(&c["window_expires_at"]) <= Utc::now(), "the customer never wrote: the window is closed");
    let first = &e.messages(&conv).await[0];
    assert_eq!((first["kind"].as_str(), first["status"].as_str()), (Some("template"), Some("sent")));
    assert_eq!(first["provider_message_id"], wegly.chat(&chat_id).unwrap()["last_message"]["id"]);

    // Free text waits for the customer.
    let (status, error) = e.post_message(&conv, json!({"kind": "text", "body": "Oi Joana"})).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("unsupported")), "{error}");
    assert!(error["message"].as_str().unwrap().contains("24-hour window"));

    // The customer writes: the window opens for 24 hours from the message.
    let fired = wegly.fire(customer(&chat_id, "Oi! Recebi sua mensagem")).await.unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let inbound_wegly_id = fired.message_id.clone().unwrap();
    let c = e.conversation(&conv).await;
    assert_eq!(c["unread_count"], 1);
    let window = time(&c["window_expires_at"]);
    assert!(window > Utc::now() + chrono::Duration::hours(23), "{window}");
    let inbound = e.messages(&conv).await[0].clone();
    assert_eq!(
        (inbound["direction"].as_str(), inbound["body"].as_str()),
        (Some("inbound"), Some("Oi! Recebi sua mensagem"))
    );
    assert_eq!(inbound["sender_name"], "Joana Prado");
    let inbound_id = inbound["id"].as_str().unwrap().to_owned();

    // A quoted reply carries the quoted message's WhatsApp id.
    let reply = e.send_settled(&conv, json!({"kind": "text", "body": "Que bom!", "reply_to": inbound_id})).await;
    assert_eq!(reply["status"], "sent", "{reply}");
    assert_eq!(reply["quoted_message_id"], inbound_id.as_str());
    let wamid =
        wegly.messages(&chat_id).into_iter().find(|m| m["id"] == inbound_wegly_id.as_str()).unwrap()["wamid"].clone();
    let path = format!("/wegly/chats/{chat_id}/messages");
    assert_eq!(
        e.request("POST", &path).body.unwrap(),
        json!({"type": "text", "body": "Que bom!", "reference_wamid": wamid})
    );
    let reply_wegly_id = reply["provider_message_id"].as_str().unwrap().to_owned();
    let on_wegly = wegly.messages(&chat_id).into_iter().find(|m| m["id"] == reply_wegly_id.as_str()).unwrap();
    assert_eq!(on_wegly["quoted_message"]["id"], inbound_wegly_id.as_str());

    // Media: an image with caption and name; a document named by its URL; a GIF is refused here.
    let image = e
        .send_settled(
            &conv,
            json!({"kind": "image", "media_url": "https://cdn.example.com/fotos/produto.jpg", "caption": "Seu produto",
                   "file_name": "produto.jpg"}),
        )
        .await;
    assert_eq!(image["status"], "sent", "{image}");
    assert_eq!(
        e.request("POST", &path).body.unwrap(),
        json!({"type": "media", "body": "Seu produto", "media": {"url": "https://cdn.example.com/fotos/produto.jpg",
               "media_type": "image", "file_name": "produto.jpg", "mime_type": "image/jpeg"}})
    );
    let file =
        e.send_settled(&conv, json!({"kind": "file", "media_url": "https://cdn.example.com/docs/boleto.pdf"})).await;
    assert_eq!(file["status"], "sent", "{file}");
    assert_eq!(
        e.request("POST", &path).body.unwrap(),
        json!({"type": "media", "media": {"url": "https://cdn.example.com/docs/boleto.pdf", "media_type": "document",
               "file_name": "boleto.pdf", "mime_type": "application/pdf"}})
    );
    let requests_before = e.sim.requests().len();
    let gif = e.send_settled(&conv, json!({"kind": "image", "media_url": "https://cdn.example.com/anim.gif"})).await;
    assert_eq!(gif["status"], "failed");
    assert!(gif["error"].as_str().unwrap().contains("JPEG or PNG"), "{gif}");
    assert_eq!(e.sim.requests().len(), requests_before, "nothing reached Wegly");

    // Buttons, a list, a location.
    let buttons = e
        .send_settled(
            &conv,
            json!({"kind": "interactive", "interactive": {"body": "Posso ajudar em algo mais?",
                   "buttons": [{"id": "sim", "title": "Sim"}, {"id": "nao", "title": "Não"}]}}),
        )
        .await;
    assert_eq!(buttons["status"], "sent", "{buttons}");
    let interactive_path = format!("{path}/interactive");
    assert_eq!(
        e.request("POST", &interactive_path).body.unwrap(),
        json!({"type": "button", "body": "Posso ajudar em algo mais?",
               "buttons": [{"id": "sim", "title": "Sim"}, {"id": "nao", "title": "Não"}]})
    );
    let list = e
        .send_settled(
            &conv,
            json!({"kind": "interactive", "interactive": {"body": "Escolha um horário", "list_button": "Ver horários",
                   "footer": "Loja Centro",
                   "sections": [{"title": "Manhã", "rows": [{"id": "9h", "title": "9h", "description": "Retirada"}]}]}}),
        )
        .await;
    assert_eq!(list["status"], "sent", "{list}");
    assert_eq!(list["payload"]["interactive"]["list_button"], "Ver horários");
    assert_eq!(
        e.request("POST", &interactive_path).body.unwrap(),
        json!({"type": "list", "body": "Escolha um horário", "button": "Ver horários", "footer": "Loja Centro",
               "sections": [{"title": "Manhã", "rows": [{"id": "9h", "title": "9h", "description": "Retirada"}]}]})
    );
    let location = e
        .send_settled(
            &conv,
            json!({"kind": "location", "location": {"latitude": -23.5614, "longitude": -46.6559,
                   "name": "Loja Paulista", "address": "Av. Paulista, 1000"}}),
        )
        .await;
    assert_eq!(location["status"], "sent", "{location}");
    assert_eq!(
        e.request("POST", &format!("{path}/location")).body.unwrap(),
        json!({"latitude": -23.5614, "longitude": -46.6559, "name": "Loja Paulista", "address": "Av. Paulista, 1000"})
    );
    assert_eq!(e.messages(&conv).await.len(), 9);

    // Wegly echoes our reply: nothing new. An agent writing in Wegly's app: a new outbound message.
    let echo = wegly
        .fire(WeglyEvent::MessageSent {
            chat_id: chat_id.clone(),
            message_id: Some(reply_wegly_id.clone()),
            text: None,
        })
        .await
        .unwrap();
    assert_eq!(echo.status, 200);
    assert!(echo.response.contains("duplicate"), "{}", echo.response);
    assert_eq!(e.messages(&conv).await.len(), 9);
    let from_app = wegly
        .fire(WeglyEvent::MessageSent {
            chat_id: chat_id.clone(),
            message_id: None,
            text: Some("Enviado pelo app".into()),
        })
        .await
        .unwrap();
    assert_eq!(from_app.status, 200);
    let newest = e.messages(&conv).await[0].clone();
    assert_eq!((newest["direction"].as_str(), newest["body"].as_str()), (Some("outbound"), Some("Enviado pelo app")));
    assert_eq!(newest["sender_name"], wegly.users()[0].name.as_str());
    assert_eq!(newest["status"], "sent");

    // Statuses only move forward; a failure after "sent" is kept with its reason.
    let status = |message_id: &str, status: &str, error: Option<&str>| WeglyEvent::Status {
        chat_id: chat_id.clone(),
        message_id: message_id.into(),
        status: status.into(),
        error: error.map(str::to_owned),
    };
    assert_eq!(wegly.fire(status(&reply_wegly_id, "read", None)).await.unwrap().status, 200);
    assert_eq!(e.message(&conv, reply["id"].as_str().unwrap()).await["status"], "read");
    let late = wegly.fire(status(&reply_wegly_id, "delivered", None)).await.unwrap();
    assert!(late.response.contains("duplicate"), "{}", late.response);
    assert_eq!(e.message(&conv, reply["id"].as_str().unwrap()).await["status"], "read");
    let image_wegly_id = image["provider_message_id"].as_str().unwrap();
    wegly.fire(status(image_wegly_id, "failed", Some("131053 media upload error"))).await.unwrap();
    let image_now = e.message(&conv, image["id"].as_str().unwrap()).await;
    assert_eq!(image_now["status"], "failed");
    assert!(image_now["error"].as_str().unwrap().contains("131053"), "{image_now}");

    // The customer's reactions: set, replaced, removed (one per reactor).
    let react = |message_id: &str, emoji: Option<&str>, actor: &str| WeglyEvent::Reaction {
        chat_id: chat_id.clone(),
        message_id: message_id.into(),
        emoji: emoji.map(str::to_owned),
        actor: Some(actor.into()),
    };
    let reactions = async |id: &str| e.message(&conv, id).await["reactions"].clone();
    let reply_id = reply["id"].as_str().unwrap();
    wegly.fire(react(&reply_wegly_id, Some("👍"), "CONTACT")).await.unwrap();
    assert_eq!(reactions(reply_id).await, json!([{"reactor": "5511988887777", "emoji": "👍", "from_me": false}]));
    wegly.fire(react(&reply_wegly_id, Some("❤️"), "CONTACT")).await.unwrap();
    assert_eq!(reactions(reply_id).await, json!([{"reactor": "5511988887777", "emoji": "❤️", "from_me": false}]));
    wegly.fire(react(&reply_wegly_id, None, "CONTACT")).await.unwrap();
    assert_eq!(reactions(reply_id).await, json!([]));
    // Ours (made in Wegly's app), removed from the inbox.
    wegly.fire(react(&inbound_wegly_id, Some("🙏"), "USER")).await.unwrap();
    assert_eq!(reactions(&inbound_id).await, json!([{"reactor": "business", "emoji": "🙏", "from_me": true}]));
    let removed = e.inbox.remove_reaction(&inbound_id).await.unwrap();
    assert!(removed.reactions.is_empty());
    e.request("DELETE", &format!("{path}/{inbound_wegly_id}/reaction"));
    assert_eq!(reactions(&inbound_id).await, json!([]));
    let on_wegly = wegly.messages(&chat_id).into_iter().find(|m| m["id"] == inbound_wegly_id.as_str()).unwrap();
    assert_eq!(on_wegly["reactions"], json!([]));
    let again = e.inbox.remove_reaction(&inbound_id).await.unwrap_err();
    assert_eq!(again.code(), "provider_error");
    assert!(again.public_message().contains("HTTP 404"), "{again}");

    // Reassign to another Wegly user.
    let users = wegly.users();
    let reassigned = e.inbox.reassign(&conv, &users[1].id).await.unwrap();
    assert_eq!(reassigned.assignee.as_deref(), Some(users[1].name.as_str()));
    assert_eq!(
        e.request("PATCH", &format!("/wegly/chats/{chat_id}/responsible")).body.unwrap(),
        json!({"user_id": users[1].id})
    );
    assert_eq!(e.conversation(&conv).await["assignee"], users[1].name.as_str());
    assert_eq!(e.inbox.reassign(&conv, "ana").await.unwrap_err().code(), "invalid_input");
    let unknown = e.inbox.reassign(&conv, "00000000-0000-4000-8000-000000000000").await.unwrap_err();
    assert!(unknown.public_message().contains("HTTP 404"), "{unknown}");

    // Changed in Wegly, with a webhook; then without one, read by a refresh.
    let changed = WeglyEvent::ChatUpdated {
        chat_id: chat_id.clone(),
        status: Some("RESOLVED".into()),
        priority: Some(3),
        user_id: None,
    };
    assert_eq!(wegly.fire(changed).await.unwrap().status, 200);
    let c = e.conversation(&conv).await;
    assert_eq!((c["status"].as_str(), c["priority"].as_i64()), (Some("resolved"), Some(3)));
    let (status, _) = e.call(reqwest::Method::POST, &format!("/api/conversations/{conv}/read"), None).await;
    assert_eq!(status, 200);
    wegly.set_chat(&chat_id, Some("SNOOZED"), Some(2), Some(&users[2].id)).unwrap();
    let refreshed = e.inbox.refresh_conversation(&conv).await.unwrap();
    assert_eq!(refreshed.status, inbox_core::ConversationStatus::Snoozed);
    let c = e.conversation(&conv).await;
    assert_eq!((c["status"].as_str(), c["priority"].as_i64()), (Some("snoozed"), Some(2)));
    assert_eq!(c["assignee"], users[2].name.as_str());
    assert_eq!(c["unread_count"], wegly.chat(&chat_id).unwrap()["unread_count"]);
    let session = time(&c["window_expires_at"]) - window;
    assert!(
        session >= chrono::Duration::zero() && session < chrono::Duration::seconds(1),
        "Wegly's session end: {session}"
    );

    // A refusal reaches the agent in words, with Wegly's message and status, and no token.
    wegly.fail_next(503, "Serviço em manutenção");
    let failed = e.send_settled(&conv, json!({"kind": "text", "body": "Ainda está aí?"})).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"], "Wegly refused it (HTTP 503): Serviço em manutenção.");

    // A CRM event is kept, raw, as an unrecognised event.
    let lead = wegly
        .fire(WeglyEvent::Business { event_key: "lead.created".into(), name: Some("Carlos Mendes".into()) })
        .await
        .unwrap();
    assert_eq!(lead.status, 200, "{}", lead.response);
    let unrecognised = e.conversations().await.into_iter().find(|c| c["title"] == "Unrecognised events").unwrap();
    let kept = &e.messages(unrecognised["id"].as_str().unwrap()).await[0];
    assert_eq!(kept["kind"], "unrecognised");
    assert_eq!(kept["body"], "Wegly event lead.created: Carlos Mendes");
    assert_eq!(kept["payload"]["raw"]["payload"]["lead"]["name"], "Carlos Mendes");

    let everything = format!("{:?}{:?}", e.conversations().await, e.messages(&conv).await);
    assert!(!everything.contains(DEFAULT_TOKEN) && !everything.contains(SIGNING_SECRET));
}

#[tokio::test]
async fn the_timeline_is_imported_page_by_page_until_done() {
    let e = common::start().await;
    e.account(Signing::Hex).await;
    let wegly = e.sim.wegly();
    let chat_id =
        wegly.seed_chat("5511955554444", Some("Renato Dias"), 120, Some(Utc::now() - chrono::Duration::hours(1)));
    wegly.fire(customer(&chat_id, "Voltei!")).await.unwrap();
    let conv = e.conversations().await[0]["id"].as_str().unwrap().to_owned();

    let mut events = e.inbox.subscribe();
    let started = e.inbox.import_history(&conv).await.unwrap();
    assert_eq!((started.imported, started.done), (0, false));
    let mut progress: Vec<HistoryProgress> = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(Event::HistoryProgress { progress: p }) = events.recv().await {
                let done = p.done;
                progress.push(p);
                if done {
                    break;
                }
            }
        }
    })
    .await
    .expect("the import ends");
    let imported: Vec<(u64, Option<u64>, bool)> = progress.iter().map(|p| (p.imported, p.total, p.done)).collect();
    assert_eq!(
        imported,
        [(50, Some(121), false), (100, Some(121), false), (121, Some(121), false), (121, Some(121), true)]
    );
    assert!(progress.iter().all(|p| p.error.is_none()));
    assert_eq!(e.sim.requests().iter().filter(|r| r.path.contains("/timeline?page=")).count(), 3);

    let messages = e.messages(&conv).await;
    assert_eq!(messages.len(), 121, "the delivered message is not imported twice");
    assert_eq!(messages.iter().filter(|m| m["direction"] == "inbound").count(), 61);
    assert!(messages.iter().filter(|m| m["direction"] == "outbound").all(|m| m["status"] == "read"));
    assert_eq!(messages[0]["body"], "Voltei!", "history is older than the latest message");
    let c = e.conversation(&conv).await;
    assert_eq!(c["unread_count"], 1, "imported history is not unread");
    assert_eq!(c["title"], "Renato Dias");

    // Running it again imports nothing new.
    e.inbox.import_history(&conv).await.unwrap();
    until("the second import ends", async || match events.recv().await {
        Ok(Event::HistoryProgress { progress }) if progress.done => Some(progress),
        _ => None,
    })
    .await;
    assert_eq!(e.messages(&conv).await.len(), 121);
}

#[tokio::test]
async fn free_text_waits_for_the_window_while_a_template_still_goes() {
    let e = common::start().await;
    e.account(Signing::HexUpper).await;
    let wegly = e.sim.wegly();
    let fired = wegly
        .fire(WeglyEvent::MessageReceived(CustomerMessage {
            wa_contact_id: Some("5511977776666".into()),
            contact_name: Some("Paula Reis".into()),
            text: Some("Ainda tem o modelo azul?".into()),
            at: Some(Utc::now() - chrono::Duration::hours(25)),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let chat_id = fired.chat_id.unwrap();
    let conv = e.conversations().await[0]["id"].as_str().unwrap().to_owned();
    assert!(time(&e.conversation(&conv).await["window_expires_at"]) < Utc::now());

    for body in [
        json!({"kind": "text", "body": "Tem sim!"}),
        json!({"kind": "image", "media_url": "https://cdn.example.com/azul.png"}),
        json!({"kind": "interactive", "interactive": {"body": "Reservo?", "buttons": [{"id": "s", "title": "Sim"}]}}),
        json!({"kind": "location", "location": {"latitude": -23.5, "longitude": -46.6}}),
    ] {
        let (status, error) = e.post_message(&conv, body.clone()).await;
        assert_eq!((status, error["code"].as_str()), (409, Some("unsupported")), "{body}: {error}");
        assert!(error["message"].as_str().unwrap().contains("only an approved template"));
    }
    assert_eq!(e.messages(&conv).await.len(), 1, "nothing refused was stored");
    let template = e
        .send_settled(
            &conv,
            json!({"kind": "template", "template": {"name": "retomada_contato", "language": "pt_BR",
                   "fields": [{"component": "BODY", "type": "TEXT", "index": 1, "value": "Paula"}]}}),
        )
        .await;
    assert_eq!(template["status"], "sent", "{template}");
    assert_eq!(template["body"], "[retomada_contato]");
    assert_eq!(
        e.request("POST", &format!("/wegly/chats/{chat_id}/messages")).body.unwrap(),
        json!({"type": "template", "template": {"name": "retomada_contato", "language": "pt_BR"},
               "template_fields": [{"component": "BODY", "type": "TEXT", "index": 1, "value": "Paula"}]})
    );

    // The customer answers the template: free text goes again.
    wegly.fire(customer(&chat_id, "Quero sim")).await.unwrap();
    let text = e.send_settled(&conv, json!({"kind": "text", "body": "Separado para você!"})).await;
    assert_eq!(text["status"], "sent", "{text}");

    // Should Wegly count the window differently, its refusal is shown as it said it.
    wegly.set_last_customer_msg_at(&chat_id, Some(Utc::now() - chrono::Duration::hours(30)));
    let refused = e.send_settled(&conv, json!({"kind": "text", "body": "Mais alguma coisa?"})).await;
    assert_eq!(refused["status"], "failed");
    let error = refused["error"].as_str().unwrap();
    assert!(error.starts_with("Wegly refused it (HTTP 422): Fora da janela de 24 horas"), "{error}");
}

#[tokio::test]
async fn signatures_tokens_and_allowed_domains() {
    let e = common::start().await;
    let account = e.account(Signing::Hex).await;
    let account_id = account["id"].as_str().unwrap();
    let wegly = e.sim.wegly();
    let event = || customer_new("5511966665555", "Olá");

    for signing in [Signing::WrongSecret, Signing::Missing] {
        let fired = wegly.fire_signed(event(), Some(signing)).await.unwrap();
        assert_eq!(fired.status, 401, "{signing:?}");
    }
    assert!(e.conversations().await.is_empty(), "a refused delivery stores nothing");
    assert_eq!(wegly.fire_signed(event(), Some(Signing::Base64Url)).await.unwrap().status, 200);
    assert_eq!(e.conversations().await.len(), 1);

    // Test connection: a token Wegly refuses, in words, without the token.
    let mut bad = BTreeMap::new();
    bad.insert("token".to_owned(), Sensitive::new("wrong-token-123456"));
    bad.insert("signing_secret".to_owned(), Sensitive::new("x"));
    let new = |secrets: BTreeMap<String, Sensitive>, origin: Option<&str>| NewAccount {
        provider: Provider::Wegly,
        name: "Teste".into(),
        settings: json!({"base_url": e.sim.wegly_url(), "whatsapp_phone_id": DEFAULT_PHONE_ID, "origin": origin})
            .as_object()
            .unwrap()
            .clone(),
        secrets,
    };
    let refused = e.inbox.test_new_account(new(bad, None)).await.unwrap();
    assert!(!refused.ok);
    assert!(refused.message.contains("HTTP 401") && refused.message.contains("token"), "{}", refused.message);
    assert!(!refused.message.contains("wrong-token-123456"));

    // A token restricted to an allowed domain works once the account sends that origin.
    wegly.set_allowed_domain(Some("crm.example.com".into()));
    let blocked = e.inbox.test_account(account_id).await.unwrap();
    assert!(!blocked.ok);
    assert!(blocked.message.contains("HTTP 403") && blocked.message.contains("Origin"), "{}", blocked.message);
    let mut settings = account["settings"].as_object().unwrap().clone();
    settings.insert("origin".into(), json!("https://crm.example.com"));
    e.inbox
        .update_account(account_id, inbox_core::AccountPatch { settings: Some(settings), ..Default::default() })
        .await
        .unwrap();
    let allowed = e.inbox.test_account(account_id).await.unwrap();
    assert!(allowed.ok, "{}", allowed.message);
    let probe = e.sim.requests().into_iter().rev().find(|r| r.path.starts_with("/wegly/chats/")).unwrap();
    assert_eq!(probe.method, "GET");
}

fn customer_new(wa: &str, text: &str) -> WeglyEvent {
    WeglyEvent::MessageReceived(CustomerMessage {
        wa_contact_id: Some(wa.into()),
        text: Some(text.into()),
        ..Default::default()
    })
}
