// Browser end-to-end test: the headless server `inboxd` in demo mode (with its
// in-process provider simulator) serving the built web UI, driven in Debian's
// Chromium through playwright-core.
//
// The demo has one account per provider (mConnect, ZChat, Omnize, Cirrus,
// Wegly); a step per provider opens its demo conversation, checks what only
// that provider shows, and saves docs/screenshots/<provider>.png. The README's
// picture, docs/screenshot.png, is taken before the test adds anything.
//
// Needs: target/debug/inboxd (cargo build -p inboxd), ui/dist (npm run build
// in ui/), /usr/bin/chromium and an emoji font (scripts/setup.sh --test).
//
//   cd tests && node --test browser/inbox.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

import {
  REPO_ROOT,
  Child,
  Sim,
  CUSTOMER,
  debugBinary,
  expectedSend,
  freePorts,
  tempDir,
  runCleanups,
  storySteps,
  waitFor,
  withReports,
} from '../lib/harness.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const UI_DIR = path.join(REPO_ROOT, 'ui', 'dist');
const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'screenshot.png');
const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const FAILURE_SHOT = path.join(REPO_ROOT, 'tests', 'browser', 'output', 'failure.png');
const T = 20000; // default UI wait, ms
const PROVIDERS = ['mconnect', 'zchat', 'omnize', 'cirrus', 'wegly'];

