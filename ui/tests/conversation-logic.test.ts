import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderInfo } from '../src/lib/backend/types';
import { UNTRANSLATED } from '../src/lib/backend/generated/texts';
import { actionState, missingActions, reasonText, unavailableLine } from '../src/lib/conversation/capabilities';
import {
  buildInteractive,
  buildLocation,
  buildTemplate,
  emptyInteractive,
  parseDegrees,
  splitPair,
  type InteractiveDraft,
} from '../src/lib/conversation/compose';
import { buildStart, startForm, type StartDraft } from '../src/lib/conversation/start';
import {
  eventLine,
  handoffSentence,
  interactiveOf,
  locationOf,
  mapUrl,
  prettyJson,
  rawOf,
  remoteAgentName,
  summaryOf,
  templateOf,
} from '../src/lib/conversation/timeline';
import { TypingNotifier } from '../src/lib/conversation/typing';
import { formatLeft, templateOnly, windowState } from '../src/lib/conversation/window';
import { dictionaries, translate, type Translate } from '../src/lib/i18n';
import { account, conv, msg } from './fixtures';

const en: Translate = (k, p) => translate('en', k, p);
const pt: Translate = (k, p) => translate('pt-BR', k, p);

function provider(id: ProviderInfo['id'], unavailable: ProviderInfo['unavailable']): ProviderInfo {
  return {
    id,
    label: id,
    capabilities: [],
    unavailable,
    fields: [],
    webhook_setup: 'manual',
    notes: [],
    max_text_chars: 4096,
  };
}

const PROVIDERS = [
  provider('mconnect', [{ capability: 'templates', reason: { key: 'mconnect.reason_templates', params: {} } }]),
  provider('omnize', [
    {
      capability: 'delete',
      reason: { key: UNTRANSLATED, params: { text: 'A reason the inbox has no translation for.' } },
    },
  ]),
];

describe('capability reasons', () => {
  it("gives the provider's reason from the catalogue, in the UI language", () => {
    expect(reasonText('en', PROVIDERS, 'mconnect', 'templates')).toBe(
      'mConnect drives WhatsApp Web, which has no templates.',
    );
    expect(reasonText('pt-BR', PROVIDERS, 'mconnect', 'templates')).toBe(
      'O mConnect usa o WhatsApp Web, que não tem modelos.',
    );
    expect(reasonText('pt-BR', PROVIDERS, 'omnize', 'delete')).toBe('A reason the inbox has no translation for.');
  });

  it('uses a generic sentence when the provider gives no reason (or was not loaded)', () => {
    expect(reasonText('en', [], 'wegly', 'typing')).toBe(dictionaries.en['reason.generic']);
    expect(reasonText('pt-BR', PROVIDERS, 'mconnect', 'handoff_update')).toBe(dictionaries['pt-BR']['reason.generic']);
  });

  it('names the action a missing capability stands for', () => {
    expect(unavailableLine(en, 'delete', 'No.')).toBe('Delete for everyone is not available here: No.');
    expect(unavailableLine(pt, 'send_text', 'Não.')).toBe(`${pt('cap.send_text')} não está disponível aqui: Não.`);
  });

  it('offers what the conversation has and explains what it lacks', () => {
    const c = conv('c1', '2025-01-01T00:00:00Z', { capabilities: ['send_text', 'send_file', 'reply'] });
    expect(actionState('en', PROVIDERS, c, 'reply')).toEqual({ available: true, reason: null });
    expect(actionState('en', PROVIDERS, c, 'templates')).toEqual({
      available: false,
      reason: 'mConnect drives WhatsApp Web, which has no templates.',
    });
    const missing = missingActions('en', PROVIDERS, c).map((m) => m.capability);
    expect(missing).toContain('templates');
    expect(missing).toContain('history_import');
    expect(missing).not.toContain('reply');
    expect(missing).not.toContain('send_file');
  });
});

