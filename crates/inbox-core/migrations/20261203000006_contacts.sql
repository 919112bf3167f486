-- Who the customer is, beyond a name: the agents' notes, custom attributes, whether the contact's
-- messages raise desktop notifications, and merges of duplicate contacts (with what undoes them).

-- Free text the agents keep about the contact (never sent to anyone).
ALTER TABLE contacts ADD COLUMN notes TEXT;
-- 1: the contact's messages raise no desktop notification.
ALTER TABLE contacts ADD COLUMN notifications_blocked INTEGER NOT NULL DEFAULT 0
    CHECK (notifications_blocked IN (0, 1));

-- Key/value facts about a contact (plan, CPF, city...), in the order they were added.
CREATE TABLE contact_attributes (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (contact_id, key)
);

-- A merge of contacts into one survivor. `snapshot` is JSON: every merged contact's row, the
-- survivor's row, their identities, tags, attributes and the conversations whose contact or title
-- the merge changed, exactly as they were before (see store/contact_merge.rs); undoing puts them
-- back. `undone_at` is set once it was undone.
CREATE TABLE contact_merges (
    id          TEXT PRIMARY KEY NOT NULL,
    survivor_id TEXT NOT NULL,
    merged_ids  TEXT NOT NULL,
    snapshot    TEXT NOT NULL,
    merged_at   INTEGER NOT NULL,
    undone_at   INTEGER
);
CREATE INDEX contact_merges_by_survivor ON contact_merges (survivor_id, merged_at DESC);
