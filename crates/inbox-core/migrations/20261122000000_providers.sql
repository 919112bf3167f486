-- What the other four providers need: hand-off state, the 24-hour window, assignment and
-- provider-side ids on conversations; structured payloads, deletion and more kinds on messages;
-- contacts and tags that sync with a provider.

-- Conversations ----------------------------------------------------------------------------------
-- `meta`: provider-side ids and state the client needs to address the chat (an interaction hash,
-- a session id, a department). JSON object, never a secret.
ALTER TABLE conversations ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';
-- Hand-off conversations (ZChat/Omnize): JSON {state, position, agent_name, department_id, updated_at}.
ALTER TABLE conversations ADD COLUMN handoff TEXT;
-- End of the 24-hour customer service window (official WhatsApp API providers), Unix ms.
ALTER TABLE conversations ADD COLUMN window_expires_at INTEGER;
-- Who the provider says is responsible for the chat (a name or id), when it says so.
ALTER TABLE conversations ADD COLUMN assignee TEXT;
-- Remote agent typing (hand-off) is transient and lives in events only.

-- Messages: the kind list grows and a CHECK cannot be altered, so the table is rebuilt. ---------
CREATE TABLE messages_new (
    id                  TEXT PRIMARY KEY NOT NULL,
    conversation_id     TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    account_id          TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    sender_name         TEXT,
    sender_external_id  TEXT,
    kind                TEXT NOT NULL CHECK (kind IN ('text', 'image', 'video', 'audio', 'file', 'sticker',
                                                      'location', 'template', 'interactive', 'event',
                                                      'unrecognised')),
    body                TEXT,
    media_url           TEXT,
    caption             TEXT,
    file_name           TEXT,
    -- Structured content: template {name, language, fields}, interactive {buttons|sections},
    -- location {latitude, longitude, name, address}, event {state, ...}, unrecognised (the raw JSON).
    payload             TEXT,
    provider_message_id TEXT,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed')),
    error               TEXT,
    quoted_message_id   TEXT REFERENCES messages_new(id) ON DELETE SET NULL,
    deleted_at          INTEGER,
    created_at          INTEGER NOT NULL,
    UNIQUE (account_id, provider_message_id)
);
INSERT INTO messages_new (id, conversation_id, account_id, direction, sender_name, sender_external_id, kind, body,
                          media_url, caption, file_name, provider_message_id, status, error, quoted_message_id,
                          created_at)
    SELECT id, conversation_id, account_id, direction, sender_name, sender_external_id, kind, body, media_url,
           caption, file_name, provider_message_id, status, error, quoted_message_id, created_at
    FROM messages;

-- Tables referencing messages are rebuilt with it so their foreign keys follow the new table.
CREATE TABLE reactions_new (
    message_id TEXT NOT NULL REFERENCES messages_new(id) ON DELETE CASCADE,
    reactor    TEXT NOT NULL,
    emoji      TEXT NOT NULL,
    reacted_at INTEGER NOT NULL,
    -- True when the reactor is this inbox's side (the agent), so the agent can remove it.
    from_me    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, reactor)
);
INSERT INTO reactions_new (message_id, reactor, emoji, reacted_at) SELECT message_id, reactor, emoji, reacted_at FROM reactions;

CREATE TABLE webhook_events_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    -- What the delivery was understood as: message, status, reaction, handoff, typing, chat,
    -- unrecognised, ignored.
    kind        TEXT NOT NULL DEFAULT 'message',
    payload     TEXT NOT NULL,
    message_id  TEXT REFERENCES messages_new(id) ON DELETE SET NULL
);
INSERT INTO webhook_events_new (id, account_id, received_at, payload, message_id)
    SELECT id, account_id, received_at, payload, message_id FROM webhook_events;

DROP TABLE webhook_events;
DROP TABLE reactions;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
ALTER TABLE reactions_new RENAME TO reactions;
ALTER TABLE webhook_events_new RENAME TO webhook_events;
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at DESC, id DESC);

-- Contacts and tags ---------------------------------------------------------------------------
-- The provider's own id for a contact (Cirrus contactId), and the sync state of local edits.
ALTER TABLE contact_identities ADD COLUMN remote_id TEXT;
ALTER TABLE contacts ADD COLUMN custom_name TEXT;
-- 'local' (never synced), 'synced', 'pending' (edited here, not yet pushed), 'failed' (push
-- refused; `sync_error` says why), 'replaced' (the provider's newer version won on pull).
ALTER TABLE contacts ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'local';
ALTER TABLE contacts ADD COLUMN sync_error TEXT;
ALTER TABLE contacts ADD COLUMN synced_at INTEGER;

CREATE TABLE contact_tags (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
);

-- A tag as a provider knows it (per account).
CREATE TABLE tag_remotes (
    tag_id     TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id  TEXT NOT NULL,
    PRIMARY KEY (tag_id, account_id),
    UNIQUE (account_id, remote_id)
);
ALTER TABLE tags ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'local';
ALTER TABLE tags ADD COLUMN sync_error TEXT;
ALTER TABLE tags ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
