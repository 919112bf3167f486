//! ZChat (interactions flavour) and Omnize (WhatsApp flavour) end to end over loopback: the engine
//! with in-memory secrets, inboxd's HTTP API in front of it, the simulator as the provider. What
//! the provider does is read back through `/api/conversations` and `/api/conversations/{id}/messages`.

mod common;

use common::{Api, next_event};
use inbox_core::{ConversationStatus, Event, HandoffUpdate, SendMessage, StartConversation};
use inbox_sim::Recorded;
use inbox_sim::zchat::{DEFAULT_TOKEN, DepartmentsPath, Trigger, TriggerEvent, WhatsappAnswer};
use serde_json::{Map, Value, json};

impl Api {
    async fn account(&self, provider: &str, department_id: Value, token: &str) -> Value {
        self.create_account(json!({
            "provider": provider,
            "name": format!("{provider} account"),
            "settings": {"base_url": self.sim.zchat_url(), "department_id": department_id},
            "secrets": {"token": token},
        }))
        .await
    }

    /// The conversation's messages, oldest first.
    async fn chronological(&self, id: &str) -> Vec<Value> {
        let mut items = self.messages(id).await;
        items.reverse();
        items
    }

    async fn patch_status(&self, id: &str, status: &str) -> (u16, Value) {
        self.patch(&format!("/api/conversations/{id}"), json!({ "status": status })).await
    }

    fn requests_to(&self, path_suffix: &str) -> Vec<Recorded> {
        self.sim.requests().into_iter().filter(|r| r.path.ends_with(path_suffix)).collect()
    }

    async fn fire(&self, trigger: Trigger) -> inbox_sim::FireResult {
        let fired = self.sim.zchat().fire(trigger).await.unwrap();
        assert_eq!(fired.status, 200, "{}", fired.response);
        fired
    }
}

fn map(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn events_of(messages: &[Value]) -> Vec<String> {
    messages.iter().filter(|m| m["kind"] == "event").map(|m| m["body"].as_str().unwrap().to_owned()).collect()
}

/// `YYYY-MM-DD HH:MM:SS`, as the document's history has it.
fn is_history_time(t: &str) -> bool {
    t.len() == 19
        && t.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == ' ',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        })
}

/// Keys of each object of the documented history, to compare shapes.
fn history_shape(history: &Value) -> Vec<Vec<String>> {
    history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut keys: Vec<String> = m.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        })
        .collect()
}

