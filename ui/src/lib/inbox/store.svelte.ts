// Application state for the inbox, shared by the components through context.
// Talks to the engine only through the Backend interface.

import { getContext, setContext } from 'svelte';
import { toBackendError, type BackendError } from '../backend/errors';
import type {
  Account,
  AccountPatch,
  AppStatus,
  Backend,
  ConnectionTest,
  ConversationPatch,
  ConversationSummary,
  Department,
  Draft,
  DraftInput,
  HandoffUpdate,
  HistoryProgress,
  InboxEvent,
  Message,
  NewAccount,
  NewNote,
  SendMessage,
  StartConversation,
  Unsubscribe,
} from '../backend/types';
// media viewer
import type { SaveOutcome } from '../backend/types';
import type { MessageKey } from '../i18n';
import {
  appendConversations,
  applyStatusChange,
  compareConversations,
  mergeMessages,
  upsertConversation,
  withLatestMessage,
  type StatusChange,
  type StatusFilter,
} from './logic';
import { previewOfDraft } from '../drafts/preview';

export type Phase = 'loading' | 'error' | 'first-run' | 'webhook' | 'ready';

export interface Notice {
  key: MessageKey;
  message: string;
}

const LIST_PAGE = 50;
const MESSAGE_PAGE = 50;
const TYPING_TIMEOUT_MS = 8000;
const CLOCK_TICK_MS = 30_000;

function isVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

export class InboxStore {
  readonly backend: Backend;

  phase = $state<Phase>('loading');
  bootError = $state.raw<BackendError | null>(null);
  appStatus = $state.raw<AppStatus | null>(null);
  accounts = $state.raw<Account[]>([]);
  /** The account just created during first run (its webhook URL is shown next). */
  connectedAccount = $state.raw<Account | null>(null);

  filter = $state<StatusFilter>('open');
  conversations = $state.raw<ConversationSummary[]>([]);
  listCursor = $state<string | null>(null);
  listLoading = $state(false);
  listError = $state<string | null>(null);

  selectedId = $state<string | null>(null);
  selected = $state.raw<ConversationSummary | null>(null);
  /** Messages of the selected conversation, oldest first. */
  messages = $state.raw<Message[]>([]);
  olderCursor = $state<string | null>(null);
  messagesLoading = $state(false);
  olderLoading = $state(false);
  messagesError = $state<string | null>(null);
  typing = $state.raw<{ who: string | null } | null>(null);

  /** History imports by conversation id (the latest progress event of each). */
  historyProgress = $state.raw<Record<string, HistoryProgress>>({});

  /** A failed background action, shown as a dismissible alert. */
  notice = $state.raw<Notice | null>(null);
  /** Ticks so relative times re-render. */
  now = $state(Date.now());

  private listSeq = 0;
  private convSeq = 0;
  private unsubs: Unsubscribe[] = [];
  private pendingOpen: string | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping (timers, pending changes, a cache); nothing renders from it
  private pendingStatus = new Map<string, StatusChange>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping (timers, pending changes, a cache); nothing renders from it
  private refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readTimer: ReturnType<typeof setTimeout> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  private onVisibility = () => {
    if (isVisible() && this.selected && this.selected.unread_count > 0) void this.markRead(this.selected.id);
  };

  constructor(backend: Backend) {
    this.backend = backend;
  }

  // ---- lifecycle ------------------------------------------------------------

