// One browser session for a browser end-to-end spec file: inboxd in demo mode
// (with its in-process provider simulator) serving the built web UI, and
// Debian's Chromium driven through playwright-core. Each spec file under
// tests/browser/ starts its own (fresh data directory, fresh simulator), so the
// files are independent of each other and of their order.
//
//   const s = browserSession({ name: 'search' });
//   before(s.start); after(s.stop);
//   test('…', s.run(async () => { await s.open(); … }));

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

import {
  REPO_ROOT,
  Child,
  Sim,
  debugBinary,
  freePorts,
  tempDir,
  runCleanups,
  storySteps,
  waitFor,
  withReports,
} from './harness.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const UI_DIR = path.join(REPO_ROOT, 'ui', 'dist');
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
/** Default UI wait, ms. */
export const T = 20000;

/**
 * A session: `start` and `stop` for `before`/`after`, `run` wraps each test (a
 * failure stops the following steps and reports the page, the browser console
 * and inboxd's output), and helpers over the page.
 *
 * Options: `name` (used for the failure screenshot), `viewport`
 * ({width, height}, default 1280×800), `locale` ('en' or 'pt-BR': the UI's
 * language is chosen before the first load).
 */
export function browserSession({ name, viewport = { width: 1280, height: 800 }, locale = 'en' } = {}) {
  const failureShot = path.join(REPO_ROOT, 'tests', 'browser', 'output', `${name ?? 'failure'}-failure.png`);
  const cleanups = [];
  const browserLog = [];
  const token = randomBytes(24).toString('hex');
  const s = {
    token,
    /** The inboxd base URL, e.g. http://127.0.0.1:41234 */
    base: '',
    /** The simulator's control API (see harness.mjs `Sim`). */
    sim: null,
    inboxd: null,
    context: null,
    page: null,
    dataDir: '',
  };

  s.run = storySteps(
    () => [s.inboxd],
    async () => {
      const page = s.page;
      if (page) {
        try {
          const text = await page.evaluate(() => document.body?.innerText ?? '');
          console.error(`page at failure: ${page.url().replace(/token=[^&]+/, 'token=…')}\n----- page text -----\n${text.slice(0, 1500)}\n-----`);
          mkdirSync(path.dirname(failureShot), { recursive: true });
          await page.screenshot({ path: failureShot });
          console.error(`failure screenshot: ${failureShot}`);
        } catch (e) {
          console.error(`could not read the page: ${e.message}`);
        }
      }
      if (browserLog.length) console.error(`----- browser console/page errors -----\n${browserLog.slice(-60).join('\n')}`);
    },
  );

  s.start = async () => {
    rmSync(failureShot, { force: true });
    const bin = debugBinary('inboxd', 'cargo build -p inboxd');
    if (!existsSync(path.join(UI_DIR, 'index.html'))) {
      throw new Error(`prerequisite missing: ${UI_DIR}/index.html — build the UI first (cd ui && npm run build)`);
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`prerequisite missing: ${CHROMIUM} — install Debian's chromium (scripts/setup.sh --test)`);
    }
    const data = tempDir('inboxd-data');
    cleanups.push(data.cleanup);
    s.dataDir = data.dir;
    const [port, simPort] = await freePorts(2);
    s.base = `http://127.0.0.1:${port}`;
    s.sim = new Sim(`127.0.0.1:${simPort}`);
    s.inboxd = new Child(
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
      () => [s.inboxd],
      () => s.inboxd.waitForLine(new RegExp(`inboxd listening on http://127\\.0\\.0\\.1:${port}\\b`), 60000),
    );
    const profile = tempDir('chromium-profile');
    cleanups.push(profile.cleanup);
    s.context = await chromium.launchPersistentContext(profile.dir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      locale,
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
    s.context.setDefaultTimeout(T);
    s.page = s.context.pages()[0] ?? (await s.context.newPage());
    s.page.on('console', (m) => browserLog.push(`[console.${m.type()}] ${m.text()}`));
    s.page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
    s.page.on('requestfailed', (r) => browserLog.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  };

  s.stop = async () => {
    if (s.context) await s.context.close().catch((e) => console.error(`closing Chromium: ${e.message}`));
    if (s.inboxd) await s.inboxd.stop();
    runCleanups(cleanups);
  };

  /** GET/POST/… on inboxd's API with the bearer token; answers the parsed JSON (or null for 204). */
  s.api = async (method, route, body) => {
    const res = await fetch(`${s.base}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /api${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };

  /** Loads the UI (with the token) and waits for the demo's conversations. `hash` is appended after the token. */
  s.open = async (hash = '') => {
    const page = s.page;
    await page.goto(`${s.base}/#token=${token}${hash}`, { waitUntil: 'domcontentloaded', timeout: 30000 });
    await page.locator('[data-testid=demo-banner]').waitFor({ state: 'visible', timeout: 30000 });
    const rows = page.locator('[data-testid=conversation-item]');
    await waitFor(async () => (await rows.count()) >= 7, { timeout: 30000, message: "the demo's seeded conversations in the list" });
  };

  /** Opens the demo conversation `title` (of `provider` when given) from the list; answers the conversation view. */
  s.openConversation = async (title, provider) => {
    const page = s.page;
    let row = page.locator('[data-testid=conversation-item]', { hasText: title });
    if (provider) row = row.filter({ has: page.locator(`[data-testid=item-provider][data-provider=${provider}]`) });
    row = row.first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    const view = page.locator('[data-testid=conversation-view]');
    await view.waitFor({ state: 'visible' });
    await waitFor(async () => (await view.locator('[data-testid=conversation-title]').textContent())?.trim() === title, {
      timeout: T,
      message: `the open conversation to be "${title}"`,
    });
    return view;
  };

  /** A screenshot under docs/screenshots/ once the page's images have loaded. */
  s.screenshot = async (file) => {
    const target = path.isAbsolute(file) ? file : path.join(SCREENSHOTS, file);
    mkdirSync(path.dirname(target), { recursive: true });
    await s.page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: T });
    await s.page.screenshot({ path: target });
    return target;
  };

  return s;
}