#[tokio::test]
async fn an_interactions_handoff_from_start_to_finish() {
    let s = common::start().await;
    let account = s.account("zchat", json!(1), DEFAULT_TOKEN).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    assert_eq!(
        account["settings"],
        json!({"flavour": "interactions", "base_url": s.sim.zchat_url(), "department_id": 1})
    );
    assert_eq!(account["secrets_set"], json!(["token"]));
    assert!(account["capabilities"].as_array().unwrap().contains(&json!("handoff_update")));
    let webhook = account["webhook_url"].as_str().unwrap().to_owned();
    s.sim.zchat().set_webhook(&webhook);

    let test = s.inbox.test_account(&account_id).await.unwrap();
    assert!(test.ok, "{}", test.message);
    assert!(test.message.contains("3 active departments (of 4)"), "{}", test.message);

    // Start: the interaction opens, the conversation is re-keyed to its hash, the first message follows.
    let mut events = s.inbox.subscribe();
    let started = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "+55 11 99141-7777".into(),
            name: Some("Ana Souza".into()),
            email: Some("ana@example.com".into()),
            cpf: Some("123.456.789-00".into()),
            extra: Some(map(json!({"clientId": "42"}))),
            message: Some(SendMessage::text("Olá, meu pedido não chegou")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let id = started.id.clone();
    let handoff = started.handoff.clone().unwrap();
    let hash = handoff.interaction_hash.clone().expect("the interaction hash");
    assert_eq!(handoff.state, inbox_core::HandoffState::Started);
    assert_eq!(handoff.department_id.as_deref(), Some("1"));
    assert_eq!(started.title, "Ana Souza");

    let interaction = s.sim.zchat().interaction(&hash).expect("the simulator opened it");
    assert_eq!(interaction.department_id, 1);
    assert_eq!(interaction.media_type, "TEXT");
    assert_eq!(
        interaction.customer,
        json!({"name": "Ana Souza", "email": "ana@example.com", "phone": "5511991417777", "cpf": "12345678900"})
    );
    assert_eq!(interaction.extra, json!({"clientId": "42", "inbox_conversation_id": id}));

    // The provider read the history: the documented shape; the first message is not in it yet,
    // since it goes through the API right after.
    let fetches = s.sim.zchat().history_fetches();
    assert_eq!(fetches.len(), 1);
    assert_eq!(fetches[0].interaction_hash, hash);
    assert!(fetches[0].url.starts_with(&format!("http://{}/history/{id}/", s.inbox.webhook_addr())));
    assert_eq!(fetches[0].status, Some(200));
    assert_eq!(fetches[0].body, Some(json!({"messages": []})));

    let first = s.chronological(&id).await.into_iter().find(|m| m["direction"] == "outbound").unwrap();
    let first = s.settled(&id, first["id"].as_str().unwrap()).await;
    assert_eq!(first["status"], "sent", "{first}");

    // Text and a file.
    s.send_ok(&id, json!({"kind": "text", "body": "Pedido 1234, comprado dia 3"})).await;
    s.send_ok(&id, json!({"kind": "image", "media_url": "https://cdn.example.com/fotos/pedido.png"})).await;
    let sent = s.sim.zchat().interaction(&hash).unwrap().messages;
    let sent: Vec<Value> = sent.iter().map(|m| json!({"content": m.content, "type": m.kind, "url": m.url})).collect();
    assert_eq!(
        sent,
        vec![
            json!({"content": "Olá, meu pedido não chegou", "type": "text", "url": null}),
            json!({"content": "Pedido 1234, comprado dia 3", "type": "text", "url": null}),
            json!({"content": "pedido.png", "type": "image", "url": "https://cdn.example.com/fotos/pedido.png"}),
        ]
    );

    // Typing.
    s.inbox.set_typing(&id, true).await.unwrap();
    assert!(s.sim.zchat().interaction(&hash).unwrap().client_typing);
    s.inbox.set_typing(&id, false).await.unwrap();
    assert!(!s.sim.zchat().interaction(&hash).unwrap().client_typing);
    let typing = s.requests_to(&format!("/core/api/v1/interactions/{hash}/typing"));
    assert_eq!(typing.len(), 1);
    assert_eq!(typing[0].method, "PUT");
    assert_eq!(typing[0].body, Some(json!({"token": DEFAULT_TOKEN})));
    assert_eq!(s.requests_to(&format!("/interactions/{hash}/cleared")).len(), 1);

    // Every trigger, read back through the API.
    let trigger = |event| Trigger::interaction(hash.clone(), event);
    s.fire(trigger(TriggerEvent::Queued { position: 3 })).await;
    let c = s.conversation(&id).await;
    assert_eq!((c["handoff"]["state"].clone(), c["handoff"]["position"].clone()), (json!("queued"), json!(3)));
    s.fire(trigger(TriggerEvent::Unavailable)).await;
    assert_eq!(s.conversation(&id).await["handoff"]["state"], "unavailable");
    s.fire(trigger(TriggerEvent::Queued { position: 1 })).await;
    s.fire(trigger(TriggerEvent::Accepted)).await;
    let c = s.conversation(&id).await;
    assert_eq!(c["handoff"]["state"], "accepted");
    assert_eq!(c["handoff"]["position"], Value::Null, "a position only means something in the queue");

    let before_typing = s.chronological(&id).await.len();
    s.fire(trigger(TriggerEvent::Typing)).await;
    let (who, active) = next_event(&mut events, |e| match e {
        Event::Typing { conversation_id, who, active } if *conversation_id == id => Some((who.clone(), *active)),
        _ => None,
    })
    .await;
    assert_eq!((who, active), (None, true), "no agent is known yet");

    let said = s.fire(trigger(TriggerEvent::agent_text("Olá Ana, sou a Bia. Vou verificar.", "Bia"))).await;
    let c = s.conversation(&id).await;
    assert_eq!(c["handoff"]["agent_name"], "Bia", "the agent who last wrote");
    assert_eq!(c["title"], "Ana Souza", "an agent's message does not rename the hand-off");
    s.fire(trigger(TriggerEvent::agent_media(
        "image",
        "https://cdn.zchat.example/up/comprovante.jpg",
        "Comprovante",
        "Bia",
    )))
    .await;
    s.fire(trigger(TriggerEvent::Cleared)).await;
    let (who, active) = next_event(&mut events, |e| match e {
        Event::Typing { conversation_id, who, active } if *conversation_id == id && !*active => {
            Some((who.clone(), *active))
        }
        _ => None,
    })
    .await;
    assert_eq!((who.as_deref(), active), (Some("Bia"), false));

    // A redelivered agent message is stored once.
    let again = s.sim.zchat().fire_raw(said.payload.to_string()).await.unwrap();
    assert_eq!(again.status, 200);
    assert!(again.response.contains("duplicate"), "{}", again.response);

    s.fire(trigger(TriggerEvent::Transferred { department_id: 1545 })).await;
    let c = s.conversation(&id).await;
    assert_eq!(c["handoff"]["state"], "transferred");
    assert_eq!(c["handoff"]["department_id"], "1545");
    assert_eq!(c["handoff"]["interaction_hash"], json!(hash));

    let messages = s.chronological(&id).await;
    assert_eq!(messages.len(), before_typing + 3, "typing is not stored; two agent messages and one transfer are");
    let agent: Vec<&Value> = messages.iter().filter(|m| m["sender_name"] == "Bia").collect();
    assert_eq!(agent.len(), 2);
    assert_eq!((agent[0]["direction"].clone(), agent[0]["kind"].clone()), (json!("inbound"), json!("text")));
    assert_eq!(agent[0]["body"], "Olá Ana, sou a Bia. Vou verificar.");
    assert_eq!(agent[0]["provider_message_id"], said.payload["message"]["hash"]);
    assert_eq!(agent[1]["kind"], "image");
    assert_eq!(agent[1]["media_url"], "https://cdn.zchat.example/up/comprovante.jpg");
    assert_eq!(agent[1]["caption"], "Comprovante");
    assert_eq!(
        events_of(&messages),
        [
            "In the queue, position 3",
            "No agent available",
            "In the queue, position 1",
            "Accepted by an agent",
            "Transferred to department 1545"
        ]
    );
    let transfer = messages.iter().rfind(|m| m["kind"] == "event").unwrap();
    assert_eq!(transfer["payload"]["event"]["state"], "transferred");
    assert_eq!(transfer["payload"]["event"]["department_id"], "1545");

    // Mood, tags and a note.
    s.inbox
        .update_handoff(
            &id,
            HandoffUpdate {
                mood: Some("POSITIVE".into()),
                tag_ids: vec!["1".into(), "999".into()],
                customer_key: None,
                note: Some("Cliente aguardando reembolso".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        s.sim.zchat().interaction(&hash).unwrap().updates,
        vec![json!({"mood": "POSITIVE", "tag_ids": ["1", "999"], "note": "Cliente aguardando reembolso"})]
    );
    let nothing = s.inbox.update_handoff(&id, HandoffUpdate::default()).await.unwrap_err();
    assert_eq!(nothing.code(), "invalid_input");

    // Resolving finishes the interaction, once.
    let (status, resolved) = s.patch_status(&id, "resolved").await;
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["handoff"]["state"], "finished");
    assert!(s.sim.zchat().interaction(&hash).unwrap().finished);
    let finish = s.requests_to(&format!("/core/api/v1/interactions/{hash}/finish"));
    assert_eq!(finish.len(), 1);
    assert_eq!((finish[0].method.as_str(), finish[0].body.clone()), ("PUT", Some(json!({"token": DEFAULT_TOKEN}))));
    assert_eq!(s.patch_status(&id, "open").await.0, 200);
    let (status, again) = s.patch_status(&id, "resolved").await;
    assert_eq!((status, again["status"].clone()), (200, json!("resolved")), "{again}");
    assert_eq!(s.requests_to("/finish").len(), 1, "a finished interaction is not finished twice");
    s.inbox.set_typing(&id, true).await.unwrap();
    assert_eq!(s.requests_to("/typing").len(), 1, "no typing is told to a finished interaction");

    // The provider refuses a message to a finished interaction: the agent reads why.
    let late = s.send_settled(&id, json!({"kind": "text", "body": "Mais uma coisa"})).await;
    assert_eq!(late["status"], "failed");
    assert_eq!(late["error"], "ZChat refused it (HTTP 422): Interaction already finished.");

    // The history the provider reads now tells the whole conversation, in the documented shape.
    let history: Value = s.http.get(&fetches[0].url).send().await.unwrap().json().await.unwrap();
    let doc: Value = serde_json::from_str(inbox_sim::fixtures::zchat::EXTERNAL_HISTORY).unwrap();
    assert_eq!(history_shape(&history)[0], history_shape(&doc)[0]);
    let lines: Vec<(String, String)> = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert!(is_history_time(m["time"].as_str().unwrap()), "{m}");
            (m["direction"].as_str().unwrap().to_owned(), m["content"].as_str().unwrap().to_owned())
        })
        .collect();
    let pairs: Vec<(&str, &str)> = lines.iter().map(|(d, c)| (d.as_str(), c.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("CLIENT", "Olá, meu pedido não chegou"),
            ("CLIENT", "Pedido 1234, comprado dia 3"),
            ("CLIENT", "https://cdn.example.com/fotos/pedido.png"),
            ("AGENT", "Olá Ana, sou a Bia. Vou verificar."),
            ("AGENT", "Comprovante"),
        ],
        "events and the failed message are left out"
    );
}

