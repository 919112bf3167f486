// HTTP implementation of Backend: talks to a headless `inboxd` over its JSON
// API and reads live events from its Server-Sent Events stream.

import { BackendError, httpError, networkError, toBackendError } from './errors';
import { readSseStream, type SseMessage } from './sse';
// media viewer
import { saveWithFetch, sizeWithFetch } from './media';
import type { SaveOutcome } from './types';
import type {
  Account,
  AccountPatch,
  AppStatus,
  Backend,
  ConnectionTest,
  Contact,
  ContactExport,
  ContactFilter,
  ContactImport,
  ContactImportReport,
  ContactMerge,
  ContactPatch,
  ContactProfile,
  ContactProfilePatch,
  ConversationFilter,
  ConversationPatch,
  ConversationSummary,
  Department,
  Draft,
  DraftInput,
  HandoffUpdate,
  HistoryProgress,
  InboxEvent,
  MergeContacts,
  Message,
  NewAccount,
  NewNote,
  Page,
  ProviderInfo,
  SendMessage,
  StartConversation,
  StoredMedia,
  SyncReport,
  Tag,
  TagInput,
  Unsubscribe,
  // search
  MessageWindow,
  SearchQuery,
  SearchResults,
  // template library
  LibraryTemplate,
  LibraryTemplateInput,
  TemplateImportPreview,
} from './types';
// canned responses, settings, long texts split into several messages
import type { AppSettings, AppSettingsPatch, CannedResponse, CannedResponseInput, FilledCannedResponse } from './types';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpBackendOptions {
  /** e.g. "http://127.0.0.1:8787"; a trailing slash is ignored. */
  baseUrl: string;
  /** Bearer token; null sends no Authorization header. */
  token: string | null;
  fetch?: FetchLike;
  /** First reconnect delay of the event stream (ms). Default 1000. */
  minBackoffMs?: number;
  /** Largest reconnect delay of the event stream (ms). Default 10000. */
  maxBackoffMs?: number;
  /**
   * The stream is considered dead (and reopened) if nothing, not even a
   * keepalive comment, arrives for this long (ms). Default 75000.
   */
  idleTimeoutMs?: number;
}

/** Where the token read from the URL fragment is kept for this tab. */
export const TOKEN_STORAGE_KEY = 'agent-inbox.token';

const DEFAULT_MIN_BACKOFF = 1000;
const DEFAULT_MAX_BACKOFF = 10000;
const DEFAULT_IDLE_TIMEOUT = 75000;
/** A connection that lived at least this long resets the backoff. */
const STABLE_CONNECTION_MS = 10000;