describe('24-hour window', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  const caps = ['send_text', 'templates', 'window_24h'] as const;

  it('does not apply without the capability', () => {
    expect(windowState({ capabilities: ['send_text'], window_expires_at: '2025-06-09T00:00:00Z' }, now)).toEqual({
      kind: 'none',
    });
  });

  it('is unknown without an end, open before it and closed after it', () => {
    expect(windowState({ capabilities: [...caps], window_expires_at: null }, now).kind).toBe('unknown');
    const open = windowState({ capabilities: [...caps], window_expires_at: '2025-06-11T02:30:00Z' }, now);
    expect(open).toEqual({ kind: 'open', msLeft: 14.5 * 3600_000, urgent: false });
    expect(templateOnly(open)).toBe(false);
    const soon = windowState({ capabilities: [...caps], window_expires_at: '2025-06-10T12:20:00Z' }, now);
    expect(soon.kind === 'open' && soon.urgent).toBe(true);
    const closed = windowState({ capabilities: [...caps], window_expires_at: '2025-06-10T11:59:59Z' }, now);
    expect(closed).toEqual({ kind: 'closed' });
    expect(templateOnly(closed)).toBe(true);
    expect(windowState({ capabilities: [...caps], window_expires_at: '2025-06-10T12:00:00Z' }, now).kind).toBe(
      'closed',
    );
  });

  it('formats the time left', () => {
    expect(formatLeft(14.5 * 3600_000, 'en')).toBe('14 h 30 min');
    expect(formatLeft(3 * 3600_000 + 5 * 60_000, 'pt-BR')).toBe('3 h 05 min');
    expect(formatLeft(45 * 60_000 + 10_000, 'en')).toBe('45 min');
    expect(formatLeft(20_000, 'en')).toBe('< 1 min');
  });
});

describe('template drafts', () => {
  const field = (over: Partial<Record<string, string>> = {}) => ({
    component: 'BODY',
    type: 'TEXT',
    index: '1',
    value: 'João',
    button_index: '',
    card_index: '',
    ...over,
  });

  it('builds the engine template with numbers for indexes', () => {
    const b = buildTemplate({
      name: ' saudacao_inicial ',
      language: 'pt_BR',
      fields: [field(), field({ component: 'BUTTON', type: 'PAYLOAD', index: '0', value: 'x', button_index: '1' })],
    });
    expect(b).toEqual({
      ok: true,
      value: {
        name: 'saudacao_inicial',
        language: 'pt_BR',
        fields: [
          { component: 'BODY', type: 'TEXT', index: 1, value: 'João' },
          { component: 'BUTTON', type: 'PAYLOAD', index: 0, value: 'x', button_index: 1 },
        ],
      },
    });
  });

  it('reports each problem by field', () => {
    const b = buildTemplate({
      name: 'Olá mundo',
      language: '',
      fields: [field({ index: 'x', value: ' ' }), field({ component: 'BUTTON' }), field(), field()],
    });
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.errors).toMatchObject({
      name: 'compose.templateName',
      language: 'validation.required',
      'fields.0.index': 'compose.wholeNumber',
      'fields.0.value': 'validation.required',
      'fields.1.button_index': 'compose.buttonIndex',
      'fields.3.index': 'compose.duplicateField',
    });
  });
});

