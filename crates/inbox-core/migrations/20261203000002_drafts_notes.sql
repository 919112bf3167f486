-- Drafts and internal notes.

-- What the agent has half written in a conversation, kept by the engine so it survives switching
-- chats, a reload and a restart: the text, the message it quotes, the attachments (ids of the
-- local media store, a JSON array of strings kept as given) and whether the composer was in note
-- mode. One per conversation; an empty draft is not stored. Sending a message or adding a note
-- deletes it in the same transaction that stores the message.
CREATE TABLE drafts (
    conversation_id   TEXT PRIMARY KEY NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    body              TEXT NOT NULL DEFAULT '',
    quoted_message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,
    media_ids         TEXT NOT NULL DEFAULT '[]',
    note              INTEGER NOT NULL DEFAULT 0 CHECK (note IN (0, 1)),
    updated_at        INTEGER NOT NULL
);

-- An internal note: a message the agent wrote for colleagues, stored here and never sent to a
-- provider (no provider id, never pending). Every path that hands stored messages to a provider
-- (the external_history document, interrupted sends) leaves notes out.
ALTER TABLE messages ADD COLUMN note INTEGER NOT NULL DEFAULT 0 CHECK (note IN (0, 1));
