import { describe, expect, it, vi } from 'vitest';
import type { ContactFilter, Page, Contact, SyncReport, Tag } from '../src/lib/backend/types';
import { BackendError } from '../src/lib/backend/errors';
import { DirectoryStore } from '../src/lib/contacts/store.svelte';
import { contact, fakeBackend, tag } from './fixtures';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('DirectoryStore', () => {
  it('lists contacts with the query and filters, and loads more', async () => {
    const seen: ContactFilter[] = [];
    const backend = fakeBackend({
      listContacts: async (f): Promise<Page<Contact>> => {
        seen.push(f);
        return f.cursor
          ? { items: [contact('k2'), contact('k3')], next_cursor: null }
          : { items: [contact('k1'), contact('k2')], next_cursor: 'c2' };
      },
    });
    const d = new DirectoryStore(backend);
    d.contactQuery = '  ana ';
    d.contactTagId = 't1';
    await d.searchContacts();
    await d.loadMoreContacts();
    expect(seen).toEqual([
      { query: 'ana', tag_id: 't1', account_id: undefined, limit: 50 },
      { query: 'ana', tag_id: 't1', account_id: undefined, cursor: 'c2', limit: 50 },
    ]);
    expect(d.contacts.map((c) => c.id)).toEqual(['k1', 'k2', 'k3']);
    expect(d.contactsCursor).toBeNull();
  });

  it('applies live contact and tag events', async () => {
    const vip = tag('t1', 'VIP');
    const backend = fakeBackend({
      listContacts: async () => ({ items: [contact('k1', { tags: [vip] }), contact('k2')], next_cursor: null }),
      listTags: async () => [vip, tag('t2', 'old')],
    });
    const d = new DirectoryStore(backend);
    d.start();
    d.setContactsActive(true);
    await d.loadTags();
    await flush();
    d.contactTagId = 't2';

    backend.emit({ type: 'contact_updated', contact: contact('k2', { custom_name: 'Bia', sync_state: 'pending' }) });
    expect(d.contacts[1].custom_name).toBe('Bia');
    expect(d.contacts[1].sync_state).toBe('pending');

    backend.emit({ type: 'tags_changed', tags: [tag('t1', 'Gold', { sync_state: 'synced' })] });
    expect(d.tags?.map((t) => t.name)).toEqual(['Gold']);
    expect(d.contacts[0].tags[0].name).toBe('Gold');
    expect(d.contactTagId).toBe(''); // the filtered tag was deleted
    d.stop();
  });

  it('keeps each account sync outcome and reads tags again after a sync', async () => {
    const report: SyncReport = { pulled_contacts: 3, pulled_tags: 1, pushed: 1, replaced: 1, failed: 0 };
    const listTags = vi.fn(async (): Promise<Tag[]> => [tag('t9', 'pulled')]);
    const backend = fakeBackend({
      syncAccount: async (id) => {
        if (id === 'bad') throw new BackendError('provider_error', 'Cirrus answered 503');
        return report;
      },
      listTags,
    });
    const d = new DirectoryStore(backend);
    const running = d.syncAccount('c1');
    expect(d.syncing).toEqual({ c1: true });
    await running;
    await d.syncAccount('bad');
    expect(d.syncing).toEqual({});
    expect(d.syncResults.c1).toMatchObject({ report, error: null });
    expect(d.syncResults.bad).toMatchObject({ report: null, error: 'Cirrus answered 503' });
    expect(listTags).toHaveBeenCalledTimes(1);
    expect(d.tags?.map((t) => t.id)).toEqual(['t9']);
  });

  it('creates, renames and deletes tags, keeping the list sorted', async () => {
    const backend = fakeBackend({
      listTags: async () => [tag('t1', 'b')],
      createTag: async (t) => tag('t2', t.name ?? '', { color: t.color ?? null }),
      updateTag: async (id, t) => tag(id, t.name ?? 'b'),
      deleteTag: async () => {},
    });
    const d = new DirectoryStore(backend);
    await d.loadTags();
    await d.createTag({ name: 'a', color: '#112233' });
    expect(d.tags?.map((t) => t.name)).toEqual(['a', 'b']);
    await d.updateTag('t1', { name: 'c' });
    expect(d.tags?.map((t) => t.name)).toEqual(['a', 'c']);
    await d.deleteTag('t2');
    expect(d.tags?.map((t) => t.id)).toEqual(['t1']);
  });

  it('keeps the tag list unloaded, with the reason, while it cannot be read', async () => {
    let fail = true;
    const backend = fakeBackend({
      listTags: async () => {
        if (fail) throw new BackendError('storage_error', 'database is locked');
        return [tag('t2', 'b'), tag('t1', 'A')];
      },
    });
    const d = new DirectoryStore(backend);
    await d.loadTags();
    expect(d.tags).toBeNull(); // the conversation tag editor stays hidden
    expect(d.tagsError).toBe('database is locked');
    fail = false;
    await d.loadTags();
    expect(d.tags?.map((t) => t.name)).toEqual(['A', 'b']);
    expect(d.tagsError).toBeNull();
  });

  it('loads the provider catalogue once and retries after a failure', async () => {
    let calls = 0;
    const backend = fakeBackend({
      listProviders: async () => {
        calls++;
        if (calls === 1) throw new BackendError('network', 'Cannot reach the inbox service');
        return [
          {
            id: 'mconnect',
            label: 'mConnect',
            capabilities: [],
            unavailable: [],
            fields: [],
            webhook_setup: 'registered',
            notes: [],
            max_text_chars: 4096,
          },
        ];
      },
    });
    const d = new DirectoryStore(backend);
    await d.ensureProviders();
    expect(d.providersError).toBe('Cannot reach the inbox service');
    await Promise.all([d.ensureProviders(), d.ensureProviders()]); // one request for both
    await d.ensureProviders();
    expect(calls).toBe(2);
    expect(d.provider('mconnect')?.label).toBe('mConnect');
    expect(d.providersError).toBeNull();
  });
});
