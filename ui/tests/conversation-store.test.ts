// The store's conversation actions and live events: message updates, history progress,
// starting conversations, typing.
import { describe, expect, it, vi } from 'vitest';
import type {
  Backend,
  ConversationSummary,
  HistoryProgress,
  InboxEvent,
  Message,
  Page,
  StartConversation,
} from '../src/lib/backend/types';
import { BackendError } from '../src/lib/backend/errors';
import { InboxStore } from '../src/lib/inbox/store.svelte';
import { account, conv, fakeBackend, msg, unexpected } from './fixtures';

const AT = '2025-01-01T10:00:00Z';

/** One wegly conversation with two messages; what a test does not set up rejects. */
function inboxBackend(over: Partial<Backend> = {}) {
  const conversations: ConversationSummary[] = [
    conv('c1', AT, { provider: 'wegly', capabilities: ['send_text', 'reply', 'history_import', 'reassign', 'typing'] }),
  ];
  let messages: Message[] = [
    msg('m1', '2025-01-01T09:00:00Z'),
    msg('m2', AT, { direction: 'outbound', status: 'sent' }),
  ];
  const backend = fakeBackend({
    status: async () => ({ version: 't', demo: false, accounts: 1 }),
    listAccounts: async () => [account('acc1', { provider: 'wegly', capabilities: ['start_conversation'] })],
    listConversations: async (): Promise<Page<ConversationSummary>> => ({
      items: conversations.slice(),
      next_cursor: null,
    }),
    getConversation: async (id) => conversations.find((c) => c.id === id) ?? unexpected('getConversation'),
    markRead: async (id) => ({ ...(conversations.find((c) => c.id === id) ?? conv(id, AT)), unread_count: 0 }),
    listMessages: async (): Promise<Page<Message>> => ({ items: messages.slice().reverse(), next_cursor: null }),
    ...over,
  });
  return {
    backend,
    conversations,
    setMessages: (m: Message[]) => (messages = m),
    emit: (e: InboxEvent) => backend.emit(e),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function open(over: Partial<Backend> = {}) {
  const f = inboxBackend(over);
  const s = new InboxStore(f.backend);
  s.start();
  await flush();
  await flush();
  await s.select('c1');
  return { ...f, s };
}

describe('conversation events', () => {
  it('applies message_updated (deletion, reactions) to the open thread only', async () => {
    const { s, emit } = await open();
    const deleted = msg('m2', AT, { direction: 'outbound', status: 'sent', deleted_at: '2025-01-01T10:05:00Z' });
    emit({ type: 'message_updated', conversation_id: 'c1', message: deleted });
    expect(s.messages.find((m) => m.id === 'm2')?.deleted_at).toBe('2025-01-01T10:05:00Z');
    emit({
      type: 'message_updated',
      conversation_id: 'c1',
      message: msg('m1', '2025-01-01T09:00:00Z', { reactions: [{ reactor: 'Ana', emoji: '👍', from_me: false }] }),
    });
    expect(s.messages.find((m) => m.id === 'm1')?.reactions).toHaveLength(1);
    // Another conversation's message, or one not loaded, does not enter the thread.
    emit({ type: 'message_updated', conversation_id: 'c2', message: msg('m9', AT, { conversation_id: 'c2' }) });
    emit({ type: 'message_updated', conversation_id: 'c1', message: msg('m8', AT) });
    expect(s.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    s.stop();
  });

  it('keeps hand-off changes live through conversation_updated', async () => {
    const { s, emit } = await open();
    const handoff = {
      state: 'queued' as const,
      position: 2,
      agent_name: null,
      department_id: '4',
      interaction_hash: 'h',
      updated_at: AT,
    };
    emit({ type: 'conversation_updated', conversation: conv('c1', AT, { handoff }) });
    expect(s.selected?.handoff?.position).toBe(2);
    emit({
      type: 'conversation_updated',
      conversation: conv('c1', AT, { handoff: { ...handoff, state: 'accepted', position: null, agent_name: 'Carla' } }),
    });
    expect(s.selected?.handoff).toMatchObject({ state: 'accepted', agent_name: 'Carla' });
    s.stop();
  });

  it('tracks history progress and re-reads the open thread when the import is done', async () => {
    const progress = (p: Partial<HistoryProgress>): HistoryProgress => ({
      conversation_id: 'c1',
      imported: 0,
      total: null,
      done: false,
      error: null,
      ...p,
    });
    const importHistory = vi.fn(async () => progress({}));
    const { s, emit, setMessages } = await open({ importHistory });
    await s.importHistory('c1');
    expect(importHistory).toHaveBeenCalledWith('c1');
    expect(s.historyProgress.c1).toMatchObject({ imported: 0, done: false });
    emit({ type: 'history_progress', progress: progress({ imported: 20, total: 40 }) });
    expect(s.historyProgress.c1).toMatchObject({ imported: 20, total: 40 });
    setMessages([msg('old1', '2024-12-01T09:00:00Z'), msg('m1', '2025-01-01T09:00:00Z'), msg('m2', AT)]);
    emit({ type: 'history_progress', progress: progress({ imported: 40, total: 40, done: true }) });
    await flush();
    await flush();
    expect(s.messages.map((m) => m.id)).toEqual(['old1', 'm1', 'm2']);
    // Progress of another conversation is kept for it, without touching the open thread.
    emit({
      type: 'history_progress',
      progress: progress({ conversation_id: 'c7', imported: 1, error: 'boom', done: true }),
    });
    expect(s.historyProgress.c7.error).toBe('boom');
    s.dismissHistoryProgress('c1');
    expect(s.historyProgress.c1).toBeUndefined();
    s.stop();
  });

  it('does not let the import reply overwrite a progress event that came first', async () => {
    let emitLater: (() => void) | null = null;
    const { s, emit } = await open({
      importHistory: async () => {
        emitLater?.();
        return { conversation_id: 'c1', imported: 0, total: null, done: false, error: null };
      },
    });
    emitLater = () =>
      emit({
        type: 'history_progress',
        progress: { conversation_id: 'c1', imported: 5, total: 9, done: false, error: null },
      });
    await s.importHistory('c1');
    expect(s.historyProgress.c1.imported).toBe(5);
    s.stop();
  });
});

describe('conversation actions', () => {
  it('starts a conversation and opens it', async () => {
    const started = conv('c9', '2025-01-02T00:00:00Z', { provider: 'wegly', title: 'Novo' });
    let input: StartConversation | null = null;
    const { s, conversations } = await open({
      startConversation: async (i) => {
        input = i;
        conversations.push(started);
        return started;
      },
    });
    await s.startConversation({ account_id: 'acc1', to: '5511' });
    expect(input).toEqual({ account_id: 'acc1', to: '5511' });
    expect(s.selectedId).toBe('c9');
    expect(s.conversations[0].id).toBe('c9');
    s.stop();
  });

  it('deletes a message and removes a reaction, applying what the engine answers', async () => {
    const { s } = await open({
      deleteMessage: async (id) => msg(id, AT, { direction: 'outbound', status: 'sent', deleted_at: AT }),
      removeReaction: async (id) => msg(id, '2025-01-01T09:00:00Z', { reactions: [] }),
    });
    await s.deleteMessage('m2');
    expect(s.messages.find((m) => m.id === 'm2')?.deleted_at).toBe(AT);
    await s.removeReaction('m1');
    expect(s.messages.find((m) => m.id === 'm1')?.reactions).toEqual([]);
    s.stop();
  });

  it('rejects with the engine error so the component can show it', async () => {
    const { s } = await open({
      deleteMessage: () => Promise.reject(new BackendError('provider_error', 'Wegly said no')),
    });
    await expect(s.deleteMessage('m2')).rejects.toMatchObject({ code: 'provider_error', message: 'Wegly said no' });
    s.stop();
  });

  it('reassigns and refreshes, showing the new assignee and window', async () => {
    const { s } = await open({
      reassign: async (id, user) => conv(id, AT, { assignee: user }),
      refreshConversation: async (id) => conv(id, AT, { window_expires_at: '2025-01-02T10:00:00Z' }),
    });
    await s.reassign('c1', 'user-7');
    expect(s.selected?.assignee).toBe('user-7');
    await s.refreshConversation('c1');
    expect(s.selected?.window_expires_at).toBe('2025-01-02T10:00:00Z');
    s.stop();
  });

  it('sends typing best effort: a failure is swallowed', async () => {
    const setTyping = vi.fn(() => Promise.reject(new BackendError('unsupported', 'no typing')));
    const { s } = await open({ setTyping });
    await expect(s.setAgentTyping('c1', true)).resolves.toBeUndefined();
    expect(setTyping).toHaveBeenCalledWith('c1', true);
    s.stop();
  });

  it('caches departments per account', async () => {
    const listDepartments = vi.fn(async () => [{ id: '4', name: 'Vendas', active: true, queue: 0, agents: [] }]);
    const { s } = await open({ listDepartments });
    await s.departments('acc1');
    await s.departments('acc1');
    expect(listDepartments).toHaveBeenCalledTimes(1);
    s.stop();
  });

  it('replaces the conversation tags by id', async () => {
    const updateConversation = vi.fn(async (id: string) => conv(id, AT, { tags: ['vip'] }));
    const { s } = await open({ updateConversation });
    await s.setConversationTags('c1', ['t1']);
    expect(updateConversation).toHaveBeenCalledWith('c1', { tag_ids: ['t1'] });
    expect(s.selected?.tags).toEqual(['vip']);
    s.stop();
  });
});
