//! The media store, the providers' limits and the expiring URL, against a real SQLite file, a
//! real media folder and the real receiver.

use std::net::SocketAddr;
use std::sync::Arc;

use super::*;
use crate::exchange::InboundMessage;
use crate::model::{ConversationFilter, DeliveryStatus, SendMessage};
use crate::{Config, MemorySecrets};

/// A PNG's magic number, then `len` bytes of padding: enough for the type to show.
fn png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.resize(len, 7);
    bytes
}

struct Harness {
    inbox: Inbox,
    dir: tempfile::TempDir,
}

async fn open(public_url: Option<&str>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        database: dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: public_url.map(str::to_owned),
    };
    let inbox = Inbox::open(config, Arc::new(MemorySecrets::default())).await.unwrap();
    Harness { inbox, dir }
}

/// An account of `provider` stored as it is (no provider call), with a webhook secret, and one
/// customer conversation in it. Answers (account id, conversation id).
async fn account_with_conversation(h: &Harness, provider: Provider, base_url: &str) -> (String, String) {
    let row = AccountRow {
        id: crate::store::new_id(),
        provider,
        name: "Loja".into(),
        settings: serde_json::json!({
            "base_url": base_url,
            "number": "5511900001111",
            "company": "cal4care",
            "username": "agent1",
        })
        .as_object()
        .unwrap()
        .clone(),
        demo: false,
        created_at: chrono::Utc::now(),
    };
    let secret = crate::webhook::new_secret();
    h.inbox.inner.store.insert_account(&row, &crate::webhook::secret_hash(secret.expose())).await.unwrap();
    h.inbox.secret_set(crate::secrets::webhook_secret_key(&row.id), secret).await.unwrap();
    let msg = InboundMessage::text("5511987654321", "false_1", "oi", chrono::Utc::now());
    h.inbox.inner.store.ingest_inbound(&row.id, "{}", &msg).await.unwrap();
    let conversation =
        h.inbox.inner.store.list_conversations(&ConversationFilter::default()).await.unwrap().items.remove(0);
    (row.id, conversation.id)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn kinds_follow_whatsapp_types() {
    assert_eq!(kind_of("image/png"), MessageKind::Image);
    assert_eq!(kind_of("image/jpeg"), MessageKind::Image);
    assert_eq!(kind_of("image/gif"), MessageKind::File, "WhatsApp takes a GIF only as a document");
    assert_eq!(kind_of("video/mp4"), MessageKind::Video);
    assert_eq!(kind_of("audio/ogg"), MessageKind::Audio);
    assert_eq!(kind_of("application/pdf"), MessageKind::File);
}

#[test]
fn sizes_read_as_people_write_them() {
    assert_eq!(human_size(5 * MB), "5 MB");
    assert_eq!(human_size(MB + MB / 2), "1.5 MB");
    assert_eq!(human_size(100 * 1024), "100 KB");
    assert_eq!(human_size(12), "12 bytes");
}

#[test]
fn limits_are_per_provider_and_per_kind() {
    let media = |mime: &str, size: u64| StoredMedia {
        id: "m".into(),
        kind: kind_of(mime),
        file_name: "f".into(),
        mime_type: mime.into(),
        size,
        sha256: "0".repeat(64),
        created_at: chrono::Utc::now(),
    };
    let six_mb_png = media("image/png", 6 * MB);
    let refused = check_limit(Provider::Wegly, MessageKind::Image, &six_mb_png).unwrap_err();
    assert_eq!(refused.code(), "invalid_input");
    assert_eq!(refused.public_text().key, "media.too_large");
    assert!(refused.to_string().contains("6 MB") && refused.to_string().contains("5 MB"), "{refused}");
    check_limit(Provider::Mconnect, MessageKind::Image, &six_mb_png).expect("WhatsApp Web sends images up to 16 MB");
    check_limit(Provider::Wegly, MessageKind::File, &six_mb_png).expect("as a document, up to 100 MB");
    assert_eq!(
        check_limit(Provider::Zchat, MessageKind::Video, &media("video/mp4", 17 * MB)).unwrap_err().public_text().key,
        "media.too_large"
    );
    check_limit(Provider::Cirrus, MessageKind::Audio, &media("audio/ogg", 15 * MB)).unwrap();
    let gif = media("image/gif", 1000);
    assert_eq!(
        check_limit(Provider::Wegly, MessageKind::Image, &gif).unwrap_err().public_text().key,
        "media.wrong_type"
    );
    let sticker = media("image/webp", 120 * 1024);
    assert_eq!(
        check_limit(Provider::Wegly, MessageKind::Sticker, &sticker).unwrap_err().public_text().key,
        "media.too_large"
    );
    for p in Provider::ALL {
        assert_eq!(limit_for(p, MessageKind::File).max_bytes, MAX_UPLOAD_BYTES);
    }
}

#[test]
fn a_provider_on_the_internet_cannot_reach_a_loopback_receiver() {
    assert!(provider_reaches("http://127.0.0.1:8788", "http://127.0.0.1:7900/wegly"));
    assert!(!provider_reaches("http://127.0.0.1:8788", "https://api.wegly.com.br/integrations/external"));
    assert!(!provider_reaches("http://192.168.0.10:8788", "https://api.wegly.com.br"));
    assert!(provider_reaches("http://192.168.0.10:8788", "http://192.168.0.20/api"));
    assert!(!provider_reaches("http://localhost:8788", "http://10.0.0.2/api"));
    assert!(provider_reaches("https://inbox.example.com", "https://api.wegly.com.br"));
    assert!(!provider_reaches("http://[::1]:8788", "https://zchat.zenvia.io"));
}

#[test]
fn header_names_are_percent_decoded() {
    assert_eq!(decode_header_name("Or%C3%A7amento%204821.pdf"), "Orçamento 4821.pdf");
    assert_eq!(decode_header_name("plain.txt"), "plain.txt");
}

#[tokio::test]
async fn uploads_are_content_addressed_and_read_back() {
    let h = open(None).await;
    let bytes = png(2048);
    // The type the bytes show wins over the one given.
    let first = h
        .inbox
        .upload_media(bytes.clone(), "C:\\Users\\ana\\print.png", "application/octet-stream", None)
        .await
        .unwrap();
    assert_eq!(first.file_name, "print.png", "only the name, never the agent's folders");
    assert_eq!(first.mime_type, "image/png");
    assert_eq!(first.kind, MessageKind::Image);
    assert_eq!(first.size, 2048);
    assert_eq!(first.sha256, hex::encode(Sha256::digest(&bytes)));
    let second = h.inbox.upload_media(bytes.clone(), "again.png", "image/png", None).await.unwrap();
    assert_ne!(first.id, second.id, "two attachments, two rows");
    let media_dir = h.dir.path().join("media");
    let files = files_under(&media_dir);
    assert_eq!(files, vec![media_dir.join(&first.sha256[..2]).join(&first.sha256)], "one file for the same bytes");

    let (described, read) = h.inbox.media_content(&second.id).await.unwrap();
    assert_eq!(read, bytes);
    assert_eq!(described, second);
    assert_eq!(h.inbox.get_media(&first.id).await.unwrap(), first);

    let pdf = h.inbox.upload_media(b"%PDF-1.4\n%%EOF".to_vec(), "Orçamento.pdf", "", None).await.unwrap();
    assert_eq!((pdf.mime_type.as_str(), pdf.kind), ("application/pdf", MessageKind::File));
    let csv = h.inbox.upload_media(b"a,b\n1,2\n".to_vec(), "pedidos.csv", "", None).await.unwrap();
    assert_eq!(csv.mime_type, "text/csv", "by its name when the bytes say nothing");

    // Restarted, the store still has them.
    h.inbox.shutdown().await;
    let config = Config {
        database: h.dir.path().join("inbox.db"),
        webhook_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        public_url: None,
    };
    let reopened = Inbox::open(config, Arc::new(MemorySecrets::default())).await.unwrap();
    assert_eq!(reopened.media_content(&first.id).await.unwrap().1, bytes);
}

#[tokio::test]
async fn bad_uploads_are_refused_and_store_nothing() {
    let h = open(None).await;
    let empty = h.inbox.upload_media(Vec::new(), "nada.pdf", "application/pdf", None).await.unwrap_err();
    assert_eq!((empty.code(), empty.public_text().key.as_str()), ("invalid_input", "media.empty"));
    let unnamed = h.inbox.upload_media(b"x".to_vec(), "  ", "text/plain", None).await.unwrap_err();
    assert_eq!(unnamed.public_text().key, "media.name_missing");
    let huge = vec![0u8; (MAX_UPLOAD_BYTES + 1) as usize];
    let over = h.inbox.upload_media(huge, "big.zip", "application/zip", None).await.unwrap_err();
    assert_eq!(over.public_text().key, "media.over_upload_limit");
    assert!(files_under(&h.dir.path().join("media")).is_empty());
    assert_eq!(h.inbox.get_media("nope").await.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn an_upload_for_a_conversation_is_checked_against_its_provider_first() {
    let h = open(None).await;
    let (_, conversation) = account_with_conversation(&h, Provider::Mconnect, "http://127.0.0.1:9/api/").await;
    let over = h.inbox.upload_media(png((17 * MB) as usize), "scan.png", "image/png", Some(&conversation)).await;
    let err = over.unwrap_err();
    assert_eq!(err.public_text().key, "media.too_large");
    assert!(err.to_string().contains("17 MB") && err.to_string().contains("16 MB"), "{err}");
    assert!(files_under(&h.dir.path().join("media")).is_empty(), "nothing stored");
    let pt = err.public_text().render(crate::Lang::PtBr);
    assert!(pt.contains("aceita arquivos deste tipo até 16 MB"), "{pt}");
    h.inbox.upload_media(png((6 * MB) as usize), "scan.png", "image/png", Some(&conversation)).await.unwrap();
}

#[tokio::test]
async fn the_receiver_serves_a_file_only_with_a_valid_unexpired_token() {
    let h = open(None).await;
    let (account, _) = account_with_conversation(&h, Provider::Mconnect, "http://127.0.0.1:9/api/").await;
    let bytes = png(4096);
    let media = h.inbox.upload_media(bytes.clone(), "foto.png", "image/png", None).await.unwrap();
    let url = h.inbox.media_url(&account, &media.id).await.unwrap();
    let base = format!("http://{}", h.inbox.webhook_addr());
    assert!(url.starts_with(&format!("{base}/media/{}/", media.id)), "{url}");

    let http = reqwest::Client::new();
    let got = http.get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), bytes);

    let status = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    let token = url.rsplit('/').next().unwrap().to_owned();
    let (expires, _, mac) = token_parts(&token).unwrap();
    // A wrong MAC, another media id, a later expiry, another account: 404.
    assert_eq!(status(format!("{base}/media/{}/{expires}.{account}.{}x", media.id, &mac[..mac.len() - 1])).await, 404);
    let other = h.inbox.upload_media(png(100), "outra.png", "image/png", None).await.unwrap();
    assert_eq!(status(format!("{base}/media/{}/{token}", other.id)).await, 404);
    assert_eq!(status(format!("{base}/media/{}/{}.{account}.{mac}", media.id, expires + 3600)).await, 404);
    assert_eq!(status(format!("{base}/media/{}/{expires}.{}.{mac}", media.id, crate::store::new_id())).await, 404);
    assert_eq!(status(format!("{base}/media/{}/garbage", media.id)).await, 404);

    // Signed correctly but expired: 404.
    let row = h.inbox.inner.store.get_account(&account).await.unwrap();
    let secret = h.inbox.webhook_secret(&row).await.unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::seconds(1)).timestamp();
    let expired = url_token(&secret, &media.id, &account, past);
    assert_eq!(status(format!("{base}/media/{}/{expired}", media.id)).await, 404);
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(60)).timestamp();
    let fresh = url_token(&secret, &media.id, &account, soon);
    assert_eq!(status(format!("{base}/media/{}/{fresh}", media.id)).await, 200);
    let lifetime = expires - chrono::Utc::now().timestamp();
    assert!((URL_LIFETIME.num_seconds() - 60..=URL_LIFETIME.num_seconds()).contains(&lifetime), "{lifetime}");
}

