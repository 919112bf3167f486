// Search: the address route, the search box's request and keyboard helpers, debounced results,
// and the store opening a conversation at a message with pages both ways.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  ConversationSummary,
  Message,
  MessageWindow,
  Page,
  SearchQuery,
  SearchResults,
} from '../src/lib/backend/types';
import { BackendError } from '../src/lib/backend/errors';
import { InboxStore } from '../src/lib/inbox/store.svelte';
import { choices, dayStart, isTyping, step, toQuery, EMPTY_FORM } from '../src/lib/search/logic';
import { parseRoute, routeHash, sameRoute } from '../src/lib/search/route';
import { SearchState } from '../src/lib/search/search.svelte';
import { account, conv, fakeBackend, msg, unexpected } from './fixtures';

const flush = () => new Promise((r) => setTimeout(r, 0));

function results(extra: Partial<SearchResults> = {}): SearchResults {
  return {
    conversations: [],
    messages: [],
    contacts: [],
    more_conversations: false,
    more_messages: false,
    more_contacts: false,
    ...extra,
  };
}

describe('route', () => {
  it('reads and writes conversation and message addresses', () => {
    expect(parseRoute('#/c/abc')).toEqual({ conversationId: 'abc', messageId: null });
    expect(parseRoute('#/c/abc/m/m%201')).toEqual({ conversationId: 'abc', messageId: 'm 1' });
    expect(routeHash({ conversationId: 'a/b', messageId: 'm 1' })).toBe('#/c/a%2Fb/m/m%201');
    expect(parseRoute(routeHash({ conversationId: 'a/b', messageId: 'm 1' }))).toEqual({
      conversationId: 'a/b',
      messageId: 'm 1',
    });
    expect(routeHash(null)).toBe('');
  });

  it("ignores what is not a route, and inboxd's token beside it", () => {
    for (const h of ['', '#', '#token=abc', '#/x/abc', '#/c/', '#/c/%E0%A4%A']) expect(parseRoute(h)).toBeNull();
    expect(parseRoute('#token=abc&/c/c1')).toEqual({ conversationId: 'c1', messageId: null });
    expect(parseRoute('#/c/c1&token=abc')).toEqual({ conversationId: 'c1', messageId: null });
    expect(sameRoute({ conversationId: 'c', messageId: null }, { conversationId: 'c', messageId: null })).toBe(true);
    expect(sameRoute(null, null)).toBe(true);
    expect(sameRoute({ conversationId: 'c', messageId: 'm' }, { conversationId: 'c', messageId: null })).toBe(false);
  });
});

