//! Cirrus end to end over loopback: the engine (in-memory keychain) behind inboxd's HTTP API,
//! against the simulated Cirrus API. Commands inboxd does not route yet are called on the engine.

mod common;

use common::{Api, until};
use inbox_core::{ContactFilter, ContactPatch, SendMessage, StartConversation, SyncState, TagInput};
use inbox_sim::cirrus::ContactEdit;
use inbox_sim::fixtures::cirrus as fx;
use inbox_sim::{CirrusInbound, Recorded};
use serde_json::{Value, json};

const CIRRUS_TOKEN: &str = "cirrus-bearer-token-abcdef";
const CLIENT: &str = "9a92ea44-244c-4cda-86be-6a9e32ba8f34";
const CHANNEL: &str = "64ef5c84f9deb1326965919e";
const PLATFORM_CONFIG: &str = "64ef5c84f9deb1326965919f";

/// inboxd and the simulator, whose Cirrus API asks for the account's bearer token.
async fn env() -> Api {
    let api = common::start().await;
    api.sim.cirrus().require_token(Some(CIRRUS_TOKEN.into()));
    api
}

impl Api {
    fn settings(&self, extra: Value) -> Value {
        let mut settings = json!({
            "base_url": self.sim.cirrus_url(),
            "client_identifier": CLIENT,
            "channel_id": CHANNEL,
            "platform_config_id": PLATFORM_CONFIG,
            "platform": "karoochat",
            "service": "whatsappweb",
            "company_name": "Empresa XYZ",
            "agent_name": "Atendente João",
        });
        for (k, v) in extra.as_object().unwrap() {
            settings[k] = v.clone();
        }
        settings
    }

    /// Creates a Cirrus account over HTTP; points the simulator's callbacks at its webhook URL.
    async fn account(&self, extra: Value) -> Value {
        let account = self
            .create_account(json!({"provider": "cirrus", "name": "Karoo Loja", "settings": self.settings(extra),
                                   "secrets": {"token": CIRRUS_TOKEN}}))
            .await;
        self.sim.cirrus().set_callback_url(account["webhook_url"].as_str().unwrap());
        account
    }

    /// The conversation with this title, polled until it appears.
    async fn conversation_titled(&self, title: &str) -> Value {
        until(&format!("a conversation titled {title}"), async || {
            self.conversations().await.into_iter().find(|c| c["title"] == title)
        })
        .await
    }

    /// The last request the simulated Cirrus received on a path starting with `prefix`.
    fn cirrus_request(&self, method: &str, prefix: &str) -> Recorded {
        let prefix = format!("/cirrus{prefix}");
        self.last_request(method, |path| path.starts_with(&prefix))
    }
}

