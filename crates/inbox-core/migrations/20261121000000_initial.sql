-- Initial schema. Applied migrations are never edited: add a new file instead.
-- Timestamps are Unix milliseconds (UTC). Identifiers are UUIDv7 text.
-- No secret (token, webhook secret) is ever stored here: only a SHA-256 of the webhook secret.

CREATE TABLE accounts (
    id                    TEXT PRIMARY KEY NOT NULL,
    provider              TEXT NOT NULL,
    name                  TEXT NOT NULL,
    settings              TEXT NOT NULL,          -- JSON object of provider settings (no secrets)
    webhook_secret_sha256 BLOB NOT NULL,
    demo                  INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL
);

CREATE TABLE contacts (
    id           TEXT PRIMARY KEY NOT NULL,
    display_name TEXT,
    avatar_url   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- A contact is known to each account under that provider's identifier (a phone number, a chat id).
CREATE TABLE contact_identities (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    contact_id  TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, external_id)
);

CREATE TABLE conversations (
    id                     TEXT PRIMARY KEY NOT NULL,
    account_id             TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    external_id            TEXT NOT NULL,
    kind                   TEXT NOT NULL CHECK (kind IN ('individual', 'group')),
    contact_id             TEXT REFERENCES contacts(id) ON DELETE SET NULL,
    title                  TEXT NOT NULL,
    avatar_url             TEXT,
    status                 TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'snoozed', 'resolved')),
    priority               INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
    unread_count           INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_activity_at       INTEGER NOT NULL,
    last_message_preview   TEXT,
    last_message_direction TEXT,
    last_message_kind      TEXT,
    created_at             INTEGER NOT NULL,
    UNIQUE (account_id, external_id)
);
CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id DESC);

CREATE TABLE messages (
    id                  TEXT PRIMARY KEY NOT NULL,
    conversation_id     TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    account_id          TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    sender_name         TEXT,
    sender_external_id  TEXT,
    kind                TEXT NOT NULL CHECK (kind IN ('text', 'image', 'video', 'audio', 'file')),
    body                TEXT,
    media_url           TEXT,
    caption             TEXT,
    file_name           TEXT,
    provider_message_id TEXT,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
    error               TEXT,
    quoted_message_id   TEXT REFERENCES messages(id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    -- A provider's message id is unique per account: a second delivery of a webhook stores nothing.
    UNIQUE (account_id, provider_message_id)
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at DESC, id DESC);

CREATE TABLE reactions (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    reactor    TEXT NOT NULL,
    emoji      TEXT NOT NULL,
    reacted_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, reactor)
);

CREATE TABLE tags (
    id    TEXT PRIMARY KEY NOT NULL,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color TEXT
);

CREATE TABLE conversation_tags (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tag_id          TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, tag_id)
);

-- Every accepted webhook delivery, raw, committed in the same transaction as what it produced.
CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    message_id  TEXT REFERENCES messages(id) ON DELETE SET NULL
);
