-- Search: full-text indexes (FTS5) over messages, conversation titles and contacts, kept in step
-- by triggers, so the index changes in the same transaction as the row it indexes, whoever writes
-- it. Accent- and case-insensitive (`unicode61 remove_diacritics 2`: "acao" finds "ação"), with
-- prefix indexes for search-as-you-type. Existing rows are indexed at the end of this file.
--
-- Each indexed row has a stable integer key (the FTS rowid) in a `*_search_keys` table: the
-- indexed tables have text ids, and their implicit rowids may change on VACUUM.
--
-- Phone numbers: a chat identifier that is a number once spaces, dashes, dots, brackets, `+` and
-- an `@domain` are taken away is also indexed as every suffix of its digits of 4 digits or more
-- (`5511987654321 511987654321 11987654321 …`), so a prefix query on the digits the agent typed
-- finds it with or without country code, area code, spaces or dashes. Contacts are indexed by
-- trigrams (any part of a name or number), with their identities' bare digits.

-- Messages ----------------------------------------------------------------------------------------
-- What an agent can read: the text, a caption, a file's name (not hand-off events, not deliveries
-- the inbox did not understand, not deleted messages).
CREATE TABLE message_search_keys (
    key        INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, caption, file_name,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search_keys (message_id) VALUES (new.id);
    INSERT INTO messages_fts (rowid, body, caption, file_name)
        SELECT k.key, new.body, new.caption, new.file_name FROM message_search_keys k
         WHERE k.message_id = new.id AND new.deleted_at IS NULL AND new.kind NOT IN ('event', 'unrecognised');
END;

CREATE TRIGGER messages_search_update AFTER UPDATE OF body, caption, file_name, kind, deleted_at ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = (SELECT key FROM message_search_keys WHERE message_id = old.id);
    INSERT INTO messages_fts (rowid, body, caption, file_name)
        SELECT k.key, new.body, new.caption, new.file_name FROM message_search_keys k
         WHERE k.message_id = new.id AND new.deleted_at IS NULL AND new.kind NOT IN ('event', 'unrecognised');
END;

CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = (SELECT key FROM message_search_keys WHERE message_id = old.id);
    DELETE FROM message_search_keys WHERE message_id = old.id;
END;

-- Conversations: the title, and the chat's identifier (a phone number for individual chats). ------
CREATE TABLE conversation_search_keys (
    key             INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE conversations_fts USING fts5(
    title, phones,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
-- A conversation's indexed text.
CREATE VIEW conversation_search_rows AS
SELECT k.key, c.id AS conversation_id, c.title,
       c.external_id || ' ' || COALESCE((
           SELECT group_concat(substr(d.value, n.value), ' ')
             FROM json_each(json_array(
                      replace(replace(replace(replace(replace(replace(
                          CASE WHEN instr(c.external_id, '@') > 0
                               THEN substr(c.external_id, 1, instr(c.external_id, '@') - 1)
                               ELSE c.external_id END,
                          ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''))) d,
                  json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]') n
            WHERE c.kind = 'individual' AND length(d.value) >= 5 AND d.value NOT GLOB '*[^0-9]*'
              AND n.value <= length(d.value) - 3
       ), '') AS phones
  FROM conversations c JOIN conversation_search_keys k ON k.conversation_id = c.id;

CREATE TRIGGER conversations_search_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_search_keys (conversation_id) VALUES (new.id);
    INSERT INTO conversations_fts (rowid, title, phones)
        SELECT key, title, phones FROM conversation_search_rows WHERE conversation_id = new.id;
END;

CREATE TRIGGER conversations_search_update AFTER UPDATE OF title, external_id, kind ON conversations BEGIN
    DELETE FROM conversations_fts WHERE rowid = (SELECT key FROM conversation_search_keys WHERE conversation_id = old.id);
    INSERT INTO conversations_fts (rowid, title, phones)
        SELECT key, title, phones FROM conversation_search_rows WHERE conversation_id = new.id;
END;

CREATE TRIGGER conversations_search_delete AFTER DELETE ON conversations BEGIN
    DELETE FROM conversations_fts WHERE rowid = (SELECT key FROM conversation_search_keys WHERE conversation_id = old.id);
    DELETE FROM conversation_search_keys WHERE conversation_id = old.id;
END;

-- Contacts: both names, and every identity as stored and as bare digits. ---------------------------
-- Trigram tokens: any part of a name or number of 3 characters or more matches (the Contacts
-- screen has always found "0000001" in "5511900000001" and "ilva" in "Silva"), still case- and
-- accent-insensitive.
CREATE TABLE contact_search_keys (
    key        INTEGER PRIMARY KEY,
    contact_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    display_name, custom_name, phones,
    tokenize = 'trigram remove_diacritics 1'
);
-- A contact's indexed text.
CREATE VIEW contact_search_rows AS
SELECT k.key, c.id AS contact_id, c.display_name, c.custom_name,
       COALESCE((
           SELECT group_concat(ci.external_id || ' ' ||
                      replace(replace(replace(replace(replace(replace(
                          CASE WHEN instr(ci.external_id, '@') > 0
                               THEN substr(ci.external_id, 1, instr(ci.external_id, '@') - 1)
                               ELSE ci.external_id END,
                          ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), ' ')
             FROM contact_identities ci WHERE ci.contact_id = c.id
       ), '') AS phones
  FROM contacts c JOIN contact_search_keys k ON k.contact_id = c.id;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search_keys (contact_id) VALUES (new.id);
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows WHERE contact_id = new.id;
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF display_name, custom_name ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = old.id);
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows WHERE contact_id = new.id;
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = old.id);
    DELETE FROM contact_search_keys WHERE contact_id = old.id;
END;

-- An identity added, moved to another contact or removed changes the contacts it belongs to.
CREATE TRIGGER contact_identities_search_insert AFTER INSERT ON contact_identities BEGIN
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = new.contact_id);
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows WHERE contact_id = new.contact_id;
END;

CREATE TRIGGER contact_identities_search_update AFTER UPDATE OF external_id, contact_id ON contact_identities BEGIN
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = old.contact_id);
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows WHERE contact_id = old.contact_id;
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = new.contact_id)
        AND new.contact_id IS NOT old.contact_id;
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows
         WHERE contact_id = new.contact_id AND new.contact_id IS NOT old.contact_id;
END;

CREATE TRIGGER contact_identities_search_delete AFTER DELETE ON contact_identities BEGIN
    DELETE FROM contacts_fts WHERE rowid = (SELECT key FROM contact_search_keys WHERE contact_id = old.contact_id);
    INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
        SELECT key, display_name, custom_name, phones FROM contact_search_rows WHERE contact_id = old.contact_id;
END;

-- The contacts list (most recently active first) and the lookups by contact. --------------------
CREATE INDEX contacts_by_activity ON contacts (updated_at DESC, id DESC);
CREATE INDEX contact_identities_by_contact ON contact_identities (contact_id);
CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);
CREATE INDEX conversations_by_contact ON conversations (contact_id);

-- What was stored before this migration. -----------------------------------------------------
INSERT INTO message_search_keys (message_id) SELECT id FROM messages ORDER BY created_at, id;
INSERT INTO messages_fts (rowid, body, caption, file_name)
    SELECT k.key, m.body, m.caption, m.file_name
      FROM messages m JOIN message_search_keys k ON k.message_id = m.id
     WHERE m.deleted_at IS NULL AND m.kind NOT IN ('event', 'unrecognised');

INSERT INTO conversation_search_keys (conversation_id) SELECT id FROM conversations ORDER BY created_at, id;
INSERT INTO conversations_fts (rowid, title, phones) SELECT key, title, phones FROM conversation_search_rows;

INSERT INTO contact_search_keys (contact_id) SELECT id FROM contacts ORDER BY created_at, id;
INSERT INTO contacts_fts (rowid, display_name, custom_name, phones)
    SELECT key, display_name, custom_name, phones FROM contact_search_rows;
