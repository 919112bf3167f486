// Drafts and internal notes through both backends: the routes and commands, their arguments,
// and a draft saved while the page closes outliving it (fetch keepalive).
import { describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));
vi.mock('@tauri-apps/plugin-opener', () => ({ openUrl: vi.fn() }));

const { TauriBackend } = await import('../src/lib/backend/tauri');
const { HttpBackend } = await import('../src/lib/backend/http');

describe('drafts and notes over HTTP', () => {
  it('uses the draft and note routes', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const b = new HttpBackend({
      baseUrl: 'http://127.0.0.1:8787',
      token: 'tok',
      fetch: async (url, init = {}) => {
        calls.push({ url, init });
        if (init.method === 'DELETE') return new Response(null, { status: 204 });
        return new Response(init.method === 'GET' ? 'null' : '{"id":"x"}', { status: 200 });
      },
    });
    expect(await b.getDraft('c/1')).toBeNull();
    await b.saveDraft('c1', { body: 'oi', media_ids: ['m1'], note: false });
    await expect(b.clearDraft('c1')).resolves.toBeUndefined();
    await b.addNote('c1', { body: 'VIP', reply_to: 'm9' });
    expect(calls.map((c) => `${c.init.method} ${c.url.replace('http://127.0.0.1:8787', '')}`)).toEqual([
      'GET /api/conversations/c%2F1/draft',
      'PUT /api/conversations/c1/draft',
      'DELETE /api/conversations/c1/draft',
      'POST /api/conversations/c1/notes',
    ]);
    expect(JSON.parse(calls[1].init.body as string)).toEqual({ body: 'oi', media_ids: ['m1'], note: false });
    expect(JSON.parse(calls[3].init.body as string)).toEqual({ body: 'VIP', reply_to: 'm9' });
    // Saving and clearing a draft survive the page closing; other calls do not need to.
    expect(calls.map((c) => c.init.keepalive ?? false)).toEqual([false, true, true, false]);
    b.close();
  });
});

describe('drafts and notes over IPC', () => {
  it('invokes the draft and note commands', async () => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
    const b = new TauriBackend();
    await b.getDraft('c1');
    await b.saveDraft('c1', { body: 'oi' });
    await b.clearDraft('c1');
    await b.addNote('c1', { body: 'VIP' });
    expect(invoke.mock.calls).toEqual([
      ['get_draft', { conversationId: 'c1' }],
      ['save_draft', { conversationId: 'c1', draft: { body: 'oi' } }],
      ['clear_draft', { conversationId: 'c1' }],
      ['add_note', { conversationId: 'c1', note: { body: 'VIP' } }],
    ]);
  });
});
