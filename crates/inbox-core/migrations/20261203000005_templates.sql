-- The local template library: an account's approved WhatsApp templates as the agent sees them
-- (header, body with {{1}}… placeholders, footer, buttons), so the composer can show a template's
-- fields and a preview, and a sent template can keep the text the customer saw.
CREATE TABLE message_templates (
    id          TEXT PRIMARY KEY NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    language    TEXT NOT NULL,
    category    TEXT NOT NULL,          -- marketing | utility | authentication
    header      TEXT,
    body        TEXT NOT NULL,
    footer      TEXT,
    buttons     TEXT NOT NULL DEFAULT '[]',  -- JSON array of TemplateButton
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (account_id, name, language)
);
