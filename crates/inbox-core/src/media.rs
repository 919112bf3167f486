//! Files from the agent's disk: the local media store, the limits each provider puts on them,
//! and the expiring URL providers fetch them from.
//!
//! **Store.** An upload (bytes, file name, MIME type) is written beside the database under
//! `media/<first two hex digits>/<sha256>` (content-addressed: the same bytes are one file), made
//! durable (`fsync`) and only then given a row in the `media` table, so a row never names a
//! missing file. The MIME type is the one the bytes show (magic numbers, `infer`), else the one
//! given, else the file name's; it decides the kind the file is sent as ([`kind_of`]).
//!
//! **Sending.** A message names a stored file by `media_id` instead of a URL. Before anything is
//! stored, the file is checked against the provider's limits for that kind ([`limit_for`]) and
//! the provider must be able to reach the receiver (a provider on the internet cannot fetch from
//! a receiver whose public address is this machine's loopback or a private network: the send is
//! refused, `media.unreachable`, rather than shown as sent and never delivered). The outbound
//! message is stored with `{"media": StoredMedia}` as its payload; at delivery the provider is
//! given `GET {public_url}/media/{id}/{token}`, served by the webhook receiver. The token is
//! `{expires}.{account}.{hmac}`: an HMAC-SHA256 of the media id, the account and the expiry
//! (Unix seconds) under the account's webhook secret, so it is unguessable, stores nothing and
//! expires ([`URL_LIFETIME`]); an expired or wrong token gets 404. When the provider reports the
//! fetch failed, the send is marked failed with its reason like any refused send.
//!
//! **Uploads.** Every provider the inbox speaks (mConnect, ZChat/Omnize, Cirrus, Wegly) takes
//! media by URL only: none of their documents describes an upload, so nothing here uploads.
//!
//! **Limits** (`providers/README`: the official WhatsApp API's): image JPEG/PNG 5 MB, video
//! MP4/3GP 16 MB, audio AAC/AMR/MP3/M4A/OGG 16 MB, document 100 MB, sticker WebP 100 KB (an
//! animated one is held to that too: the inbox never sends stickers from disk). Wegly, Cirrus
//! and ZChat/Omnize reach WhatsApp's official API (or say nothing else); mConnect drives
//! WhatsApp Web, whose app sends images up to 16 MB. No file over [`MAX_UPLOAD_BYTES`] (the
//! largest any provider takes) is stored at all.

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::io::AsyncWriteExt;

use crate::exchange::{AccountRow, OutboundMessage};
use crate::model::{Capability, MessageKind, Provider, StoredMedia};
use crate::secrets::Sensitive;
use crate::{Error, Inbox, Result};

const MB: u64 = 1024 * 1024;

/// The largest file any provider takes (a WhatsApp document); larger ones are never stored.
pub const MAX_UPLOAD_BYTES: u64 = 100 * MB;

/// How long a media URL given to a provider stays valid.
pub const URL_LIFETIME: chrono::Duration = chrono::Duration::hours(24);

/// What a provider takes as one kind of media message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindLimit {
    /// MIME types taken as this kind; empty: any.
    pub mime_types: &'static [&'static str],
    pub max_bytes: u64,
}

const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png"];
const VIDEO_TYPES: &[&str] = &["video/mp4", "video/3gpp"];
const AUDIO_TYPES: &[&str] = &["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"];
const STICKER_TYPES: &[&str] = &["image/webp"];

/// The limit a provider puts on a kind of media message (see the module documentation).
pub fn limit_for(provider: Provider, kind: MessageKind) -> KindLimit {
    let image_max = if provider == Provider::Mconnect { 16 * MB } else { 5 * MB };
    match kind {
        MessageKind::Image => KindLimit { mime_types: IMAGE_TYPES, max_bytes: image_max },
        MessageKind::Video => KindLimit { mime_types: VIDEO_TYPES, max_bytes: 16 * MB },
        MessageKind::Audio => KindLimit { mime_types: AUDIO_TYPES, max_bytes: 16 * MB },
        MessageKind::Sticker => KindLimit { mime_types: STICKER_TYPES, max_bytes: 100 * 1024 },
        _ => KindLimit { mime_types: &[], max_bytes: MAX_UPLOAD_BYTES },
    }
}

/// The kind a file of this MIME type is sent as: WhatsApp's image, video and audio types as
/// such, anything else as a file (a GIF or a WebP picture goes as a document).
pub fn kind_of(mime_type: &str) -> MessageKind {
    let mime = mime_type.to_ascii_lowercase();
    if IMAGE_TYPES.contains(&mime.as_str()) {
        MessageKind::Image
    } else if VIDEO_TYPES.contains(&mime.as_str()) {
        MessageKind::Video
    } else if AUDIO_TYPES.contains(&mime.as_str()) {
        MessageKind::Audio
    } else {
        MessageKind::File
    }
}

