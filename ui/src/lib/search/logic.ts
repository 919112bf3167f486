// Pure helpers of the search box: the request a form makes, and the results as one list the
// keyboard moves through.

import type { ContactHit, ConversationHit, MessageHit, SearchQuery, SearchResults, SearchSide } from '../backend/types';

export interface SearchForm {
  query: string;
  accountId: string;
  /** `yyyy-mm-dd` from a date input, or ''. */
  from: string;
  until: string;
  side: SearchSide | '';
}

export const EMPTY_FORM: SearchForm = { query: '', accountId: '', from: '', until: '', side: '' };

/** Local midnight of a `yyyy-mm-dd` day, `days` later, as RFC 3339; undefined for ''. */
export function dayStart(day: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The engine's query for a form: the `until` day is included (up to the next midnight). */
export function toQuery(f: SearchForm, limit?: number): SearchQuery {
  return {
    query: f.query.trim(),
    account_id: f.accountId || undefined,
    from: dayStart(f.from),
    until: dayStart(f.until, 1),
    side: f.side || undefined,
    limit,
  };
}

export type Choice =
  | { kind: 'conversation'; id: string; hit: ConversationHit }
  | { kind: 'message'; id: string; hit: MessageHit }
  | { kind: 'contact'; id: string; hit: ContactHit };

/** Every result in the order shown: conversations, messages, contacts. */
export function choices(r: SearchResults | null): Choice[] {
  if (!r) return [];
  return [
    ...r.conversations.map((hit) => ({ kind: 'conversation' as const, id: hit.conversation.id, hit })),
    ...r.messages.map((hit) => ({ kind: 'message' as const, id: hit.message_id, hit })),
    ...r.contacts.map((hit) => ({ kind: 'contact' as const, id: hit.contact.id, hit })),
  ];
}

/** The next index with arrows, wrapping around; -1 when there is nothing. */
export function step(active: number, count: number, delta: 1 | -1): number {
  if (count === 0) return -1;
  if (active < 0) return delta === 1 ? 0 : count - 1;
  return (active + delta + count) % count;
}

/** Whether a keydown on this target is typing (so `/` is a character, not the shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}
