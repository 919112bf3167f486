import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));
vi.mock('@tauri-apps/plugin-opener', () => ({ openUrl: vi.fn() }));

const { TauriBackend } = await import('../src/lib/backend/tauri');
const { HttpBackend } = await import('../src/lib/backend/http');
const { draftOf, emptyDraft, fieldsFor, fold, inputOf, plain, preview, search, segments, slotKey } =
  await import('../src/lib/templates/logic');
const { buildTemplate } = await import('../src/lib/conversation/compose');
const { summaryOf, templateOf } = await import('../src/lib/conversation/timeline');
import type { Message } from '../src/lib/backend/types';
import type { LibraryTemplate } from '../src/lib/backend/types';

const pedido: LibraryTemplate = {
  id: 't1',
  account_id: 'a1',
  name: 'pedido_enviado',
  language: 'pt_BR',
  category: 'utility',
  header: 'Pedido {{1}}',
  body: 'Olá, {{1}}! Seu pedido {{2}} foi enviado. Até logo, {{1}}.',
  footer: 'Loja Exemplo',
  buttons: [
    { type: 'url', text: 'Rastrear', url: 'https://loja.example/r/{{1}}' },
    { type: 'quick_reply', text: 'Falar com atendente' },
  ],
  slots: [
    { component: 'HEADER', index: 1, button_index: null, context: 'Pedido ___' },
    { component: 'BODY', index: 1, button_index: null, context: 'Olá, ___! Seu pedido …' },
    { component: 'BODY', index: 2, button_index: null, context: '…pedido ___ foi enviado.' },
    { component: 'BUTTON', index: 1, button_index: 0, context: 'Rastrear · https://loja.example/r/___' },
  ],
  updated_at: '2026-12-03T10:00:00Z',
};

describe('template preview', () => {
  it('fills every placeholder it has a value for, the same number everywhere', () => {
    const values = { 'BODY:1': 'Juliana', 'HEADER:1': '#7310' };
    const p = preview(pedido, values);
    expect(plain(p.header!)).toBe('Pedido #7310');
    expect(plain(p.body)).toBe('Olá, Juliana! Seu pedido {{2}} foi enviado. Até logo, Juliana.');
    expect(p.footer).toBe('Loja Exemplo');
    expect(plain(p.buttons[0].url!)).toBe('https://loja.example/r/{{1}}');
    expect(p.buttons[1].url).toBeNull();
    const empty = p.body.filter((s) => 'slot' in s && s.value === null);
    expect(empty).toEqual([{ slot: 'BODY:2', number: 2, value: null }]);
  });

  it('keeps text that only looks like a placeholder, and blank values count as empty', () => {
    expect(plain(segments('{{nome}} e {{ 1 }}', 'BODY', { 'BODY:1': '  ' }))).toBe('{{nome}} e {{1}}');
    expect(plain(segments('a {{1}} b', 'BODY', { 'BODY:1': '{{2}}' }))).toBe('a {{2}} b');
  });

  it('writes the send fields in slot order, which the composer validates', () => {
    const values = { 'HEADER:1': '#7310', 'BODY:1': 'Juliana', 'BODY:2': '#7310', [slotKey(pedido.slots[3])]: '7310' };
    expect(slotKey(pedido.slots[3])).toBe('BUTTON:0:1');
    const fields = fieldsFor(pedido, values);
    const built = buildTemplate({ name: pedido.name, language: pedido.language, fields });
    expect(built).toEqual({
      ok: true,
      value: {
        name: 'pedido_enviado',
        language: 'pt_BR',
        fields: [
          { component: 'HEADER', type: 'TEXT', index: 1, value: '#7310' },
          { component: 'BODY', type: 'TEXT', index: 1, value: 'Juliana' },
          { component: 'BODY', type: 'TEXT', index: 2, value: '#7310' },
          { component: 'BUTTON', type: 'TEXT', index: 1, value: '7310', button_index: 0 },
        ],
      },
    });
    const missing = buildTemplate({ name: pedido.name, language: pedido.language, fields: fieldsFor(pedido, {}) });
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(Object.keys(missing.errors)).toEqual([
        'fields.0.value',
        'fields.1.value',
        'fields.2.value',
        'fields.3.value',
      ]);
  });
});

