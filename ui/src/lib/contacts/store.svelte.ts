// The directory, shared through context: the provider catalogue and the tag list (the one copy
// the accounts, contacts and conversation views all read), contacts and their sync. Accounts
// are the inbox store's. Talks to the engine only through the Backend interface.

import { getContext, setContext } from 'svelte';
import { toBackendError } from '../backend/errors';
import type {
  Backend,
  Contact,
  ContactFilter,
  ContactPatch,
  InboxEvent,
  ProviderInfo,
  SyncReport,
  Tag,
  TagInput,
  Unsubscribe,
} from '../backend/types';
import { appendContacts, replaceContact, retagContacts, sortTags } from './logic';

const CONTACT_PAGE = 50;

export interface SyncOutcome {
  report: SyncReport | null;
  error: string | null;
  at: number;
}

export class DirectoryStore {
  readonly backend: Backend;

  providers = $state.raw<ProviderInfo[]>([]);
  providersError = $state<string | null>(null);

  /** null until loaded. */
  tags = $state.raw<Tag[] | null>(null);
  tagsError = $state<string | null>(null);

  contactQuery = $state('');
  contactTagId = $state('');
  contactAccountId = $state('');
  contacts = $state.raw<Contact[]>([]);
  contactsCursor = $state<string | null>(null);
  contactsLoading = $state(false);
  contactsLoaded = $state(false);
  contactsError = $state<string | null>(null);

  syncing = $state.raw<Record<string, boolean>>({});
  syncResults = $state.raw<Record<string, SyncOutcome>>({});

  private unsubs: Unsubscribe[] = [];
  private contactsSeq = 0;
  private providersLoading: Promise<void> | null = null;
  /** The contacts screen is open: keep its list fresh after a resync. */
  private contactsActive = false;

  constructor(backend: Backend) {
    this.backend = backend;
  }

  start(): void {
    this.unsubs.push(this.backend.onEvent((e) => this.handleEvent(e)));
    this.unsubs.push(this.backend.onResync(() => void this.resync()));
  }

  stop(): void {
    for (const u of this.unsubs.splice(0)) u();
  }

  // ---- providers ------------------------------------------------------------

  /** Loads the provider catalogue once (again after a failure). */
  ensureProviders(): Promise<void> {
    if (this.providers.length > 0) return Promise.resolve();
    this.providersLoading ??= this.backend
      .listProviders()
      .then((p) => {
        this.providers = p;
        this.providersError = null;
      })
      .catch((err) => {
        this.providersError = toBackendError(err).message;
      })
      .finally(() => {
        this.providersLoading = null;
      });
    return this.providersLoading;
  }

  provider(id: string): ProviderInfo | undefined {
    return this.providers.find((p) => p.id === id);
  }

  /** The provider's name as the catalogue gives it (its id until the catalogue is loaded). */
  providerLabel(id: string): string {
    return this.provider(id)?.label ?? id;
  }

  // ---- sync -----------------------------------------------------------------

  /** Pulls and pushes an account's contacts and tags; the outcome is kept for the screen. */
  async syncAccount(accountId: string): Promise<void> {
    if (this.syncing[accountId]) return;
    this.syncing = { ...this.syncing, [accountId]: true };
    let outcome: SyncOutcome;
    try {
      outcome = { report: await this.backend.syncAccount(accountId), error: null, at: Date.now() };
    } catch (err) {
      outcome = { report: null, error: toBackendError(err).message, at: Date.now() };
    }
    this.syncResults = { ...this.syncResults, [accountId]: outcome };
    const { [accountId]: _done, ...rest } = this.syncing;
    this.syncing = rest;
    if (!outcome.error) {
      // Pulled contacts and tags may not all arrive as events: read them again.
      await Promise.all([this.loadTags(), this.contactsActive ? this.searchContacts() : Promise.resolve()]);
    }
  }

  // ---- tags -----------------------------------------------------------------

  async loadTags(): Promise<void> {
    try {
      this.tags = sortTags(await this.backend.listTags());
      this.tagsError = null;
    } catch (err) {
      this.tagsError = toBackendError(err).message;
    }
  }