describe('interactive drafts', () => {
  const draft = (over: Partial<InteractiveDraft>): InteractiveDraft => ({
    ...emptyInteractive(),
    body: 'Escolha',
    ...over,
  });

  it('builds reply buttons with generated ids', () => {
    const b = buildInteractive(
      draft({
        footer: ' rodapé ',
        buttons: [
          { id: '', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      }),
    );
    expect(b).toEqual({
      ok: true,
      value: {
        body: 'Escolha',
        footer: 'rodapé',
        buttons: [
          { id: 'button-1', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      },
    });
  });

  it('enforces WhatsApp limits on buttons', () => {
    const four = [1, 2, 3, 4].map((n) => ({ id: '', title: `B${n}` }));
    const b = buildInteractive(draft({ buttons: four }));
    expect(!b.ok && b.errors.buttons).toBe('compose.tooManyButtons');
    const dup = buildInteractive(
      draft({
        buttons: [
          { id: '', title: 'Sim' },
          { id: '', title: 'sim' },
        ],
      }),
    );
    expect(!dup.ok && dup.errors['buttons.1.title']).toBe('compose.duplicate');
    const long = buildInteractive(draft({ body: '', buttons: [{ id: '', title: 'x'.repeat(21) }] }));
    expect(!long.ok && long.errors).toEqual({ body: 'validation.required', 'buttons.0.title': 'compose.tooLong' });
  });

  it('builds a list and checks its button text, titles and size', () => {
    const ok = buildInteractive(
      draft({
        mode: 'list',
        listButton: 'Ver opções',
        sections: [{ title: '', rows: [{ id: '', title: 'Boleto', description: '2ª via' }] }],
      }),
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        body: 'Escolha',
        list_button: 'Ver opções',
        sections: [{ title: '', rows: [{ id: 'row-1-1', title: 'Boleto', description: '2ª via' }] }],
      },
    });
    const rows = Array.from({ length: 11 }, (_, i) => ({ id: '', title: `R${i}`, description: '' }));
    const bad = buildInteractive(
      draft({
        mode: 'list',
        listButton: '',
        sections: [
          { title: '', rows },
          { title: '', rows: [] },
        ],
      }),
    );
    expect(!bad.ok && bad.errors).toMatchObject({
      listButton: 'validation.required',
      'sections.0.title': 'validation.required',
      'sections.1.rows': 'compose.needRow',
      sections: 'compose.tooManyRows',
    });
  });
});

describe('location drafts', () => {
  it('accepts decimal commas and a pasted pair', () => {
    expect(parseDegrees('-23,5505')).toBe(-23.5505);
    expect(parseDegrees('abc')).toBeNull();
    expect(splitPair('-23.5505, -46.6333')).toEqual(['-23.5505', '-46.6333']);
    expect(splitPair('-23.5505')).toBeNull();
    expect(buildLocation({ latitude: '-23,5505', longitude: '-46.6333', name: ' Sé ', address: '' })).toEqual({
      ok: true,
      value: { latitude: -23.5505, longitude: -46.6333, name: 'Sé' },
    });
  });

  it('checks ranges', () => {
    const b = buildLocation({ latitude: '91', longitude: '', name: '', address: '' });
    expect(!b.ok && b.errors).toEqual({ latitude: 'compose.latitude', longitude: 'validation.required' });
    const c = buildLocation({ latitude: '10', longitude: '-180.5', name: '', address: '' });
    expect(!c.ok && c.errors).toEqual({ longitude: 'compose.longitude' });
  });
});

describe('timeline', () => {
  const at = '2025-01-01T10:00:00Z';

  it('turns hand-off events into translated lines', () => {
    const ev = (event: Record<string, unknown>, body = 'English body') =>
      msg('e', at, { kind: 'event', body, payload: { event } as never });
    expect(eventLine(en, ev({ state: 'queued', position: 3 }))).toBe('In the queue, position 3');
    expect(eventLine(pt, ev({ state: 'queued', position: null }))).toBe('Na fila');
    expect(eventLine(pt, ev({ state: 'accepted', agent_name: 'Carla' }))).toBe('Aceito por Carla');
    expect(eventLine(en, ev({ state: 'unavailable' }))).toBe('No agent available');
    expect(eventLine(en, ev({ state: 'transferred', department_id: 7 }), new Map([['7', 'Billing']]))).toBe(
      'Transferred to department Billing',
    );
    expect(eventLine(en, ev({ state: 'transferred', department_id: '9' }))).toBe('Transferred to department 9');
    expect(eventLine(pt, ev({ state: 'finished' }))).toBe('Finalizado pelo atendente');
    expect(eventLine(en, ev({ state: 'started' }))).toBe('Hand-off started');
    expect(eventLine(en, ev({ state: 'reopened' }, 'Something else'))).toBe('Something else');
    expect(handoffSentence(en, { state: 'queued', position: 1, agent_name: null, department_id: null })).toBe(
      'In the queue, position 1',
    );
  });

  it('reads structured payloads defensively', () => {
    const tpl = msg('t', at, {
      kind: 'template',
      payload: {
        template: {
          name: 'boas_vindas',
          language: 'pt_BR',
          fields: [{ component: 'BODY', type: 'TEXT', index: 1, value: 'Ana' }, 'junk'],
        },
      } as never,
    });
    expect(templateOf(tpl)).toEqual({
      name: 'boas_vindas',
      language: 'pt_BR',
      fields: [{ component: 'BODY', type: 'TEXT', index: 1, value: 'Ana' }],
    });
    const ia = msg('i', at, {
      kind: 'interactive',
      body: 'Escolha',
      payload: { interactive: { body: 'Escolha', buttons: [{ id: 'a', title: 'Sim' }], sections: 'nope' } } as never,
    });
    expect(interactiveOf(ia)?.buttons).toEqual([{ id: 'a', title: 'Sim' }]);
    expect(interactiveOf(ia)?.sections).toEqual([]);
    const loc = msg('l', at, {
      kind: 'location',
      payload: { location: { latitude: '-23.5', longitude: -46.6 } } as never,
    });
    expect(locationOf(loc)).toEqual({ latitude: -23.5, longitude: -46.6, name: null, address: null });
    expect(
      locationOf(msg('x', at, { kind: 'location', payload: { location: { latitude: 'a' } } as never })),
    ).toBeNull();
    expect(templateOf(msg('n', at))).toBeNull();
  });

  it('keeps unrecognised events as text', () => {
    const m = msg('u', at, { kind: 'unrecognised', payload: { raw: { html: '<b>x</b>', n: 1 } } as never });
    expect(rawOf(m)).toEqual({ html: '<b>x</b>', n: 1 });
    expect(prettyJson(rawOf(m))).toBe('{\n  "html": "<b>x</b>",\n  "n": 1\n}');
    expect(rawOf(msg('v', at))).toBeUndefined();
  });

  it('links to the map with numbers only', () => {
    expect(mapUrl({ latitude: -23.5505, longitude: -46.6333 })).toBe(
      'https://www.openstreetmap.org/?mlat=-23.550500&mlon=-46.633300#map=16/-23.550500/-46.633300',
    );
  });

  it('summarises messages for quotes', () => {
    expect(summaryOf(en, msg('a', at, { body: 'Olá\n  tudo bem?' }))).toBe('Olá tudo bem?');
    expect(summaryOf(en, msg('b', at, { deleted_at: at }))).toBe('Message deleted');
    expect(summaryOf(en, msg('c', at, { kind: 'image', body: null, caption: null }))).toBe('Photo');
    expect(summaryOf(en, msg('d', at, { kind: 'file', body: null, file_name: 'nota.pdf' }))).toBe('File: nota.pdf');
    expect(
      summaryOf(
        pt,
        msg('e', at, {
          kind: 'template',
          payload: { template: { name: 'oi', language: 'pt_BR', fields: [] } } as never,
        }),
      ),
    ).toBe('Modelo: oi');
    expect(summaryOf(en, msg('f', at, { body: 'x'.repeat(300) })).length).toBe(140);
  });

  it('names remote agents only on inbound messages of hand-offs', () => {
    const m = msg('a', at, { sender_name: 'Carla' });
    expect(remoteAgentName(m, true)).toBe('Carla');
    expect(remoteAgentName(m, false)).toBeNull();
    expect(remoteAgentName({ ...m, direction: 'outbound' }, true)).toBeNull();
  });
});

describe('start conversation form', () => {
  const draft = (over: Partial<StartDraft> = {}): StartDraft => ({
    to: '',
    name: '',
    email: '',
    cpf: '',
    department: '',
    service: '',
    message: '',
    template: { name: '', language: 'pt_BR', fields: [] },
    ...over,
  });
  const zchat = account('z', {
    provider: 'zchat',
    settings: { flavour: 'interactions', department_id: 12 },
    capabilities: [
      'start_conversation',
      'send_text',
      'send_file',
      'typing',
      'departments',
      'handoff',
      'handoff_update',
    ],
  });
  const omnize = account('o', {
    provider: 'omnize',
    settings: { department_id: '3' },
    capabilities: ['start_conversation', 'send_text', 'send_file', 'typing', 'departments', 'handoff'],
  });
  const wegly = account('w', {
    provider: 'wegly',
    capabilities: ['start_conversation', 'send_text', 'templates', 'window_24h', 'reply'],
  });
  const cirrus = account('c', {
    provider: 'cirrus',
    settings: { service: 'd360' },
    capabilities: ['start_conversation', 'send_text', 'groups', 'window_24h'],
  });
  const mconnect = account('m', { capabilities: ['start_conversation', 'send_text', 'groups'] });

  it('asks each provider for what it needs', () => {
    expect(startForm(zchat)).toMatchObject({
      departments: true,
      customerFields: true,
      messageRequired: false,
      defaultDepartment: '12',
    });
    expect(startForm(omnize)).toMatchObject({ messageRequired: true, template: false });
    expect(startForm(wegly)).toMatchObject({ template: true, message: false });
    expect(startForm(cirrus)).toMatchObject({ service: true, defaultService: 'd360', template: false, message: true });
    expect(startForm(mconnect)).toMatchObject({ messageRequired: true, groups: true });
  });

  it('builds the engine input', () => {
    expect(
      buildStart(
        zchat,
        draft({ to: '+55 (11) 98765-4321', name: 'Ana', email: 'ana@x.com', cpf: '123.456.789-09', department: '12' }),
      ),
    ).toEqual({
      ok: true,
      value: { account_id: 'z', to: '5511987654321', name: 'Ana', email: 'ana@x.com', cpf: '12345678909' },
    });
    expect(buildStart(zchat, draft({ to: '5511987654321', department: '14', message: 'Oi' }))).toEqual({
      ok: true,
      value: { account_id: 'z', to: '5511987654321', department_id: '14', message: { kind: 'text', body: 'Oi' } },
    });
    expect(buildStart(cirrus, draft({ to: 'contact-9f', service: 'whatsappweb' }))).toEqual({
      ok: true,
      value: { account_id: 'c', to: 'contact-9f', service: 'whatsappweb' },
    });
    expect(buildStart(mconnect, draft({ to: '120363025246125486@g.us', message: 'Olá grupo' }))).toMatchObject({
      ok: true,
      value: { to: '120363025246125486@g.us' },
    });
    expect(
      buildStart(
        wegly,
        draft({ to: '11999999999', template: { name: 'saudacao_inicial', language: 'pt_BR', fields: [] } }),
      ),
    ).toEqual({
      ok: true,
      value: {
        account_id: 'w',
        to: '11999999999',
        message: { kind: 'template', template: { name: 'saudacao_inicial', language: 'pt_BR', fields: [] } },
      },
    });
  });

  it('says what is missing or wrong', () => {
    expect(buildStart(omnize, draft({ to: '12', email: 'nope', cpf: '123' }))).toEqual({
      ok: false,
      errors: {
        to: 'start.invalidTo',
        email: 'start.invalidEmail',
        cpf: 'start.invalidCpf',
        message: 'validation.required',
      },
    });
    expect(buildStart(wegly, draft({ to: '11999999999' }))).toEqual({
      ok: false,
      errors: { 'template.name': 'validation.required' },
    });
    expect(buildStart(mconnect, draft())).toMatchObject({ ok: false, errors: { to: 'validation.required' } });
  });
});

describe('TypingNotifier', () => {
  afterEach(() => vi.useRealTimers());

  it('says "on" once while typing, "off" after 3 s idle or on send, and swallows failures', async () => {
    vi.useFakeTimers();
    const calls: boolean[] = [];
    const n = new TypingNotifier({
      send: (a) => {
        calls.push(a);
        return Promise.reject(new Error('provider down'));
      },
      now: () => Date.now(),
    });
    n.input();
    n.input();
    vi.advanceTimersByTime(2000);
    n.input();
    expect(calls).toEqual([true]);
    vi.advanceTimersByTime(2999);
    expect(calls).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([true, false]);
    n.input();
    n.stop();
    n.stop();
    expect(calls).toEqual([true, false, true, false]);
    n.input(true); // the box was emptied: nothing to stop
    expect(calls).toEqual([true, false, true, false]);
    await Promise.resolve();
  });

  it('repeats "on" while the agent keeps typing past the refresh interval', () => {
    vi.useFakeTimers();
    const calls: boolean[] = [];
    const n = new TypingNotifier({ send: async (a) => void calls.push(a), refreshMs: 5000, now: () => Date.now() });
    for (let i = 0; i < 6; i++) {
      n.input();
      vi.advanceTimersByTime(1000);
    }
    expect(calls).toEqual([true, true]);
    n.stop();
    expect(calls).toEqual([true, true, false]);
  });
});
