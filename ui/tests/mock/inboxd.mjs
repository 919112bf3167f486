#!/usr/bin/env node
// Dev-only stand-in for `inboxd`: the HTTP API + SSE event stream with an
// in-memory simulator, and the built UI (../../dist) served under a strict CSP.
// Not shipped; used to look at the UI without the Rust engine:
//
//   npm run build && node tests/mock/inboxd.mjs [--port 8787] [--seed] [--page-size 3]
//   open http://127.0.0.1:8787/#token=devtoken
//
// or with hot reload: node tests/mock/inboxd.mjs & INBOXD_PROXY=http://127.0.0.1:8787 npm run dev
//   open http://localhost:1420/#token=devtoken

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDERS, capabilitiesFor, checkAccount } from './catalog.mjs';

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(name);
  return i === -1 ? def : args[i + 1];
};
const PORT = Number(arg('--port', process.env.PORT ?? 8787));
const TOKEN = process.env.MOCK_TOKEN ?? 'devtoken';
// Cap page sizes to exercise "load more" / "load older" with little data.
const MAX_PAGE = Number(arg('--page-size', 200));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' http: https:; media-src 'self' http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const now = () => new Date().toISOString();
const ago = (min) => new Date(Date.now() - min * 60_000).toISOString();
const MEDIA_BASE = `http://127.0.0.1:${PORT}`;
const CAPS = ['send_text', 'send_file', 'groups', 'typing'];
const PUBLIC_URL = 'https://inbox.example.com';

const state = {
  demo: false,
  accounts: [],
  /** account id -> { field: value }; never sent back, only its keys (secrets_set). */
  secrets: new Map(),
  conversations: new Map(),
  messages: new Map(),
  contacts: new Map(),
  tags: new Map(),
};
const clients = new Set();

function emit(ev) {
  const frame = `event: inbox\ndata: ${JSON.stringify(ev)}\n\n`;
  for (const res of clients) res.write(frame);
}

function addConversation(c) {
  const full = {
    account_id: state.accounts[0]?.id ?? 'acc',
    provider: 'mconnect',
    kind: 'individual',
    avatar_url: null,
    status: 'open',
    priority: 1,
    unread_count: 0,
    last_message: null,
    tags: [],
    capabilities: CAPS,
    handoff: null,
    window_expires_at: null,
    assignee: null,
    contact_id: null,
    ...c,
  };
  state.conversations.set(full.id, full);
  state.messages.set(full.id, []);
  return full;
}

function addMessage(cid, m, { live = false } = {}) {
  const c = state.conversations.get(cid);
  const msg = {
    id: randomUUID(),
    conversation_id: cid,
    direction: 'inbound',
    sender_name: null,
    kind: 'text',
    body: null,
    media_url: null,
    caption: null,
    file_name: null,
    provider_message_id: null,
    status: 'delivered',
    error: null,
    quoted_message_id: null,
    payload: null,
    deleted_at: null,
    created_at: now(),
    reactions: [],
    ...m,
  };
  state.messages.get(cid).push(msg);
  const text = msg.kind === 'text' ? msg.body : (msg.caption ?? '');
  c.last_message = { preview: (text ?? '').slice(0, 120), direction: msg.direction, kind: msg.kind };
  c.last_activity_at = msg.created_at;
  if (msg.direction === 'inbound') {
    c.unread_count += 1;
    if (c.status !== 'open' && live) c.status = 'open';
  }
  if (live) {
    emit({ type: 'message_added', conversation_id: cid, message: msg });
    emit({ type: 'conversation_updated', conversation: c });
  }
  return msg;
}

