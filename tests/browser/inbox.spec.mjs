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
import path from 'node:path';

import { REPO_ROOT, CUSTOMER, expectedSend, waitFor } from '../lib/harness.mjs';
import { T, browserSession } from '../lib/browser.mjs';

const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'screenshot.png');
const PROVIDERS = ['mconnect', 'zchat', 'omnize', 'cirrus', 'wegly'];

describe('browser: inboxd demo in Chromium', () => {
  const s = browserSession({ name: 'inbox' });
  const { token } = s;
  let page;
  let sim;
  let base;
  const run = s.run;
  const openDemo = (provider, title) => s.openConversation(title, provider);
  const screenshot = (file) => s.screenshot(file);
  const providerShot = (provider) => s.screenshot(`${provider}.png`);

  before(async () => {
    await s.start();
    ({ page, sim, base } = s);
  });
  after(s.stop);

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