  start(): void {
    this.unsubs.push(this.backend.onEvent((e) => this.handleEvent(e)));
    this.unsubs.push(this.backend.onOpenConversation((id) => this.openFromNotification(id)));
    this.unsubs.push(this.backend.onResync(() => void this.resync()));
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisibility);
    this.clock = setInterval(() => (this.now = Date.now()), CLOCK_TICK_MS);
    void this.boot();
  }

  stop(): void {
    for (const u of this.unsubs.splice(0)) u();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
    clearInterval(this.clock);
    clearTimeout(this.typingTimer);
    clearTimeout(this.readTimer);
    clearTimeout(this.historyTimer);
    for (const t of this.refreshTimers.values()) clearTimeout(t);
    this.refreshTimers.clear();
  }

  async boot(): Promise<void> {
    this.phase = 'loading';
    this.bootError = null;
    try {
      const [status, accounts] = await Promise.all([this.backend.status(), this.backend.listAccounts()]);
      this.appStatus = status;
      this.accounts = accounts;
      if (accounts.length === 0) {
        this.phase = 'first-run';
        return;
      }
      await this.enterInbox();
    } catch (err) {
      this.bootError = toBackendError(err);
      this.phase = 'error';
    }
  }

  private async enterInbox(): Promise<void> {
    this.phase = 'ready';
    await this.loadConversations();
    if (this.pendingOpen) {
      const id = this.pendingOpen;
      this.pendingOpen = null;
      await this.select(id);
    }
  }

  private async refreshStatus(): Promise<void> {
    try {
      this.appStatus = await this.backend.status();
    } catch (err) {
      console.warn('[inbox] status failed:', toBackendError(err).message);
    }
  }

  // ---- accounts / onboarding -----------------------------------------------
  // Each command rejects with BackendError so the form that asked can show it.

  /** Create a real account. */
  async createAccount(a: NewAccount): Promise<Account> {
    const account = await this.backend.createAccount(a);
    this.accounts = [...this.accounts.filter((x) => x.id !== account.id), account];
    void this.refreshStatus();
    if (this.phase === 'first-run') {
      this.connectedAccount = account;
      this.phase = 'webhook';
    }
    return account;
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<Account> {
    const account = await this.backend.updateAccount(id, patch);
    this.accounts = this.accounts.map((a) => (a.id === account.id ? account : a));
    return account;
  }

  /** Removes the account; its conversations leave the list (the last one: back to the first run). */
  async deleteAccount(id: string): Promise<void> {
    await this.backend.deleteAccount(id);
    this.accounts = this.accounts.filter((a) => a.id !== id);
    if (this.selected?.account_id === id) this.deselect();
    if (this.accounts.length === 0) {
      await this.boot();
      return;
    }
    await this.loadConversations();
  }

  testAccount(id: string): Promise<ConnectionTest> {
    return this.backend.testAccount(id);
  }

  /** Tests settings that are not saved (a new account, or an edited one). */
  testDraft(a: NewAccount): Promise<ConnectionTest> {
    return this.backend.testNewAccount(a);
  }

  async reloadAccounts(): Promise<void> {
    try {
      this.accounts = await this.backend.listAccounts();
    } catch (err) {
      console.warn('[inbox] accounts failed:', toBackendError(err).message);
    }
  }

  async finishOnboarding(): Promise<void> {
    this.connectedAccount = null;
    await this.enterInbox();
  }

  /** Start the simulator-backed demo account. Rejects with BackendError. */
  async startDemo(): Promise<void> {
    const account = await this.backend.startDemo();
    // The demo has an account per provider: take the list as the engine now has it.
    try {
      this.accounts = await this.backend.listAccounts();
    } catch (err) {
      console.warn('[inbox] accounts failed:', toBackendError(err).message);
      this.accounts = [...this.accounts.filter((x) => x.id !== account.id), account];
    }
    await this.refreshStatus();
    if (this.phase !== 'ready') await this.enterInbox();
    else await this.loadConversations();
  }

  async simulateInbound(): Promise<void> {
    await this.backend.simulateInbound();
  }

  // ---- conversation list -----------------------------------------------------

  async setFilter(f: StatusFilter): Promise<void> {
    if (this.filter === f && this.conversations.length > 0) return;
    this.filter = f;
    await this.loadConversations();
  }

  async loadConversations(): Promise<void> {
    const seq = ++this.listSeq;
    this.listLoading = true;
    this.listError = null;
    try {
      const page = await this.backend.listConversations({
        status: this.filter === 'all' ? undefined : this.filter,
        limit: LIST_PAGE,
      });
      if (seq !== this.listSeq) return;
      this.conversations = page.items.slice().sort(compareConversations);
      this.listCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.listSeq) this.listError = toBackendError(err).message;
    } finally {
      if (seq === this.listSeq) this.listLoading = false;
    }
  }

  async loadMoreConversations(): Promise<void> {
    const cursor = this.listCursor;
    if (!cursor || this.listLoading) return;
    const seq = ++this.listSeq;
    this.listLoading = true;
    this.listError = null;
    try {
      const page = await this.backend.listConversations({
        status: this.filter === 'all' ? undefined : this.filter,
        cursor,
        limit: LIST_PAGE,
      });
      if (seq !== this.listSeq) return;
      this.conversations = appendConversations(this.conversations, page.items);
      this.listCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.listSeq) this.listError = toBackendError(err).message;
    } finally {
      if (seq === this.listSeq) this.listLoading = false;
    }
  }

  private applyConversation(c: ConversationSummary): void {
    this.conversations = upsertConversation(this.conversations, c, this.filter);
    if (c.id === this.selectedId) this.selected = c;
  }

  /** Re-fetch one list entry soon (coalesces bursts of events). */
  private scheduleRefresh(id: string): void {
    if (this.refreshTimers.has(id)) return;
    this.refreshTimers.set(
      id,
      setTimeout(async () => {
        this.refreshTimers.delete(id);
        try {
          this.applyConversation(await this.backend.getConversation(id));
        } catch (err) {
          console.warn('[inbox] refresh failed:', toBackendError(err).message);
        }
      }, 250),
    );
  }

  // ---- selected conversation ---------------------------------------------------

  async select(id: string): Promise<void> {
    if (this.selectedId === id && !this.messagesError) {
      void this.markRead(id);
      return;
    }
    const seq = ++this.convSeq;
    this.selectedId = id;
    this.selected = this.conversations.find((c) => c.id === id) ?? null;
    this.messages = [];
    this.olderCursor = null;
    this.messagesError = null;
    this.messagesLoading = true;
    this.focusMessageId = null; // search: a plain open shows the newest messages
    this.newerCursor = null;
    this.setTyping(null);
    this.pendingStatus.clear();
    try {
      const [page, conv] = await Promise.all([
        this.backend.listMessages(id, undefined, MESSAGE_PAGE),
        this.selected ? Promise.resolve(this.selected) : this.backend.getConversation(id),
      ]);
      if (seq !== this.convSeq) return;
      if (!this.selected) this.selected = conv;
      // Live messages may have arrived while loading: merge, don't replace.
      this.messages = mergeMessages(page.items.slice().reverse(), this.messages);
      this.olderCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.convSeq) this.messagesError = toBackendError(err).message;
    } finally {
      if (seq === this.convSeq) this.messagesLoading = false;
    }
    if (seq === this.convSeq) void this.markRead(id);
  }

  deselect(): void {
    this.convSeq++;
    this.selectedId = null;
    this.selected = null;
    this.messages = [];
    this.olderCursor = null;
    this.focusMessageId = null; // search
    this.newerCursor = null;
    this.messagesError = null;
    this.messagesLoading = false;
    this.setTyping(null);
  }

  async loadOlderMessages(): Promise<void> {
    const id = this.selectedId;
    const cursor = this.olderCursor;
    if (!id || !cursor || this.olderLoading) return;
    const seq = this.convSeq;
    this.olderLoading = true;
    try {
      const page = await this.backend.listMessages(id, cursor, MESSAGE_PAGE);
      if (seq !== this.convSeq) return;
      this.messages = mergeMessages(this.messages, page.items.slice().reverse());
      this.olderCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.convSeq) this.notice = { key: 'view.loadFailed', message: toBackendError(err).message };
    } finally {
      if (seq === this.convSeq) this.olderLoading = false;
    }
  }

  private async markRead(id: string): Promise<void> {
    clearTimeout(this.readTimer);
    try {
      this.applyConversation(await this.backend.markRead(id));
    } catch (err) {
      console.warn('[inbox] mark read failed:', toBackendError(err).message);
    }
  }

  private scheduleMarkRead(id: string): void {
    if (!isVisible()) return;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => {
      if (this.selectedId === id) void this.markRead(id);
    }, 400);
  }

  /** Send a message. Rejects with BackendError (the composer shows it). */
  async send(conversationId: string, m: SendMessage): Promise<void> {
    const stored = await this.backend.sendMessage(conversationId, m);
    if (this.newerCursor && conversationId === this.selectedId) return this.showLatest(); // search
    this.addMessage(conversationId, stored);
  }

  /** A text longer than the provider takes, sent as several messages in order. */
  async sendSplit(conversationId: string, m: SendMessage): Promise<void> {
    for (const stored of await this.backend.sendSplit(conversationId, m)) this.addMessage(conversationId, stored);
  }

  async updateSelected(patch: ConversationPatch): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    try {
      this.applyConversation(await this.backend.updateConversation(id, patch));
    } catch (err) {
      this.notice = { key: 'view.updateFailed', message: toBackendError(err).message };
      // Re-render the selects with the unchanged values.
      if (this.selected && this.selected.id === id) this.selected = { ...this.selected };
    }
  }

  // ---- conversation actions ---------------------------------------------------------
  // Each rejects with BackendError so the component that asked can show the reason, except
  // where noted.

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping (timers, pending changes, a cache); nothing renders from it
  private departmentsCache = new Map<string, Promise<Department[]>>();
  private historyTimer: ReturnType<typeof setTimeout> | undefined;

  /** The account's departments (cached per account; a failure is not cached). */
  departments(accountId: string): Promise<Department[]> {
    let p = this.departmentsCache.get(accountId);
    if (!p) {
      p = this.backend.listDepartments(accountId);
      this.departmentsCache.set(accountId, p);
      p.catch(() => this.departmentsCache.delete(accountId));
    }
    return p;
  }

  /** Starts a conversation and opens it. */
  async startConversation(input: StartConversation): Promise<ConversationSummary> {
    const c = await this.backend.startConversation(input);
    this.conversations = upsertConversation(this.conversations, c, this.filter);
    await this.select(c.id);
    if (this.selectedId === c.id) this.selected = c;
    return c;
  }

  /** Tells the customer the agent is typing. Best effort: failures are ignored. */
  async setAgentTyping(conversationId: string, active: boolean): Promise<void> {
    try {
      await this.backend.setTyping(conversationId, active);
    } catch {
      // typing is a courtesy; an error here must not disturb the agent
    }
  }

  async updateHandoff(conversationId: string, update: HandoffUpdate): Promise<void> {
    await this.backend.updateHandoff(conversationId, update);
  }

  async reassign(conversationId: string, userId: string): Promise<void> {
    this.applyConversation(await this.backend.reassign(conversationId, userId));
  }

  async refreshConversation(conversationId: string): Promise<void> {
    this.applyConversation(await this.backend.refreshConversation(conversationId));
  }

  async importHistory(conversationId: string): Promise<void> {
    const started = await this.backend.importHistory(conversationId);
    // A fast import may have reported already: keep the newer news.
    if (!this.historyProgress[conversationId] || this.historyProgress[conversationId].done) {
      this.historyProgress = { ...this.historyProgress, [conversationId]: started };
    }
  }

  dismissHistoryProgress(conversationId: string): void {
    this.historyProgress = Object.fromEntries(
      Object.entries(this.historyProgress).filter(([id]) => id !== conversationId),
    );
  }

  async deleteMessage(messageId: string): Promise<void> {
    this.updateMessage(await this.backend.deleteMessage(messageId));
  }

  async removeReaction(messageId: string): Promise<void> {
    this.updateMessage(await this.backend.removeReaction(messageId));
  }

  /** Replaces the open conversation's tags. */
  async setConversationTags(conversationId: string, tagIds: string[]): Promise<void> {
    this.applyConversation(await this.backend.updateConversation(conversationId, { tag_ids: tagIds }));
  }

  private updateMessage(m: Message): void {
    if (m.conversation_id !== this.selectedId) return;
    if (!this.messages.some((x) => x.id === m.id)) return;
    this.messages = mergeMessages(this.messages, [m]);
  }

  private onHistoryProgress(p: HistoryProgress): void {
    this.historyProgress = { ...this.historyProgress, [p.conversation_id]: p };
    if (p.conversation_id !== this.selectedId) return;
    // Imported messages arrive without message events: re-read the thread, coalescing pages.
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => void this.reloadThread(p.conversation_id), p.done ? 0 : 400);
  }

  /** Re-reads the newest page of the open thread (after a history import). */
  private async reloadThread(id: string): Promise<void> {
    if (this.selectedId !== id) return;
    const seq = this.convSeq;
    try {
      const page = await this.backend.listMessages(id, undefined, MESSAGE_PAGE);
      if (seq !== this.convSeq) return;
      const fresh = page.items.slice().reverse();
      const oldest = fresh.length ? Date.parse(fresh[0].created_at) : Number.NaN;
      // Keep live messages newer than the page; older ones come back with "load older".
      const newer = Number.isNaN(oldest)
        ? this.messages
        : this.messages.filter((m) => Date.parse(m.created_at) > oldest);
      this.messages = mergeMessages(fresh, newer);
      this.olderCursor = page.next_cursor;
    } catch (err) {
      console.warn('[inbox] reload failed:', toBackendError(err).message);
    }
  }

  // ---- search: jump to a message -------------------------------------------------------

  /** The message the agent jumped to: highlighted and scrolled to, until another open. */
  focusMessageId = $state<string | null>(null);
  /** Set while the thread shows a window that does not reach the newest message. */
  newerCursor = $state<string | null>(null);
  newerLoading = $state(false);

  /**
   * Opens a conversation scrolled to one of its messages: the page around it, with older and
   * newer pages loading around it. A message that no longer exists opens the conversation.
   */
  async openAt(conversationId: string, messageId: string): Promise<void> {
    const seq = ++this.convSeq;
    this.selectedId = conversationId;
    this.selected = this.conversations.find((c) => c.id === conversationId) ?? null;
    this.messages = [];
    this.olderCursor = null;
    this.newerCursor = null;
    this.focusMessageId = messageId;
    this.messagesError = null;
    this.messagesLoading = true;
    this.setTyping(null);
    this.pendingStatus.clear();
    try {
      const [win, conv] = await Promise.all([
        this.backend.messagesAround(messageId, MESSAGE_PAGE),
        this.selected ? Promise.resolve(this.selected) : this.backend.getConversation(conversationId),
      ]);
      if (seq !== this.convSeq) return;
      if (win.conversation_id !== conversationId) {
        this.messagesLoading = false;
        return this.openAt(win.conversation_id, messageId);
      }
      if (!this.selected) this.selected = conv;
      this.messages = mergeMessages(win.items.slice().reverse(), []);
      this.olderCursor = win.older_cursor;
      this.newerCursor = win.newer_cursor;
    } catch (err) {
      if (seq !== this.convSeq) return;
      const e = toBackendError(err);
      if (e.code === 'not_found') {
        this.messagesLoading = false;
        this.selectedId = null;
        return this.select(conversationId);
      }
      this.messagesError = e.message;
    } finally {
      if (seq === this.convSeq) this.messagesLoading = false;
    }
    if (seq === this.convSeq) void this.markRead(conversationId);
  }

  async loadNewerMessages(): Promise<void> {
    const id = this.selectedId;
    const cursor = this.newerCursor;
    if (!id || !cursor || this.newerLoading) return;
    const seq = this.convSeq;
    this.newerLoading = true;
    try {
      const page = await this.backend.listNewerMessages(id, cursor, MESSAGE_PAGE);
      if (seq !== this.convSeq) return;
      this.messages = mergeMessages(this.messages, page.items.slice().reverse());
      this.newerCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.convSeq) this.notice = { key: 'view.loadFailed', message: toBackendError(err).message };
    } finally {
      if (seq === this.convSeq) this.newerLoading = false;
    }
  }

  /** Leaves a jump: the open conversation shows its newest messages again. */
  async showLatest(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    this.selectedId = null;
    await this.select(id);
  }

  // ---- drafts and internal notes ------------------------------------------------------
  // Each rejects with BackendError.

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping (listeners); nothing renders from it
  private draftListeners = new Set<(conversationId: string, draft: Draft | null) => void>();

  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping (writes on their way); nothing renders from it
  private draftWrites = new Map<string, Promise<unknown>>();

  /** Draft writes of a conversation run in order; a read waits for those on their way. */
  private draftWrite<T>(conversationId: string, write: () => Promise<T>): Promise<T> {
    const before = this.draftWrites.get(conversationId) ?? Promise.resolve();
    const p = before.catch(() => {}).then(write);
    this.draftWrites.set(conversationId, p);
    const forget = () => {
      if (this.draftWrites.get(conversationId) === p) this.draftWrites.delete(conversationId);
    };
    p.then(forget, forget);
    return p;
  }

  async getDraft(conversationId: string): Promise<Draft | null> {
    await this.draftWrites.get(conversationId)?.catch(() => {});
    return this.backend.getDraft(conversationId);
  }

  saveDraft(conversationId: string, d: DraftInput): Promise<void> {
    return this.draftWrite(conversationId, async () => {
      this.applyDraft(conversationId, await this.backend.saveDraft(conversationId, d), false);
    });
  }

  clearDraft(conversationId: string): Promise<void> {
    return this.draftWrite(conversationId, async () => {
      await this.backend.clearDraft(conversationId);
      this.applyDraft(conversationId, null, false);
    });
  }

  /** Stores an internal note (never sent). */
  async addNote(conversationId: string, n: NewNote): Promise<void> {
    const stored = await this.backend.addNote(conversationId, n);
    this.addMessage(conversationId, stored);
    this.applyDraft(conversationId, null, false);
  }

  /** Calls back when a conversation's draft changes elsewhere (another window or client). */
  onDraftChanged(cb: (conversationId: string, draft: Draft | null) => void): Unsubscribe {
    this.draftListeners.add(cb);
    return () => this.draftListeners.delete(cb);
  }

  /** The list's "Draft:" line follows the draft; `announce` tells the open composer. */
  private applyDraft(conversationId: string, draft: Draft | null, announce: boolean): void {
    const preview = previewOfDraft(draft);
    const patch = (c: ConversationSummary) => (c.id === conversationId ? { ...c, draft: preview } : c);
    if (this.conversations.some((c) => c.id === conversationId)) this.conversations = this.conversations.map(patch);
    if (this.selected?.id === conversationId) this.selected = patch(this.selected);
    if (announce) for (const cb of this.draftListeners) cb(conversationId, draft);
  }

  dismissNotice(): void {
    this.notice = null;
  }

  // ---- media viewer: a message's media saved, sized, or opened outside the app (the system browser)
  saveMedia(url: string, fileName: string): Promise<SaveOutcome> {
    return this.backend.saveMedia(url, fileName);
  }

  mediaSize(url: string): Promise<number | null> {
    return this.backend.mediaSize(url);
  }

  openOutside(url: string): Promise<void> {
    return this.backend.openExternal(url);
  }

  private openFromNotification(id: string): void {
    if (this.phase !== 'ready') {
      this.pendingOpen = id;
      return;
    }
    void this.select(id);
  }

  // ---- live events ---------------------------------------------------------------

  private addMessage(conversationId: string, m: Message): void {
    // search: a window that does not reach the newest message gets it with the newer pages
    if (conversationId === this.selectedId && !this.newerCursor) {
      let msgs = mergeMessages(this.messages, [m]);
      const pending = this.pendingStatus.get(m.id);
      if (pending) {
        this.pendingStatus.delete(m.id);
        msgs = applyStatusChange(msgs, pending) ?? msgs;
      }
      this.messages = msgs;
      // An internal note leaves the list's preview and order as they were.
      if (this.selected && !m.note) this.selected = withLatestMessage(this.selected, m);
    }
    const entry = this.conversations.find((c) => c.id === conversationId);
    if (entry && !m.note) {
      this.conversations = upsertConversation(this.conversations, withLatestMessage(entry, m), this.filter);
    }
  }

  handleEvent(e: InboxEvent): void {
    switch (e.type) {
      case 'message_added': {
        this.addMessage(e.conversation_id, e.message);
        const isOpen = e.conversation_id === this.selectedId;
        if (e.message.direction === 'inbound') {
          if (isOpen) {
            this.setTyping(null);
            this.scheduleMarkRead(e.conversation_id);
          } else {
            this.scheduleRefresh(e.conversation_id); // unread count, or a conversation new to the list
          }
        } else if (!this.conversations.some((c) => c.id === e.conversation_id)) {
          this.scheduleRefresh(e.conversation_id);
        }
        break;
      }
      case 'message_status_changed': {
        if (e.conversation_id !== this.selectedId) break;
        const updated = applyStatusChange(this.messages, e);
        if (updated) this.messages = updated;
        else this.pendingStatus.set(e.message_id, e); // the send() reply has not arrived yet
        break;
      }
      case 'conversation_updated':
        this.applyConversation(e.conversation);
        break;
      case 'typing':
        if (e.conversation_id === this.selectedId) this.setTyping(e.active ? { who: e.who } : null);
        break;
      case 'message_updated':
        this.updateMessage({ ...e.message, conversation_id: e.conversation_id });
        break;
      case 'history_progress':
        this.onHistoryProgress(e.progress);
        break;
      case 'accounts_changed':
        void this.reloadAccounts();
        break;
      case 'draft_changed':
        this.applyDraft(e.conversation_id, e.draft, true);
        break;
      default:
        break; // newer engine, unknown event: ignore
    }
  }

  private setTyping(v: { who: string | null } | null): void {
    clearTimeout(this.typingTimer);
    this.typing = v;
    if (v) this.typingTimer = setTimeout(() => (this.typing = null), TYPING_TIMEOUT_MS);
  }

  /** The event stream was re-established: fetch again what may have been missed. */
  async resync(): Promise<void> {
    void this.reloadAccounts();
    if (this.phase !== 'ready') return;
    void this.refreshStatus();
    await this.loadConversations();
    const id = this.selectedId;
    if (!id) return;
    const seq = this.convSeq;
    try {
      const [conv, page] = await Promise.all([
        this.backend.getConversation(id),
        this.backend.listMessages(id, undefined, MESSAGE_PAGE),
      ]);
      if (seq !== this.convSeq) return;
      this.selected = conv;
      this.messages = mergeMessages(this.messages, page.items.slice().reverse());
      if (this.messages.length <= page.items.length) this.olderCursor = page.next_cursor;
    } catch (err) {
      console.warn('[inbox] resync failed:', toBackendError(err).message);
    }
  }
}

const KEY = Symbol('inbox');

export function setInbox(store: InboxStore): void {
  setContext(KEY, store);
}

export function useInbox(): InboxStore {
  const store = getContext<InboxStore | undefined>(KEY);
  if (!store) throw new Error('InboxStore missing from context');
  return store;
}
