//! Contact and tag commands, and their sync with providers that keep contacts (Cirrus).
//!
//! Edits are saved here first, as `pending`, then sent at once to every provider account that
//! syncs them (for a contact: the accounts it has an identity on; for a tag: every account that
//! syncs tags). Accepted → `synced`. Refused → `failed`, with the provider's message; the edit is
//! kept here and sent again by the next sync.
//!
//! **Which version wins on sync** (shown to the agent):
//! 1. Tags first: tag edits not yet accepted are sent again; then the provider's tags are read.
//!    The provider's name and colour replace the ones here, except on a tag whose edit the
//!    provider still refuses. A tag deleted at the provider is deleted here unless edited here.
//! 2. Then every contact of the account is read. For a contact with an edit made here that the
//!    provider has not accepted (`pending` or `failed`), the newer change wins, by time: if the
//!    provider changed the contact after the edit here, the provider's version replaces the edit
//!    and the contact shows `replaced`; otherwise the edit is sent again (→ `synced`, or `failed`
//!    with the provider's message). An edit the provider accepted is the provider's version too,
//!    so every other contact simply takes the provider's version (names, photo, tags).
//! 3. Contacts edited here that the provider does not have yet are created there.
//!
//! A contact stays `replaced` until the agent edits it again. Deleting a tag asks the provider
//! first: if it refuses, the tag stays (marked `failed`), since a tag deleted only here would come
//! back on the next sync.
//!
//! Conversations show their contact's name, the custom name first.

use std::collections::BTreeSet;

use crate::capable::{capabilities_of, part, require};
use crate::exchange::AccountRow;
use crate::model::{Capability, Contact, ContactFilter, ContactPatch, Page, SyncReport, SyncState, Tag, TagInput};
use crate::providers::{self, Connector, RemoteContact};
use crate::{Error, Event, Inbox, Result, Text};

/// Longest custom name or tag name accepted.
const MAX_NAME_CHARS: usize = 200;
/// A guard against a provider whose contact pages never end.
const MAX_CONTACT_PAGES: u32 = 2000;

/// Why a push failed, for `sync_error`: the provider's own words when it refused.
fn reason(e: &Error) -> String {
    match e {
        Error::Provider(message) => message.clone(),
        other => other.public_message(),
    }
}

/// A trimmed name, refused with `too_long` when over the limit.
fn clean_name(s: &str, too_long: fn() -> Text) -> Result<String> {
    let s = s.trim();
    if s.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(too_long()));
    }
    Ok(s.to_owned())
}

fn tag_name_too_long() -> Text {
    text!("tag.name_too_long", max = MAX_NAME_CHARS)
}

/// `#rgb` or `#rrggbb`.
fn clean_color(s: &str) -> Result<String> {
    let s = s.trim();
    let hex = s.strip_prefix('#').unwrap_or("");
    if !matches!(hex.len(), 3 | 6) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(text!("tag.color_invalid", value = s)));
    }
    Ok(s.to_ascii_lowercase())
}

impl Inbox {
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn list_contacts(&self, filter: &ContactFilter) -> Result<Page<Contact>> {
        self.inner.store.list_contacts(filter).await
    }

    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn get_contact(&self, id: &str) -> Result<Contact> {
        self.inner.store.get_contact(id).await
    }

