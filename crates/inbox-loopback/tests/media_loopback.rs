//! Files from disk, end to end over loopback, one test per provider that sends media: a file read
//! from disk is kept in the engine's media store, the message is sent naming it, and the
//! simulated provider fetches it from the receiver's expiring URL (every provider takes media by
//! URL; none takes an upload) and gets the same bytes. A fetch that fails is a failed send.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use inbox_core::{
    ConversationFilter, DeliveryStatus, Event, Inbox, MessageKind, NewAccount, Provider, SendMessage, Sensitive,
    StartConversation, StoredMedia,
};
use inbox_sim::{CustomerMessage, Inbound, MediaFetch, SimHandle, WeglyEvent};
use serde_json::json;
use tokio::sync::broadcast;

/// A file on the agent's disk: a PDF (by its magic number) of `len` bytes.
fn pdf_on_disk(dir: &tempfile::TempDir, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..len).map(|i| (i % 251) as u8));
    let path = dir.path().join("Orçamento 4821.pdf");
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

/// The file read from disk and uploaded as the UI does (name, type, conversation).
async fn upload(inbox: &Inbox, path: &std::path::Path, conversation: &str) -> StoredMedia {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    inbox.upload_media(bytes, name, "application/pdf", Some(conversation)).await.unwrap()
}

fn file_message(media: &StoredMedia, caption: Option<&str>) -> SendMessage {
    SendMessage {
        kind: media.kind,
        media_id: Some(media.id.clone()),
        caption: caption.map(str::to_owned),
        ..SendMessage::default()
    }
}

/// The status the send reached (sent or failed), with its error.
async fn outcome(rx: &mut broadcast::Receiver<Event>, id: &str) -> (DeliveryStatus, Option<String>) {
    common::next_event(rx, |e| match e {
        Event::MessageStatusChanged { message_id, status, error, .. } if message_id == id => {
            Some((*status, error.clone()))
        }
        _ => None,
    })
    .await
}

/// The fetch the simulator recorded for a request of `provider` naming this media id.
fn fetched(sim: &SimHandle, provider: &str, media_id: &str) -> MediaFetch {
    let requests = sim.requests();
    let r = requests
        .iter()
        .rev()
        .find(|r| r.provider == provider && r.raw.contains(&format!("/media/{media_id}/")))
        .unwrap_or_else(|| panic!("no {provider} request names the file: {requests:#?}"));
    r.media.clone().expect("the provider fetched the file")
}

fn assert_same_bytes(fetch: &MediaFetch, bytes: &[u8], mime: &str) {
    use sha2::Digest;
    assert!(fetch.fetched, "{fetch:?}");
    assert_eq!(fetch.status, Some(200), "{fetch:?}");
    assert_eq!(fetch.len, Some(bytes.len() as u64));
    assert_eq!(fetch.sha256.as_deref(), Some(hex::encode(sha2::Sha256::digest(bytes)).as_str()));
    assert_eq!(fetch.content_type.as_deref(), Some(mime));
}

/// Sends the file on disk to `conversation` and checks the provider fetched the same bytes.
async fn send_and_compare(h: &common::Harness, sim: &SimHandle, provider: &str, conversation: &str, caption: bool) {
    let disk = tempfile::tempdir().unwrap();
    let (path, bytes) = pdf_on_disk(&disk, 300_000);
    let media = upload(&h.inbox, &path, conversation).await;
    assert_eq!((media.kind, media.mime_type.as_str()), (MessageKind::File, "application/pdf"));
    let mut events = h.inbox.subscribe();
    let caption = caption.then_some("Segue o orçamento");
    let stored = h.inbox.send_message(conversation, file_message(&media, caption)).await.unwrap();
    assert_eq!(stored.status, DeliveryStatus::Pending, "stored before the provider is called");
    assert_eq!(stored.file_name.as_deref(), Some("Orçamento 4821.pdf"));
    let (status, error) = outcome(&mut events, &stored.id).await;
    assert_eq!(status, DeliveryStatus::Sent, "{error:?}");
    assert_same_bytes(&fetched(sim, provider, &media.id), &bytes, "application/pdf");
    // The receiver's URL the provider was given is not kept on the message.
    let again = h.inbox.list_messages(conversation, None, None).await.unwrap();
    assert!(again.items.iter().all(|m| m.media_url.as_deref().is_none_or(|u| !u.contains("/media/"))));
}