describe('template search and drafts', () => {
  const other: LibraryTemplate = {
    ...pedido,
    id: 't2',
    name: 'boas_vindas',
    language: 'en_US',
    body: 'Welcome, {{1}}!',
  };

  it('matches names, languages and text without accents or case', () => {
    expect(fold('Ação Éxito')).toBe('acao exito');
    expect(search([pedido, other], '').map((t) => t.id)).toEqual(['t1', 't2']);
    expect(search([pedido, other], 'ola enviado').map((t) => t.id)).toEqual(['t1']);
    expect(search([pedido, other], 'boas vindas').map((t) => t.id)).toEqual(['t2']);
    expect(search([pedido, other], 'EN_us').map((t) => t.id)).toEqual(['t2']);
    expect(search([pedido, other], 'nada')).toEqual([]);
  });

  it('turns a template into a draft and back', () => {
    const input = inputOf(draftOf(pedido));
    expect(input).toEqual({
      name: 'pedido_enviado',
      language: 'pt_BR',
      category: 'utility',
      header: 'Pedido {{1}}',
      body: pedido.body,
      footer: 'Loja Exemplo',
      buttons: [
        { type: 'url', text: 'Rastrear', url: 'https://loja.example/r/{{1}}' },
        { type: 'quick_reply', text: 'Falar com atendente' },
      ],
    });
    expect(inputOf(emptyDraft())).toMatchObject({ header: null, footer: null, buttons: [] });
  });
});

describe('template library over both transports', () => {
  const input = inputOf(draftOf(pedido));

  afterEach(() => invoke.mockReset());

  it('Tauri: one command each, with the engine parameter names', async () => {
    invoke.mockResolvedValue({});
    const b = new TauriBackend();
    await b.listTemplates('a1');
    await b.createTemplate('a1', input);
    await b.updateTemplate('t1', input);
    await expect(b.deleteTemplate('t1')).resolves.toBeUndefined();
    await b.previewTemplateImport('a1', '[]');
    await b.importTemplates('a1', '[]');
    expect(invoke.mock.calls).toEqual([
      ['list_templates', { accountId: 'a1' }],
      ['create_template', { accountId: 'a1', template: input }],
      ['update_template', { id: 't1', template: input }],
      ['delete_template', { id: 't1' }],
      ['preview_template_import', { accountId: 'a1', file: { content: '[]' } }],
      ['import_templates', { accountId: 'a1', file: { content: '[]' } }],
    ]);
  });

  it('HTTP: the routes of the API', async () => {
    const calls: string[] = [];
    const b = new HttpBackend({
      baseUrl: 'http://127.0.0.1:8787',
      token: 'tok',
      fetch: async (url, init = {}) => {
        calls.push(`${init.method} ${url.replace('http://127.0.0.1:8787', '')} ${init.body ?? ''}`);
        return init.method === 'DELETE'
          ? new Response(null, { status: 204 })
          : new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });
    await b.listTemplates('a/1');
    await b.createTemplate('a1', input);
    await b.updateTemplate('t1', input);
    await expect(b.deleteTemplate('t1')).resolves.toBeUndefined();
    await b.previewTemplateImport('a1', '{"data":[]}');
    await b.importTemplates('a1', '[]');
    b.close();
    expect(calls).toEqual([
      'GET /api/accounts/a%2F1/templates ',
      `POST /api/accounts/a1/templates ${JSON.stringify(input)}`,
      `PUT /api/templates/t1 ${JSON.stringify(input)}`,
      'DELETE /api/templates/t1 ',
      `POST /api/accounts/a1/templates/import/preview ${JSON.stringify({ content: '{"data":[]}' })}`,
      `POST /api/accounts/a1/templates/import ${JSON.stringify({ content: '[]' })}`,
    ]);
  });
});

describe('a sent template in the timeline', () => {
  const message = (payload: unknown): Message =>
    ({
      id: 'm1',
      conversation_id: 'c1',
      direction: 'outbound',
      sender_name: null,
      kind: 'template',
      body: '[pedido_enviado]',
      media_url: null,
      caption: null,
      file_name: null,
      provider_message_id: null,
      status: 'sent',
      error: null,
      quoted_message_id: null,
      payload,
      deleted_at: null,
      created_at: '2026-12-03T10:00:00Z',
      reactions: [],
      note: false,
    }) as Message;
  const t = (key: string) => key;

  it('reads the rendering the engine stored, and only a well-formed one', () => {
    const m = message({
      template: {
        name: 'pedido_enviado',
        language: 'pt_BR',
        fields: [],
        rendered: {
          header: 'Pedido #7310',
          body: 'Olá, Juliana!',
          buttons: [{ type: 'url', text: 'Rastrear', url: 'https://x/7310' }, { text: 3 }],
        },
      },
    });
    expect(templateOf(m)?.rendered).toEqual({
      header: 'Pedido #7310',
      body: 'Olá, Juliana!',
      buttons: [{ type: 'url', text: 'Rastrear', url: 'https://x/7310' }],
    });
    expect(summaryOf(t as never, m)).toBe('Olá, Juliana!');
    const old = message({ template: { name: 'pedido_enviado', language: 'pt_BR', fields: [] } });
    expect(templateOf(old)?.rendered).toBeUndefined();
    expect(summaryOf(t as never, old)).toBe('kind.template: pedido_enviado');
    const odd = message({ template: { name: 'x', language: 'en', fields: [], rendered: { body: 42 } } });
    expect(templateOf(odd)?.rendered).toBeUndefined();
  });
});
