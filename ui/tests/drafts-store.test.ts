// Drafts and internal notes in the store: the list's "Draft:" line follows draft events and
// saves, the open composer hears of changes made elsewhere, and a note never becomes the list's
// preview.
import { describe, expect, it } from 'vitest';
import type { ConversationSummary, Draft, DraftInput, Message, NewNote, Page } from '../src/lib/backend/types';
import { InboxStore } from '../src/lib/inbox/store.svelte';
import { account, conv, fakeBackend, msg, unexpected } from './fixtures';

const AT = '2025-01-01T10:00:00Z';
const flush = () => new Promise((r) => setTimeout(r, 0));

function draft(conversationId: string, body: string, extra: Partial<Draft> = {}): Draft {
  return {
    conversation_id: conversationId,
    body,
    quoted_message_id: null,
    media_ids: [],
    note: false,
    updated_at: AT,
    ...extra,
  };
}

async function open() {
  const conversations: ConversationSummary[] = [
    conv('c1', AT, { last_message: { preview: 'Oi', direction: 'inbound', kind: 'text' } }),
    conv('c2', '2025-01-01T09:00:00Z'),
  ];
  const calls: string[] = [];
  const stored: Record<string, Draft | null> = {};
  const backend = fakeBackend({
    status: async () => ({ version: 't', demo: false, accounts: 1 }),
    listAccounts: async () => [account('acc1')],
    listConversations: async (): Promise<Page<ConversationSummary>> => ({ items: conversations, next_cursor: null }),
    getConversation: async (id) => conversations.find((c) => c.id === id) ?? unexpected('getConversation'),
    markRead: async (id) => conversations.find((c) => c.id === id)!,
    listMessages: async (): Promise<Page<Message>> => ({ items: [msg('m1', AT)], next_cursor: null }),
    saveDraft: async (id: string, d: DraftInput) => {
      calls.push(`save ${id} ${d.body}`);
      await new Promise((r) => setTimeout(r, 20));
      stored[id] = draft(id, d.body ?? '', { media_ids: d.media_ids ?? [] });
      return stored[id];
    },
    getDraft: async (id: string) => {
      calls.push(`get ${id}`);
      return stored[id] ?? null;
    },
    clearDraft: async (id: string) => void calls.push(`clear ${id}`),
    addNote: async (id: string, n: NewNote) => {
      calls.push(`note ${id} ${n.body}`);
      return msg('n1', '2025-01-01T11:00:00Z', { direction: 'outbound', status: 'sent', note: true, body: n.body });
    },
  });
  const s = new InboxStore(backend);
  s.start();
  await flush();
  await flush();
  await s.select('c1');
  return { s, backend, calls };
}

describe('drafts in the store', () => {
  it('a draft event from another window shows "Draft:" in the list and reaches the composer', async () => {
    const { s, backend } = await open();
    const heard: [string, Draft | null][] = [];
    const stop = s.onDraftChanged((id, d) => heard.push([id, d]));
    backend.emit({
      type: 'draft_changed',
      conversation_id: 'c2',
      draft: draft('c2', 'meio  escrito', { media_ids: ['a'] }),
    });
    expect(s.conversations.find((c) => c.id === 'c2')?.draft).toEqual({ text: 'meio escrito', media: 1, note: false });
    backend.emit({ type: 'draft_changed', conversation_id: 'c2', draft: null });
    expect(s.conversations.find((c) => c.id === 'c2')?.draft).toBeNull();
    expect(heard.map(([id, d]) => [id, d?.body ?? null])).toEqual([
      ['c2', 'meio  escrito'],
      ['c2', null],
    ]);
    stop();
    s.stop();
  });

  it('saving and clearing update the list entry', async () => {
    const { s, calls } = await open();
    await s.saveDraft('c2', { body: 'volto já' });
    expect(s.conversations.find((c) => c.id === 'c2')?.draft?.text).toBe('volto já');
    await s.clearDraft('c2');
    expect(s.conversations.find((c) => c.id === 'c2')?.draft).toBeNull();
    expect(calls).toEqual(['save c2 volto já', 'clear c2']);
    s.stop();
  });

  it('reading a draft waits for a save on its way (coming straight back to a conversation)', async () => {
    const { s, calls } = await open();
    const saving = s.saveDraft('c2', { body: 'quase lá' });
    const read = await s.getDraft('c2');
    await saving;
    expect(read?.body).toBe('quase lá');
    expect(calls).toEqual(['save c2 quase lá', 'get c2']);
    s.stop();
  });

  it('a note joins the thread but leaves the list preview and order as they were', async () => {
    const { s, calls } = await open();
    await s.saveDraft('c1', { body: 'para a equipe' });
    const before = s.conversations.find((c) => c.id === 'c1')!;
    await s.addNote('c1', { body: 'para a equipe' });
    expect(calls).toContain('note c1 para a equipe');
    expect(s.messages.map((m) => m.id)).toEqual(['m1', 'n1']);
    const after = s.conversations.find((c) => c.id === 'c1')!;
    expect(after.last_message).toEqual(before.last_message);
    expect(after.last_activity_at).toBe(before.last_activity_at);
    expect(after.draft).toBeNull();
    expect(s.selected?.last_message?.preview).toBe('Oi');
    s.stop();
  });
});