    /// Edits a contact here, then pushes it to each syncing provider account it belongs to. A
    /// provider's refusal does not fail the command: the contact comes back `failed` with the
    /// provider's message, and the edit is kept.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_contact(&self, id: &str, patch: ContactPatch) -> Result<Contact> {
        let contact = self.inner.store.get_contact(id).await?;
        let custom_name = match &patch.custom_name {
            Some(name) => Some(
                Some(clean_name(name, || text!("contact.name_too_long", max = MAX_NAME_CHARS))?)
                    .filter(|n| !n.is_empty()),
            ),
            None => None,
        };
        let tag_ids = patch.tag_ids.map(|ids| {
            let mut seen = BTreeSet::new();
            ids.into_iter().map(|i| i.trim().to_owned()).filter(|i| seen.insert(i.clone())).collect::<Vec<_>>()
        });
        if custom_name.is_none() && tag_ids.is_none() {
            return Ok(contact);
        }
        let targets = self.contact_sync_targets(&contact).await?;
        let state = if targets.is_empty() { SyncState::Local } else { SyncState::Pending };
        self.inner
            .store
            .edit_contact(id, custom_name.as_ref().map(|n| n.as_deref()), tag_ids.as_deref(), state)
            .await?;
        self.contact_changed(id).await?;
        if !targets.is_empty() {
            let errors = self.push_contact_to(id, &targets).await;
            let (state, error) = if errors.is_empty() {
                (SyncState::Synced, None)
            } else {
                (SyncState::Failed, Some(errors.join("; ")))
            };
            self.inner.store.set_contact_sync(id, state, error.as_deref()).await?;
            return self.contact_changed(id).await;
        }
        self.inner.store.get_contact(id).await
    }

    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn list_tags(&self) -> Result<Vec<Tag>> {
        self.inner.store.list_tags().await
    }

    /// Creates a tag here, then at every account that syncs tags.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn create_tag(&self, input: TagInput) -> Result<Tag> {
        let name = clean_name(input.name.as_deref().unwrap_or_default(), tag_name_too_long)?;
        if name.is_empty() {
            return Err(Error::invalid(text!("field.required", field = "name")));
        }
        let color = input.color.as_deref().filter(|c| !c.trim().is_empty()).map(clean_color).transpose()?;
        let accounts = self.tag_sync_accounts().await?;
        let state = if accounts.is_empty() { SyncState::Local } else { SyncState::Pending };
        let tag = self.inner.store.insert_tag(&name, color.as_deref(), state).await?;
        self.tags_changed().await;
        if accounts.is_empty() {
            return Ok(tag);
        }
        self.push_tag_everywhere(&tag.id, &accounts).await?;
        self.tags_changed().await;
        self.inner.store.get_tag(&tag.id).await
    }

    /// Renames or recolours a tag (an empty `color` clears it), here then at the providers.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn update_tag(&self, id: &str, input: TagInput) -> Result<Tag> {
        let name = match &input.name {
            Some(n) => {
                let n = clean_name(n, tag_name_too_long)?;
                if n.is_empty() {
                    return Err(Error::invalid(text!("tag.name_empty")));
                }
                Some(n)
            }
            None => None,
        };
        let color = match &input.color {
            Some(c) if c.trim().is_empty() => Some(None),
            Some(c) => Some(Some(clean_color(c)?)),
            None => None,
        };
        self.inner.store.tag_row(id).await?;
        if name.is_none() && color.is_none() {
            return self.inner.store.get_tag(id).await;
        }
        let accounts = self.tag_sync_accounts().await?;
        let state = if accounts.is_empty() { SyncState::Local } else { SyncState::Pending };
        self.inner.store.edit_tag(id, name.as_deref(), color.as_ref().map(|c| c.as_deref()), state).await?;
        self.tags_changed().await;
        if !accounts.is_empty() {
            self.push_tag_everywhere(id, &accounts).await?;
            self.tags_changed().await;
        }
        self.inner.store.get_tag(id).await
    }

    /// Deletes a tag at every provider that has it, then here. If a provider refuses, the tag is
    /// kept (marked `failed` with the provider's message) and the error is returned.
    #[tracing::instrument(skip_all, fields(id = %id), err(level = "warn"))]
    pub async fn delete_tag(&self, id: &str) -> Result<()> {
        self.inner.store.tag_row(id).await?;
        let mut errors = Vec::new();
        for (account_id, remote_id) in self.inner.store.tag_remotes(id).await? {
            let row = self.inner.store.get_account(&account_id).await?;
            let outcome = match self.capable_account(&row, Capability::TagSync).await {
                Ok(c) => match part(c.directory(), c.as_ref(), Capability::TagSync) {
                    Ok(directory) => directory.delete_tag(&remote_id).await,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            if let Err(e) = outcome {
                errors.push(format!("{}: {}", row.name, reason(&e)));
            }
        }
        if !errors.is_empty() {
            let message = errors.join("; ");
            self.inner.store.set_tag_sync(id, SyncState::Failed, Some(&message)).await?;
            self.tags_changed().await;
            return Err(Error::Provider(message));
        }
        self.inner.store.delete_tag(id).await?;
        self.tags_changed().await;
        Ok(())
    }

    /// Pulls the account's contacts and tags from the provider and pushes local edits, by the
    /// rule in this module's documentation.
    #[tracing::instrument(skip_all, fields(account_id = %account_id), err(level = "warn"))]
    pub async fn sync_account(&self, account_id: &str) -> Result<SyncReport> {
        let row = self.inner.store.get_account(account_id).await?;
        let connector = self.connector(&row).await?;
        let caps = connector.capabilities();
        let (tags, contacts) = (caps.contains(&Capability::TagSync), caps.contains(&Capability::ContactSync));
        if !tags {
            require(connector.as_ref(), Capability::ContactSync)?;
        }
        let mut report = SyncReport::default();
        if tags {
            self.sync_tags(&row, connector.as_ref(), &mut report).await?;
        }
        if contacts {
            self.sync_contacts(&row, connector.as_ref(), &mut report).await?;
        }
        tracing::info!(account = %row.id, ?report, "contacts and tags synced");
        Ok(report)
    }

    async fn sync_tags(&self, row: &AccountRow, connector: &dyn Connector, report: &mut SyncReport) -> Result<()> {
        let accounts = self.tag_sync_accounts().await?;
        for tag in self.inner.store.unsent_tags().await? {
            if self.push_tag_everywhere(&tag.tag.id, &accounts).await? {
                report.pushed += 1;
            } else {
                report.failed += 1;
            }
        }
        let remote = part(connector.directory(), connector, Capability::TagSync)?.pull_tags().await?;
        for tag in &remote {
            self.inner.store.apply_pulled_tag(&row.id, tag).await?;
            report.pulled_tags += 1;
        }
        let present: Vec<String> = remote.iter().map(|t| t.remote_id.clone()).collect();
        self.inner.store.forget_missing_tags(&row.id, &present).await?;
        self.tags_changed().await;
        Ok(())
    }

    async fn sync_contacts(&self, row: &AccountRow, connector: &dyn Connector, report: &mut SyncReport) -> Result<()> {
        let mut remote: Vec<RemoteContact> = Vec::new();
        let mut page = 1;
        for _ in 0..MAX_CONTACT_PAGES {
            let got = part(connector.directory(), connector, Capability::ContactSync)?.pull_contacts(page).await?;
            remote.extend(got.items);
            match got.next_page {
                Some(next) if next > page => page = next,
                _ => break,
            }
        }
        let label = providers::info(row.provider).label;
        let mut handled = BTreeSet::new();
        for rc in &remote {
            let mut tag_ids = Vec::new();
            for remote_tag in &rc.tag_remote_ids {
                if let Some(id) = self.inner.store.tag_by_remote(&row.id, remote_tag).await? {
                    tag_ids.push(id);
                }
            }
            let local = self.inner.store.contact_for_remote(&row.id, &rc.remote_id, &rc.external_id).await?;
            let contact_id = match local {
                Some(l) if matches!(l.sync_state, SyncState::Pending | SyncState::Failed) => {
                    let provider_newer = match (rc.updated_at, l.edited_at) {
                        (Some(theirs), Some(ours)) => theirs.timestamp_millis() > ours,
                        _ => false,
                    };
                    if provider_newer {
                        let (id, retitled) = self
                            .inner
                            .store
                            .apply_pulled_contact(&row.id, rc, &tag_ids, Some(&l.contact_id), SyncState::Replaced)
                            .await?;
                        let note = format!(
                            "{label} changed this contact after the edit made here; {label}'s version was kept"
                        );
                        self.inner.store.set_contact_sync(&id, SyncState::Replaced, Some(&note)).await?;
                        self.emit_conversations(&retitled).await;
                        report.replaced += 1;
                        report.pulled_contacts += 1;
                        id
                    } else {
                        self.inner.store.set_identity_remote(&row.id, &rc.external_id, &rc.remote_id).await?;
                        let target = [(row.clone(), rc.external_id.clone())];
                        self.push_and_record(&l.contact_id, &target, report).await?;
                        l.contact_id
                    }
                }
                local => {
                    let state = match &local {
                        Some(l) if l.sync_state == SyncState::Replaced => SyncState::Replaced,
                        _ => SyncState::Synced,
                    };
                    let existing = local.as_ref().map(|l| l.contact_id.as_str());
                    let (id, retitled) =
                        self.inner.store.apply_pulled_contact(&row.id, rc, &tag_ids, existing, state).await?;
                    self.emit_conversations(&retitled).await;
                    report.pulled_contacts += 1;
                    id
                }
            };
            handled.insert(contact_id.clone());
            self.contact_changed(&contact_id).await?;
        }
        for unsent in self.inner.store.unsent_contacts(&row.id).await? {
            if handled.contains(&unsent.contact_id) {
                continue;
            }
            let target = [(row.clone(), unsent.external_id.clone())];
            self.push_and_record(&unsent.contact_id, &target, report).await?;
            self.contact_changed(&unsent.contact_id).await?;
        }
        Ok(())
    }

    async fn push_and_record(
        &self,
        contact_id: &str,
        targets: &[(AccountRow, String)],
        report: &mut SyncReport,
    ) -> Result<()> {
        let errors = self.push_contact_to(contact_id, targets).await;
        if errors.is_empty() {
            self.inner.store.set_contact_sync(contact_id, SyncState::Synced, None).await?;
            report.pushed += 1;
        } else {
            self.inner.store.set_contact_sync(contact_id, SyncState::Failed, Some(&errors.join("; "))).await?;
            report.failed += 1;
        }
        Ok(())
    }

    /// The contact's identities on accounts that sync contacts: `(account, external id)`.
    async fn contact_sync_targets(&self, contact: &Contact) -> Result<Vec<(AccountRow, String)>> {
        let mut out = Vec::new();
        for identity in &contact.identities {
            let row = self.inner.store.get_account(&identity.account_id).await?;
            if capabilities_of(&row).contains(&Capability::ContactSync) {
                out.push((row, identity.external_id.clone()));
            }
        }
        Ok(out)
    }

    /// Pushes one contact to each target; answers the refusals, in words.
    async fn push_contact_to(&self, contact_id: &str, targets: &[(AccountRow, String)]) -> Vec<String> {
        let mut errors = Vec::new();
        for (row, external_id) in targets {
            if let Err(e) = self.push_contact_once(contact_id, row, external_id).await {
                let message = reason(&e);
                errors.push(if targets.len() > 1 { format!("{}: {message}", row.name) } else { message });
            }
        }
        errors
    }

    async fn push_contact_once(&self, contact_id: &str, row: &AccountRow, external_id: &str) -> Result<()> {
        let connector = self.capable_account(row, Capability::ContactSync).await?;
        let directory = part(connector.directory(), connector.as_ref(), Capability::ContactSync)?;
        let data = self.inner.store.contact_for_push(contact_id, &row.id, external_id).await?;
        let mut tag_remote_ids = Vec::new();
        for (tag_id, remote) in &data.tags {
            let remote = match remote {
                Some(r) => r.clone(),
                // A tag the provider does not have yet is created there first.
                None => {
                    let tag = self.inner.store.tag_row(tag_id).await?.tag;
                    let r = directory.push_tag(None, &tag.name, tag.color.as_deref()).await?;
                    self.inner.store.set_tag_remote(tag_id, &row.id, &r).await?;
                    r
                }
            };
            tag_remote_ids.push(remote);
        }
        let contact = RemoteContact {
            remote_id: data.remote_id.clone().unwrap_or_default(),
            external_id: data.external_id.clone(),
            kind: data.kind,
            name: data.display_name.clone(),
            custom_name: data.custom_name.clone(),
            avatar_url: data.avatar_url.clone(),
            tag_remote_ids,
            updated_at: None,
        };
        let remote_id = directory.push_contact(data.remote_id.as_deref(), &contact).await?;
        self.inner.store.set_identity_remote(&row.id, external_id, &remote_id).await?;
        Ok(())
    }

    async fn tag_sync_accounts(&self) -> Result<Vec<AccountRow>> {
        Ok(self
            .inner
            .store
            .list_accounts()
            .await?
            .into_iter()
            .filter(|r| capabilities_of(r).contains(&Capability::TagSync))
            .collect())
    }

    /// Creates or updates a tag at each account; records the outcome on the tag. Answers whether
    /// every account accepted it.
    async fn push_tag_everywhere(&self, tag_id: &str, accounts: &[AccountRow]) -> Result<bool> {
        let tag = self.inner.store.tag_row(tag_id).await?.tag;
        let mut errors = Vec::new();
        for row in accounts {
            let remote = self.inner.store.tag_remote_id(tag_id, &row.id).await?;
            let outcome = match self.capable_account(row, Capability::TagSync).await {
                Ok(c) => match part(c.directory(), c.as_ref(), Capability::TagSync) {
                    Ok(directory) => directory.push_tag(remote.as_deref(), &tag.name, tag.color.as_deref()).await,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            match outcome {
                Ok(remote_id) => self.inner.store.set_tag_remote(tag_id, &row.id, &remote_id).await?,
                Err(e) => {
                    let message = reason(&e);
                    errors.push(if accounts.len() > 1 { format!("{}: {message}", row.name) } else { message });
                }
            }
        }
        let ok = errors.is_empty();
        let (state, error) = if ok { (SyncState::Synced, None) } else { (SyncState::Failed, Some(errors.join("; "))) };
        self.inner.store.set_tag_sync(tag_id, state, error.as_deref()).await?;
        Ok(ok)
    }

    /// Retitles the contact's conversations and announces the contact (and those conversations).
    async fn contact_changed(&self, id: &str) -> Result<Contact> {
        let retitled = self.inner.store.retitle_conversations(id).await?;
        self.emit_conversations(&retitled).await;
        let contact = self.inner.store.get_contact(id).await?;
        self.emit(Event::ContactUpdated { contact: contact.clone() });
        Ok(contact)
    }

    async fn emit_conversations(&self, ids: &[String]) {
        for id in ids {
            self.emit_conversation(id).await;
        }
    }

    async fn tags_changed(&self) {
        match self.inner.store.list_tags().await {
            Ok(tags) => self.emit(Event::TagsChanged { tags }),
            Err(e) => tracing::warn!(error = %e, "could not reload tags for their event"),
        }
    }
}
