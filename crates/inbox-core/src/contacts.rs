//! Contact and tag commands, and their sync with providers that keep contacts (Cirrus).
//!
//! STUB: the signatures are the command set's contract; the store and the sync are being written.

use crate::model::{Contact, ContactFilter, ContactPatch, Page, SyncReport, Tag, TagInput};
use crate::{Error, Inbox, Result};

fn not_yet() -> Error {
    Error::Unsupported("contacts and tags are not built yet".into())
}

impl Inbox {
    pub async fn list_contacts(&self, _filter: &ContactFilter) -> Result<Page<Contact>> {
        Err(not_yet())
    }

    pub async fn get_contact(&self, _id: &str) -> Result<Contact> {
        Err(not_yet())
    }

    /// Edits a contact here, then pushes it to each syncing provider account it belongs to.
    pub async fn update_contact(&self, _id: &str, _patch: ContactPatch) -> Result<Contact> {
        Err(not_yet())
    }

    pub async fn list_tags(&self) -> Result<Vec<Tag>> {
        Err(not_yet())
    }

    pub async fn create_tag(&self, _input: TagInput) -> Result<Tag> {
        Err(not_yet())
    }

    pub async fn update_tag(&self, _id: &str, _input: TagInput) -> Result<Tag> {
        Err(not_yet())
    }

    pub async fn delete_tag(&self, _id: &str) -> Result<()> {
        Err(not_yet())
    }

    /// Pulls the account's contacts and tags from the provider and pushes local edits.
    pub async fn sync_account(&self, _account_id: &str) -> Result<SyncReport> {
        Err(not_yet())
    }
}
