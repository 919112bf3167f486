//! The `media` table: one row per file the agent attached (its bytes live in the media store
//! beside the database, see `crate::media`).

use super::{Store, from_ms};
use crate::model::StoredMedia;
use crate::{Error, Result};

struct Raw {
    id: String,
    file_name: String,
    mime_type: String,
    size: i64,
    sha256: String,
    created_at: i64,
}

impl From<Raw> for StoredMedia {
    fn from(r: Raw) -> StoredMedia {
        StoredMedia {
            kind: crate::media::kind_of(&r.mime_type),
            id: r.id,
            file_name: r.file_name,
            mime_type: r.mime_type,
            size: u64::try_from(r.size).unwrap_or_default(),
            sha256: r.sha256,
            created_at: from_ms(r.created_at),
        }
    }
}

impl Store {
    pub async fn insert_media(&self, media: &StoredMedia) -> Result<()> {
        let size = i64::try_from(media.size).map_err(|_| Error::Internal("file too large".into()))?;
        let created_at = media.created_at.timestamp_millis();
        sqlx::query!(
            "INSERT INTO media (id, file_name, mime_type, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            media.id,
            media.file_name,
            media.mime_type,
            size,
            media.sha256,
            created_at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_media(&self, id: &str) -> Result<StoredMedia> {
        let row = sqlx::query_as!(
            Raw,
            "SELECT id, file_name, mime_type, size, sha256, created_at FROM media WHERE id = ?",
            id
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(StoredMedia::from).ok_or_else(|| Error::NotFound(text!("media.not_found")))
    }
}