#[tokio::test]
async fn the_remote_agent_finishing_resolves_the_handoff() {
    let s = common::start().await;
    let account = s.account("zchat", json!("2"), DEFAULT_TOKEN).await;
    assert_eq!(account["settings"]["department_id"], 2, "stored as a number");
    s.sim.zchat().set_webhook(account["webhook_url"].as_str().unwrap());
    let started = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account["id"].as_str().unwrap().into(),
            to: "ana@example.com".into(),
            department_id: Some("1".into()),
            service: Some("whatsapp".into()),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let hash = started.handoff.as_ref().unwrap().interaction_hash.clone().unwrap();
    let interaction = s.sim.zchat().interaction(&hash).unwrap();
    assert_eq!((interaction.department_id, interaction.media_type.as_str()), (1, "WHATSAPP"));
    assert_eq!(interaction.customer, json!({"email": "ana@example.com"}));
    assert!(interaction.messages.is_empty(), "no first message was given");

    s.fire(Trigger::interaction(hash.clone(), TriggerEvent::Finished)).await;
    let c = s.conversation(&started.id).await;
    assert_eq!((c["status"].clone(), c["handoff"]["state"].clone()), (json!("resolved"), json!("finished")));
    assert_eq!(events_of(&s.chronological(&started.id).await), ["Finished by the agent"]);
    // Resolving it here too asks nothing of the provider.
    let (status, _) = s.patch_status(&started.id, "open").await;
    assert_eq!(status, 200);
    assert_eq!(s.patch_status(&started.id, "resolved").await.0, 200);
    assert!(s.requests_to("/finish").is_empty());
}