/// A file size as people read it: `5 MB`, `1.5 MB`, `100 KB`, `12 bytes`.
pub fn human_size(bytes: u64) -> String {
    let one = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
    };
    if bytes >= MB {
        one(bytes as f64 / MB as f64, "MB")
    } else if bytes >= 1024 {
        one(bytes as f64 / 1024.0, "KB")
    } else {
        format!("{bytes} bytes")
    }
}

/// A file name as the transports carry it in a header: percent-encoded UTF-8
/// (`encodeURIComponent`). Undecodable input is taken as it is.
pub fn decode_header_name(value: &str) -> String {
    percent_encoding::percent_decode_str(value).decode_utf8().map(|s| s.into_owned()).unwrap_or_else(|_| value.into())
}

/// Checks a stored file against what `provider` takes as `kind`.
pub fn check_limit(provider: Provider, kind: MessageKind, media: &StoredMedia) -> Result<()> {
    let limit = limit_for(provider, kind);
    if !limit.mime_types.is_empty() && !limit.mime_types.contains(&media.mime_type.as_str()) {
        return Err(Error::invalid(text!("media.wrong_type", name = &media.file_name, mime = &media.mime_type,)));
    }
    if media.size > limit.max_bytes {
        return Err(Error::invalid(text!(
            "media.too_large",
            name = &media.file_name,
            size = human_size(media.size),
            max = human_size(limit.max_bytes),
            provider = crate::providers::info(provider).label,
        )));
    }
    Ok(())
}

/// The MIME type of an upload: what its bytes show, else what was given, else its name's.
fn mime_of(bytes: &[u8], given: &str, file_name: &str) -> String {
    if let Some(found) = infer::get(bytes) {
        return found.mime_type().to_owned();
    }
    let given = given.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !given.is_empty() && given != "application/octet-stream" && given.contains('/') {
        return given;
    }
    mime_guess::from_path(file_name).first_raw().unwrap_or("application/octet-stream").to_owned()
}

/// Where the bytes of a file with this SHA-256 live.
fn blob_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// How far a URL's host is reachable from: 0 this machine, 1 its private network, 2 anywhere.
fn reach(url: &str) -> u8 {
    use std::net::IpAddr;
    let Some(host) = reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)) else {
        return 2;
    };
    match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() || ip.is_unspecified() => 0,
        Ok(IpAddr::V4(ip)) if ip.is_private() || ip.is_link_local() => 1,
        Ok(IpAddr::V6(ip)) if ip.is_unique_local() || ip.is_unicast_link_local() => 1,
        Ok(_) => 2,
        Err(_) if host == "localhost" || host.ends_with(".localhost") => 0,
        Err(_) if host.ends_with(".local") || !host.contains('.') => 1,
        Err(_) => 2,
    }
}

/// Whether a provider whose API is at `provider_url` can fetch from a receiver at `public_url`.
pub(crate) fn provider_reaches(public_url: &str, provider_url: &str) -> bool {
    reach(public_url) >= reach(provider_url)
}

/// The token of a media URL: `{expires}.{account}.{hmac}`.
pub(crate) fn url_token(secret: &Sensitive, media_id: &str, account_id: &str, expires: i64) -> String {
    let mac = token_mac(secret, media_id, account_id, expires);
    format!("{expires}.{account_id}.{mac}")
}

