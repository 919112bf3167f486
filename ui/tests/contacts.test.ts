import { describe, expect, it } from 'vitest';
import {
  appendContacts,
  contactName,
  replaceContact,
  reportIsEmpty,
  retagContacts,
  safeColor,
  sortTags,
  syncBadge,
  syncableAccounts,
  tagNameError,
} from '../src/lib/contacts/logic';
import { account, contact, tag } from './fixtures';

describe('syncBadge', () => {
  it('maps every sync state to a label, a hint and a tone', () => {
    const states = ['local', 'synced', 'pending', 'failed', 'replaced'] as const;
    expect(states.map((s) => syncBadge({ sync_state: s, sync_error: null }))).toEqual([
      { state: 'local', label: 'sync.local', hint: 'sync.localHint', tone: 'neutral', error: null },
      { state: 'synced', label: 'sync.synced', hint: 'sync.syncedHint', tone: 'ok', error: null },
      { state: 'pending', label: 'sync.pending', hint: 'sync.pendingHint', tone: 'busy', error: null },
      { state: 'failed', label: 'sync.failed', hint: 'sync.failedHint', tone: 'bad', error: null },
      { state: 'replaced', label: 'sync.replaced', hint: 'sync.replacedHint', tone: 'info', error: null },
    ]);
  });

  it('carries the error of a failed sync only', () => {
    expect(syncBadge({ sync_state: 'failed', sync_error: ' Cirrus answered 503 ' }).error).toBe('Cirrus answered 503');
    expect(syncBadge({ sync_state: 'synced', sync_error: 'stale' }).error).toBeNull();
  });

  it('reads an unknown state from a newer engine as local', () => {
    const b = syncBadge({ sync_state: 'archived' as never, sync_error: null });
    expect(b.state).toBe('local');
    expect(b.label).toBe('sync.local');
  });
});

describe('contacts', () => {
  it("names a contact by the team's name, then the customer's, then the number", () => {
    const ident = { account_id: 'a', provider: 'cirrus' as const, external_id: '5511999', remote_id: null };
    expect(contactName(contact('1', { custom_name: 'Ana', display_name: 'A.' }))).toBe('Ana');
    expect(contactName(contact('1', { custom_name: '  ', display_name: 'A.' }))).toBe('A.');
    expect(contactName(contact('1', { identities: [ident] }))).toBe('5511999');
  });

  it('replaces, appends without duplicates', () => {
    const list = [contact('1'), contact('2')];
    const changed = contact('2', { custom_name: 'B' });
    expect(replaceContact(list, changed)[1]).toBe(changed);
    expect(replaceContact(list, contact('9'))).toBe(list);
    expect(appendContacts(list, [contact('2'), contact('3')]).map((c) => c.id)).toEqual(['1', '2', '3']);
  });

  it("updates contacts' tags when the tag list changes", () => {
    const vip = tag('t1', 'VIP');
    const old = tag('t2', 'old');
    const list = [contact('1', { tags: [vip, old] }), contact('2')];
    const next = retagContacts(list, [tag('t1', 'Gold', { color: '#ffaa00' })]);
    expect(next[0].tags).toEqual([tag('t1', 'Gold', { color: '#ffaa00' })]);
    expect(next[1]).toBe(list[1]);
    expect(retagContacts(list, [vip, old])).toBe(list);
  });

  it('offers sync for real accounts whose provider syncs contacts or tags', () => {
    const accounts = [
      account('m', { capabilities: ['send_text'] }),
      account('c', { provider: 'cirrus', capabilities: ['contact_sync', 'tag_sync'] }),
      account('d', { demo: true, capabilities: ['contact_sync'] }),
    ];
    expect(syncableAccounts(accounts).map((a) => a.id)).toEqual(['c']);
  });
});

describe('tags', () => {
  it('sorts by name ignoring case and accents', () => {
    expect(sortTags([tag('1', 'zebra'), tag('2', 'Árvore'), tag('3', 'abacate')]).map((t) => t.name)).toEqual([
      'abacate',
      'Árvore',
      'zebra',
    ]);
  });

  it('checks names before asking the engine', () => {
    const tags = [tag('1', 'VIP')];
    expect(tagNameError(' ', tags, null)).toBe('validation.required');
    expect(tagNameError('vip', tags, null)).toBe('tags.duplicate');
    expect(tagNameError('VIP', tags, '1')).toBeNull();
    expect(tagNameError('Novo', tags, null)).toBeNull();
  });

  it('applies only #rrggbb colours', () => {
    expect(safeColor('#A0b1C2')).toBe('#a0b1c2');
    expect(safeColor('red; background: url(x)')).toBeNull();
    expect(safeColor('#fff')).toBeNull();
    expect(safeColor(null)).toBeNull();
  });

  it('knows an empty sync report', () => {
    expect(reportIsEmpty({ pulled_contacts: 0, pulled_tags: 0, pushed: 0, replaced: 0, failed: 0 })).toBe(true);
    expect(reportIsEmpty({ pulled_contacts: 0, pulled_tags: 0, pushed: 0, replaced: 1, failed: 0 })).toBe(false);
  });
});