describe('search form', () => {
  it('asks the engine for whole days, in local time', () => {
    const q = toQuery({ query: '  pedido ', accountId: 'a1', from: '2026-03-01', until: '2026-03-01', side: 'agent' });
    expect(q.query).toBe('pedido');
    expect(q.account_id).toBe('a1');
    expect(q.side).toBe('agent');
    expect(new Date(q.from!).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(q.until!).getTime()).toBe(new Date(2026, 2, 2).getTime());
    expect(toQuery(EMPTY_FORM)).toEqual({
      query: '',
      account_id: undefined,
      from: undefined,
      until: undefined,
      side: undefined,
      limit: undefined,
    });
    expect(dayStart('nope')).toBeUndefined();
  });

  it('lists results in the order shown and moves through them with arrows', () => {
    const r = results({
      conversations: [{ conversation: conv('c1', '2025-01-01T00:00:00Z'), title: [] }],
      messages: [
        {
          message_id: 'm1',
          conversation_id: 'c1',
          conversation_title: 'Ana',
          account_id: 'acc1',
          direction: 'inbound',
          kind: 'text',
          sender_name: null,
          created_at: '2025-01-01T00:00:00Z',
          snippet: [],
        },
      ],
    });
    expect(choices(r).map((c) => `${c.kind}:${c.id}`)).toEqual(['conversation:c1', 'message:m1']);
    expect(choices(null)).toEqual([]);
    expect(step(-1, 2, 1)).toBe(0);
    expect(step(-1, 2, -1)).toBe(1);
    expect(step(1, 2, 1)).toBe(0);
    expect(step(0, 2, -1)).toBe(1);
    expect(step(0, 0, 1)).toBe(-1);
  });

  it('knows when a key is typing rather than a shortcut', () => {
    const el = (tagName: string, isContentEditable = false) =>
      ({ tagName, isContentEditable }) as unknown as EventTarget;
    expect(isTyping(el('INPUT'))).toBe(true);
    expect(isTyping(el('TEXTAREA'))).toBe(true);
    expect(isTyping(el('SELECT'))).toBe(true);
    expect(isTyping(el('DIV', true))).toBe(true);
    expect(isTyping(el('DIV'))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('search state', () => {
  afterEach(() => vi.useRealTimers());

  it('searches once the agent pauses, and an older answer never replaces a newer one', async () => {
    vi.useFakeTimers();
    const asked: SearchQuery[] = [];
    const answers: ((r: SearchResults) => void)[] = [];
    const s = new SearchState({
      search: (q) => {
        asked.push(q);
        return new Promise((resolve) => answers.push(resolve));
      },
    });
    s.form.query = 'ped';
    s.changed();
    s.form.query = 'pedido';
    s.changed();
    expect(s.loading).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(asked.map((q) => q.query)).toEqual(['pedido']);
    s.form.query = 'pedido 48';
    s.changed();
    await vi.advanceTimersByTimeAsync(250);
    answers[1](results({ more_messages: true }));
    answers[0](results());
    await vi.advanceTimersByTimeAsync(0);
    expect(s.results?.more_messages).toBe(true);
    expect(s.answered).toBe('pedido 48');
    expect(s.loading).toBe(false);
    s.form.query = '  ';
    s.changed();
    expect(s.results).toBeNull();
  });

  it('shows what the engine refused', async () => {
    const s = new SearchState(
      { search: async () => Promise.reject(new BackendError('invalid_input', 'type something')) },
      0,
    );
    s.form.query = '-';
    await s.run();
    expect(s.error).toBe('type something');
    expect(s.results).toBeNull();
  });
});

describe('jumping to a message', () => {
  const AT = (min: number) => new Date(Date.UTC(2025, 0, 1, 10, min)).toISOString();

  function backend() {
    const conversations: ConversationSummary[] = [conv('c1', AT(0)), conv('c2', AT(0))];
    const around = vi.fn(async (id: string): Promise<MessageWindow> => {
      if (id === 'gone') throw new BackendError('not_found', 'message not found');
      return {
        conversation_id: 'c1',
        message_id: id,
        items: [msg('m12', AT(12)), msg('m11', AT(11)), msg('m10', AT(10))],
        older_cursor: 'older',
        newer_cursor: 'newer',
      };
    });
    const newer = vi.fn(async (): Promise<Page<Message>> => ({
      items: [msg('m14', AT(14)), msg('m13', AT(13))],
      next_cursor: null,
    }));
    const b = fakeBackend({
      status: async () => ({ version: 't', demo: false, accounts: 1 }),
      listAccounts: async () => [account('acc1')],
      listConversations: async () => ({ items: conversations.slice(), next_cursor: null }),
      getConversation: async (id) => conversations.find((c) => c.id === id) ?? unexpected('getConversation'),
      markRead: async (id) => conversations.find((c) => c.id === id) ?? unexpected('markRead'),
      listMessages: async () => ({ items: [msg('m20', AT(20))], next_cursor: null }),
      messagesAround: around,
      listNewerMessages: newer,
      sendMessage: async () => msg('m21', AT(21), { direction: 'outbound' }),
    });
    return { b, around, newer };
  }

  it('opens the conversation at the message, then loads newer pages until the newest', async () => {
    const { b, newer } = backend();
    const s = new InboxStore(b);
    s.start();
    await flush();
    await flush();
    await s.openAt('c1', 'm11');
    expect(s.selectedId).toBe('c1');
    expect(s.focusMessageId).toBe('m11');
    expect(s.messages.map((m) => m.id)).toEqual(['m10', 'm11', 'm12']);
    expect(s.olderCursor).toBe('older');
    expect(s.newerCursor).toBe('newer');
    // A live message does not land after a gap; it comes with the newer pages.
    b.emit({ type: 'message_added', conversation_id: 'c1', message: msg('m30', AT(30)) });
    expect(s.messages.map((m) => m.id)).not.toContain('m30');
    await s.loadNewerMessages();
    expect(newer).toHaveBeenCalledWith('c1', 'newer', 50);
    expect(s.messages.map((m) => m.id)).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
    expect(s.newerCursor).toBeNull();
    // Opening a conversation the usual way leaves the jump.
    await s.select('c2');
    expect(s.focusMessageId).toBeNull();
    s.stop();
  });

  it('sending from a window away from the newest shows the newest messages', async () => {
    const { b } = backend();
    const s = new InboxStore(b);
    s.start();
    await flush();
    await flush();
    await s.openAt('c1', 'm11');
    await s.send('c1', { kind: 'text', body: 'oi' });
    expect(s.newerCursor).toBeNull();
    expect(s.focusMessageId).toBeNull();
    expect(s.messages.map((m) => m.id)).toEqual(['m20']);
    s.stop();
  });

  it('a message that no longer exists opens its conversation', async () => {
    const { b } = backend();
    const s = new InboxStore(b);
    s.start();
    await flush();
    await flush();
    await s.openAt('c1', 'gone');
    await flush();
    expect(s.selectedId).toBe('c1');
    expect(s.focusMessageId).toBeNull();
    expect(s.messages.map((m) => m.id)).toEqual(['m20']);
    s.stop();
  });
});