function seed() {
  state.demo = true;
  const acc = {
    id: 'demo-account',
    provider: 'mconnect',
    name: 'Demo',
    settings: {},
    capabilities: CAPS,
    webhook_url: null,
    history_url_scheme: null,
    secrets_set: [],
    demo: true,
    created_at: now(),
  };
  state.accounts.push(acc);
  const cirrus = accountView({
    id: 'cirrus-vendas',
    provider: 'cirrus',
    name: 'Cirrus Vendas',
    settings: { base_url: 'https://cirrus.example.com/api', client_identifier: '9b1f0c2e-1111-4c1e-9a55-000000000001', channel_id: '42', service: 'whatsappweb' },
    demo: false,
    created_at: ago(60 * 24 * 30),
  });
  state.accounts.push(cirrus);
  state.secrets.set(cirrus.id, { token: 'cirrus-token' });
  refreshAccount(cirrus);
  const mk = (id, title, extra = {}) => addConversation({ id, title, last_activity_at: ago(600), ...extra });

  mk('c-maria', 'Maria Silva', { priority: 3, tags: ['pedido'] });
  addMessage('c-maria', { body: 'Oi! Meu pedido #4512 ainda não chegou 😟', created_at: ago(42) });
  addMessage('c-maria', { direction: 'outbound', body: 'Olá Maria! Vou verificar com a transportadora agora mesmo.', status: 'read', created_at: ago(40) });
  addMessage('c-maria', { kind: 'image', media_url: MEDIA_BASE + '/media/photo.svg', caption: 'Foto da etiqueta', created_at: ago(39) });
  addMessage('c-maria', { body: 'Consegue ver? O rastreio é https://rastreio.example.com/BR123 (não atualiza desde sexta).', created_at: ago(3) });

  mk('c-joao', 'João Pereira', { priority: 2 });
  addMessage('c-joao', { body: 'Vocês entregam em Campinas?', created_at: ago(60 * 5) });
  addMessage('c-joao', { direction: 'outbound', body: 'Entregamos sim! Prazo de 2 dias úteis.', status: 'delivered', created_at: ago(60 * 5 - 1) });
  addMessage('c-joao', { direction: 'outbound', kind: 'file', media_url: MEDIA_BASE + '/media/tabela-de-fretes.pdf', body: 'tabela-de-fretes.pdf', caption: 'Tabela de fretes', status: 'sent', created_at: ago(60 * 5 - 2) });

  mk('c-loja', 'Loja Centro — Equipe', { kind: 'group', tags: ['interno'] });
  addMessage('c-loja', { sender_name: 'Carla', body: 'Chegou o lote novo de camisetas.', created_at: ago(60 * 26) });
  addMessage('c-loja', { sender_name: 'Pedro', body: 'Boa! Já pode liberar no site.', created_at: ago(60 * 25) });
  addMessage('c-loja', { sender_name: 'Carla', kind: 'audio', media_url: MEDIA_BASE + '/media/voice.ogg', created_at: ago(60 * 24) });
  const q = state.messages.get('c-loja')[1];
  addMessage('c-loja', { direction: 'outbound', body: 'Liberado ✅', quoted_message_id: q.id, status: 'read', created_at: ago(60 * 23), reactions: [{ reactor: 'Carla', emoji: '👍', from_me: false }] });

  mk('c-ana', 'Ana Beatriz Souza', { unread_count: 0 });
  addMessage('c-ana', { body: '<img src=x onerror=alert(1)> isto deve aparecer como texto', created_at: ago(60 * 24 * 3) });
  addMessage('c-ana', { kind: 'image', media_url: 'javascript:alert(1)', caption: 'link inseguro (não deve virar <img>)', created_at: ago(60 * 24 * 3 - 1) });
  addMessage('c-ana', { direction: 'outbound', body: 'Mensagem que falhou', status: 'failed', error: 'Número não está no WhatsApp (131026)', created_at: ago(60 * 24 * 3 - 2) });

  mk('c-snooze', 'Rafael Costa', { status: 'snoozed' });
  addMessage('c-snooze', { body: 'Volto a falar semana que vem.', created_at: ago(60 * 24 * 9) });

  mk('c-done', 'Fernanda Lima', { status: 'resolved', priority: 0 });
  addMessage('c-done', { body: 'Obrigada, resolvido!', created_at: ago(60 * 24 * 40) });

  mk('c-textonly', 'Canal somente texto', { capabilities: ['send_text'] });
  addMessage('c-textonly', { body: 'Este canal não aceita arquivos.', created_at: ago(60 * 24 * 2) });

  for (const c of state.conversations.values()) if (c.id !== 'c-maria' && c.id !== 'c-joao') c.unread_count = 0;
  state.conversations.get('c-maria').unread_count = 2;
  state.conversations.get('c-joao').unread_count = 0;
  seedContacts(acc, cirrus);
}

