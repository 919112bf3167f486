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

const state = { demo: false, accounts: [], conversations: new Map(), messages: new Map() };
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
    provider_message_id: null,
    status: 'delivered',
    error: null,
    quoted_message_id: null,
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
    demo: true,
    created_at: now(),
  };
  state.accounts.push(acc);
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
  addMessage('c-loja', { direction: 'outbound', body: 'Liberado ✅', quoted_message_id: q.id, status: 'read', created_at: ago(60 * 23), reactions: [{ reactor: 'Carla', emoji: '👍' }] });

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
  if (parts[0] === 'accounts' && parts.length === 1) {
    if (m === 'GET') return send(res, 200, state.accounts);
    if (m === 'POST') {
      const body = await readJson(req);
      const s = body?.settings ?? {};
      if (!body?.name || !/^\d{8,15}$/.test(s.number ?? '')) return fail(res, 422, 'invalid', 'Name and a valid number are required');
      if (s.username === 'taken') return fail(res, 409, 'conflict', 'An account for this username already exists');
      const secret = randomUUID().replace(/-/g, '');
      const acc = { id: randomUUID(), provider: 'mconnect', name: body.name, settings: { ...s }, capabilities: CAPS, webhook_url: `https://inbox.example.com/webhooks/mconnect/${secret}`, demo: false, created_at: now() };
      state.accounts.push(acc);
      return send(res, 201, acc);
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
    const c = state.conversations.get(parts[1]);
    if (!c) return fail(res, 404, 'not_found', 'Conversation not found');
    if (parts.length === 2 && m === 'GET') return send(res, 200, c);
    if (parts.length === 2 && m === 'PATCH') {
      const body = await readJson(req);
      if (body?.status) c.status = body.status;
      if (body?.priority !== undefined) c.priority = body.priority;
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 200, c);
    }
    if (parts[2] === 'read' && m === 'POST') {
      c.unread_count = 0;
      emit({ type: 'conversation_updated', conversation: c });
      return send(res, 200, c);
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