#[tokio::test]
async fn a_message_naming_a_stored_file_is_stored_with_it_before_any_call() {
    let h = open(None).await;
    let (_, conversation) = account_with_conversation(&h, Provider::Mconnect, "http://127.0.0.1:9/api/").await;
    let media = h.inbox.upload_media(png(1000), "foto.png", "image/png", None).await.unwrap();
    let input = SendMessage {
        kind: MessageKind::Image,
        media_id: Some(media.id.clone()),
        caption: Some("Segue a foto".into()),
        ..SendMessage::default()
    };
    let sent = h.inbox.send_message(&conversation, input).await.unwrap();
    assert_eq!(sent.status, DeliveryStatus::Pending);
    assert_eq!(sent.kind, MessageKind::Image);
    assert_eq!(sent.caption.as_deref(), Some("Segue a foto"));
    assert_eq!(sent.file_name.as_deref(), Some("foto.png"));
    assert_eq!(sent.media_url, None, "no expiring URL is stored");
    let payload: crate::model::MessagePayload = serde_json::from_value(sent.payload.clone().unwrap()).unwrap();
    assert_eq!(payload, crate::model::MessagePayload::Media(media.clone()));

    // A file and a URL at once, or an unknown file: refused, nothing stored.
    let before = h.inbox.list_messages(&conversation, None, None).await.unwrap().items.len();
    let both = SendMessage {
        kind: MessageKind::Image,
        media_id: Some(media.id.clone()),
        media_url: Some("https://example.com/a.png".into()),
        ..SendMessage::default()
    };
    assert_eq!(h.inbox.send_message(&conversation, both).await.unwrap_err().public_text().key, "media.file_and_url");
    let unknown = SendMessage { kind: MessageKind::File, media_id: Some("nope".into()), ..SendMessage::default() };
    assert_eq!(h.inbox.send_message(&conversation, unknown).await.unwrap_err().code(), "not_found");
    let gif = h.inbox.upload_media(b"GIF89a\x01\0\x01\0".to_vec(), "a.gif", "image/gif", None).await.unwrap();
    let as_image = SendMessage { kind: MessageKind::Image, media_id: Some(gif.id), ..SendMessage::default() };
    assert_eq!(h.inbox.send_message(&conversation, as_image).await.unwrap_err().public_text().key, "media.wrong_type");
    assert_eq!(h.inbox.list_messages(&conversation, None, None).await.unwrap().items.len(), before);
}

