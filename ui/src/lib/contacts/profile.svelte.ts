// The contact panel's store (one contact's profile, kept live by engine events) and the
// contacts screen's merge, undo, CSV import and export. Talks to the engine only through the
// Backend interface.

import { toBackendError } from '../backend/errors';
import type {
  Backend,
  ContactExport,
  ContactFilter,
  ContactImportReport,
  ContactMerge,
  ContactProfile,
  ContactProfilePatch,
  InboxEvent,
  Unsubscribe,
} from '../backend/types';

export class ContactProfileStore {
  readonly backend: Backend;
  contactId = $state<string | null>(null);
  profile = $state.raw<ContactProfile | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);

  private unsubs: Unsubscribe[] = [];
  private seq = 0;

  constructor(backend: Backend) {
    this.backend = backend;
  }

  start(): void {
    this.unsubs.push(this.backend.onEvent((e) => this.handleEvent(e)));
    this.unsubs.push(this.backend.onResync(() => void this.reload()));
  }

  stop(): void {
    for (const u of this.unsubs.splice(0)) u();
  }

  /** Shows this contact's profile (none for null). */
  async load(id: string | null): Promise<void> {
    if (id === this.contactId && (this.profile || this.loading)) return;
    this.contactId = id;
    this.profile = null;
    this.error = null;
    await this.reload();
  }

  async reload(): Promise<void> {
    const id = this.contactId;
    const seq = ++this.seq;
    if (!id) {
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const profile = await this.backend.getContactProfile(id);
      if (seq === this.seq) {
        this.profile = profile;
        this.error = null;
      }
    } catch (err) {
      if (seq === this.seq) this.error = toBackendError(err).message;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Saves notes, attributes or the block; the answer is the new profile. */
  async update(patch: ContactProfilePatch): Promise<void> {
    const id = this.contactId;
    if (!id) return;
    const profile = await this.backend.updateContactProfile(id, patch);
    if (this.contactId === id) this.profile = profile;
  }

  handleEvent(e: InboxEvent): void {
    const p = this.profile;
    switch (e.type) {
      case 'contact_profile_updated':
        if (e.profile.contact.id === this.contactId) this.profile = e.profile;
        break;
      case 'contact_updated':
        if (p && e.contact.id === p.contact.id) this.profile = { ...p, contact: e.contact };
        break;
      case 'conversation_updated':
        if (p && p.conversations.some((c) => c.id === e.conversation.id)) {
          this.profile = {
            ...p,
            conversations: p.conversations.map((c) => (c.id === e.conversation.id ? e.conversation : c)),
          };
        } else if (p && e.conversation.contact_id === p.contact.id) {
          void this.reload();
        }
        break;
      case 'contacts_merged':
        if (this.contactId && [e.merge.survivor_id, ...e.merge.merged_ids].includes(this.contactId)) {
          void this.reload();
        }
        break;
      default:
        break;
    }
  }
}

/** Merges, undo, CSV import and export for the contacts screen. */
export class ContactBook {
  readonly backend: Backend;
  /** The last merge done here, while it can be undone. */
  lastMerge = $state.raw<ContactMerge | null>(null);

  constructor(backend: Backend) {
    this.backend = backend;
  }

  async merge(survivorId: string, contactIds: string[]): Promise<ContactMerge> {
    const merge = await this.backend.mergeContacts({ survivor_id: survivorId, contact_ids: contactIds });
    this.lastMerge = merge;
    return merge;
  }

  async undo(mergeId: string): Promise<ContactMerge> {
    const merge = await this.backend.undoContactMerge(mergeId);
    if (this.lastMerge?.id === mergeId) this.lastMerge = null;
    return merge;
  }

  check(csv: string): Promise<ContactImportReport> {
    return this.backend.importContactsCsv({ csv, commit: false });
  }

  import(csv: string): Promise<ContactImportReport> {
    return this.backend.importContactsCsv({ csv, commit: true });
  }

  export(filter: ContactFilter): Promise<ContactExport> {
    return this.backend.exportContactsCsv(filter);
  }
}