#[tokio::test]
async fn a_trigger_that_beats_the_start_answer_lands_in_the_started_conversation() {
    let s = common::start().await;
    let account = s.account("zchat", json!(1), DEFAULT_TOKEN).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    s.sim.zchat().set_webhook(account["webhook_url"].as_str().unwrap());
    s.sim.zchat().set_queue_on_start(Some(2));
    let started = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5511991417777".into(),
            name: Some("Ana Souza".into()),
            message: Some(SendMessage::text("Oi")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let handoff = started.handoff.clone().unwrap();
    assert_eq!(handoff.state, inbox_core::HandoffState::Queued, "the reported state is kept, not reset");
    assert_eq!(handoff.position, Some(2));
    assert_eq!(handoff.department_id.as_deref(), Some("1"));
    let list = s.get_ok(&format!("/api/conversations?account_id={account_id}")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["title"], "Ana Souza");
    let messages = s.chronological(&started.id).await;
    assert_eq!(events_of(&messages), ["In the queue, position 2"]);
    assert!(messages.iter().any(|m| m["direction"] == "outbound" && m["body"] == "Oi"));
}

#[tokio::test]
async fn a_whatsapp_handoff_keyed_by_the_customer() {
    let s = common::start().await;
    let account = s.account("omnize", json!("2"), DEFAULT_TOKEN).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    assert_eq!(account["settings"], json!({"flavour": "whatsapp", "base_url": s.sim.zchat_url(), "department_id": 2}));
    assert!(!account["capabilities"].as_array().unwrap().contains(&json!("handoff_update")));
    s.sim.zchat().set_webhook(account["webhook_url"].as_str().unwrap());
    let zc = s.sim.zchat();

    // A first message is required.
    let silent = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5511987654321".into(),
            ..StartConversation::default()
        })
        .await
        .unwrap_err();
    assert_eq!(silent.code(), "invalid_input");

    let started = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5511987654321".into(),
            name: Some("Carlos Lima".into()),
            extra: Some(map(json!({"botId": "1111"}))),
            message: Some(SendMessage::text("Oi, quero falar com vendas")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let id = started.id.clone();
    assert_eq!(started.handoff.as_ref().unwrap().department_id.as_deref(), Some("2"));
    let first = s.chronological(&id).await.into_iter().find(|m| m["direction"] == "outbound").unwrap();
    let first = s.settled(&id, first["id"].as_str().unwrap()).await;
    assert_eq!(first["status"], "sent");
    let interaction = zc.open_interaction_of("5511987654321").expect("the customer's interaction");
    assert_eq!(first["provider_message_id"].as_str(), interaction.messages[0].message_hash.as_deref());
    assert_eq!(
        interaction.customer,
        json!({"name": "Carlos Lima", "phone": "5511987654321", "external_id": "5511987654321"})
    );
    assert_eq!(interaction.extra, json!({"botId": "1111", "inbox_conversation_id": id}));
    assert_eq!(interaction.department_id, 2);
    let hash = interaction.hash.clone();
    assert_eq!(zc.history_fetches()[0].body, Some(json!({"messages": []})));

    // Triggers, keyed by the customer; the interaction hash is recorded on the hand-off.
    let trigger = |event| Trigger::whatsapp("5511987654321", event);
    s.fire(trigger(TriggerEvent::Queued { position: 2 })).await;
    let c = s.conversation(&id).await;
    assert_eq!(c["handoff"]["state"], "queued");
    assert_eq!(c["handoff"]["position"], 2);
    assert_eq!(c["handoff"]["interaction_hash"], json!(hash));
    s.fire(trigger(TriggerEvent::Accepted)).await;
    let said = s.fire(trigger(TriggerEvent::agent_text("Olá Carlos, aqui é o Bruno", "Bruno"))).await;
    assert!(said.payload["message"].get("hash").is_none(), "the WhatsApp flavour gives no message id");
    let again = zc.fire_raw(said.payload.to_string()).await.unwrap();
    assert!(again.response.contains("duplicate"), "a redelivery is stored once: {}", again.response);
    let agent: Vec<Value> = s.chronological(&id).await.into_iter().filter(|m| m["sender_name"] == "Bruno").collect();
    assert_eq!(agent.len(), 1);
    assert!(agent[0]["provider_message_id"].as_str().unwrap().starts_with(&format!("{hash}:")));
    assert_eq!(s.conversation(&id).await["handoff"]["agent_name"], "Bruno");

    // The next message carries the history again: now it tells the conversation.
    zc.set_whatsapp_answer(WhatsappAnswer::Plain);
    let second = s.send_settled(&id, json!({"kind": "text", "body": "Quero o plano anual"})).await;
    assert_eq!(second["status"], "sent");
    assert_eq!(second["provider_message_id"], Value::Null, "no id is needed");
    let fetched = zc.history_fetches().last().cloned().unwrap();
    assert_eq!(fetched.status, Some(200));
    let history = fetched.body.unwrap();
    let doc: Value = serde_json::from_str(inbox_sim::fixtures::zchat::EXTERNAL_HISTORY).unwrap();
    assert_eq!(history_shape(&history), history_shape(&doc), "{history}");
    assert_eq!(history["messages"][0]["direction"], "CLIENT");
    assert_eq!(history["messages"][0]["content"], "Oi, quero falar com vendas");
    assert_eq!(history["messages"][1]["direction"], "AGENT");
    assert_eq!(history["messages"][1]["content"], "Olá Carlos, aqui é o Bruno");
    for m in history["messages"].as_array().unwrap() {
        assert!(is_history_time(m["time"].as_str().unwrap()), "{m}");
    }

    // A file, answered with the published trailing comma.
    zc.set_whatsapp_answer(WhatsappAnswer::TrailingComma);
    s.send_ok(
        &id,
        json!({"kind": "file", "media_url": "https://cdn.example.com/docs/contrato.pdf", "file_name": "contrato.pdf"}),
    )
    .await;
    let sent = zc.open_interaction_of("5511987654321").unwrap().messages;
    assert_eq!(sent.len(), 3, "one interaction for the customer");
    assert_eq!((sent[2].kind.as_str(), sent[2].content.as_str()), ("file", "contrato.pdf"));
    let body = s.requests_to("/api/v1/whatsapp").last().unwrap().body.clone().unwrap();
    assert_eq!(body["content_type"], "file", "the short form");
    assert_eq!(body["customer"]["external_id"], "5511987654321");
    assert_eq!(body["extra"], json!({"botId": "1111"}));
    assert!(body["external_history"].as_str().unwrap().contains(&format!("/history/{id}/")));

    // Typing: the endpoints were removed; a 404 is not the agent's problem.
    s.inbox.set_typing(&id, true).await.unwrap();
    let typing = s.requests_to("/api/v1/whatsapp/typing");
    assert_eq!(typing.len(), 1);
    assert_eq!(typing[0].body, Some(json!({"token": DEFAULT_TOKEN, "customer": {"external_id": "5511987654321"}})));
    zc.set_whatsapp_typing(true);
    s.inbox.set_typing(&id, true).await.unwrap();
    assert!(zc.open_interaction_of("5511987654321").unwrap().client_typing);
    s.inbox.set_typing(&id, false).await.unwrap();
    assert!(!zc.open_interaction_of("5511987654321").unwrap().client_typing);
    assert_eq!(s.requests_to("/api/v1/interactions/cleared").len(), 1);

    // A transfer: later messages go to the new department.
    s.fire(trigger(TriggerEvent::Transferred { department_id: 1545 })).await;
    assert_eq!(s.conversation(&id).await["handoff"]["department_id"], "1545");
    s.send_ok(&id, json!({"kind": "text", "body": "Obrigado"})).await;
    assert_eq!(s.requests_to("/api/v1/whatsapp").last().unwrap().body.as_ref().unwrap()["department_id"], 1545);

    // No hand-off updates and no finish call in this flavour.
    let update = s.inbox.update_handoff(&id, HandoffUpdate { note: Some("x".into()), ..Default::default() }).await;
    assert_eq!(update.unwrap_err().code(), "unsupported");
    let (status, resolved) = s.patch_status(&id, "resolved").await;
    assert_eq!((status, resolved["status"].clone()), (200, json!("resolved")));
    assert!(s.requests_to("/finish").is_empty());
    assert_ne!(resolved["handoff"]["state"], "finished", "resolving is local here");

    // The provider's 422 becomes a failed message with its words.
    zc.fail_next(1, 422, "Cliente bloqueado para atendimento");
    let refused = s.send_settled(&id, json!({"kind": "text", "body": "Olá?"})).await;
    assert_eq!(refused["status"], "failed");
    assert_eq!(refused["error"], "Omnize refused it (HTTP 422): Cliente bloqueado para atendimento");

    // The agent finishes; the customer's next message opens a new interaction in the same conversation.
    s.fire(trigger(TriggerEvent::Finished)).await;
    let c = s.conversation(&id).await;
    assert_eq!((c["status"].clone(), c["handoff"]["state"].clone()), (json!("resolved"), json!("finished")));
    s.send_ok(&id, json!({"kind": "text", "body": "Voltei"})).await;
    let reopened = zc.open_interaction_of("5511987654321").unwrap();
    assert_ne!(reopened.hash, hash);
    let list = s.get_ok(&format!("/api/conversations?account_id={account_id}")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        events_of(&s.chronological(&id).await),
        ["In the queue, position 2", "Accepted by an agent", "Transferred to department 1545", "Finished by the agent"]
    );

    // A new hand-off of the same customer: the same conversation, reopened, starting afresh.
    let again = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5511987654321".into(),
            message: Some(SendMessage::text("Outra dúvida")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    assert_eq!(again.id, id);
    assert_eq!(again.status, ConversationStatus::Open);
    let handoff = again.handoff.unwrap();
    assert_eq!(handoff.state, inbox_core::HandoffState::Started);
    assert_eq!((handoff.agent_name, handoff.interaction_hash), (None, None), "nothing of the last hand-off");
    assert_eq!(handoff.department_id.as_deref(), Some("2"));
}

#[tokio::test]
async fn departments_come_from_the_new_route_or_the_old_one() {
    let s = common::start().await;
    let account = s.account("zchat", json!(1), DEFAULT_TOKEN).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    let zc = s.sim.zchat();

    let departments = s.inbox.list_departments(&account_id).await.unwrap();
    let summary: Vec<(String, bool)> = departments.iter().map(|d| (d.name.clone(), d.active)).collect();
    assert_eq!(
        summary,
        [("Suporte".into(), true), ("Vendas".into(), true), ("Financeiro".into(), false), ("Cobrança".into(), true)]
    );
    assert_eq!(departments[0].id, "1");
    assert_eq!(departments[0].agents, ["Atendente"]);
    assert_eq!(departments[0].queue, Some(0));
    let external = s.requests_to(&format!("/api/external/departments?token={DEFAULT_TOKEN}"));
    assert_eq!((external.len(), external[0].method.as_str()), (1, "GET"));

    zc.set_departments_path(DepartmentsPath::Legacy);
    s.sim.clear_requests();
    assert_eq!(s.inbox.list_departments(&account_id).await.unwrap(), departments);
    let paths: Vec<String> = s.sim.requests().iter().map(|r| r.path.split('?').next().unwrap().to_owned()).collect();
    assert_eq!(paths, ["/zchat/api/external/departments", "/zchat/api/v1/departments"], "the new route first");
    let test = s.inbox.test_account(&account_id).await.unwrap();
    assert!(test.ok && test.message.contains("3 active departments"), "{}", test.message);

    // Neither route: the provider's 404 in words.
    zc.set_departments_path(DepartmentsPath::External);
    zc.set_departments(vec![inbox_sim::zchat::SimDepartment::new(9, "Outro", true)]);
    let test = s.inbox.test_account(&account_id).await.unwrap();
    assert!(!test.ok, "the default department is gone");
    assert!(test.message.contains("department 1 is not one of them"), "{}", test.message);
}

#[tokio::test]
async fn a_wrong_token_is_named_without_showing_it() {
    let s = common::start().await;
    let wrong = "wrong-token-f00d";
    let account = s.account("zchat", json!(1), wrong).await;
    let account_id = account["id"].as_str().unwrap().to_owned();

    let test = s.inbox.test_account(&account_id).await.unwrap();
    assert!(!test.ok);
    assert_eq!(
        test.message,
        "the provider answered: ZChat refused it (HTTP 401): Invalid token. (check the account's API token)"
    );
    let listed = s.inbox.list_departments(&account_id).await.unwrap_err();
    assert_eq!(listed.code(), "provider_error");
    let start = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5511991417777".into(),
            ..StartConversation::default()
        })
        .await
        .unwrap_err();
    assert!(start.public_message().contains("HTTP 401"), "{start}");
    for message in [test.message.clone(), listed.public_message(), start.public_message()] {
        assert!(!message.contains(wrong), "the token leaked: {message}");
    }
    let list = s.get_ok(&format!("/api/conversations?account_id={account_id}")).await;
    assert_eq!(list["items"], json!([]), "a start that opened nothing leaves nothing");

    // A server that is not there: a transport error, without the URL (it carries the token).
    let (status, gone) = s
        .post(
            "/api/accounts",
            json!({"provider": "omnize", "name": "Gone", "settings": {"base_url": "http://127.0.0.1:9", "department_id": 1},
                   "secrets": {"token": wrong}}),
        )
        .await;
    assert_eq!(status, 201);
    let test = s.inbox.test_account(gone["id"].as_str().unwrap()).await.unwrap();
    assert!(!test.ok);
    assert!(test.message.contains("could not reach Omnize"), "{}", test.message);
    assert!(!test.message.contains(wrong) && !test.message.contains("127.0.0.1"), "{}", test.message);
}