/** Delay before reconnect attempt number `attempt` (0-based): 1s, 2s, 4s, 8s, 10s, 10s… */
export function backoffDelay(attempt: number, minMs = DEFAULT_MIN_BACKOFF, maxMs = DEFAULT_MAX_BACKOFF): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function isInboxEvent(v: unknown): v is InboxEvent {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export class HttpBackend implements Backend {
  private readonly baseUrl: string;
  private readonly token: string | null;
  private readonly fetchImpl: FetchLike;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly idleTimeout: number;

  private readonly eventListeners = new Set<(e: InboxEvent) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private streamAbort: AbortController | null = null;

  constructor(opts: HttpBackendOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.minBackoff = opts.minBackoffMs ?? DEFAULT_MIN_BACKOFF;
    this.maxBackoff = opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF;
    this.idleTimeout = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT;
  }

  // ---- requests -----------------------------------------------------------

  private headers(extra?: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', ...extra };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  private async request<T>(method: string, path: string, body?: unknown, keepalive?: boolean): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: this.headers(body === undefined ? undefined : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        // A draft saved while the page closes must outlive it.
        ...(keepalive ? { keepalive } : {}),
      });
    } catch (err) {
      throw networkError(err);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (!res.ok) throw httpError(res.status, res.statusText, '');
      throw networkError(err);
    }
    if (!res.ok) throw httpError(res.status, res.statusText, text);
    if (res.status === 204 || text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BackendError('bad_response', 'The inbox service sent an invalid response');
    }
  }

  status(): Promise<AppStatus> {
    return this.request('GET', '/api/status');
  }

  // ---- accounts -------------------------------------------------------------

  listProviders(): Promise<ProviderInfo[]> {
    return this.request('GET', '/api/providers');
  }

  listAccounts(): Promise<Account[]> {
    return this.request('GET', '/api/accounts');
  }

  createAccount(a: NewAccount): Promise<Account> {
    return this.request('POST', '/api/accounts', a);
  }

  getAccount(id: string): Promise<Account> {
    return this.request('GET', `/api/accounts/${enc(id)}`);
  }

  updateAccount(id: string, patch: AccountPatch): Promise<Account> {
    return this.request('PATCH', `/api/accounts/${enc(id)}`, patch);
  }

  async deleteAccount(id: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/accounts/${enc(id)}`);
  }

  testAccount(id: string): Promise<ConnectionTest> {
    return this.request('POST', `/api/accounts/${enc(id)}/test`);
  }

  testNewAccount(a: NewAccount): Promise<ConnectionTest> {
    return this.request('POST', '/api/accounts/test', a);
  }

  listDepartments(accountId: string): Promise<Department[]> {
    return this.request('GET', `/api/accounts/${enc(accountId)}/departments`);
  }

  syncAccount(accountId: string): Promise<SyncReport> {
    return this.request('POST', `/api/accounts/${enc(accountId)}/sync`);
  }

  // ---- conversations ----------------------------------------------------------

  listConversations(f: ConversationFilter): Promise<Page<ConversationSummary>> {
    return this.request('GET', `/api/conversations${query({ ...f })}`);
  }

  getConversation(id: string): Promise<ConversationSummary> {
    return this.request('GET', `/api/conversations/${enc(id)}`);
  }

  startConversation(s: StartConversation): Promise<ConversationSummary> {
    return this.request('POST', '/api/conversations', s);
  }

  updateConversation(id: string, p: ConversationPatch): Promise<ConversationSummary> {
    return this.request('PATCH', `/api/conversations/${enc(id)}`, p);
  }

  markRead(id: string): Promise<ConversationSummary> {
    return this.request('POST', `/api/conversations/${enc(id)}/read`);
  }

  listMessages(conversationId: string, cursor?: string, limit?: number): Promise<Page<Message>> {
    return this.request('GET', `/api/conversations/${enc(conversationId)}/messages${query({ cursor, limit })}`);
  }

  sendMessage(conversationId: string, m: SendMessage): Promise<Message> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/messages`, m);
  }

  // ---- files from disk: the file is the raw body; its name and conversation are in the query.

  private async raw(method: string, path: string, body?: Blob): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: this.headers(body ? { 'Content-Type': body.type || 'application/octet-stream' } : undefined),
        body,
        cache: 'no-store',
      });
    } catch (err) {
      throw networkError(err);
    }
    if (!res.ok) throw httpError(res.status, res.statusText, await res.text().catch(() => ''));
    return res;
  }

  async uploadMedia(file: Blob, name: string, conversationId?: string): Promise<StoredMedia> {
    const res = await this.raw('POST', `/api/media${query({ name, conversation_id: conversationId })}`, file);
    try {
      return (await res.json()) as StoredMedia;
    } catch {
      throw new BackendError('bad_response', 'The inbox service sent an invalid response');
    }
  }

  async mediaContent(id: string, mimeType: string): Promise<Blob> {
    const res = await this.raw('GET', `/api/media/${enc(id)}`);
    const bytes = await res.arrayBuffer().catch((err: unknown) => {
      throw networkError(err);
    });
    return new Blob([bytes], { type: mimeType });
  }

  async setTyping(conversationId: string, active: boolean): Promise<void> {
    await this.request<unknown>('POST', `/api/conversations/${enc(conversationId)}/typing`, { active });
  }

  async updateHandoff(conversationId: string, u: HandoffUpdate): Promise<void> {
    await this.request<unknown>('POST', `/api/conversations/${enc(conversationId)}/handoff`, u);
  }

  reassign(conversationId: string, userId: string): Promise<ConversationSummary> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/reassign`, { user_id: userId });
  }

  refreshConversation(conversationId: string): Promise<ConversationSummary> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/refresh`);
  }

  importHistory(conversationId: string): Promise<HistoryProgress> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/history/import`);
  }

  deleteMessage(messageId: string): Promise<Message> {
    return this.request('DELETE', `/api/messages/${enc(messageId)}`);
  }

  removeReaction(messageId: string): Promise<Message> {
    return this.request('DELETE', `/api/messages/${enc(messageId)}/reaction`);
  }

  // ---- drafts and internal notes ----------------------------------------------------

  getDraft(conversationId: string): Promise<Draft | null> {
    return this.request('GET', `/api/conversations/${enc(conversationId)}/draft`);
  }

  saveDraft(conversationId: string, d: DraftInput): Promise<Draft | null> {
    return this.request('PUT', `/api/conversations/${enc(conversationId)}/draft`, d, true);
  }

  async clearDraft(conversationId: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/conversations/${enc(conversationId)}/draft`, undefined, true);
  }

  addNote(conversationId: string, n: NewNote): Promise<Message> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/notes`, n);
  }

  // ---- contacts and tags --------------------------------------------------------

  // search
  search(q: SearchQuery): Promise<SearchResults> {
    const { query: text, account_id, from, until, side, limit } = q;
    return this.request('GET', `/api/search${query({ query: text, account_id, from, until, side, limit })}`);
  }

  messagesAround(messageId: string, limit?: number): Promise<MessageWindow> {
    return this.request('GET', `/api/messages/${enc(messageId)}/around${query({ limit })}`);
  }

  listNewerMessages(conversationId: string, cursor: string, limit?: number): Promise<Page<Message>> {
    return this.request('GET', `/api/conversations/${enc(conversationId)}/messages/newer${query({ cursor, limit })}`);
  }

  listContacts(f: ContactFilter): Promise<Page<Contact>> {
    const { account_id, query: text, tag_id, cursor, limit } = f;
    return this.request('GET', `/api/contacts${query({ account_id, query: text, tag_id, cursor, limit })}`);
  }

  getContact(id: string): Promise<Contact> {
    return this.request('GET', `/api/contacts/${enc(id)}`);
  }

  updateContact(id: string, p: ContactPatch): Promise<Contact> {
    return this.request('PATCH', `/api/contacts/${enc(id)}`, p);
  }

  // ---- the contact panel, merges and CSV

  getContactProfile(id: string): Promise<ContactProfile> {
    return this.request('GET', `/api/contacts/${enc(id)}/profile`);
  }

  updateContactProfile(id: string, p: ContactProfilePatch): Promise<ContactProfile> {
    return this.request('PATCH', `/api/contacts/${enc(id)}/profile`, p);
  }

  mergeContacts(m: MergeContacts): Promise<ContactMerge> {
    return this.request('POST', '/api/contacts/merge', m);
  }

  undoContactMerge(mergeId: string): Promise<ContactMerge> {
    return this.request('POST', `/api/contacts/merges/${enc(mergeId)}/undo`);
  }

  importContactsCsv(i: ContactImport): Promise<ContactImportReport> {
    return this.request('POST', '/api/contacts/import', i);
  }

  exportContactsCsv(f: ContactFilter): Promise<ContactExport> {
    const { account_id, query: text, tag_id } = f;
    return this.request('GET', `/api/contacts/export${query({ account_id, query: text, tag_id })}`);
  }

  listTags(): Promise<Tag[]> {
    return this.request('GET', '/api/tags');
  }

  createTag(t: TagInput): Promise<Tag> {
    return this.request('POST', '/api/tags', t);
  }

  updateTag(id: string, t: TagInput): Promise<Tag> {
    return this.request('PATCH', `/api/tags/${enc(id)}`, t);
  }

  async deleteTag(id: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/tags/${enc(id)}`);
  }

  // ---- template library ----------------------------------------------------------

  listTemplates(accountId: string): Promise<LibraryTemplate[]> {
    return this.request('GET', `/api/accounts/${enc(accountId)}/templates`);
  }

  createTemplate(accountId: string, t: LibraryTemplateInput): Promise<LibraryTemplate> {
    return this.request('POST', `/api/accounts/${enc(accountId)}/templates`, t);
  }

  updateTemplate(id: string, t: LibraryTemplateInput): Promise<LibraryTemplate> {
    return this.request('PUT', `/api/templates/${enc(id)}`, t);
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/templates/${enc(id)}`);
  }

  previewTemplateImport(accountId: string, content: string): Promise<TemplateImportPreview> {
    return this.request('POST', `/api/accounts/${enc(accountId)}/templates/import/preview`, { content });
  }

  importTemplates(accountId: string, content: string): Promise<LibraryTemplate[]> {
    return this.request('POST', `/api/accounts/${enc(accountId)}/templates/import`, { content });
  }

  // ---- canned responses, settings, long texts split into several messages -------
  listCannedResponses(): Promise<CannedResponse[]> {
    return this.request('GET', '/api/canned-responses');
  }

  createCannedResponse(c: CannedResponseInput): Promise<CannedResponse> {
    return this.request('POST', '/api/canned-responses', c);
  }

  updateCannedResponse(id: string, c: CannedResponseInput): Promise<CannedResponse> {
    return this.request('PATCH', `/api/canned-responses/${enc(id)}`, c);
  }

  async deleteCannedResponse(id: string): Promise<void> {
    await this.request<unknown>('DELETE', `/api/canned-responses/${enc(id)}`);
  }

  fillCannedResponse(id: string, conversationId: string): Promise<FilledCannedResponse> {
    return this.request('GET', `/api/canned-responses/${enc(id)}/fill${query({ conversation_id: conversationId })}`);
  }

  getSettings(): Promise<AppSettings> {
    return this.request('GET', '/api/settings');
  }

  updateSettings(p: AppSettingsPatch): Promise<AppSettings> {
    return this.request('PATCH', '/api/settings', p);
  }

  sendSplit(conversationId: string, m: SendMessage): Promise<Message[]> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/messages/split`, m);
  }

  // ---- demo ----------------------------------------------------------------------

  startDemo(): Promise<Account> {
    return this.request('POST', '/api/demo');
  }

  async simulateInbound(): Promise<void> {
    await this.request<unknown>('POST', '/api/demo/inbound');
  }

  // ---- live events ----------------------------------------------------------

  onEvent(cb: (e: InboxEvent) => void): Unsubscribe {
    this.eventListeners.add(cb);
    this.ensureStream();
    return () => {
      this.eventListeners.delete(cb);
      this.maybeStopStream();
    };
  }

  onOpenConversation(_cb: (conversationId: string) => void): Unsubscribe {
    // Only the desktop shell knows about notifications being clicked.
    return () => {};
  }

  async openExternal(url: string): Promise<void> {
    window.open(url, '_blank', 'noopener,noreferrer');
  }

  // ---- media viewer
  saveMedia(url: string, fileName: string): Promise<SaveOutcome> {
    return saveWithFetch(url, fileName, (u) => this.openExternal(u));
  }

  mediaSize(url: string): Promise<number | null> {
    return sizeWithFetch(url);
  }

  onResync(cb: () => void): Unsubscribe {
    this.resyncListeners.add(cb);
    return () => {
      this.resyncListeners.delete(cb);
    };
  }

  /** Stop the event stream (for tests and teardown). */
  close(): void {
    this.eventListeners.clear();
    this.resyncListeners.clear();
    this.maybeStopStream();
  }

  private ensureStream(): void {
    if (this.streamAbort || this.eventListeners.size === 0) return;
    const ctl = new AbortController();
    this.streamAbort = ctl;
    void this.runStream(ctl.signal);
  }

  private maybeStopStream(): void {
    if (this.eventListeners.size > 0 || !this.streamAbort) return;
    this.streamAbort.abort();
    this.streamAbort = null;
  }

  private async runStream(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let connectedBefore = false;
    while (!signal.aborted) {
      const conn = new AbortController();
      const onAbort = () => conn.abort();
      signal.addEventListener('abort', onAbort);
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      const touch = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => conn.abort(), this.idleTimeout);
      };
      let openedAt = 0;
      try {
        touch();
        const res = await this.fetchImpl(`${this.baseUrl}/api/events`, {
          method: 'GET',
          headers: this.headers({ Accept: 'text/event-stream' }),
          cache: 'no-store',
          signal: conn.signal,
        });
        if (!res.ok || !res.body) {
          const text = await res.text().catch(() => '');
          throw res.ok
            ? new BackendError('bad_response', 'Event stream has no body')
            : httpError(res.status, res.statusText, text);
        }
        openedAt = Date.now();
        if (connectedBefore) this.emitResync();
        connectedBefore = true;
        await readSseStream(res.body, (m) => this.handleSse(m), touch);
      } catch (err) {
        if (!signal.aborted && !conn.signal.aborted) {
          console.warn('[inbox] event stream error:', toBackendError(err).message);
        }
      } finally {
        clearTimeout(idleTimer);
        signal.removeEventListener('abort', onAbort);
      }
      if (signal.aborted) break;
      if (openedAt && Date.now() - openedAt >= STABLE_CONNECTION_MS) attempt = 0;
      await sleep(backoffDelay(attempt, this.minBackoff, this.maxBackoff), signal);
      attempt++;
    }
  }

  private handleSse(m: SseMessage): void {
    // inboxd sends `resync` when this stream fell behind and events were dropped.
    if (m.event === 'resync') {
      this.emitResync();
      return;
    }
    if (m.event !== 'inbox' && m.event !== 'message') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(m.data);
    } catch {
      console.warn('[inbox] ignoring malformed event');
      return;
    }
    if (!isInboxEvent(parsed)) return;
    for (const cb of [...this.eventListeners]) {
      try {
        cb(parsed);
      } catch (err) {
        console.error('[inbox] event listener failed', err);
      }
    }
  }

  private emitResync(): void {
    for (const cb of [...this.resyncListeners]) {
      try {
        cb();
      } catch (err) {
        console.error('[inbox] resync listener failed', err);
      }
    }
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** "?a=1&b=x" from the defined, non-empty values; "" when there are none. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export interface LocationLike {
  hash: string;
  pathname: string;
  search: string;
}
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;
export type HistoryLike = Pick<History, 'replaceState' | 'state'>;

/**
 * Read the bearer token once from the URL fragment (`#token=...`), keep it in
 * session storage and remove it from the visible URL. Without a fragment
 * token, the one saved earlier in this tab is used.
 */
export function takeToken(loc: LocationLike, storage: StorageLike | null, history: HistoryLike | null): string | null {
  const hash = loc.hash.startsWith('#') ? loc.hash.slice(1) : loc.hash;
  if (hash) {
    const parts = hash.split('&');
    const idx = parts.findIndex((p) => p.startsWith('token='));
    if (idx !== -1) {
      let token: string;
      try {
        token = decodeURIComponent(parts[idx].slice('token='.length));
      } catch {
        token = parts[idx].slice('token='.length);
      }
      parts.splice(idx, 1);
      const rest = parts.join('&');
      try {
        history?.replaceState(history.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
      } catch {
        // ignore: the token still works, it just stays visible
      }
      if (token) {
        try {
          storage?.setItem(TOKEN_STORAGE_KEY, token);
        } catch {
          // storage disabled: keep it in memory only
        }
        return token;
      }
    }
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The HTTP backend as the browser build uses it: same origin unless overridden. */
export function createHttpBackendFromWindow(baseUrlOverride?: string): HttpBackend {
  let storage: StorageLike | null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  const token = takeToken(window.location, storage, window.history);
  // A new #token=... pasted into the address bar only changes the fragment
  // (no page load): start over so it is picked up.
  window.addEventListener('hashchange', () => {
    if (/(^#|&)token=/.test(window.location.hash)) window.location.reload();
  });
  return new HttpBackend({ baseUrl: baseUrlOverride || window.location.origin, token });
}