fn token_mac(secret: &Sensitive, media_id: &str, account_id: &str, expires: i64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("media:{media_id}:{account_id}:{expires}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A token's parts, when it has the shape of one.
fn token_parts(token: &str) -> Option<(i64, &str, &str)> {
    let (expires, rest) = token.split_once('.')?;
    let (account, mac) = rest.split_once('.')?;
    Some((expires.parse().ok()?, account, mac))
}

impl Inbox {
    fn media_dir(&self) -> &Path {
        &self.inner.media_dir
    }

    /// Keeps a file from the agent's disk in the media store and answers what was stored. With a
    /// conversation, the provider's limits for the file's kind are checked first, so a file the
    /// provider would refuse is never stored.
    #[tracing::instrument(skip(self, bytes), fields(size = bytes.len()), err(level = "warn"))]
    pub async fn upload_media(
        &self,
        bytes: Vec<u8>,
        file_name: &str,
        mime_type: &str,
        conversation_id: Option<&str>,
    ) -> Result<StoredMedia> {
        let file_name = file_name.trim().rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
        if file_name.is_empty() {
            return Err(Error::invalid(text!("media.name_missing")));
        }
        if bytes.is_empty() {
            return Err(Error::invalid(text!("media.empty", name = file_name)));
        }
        let size = bytes.len() as u64;
        if size > MAX_UPLOAD_BYTES {
            return Err(Error::invalid(text!(
                "media.over_upload_limit",
                name = file_name,
                size = human_size(size),
                max = human_size(MAX_UPLOAD_BYTES),
            )));
        }
        let mime_type = mime_of(&bytes, mime_type, &file_name);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let media = StoredMedia {
            id: crate::store::new_id(),
            kind: kind_of(&mime_type),
            file_name,
            mime_type,
            size,
            sha256,
            // Milliseconds, as stored.
            created_at: crate::store::from_ms(crate::store::now_ms()),
        };
        if let Some(conversation_id) = conversation_id.filter(|c| !c.trim().is_empty()) {
            let (connector, _) = self.capable(conversation_id, Capability::SendFile).await?;
            check_limit(connector.provider(), media.kind, &media)?;
        }
        self.write_blob(&media.sha256, &bytes).await?;
        self.inner.store.insert_media(&media).await?;
        Ok(media)
    }

    /// A stored file's description.
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn get_media(&self, id: &str) -> Result<StoredMedia> {
        self.inner.store.get_media(id).await
    }

    /// A stored file and its bytes (for the agent's own timeline).
    #[tracing::instrument(skip(self), err(level = "warn"))]
    pub async fn media_content(&self, id: &str) -> Result<(StoredMedia, Vec<u8>)> {
        let media = self.inner.store.get_media(id).await?;
        let bytes = tokio::fs::read(blob_path(self.media_dir(), &media.sha256)).await.map_err(|e| {
            tracing::error!(media = id, error = %e, "a stored file is missing from the media store");
            Error::NotFound(text!("media.not_found"))
        })?;
        Ok((media, bytes))
    }

    /// Writes the bytes under their hash (once), durably, before any row names them.
    async fn write_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = blob_path(self.media_dir(), sha256);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(());
        }
        let dir = path.parent().expect("a blob path has a folder");
        tokio::fs::create_dir_all(dir).await?;
        let partial = dir.join(format!(".{}.partial", crate::store::new_id()));
        let written = async {
            let mut file = tokio::fs::File::create(&partial).await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            tokio::fs::rename(&partial, &path).await
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        Ok(written?)
    }

    /// Before a message naming a stored file is stored: the file exists, the provider takes it
    /// as this kind, and the provider can reach the receiver to fetch it. Fills in the file name
    /// and the `{"media": ...}` payload.
    pub(crate) async fn prepare_stored_media(&self, row: &AccountRow, outbound: &mut OutboundMessage) -> Result<()> {
        let Some(id) = outbound.media_id.as_deref() else {
            return Ok(());
        };
        let media = self.inner.store.get_media(id).await?;
        check_limit(row.provider, outbound.kind, &media)?;
        let provider_url = row.setting("base_url").unwrap_or_default();
        if !provider_reaches(&self.inner.public_url, provider_url) {
            return Err(Error::NotSupported(text!(
                "media.unreachable",
                provider = crate::providers::info(row.provider).label,
                url = self.inner.public_url.clone(),
            )));
        }
        outbound.file_name = Some(media.file_name.clone());
        outbound.payload = Some(serde_json::json!({ "media": media }));
        Ok(())
    }

    /// The expiring URL a provider fetches a stored file from, made when the message is
    /// delivered. `None` when the account's webhook secret cannot be read.
    pub(crate) async fn media_url(&self, account_id: &str, media_id: &str) -> Option<String> {
        let row = self.inner.store.get_account(account_id).await.ok()?;
        let secret = self.webhook_secret(&row).await?;
        let expires = (chrono::Utc::now() + URL_LIFETIME).timestamp();
        Some(format!(
            "{}/media/{}/{}",
            self.inner.public_url.trim_end_matches('/'),
            media_id,
            url_token(&secret, media_id, account_id, expires)
        ))
    }
}

/// `GET /media/{id}/{token}` on the webhook receiver: the stored file, to a provider holding a
/// valid, unexpired token. Anything else is 404 (nothing tells an expired token from a wrong one).
#[tracing::instrument(name = "media", skip_all)]
pub(crate) async fn serve(
    State(inbox): State<Inbox>,
    UrlPath((media_id, token)): UrlPath<(String, String)>,
) -> Response {
    let denied = || (StatusCode::NOT_FOUND, axum::Json(serde_json::json!({ "code": "not_found" }))).into_response();
    let Some((expires, account_id, mac)) = token_parts(&token) else {
        return denied();
    };
    if expires < chrono::Utc::now().timestamp() {
        tracing::info!("media request with an expired token");
        return denied();
    }
    let Ok(row) = inbox.inner.store.get_account(account_id).await else {
        return denied();
    };
    let Some(secret) = inbox.webhook_secret(&row).await else {
        return denied();
    };
    let expected = token_mac(&secret, &media_id, account_id, expires);
    if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
        tracing::warn!("media request with a wrong token");
        return denied();
    }
    let Ok((media, bytes)) = inbox.media_content(&media_id).await else {
        return denied();
    };
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(&media.file_name, percent_encoding::NON_ALPHANUMERIC)
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, media.mime_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests;