#[tokio::test]
async fn a_file_is_not_sent_to_a_provider_that_cannot_reach_the_receiver() {
    let h = open(None).await;
    let (_, conversation) =
        account_with_conversation(&h, Provider::Mconnect, "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/")
            .await;
    let media = h.inbox.upload_media(png(1000), "foto.png", "image/png", None).await.unwrap();
    let input = SendMessage { kind: MessageKind::Image, media_id: Some(media.id), ..SendMessage::default() };
    let err = h.inbox.send_message(&conversation, input).await.unwrap_err();
    assert_eq!((err.code(), err.public_text().key.as_str()), ("unsupported", "media.unreachable"));
    assert_eq!(h.inbox.list_messages(&conversation, None, None).await.unwrap().items.len(), 1, "only the customer's");

    // With a public address, the same send is stored.
    let public = open(Some("https://inbox.example.com")).await;
    let (_, conversation) =
        account_with_conversation(&public, Provider::Mconnect, "https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/")
            .await;
    let media = public.inbox.upload_media(png(1000), "foto.png", "image/png", None).await.unwrap();
    let input = SendMessage { kind: MessageKind::Image, media_id: Some(media.id), ..SendMessage::default() };
    assert_eq!(public.inbox.send_message(&conversation, input).await.unwrap().status, DeliveryStatus::Pending);
}