describe('browser: inboxd demo in Chromium', () => {
  let inboxd;
  let context;
  let page;
  let sim;
  let base;
  const token = randomBytes(24).toString('hex');
  const cleanups = [];
  const browserLog = [];

  // The tests are steps of one story (see `storySteps`).
  const run = storySteps(
    () => [inboxd],
    async () => {
      if (page) {
        try {
          const text = await page.evaluate(() => document.body?.innerText ?? '');
          console.error(`page at failure: ${page.url().replace(/token=[^&]+/, 'token=…')}\n----- page text -----\n${text.slice(0, 1500)}\n-----`);
          await page.screenshot({ path: FAILURE_SHOT });
          console.error(`failure screenshot: ${FAILURE_SHOT}`);
        } catch (e) {
          console.error(`could not read the page: ${e.message}`);
        }
      }
      if (browserLog.length) console.error(`----- browser console/page errors -----\n${browserLog.slice(-60).join('\n')}`);
    },
  );

  /** Opens the demo conversation `title` of `provider` from the list; answers the conversation view. */
  async function openDemo(provider, title) {
    const row = page
      .locator('[data-testid=conversation-item]', { hasText: title })
      .filter({ has: page.locator(`[data-testid=item-provider][data-provider=${provider}]`) })
      .first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    const view = page.locator('[data-testid=conversation-view]');
    await view.waitFor({ state: 'visible' });
    await waitFor(async () => (await view.locator('[data-testid=conversation-title]').textContent())?.trim() === title, {
      timeout: T,
      message: `the open conversation to be "${title}"`,
    });
    return view;
  }

  /** Sends `text` from the composer and waits until the bubble says the provider took it. */
  async function replyFromTheUi(view, text) {
    await page.locator('[data-testid=composer-input]').fill(text);
    await page.locator('[data-testid=composer-send]').click();
    const out = view.locator('[data-testid=message][data-direction=outbound]', { hasText: text });
    await out.waitFor({ state: 'visible' });
    await waitFor(
      async () => {
        const s = await out.getAttribute('data-status');
        if (s === 'failed') throw Object.assign(new Error(`the reply "${text}" shows data-status="failed"`), { fatal: true });
        return ['sent', 'delivered', 'read'].includes(s);
      },
      { timeout: T, message: `the reply "${text}" to reach data-status="sent"` },
    );
  }

  /** The hand-off banner in `state` and an event line for each of `events`. */
  async function expectHandoff(view, state, events) {
    await view.locator('[data-testid=handoff-banner] [data-testid=handoff-state]').waitFor({ state: 'visible' });
    await waitFor(
      async () => (await view.locator('[data-testid=handoff-state]').getAttribute('data-state')) === state,
      { timeout: T, message: `the hand-off banner to say "${state}"` },
    );
    for (const e of events) {
      await view.locator(`[data-testid=message-event][data-state=${e}]`).first().waitFor({ state: 'visible' });
    }
  }

  /** A screenshot once the page's images have loaded (the event stream keeps the network busy). */
  async function screenshot(file) {
    mkdirSync(path.dirname(file), { recursive: true });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: T });
    await page.screenshot({ path: file });
  }

  const providerShot = (provider) => screenshot(path.join(SCREENSHOTS, `${provider}.png`));

  before(async () => {
    rmSync(FAILURE_SHOT, { force: true });
    const bin = debugBinary('inboxd', 'cargo build -p inboxd');
    if (!existsSync(path.join(UI_DIR, 'index.html'))) {
      throw new Error(`prerequisite missing: ${UI_DIR}/index.html — build the UI first (cd ui && npm run build)`);
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`prerequisite missing: ${CHROMIUM} — install Debian's chromium (scripts/setup.sh --test)`);
    }

    const data = tempDir('inboxd-data');
    cleanups.push(data.cleanup);
    const [port, simPort] = await freePorts(2);
    base = `http://127.0.0.1:${port}`;
    sim = new Sim(`127.0.0.1:${simPort}`);

    inboxd = new Child(
      'inboxd',
      bin,
      [
        '--data-dir', data.dir,
        '--listen', `127.0.0.1:${port}`,
        '--webhook-listen', '127.0.0.1:0',
        '--ui-dir', UI_DIR,
        '--token', token,
        '--secrets', 'memory',
        '--demo',
      ],
      { env: { ...process.env, INBOX_SIM_ADDR: `127.0.0.1:${simPort}`, RUST_LOG: process.env.RUST_LOG || 'info', NO_COLOR: '1' } },
    );
    await withReports(
      () => [inboxd],
      () => inboxd.waitForLine(new RegExp(`inboxd listening on http://127\\.0\\.0\\.1:${port}\\b`), 60000),
    );

    const profile = tempDir('chromium-profile');
    cleanups.push(profile.cleanup);
    context = await chromium.launchPersistentContext(profile.dir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      timeout: 60000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultTimeout(T);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => browserLog.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
    page.on('requestfailed', (r) => browserLog.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  });

  after(async () => {
    if (context) await context.close().catch((e) => console.error(`closing Chromium: ${e.message}`));
    if (inboxd) await inboxd.stop();
    runCleanups(cleanups);
  });

  test(
    'the API rejects a missing or wrong bearer token with 401',
    run(async () => {
      const url = `${base}/api/conversations`;
      const none = await fetch(url, { signal: AbortSignal.timeout(10000) });
      assert.equal(none.status, 401, 'GET /api/conversations without a token');
      const wrong = await fetch(url, {
        headers: { authorization: `Bearer ${token}x` },
        signal: AbortSignal.timeout(10000),
      });
      assert.equal(wrong.status, 401, 'GET /api/conversations with a wrong token');
      const right = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10000),
      });
      assert.equal(right.status, 200, 'GET /api/conversations with the right token');
    }),
  );

  test(
    'the demo banner and the seeded conversations show',
    run(async () => {
      await page.goto(`${base}/#token=${token}`, { waitUntil: 'domcontentloaded', timeout: 30000 });
      await page.locator('[data-testid=demo-banner]').waitFor({ state: 'visible', timeout: 30000 });
      const rows = page.locator('[data-testid=conversation-item]');
      await rows.first().waitFor({ state: 'visible' });
      const n = await waitFor(async () => ((await rows.count()) >= 7 ? rows.count() : 0), {
        timeout: T,
        message: 'at least 7 demo conversations in the list',
      });
      assert.ok(n >= 7, `expected the demo's 7 seeded conversations, saw ${n}`);
      assert.equal(page.url().includes(token), false, 'the token is removed from the address bar');
      // One demo account per provider, each with a conversation the list names it on.
      const chips = page.locator('[data-testid=conversation-item] [data-testid=item-provider]');
      const providers = await waitFor(
        async () => {
          const seen = new Set(await chips.evaluateAll((els) => els.map((e) => e.getAttribute('data-provider'))));
          return seen.size === PROVIDERS.length ? seen : null;
        },
        { timeout: T, message: `conversations of each of ${PROVIDERS.join(', ')} in the list` },
      );
      assert.deepEqual([...providers].sort(), [...PROVIDERS].sort());
    }),
  );

  test(
    'the overview screenshot: every provider in the list, a hand-off open',
    run(async () => {
      const view = await openDemo('zchat', 'Carla Mendes');
      await expectHandoff(view, 'accepted', ['queued', 'accepted']);
      await view.locator('[data-testid=message][data-direction=inbound]', { hasText: 'Aqui é a Renata' }).waitFor();
      await screenshot(SCREENSHOT);
    }),
  );

  // Each run has its own data directory and simulator: a random order number keeps the texts
  // distinct from the demo's own while reading naturally in the screenshots.
  const order = 10000 + Math.floor(Math.random() * 90000);
  const inboundText = `Olá, preciso de ajuda com o pedido #${order}`;
  const replyText = `Claro! Já estou verificando o pedido #${order}.`;

  test(
    'a customer writes in, the agent opens the conversation and replies through the provider',
    run(async () => {
      await sim.inbound({ ...CUSTOMER, text: inboundText });

      const row = page.locator('[data-testid=conversation-item]', { hasText: inboundText });
      await row.waitFor({ state: 'visible' });
      await row.locator('[data-testid=unread-badge]').waitFor({ state: 'visible' });

      await row.click();
      const view = page.locator('[data-testid=conversation-view]');
      await view.waitFor({ state: 'visible' });
      await waitFor(async () => (await view.locator('[data-testid=conversation-title]').textContent())?.trim() === CUSTOMER.sender_name, {
        timeout: T,
        message: `the conversation title to be "${CUSTOMER.sender_name}"`,
      });
      await view
        .locator('[data-testid=message][data-direction=inbound]', { hasText: inboundText })
        .waitFor({ state: 'visible' });

      const input = page.locator('[data-testid=composer-input]');
      await input.fill(replyText);
      await page.locator('[data-testid=composer-send]').click();

      const out = view.locator('[data-testid=message][data-direction=outbound]', { hasText: replyText });
      await out.waitFor({ state: 'visible' });
      const status = await waitFor(
        async () => {
          const s = await out.getAttribute('data-status');
          if (s === 'failed') throw Object.assign(new Error('the reply bubble shows data-status="failed"'), { fatal: true });
          return ['sent', 'delivered', 'read'].includes(s) ? s : null;
        },
        { timeout: T, message: 'the reply to reach data-status="sent"' },
      );
      assert.ok(status, 'reply status');

      const sent = await sim.waitForSentText(replyText);
      assert.deepEqual(sent, expectedSend(replyText));
    }),
  );


  test(
    'mConnect: a group conversation names each member above their message',
    run(async () => {
      const view = await openDemo('mconnect', 'Revendedores Sul');
      const senders = view.locator('[data-testid=message][data-direction=inbound] [data-testid=message-sender]');
      const names = await waitFor(
        async () => {
          const seen = (await senders.allTextContents()).map((x) => x.trim());
          return ['Carlos Menezes', 'Beatriz Rocha'].every((n) => seen.includes(n)) ? seen : null;
        },
        { timeout: T, message: 'the group members Carlos Menezes and Beatriz Rocha named on their messages' },
      );
      assert.ok(names.length >= 2, `senders: ${names}`);
      await view
        .locator('[data-testid=message][data-direction=inbound]', { hasText: 'a nota fiscal do pedido 3390' })
        .waitFor({ state: 'visible' });
      await providerShot('mconnect');
    }),
  );

  test(
    'ZChat: the hand-off banner, its queued and accepted lines, the agent\'s answer; a reply reaches ZChat',
    run(async () => {
      const view = await openDemo('zchat', 'Carla Mendes');
      await expectHandoff(view, 'accepted', ['queued', 'accepted']);
      await view
        .locator('[data-testid=message][data-direction=outbound]', { hasText: 'Quero negociar a fatura de outubro' })
        .waitFor({ state: 'visible' });
      const answer = view.locator('[data-testid=message][data-direction=inbound]', { hasText: 'Aqui é a Renata' });
      await answer.waitFor({ state: 'visible' });
      await view.locator('[data-testid=message-sender]', { hasText: 'Renata Alves' }).first().waitFor({ state: 'visible' });

      const reply = 'Perfeito, pode ser em 3 vezes.';
      await replyFromTheUi(view, reply);
      const sent = await sim.waitForRequest(
        (r) =>
          r.provider === 'zchat' &&
          r.method === 'POST' &&
          /^\/zchat\/core\/api\/v1\/interactions\/[0-9a-f-]+\/messages$/.test(r.path) &&
          r.body?.content === reply,
        `the ZChat message "${reply}"`,
      );
      assert.equal(sent.body.type, 'text');
      assert.equal(typeof sent.body.token, 'string', 'the message carries the account token');
      await providerShot('zchat');
    }),
  );

  test(
    'Omnize: a WhatsApp hand-off with its first message, the banner, the event lines and the agent\'s reply',
    run(async () => {
      const view = await openDemo('omnize', 'Paulo Henrique Dias');
      await expectHandoff(view, 'accepted', ['queued', 'accepted']);
      const first = view.locator('[data-testid=message][data-direction=outbound]', { hasText: 'tela trincada' });
      await first.waitFor({ state: 'visible' });
      assert.ok(['sent', 'delivered', 'read'].includes(await first.getAttribute('data-status')), 'the first message went out');
      await view
        .locator('[data-testid=message][data-direction=inbound]', { hasText: 'Sinto muito pelo transtorno' })
        .waitFor({ state: 'visible' });
      await view.locator('[data-testid=message-sender]', { hasText: 'Lívia Prado' }).first().waitFor({ state: 'visible' });
      await providerShot('omnize');
    }),
  );

  test(
    'Cirrus: the customer\'s messages and an event the inbox does not recognise, with its raw payload',
    run(async () => {
      const view = await openDemo('cirrus', 'Fernanda Lima');
      await view
        .locator('[data-testid=message][data-direction=inbound]', { hasText: 'Vocês entregam no sábado?' })
        .waitFor({ state: 'visible' });
      const unknown = view.locator('[data-testid=message-unrecognised]', { hasText: 'session.transferred' });
      await unknown.waitFor({ state: 'visible' });
      await unknown.locator('summary').click();
      const raw = unknown.locator('pre');
      await raw.waitFor({ state: 'visible' });
      const text = await raw.textContent();
      assert.match(text, /"toTeam": "Logística"/, 'the raw payload is shown');
      await providerShot('cirrus');
    }),
  );

  test(
    'Wegly: the template that opened the chat, the customer\'s reaction, the 24-hour window; a reply reaches Wegly',
    run(async () => {
      const view = await openDemo('wegly', 'Juliana Costa');
      const template = view.locator('[data-testid=message][data-kind=template]');
      await template.locator('[data-testid=message-template]', { hasText: 'pedido_enviado' }).waitFor({ state: 'visible' });
      await template.filter({ hasText: '👍' }).waitFor({ state: 'visible' });
      const timer = view.locator('[data-testid=window-timer]');
      await timer.waitFor({ state: 'visible' });
      assert.equal(await timer.getAttribute('data-state'), 'open', 'the customer wrote: the window is open');
      await view
        .locator('[data-testid=message][data-direction=inbound]', { hasText: 'mudar o endereço de entrega' })
        .waitFor({ state: 'visible' });

      const reply = 'Claro, Juliana! Qual é o novo endereço?';
      await replyFromTheUi(view, reply);
      const sent = await sim.waitForRequest(
        (r) =>
          r.provider === 'wegly' &&
          r.method === 'POST' &&
          /^\/wegly\/chats\/[0-9a-f-]+\/messages$/.test(r.path) &&
          r.body?.body === reply,
        `the Wegly message "${reply}"`,
      );
      assert.equal(sent.body.type, 'text');
      await providerShot('wegly');
    }),
  );

  test(
    'message text is rendered as text, never as HTML',
    run(async () => {
      const evil = `<img src=x onerror="window.__xss=1">bold <b>x</b>`;
      await sim.inbound({ ...CUSTOMER, text: evil });

      const view = await openDemo('mconnect', CUSTOMER.sender_name);
      const body = view.locator('[data-testid=message][data-direction=inbound] [data-testid=message-body]', {
        hasText: 'onerror=',
      });
      await body.first().waitFor({ state: 'visible' });
      assert.equal(await body.first().textContent(), evil);
      // Give a (wrongly) injected <img> time to error and run its handler.
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', 'window.__xss was set: HTML was injected');
      assert.equal(await page.locator('img[src="x"]').count(), 0, 'an <img src=x> element exists: HTML was injected');
      assert.equal(await view.locator('[data-testid=message-body] b').count(), 0, 'a <b> element was rendered from message text');
    }),
  );
});
