import { describe, expect, it, vi } from 'vitest';
import type {
  Account,
  Backend,
  ConversationSummary,
  InboxEvent,
  Message,
  Page,
  SendMessage,
} from '../src/lib/backend/types';
import { BackendError } from '../src/lib/backend/errors';
import { InboxStore } from '../src/lib/inbox/store.svelte';
import { account, conv, msg, unexpected } from './fixtures';

class FakeBackend implements Backend {
  conversations: ConversationSummary[] = [];
  messages: Message[] = [];
  accounts: Account[] = [];
  demo = false;
  eventCb: ((e: InboxEvent) => void) | null = null;
  openCb: ((id: string) => void) | null = null;
  resyncCb: (() => void) | null = null;
  sent: SendMessage[] = [];
  nextSend: Message | null = null;
  markRead = vi.fn(async (id: string) => ({ ...this.find(id), unread_count: 0 }));

  find(id: string): ConversationSummary {
    const c = this.conversations.find((x) => x.id === id);
    if (!c) throw new BackendError('not_found', 'no conversation');
    return c;
  }
  async status() {
    return { version: 't', demo: this.demo, accounts: this.accounts.length };
  }
  async listAccounts() {
    return this.accounts;
  }
  async createAccount(): Promise<Account> {
    throw new BackendError('invalid', 'nope');
  }
  async listConversations(f: { status?: string }): Promise<Page<ConversationSummary>> {
    return { items: this.conversations.filter((c) => !f.status || c.status === f.status), next_cursor: null };
  }
  async getConversation(id: string) {
    return this.find(id);
  }
  async listMessages(): Promise<Page<Message>> {
    return { items: this.messages.slice().reverse(), next_cursor: null };
  }
  async sendMessage(_id: string, m: SendMessage): Promise<Message> {
    this.sent.push(m);
    if (!this.nextSend) throw new Error('no reply configured');
    return this.nextSend;
  }
  async updateConversation(id: string, p: { status?: 'open' | 'snoozed' | 'resolved' }) {
    const c = { ...this.find(id), ...p };
    this.conversations = this.conversations.map((x) => (x.id === id ? c : x));
    return c;
  }
  async startDemo(): Promise<Account> {
    this.demo = true;
    const a = account('demo', { name: 'Demo mConnect', demo: true });
    this.accounts = [a, account('demo-wegly', { name: 'Demo Wegly', provider: 'wegly', demo: true })];
    this.conversations = [conv('c1', '2025-01-01T10:00:00Z')];
    return a;
  }
  async simulateInbound() {}
  listProviders = () => unexpected('listProviders');
  getAccount = () => unexpected('getAccount');
  updateAccount: Backend['updateAccount'] = () => unexpected('updateAccount');
  deleteAccount: Backend['deleteAccount'] = () => unexpected('deleteAccount');
  testAccount: Backend['testAccount'] = () => unexpected('testAccount');
  testNewAccount: Backend['testNewAccount'] = () => unexpected('testNewAccount');
  listDepartments = () => unexpected('listDepartments');
  syncAccount = () => unexpected('syncAccount');
  startConversation = () => unexpected('startConversation');
  setTyping = () => unexpected('setTyping');
  updateHandoff = () => unexpected('updateHandoff');
  reassign = () => unexpected('reassign');
  refreshConversation = () => unexpected('refreshConversation');
  importHistory = () => unexpected('importHistory');
  deleteMessage = () => unexpected('deleteMessage');
  removeReaction = () => unexpected('removeReaction');
  search = () => unexpected('search');
  messagesAround = () => unexpected('messagesAround');
  listNewerMessages = () => unexpected('listNewerMessages');
  getDraft = () => unexpected('getDraft');
  saveDraft = () => unexpected('saveDraft');
  clearDraft = () => unexpected('clearDraft');
  addNote = () => unexpected('addNote');
  uploadMedia = () => unexpected('uploadMedia');
  mediaContent = () => unexpected('mediaContent');
  listContacts = () => unexpected('listContacts');
  getContact = () => unexpected('getContact');
  updateContact = () => unexpected('updateContact');
  listTags = () => unexpected('listTags');
  createTag = () => unexpected('createTag');
  updateTag = () => unexpected('updateTag');
  deleteTag = () => unexpected('deleteTag');
  // template library
  listTemplates = () => unexpected('listTemplates');
  createTemplate = () => unexpected('createTemplate');
  updateTemplate = () => unexpected('updateTemplate');
  deleteTemplate = () => unexpected('deleteTemplate');
  previewTemplateImport = () => unexpected('previewTemplateImport');
  importTemplates = () => unexpected('importTemplates');
  // the contact panel, merges and CSV
  getContactProfile = () => unexpected('getContactProfile');
  updateContactProfile = () => unexpected('updateContactProfile');
  mergeContacts = () => unexpected('mergeContacts');
  undoContactMerge = () => unexpected('undoContactMerge');
  importContactsCsv = () => unexpected('importContactsCsv');
  exportContactsCsv = () => unexpected('exportContactsCsv');
  listCannedResponses = () => unexpected('listCannedResponses');
  createCannedResponse = () => unexpected('createCannedResponse');
  updateCannedResponse = () => unexpected('updateCannedResponse');
  deleteCannedResponse = () => unexpected('deleteCannedResponse');
  fillCannedResponse = () => unexpected('fillCannedResponse');
  getSettings = () => unexpected('getSettings');
  updateSettings = () => unexpected('updateSettings');
  sendSplit = () => unexpected('sendSplit');
  onEvent(cb: (e: InboxEvent) => void) {
    this.eventCb = cb;
    return () => (this.eventCb = null);
  }
  onOpenConversation(cb: (id: string) => void) {
    this.openCb = cb;
    return () => (this.openCb = null);
  }
  async openExternal(_url: string) {}
  async saveMedia(_url: string, _name: string) {
    return 'opened' as const;
  }
  async mediaSize(_url: string) {
    return null;
  }
  onResync(cb: () => void) {
    this.resyncCb = cb;
    return () => (this.resyncCb = null);
  }
  emit(e: InboxEvent) {
    this.eventCb?.(e);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function ready(setup?: (b: FakeBackend) => void) {
  const b = new FakeBackend();
  b.accounts = [account('acc1', { name: 'A', webhook_url: 'https://h/x' })];
  b.conversations = [conv('c1', '2025-01-01T10:00:00Z', { unread_count: 2 }), conv('c2', '2025-01-01T09:00:00Z')];
  b.messages = [msg('m1', '2025-01-01T09:59:00Z'), msg('m2', '2025-01-01T10:00:00Z')];
  setup?.(b);
  const s = new InboxStore(b);
  s.start();
  await flush();
  await flush();
  return { b, s };
}

describe('InboxStore', () => {
  it('shows first run when there are no accounts, and enters the inbox after the demo starts', async () => {
    const b = new FakeBackend();
    const s = new InboxStore(b);
    s.start();
    await flush();
    expect(s.phase).toBe('first-run');
    await s.startDemo();
    expect(s.phase).toBe('ready');
    expect(s.appStatus?.demo).toBe(true);
    expect(s.accounts.map((a) => a.id)).toEqual(['demo', 'demo-wegly']);
    expect(s.conversations.map((c) => c.id)).toEqual(['c1']);
    s.stop();
  });

  it('reports boot errors', async () => {
    const b = new FakeBackend();
    b.status = () => Promise.reject(new BackendError('unauthorized', 'bad token'));
    const s = new InboxStore(b);
    s.start();
    await flush();
    expect(s.phase).toBe('error');
    expect(s.bootError?.code).toBe('unauthorized');
    s.stop();
  });

  it('loads the list, opens a conversation oldest-first and marks it read', async () => {
    const { b, s } = await ready();
    expect(s.phase).toBe('ready');
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    await s.select('c1');
    expect(s.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(b.markRead).toHaveBeenCalledWith('c1');
    expect(s.conversations[0].unread_count).toBe(0);
    s.stop();
  });

  it('inserts live messages into the open conversation without duplicates and moves the list entry', async () => {
    const { b, s } = await ready();
    await s.select('c2');
    const m = msg('m3', '2025-01-01T11:00:00Z', { conversation_id: 'c2', body: 'novo' });
    b.emit({ type: 'message_added', conversation_id: 'c2', message: m });
    b.emit({ type: 'message_added', conversation_id: 'c2', message: m });
    expect(s.messages.filter((x) => x.id === 'm3')).toHaveLength(1);
    expect(s.conversations[0].id).toBe('c2');
    expect(s.conversations[0].last_message?.preview).toBe('novo');
    s.stop();
  });

  it('applies status events, including one that arrives before the send() reply', async () => {
    const { b, s } = await ready();
    await s.select('c1');
    const pending = msg('out1', '2025-01-01T12:00:00Z', {
      direction: 'outbound',
      status: 'pending',
      conversation_id: 'c1',
    });
    b.nextSend = pending;
    // The engine reports "sent" before the HTTP reply is processed.
    b.emit({
      type: 'message_status_changed',
      conversation_id: 'c1',
      message_id: 'out1',
      status: 'sent',
      provider_message_id: 'p1',
      error: null,
    });
    await s.send('c1', { kind: 'text', body: 'oi' });
    expect(s.messages.find((x) => x.id === 'out1')?.status).toBe('sent');
    b.emit({
      type: 'message_status_changed',
      conversation_id: 'c1',
      message_id: 'out1',
      status: 'failed',
      provider_message_id: null,
      error: 'blocked',
    });
    expect(s.messages.find((x) => x.id === 'out1')).toMatchObject({ status: 'failed', error: 'blocked' });
    s.stop();
  });

  it('respects the status filter for conversation_updated', async () => {
    const { b, s } = await ready();
    b.emit({ type: 'conversation_updated', conversation: conv('c1', '2025-01-01T10:00:00Z', { status: 'resolved' }) });
    expect(s.conversations.map((c) => c.id)).toEqual(['c2']);
    b.emit({ type: 'conversation_updated', conversation: conv('c3', '2025-01-02T10:00:00Z') });
    expect(s.conversations.map((c) => c.id)).toEqual(['c3', 'c2']);
    await s.setFilter('resolved');
    expect(s.conversations.map((c) => c.id)).toEqual([]);
    s.stop();
  });

  it('keeps the selected conversation open when its status changes out of the filter', async () => {
    const { s } = await ready();
    await s.select('c1');
    await s.updateSelected({ status: 'resolved' });
    expect(s.selected?.status).toBe('resolved');
    expect(s.selectedId).toBe('c1');
    expect(s.conversations.map((c) => c.id)).toEqual(['c2']);
    s.stop();
  });

  it('shows a notice when an update fails', async () => {
    const { b, s } = await ready();
    await s.select('c1');
    b.updateConversation = () => Promise.reject(new BackendError('conflict', 'changed elsewhere'));
    await s.updateSelected({ priority: 3 });
    expect(s.notice).toEqual({ key: 'view.updateFailed', message: 'changed elsewhere' });
    expect(s.selected?.priority).toBe(1);
    s.stop();
  });

  it('opens a conversation requested by the desktop shell', async () => {
    const { b, s } = await ready();
    b.openCb?.('c2');
    await flush();
    expect(s.selectedId).toBe('c2');
    s.stop();
  });

  it('remembers an open request that arrives during startup', async () => {
    const b = new FakeBackend();
    b.accounts = [account('acc1', { name: 'A' })];
    b.conversations = [conv('c9', '2025-01-01T10:00:00Z')];
    const s = new InboxStore(b);
    s.start();
    b.openCb?.('c9');
    await flush();
    await flush();
    await flush();
    expect(s.selectedId).toBe('c9');
    s.stop();
  });

  it('shows and clears typing for the open conversation', async () => {
    const { b, s } = await ready();
    await s.select('c1');
    b.emit({ type: 'typing', conversation_id: 'c2', who: 'Bob', active: true });
    expect(s.typing).toBeNull();
    b.emit({ type: 'typing', conversation_id: 'c1', who: 'Ana', active: true });
    expect(s.typing).toEqual({ who: 'Ana' });
    b.emit({ type: 'typing', conversation_id: 'c1', who: 'Ana', active: false });
    expect(s.typing).toBeNull();
    s.stop();
  });

  it('re-fetches the accounts, the list and the open thread on resync', async () => {
    const { b, s } = await ready();
    await s.select('c1');
    b.accounts = [...b.accounts, account('acc2')];
    b.conversations = [...b.conversations, conv('c4', '2025-01-03T00:00:00Z')];
    b.messages = [...b.messages, msg('m9', '2025-01-03T00:00:00Z')];
    b.resyncCb?.();
    await flush();
    await flush();
    expect(s.accounts.map((a) => a.id)).toEqual(['acc1', 'acc2']);
    expect(s.conversations[0].id).toBe('c4');
    expect(s.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm9']);
    s.stop();
  });

  it('reads the accounts again when they change elsewhere', async () => {
    const { b, s } = await ready();
    b.accounts = [account('acc1', { name: 'Renamed' })];
    b.emit({ type: 'accounts_changed' });
    await flush();
    expect(s.accounts.map((a) => a.name)).toEqual(['Renamed']);
    s.stop();
  });

  it('updates, tests and removes accounts; without accounts it is back to the first run', async () => {
    const { b, s } = await ready((b) => {
      b.accounts = [account('acc1', { name: 'Old' }), account('acc2')];
      b.conversations.push(conv('c5', '2025-01-01T08:00:00Z', { account_id: 'acc2' }));
    });
    b.updateAccount = async (id, patch) => ({ ...b.accounts.find((a) => a.id === id)!, name: patch.name ?? '' });
    b.testAccount = async () => ({
      ok: false,
      message: 'mConnect refused the number',
      text: { key: 'engine.untranslated', params: { text: 'mConnect refused the number' } },
    });
    b.testNewAccount = async (a) => ({
      ok: true,
      message: `tested ${a.provider}`,
      text: { key: 'engine.untranslated', params: { text: `tested ${a.provider}` } },
    });
    b.deleteAccount = async (id) => {
      b.accounts = b.accounts.filter((a) => a.id !== id);
      b.conversations = b.conversations.filter((c) => c.account_id !== id);
    };

    await s.updateAccount('acc1', { name: 'New' });
    expect(s.accounts.map((a) => a.name)).toEqual(['New', 'Account acc2']);
    expect(await s.testAccount('acc1')).toEqual({
      ok: false,
      message: 'mConnect refused the number',
      text: { key: 'engine.untranslated', params: { text: 'mConnect refused the number' } },
    });
    expect(await s.testDraft({ provider: 'wegly', name: 'W', settings: {} })).toEqual({
      ok: true,
      message: 'tested wegly',
      text: { key: 'engine.untranslated', params: { text: 'tested wegly' } },
    });

    await s.select('c1');
    await s.deleteAccount('acc1');
    expect(s.selectedId).toBeNull(); // its conversation was open
    expect(s.conversations.map((c) => c.id)).toEqual(['c5']);
    expect(s.phase).toBe('ready');
    await s.deleteAccount('acc2');
    expect(s.accounts).toEqual([]);
    expect(s.phase).toBe('first-run');
    s.stop();
  });
});