#[tokio::test]
async fn mconnect_fetches_the_file_from_the_receiver() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    sim.mconnect().fire(Inbound::text(common::NUMBER, "Pode mandar o orçamento?")).await.unwrap();
    let conversation = common::until(async || {
        h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items.first().map(|c| c.id.clone())
    })
    .await;
    send_and_compare(&h, &sim, "mconnect", &conversation, true).await;
    let file_send = sim.requests().into_iter().rev().find(|r| r.provider == "mconnect").unwrap();
    let data = &file_send.body.unwrap()["element_data"];
    assert_eq!(data["caption"], "Segue o orçamento");
    assert_eq!(data["filename"], "Orçamento 4821.pdf");

    // An image pasted from the clipboard (PNG bytes, no name of their own) goes as an image.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.resize(5000, 3);
    let image = h.inbox.upload_media(png.clone(), "pasted.png", "image/png", Some(&conversation)).await.unwrap();
    assert_eq!(image.kind, MessageKind::Image);
    let mut events = h.inbox.subscribe();
    let stored = h.inbox.send_message(&conversation, file_message(&image, Some("print da tela"))).await.unwrap();
    assert_eq!(outcome(&mut events, &stored.id).await.0, DeliveryStatus::Sent);
    assert_same_bytes(&fetched(&sim, "mconnect", &image.id), &png, "image/png");
}

#[tokio::test]
async fn a_file_the_provider_cannot_fetch_is_marked_failed() {
    let h = common::inbox().await;
    let sim = common::sim();
    common::mconnect_account(&h.inbox, &sim).await;
    sim.mconnect().fire(Inbound::text(common::NUMBER, "oi")).await.unwrap();
    let conversation = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0].id.clone();
    let disk = tempfile::tempdir().unwrap();
    let (path, _) = pdf_on_disk(&disk, 1000);
    let media = upload(&h.inbox, &path, &conversation).await;
    // The file goes missing from the media store: the receiver answers 404 to the provider.
    let store = h.dir.path().join("media").join(&media.sha256[..2]).join(&media.sha256);
    std::fs::remove_file(store).unwrap();
    let mut events = h.inbox.subscribe();
    let stored = h.inbox.send_message(&conversation, file_message(&media, None)).await.unwrap();
    let (status, error) = outcome(&mut events, &stored.id).await;
    assert_eq!(status, DeliveryStatus::Failed, "not shown as delivered");
    assert!(error.is_some());
    let fetch = fetched(&sim, "mconnect", &media.id);
    assert_eq!(fetch.status, Some(404));
}

#[tokio::test]
async fn zchat_fetches_the_file_from_the_receiver() {
    for (provider, flavour, name) in
        [(Provider::Zchat, "interactions", "ZChat"), (Provider::Omnize, "whatsapp", "Omnize")]
    {
        let h = common::inbox().await;
        let sim = common::sim();
        let account = h
            .inbox
            .create_account(NewAccount {
                provider,
                name: name.into(),
                settings: json!({ "flavour": flavour, "base_url": sim.zchat_url(), "department_id": 1 })
                    .as_object()
                    .unwrap()
                    .clone(),
                secrets: BTreeMap::from([("token".to_owned(), Sensitive::new(inbox_sim::zchat::DEFAULT_TOKEN))]),
            })
            .await
            .unwrap();
        let started = h
            .inbox
            .start_conversation(StartConversation {
                account_id: account.id.clone(),
                to: "5511991417777".into(),
                name: Some("Ana Souza".into()),
                message: Some(SendMessage::text("Olá, preciso do orçamento")),
                ..StartConversation::default()
            })
            .await
            .unwrap();
        send_and_compare(&h, &sim, "zchat", &started.id, false).await;
        let sent = sim.requests().into_iter().rev().find(|r| r.provider == "zchat").unwrap().body.unwrap();
        assert_eq!(sent[if flavour == "whatsapp" { "content_type" } else { "type" }], "file", "{name}");
        assert_eq!(sent["content"], "Orçamento 4821.pdf", "{name}: a file's content is its name");
    }
}