function seedContacts(demo, cirrus) {
  const tag = (id, name, color, sync_state = 'synced', sync_error = null) =>
    state.tags.set(id, { id, name, color, sync_state, sync_error });
  tag('t-vip', 'VIP', '#d97706');
  tag('t-pedido', 'pedido', '#2f5bd3');
  tag('t-interno', 'interno', null, 'local');
  tag('t-atraso', 'atraso na entrega', '#dc2626', 'failed', 'Cirrus refused the tag: name already used (409)');
  const tags = (...ids) => ids.map((id) => state.tags.get(id));
  const ident = (acc, external_id, remote_id = null) => ({ account_id: acc.id, provider: acc.provider, external_id, remote_id });
  const contact = (id, c) =>
    state.contacts.set(id, {
      id,
      display_name: null,
      custom_name: null,
      avatar_url: null,
      identities: [],
      tags: [],
      sync_state: 'local',
      sync_error: null,
      synced_at: null,
      ...c,
    });
  contact('k-maria', { display_name: 'Maria S.', custom_name: 'Maria Silva', identities: [ident(demo, '5511987650001'), ident(cirrus, '5511987650001', 'crs-881')], tags: tags('t-vip', 't-pedido'), sync_state: 'synced', synced_at: ago(30) });
  contact('k-joao', { display_name: 'João Pereira', identities: [ident(cirrus, '5519988887777', 'crs-882')], sync_state: 'pending' });
  contact('k-ana', { display_name: 'Ana B.', custom_name: 'Ana Beatriz Souza', identities: [ident(cirrus, '5521977776666', 'crs-883')], tags: tags('t-atraso'), sync_state: 'failed', sync_error: 'Cirrus answered 503: service unavailable' });
  contact('k-rafael', { display_name: 'Rafael Costa', identities: [ident(demo, '5531966665555')], sync_state: 'local' });
  contact('k-fernanda', { display_name: 'Fernanda Lima', custom_name: 'Fê (não alterar)', identities: [ident(cirrus, '5541955554444', 'crs-884')], sync_state: 'replaced', synced_at: ago(60 * 5) });
  contact('k-xss', { display_name: '<img src=x onerror=alert(1)>', identities: [ident(demo, '5511900000000')], tags: tags('t-interno') });
  for (let i = 1; i <= 9; i++) {
    contact(`k-extra-${i}`, { display_name: `Cliente ${i}`, identities: [ident(cirrus, `55119000000${String(i).padStart(2, '0')}`, `crs-9${i}`)], sync_state: 'synced', synced_at: ago(60 * 24) });
  }
  const link = (cid, kid) => {
    const c = state.conversations.get(cid);
    if (c) c.contact_id = kid;
  };
  link('c-maria', 'k-maria');
  link('c-joao', 'k-joao');
  link('c-ana', 'k-ana');
  link('c-snooze', 'k-rafael');
  link('c-done', 'k-fernanda');
}

const CUSTOMERS = ['Lucas Almeida', 'Juliana Rocha', 'Marcos Vinícius', 'Patrícia Gomes'];
const LINES = ['Bom dia! Vocês abrem sábado?', 'Qual o prazo de troca?', 'Pode me mandar o boleto de novo?', 'Obrigado pelo atendimento 🙏'];
let simCount = 0;

function simulateInbound() {
  simCount++;
  const existing = [...state.conversations.values()].filter((c) => c.kind === 'individual');
  let c;
  if (simCount % 3 === 0 || existing.length === 0) {
    const name = CUSTOMERS[simCount % CUSTOMERS.length];
    c = addConversation({ id: `c-sim-${simCount}`, title: name, last_activity_at: now() });
  } else {
    c = existing[simCount % existing.length];
  }
  emit({ type: 'typing', conversation_id: c.id, who: c.title.split(' ')[0], active: true });
  setTimeout(() => {
    emit({ type: 'typing', conversation_id: c.id, who: c.title.split(' ')[0], active: false });
    addMessage(c.id, { body: LINES[simCount % LINES.length] }, { live: true });
  }, 900);
}

