//! The contact panel's commands (profile, notes, attributes, notification block) and merging
//! duplicate contacts (and undoing a merge). CSV import and export are in `contact_csv.rs`.
//!
//! Every change is announced: `ContactProfileUpdated` with the whole profile (so an open panel
//! stays live), `ContactUpdated` for the contact, `ConversationUpdated` for conversations whose
//! contact or title changed, and `ContactsMerged` for a merge or its undo.

use std::collections::BTreeSet;

use crate::model::{ContactAttribute, ContactMerge, ContactProfile, ContactProfilePatch, MergeContacts};
use crate::store::MergeOutcome;
use crate::{Error, Event, Inbox, Result};

/// Longest notes accepted, in characters.
pub const MAX_NOTES_CHARS: usize = 10_000;
/// Most attributes a contact has.
pub const MAX_ATTRIBUTES: usize = 50;
/// Longest attribute key and value.
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 100;
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 1_000;
/// Most conversations a profile lists.
const PROFILE_CONVERSATIONS: i64 = 50;
/// Most contacts merged at once.
const MAX_MERGE: usize = 20;

/// Trimmed notes, `None` when empty; refused when too long.
pub(crate) fn clean_notes(notes: &str) -> Result<Option<String>> {
    let notes = notes.trim();
    if notes.chars().count() > MAX_NOTES_CHARS {
        return Err(Error::invalid(text!("contact.notes_too_long", max = MAX_NOTES_CHARS)));
    }
    Ok((!notes.is_empty()).then(|| notes.to_owned()))
}

/// One attribute, trimmed and checked.
pub(crate) fn clean_attribute(a: &ContactAttribute) -> Result<ContactAttribute> {
    let key = a.key.trim();
    let value = a.value.trim();
    if key.is_empty() {
        return Err(Error::invalid(text!("contact.attribute_key_empty")));
    }
    if key.chars().count() > MAX_ATTRIBUTE_KEY_CHARS {
        return Err(Error::invalid(text!("contact.attribute_key_too_long", key = key, max = MAX_ATTRIBUTE_KEY_CHARS)));
    }
    if value.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS {
        return Err(Error::invalid(text!(
            "contact.attribute_value_too_long",
            key = key,
            max = MAX_ATTRIBUTE_VALUE_CHARS
        )));
    }
    Ok(ContactAttribute { key: key.to_owned(), value: value.to_owned() })
}

/// A whole attribute list: each checked, keys unique (ignoring case), not too many.
fn clean_attributes(list: &[ContactAttribute]) -> Result<Vec<ContactAttribute>> {
    if list.len() > MAX_ATTRIBUTES {
        return Err(Error::invalid(text!("contact.too_many_attributes", max = MAX_ATTRIBUTES)));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for a in list {
        let a = clean_attribute(a)?;
        if !seen.insert(a.key.to_lowercase()) {
            return Err(Error::invalid(text!("contact.attribute_duplicate", key = a.key)));
        }
        out.push(a);
    }
    Ok(out)
}

impl Inbox {
    /// The contact with its notes, attributes, block and conversations on every account.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn get_contact_profile(&self, id: &str) -> Result<ContactProfile> {
        let store = &self.inner.store;
        let contact = store.get_contact(id).await?;
        let fields = store.profile_fields(id).await?;
        let mut conversations = Vec::new();
        for conversation_id in store.contact_conversation_ids(id, PROFILE_CONVERSATIONS).await? {
            conversations.push(store.get_conversation(&conversation_id).await?);
        }
        Ok(ContactProfile {
            contact,
            notes: fields.notes,
            attributes: fields.attributes,
            notifications_blocked: fields.notifications_blocked,
            conversations,
            last_merge: store.last_contact_merge(id).await?,
        })
    }

    /// Saves notes, attributes and the notification block (what the patch gives), then announces
    /// the profile. These stay here: no provider keeps them.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_contact_profile(&self, id: &str, patch: ContactProfilePatch) -> Result<ContactProfile> {
        let notes = patch.notes.as_deref().map(clean_notes).transpose()?;
        let attributes = patch.attributes.as_deref().map(clean_attributes).transpose()?;
        self.inner
            .store
            .edit_profile(id, notes.as_ref().map(|n| n.as_deref()), attributes.as_deref(), patch.notifications_blocked)
            .await?;
        let profile = self.get_contact_profile(id).await?;
        self.emit(Event::ContactProfileUpdated { profile: profile.clone() });
        Ok(profile)
    }

    /// Whether an inbound message's contact has its notifications blocked (the desktop shell
    /// asks before raising a notification). An unknown message is not blocked.
    pub async fn notifications_blocked(&self, message_id: &str) -> Result<bool> {
        self.inner.store.message_notifications_blocked(message_id).await
    }

    /// Merges contacts into the survivor (see `store/contact_merge.rs` for what it keeps); the
    /// merge can be undone with [`Inbox::undo_contact_merge`].
    #[tracing::instrument(skip_all, fields(survivor = %input.survivor_id), err(level = "warn"))]
    pub async fn merge_contacts(&self, input: MergeContacts) -> Result<ContactMerge> {
        let survivor = input.survivor_id.trim().to_owned();
        let mut seen = BTreeSet::new();
        let others: Vec<String> = input
            .contact_ids
            .iter()
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty() && *i != survivor && seen.insert(i.clone()))
            .collect();
        if others.is_empty() || others.len() > MAX_MERGE {
            return Err(Error::invalid(text!("merge.needs_two", max = MAX_MERGE + 1)));
        }
        let outcome = self.inner.store.merge_contacts(&survivor, &others).await?;
        let retitled = self.inner.store.retitle_conversations(&survivor).await?;
        self.merge_announced(&outcome, &retitled).await?;
        tracing::info!(merge = %outcome.merge.id, merged = others.len(), "contacts merged");
        Ok(outcome.merge)
    }

    /// Undoes a merge: every contact, identity, tag, note, attribute and conversation it changed
    /// is as it was before it. Only the latest merge into a contact can be undone.
    #[tracing::instrument(skip_all, fields(id = %merge_id), err(level = "warn"))]
    pub async fn undo_contact_merge(&self, merge_id: &str) -> Result<ContactMerge> {
        let outcome = self.inner.store.undo_contact_merge(merge_id).await?;
        self.merge_announced(&outcome, &[]).await?;
        tracing::info!(merge = %merge_id, "contact merge undone");
        Ok(outcome.merge)
    }

    async fn merge_announced(&self, outcome: &MergeOutcome, retitled: &[String]) -> Result<()> {
        self.emit(Event::ContactsMerged { merge: outcome.merge.clone() });
        for id in &outcome.contacts {
            let contact = self.inner.store.get_contact(id).await?;
            self.emit(Event::ContactUpdated { contact });
            let profile = self.get_contact_profile(id).await?;
            self.emit(Event::ContactProfileUpdated { profile });
        }
        let conversations: BTreeSet<&String> = outcome.conversations.iter().chain(retitled).collect();
        for id in conversations {
            self.emit_conversation(id).await;
        }
        Ok(())
    }
}
