-- Files the agent attached from disk (the local media store). The bytes live beside the database,
-- content-addressed by their SHA-256 (`media/<first two hex digits>/<sha256>`); a row names one
-- attachment: the same bytes attached twice are one file and two rows. A message sent with a
-- stored file names it in its payload (`{"media": {...}}`).
CREATE TABLE media (
    id         TEXT PRIMARY KEY NOT NULL,
    file_name  TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    created_at INTEGER NOT NULL
);
CREATE INDEX media_by_sha256 ON media (sha256);
