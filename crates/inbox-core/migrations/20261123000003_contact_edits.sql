-- When the agent last edited a contact here (custom name, tags), Unix ms. Sync compares it with
-- the provider's own change time to decide which version wins (see contacts.rs). `updated_at`
-- cannot serve: every inbound message touches it.
ALTER TABLE contacts ADD COLUMN edited_at INTEGER;
