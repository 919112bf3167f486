import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../src/lib/backend/errors';
import {
  HttpBackend,
  TOKEN_STORAGE_KEY,
  backoffDelay,
  query,
  takeToken,
  type FetchLike,
} from '../src/lib/backend/http';
import type { InboxEvent } from '../src/lib/backend/types';

interface Call {
  url: string;
  init: RequestInit;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function fakeFetch(handler: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    calls.push({ url, init });
    return handler(url, init);
  };
  return { fetch, calls };
}

function header(init: RequestInit, name: string): string | undefined {
  return (init.headers as Record<string, string>)[name];
}

const backends: HttpBackend[] = [];
function make(
  fetch: FetchLike,
  token: string | null = 'tok123',
  extra: Partial<ConstructorParameters<typeof HttpBackend>[0]> = {},
) {
  const b = new HttpBackend({ baseUrl: 'http://127.0.0.1:8787/', token, fetch, ...extra });
  backends.push(b);
  return b;
}

afterEach(() => {
  for (const b of backends.splice(0)) b.close();
});

describe('HttpBackend requests', () => {
  it('sends the bearer token and strips a trailing slash from the base URL', async () => {
    const { fetch, calls } = fakeFetch(() => json({ version: '0.1.0', demo: false, accounts: 0 }));
    const status = await make(fetch).status();
    expect(status.version).toBe('0.1.0');
    expect(calls[0].url).toBe('http://127.0.0.1:8787/api/status');
    expect(calls[0].init.method).toBe('GET');
    expect(header(calls[0].init, 'Authorization')).toBe('Bearer tok123');
  });

  it('omits Authorization without a token', async () => {
    const { fetch, calls } = fakeFetch(() => json([]));
    await make(fetch, null).listAccounts();
    expect(header(calls[0].init, 'Authorization')).toBeUndefined();
  });

  it('builds the conversation query from defined filter fields only', async () => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    const b = make(fetch);
    await b.listConversations({ status: 'open', limit: 50 });
    await b.listConversations({ account_id: 'a 1', priority: 0, tag: 'vip', cursor: 'c/2' });
    await b.listConversations({});
    expect(calls.map((c) => c.url)).toEqual([
      'http://127.0.0.1:8787/api/conversations?status=open&limit=50',
      'http://127.0.0.1:8787/api/conversations?account_id=a%201&priority=0&tag=vip&cursor=c%2F2',
      'http://127.0.0.1:8787/api/conversations',
    ]);
  });

  it('uses the right routes, methods and JSON bodies', async () => {
    const { fetch, calls } = fakeFetch((url, init) => {
      if (url.endsWith('/api/demo/inbound')) return new Response(null, { status: 204 });
      return json({ ok: true, method: init.method });
    });
    const b = make(fetch);
    await b.createAccount({
      provider: 'mconnect',
      name: 'Suporte',
      settings: { base_url: 'https://x/', number: '5511999999999', company: 'ACME', username: 'ana' },
    });
    await b.getConversation('c/1');
    await b.listMessages('c1', 'cur', 20);
    await b.listMessages('c1');
    await b.sendMessage('c1', { kind: 'text', body: 'Olá' });
    await b.updateConversation('c1', { status: 'resolved', priority: 3 });
    await b.markRead('c1');
    await b.startDemo();
    await expect(b.simulateInbound()).resolves.toBeUndefined();

    const seen = calls.map((c) => `${c.init.method} ${c.url.replace('http://127.0.0.1:8787', '')}`);
    expect(seen).toEqual([
      'POST /api/accounts',
      'GET /api/conversations/c%2F1',
      'GET /api/conversations/c1/messages?cursor=cur&limit=20',
      'GET /api/conversations/c1/messages',
      'POST /api/conversations/c1/messages',
      'PATCH /api/conversations/c1',
      'POST /api/conversations/c1/read',
      'POST /api/demo',
      'POST /api/demo/inbound',
    ]);
    expect(JSON.parse(calls[0].init.body as string)).toMatchObject({
      provider: 'mconnect',
      settings: { number: '5511999999999' },
    });
    expect(header(calls[0].init, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(calls[4].init.body as string)).toEqual({ kind: 'text', body: 'Olá' });
    expect(JSON.parse(calls[5].init.body as string)).toEqual({ status: 'resolved', priority: 3 });
    expect(calls[6].init.body).toBeUndefined();
  });

  it('maps the account, contact and tag commands to their routes, methods and bodies', async () => {
    const { fetch, calls } = fakeFetch((url, init) => {
      if (init.method === 'DELETE' && !url.includes('/api/messages/')) return new Response(null, { status: 204 });
      if (init.method === 'POST' && /\/(typing|handoff)$/.test(url)) return new Response(null, { status: 204 });
      return json({ ok: true });
    });
    const b = make(fetch);
    const draft = {
      provider: 'wegly' as const,
      name: 'Vendas',
      settings: { base_url: 'https://api.x' },
      secrets: { token: 's3cret' },
    };
    await b.listProviders();
    await b.getAccount('a/1');
    await b.updateAccount('a1', { name: 'Novo', secrets: { token: 'n' } });
    await expect(b.deleteAccount('a1')).resolves.toBeUndefined();
    await b.testAccount('a1');
    await b.testNewAccount(draft);
    await b.listDepartments('a1');
    await b.syncAccount('a1');
    await b.startConversation({ account_id: 'a1', to: '5511999999999', message: { kind: 'text', body: 'Oi' } });
    await expect(b.setTyping('c1', true)).resolves.toBeUndefined();
    await expect(b.updateHandoff('c1', { mood: 'POSITIVE', tag_ids: ['t1'] })).resolves.toBeUndefined();
    await b.reassign('c1', 'u9');
    await b.refreshConversation('c1');
    await b.importHistory('c1');
    await b.deleteMessage('m1');
    await b.removeReaction('m1');
    await b.listContacts({ query: 'ana maria', tag_id: 't1', account_id: 'a1', cursor: 'x', limit: 25 });
    await b.listContacts({});
    await b.getContact('k1');
    await b.updateContact('k1', { custom_name: 'Ana', tag_ids: ['t1', 't2'] });
    await b.listTags();
    await b.createTag({ name: 'VIP', color: '#ff0000' });
    await b.updateTag('t1', { name: 'Ouro' });
    await expect(b.deleteTag('t1')).resolves.toBeUndefined();
    await b.updateConversation('c1', { tag_ids: ['t1'] });

    const seen = calls.map((c) => `${c.init.method} ${c.url.replace('http://127.0.0.1:8787', '')}`);
    expect(seen).toEqual([
      'GET /api/providers',
      'GET /api/accounts/a%2F1',
      'PATCH /api/accounts/a1',
      'DELETE /api/accounts/a1',
      'POST /api/accounts/a1/test',
      'POST /api/accounts/test',
      'GET /api/accounts/a1/departments',
      'POST /api/accounts/a1/sync',
      'POST /api/conversations',
      'POST /api/conversations/c1/typing',
      'POST /api/conversations/c1/handoff',
      'POST /api/conversations/c1/reassign',
      'POST /api/conversations/c1/refresh',
      'POST /api/conversations/c1/history/import',
      'DELETE /api/messages/m1',
      'DELETE /api/messages/m1/reaction',
      'GET /api/contacts?account_id=a1&query=ana%20maria&tag_id=t1&cursor=x&limit=25',
      'GET /api/contacts',
      'GET /api/contacts/k1',
      'PATCH /api/contacts/k1',
      'GET /api/tags',
      'POST /api/tags',
      'PATCH /api/tags/t1',
      'DELETE /api/tags/t1',
      'PATCH /api/conversations/c1',
    ]);
    const body = (i: number) =>
      calls[i].init.body === undefined ? undefined : JSON.parse(calls[i].init.body as string);
    expect(body(2)).toEqual({ name: 'Novo', secrets: { token: 'n' } });
    expect(body(4)).toBeUndefined();
    expect(body(5)).toEqual(draft);
    expect(body(8)).toEqual({ account_id: 'a1', to: '5511999999999', message: { kind: 'text', body: 'Oi' } });
    expect(body(9)).toEqual({ active: true });
    expect(body(10)).toEqual({ mood: 'POSITIVE', tag_ids: ['t1'] });
    expect(body(11)).toEqual({ user_id: 'u9' });
    expect(body(19)).toEqual({ custom_name: 'Ana', tag_ids: ['t1', 't2'] });
    expect(body(21)).toEqual({ name: 'VIP', color: '#ff0000' });
    expect(body(22)).toEqual({ name: 'Ouro' });
    expect(body(24)).toEqual({ tag_ids: ['t1'] });
  });

  it('reports invalid_input from the engine with its message', async () => {
    const { fetch } = fakeFetch(() => json({ code: 'invalid_input', message: '`number` must be 8 to 15 digits' }, 400));
    await expect(make(fetch).updateAccount('a1', { settings: { number: '12' } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: '`number` must be 8 to 15 digits',
    });
  });

  it('rejects with BackendError from the JSON error body', async () => {
    const { fetch } = fakeFetch(() => json({ code: 'invalid_number', message: 'WhatsApp number must be digits' }, 422));
    const err = await make(fetch)
      .createAccount({
        provider: 'mconnect',
        name: 'x',
        settings: { base_url: 'https://x', number: '1', company: 'c', username: 'u' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ code: 'invalid_number', message: 'WhatsApp number must be digits' });
  });

  it('maps 401 without a body to unauthorized', async () => {
    const { fetch } = fakeFetch(() => new Response('', { status: 401, statusText: 'Unauthorized' }));
    await expect(make(fetch).status()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('maps fetch failures to network errors', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(make(fetch).status()).rejects.toMatchObject({ code: 'network' });
  });

  it('maps unparsable success bodies to bad_response', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>', { status: 200 }));
    await expect(make(fetch).status()).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('query', () => {
  it('skips undefined, null and empty values', () => {
    expect(query({ a: undefined, b: null, c: '', d: 0, e: 'x y' })).toBe('?d=0&e=x%20y');
    expect(query({})).toBe('');
  });
});

describe('backoffDelay', () => {
  it('doubles from 1s up to 10s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });
});

describe('takeToken', () => {
  function memoryStorage(initial: Record<string, string> = {}) {
    const data = new Map(Object.entries(initial));
    return {
      data,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    };
  }

  it('reads #token=, stores it and removes it from the visible URL', () => {
    const storage = memoryStorage();
    const replaceState = vi.fn();
    const token = takeToken({ hash: '#token=abc%2Bdef', pathname: '/inbox/', search: '?x=1' }, storage, {
      replaceState,
      state: null,
    });
    expect(token).toBe('abc+def');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('abc+def');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/inbox/?x=1');
  });

  it('keeps other fragment parameters', () => {
    const replaceState = vi.fn();
    takeToken({ hash: '#a=1&token=t&b=2', pathname: '/', search: '' }, memoryStorage(), { replaceState, state: null });
    expect(replaceState).toHaveBeenCalledWith(null, '', '/#a=1&b=2');
  });

  it('falls back to the token saved in this tab', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'saved' });
    const replaceState = vi.fn();
    expect(takeToken({ hash: '', pathname: '/', search: '' }, storage, { replaceState, state: null })).toBe('saved');
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('returns null when there is no token anywhere', () => {
    expect(takeToken({ hash: '#other', pathname: '/', search: '' }, memoryStorage(), null)).toBeNull();
    expect(takeToken({ hash: '', pathname: '/', search: '' }, null, null)).toBeNull();
  });
});

describe('HttpBackend event stream', () => {
  /** A controllable SSE response body. */
  function sseBody() {
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        ctrl = c;
      },
    });
    const enc = new TextEncoder();
    return {
      stream,
      send: (s: string) => ctrl.enqueue(enc.encode(s)),
      close: () => ctrl.close(),
    };
  }

  async function until(cond: () => boolean, ms = 2000) {
    const start = Date.now();
    while (!cond()) {
      if (Date.now() - start > ms) throw new Error('timeout');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('delivers events, reconnects after a drop and asks subscribers to resync', async () => {
    const bodies: ReturnType<typeof sseBody>[] = [];
    const { fetch, calls } = fakeFetch((url, init) => {
      expect(url).toBe('http://127.0.0.1:8787/api/events');
      expect(header(init, 'Authorization')).toBe('Bearer tok123');
      expect(header(init, 'Accept')).toBe('text/event-stream');
      const b = sseBody();
      bodies.push(b);
      return new Response(b.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    });
    const backend = make(fetch, 'tok123', { minBackoffMs: 5, maxBackoffMs: 20 });
    const events: InboxEvent[] = [];
    const resync = vi.fn();
    backend.onResync(resync);
    const unsubscribe = backend.onEvent((e) => events.push(e));

    await until(() => bodies.length === 1);
    const typing = { type: 'typing', conversation_id: 'c1', who: 'Ana', active: true };
    bodies[0].send(': keepalive\n\n');
    bodies[0].send(`event: inbox\ndata: ${JSON.stringify(typing).slice(0, 10)}`);
    bodies[0].send(`${JSON.stringify(typing).slice(10)}\n\n`);
    bodies[0].send('event: inbox\ndata: not json\n\n');
    bodies[0].send('event: other\ndata: {"type":"typing"}\n\n');
    await until(() => events.length === 1);
    expect(events[0]).toEqual(typing);
    expect(resync).not.toHaveBeenCalled();

    // The server drops the connection: reconnect, then resync.
    bodies[0].close();
    await until(() => bodies.length === 2);
    await until(() => resync.mock.calls.length === 1);

    const updated = { type: 'conversation_updated', conversation: { id: 'c1' } };
    bodies[1].send(`event: inbox\ndata: ${JSON.stringify(updated)}\n\n`);
    await until(() => events.length === 2);
    expect(events[1]).toEqual(updated);

    // The server says this stream fell behind: subscribers resync without a reconnect.
    bodies[1].send('event: resync\ndata: {}\n\n');
    await until(() => resync.mock.calls.length === 2);
    expect(bodies.length).toBe(2);

    // Last subscriber leaves: the stream is aborted and not reopened.
    unsubscribe();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.length).toBe(2);
  });

  it('retries with backoff when the stream cannot be opened', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch(() => {
      n++;
      if (n < 3) return json({ code: 'unavailable', message: 'starting' }, 503);
      return new Response(sseBody().stream, { status: 200 });
    });
    const backend = make(fetch, 'tok123', { minBackoffMs: 5, maxBackoffMs: 20 });
    const resync = vi.fn();
    backend.onResync(resync);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    backend.onEvent(() => {});
    await until(() => calls.length === 3);
    // Never connected before, so the first successful connection is not a resync.
    await new Promise((r) => setTimeout(r, 20));
    expect(resync).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('shares one connection between subscribers', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(sseBody().stream, { status: 200 }));
    const backend = make(fetch);
    const u1 = backend.onEvent(() => {});
    const u2 = backend.onEvent(() => {});
    await until(() => calls.length === 1);
    u1();
    await new Promise((r) => setTimeout(r, 20));
    expect((calls[0].init.signal as AbortSignal).aborted).toBe(false);
    u2();
    expect((calls[0].init.signal as AbortSignal).aborted).toBe(true);
  });

  it('never fires onOpenConversation', () => {
    const { fetch } = fakeFetch(() => json({}));
    const unsub = make(fetch).onOpenConversation(() => {
      throw new Error('should not fire');
    });
    expect(typeof unsub).toBe('function');
    unsub();
  });
});
