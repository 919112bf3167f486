import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
const listeners = new Map<string, (e: { payload: unknown }) => void>();
const unlisten = vi.fn();

vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (event: string, handler: (e: { payload: unknown }) => void) => {
    listeners.set(event, handler);
    return Promise.resolve(() => {
      listeners.delete(event);
      unlisten(event);
    });
  },
}));

const openUrl = vi.fn();
vi.mock('@tauri-apps/plugin-opener', () => ({ openUrl: (...args: unknown[]) => openUrl(...args) }));

const { TauriBackend } = await import('../src/lib/backend/tauri');
const { BackendError } = await import('../src/lib/backend/errors');

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue({});
  listeners.clear();
  unlisten.mockReset();
});

describe('TauriBackend', () => {
  it('opens links through the opener plugin and maps its errors', async () => {
    const b = new TauriBackend();
    openUrl.mockResolvedValueOnce(undefined);
    await b.openExternal('https://example.com/file.pdf');
    expect(openUrl).toHaveBeenCalledWith('https://example.com/file.pdf');
    openUrl.mockRejectedValueOnce({ code: 'forbidden', message: 'not allowed' });
    await expect(b.openExternal('https://x')).rejects.toBeInstanceOf(BackendError);
  });

  it('saves media by opening it in the system browser (the web view reads no other origin)', async () => {
    const b = new TauriBackend();
    openUrl.mockResolvedValueOnce(undefined);
    expect(await b.saveMedia('https://cdn.example.com/a.pdf', 'a.pdf')).toBe('opened');
    expect(openUrl).toHaveBeenCalledWith('https://cdn.example.com/a.pdf');
    expect(await b.mediaSize('https://cdn.example.com/a.pdf')).toBe(null);
  });

  it('invokes the documented commands with camelCase args', async () => {
    const b = new TauriBackend();
    const account = {
      provider: 'mconnect' as const,
      name: 'A',
      settings: { base_url: 'https://x', number: '12345678', company: 'c', username: 'u' },
    };
    await b.status();
    await b.listAccounts();
    await b.createAccount(account);
    await b.listConversations({ status: 'open' });
    await b.getConversation('c1');
    await b.listMessages('c1', 'cur', 10);
    await b.listMessages('c1');
    await b.sendMessage('c1', { kind: 'text', body: 'oi' });
    await b.updateConversation('c1', { priority: 2 });
    await b.markRead('c1');
    await b.startDemo();
    await b.simulateInbound();
    expect(invoke.mock.calls).toEqual([
      ['app_status', undefined],
      ['list_accounts', undefined],
      ['create_account', { account }],
      ['list_conversations', { filter: { status: 'open' } }],
      ['get_conversation', { id: 'c1' }],
      ['list_messages', { conversationId: 'c1', cursor: 'cur', limit: 10 }],
      ['list_messages', { conversationId: 'c1', cursor: null, limit: null }],
      ['send_message', { conversationId: 'c1', message: { kind: 'text', body: 'oi' } }],
      ['update_conversation', { id: 'c1', patch: { priority: 2 } }],
      ['mark_read', { id: 'c1' }],
      ['start_demo', undefined],
      ['simulate_inbound', undefined],
    ]);
  });

  it('invokes the account, conversation, contact and tag commands with camelCase args', async () => {
    const b = new TauriBackend();
    const account = {
      provider: 'zchat' as const,
      name: 'Z',
      settings: { flavour: 'interactions' },
      secrets: { token: 't' },
    };
    const start = { account_id: 'a1', to: '5511999999999', department_id: '7' };
    await b.listProviders();
    await b.getAccount('a1');
    await b.updateAccount('a1', { name: 'N' });
    await expect(b.deleteAccount('a1')).resolves.toBeUndefined();
    await b.testAccount('a1');
    await b.testNewAccount(account);
    await b.listDepartments('a1');
    await b.syncAccount('a1');
    await b.startConversation(start);
    await b.setTyping('c1', false);
    await b.updateHandoff('c1', { note: 'n' });
    await b.reassign('c1', 'u1');
    await b.refreshConversation('c1');
    await b.importHistory('c1');
    await b.deleteMessage('m1');
    await b.removeReaction('m1');
    await b.listContacts({ query: 'ana' });
    await b.getContact('k1');
    await b.updateContact('k1', { custom_name: '' });
    await b.listTags();
    await b.createTag({ name: 'VIP' });
    await b.updateTag('t1', { color: '#00ff00' });
    await expect(b.deleteTag('t1')).resolves.toBeUndefined();
    expect(invoke.mock.calls).toEqual([
      ['list_providers', undefined],
      ['get_account', { id: 'a1' }],
      ['update_account', { id: 'a1', patch: { name: 'N' } }],
      ['delete_account', { id: 'a1' }],
      ['test_account', { id: 'a1' }],
      ['test_new_account', { account }],
      ['list_departments', { accountId: 'a1' }],
      ['sync_account', { accountId: 'a1' }],
      ['start_conversation', { input: start }],
      ['set_typing', { conversationId: 'c1', active: false }],
      ['update_handoff', { conversationId: 'c1', update: { note: 'n' } }],
      ['reassign', { conversationId: 'c1', userId: 'u1' }],
      ['refresh_conversation', { conversationId: 'c1' }],
      ['import_history', { conversationId: 'c1' }],
      ['delete_message', { messageId: 'm1' }],
      ['remove_reaction', { messageId: 'm1' }],
      ['list_contacts', { filter: { query: 'ana' } }],
      ['get_contact', { id: 'k1' }],
      ['update_contact', { id: 'k1', patch: { custom_name: '' } }],
      ['list_tags', undefined],
      ['create_tag', { tag: { name: 'VIP' } }],
      ['update_tag', { id: 't1', tag: { color: '#00ff00' } }],
      ['delete_tag', { id: 't1' }],
    ]);
  });

  it('wraps invoke rejections in BackendError', async () => {
    invoke.mockRejectedValueOnce({ code: 'not_found', message: 'no such conversation' });
    const err = await new TauriBackend().getConversation('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ code: 'not_found', message: 'no such conversation' });

    invoke.mockRejectedValueOnce('unknown command');
    await expect(new TauriBackend().status()).rejects.toMatchObject({ code: 'internal', message: 'unknown command' });
  });

  it('forwards inbox events and open-conversation requests, and unsubscribes', async () => {
    const b = new TauriBackend();
    const events: unknown[] = [];
    const opened: string[] = [];
    const offEvent = b.onEvent((e) => events.push(e));
    const offOpen = b.onOpenConversation((id) => opened.push(id));
    await Promise.resolve();
    await Promise.resolve();
    listeners.get('inbox://event')?.({ payload: { type: 'typing', conversation_id: 'c1', who: null, active: true } });
    listeners.get('inbox://open-conversation')?.({ payload: { conversation_id: 'c9' } });
    expect(events).toEqual([{ type: 'typing', conversation_id: 'c1', who: null, active: true }]);
    expect(opened).toEqual(['c9']);
    offEvent();
    offOpen();
    expect(unlisten).toHaveBeenCalledTimes(2);
  });

  it('unsubscribing before listen() resolves still unlistens', async () => {
    const b = new TauriBackend();
    const off = b.onEvent(() => {});
    off();
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledWith('inbox://event');
  });
});
