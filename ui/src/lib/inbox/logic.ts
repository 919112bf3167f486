// Pure list/message bookkeeping used by the inbox store (unit-tested).

import type { ConversationStatus, ConversationSummary, DeliveryStatus, LastMessage, Message } from '../backend/types';

export type StatusFilter = ConversationStatus | 'all';

export const STATUS_FILTERS: readonly StatusFilter[] = ['open', 'snoozed', 'resolved', 'all'];

function ts(iso: string): number {
  const n = Date.parse(iso);
  return Number.isNaN(n) ? 0 : n;
}

export function matchesFilter(c: ConversationSummary, filter: StatusFilter): boolean {
  return filter === 'all' || c.status === filter;
}

/** Newest activity first; ties broken by id so the order is stable. */
export function compareConversations(a: ConversationSummary, b: ConversationSummary): number {
  const d = ts(b.last_activity_at) - ts(a.last_activity_at);
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Replace or insert `c` in a list sorted by last_activity_at desc. If it no
 * longer matches the status filter it is removed instead.
 */
export function upsertConversation(
  list: readonly ConversationSummary[],
  c: ConversationSummary,
  filter: StatusFilter,
): ConversationSummary[] {
  const rest = list.filter((x) => x.id !== c.id);
  if (!matchesFilter(c, filter)) return rest;
  rest.push(c);
  return rest.sort(compareConversations);
}

/** Append a page of conversations, dropping ones already shown. */
export function appendConversations(
  list: readonly ConversationSummary[],
  page: readonly ConversationSummary[],
): ConversationSummary[] {
  const seen = new Set(list.map((c) => c.id));
  return [...list, ...page.filter((c) => !seen.has(c.id))];
}

const STATUS_RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
};

/** True if delivery status `next` is at least as far along as `prev`. */
export function isStatusProgress(prev: DeliveryStatus, next: DeliveryStatus): boolean {
  return STATUS_RANK[next] >= STATUS_RANK[prev];
}

function compareMessages(a: Message, b: Message): number {
  return ts(a.created_at) - ts(b.created_at);
}

/** Combine two copies of one message: newest data, but never move the delivery status backwards. */
function mergeCopies(existing: Message, incoming: Message): Message {
  if (isStatusProgress(existing.status, incoming.status)) return incoming;
  return {
    ...incoming,
    status: existing.status,
    error: existing.error,
    provider_message_id: existing.provider_message_id ?? incoming.provider_message_id,
  };
}

/**
 * Insert messages into a list kept oldest-first, deduplicating by id.
 * Works for one new message as well as for a whole page of older ones.
 */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): Message[] {
  const out = list.slice();
  if (incoming.length === 0) return out;
  const index = new Map(out.map((m, i) => [m.id, i] as const));
  for (const m of incoming) {
    const idx = index.get(m.id);
    if (idx !== undefined) {
      out[idx] = mergeCopies(out[idx], m);
    } else {
      index.set(m.id, out.length);
      out.push(m);
    }
  }
  for (let i = 1; i < out.length; i++) {
    // Array.prototype.sort is stable: same-timestamp messages keep arrival order.
    if (compareMessages(out[i - 1], out[i]) > 0) return out.sort(compareMessages);
  }
  return out;
}

export interface StatusChange {
  message_id: string;
  status: DeliveryStatus;
  provider_message_id: string | null;
  error: string | null;
}

/** Apply a delivery status event; returns null if the message is not in the list. */
export function applyStatusChange(list: readonly Message[], ev: StatusChange): Message[] | null {
  const idx = list.findIndex((m) => m.id === ev.message_id);
  if (idx === -1) return null;
  const out = list.slice();
  const m = out[idx];
  out[idx] = {
    ...m,
    status: ev.status,
    provider_message_id: ev.provider_message_id ?? m.provider_message_id,
    error: ev.status === 'failed' ? (ev.error ?? m.error) : ev.error,
  };
  return out;
}

/** Preview of a message as the list shows it. */
export function previewOf(m: Message): LastMessage {
  const text = (m.kind === 'text' ? m.body : (m.caption ?? m.body)) ?? '';
  return { preview: text.replace(/\s+/g, ' ').trim().slice(0, 200), direction: m.direction, kind: m.kind };
}

/** The list entry after `m` was added to its conversation (if `m` is its newest activity). */
export function withLatestMessage(c: ConversationSummary, m: Message): ConversationSummary {
  if (ts(m.created_at) < ts(c.last_activity_at)) return c;
  return { ...c, last_message: previewOf(m), last_activity_at: m.created_at };
}