function progress(cid, msg) {
  const steps = msg.body?.includes('falha') ? ['failed'] : ['sent', 'delivered', 'read'];
  steps.forEach((status, i) =>
    setTimeout(() => {
      msg.status = status;
      msg.provider_message_id = status === 'failed' ? null : `wamid.${msg.id.slice(0, 8)}`;
      msg.error = status === 'failed' ? 'Simulated failure: recipient unavailable' : null;
      emit({ type: 'message_status_changed', conversation_id: cid, message_id: msg.id, status, provider_message_id: msg.provider_message_id, error: msg.error });
    }, 700 * (i + 1)),
  );
}

// ---- accounts, contacts and tags -----------------------------------------------

function accountView(row) {
  const capabilities = capabilitiesFor(row.provider, row.settings);
  const secret = row.webhook_secret ?? randomUUID().replace(/-/g, '');
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    settings: row.settings,
    capabilities,
    webhook_url: row.demo ? null : `${PUBLIC_URL}/webhooks/${row.provider}/${row.id}/${secret}`,
    history_url_scheme: capabilities.includes('history_url') ? `${PUBLIC_URL}/history/{conversation}/{token}` : null,
    secrets_set: Object.keys(state.secrets.get(row.id) ?? {}),
    demo: row.demo,
    created_at: row.created_at,
  };
}

function refreshAccount(acc) {
  acc.capabilities = capabilitiesFor(acc.provider, acc.settings);
  acc.history_url_scheme = acc.capabilities.includes('history_url') ? `${PUBLIC_URL}/history/{conversation}/{token}` : null;
  acc.secrets_set = Object.keys(state.secrets.get(acc.id) ?? {});
}