#[tokio::test]
async fn the_history_url_answers_only_with_its_token() {
    let s = common::start().await;
    let account = s.account("omnize", json!(1), DEFAULT_TOKEN).await;
    let started = s
        .inbox
        .start_conversation(StartConversation {
            account_id: account["id"].as_str().unwrap().into(),
            to: "cliente-77".into(),
            message: Some(SendMessage::text("Bom dia")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    assert_eq!(started.title, "cliente-77");
    let url = s.sim.zchat().history_fetches()[0].url.clone();
    assert!(url.contains(&format!("/history/{}/", started.id)));
    let first = s.chronological(&started.id).await.into_iter().find(|m| m["direction"] == "outbound").unwrap();
    s.settled(&started.id, first["id"].as_str().unwrap()).await;

    let good = s.http.get(&url).send().await.unwrap();
    assert_eq!(good.status(), 200);
    let history: Value = good.json().await.unwrap();
    assert_eq!(history["messages"][0]["content"], "Bom dia");
    assert_eq!(history["messages"][0]["direction"], "CLIENT");

    let (prefix, token) = url.rsplit_once('/').unwrap();
    let mut forged = token.to_owned();
    forged.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for wrong in [format!("{prefix}/{forged}"), format!("{prefix}/x"), url.replace(&started.id, "another-conversation")]
    {
        let response = s.http.get(&wrong).send().await.unwrap();
        assert_eq!(response.status(), 404, "{wrong}");
    }
    // The WhatsApp flavour has no finish endpoint: resolving is local.
    let patch = inbox_core::ConversationPatch { status: Some(ConversationStatus::Resolved), ..Default::default() };
    let resolved = s.inbox.update_conversation(&started.id, &patch).await.unwrap();
    assert_eq!(resolved.status, ConversationStatus::Resolved);
    assert!(s.requests_to("/finish").is_empty());
}