  async createTag(input: TagInput): Promise<Tag> {
    const tag = await this.backend.createTag(input);
    this.applyTag(tag);
    return tag;
  }

  async updateTag(id: string, input: TagInput): Promise<Tag> {
    const tag = await this.backend.updateTag(id, input);
    this.applyTag(tag);
    return tag;
  }

  async deleteTag(id: string): Promise<void> {
    await this.backend.deleteTag(id);
    if (this.tags) this.applyTags(this.tags.filter((t) => t.id !== id));
  }

  private applyTag(tag: Tag): void {
    const list = this.tags ?? [];
    this.applyTags(list.some((t) => t.id === tag.id) ? list.map((t) => (t.id === tag.id ? tag : t)) : [...list, tag]);
  }

  private applyTags(tags: Tag[]): void {
    this.tags = sortTags(tags);
    this.contacts = retagContacts(this.contacts, this.tags);
    if (this.contactTagId && !this.tags.some((t) => t.id === this.contactTagId)) {
      this.contactTagId = '';
      if (this.contactsActive) void this.searchContacts();
    }
  }

  // ---- contacts -------------------------------------------------------------

  /** The contacts screen opened or closed. */
  setContactsActive(active: boolean): void {
    this.contactsActive = active;
    if (active) void this.searchContacts();
  }

  /** The screen's query and filters, for the page after `cursor` (the first without). */
  private contactFilter(cursor?: string): ContactFilter {
    return {
      query: this.contactQuery.trim() || undefined,
      tag_id: this.contactTagId || undefined,
      account_id: this.contactAccountId || undefined,
      ...(cursor ? { cursor } : {}),
      limit: CONTACT_PAGE,
    };
  }

  /** Lists the first page for the current query and filters. */
  async searchContacts(): Promise<void> {
    const seq = ++this.contactsSeq;
    this.contactsLoading = true;
    this.contactsError = null;
    try {
      const page = await this.backend.listContacts(this.contactFilter());
      if (seq !== this.contactsSeq) return;
      this.contacts = page.items;
      this.contactsCursor = page.next_cursor;
      this.contactsLoaded = true;
    } catch (err) {
      if (seq === this.contactsSeq) this.contactsError = toBackendError(err).message;
    } finally {
      if (seq === this.contactsSeq) this.contactsLoading = false;
    }
  }

  async loadMoreContacts(): Promise<void> {
    const cursor = this.contactsCursor;
    if (!cursor || this.contactsLoading) return;
    const seq = ++this.contactsSeq;
    this.contactsLoading = true;
    this.contactsError = null;
    try {
      const page = await this.backend.listContacts(this.contactFilter(cursor));
      if (seq !== this.contactsSeq) return;
      this.contacts = appendContacts(this.contacts, page.items);
      this.contactsCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.contactsSeq) this.contactsError = toBackendError(err).message;
    } finally {
      if (seq === this.contactsSeq) this.contactsLoading = false;
    }
  }

  /** Saves a contact's name and tags. Rejects with BackendError (the editor shows it). */
  async updateContact(id: string, patch: ContactPatch): Promise<Contact> {
    const contact = await this.backend.updateContact(id, patch);
    this.contacts = replaceContact(this.contacts, contact);
    return contact;
  }

  // ---- live events ----------------------------------------------------------

  handleEvent(e: InboxEvent): void {
    switch (e.type) {
      case 'contact_updated':
        this.contacts = replaceContact(this.contacts, e.contact);
        break;
      case 'tags_changed':
        this.applyTags(e.tags);
        break;
      default:
        break;
    }
  }

  private async resync(): Promise<void> {
    await Promise.all([
      this.tags ? this.loadTags() : Promise.resolve(),
      this.contactsActive ? this.searchContacts() : Promise.resolve(),
    ]);
  }
}

const KEY = Symbol('directory');

export function setDirectory(store: DirectoryStore): void {
  setContext(KEY, store);
}

export function useDirectory(): DirectoryStore {
  const store = getContext<DirectoryStore | undefined>(KEY);
  if (!store) throw new Error('DirectoryStore missing from context');
  return store;
}