/** Trimmed, non-empty secrets. */
function cleanSecrets(secrets) {
  const out = {};
  for (const [k, v] of Object.entries(secrets ?? {})) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

/** What "test connection" answers: a few recognisable failures, otherwise success. */
function connectionTest(provider, settings, secrets) {
  const label = PROVIDERS.find((p) => p.id === provider)?.label ?? provider;
  if (String(settings.base_url ?? '').includes('unreachable'))
    return { ok: false, message: `${label} could not be reached: connection refused` };
  if (Object.values(secrets).some((v) => v === 'bad'))
    return { ok: false, message: `${label} refused the token (401): invalid credentials` };
  return { ok: true, message: `${label} answered: the account is reachable and the credentials work.` };
}

function syncingAccount() {
  return state.accounts.find((a) => a.capabilities.includes('contact_sync') || a.capabilities.includes('tag_sync'));
}

function tagList() {
  return [...state.tags.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function emitTags() {
  emit({ type: 'tags_changed', tags: tagList() });
}

/** Simulate the provider confirming (or refusing) an edit a moment later. */
function confirmLater(item, onDone) {
  setTimeout(() => {
    if (item.sync_state !== 'pending') return;
    if (/falha|fail/i.test(item.custom_name ?? item.name ?? '')) {
      item.sync_state = 'failed';
      item.sync_error = 'Cirrus answered 422: the name was refused';
    } else {
      item.sync_state = 'synced';
      item.sync_error = null;
      if ('synced_at' in item) item.synced_at = now();
    }
    onDone();
  }, 800);
}

function contactMatches(c, q) {
  const needle = q.toLowerCase();
  return [c.custom_name, c.display_name, ...c.identities.map((i) => i.external_id)].some((v) => v && v.toLowerCase().includes(needle));
}

// ---- HTTP ----------------------------------------------------------------------

function send(res, status, body) {
  if (body === undefined) {
    res.writeHead(status);
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
const fail = (res, status, code, message) => send(res, status, { code, message });

async function readJson(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  if (!data) return {};
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

function page(items, cursor, limit) {
  const start = cursor ? Number(cursor) : 0;
  const n = Math.min(Number(limit) || 50, MAX_PAGE);
  const slice = items.slice(start, start + n);
  return { items: slice, next_cursor: start + n < items.length ? String(start + n) : null };
}

async function api(req, res, url) {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return fail(res, 401, 'unauthorized', 'Missing or invalid token');
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // drop "api"
  const q = url.searchParams;
  const m = req.method;

  if (parts[0] === 'status' && m === 'GET') return send(res, 200, { version: '0.0.0-mock', demo: state.demo, accounts: state.accounts.length });
  if (parts[0] === 'events' && m === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    clients.add(res);
    const ka = setInterval(() => res.write(': keepalive\n\n'), 15000);
    req.on('close', () => {
      clearInterval(ka);
      clients.delete(res);
    });
    return;
  }
  if (parts[0] === 'providers' && parts.length === 1 && m === 'GET') return send(res, 200, PROVIDERS);
  if (parts[0] === 'accounts' && parts.length === 1) {
    if (m === 'GET') return send(res, 200, state.accounts);
    if (m === 'POST') {
      const body = await readJson(req);
      if (!body?.name?.trim()) return fail(res, 422, 'invalid_input', '`name` is required');
      const problem = checkAccount(body.provider, body.settings, body.secrets, { requireSecrets: true });
      if (problem) return fail(res, 422, 'invalid_input', problem);
      if (body.settings.username === 'taken') return fail(res, 502, 'provider_error', 'mConnect refused the webhook: the username is already in use');
      const id = randomUUID();
      state.secrets.set(id, cleanSecrets(body.secrets));
      const acc = accountView({ id, provider: body.provider, name: body.name.trim(), settings: { ...body.settings }, demo: false, created_at: now() });
      state.accounts.push(acc);
      emit({ type: 'accounts_changed' });
      return send(res, 201, acc);
    }
  }
  if (parts[0] === 'accounts' && parts[1] === 'test' && parts.length === 2 && m === 'POST') {
    const body = await readJson(req);
    const problem = checkAccount(body?.provider, body?.settings, body?.secrets, { requireSecrets: true });
    if (problem) return fail(res, 422, 'invalid_input', problem);
    await new Promise((r) => setTimeout(r, 400));
    return send(res, 200, connectionTest(body.provider, body.settings, cleanSecrets(body.secrets)));
  }
  if (parts[0] === 'accounts' && parts.length >= 2) {
    const acc = state.accounts.find((a) => a.id === parts[1]);
    if (!acc) return fail(res, 404, 'not_found', 'account not found');
    if (parts.length === 2 && m === 'GET') return send(res, 200, acc);
    if (parts.length === 2 && m === 'PATCH') {
      const body = (await readJson(req)) ?? {};
      if (body.name !== undefined && !String(body.name).trim()) return fail(res, 422, 'invalid_input', '`name` cannot be empty');
      const settings = body.settings ?? acc.settings;
      const problem = checkAccount(acc.provider, settings, body.secrets ?? {}, { requireSecrets: false });
      if (problem) return fail(res, 422, 'invalid_input', problem);
      if (body.name !== undefined) acc.name = String(body.name).trim();
      acc.settings = { ...settings };
      state.secrets.set(acc.id, { ...(state.secrets.get(acc.id) ?? {}), ...cleanSecrets(body.secrets) });
      refreshAccount(acc);
      emit({ type: 'accounts_changed' });
      return send(res, 200, acc);
    }
    if (parts.length === 2 && m === 'DELETE') {
      state.accounts = state.accounts.filter((a) => a.id !== acc.id);
      state.secrets.delete(acc.id);
      for (const c of [...state.conversations.values()]) if (c.account_id === acc.id) state.conversations.delete(c.id);
      emit({ type: 'accounts_changed' });
      return send(res, 204);
    }
    if (parts[2] === 'test' && m === 'POST') {
      await new Promise((r) => setTimeout(r, 400));
      return send(res, 200, connectionTest(acc.provider, acc.settings, state.secrets.get(acc.id) ?? {}));
    }
    if (parts[2] === 'departments' && m === 'GET') {
      if (!acc.capabilities.includes('departments')) return fail(res, 409, 'unsupported', 'This provider has no departments');
      return send(res, 200, [
        { id: '7', name: 'Suporte', active: true, queue: 3, agents: ['Bruna', 'Caio'] },
        { id: '8', name: 'Financeiro', active: true, queue: 0, agents: ['Dora'] },
        { id: '9', name: 'Vendas (fechado)', active: false, queue: null, agents: [] },
      ]);
    }
    if (parts[2] === 'sync' && m === 'POST') {
      if (!acc.capabilities.includes('contact_sync') && !acc.capabilities.includes('tag_sync'))
        return fail(res, 409, 'unsupported', 'This provider does not sync contacts or tags');
      await new Promise((r) => setTimeout(r, 600));
      const report = { pulled_contacts: 0, pulled_tags: 0, pushed: 0, replaced: 0, failed: 0 };
      for (const c of state.contacts.values()) {
        if (!c.identities.some((i) => i.account_id === acc.id)) continue;
        report.pulled_contacts++;
        if (c.sync_state === 'pending') {
          c.sync_state = 'synced';
          report.pushed++;
        } else if (c.sync_state === 'failed') {
          c.sync_state = 'replaced';
          c.sync_error = null;
          report.replaced++;
        }
        c.synced_at = now();
        emit({ type: 'contact_updated', contact: c });
      }
      for (const t of state.tags.values()) {
        if (t.sync_state === 'local') continue;
        report.pulled_tags++;
        if (t.sync_state === 'failed') report.failed++;
        if (t.sync_state === 'pending') {
          t.sync_state = 'synced';
          report.pushed++;
        }
      }
      emitTags();
      return send(res, 200, report);
    }
  }
  if (parts[0] === 'contacts') {
    if (parts.length === 1 && m === 'GET') {
      let list = [...state.contacts.values()];
      if (q.get('account_id')) list = list.filter((c) => c.identities.some((i) => i.account_id === q.get('account_id')));
      if (q.get('tag_id')) list = list.filter((c) => c.tags.some((t) => t.id === q.get('tag_id')));
      if (q.get('query')) list = list.filter((c) => contactMatches(c, q.get('query')));
      list.sort((a, b) => (a.custom_name ?? a.display_name ?? '').localeCompare(b.custom_name ?? b.display_name ?? ''));
      return send(res, 200, page(list, q.get('cursor'), q.get('limit')));
    }
    const c = state.contacts.get(parts[1]);
    if (!c) return fail(res, 404, 'not_found', 'contact not found');
    if (parts.length === 2 && m === 'GET') return send(res, 200, c);
    if (parts.length === 2 && m === 'PATCH') {
      const body = (await readJson(req)) ?? {};
      if (body.tag_ids) {
        const unknown = body.tag_ids.find((id) => !state.tags.has(id));
        if (unknown) return fail(res, 422, 'invalid_input', `unknown tag \`${unknown}\``);
        c.tags = body.tag_ids.map((id) => state.tags.get(id));
      }
      if (body.custom_name !== undefined) c.custom_name = body.custom_name.trim() ? body.custom_name.trim() : null;
      const synced = c.identities.some((i) => state.accounts.find((a) => a.id === i.account_id)?.capabilities.includes('contact_sync'));
      c.sync_state = synced ? 'pending' : 'local';
      c.sync_error = null;
      if (synced) confirmLater(c, () => emit({ type: 'contact_updated', contact: c }));
      emit({ type: 'contact_updated', contact: c });
      return send(res, 200, c);
    }
  }
  if (parts[0] === 'tags') {
    if (parts.length === 1 && m === 'GET') return send(res, 200, tagList());
    const body = m === 'POST' || m === 'PATCH' ? ((await readJson(req)) ?? {}) : {};
    const name = typeof body.name === 'string' ? body.name.trim() : undefined;
    const color = typeof body.color === 'string' ? body.color.trim() : undefined;
    if (color && !/^#[0-9a-fA-F]{6}$/.test(color)) return fail(res, 422, 'invalid_input', '`color` must be #RRGGBB');
    const dup = (id) => name && [...state.tags.values()].some((t) => t.id !== id && t.name.toLowerCase() === name.toLowerCase());
    const synced = Boolean(syncingAccount());
    if (parts.length === 1 && m === 'POST') {
      if (!name) return fail(res, 422, 'invalid_input', '`name` is required');
      if (dup(null)) return fail(res, 422, 'invalid_input', `a tag named \`${name}\` already exists`);
      const tag = { id: randomUUID(), name, color: color || null, sync_state: synced ? 'pending' : 'local', sync_error: null };
      state.tags.set(tag.id, tag);
      if (synced) confirmLater(tag, emitTags);
      emitTags();
      return send(res, 201, tag);
    }
    const tag = state.tags.get(parts[1]);
    if (!tag) return fail(res, 404, 'not_found', 'tag not found');
    if (parts.length === 2 && m === 'PATCH') {
      if (name === '') return fail(res, 422, 'invalid_input', '`name` cannot be empty');
      if (dup(tag.id)) return fail(res, 422, 'invalid_input', `a tag named \`${name}\` already exists`);
      if (name) tag.name = name;
      if (color !== undefined) tag.color = color || null;
      if (synced) {
        tag.sync_state = 'pending';
        tag.sync_error = null;
        confirmLater(tag, emitTags);
      }
      emitTags();
      return send(res, 200, tag);
    }
    if (parts.length === 2 && m === 'DELETE') {
      state.tags.delete(tag.id);
      for (const c of state.contacts.values()) c.tags = c.tags.filter((t) => t.id !== tag.id);
      emitTags();
      return send(res, 204);
    }
  }
  if (parts[0] === 'messages' && parts.length >= 2) {
    let found = null;
    for (const [cid, list] of state.messages) {
      const msg = list.find((x) => x.id === parts[1]);
      if (msg) found = { cid, msg };
    }
    if (!found) return fail(res, 404, 'not_found', 'message not found');
    const conv = state.conversations.get(found.cid);
    if (parts.length === 2 && m === 'DELETE') {
      if (!conv.capabilities.includes('delete')) return fail(res, 409, 'unsupported', 'This provider cannot delete messages');
      found.msg.deleted_at = now();
      emit({ type: 'message_updated', conversation_id: found.cid, message: found.msg });
      return send(res, 200, found.msg);
    }
    if (parts[2] === 'reaction' && m === 'DELETE') {
      if (!conv.capabilities.includes('remove_reaction')) return fail(res, 409, 'unsupported', 'This provider cannot remove reactions');
      found.msg.reactions = found.msg.reactions.filter((r) => !r.from_me);
      emit({ type: 'message_updated', conversation_id: found.cid, message: found.msg });
      return send(res, 200, found.msg);
    }
  }
  if (parts[0] === 'demo') {
    if (parts.length === 1 && m === 'POST') {
      if (!state.demo) seed();
      return send(res, 200, state.accounts.find((a) => a.demo));
    }
    if (parts[1] === 'inbound' && m === 'POST') {
      if (!state.demo) return fail(res, 409, 'not_demo', 'Demo mode is not active');
      simulateInbound();
      return send(res, 204);
    }
  }
  if (parts[0] === 'conversations') {
    if (parts.length === 1 && m === 'GET') {
      let list = [...state.conversations.values()];
      if (q.get('status')) list = list.filter((c) => c.status === q.get('status'));
      if (q.get('account_id')) list = list.filter((c) => c.account_id === q.get('account_id'));
      if (q.get('tag')) list = list.filter((c) => c.tags.includes(q.get('tag')));
      list.sort((a, b) => Date.parse(b.last_activity_at) - Date.parse(a.last_activity_at));
      return send(res, 200, page(list, q.get('cursor'), q.get('limit')));
    }
    if (parts.length === 1 && m === 'POST') {
      const body = (await readJson(req)) ?? {};
      const acc = state.accounts.find((a) => a.id === body.account_id);
      if (!acc) return fail(res, 404, 'not_found', 'account not found');
      if (!acc.capabilities.includes('start_conversation')) return fail(res, 409, 'unsupported', 'This provider cannot start conversations');
      if (!String(body.to ?? '').trim()) return fail(res, 422, 'invalid_input', '`to` is required');
      const c = addConversation({
        id: `c-new-${randomUUID().slice(0, 8)}`,
        account_id: acc.id,
        provider: acc.provider,
        title: body.name?.trim() || body.to,
        capabilities: acc.capabilities,
        last_activity_at: now(),
        handoff: acc.capabilities.includes('handoff')
          ? { state: 'started', position: null, agent_name: null, department_id: body.department_id ?? null, interaction_hash: null, updated_at: now() }
          : null,
      });
      if (body.message) {
        const msg = addMessage(c.id, { direction: 'outbound', kind: body.message.kind ?? 'text', body: body.message.body ?? null, status: 'pending' });
        progress(c.id, msg);
      }
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 201, c);
    }
    const c = state.conversations.get(parts[1]);
    if (!c) return fail(res, 404, 'not_found', 'Conversation not found');
    if (parts.length === 2 && m === 'GET') return send(res, 200, c);
    if (parts.length === 2 && m === 'PATCH') {
      const body = await readJson(req);
      if (body?.status) c.status = body.status;
      if (body?.priority !== undefined) c.priority = body.priority;
      if (Array.isArray(body?.tag_ids)) c.tags = body.tag_ids.map((id) => state.tags.get(id)?.name).filter(Boolean);
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 200, c);
    }
    if (parts[2] === 'read' && m === 'POST') {
      c.unread_count = 0;
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 200, c);
    }
    if (parts[2] === 'typing' && m === 'POST') return send(res, 204);
    if (parts[2] === 'handoff' && m === 'POST') {
      if (!c.capabilities.includes('handoff_update')) return fail(res, 409, 'unsupported', 'This conversation cannot update its hand-off');
      return send(res, 204);
    }
    if (parts[2] === 'reassign' && m === 'POST') {
      const body = (await readJson(req)) ?? {};
      if (!c.capabilities.includes('reassign')) return fail(res, 409, 'unsupported', 'This provider cannot reassign chats');
      if (!String(body.user_id ?? '').trim()) return fail(res, 422, 'invalid_input', '`user_id` is required');
      c.assignee = body.user_id;
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 200, c);
    }
    if (parts[2] === 'refresh' && m === 'POST') return send(res, 200, c);
    if (parts[2] === 'history' && parts[3] === 'import' && m === 'POST') {
      if (!c.capabilities.includes('history_import')) return fail(res, 409, 'unsupported', 'This provider cannot import history');
      const total = 3;
      for (let i = 1; i <= total; i++) {
        setTimeout(() => {
          addMessage(c.id, { body: `Mensagem antiga ${i}`, created_at: ago(60 * 24 * 60 + i) });
          emit({ type: 'history_progress', progress: { conversation_id: c.id, imported: i, total, done: i === total, error: null } });
        }, 300 * i);
      }
      return send(res, 202, { conversation_id: c.id, imported: 0, total, done: false, error: null });
    }
    if (parts[2] === 'messages' && m === 'GET') {
      const newestFirst = state.messages.get(c.id).slice().reverse();
      return send(res, 200, page(newestFirst, q.get('cursor'), q.get('limit')));
    }
    if (parts[2] === 'messages' && m === 'POST') {
      const body = await readJson(req);
      if (!body?.kind) return fail(res, 400, 'bad_request', 'kind is required');
      if (body.kind !== 'text' && !c.capabilities.includes('send_file')) return fail(res, 422, 'unsupported', 'This provider cannot send files');
      const msg = addMessage(c.id, { direction: 'outbound', kind: body.kind, body: body.body ?? body.file_name ?? null, media_url: body.media_url ?? null, caption: body.caption ?? null, status: 'pending' });
      c.unread_count = 0;
      emit({ type: 'message_added', conversation_id: c.id, message: msg });
      emit({ type: 'conversation_updated', conversation: c });
      progress(c.id, msg);
      return send(res, 201, msg);
    }
  }
  return fail(res, 404, 'not_found', `No route for ${m} ${url.pathname}`);
}

const MEDIA = {
  '/media/photo.svg': [
    'image/svg+xml',
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="#dfe7f5"/><rect x="30" y="40" width="260" height="120" rx="8" fill="#fff" stroke="#9fb6ee"/><text x="50" y="90" font-family="sans-serif" font-size="18" fill="#2f5bd3">ETIQUETA BR123</text><text x="50" y="120" font-family="sans-serif" font-size="13" fill="#667">Correios · SEDEX</text></svg>',
  ],
  '/media/tabela-de-fretes.pdf': ['application/pdf', '%PDF-1.4\n% mock\n'],
};

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

async function serveStatic(res, pathname) {
  const rel = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  if (rel.startsWith('..')) return fail(res, 400, 'bad_request', 'bad path');
  try {
    const data = await readFile(join(DIST, rel));
    res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(data);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found (did you run npm run build?)');
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  if (url.pathname.startsWith('/api/')) {
    api(req, res, url).catch((err) => fail(res, 500, 'internal', String(err)));
    return;
  }
  const media = MEDIA[url.pathname];
  if (media) {
    res.writeHead(200, { 'Content-Type': media[0] });
    return res.end(media[1]);
  }
  serveStatic(res, url.pathname);
});

if (args.includes('--seed')) seed();
server.listen(PORT, '127.0.0.1', () => {
  console.log(`mock inboxd on http://127.0.0.1:${PORT}/#token=${TOKEN}`);
});