#[tokio::test]
async fn conversations_and_messages_over_loopback() {
    let e = env().await;
    let account = e.account(json!({})).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    assert_eq!(
        account["capabilities"],
        json!([
            "start_conversation",
            "send_text",
            "send_file",
            "groups",
            "reply",
            "delete",
            "contact_sync",
            "tag_sync"
        ])
    );
    assert_eq!(account["secrets_set"], json!(["token"]));

    // The token goes out as a bearer token: the simulator refuses calls without it.
    let test = e.inbox.test_account(&account_id).await.unwrap();
    assert!(test.ok, "{}", test.message);
    assert!(e.cirrus_request("GET", "/tags").path.contains(&format!("clientIdentifier={CLIENT}")));
    e.sim.cirrus().require_token(Some("another-token".into()));
    let refused = e.inbox.test_account(&account_id).await.unwrap();
    assert!(!refused.ok);
    assert!(
        refused.message.contains("HTTP 401") && refused.message.contains("Invalid or missing token"),
        "{}",
        refused.message
    );
    assert!(!refused.message.contains(CIRRUS_TOKEN));
    e.sim.cirrus().require_token(Some(CIRRUS_TOKEN.into()));

    // Start over d360 with the document's example values: the body is the documented DTO.
    let d360 = e
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "+55 21 98888-7777".into(),
            name: Some("João Silva".into()),
            service: Some("d360".into()),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let start = e.cirrus_request("POST", "/messages/start-conversation/d360");
    assert_eq!(start.body.unwrap(), fx::to_json(fx::START_CONVERSATION).unwrap());
    let session_d360 = e.sim.cirrus().sessions().last().unwrap().clone();
    assert_eq!(session_d360.service, "d360");
    let target = e.inbox.conversation_target(&d360.id).await.unwrap();
    assert_eq!(target.external_id, "5521988887777");
    assert_eq!(target.meta_str("session_id"), Some(session_d360.id.as_str()));

    // Start over WhatsApp Web (the account's service) with a first message, sent in the session.
    let web = e
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5521977776666".into(),
            name: Some("Marcos Lima".into()),
            message: Some(SendMessage::text("Olá Marcos, tudo bem?")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    assert_eq!(web.title, "Marcos Lima");
    let start = e.cirrus_request("POST", "/messages/start-conversation/whatsappweb").body.unwrap();
    assert_eq!(start["companyName"], "Empresa XYZ");
    let session_web = e.sim.cirrus().sessions().last().unwrap().clone();
    let first = e.messages(&web.id).await.remove(0);
    assert_eq!(first["status"], "sent", "{first}");
    let sent = e.sim.cirrus().messages().last().unwrap().clone();
    assert_eq!(first["provider_message_id"], sent.id.as_str());
    assert_eq!((sent.via.as_str(), sent.session_id.as_deref()), ("session", Some(session_web.id.as_str())));
    assert_eq!(sent.agent_name.as_deref(), Some("Atendente João"));
    // A number that is not one is refused before any call.
    let bad = e
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "loja".into(),
            ..StartConversation::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_input");

    // A customer writes in: the callback becomes a conversation, seen through the HTTP API.
    let fired = e
        .sim
        .cirrus()
        .fire(CirrusInbound::text("5521966665555", "Quero saber do meu pedido").with_name("Carla Dias"))
        .await
        .unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let carla = e.conversation_titled("Carla Dias").await;
    let carla_id = carla["id"].as_str().unwrap().to_owned();
    assert_eq!(carla["unread_count"], 1);
    let inbound = e.messages(&carla_id).await.remove(0);
    assert_eq!(inbound["body"], "Quero saber do meu pedido");
    assert_eq!(inbound["direction"], "inbound");
    let session_carla = fired.payload["data"]["sessionId"].as_str().unwrap().to_owned();

    // Replies go through the callback's session: text, media, and a quoted reply.
    e.send_ok(&carla_id, json!({"kind": "text", "body": "Claro! Qual o número?"})).await;
    let m = e.sim.cirrus().messages().last().unwrap().clone();
    assert_eq!(
        (m.session_id.as_deref(), m.text.as_deref()),
        (Some(session_carla.as_str()), Some("Claro! Qual o número?"))
    );
    let body = e.cirrus_request("POST", "/messages/send").body.unwrap();
    assert_eq!(
        body,
        json!({"agentName": "Atendente João", "sessionId": session_carla, "text": "Claro! Qual o número?"})
    );
    e.send_ok(&carla_id, json!({"kind": "image", "media_url": "https://exemplo.com/imagem.jpg"})).await;
    let body = e.cirrus_request("POST", "/messages/send").body.unwrap();
    assert_eq!(
        body,
        json!({"agentName": "Atendente João", "sessionId": session_carla, "mediaUri": "https://exemplo.com/imagem.jpg"})
    );
    let reply = e.send_ok(&carla_id, json!({"kind": "text", "body": "Sobre isso:", "reply_to": inbound["id"]})).await;
    assert_eq!(reply["quoted_message_id"], inbound["id"]);
    let body = e.cirrus_request("POST", "/messages/send").body.unwrap();
    assert_eq!(body["quotedMessage"], json!({"messageId": fired.payload["data"]["messageId"]}));

    // Without a session: a proactive message.
    let fired = e
        .sim
        .cirrus()
        .fire(CirrusInbound::text("5521955554444", "Oi").with_name("Paulo Reis").without_session())
        .await
        .unwrap();
    assert_eq!(fired.status, 200);
    let paulo = e.conversation_titled("Paulo Reis").await;
    e.send_ok(paulo["id"].as_str().unwrap(), json!({"kind": "text", "body": "Olá Paulo"})).await;
    let body = e.cirrus_request("POST", "/messages/proactive").body.unwrap();
    assert_eq!(
        body,
        json!({"channelId": CHANNEL, "recipientNumber": "5521955554444", "platform": "karoochat", "text": "Olá Paulo"})
    );

    // A closed session: the send falls back to a proactive message (the documented example) and
    // the conversation forgets the session.
    assert!(e.sim.cirrus().close_session(&session_d360.id));
    e.send_ok(&d360.id, json!({"kind": "text", "body": "Mensagem proativa de exemplo"})).await;
    assert_eq!(
        e.cirrus_request("POST", "/messages/proactive").body.unwrap(),
        fx::to_json(fx::SEND_PROACTIVE_MESSAGE).unwrap()
    );
    assert_eq!(e.inbox.conversation_target(&d360.id).await.unwrap().meta_str("session_id"), None);

    // A group: its messages go to sendGroupMessage (the documented example).
    let fired = e
        .sim
        .cirrus()
        .fire(CirrusInbound::group("grupo123", "Equipe Vendas", "5521944443333", "Bom dia"))
        .await
        .unwrap();
    assert_eq!(fired.status, 200);
    let group = e.conversation_titled("Equipe Vendas").await;
    assert_eq!(group["kind"], "group");
    let group_id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(e.messages(&group_id).await[0]["sender_name"], fired.payload["data"]["contact"]["name"]);
    e.send_ok(&group_id, json!({"kind": "text", "body": "Mensagem para o grupo"})).await;
    assert_eq!(e.cirrus_request("POST", "/messages/group").body.unwrap(), fx::to_json(fx::SEND_GROUP_MESSAGE).unwrap());

    // Delete a sent message.
    let to_delete = e.send_ok(&carla_id, json!({"kind": "text", "body": "enviado por engano"})).await;
    let provider_id = to_delete["provider_message_id"].as_str().unwrap().to_owned();
    let deleted = e.inbox.delete_message(to_delete["id"].as_str().unwrap()).await.unwrap();
    assert!(deleted.deleted_at.is_some());
    let request = e.cirrus_request("DELETE", "/messages/");
    assert_eq!(request.path, format!("/cirrus/messages/{provider_id}"));
    assert_eq!(
        request.body.unwrap(),
        json!({"messageId": provider_id, "senderId": CHANNEL, "channelSlug": "karoochat"})
    );
    assert!(e.sim.cirrus().messages().iter().any(|m| m.id == provider_id && m.deleted));

    // A refused send reaches the agent with Cirrus's message.
    e.sim.cirrus().fail_operation("messages.sendMessage", 1, 422, "text must be shorter than 4096 characters");
    let failed = e.send_settled(&carla_id, json!({"kind": "text", "body": "x"})).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["error"], "Cirrus refused it (HTTP 422): text must be shorter than 4096 characters");

    // Cirrus opens the session but refuses the first message: the conversation keeps its session
    // and the first message shows why it failed.
    e.sim.cirrus().fail_operation("messages.sendMessage", 1, 422, "mediaUri is not reachable");
    let opened = e
        .inbox
        .start_conversation(StartConversation {
            account_id: account_id.clone(),
            to: "5521933330000".into(),
            message: Some(SendMessage::text("Olá")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    let session = e.sim.cirrus().sessions().last().unwrap().id.clone();
    let target = e.inbox.conversation_target(&opened.id).await.unwrap();
    assert_eq!(target.meta_str("session_id"), Some(session.as_str()));
    let first = e.messages(&opened.id).await.remove(0);
    assert_eq!(
        (first["status"].as_str(), first["error"].as_str()),
        (Some("failed"), Some("Cirrus refused it (HTTP 422): mediaUri is not reachable"))
    );
}

#[tokio::test]
async fn unknown_callbacks_are_kept_and_non_json_is_refused() {
    let e = env().await;
    e.account(json!({"service": "d360"})).await;

    let known_contact = r#"{"event":"contact.updated","data":{"contact":{"number":"5521933332222","name":"Rita Alves"},"changes":["photo"]}}"#;
    let fired = e.sim.cirrus().fire_raw(known_contact).await.unwrap();
    assert_eq!(fired.status, 200, "{}", fired.response);
    let rita = e.conversation_titled("Rita Alves").await;
    let message = e.messages(rita["id"].as_str().unwrap()).await.remove(0);
    assert_eq!(message["kind"], "unrecognised");
    assert!(message["body"].as_str().unwrap().contains("contact.updated"));
    assert_eq!(message["payload"]["raw"], serde_json::from_str::<Value>(known_contact).unwrap());

    let anything = json!({"whatever": [1, 2, {"x": null}]});
    let fired = e.sim.cirrus().fire_raw(anything.to_string()).await.unwrap();
    assert_eq!(fired.status, 200);
    let bucket = e.conversation_titled("Unrecognised events").await;
    let message = e.messages(bucket["id"].as_str().unwrap()).await.remove(0);
    assert_eq!(message["kind"], "unrecognised");
    assert_eq!(message["payload"]["raw"], anything);

    let fired = e.sim.cirrus().fire_raw("this is not JSON").await.unwrap();
    assert_eq!(fired.status, 400, "{}", fired.response);
    assert!(fired.response.contains("webhook_invalid_json"));

    // On d360 a customer's message opens the 24-hour window.
    e.sim
        .cirrus()
        .fire(CirrusInbound::text("5521922221111", "Oi").with_name("Lia").with_service("d360"))
        .await
        .unwrap();
    let lia = e.conversation_titled("Lia").await;
    assert!(lia["window_expires_at"].is_string(), "{lia}");
    assert!(lia["capabilities"].as_array().unwrap().contains(&json!("window_24h")), "{lia}");
}

#[tokio::test]
async fn route_overrides_change_the_paths_cirrus_sees() {
    let e = env().await;
    let (status, body) = e
        .post(
            "/api/accounts",
            json!({"provider": "cirrus", "name": "x", "settings": e.settings(json!({"routes": {"tags.list": "GET /tags"}}))}),
        )
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_input")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("unknown operation `tags.list`"));
    let (status, body) = e
        .post(
            "/api/accounts",
            json!({"provider": "cirrus", "name": "x", "settings": e.settings(json!({"routes": {"tags.get": "LIST /tags"}}))}),
        )
        .await;
    assert_eq!(status, 422, "{body}");

    let account = e
        .account(json!({"routes": {"tags.get": "GET /v2/tags", "messages.sendProactiveMessage": "POST /v2/messages/proactive"}}))
        .await;
    assert_eq!(account["settings"]["routes"]["tags.get"], "GET /v2/tags");
    let test = e.inbox.test_account(account["id"].as_str().unwrap()).await.unwrap();
    assert!(test.ok, "{}", test.message);
    let paths = e.request_lines();
    assert!(paths.iter().any(|p| p.starts_with("GET /cirrus/v2/tags?clientIdentifier=")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("GET /cirrus/tags")), "{paths:?}");

    e.sim.cirrus().fire(CirrusInbound::text("5521911110000", "Oi").with_name("Vera").without_session()).await.unwrap();
    let vera = e.conversation_titled("Vera").await;
    e.send_ok(vera["id"].as_str().unwrap(), json!({"kind": "text", "body": "Olá Vera"})).await;
    assert!(e.sim.requests().iter().any(|r| r.method == "POST" && r.path == "/cirrus/v2/messages/proactive"));
}

#[tokio::test]
async fn contacts_and_tags_sync_both_ways() {
    let e = env().await;
    let account = e.account(json!({})).await;
    let account_id = account["id"].as_str().unwrap().to_owned();
    let cirrus = e.sim.cirrus();
    let vip = cirrus.add_tag(CLIENT, "Cliente VIP", Some("#ff0000"));
    let novo = cirrus.add_tag(CLIENT, "Novo", None);
    let ana_remote = cirrus.add_contact(CLIENT, CHANNEL, "5521911112222", "Ana Souza", &[&vip]);
    let bruno_remote = cirrus.add_contact(CLIENT, CHANNEL, "5521911113333", "Bruno Lima", &[]);
    // Another client's data stays out.
    cirrus.add_contact("other-client", CHANNEL, "5521911114444", "Outro", &[]);
    // Ana wrote before the first sync.
    cirrus.fire(CirrusInbound::text("5521911112222", "Oi").with_name("Ana Souza")).await.unwrap();
    let ana_conversation = e.conversation_titled("Ana Souza").await;
    let mut events = e.inbox.subscribe();

    let report = e.inbox.sync_account(&account_id).await.unwrap();
    assert_eq!((report.pulled_tags, report.pulled_contacts, report.failed), (2, 2, 0), "{report:?}");
    let tags = e.inbox.list_tags().await.unwrap();
    assert_eq!(tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Cliente VIP", "Novo"]);
    assert!(tags.iter().all(|t| t.sync_state == SyncState::Synced));
    let vip_local = tags[0].id.clone();
    let novo_local = tags[1].id.clone();
    let filter = ContactFilter { account_id: Some(account_id.clone()), ..ContactFilter::default() };
    let contacts = e.inbox.list_contacts(&filter).await.unwrap();
    assert_eq!(contacts.items.len(), 2);
    let ana = contacts.items.iter().find(|c| c.display_name.as_deref() == Some("Ana Souza")).unwrap().clone();
    assert_eq!(ana.identities[0].remote_id.as_deref(), Some(ana_remote.as_str()));
    assert_eq!(ana.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Cliente VIP"]);
    assert_eq!(ana.sync_state, SyncState::Synced);
    assert_eq!(ana_conversation["contact_id"], ana.id.as_str(), "the inbound message's contact is the synced one");
    let by_tag = ContactFilter { tag_id: Some(vip_local.clone()), ..ContactFilter::default() };
    assert_eq!(e.inbox.list_contacts(&by_tag).await.unwrap().items.len(), 1);
    let by_query = ContactFilter { query: Some("bruno".into()), ..ContactFilter::default() };
    let bruno = e.inbox.list_contacts(&by_query).await.unwrap().items.remove(0);
    assert!(
        std::iter::from_fn(|| events.try_recv().ok()).any(|ev| matches!(ev, inbox_core::Event::ContactUpdated { .. })),
        "sync announces contacts"
    );

    // An edit here is pushed: custom name and tags; the conversation takes the custom name.
    let edited = e
        .inbox
        .update_contact(
            &ana.id,
            ContactPatch {
                custom_name: Some("Ana (Padaria)".into()),
                tag_ids: Some(vec![vip_local.clone(), novo_local]),
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.sync_state, SyncState::Synced, "{:?}", edited.sync_error);
    let remote = cirrus.contact(&ana_remote).unwrap();
    assert_eq!(remote.custom_name.as_deref(), Some("Ana (Padaria)"));
    assert_eq!(remote.tag_ids.len(), 2);
    assert!(remote.tag_ids.contains(&novo));
    assert_eq!(
        e.cirrus_request("PATCH", "/contacts/").body.unwrap(),
        json!({"clientIdentifier": CLIENT, "contactId": ana_remote, "customName": "Ana (Padaria)"})
    );
    assert_eq!(
        e.cirrus_request("POST", "/contacts/").body.unwrap(),
        json!({"clientIdentifier": CLIENT, "contactId": ana_remote, "tagIds": [novo]})
    );
    let conversation = e.conversation(ana_conversation["id"].as_str().unwrap()).await;
    assert_eq!(conversation["title"], "Ana (Padaria)");
    // A new message from Ana keeps the custom name as the title.
    cirrus.fire(CirrusInbound::text("5521911112222", "Obrigada").with_name("Ana Souza")).await.unwrap();
    let conversation = e.conversation_titled("Ana (Padaria)").await;
    assert_eq!(conversation["unread_count"], 2);
    // Removing a tag here removes it there.
    e.inbox
        .update_contact(&ana.id, ContactPatch { custom_name: None, tag_ids: Some(vec![vip_local.clone()]) })
        .await
        .unwrap();
    assert_eq!(cirrus.contact(&ana_remote).unwrap().tag_ids, vec![vip.clone()]);

    // Tags: create, rename, delete are pushed.
    let urgent =
        e.inbox.create_tag(TagInput { name: Some("Urgente".into()), color: Some("#00FF00".into()) }).await.unwrap();
    assert_eq!(urgent.sync_state, SyncState::Synced);
    assert_eq!(
        e.cirrus_request("POST", "/tags").body.unwrap(),
        json!({"clientIdentifier": CLIENT, "name": "Urgente", "color": "#00ff00"})
    );
    let remote_urgent = cirrus.tags().into_iter().find(|t| t.name == "Urgente").unwrap();
    let renamed =
        e.inbox.update_tag(&urgent.id, TagInput { name: Some("Muito urgente".into()), color: None }).await.unwrap();
    assert_eq!(renamed.sync_state, SyncState::Synced);
    assert_eq!(cirrus.tags().into_iter().find(|t| t.id == remote_urgent.id).unwrap().name, "Muito urgente");
    e.inbox.delete_tag(&urgent.id).await.unwrap();
    assert!(!cirrus.tags().iter().any(|t| t.id == remote_urgent.id));
    assert!(e.inbox.list_tags().await.unwrap().iter().all(|t| t.id != urgent.id));
    let duplicate = e.inbox.create_tag(TagInput { name: Some("cliente vip".into()), color: None }).await.unwrap_err();
    assert_eq!(duplicate.code(), "invalid_input");

    // A refused push leaves the edit here, `failed`, with Cirrus's message.
    cirrus.fail_operation("contacts.update", 1, 422, "customName must not contain emojis");
    let failed = e
        .inbox
        .update_contact(&bruno.id, ContactPatch { custom_name: Some("Bruno 🚚".into()), tag_ids: None })
        .await
        .unwrap();
    assert_eq!(failed.sync_state, SyncState::Failed);
    assert_eq!(failed.custom_name.as_deref(), Some("Bruno 🚚"));
    assert_eq!(failed.sync_error.as_deref(), Some("Cirrus refused it (HTTP 422): customName must not contain emojis"));
    cirrus.fail_operation("tags.create", 1, 422, "tag limit reached");
    let failed_tag = e.inbox.create_tag(TagInput { name: Some("Atacado".into()), color: None }).await.unwrap();
    assert_eq!(failed_tag.sync_state, SyncState::Failed);
    assert!(failed_tag.sync_error.as_deref().unwrap().contains("tag limit reached"));
    cirrus.fail_operation("tags.delete", 1, 422, "tag in use by a campaign");
    let refused = e.inbox.delete_tag(&vip_local).await.unwrap_err();
    assert!(refused.public_message().contains("tag in use by a campaign"));
    let vip_now = e.inbox.list_tags().await.unwrap().into_iter().find(|t| t.id == vip_local).unwrap();
    assert_eq!(vip_now.sync_state, SyncState::Failed);

    // Cirrus changes Bruno after the refused edit: on sync Cirrus's version wins and shows `replaced`.
    cirrus.edit_contact(
        &bruno_remote,
        &ContactEdit { custom_name: Some("Bruno (Cirrus)".into()), ..ContactEdit::default() },
    );
    // Ana: Cirrus changes her first, then an edit here that Cirrus refuses: the edit here is newer.
    cirrus
        .edit_contact(&ana_remote, &ContactEdit { custom_name: Some("Ana (antigo)".into()), ..ContactEdit::default() });
    cirrus.fail_operation("contacts.update", 1, 503, "Cirrus is under maintenance");
    let ana_failed = e
        .inbox
        .update_contact(&ana.id, ContactPatch { custom_name: Some("Ana Padaria Central".into()), tag_ids: None })
        .await
        .unwrap();
    assert_eq!(ana_failed.sync_state, SyncState::Failed);

    let report = e.inbox.sync_account(&account_id).await.unwrap();
    assert_eq!(report.replaced, 1, "{report:?}");
    assert_eq!(report.failed, 0, "{report:?}");
    assert!(report.pushed >= 2, "Atacado and Ana are pushed: {report:?}");
    let bruno = e.inbox.get_contact(&bruno.id).await.unwrap();
    assert_eq!(bruno.sync_state, SyncState::Replaced);
    assert_eq!(bruno.custom_name.as_deref(), Some("Bruno (Cirrus)"));
    assert!(bruno.sync_error.as_deref().unwrap().contains("Cirrus changed this contact after the edit made here"));
    let ana = e.inbox.get_contact(&ana.id).await.unwrap();
    assert_eq!((ana.sync_state, ana.custom_name.as_deref()), (SyncState::Synced, Some("Ana Padaria Central")));
    assert_eq!(cirrus.contact(&ana_remote).unwrap().custom_name.as_deref(), Some("Ana Padaria Central"));
    let atacado = e.inbox.list_tags().await.unwrap().into_iter().find(|t| t.name == "Atacado").unwrap();
    assert_eq!(atacado.sync_state, SyncState::Synced);
    assert!(cirrus.tags().iter().any(|t| t.name == "Atacado"));

    // A tag renamed on Cirrus's side is renamed here; one deleted there goes here.
    cirrus.rename_tag(&novo, "Cliente novo");
    let report = e.inbox.sync_account(&account_id).await.unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    let names: Vec<String> = e.inbox.list_tags().await.unwrap().into_iter().map(|t| t.name).collect();
    assert!(names.contains(&"Cliente novo".to_owned()), "{names:?}");
}
