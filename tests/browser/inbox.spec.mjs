// Browser end-to-end test: the headless server `inboxd` in demo mode (with its
// in-process provider simulator) serving the built web UI, driven in Debian's
// Chromium through playwright-core.
//
// Needs: target/debug/inboxd (cargo build -p inboxd), ui/dist (npm run build
// in ui/), /usr/bin/chromium (scripts/setup.sh --test).
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
  uniqueId,
  waitFor,
  withReports,
} from '../lib/harness.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const UI_DIR = path.join(REPO_ROOT, 'ui', 'dist');
const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'screenshot.png');
const FAILURE_SHOT = path.join(REPO_ROOT, 'tests', 'browser', 'output', 'failure.png');
const T = 20000; // default UI wait, ms

describe('browser: inboxd demo in Chromium', () => {
  let inboxd;
  let context;
  let page;
  let sim;
  let base;
  const token = randomBytes(24).toString('hex');
  const cleanups = [];
  const browserLog = [];

  // The tests are steps of one story: once one fails, the later ones fail at
  // once instead of each waiting out its timeouts.
  let broken = null;
  const run = (fn) => () => {
    if (broken) throw new Error(`not run: an earlier step failed (${broken})`);
    return withReports(
      () => [inboxd],
      async () => {
        try {
          return await fn();
        } catch (err) {
          broken = err.message.split('\n')[0];
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
          throw err;
        }
      },
    );
  };

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
    for (const c of cleanups.reverse()) {
      try {
        c();
      } catch (e) {
        console.error(`cleanup: ${e.message}`);
      }
    }
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
      const n = await waitFor(async () => ((await rows.count()) >= 3 ? rows.count() : 0), {
        timeout: T,
        message: 'at least 3 demo conversations in the list',
      });
      assert.ok(n >= 3, `expected the demo's 3 seeded conversations, saw ${n}`);
      assert.equal(page.url().includes(token), false, 'the token is removed from the address bar');
    }),
  );

  const inboundText = `Olá, preciso de ajuda com o pedido ${uniqueId()}`;
  const replyText = `Claro! Já estou verificando ${uniqueId()}`;

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

      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }),
  );

  test(
    'message text is rendered as text, never as HTML',
    run(async () => {
      const evil = `<img src=x onerror="window.__xss=1">bold <b>x</b>`;
      await sim.inbound({ ...CUSTOMER, text: evil });

      const view = page.locator('[data-testid=conversation-view]');
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
