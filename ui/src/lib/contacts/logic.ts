// Pure bookkeeping for the contacts and tags screens (unit-tested).

import type { Account, Contact, SyncReport, SyncState, Tag } from '../backend/types';
import type { MessageKey } from '../i18n';

export type BadgeTone = 'neutral' | 'ok' | 'busy' | 'bad' | 'info';

export interface SyncBadge {
  state: SyncState;
  label: MessageKey;
  /** What the state means, for the badge's tooltip. */
  hint: MessageKey;
  tone: BadgeTone;
  /** The provider's refusal, shown next to a failed badge. */
  error: string | null;
}

const BADGES: Record<SyncState, { label: MessageKey; hint: MessageKey; tone: BadgeTone }> = {
  local: { label: 'sync.local', hint: 'sync.localHint', tone: 'neutral' },
  synced: { label: 'sync.synced', hint: 'sync.syncedHint', tone: 'ok' },
  pending: { label: 'sync.pending', hint: 'sync.pendingHint', tone: 'busy' },
  failed: { label: 'sync.failed', hint: 'sync.failedHint', tone: 'bad' },
  replaced: { label: 'sync.replaced', hint: 'sync.replacedHint', tone: 'info' },
};

/** The badge of a contact's or tag's sync state; unknown states read as local. */
export function syncBadge(item: { sync_state: SyncState; sync_error: string | null }): SyncBadge {
  const b = BADGES[item.sync_state] ?? BADGES.local;
  return {
    state: BADGES[item.sync_state] ? item.sync_state : 'local',
    ...b,
    error: item.sync_state === 'failed' ? item.sync_error?.trim() || null : null,
  };
}

/** The name agents see: theirs first, then the customer's, then the first identifier. */
export function contactName(c: Pick<Contact, 'custom_name' | 'display_name' | 'identities'>): string {
  return c.custom_name?.trim() || c.display_name?.trim() || c.identities[0]?.external_id || '—';
}

/** Accounts whose provider syncs contacts or tags ("Sync now" is offered for them). */
export function syncableAccounts(accounts: readonly Account[]): Account[] {
  return accounts.filter(
    (a) => !a.demo && (a.capabilities.includes('contact_sync') || a.capabilities.includes('tag_sync')),
  );
}

/** Replace a contact in a list by id; the list is unchanged when it is not there. */
export function replaceContact(list: readonly Contact[], c: Contact): Contact[] {
  return list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? c : x)) : (list as Contact[]);
}

/** Append a page, skipping contacts already listed. */
export function appendContacts(list: readonly Contact[], more: readonly Contact[]): Contact[] {
  const seen = new Set(list.map((c) => c.id));
  return [...list, ...more.filter((c) => !seen.has(c.id))];
}

/** Contacts' tags after the tag list changed: renamed/recoloured tags updated, deleted ones dropped. */
export function retagContacts(list: readonly Contact[], tags: readonly Tag[]): Contact[] {
  const byId = new Map(tags.map((t) => [t.id, t]));
  let changed = false;
  const out = list.map((c) => {
    const next = c.tags.flatMap((t) => {
      const fresh = byId.get(t.id);
      return fresh ? [fresh] : [];
    });
    const same =
      next.length === c.tags.length &&
      next.every((t, i) => t === c.tags[i] || JSON.stringify(t) === JSON.stringify(c.tags[i]));
    if (same) return c;
    changed = true;
    return { ...c, tags: next };
  });
  return changed ? out : (list as Contact[]);
}

/** Tags sorted by name, case- and accent-insensitively. */
export function sortTags(tags: readonly Tag[]): Tag[] {
  return tags.slice().sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** Whether a sync changed anything worth listing. */
export function reportIsEmpty(r: SyncReport): boolean {
  return r.pulled_contacts + r.pulled_tags + r.pushed + r.replaced + r.failed === 0;
}

/** `#rrggbb` colours only: anything else from the engine is not applied. */
export function safeColor(color: string | null | undefined): string | null {
  return color && /^#[0-9a-fA-F]{6}$/.test(color.trim()) ? color.trim().toLowerCase() : null;
}

/** A tag name problem, checked before asking the engine. */
export function tagNameError(name: string, tags: readonly Tag[], ownId: string | null): MessageKey | null {
  const n = name.trim();
  if (!n) return 'validation.required';
  const clash = tags.some((t) => t.id !== ownId && t.name.trim().toLocaleLowerCase() === n.toLocaleLowerCase());
  return clash ? 'tags.duplicate' : null;
}