#[tokio::test]
async fn cirrus_fetches_the_file_from_the_receiver() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = h
        .inbox
        .create_account(NewAccount {
            provider: Provider::Cirrus,
            name: "Karoo".into(),
            settings: json!({
                "base_url": sim.cirrus_url(),
                "client_identifier": "9a92ea44-244c-4cda-86be-6a9e32ba8f34",
                "channel_id": "64ef5c84f9deb1326965919e",
                "platform_config_id": "64ef5c84f9deb1326965919f",
                "platform": "karoochat",
                "service": "whatsappweb",
                "company_name": "Empresa XYZ",
                "agent_name": "Atendente João",
            })
            .as_object()
            .unwrap()
            .clone(),
            secrets: BTreeMap::from([("token".to_owned(), Sensitive::new("cirrus-token"))]),
        })
        .await
        .unwrap();
    let started = h
        .inbox
        .start_conversation(StartConversation {
            account_id: account.id.clone(),
            to: "5521988887777".into(),
            name: Some("João".into()),
            message: Some(SendMessage::text("Olá!")),
            ..StartConversation::default()
        })
        .await
        .unwrap();
    // The start's first message settles first.
    tokio::time::sleep(Duration::from_millis(50)).await;
    send_and_compare(&h, &sim, "cirrus", &started.id, false).await;
    let sent = sim.requests().into_iter().rev().find(|r| r.provider == "cirrus").unwrap().body.unwrap();
    assert!(sent["mediaUri"].as_str().unwrap().contains("/media/"), "{sent}");
}

#[tokio::test]
async fn wegly_fetches_the_file_from_the_receiver() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = h
        .inbox
        .create_account(NewAccount {
            provider: Provider::Wegly,
            name: "Loja Wegly".into(),
            settings: json!({ "base_url": sim.wegly_url(), "whatsapp_phone_id": inbox_sim::wegly::DEFAULT_PHONE_ID })
                .as_object()
                .unwrap()
                .clone(),
            secrets: BTreeMap::from([
                ("token".to_owned(), Sensitive::new(inbox_sim::wegly::DEFAULT_TOKEN)),
                ("signing_secret".to_owned(), Sensitive::new("wegly-signing")),
            ]),
        })
        .await
        .unwrap();
    sim.wegly().subscribe(account.webhook_url.clone().unwrap(), "wegly-signing", inbox_sim::Signing::Hex);
    let customer = CustomerMessage {
        wa_contact_id: Some("5511911110009".into()),
        contact_name: Some("Marina".into()),
        text: Some("Me manda o orçamento?".into()),
        ..Default::default()
    };
    sim.wegly().fire(WeglyEvent::MessageReceived(customer)).await.unwrap();
    let conversation = h.inbox.list_conversations(&ConversationFilter::default()).await.unwrap().items[0].id.clone();
    send_and_compare(&h, &sim, "wegly", &conversation, true).await;
    let sent = sim.requests().into_iter().rev().find(|r| r.provider == "wegly" && r.method == "POST").unwrap();
    let body = sent.body.unwrap();
    assert_eq!(body["type"], "media");
    assert_eq!(body["body"], "Segue o orçamento");
    assert_eq!(body["media"]["media_type"], "document");

    // Over Wegly's 5 MB for images: refused before anything is stored.
    let mut big = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    big.resize(6 * 1024 * 1024, 1);
    let refused = h.inbox.upload_media(big, "foto.png", "image/png", Some(&conversation)).await.unwrap_err();
    assert_eq!(refused.public_text().key, "media.too_large");
}
