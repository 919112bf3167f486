// Desktop end-to-end test: the real Tauri app (target/debug/agent-inbox) in
// demo mode, driven through tauri-driver (WebKitWebDriver) with
// selenium-webdriver.
//
// Run it the way scripts/test-all.sh does — under Xvfb, in a throw-away D-Bus
// session with an unlocked gnome-keyring, dunst as the notification server and
// dbus-monitor logging org.freedesktop.Notifications to $NOTIFY_LOG:
//
//   xvfb-run -a dbus-run-session -- scripts/test-session.sh --notify LOG -- \
//     node --test tests/desktop/app.spec.mjs
//
// (with HOME and XDG_RUNTIME_DIR set to fresh temporary directories).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Builder, By } from 'selenium-webdriver';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';

import {
  REPO_ROOT,
  Child,
  Sim,
  CUSTOMER,
  debugBinary,
  expectedSend,
  freePort,
  requireEnv,
  sleep,
  tempDir,
  uniqueId,
  waitFor,
  waitForPort,
  waitForPortClosed,
  which,
  runCleanups,
  storySteps,
  withReports,
} from '../lib/harness.mjs';

const DRIVER_PORT = 4444;
const OUTPUT_DIR = path.join(REPO_ROOT, 'tests', 'desktop', 'output');
const SCREENSHOT = path.join(OUTPUT_DIR, 'desktop.png');
const T = 30000; // default UI wait, ms (WebKit under Xvfb is slow to start)

/** Promise that rejects after `ms` with `what` in the message. */
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The D-Bus messages in a dbus-monitor log, one string per message (header
 * line plus its indented arguments).
 */
function dbusMessages(log) {
  const msgs = [];
  for (const line of log.split('\n')) {
    if (/^\S/.test(line)) msgs.push(line);
    else if (msgs.length) msgs[msgs.length - 1] += `\n${line}`;
  }
  return msgs;
}

describe('desktop: agent-inbox demo under tauri-driver', () => {
  let driverProc;
  let driver;
  let sim;
  let notifyLog;
  let appLog;
  const cleanups = [];

  // The tests are steps of one story (see `storySteps`).
  const run = storySteps(
    () => [driverProc],
    async () => {
      if (driver) {
        try {
          const where = await within(
            10000,
            'reading the page',
            driver.executeScript('return [location.href, document.body ? document.body.innerText : ""];'),
          );
          console.error(`page at failure: ${where[0]}\n----- page text -----\n${String(where[1]).slice(0, 1500)}\n-----`);
          if (/^https?:\/\/localhost:\d+/.test(where[0])) {
            console.error(
              'HINT: the app loaded its devUrl instead of the embedded ui/dist: a plain `cargo build` of a Tauri app ' +
                "is a dev build unless tauri's custom-protocol feature is on (src-tauri/Cargo.toml).",
            );
          }
        } catch (e) {
          console.error(`could not read the page: ${e.message}`);
        }
        try {
          mkdirSync(OUTPUT_DIR, { recursive: true });
          const png = await within(10000, 'failure screenshot', driver.takeScreenshot());
          writeFileSync(path.join(OUTPUT_DIR, 'failure.png'), png, 'base64');
          console.error(`failure screenshot: ${path.join(OUTPUT_DIR, 'failure.png')}`);
        } catch (e) {
          console.error(`could not take a failure screenshot: ${e.message}`);
        }
      }
      if (notifyLog) {
        try {
          console.error(`----- ${notifyLog} -----\n${readFileSync(notifyLog, 'utf8').slice(-4000)}`);
        } catch {
          // no log
        }
      }
      if (appLog) {
        try {
          const lines = readFileSync(appLog, 'utf8').split('\n');
          console.error(`----- app log (last 80 lines of ${lines.length}) -----\n${lines.slice(-80).join('\n')}\n----- end of app log -----`);
        } catch {
          // no log yet
        }
      }
    },
  );

  // Matches on textContent: WebDriver's getText() gives only the rendered
  // text, which CSS ellipsis (the list's previews) cuts short.
  const findWithText = (css, text) =>
    driver.executeScript(
      'return [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.includes(arguments[1])) || null;',
      css,
      text,
    );

  const waitForCss = (css, timeout = T) =>
    waitFor(
      async () => {
        const els = await driver.findElements(By.css(css));
        for (const el of els) if (await el.isDisplayed()) return el;
        return null;
      },
      { timeout, interval: 250, message: `a visible ${css}` },
    );

  const waitForText = (css, text, timeout = T) =>
    waitFor(() => findWithText(css, text), { timeout, interval: 250, message: `a ${css} containing "${text}"` });

  before(async () => {
    rmSync(path.join(OUTPUT_DIR, 'failure.png'), { force: true });
    const app = debugBinary('agent-inbox', 'ui: npm run build, then cargo build -p agent-inbox');
    requireEnv('DISPLAY', 'run under xvfb-run');
    requireEnv('DBUS_SESSION_BUS_ADDRESS', 'run under dbus-run-session');
    notifyLog = requireEnv('NOTIFY_LOG', 'run under scripts/test-session.sh --notify LOGFILE');
    const tauriDriver = which('tauri-driver');
    if (!tauriDriver) throw new Error('prerequisite missing: tauri-driver is not on PATH (scripts/setup.sh --test)');
    if (!which('WebKitWebDriver')) {
      throw new Error('prerequisite missing: WebKitWebDriver is not on PATH (package webkit2gtk-driver; scripts/setup.sh --test)');
    }
    await waitForPortClosed(DRIVER_PORT, { timeout: 3000 }).catch(() => {
      throw new Error(`port ${DRIVER_PORT} is already in use: another tauri-driver is running?`);
    });

    const data = tempDir('app-data');
    cleanups.push(data.cleanup);
    // tauri-driver discards the output of what it starts: launch the app
    // through a wrapper that keeps its log, shown when a test fails.
    const runDir = tempDir('app-run');
    cleanups.push(runDir.cleanup);
    appLog = path.join(runDir.dir, 'app.log');
    const wrapper = path.join(runDir.dir, 'agent-inbox-logged');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${app.replaceAll("'", "'\\''")}' "$@" >>'${appLog}' 2>&1\n`, { mode: 0o755 });
    const simPort = await freePort();
    sim = new Sim(`127.0.0.1:${simPort}`);

    // The app is started by WebKitWebDriver, a child of tauri-driver: it
    // inherits this environment.
    Object.assign(process.env, {
      AGENT_INBOX_DATA_DIR: data.dir,
      AGENT_INBOX_DEMO: '1',
      INBOX_SIM_ADDR: `127.0.0.1:${simPort}`,
      AGENT_INBOX_WEBHOOK_LISTEN: '127.0.0.1:0',
      RUST_LOG: process.env.RUST_LOG || 'info',
      NO_COLOR: '1',
    });
    // Leave WEBKIT_DISABLE_DMABUF_RENDERER / WEBKIT_DISABLE_COMPOSITING_MODE
    // unset: under Xvfb either makes every WebDriver screenshot take ~55 s,
    // and the page renders fine without them.

    driverProc = new Child('tauri-driver', tauriDriver, ['--port', String(DRIVER_PORT)], { env: process.env });
    await withReports(() => [driverProc], () => waitForPort(DRIVER_PORT, { timeout: 30000, proc: driverProc }));

    appWrapper = wrapper;
    driver = await startApp();
  });

  let appWrapper;
  /** A WebDriver session, which starts the app (on the same data folder each time). */
  const startApp = () =>
    withReports(
      () => [driverProc],
      () =>
        within(
          90000,
          'creating the WebDriver session (starting the app)',
          new Builder()
            .usingServer(`http://127.0.0.1:${DRIVER_PORT}/`)
            .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appWrapper } })
            .build(),
        ),
    );

  after(async () => {
    if (driver) {
      await within(20000, 'closing the WebDriver session', driver.quit()).catch((e) =>
        console.error(`closing the session: ${e.message}`),
      );
    }
    if (driverProc) await driverProc.stop();
    if (appLog) {
      try {
        mkdirSync(OUTPUT_DIR, { recursive: true });
        copyFileSync(appLog, path.join(OUTPUT_DIR, 'app.log'));
      } catch {
        // the app never started
      }
    }
    runCleanups(cleanups);
  });

  test(
    'the demo banner and the seeded conversations show',
    run(async () => {
      await waitForCss('[data-testid=demo-banner]', 60000);
      const n = await waitFor(
        async () => {
          const rows = await driver.findElements(By.css('[data-testid=conversation-item]'));
          return rows.length >= 3 ? rows.length : 0;
        },
        { timeout: T, message: 'at least 3 demo conversations in the list' },
      );
      assert.ok(n >= 3);
    }),
  );

  const inboundText = `Bom dia, meu pedido não chegou ${uniqueId()}`;
  const replyText = `Vou verificar agora mesmo ${uniqueId()}`;

  test(
    'an inbound message appears in the list and raises a desktop notification',
    run(async () => {
      // The app notifies only while its window is not focused. Under Xvfb
      // with no window manager the window holds the X input focus (the
      // pointer rests inside it), so do what an agent does when switching to
      // another program: minimize it. The next test brings it back.
      const focusedBefore = await driver.executeScript('return document.hasFocus()');
      await within(15000, 'minimizing the window', driver.manage().window().minimize());
      const focused = await waitFor(
        async () => !(await driver.executeScript('return document.hasFocus()')),
        { timeout: 5000, message: 'the page to lose focus after minimizing' },
      ).then(
        () => false,
        () => true,
      );
      console.log(`# document.hasFocus(): ${focusedBefore} before minimizing, ${focused} after`);

      await sim.inbound({ ...CUSTOMER, text: inboundText });
      await waitForText('[data-testid=conversation-item]', inboundText);

      const notify = await waitFor(
        () => {
          const msgs = dbusMessages(readFileSync(notifyLog, 'utf8'));
          return msgs.find(
            (m) =>
              m.startsWith('method call') &&
              m.includes('member=Notify') &&
              (m.includes(inboundText) || m.includes(CUSTOMER.sender_name)),
          );
        },
        {
          timeout: 20000,
          interval: 250,
          message: `an org.freedesktop.Notifications.Notify call mentioning "${inboundText}" or "${CUSTOMER.sender_name}" in ${notifyLog}` +
            (focused ? ' (note: the window reported focus, and the app notifies only when unfocused)' : ''),
        },
      );
      assert.ok(notify);
    }),
  );

  test(
    'the agent opens the conversation and the reply reaches the provider',
    run(async () => {
      // Bring the window back (setting its rect restores a minimized window).
      await within(15000, 'restoring the window', driver.manage().window().setRect({ width: 1200, height: 800 }));
      const row = await waitForText('[data-testid=conversation-item]', inboundText);
      await row.click();
      await waitForCss('[data-testid=conversation-view]');
      let title;
      await waitFor(
        async () => {
          title = await driver.executeScript(
            "const el = document.querySelector('[data-testid=conversation-view] [data-testid=conversation-title]'); return el ? el.textContent : null;",
          );
          return title?.trim() === CUSTOMER.sender_name;
        },
        { timeout: T, message: () => `the conversation title to be "${CUSTOMER.sender_name}" (is: ${JSON.stringify(title)})` },
      );
      await waitForText('[data-testid=message][data-direction=inbound]', inboundText);

      const input = await waitForCss('[data-testid=composer-input]');
      await input.click();
      await input.sendKeys(replyText);
      const send = await waitForCss('[data-testid=composer-send]');
      await waitFor(async () => send.isEnabled(), { timeout: 5000, message: 'the send button to be enabled' });
      await send.click();

      await waitFor(
        async () => {
          const el = await findWithText('[data-testid=message][data-direction=outbound]', replyText);
          if (!el) return null;
          const s = await el.getAttribute('data-status');
          if (s === 'failed') throw Object.assign(new Error('the reply bubble shows data-status="failed"'), { fatal: true });
          return ['sent', 'delivered', 'read'].includes(s);
        },
        { timeout: T, message: 'the reply bubble to reach data-status="sent"' },
      );

      const sent = await sim.waitForSentText(replyText);
      assert.deepEqual(sent, expectedSend(replyText));

      await sleep(300); // let the bubble settle before the screenshot
      mkdirSync(OUTPUT_DIR, { recursive: true });
      const png = await within(15000, 'taking a screenshot', driver.takeScreenshot());
      writeFileSync(SCREENSHOT, png, 'base64');
      console.log(`# screenshot: ${SCREENSHOT}`);
    }),
  );

  /** The composer of the open conversation once its title is `title`. */
  const openConversation = async (title) => {
    const row = await waitForText('[data-testid=conversation-item]', title);
    await row.click();
    await waitFor(
      async () =>
        (
          await driver.executeScript(
            "const el = document.querySelector('[data-testid=conversation-view] [data-testid=conversation-title]'); return el ? el.textContent.trim() : null;",
          )
        ) === title,
      { timeout: T, message: `the open conversation to be "${title}"` },
    );
    return waitForCss('[data-testid=composer-input]');
  };

  test(
    'search finds a message without its accents and opens its conversation at it',
    run(async () => {
      const input = await waitForCss('[data-testid=search-input]');
      await input.click();
      await input.sendKeys('sabado');
      const hit = await waitForText('[data-testid=search-result][data-kind=message]', 'sábado');
      await hit.click();
      await waitForText('[data-testid=conversation-view] [data-testid=message][data-highlighted=true]', 'sábado');
      const title = await driver.executeScript(
        "return document.querySelector('[data-testid=conversation-view] [data-testid=conversation-title]').textContent.trim();",
      );
      assert.equal(title, 'Fernanda Lima');
    }),
  );

  test(
    'a file picked from disk reaches the provider byte for byte',
    run(async () => {
      const dir = tempDir('desktop-files');
      cleanups.push(dir.cleanup);
      const bytes = Buffer.from(`%PDF-1.4\n% Orçamento ${uniqueId()}\n%%EOF\n`, 'utf8');
      const file = path.join(dir.dir, 'Orcamento.pdf');
      writeFileSync(file, bytes);
      await openConversation(CUSTOMER.sender_name);
      await waitForCss('[data-testid=attach-files]');
      // The picker's input is hidden behind its button; WebDriver types the path into it.
      await driver.executeScript("document.querySelector('[data-testid=attach-input]').style.display = 'block';");
      const picker = await driver.findElement(By.css('[data-testid=attach-input]'));
      await picker.sendKeys(file);
      await waitFor(
        async () =>
          driver.executeScript(
            "const items = document.querySelectorAll('[data-testid=attachment-item]'); return items.length === 1 && !document.querySelector('[data-testid=attachment-item][data-state=uploading]');",
          ),
        { timeout: T, interval: 250, message: 'the file attached and stored' },
      );
      const send = await waitForCss('[data-testid=composer-send]');
      await send.click();
      const got = await sim.waitForRequest(
        (r) => r.provider === 'mconnect' && r.media && r.body?.element_data?.filename === 'Orcamento.pdf',
        'the PDF fetched by mConnect',
        T,
      );
      assert.equal(got.media.status, 200);
      assert.equal(got.media.len, bytes.length, 'the length the provider got');
      assert.equal(got.media.sha256, createHash('sha256').update(bytes).digest('hex'), 'the bytes the provider got');
      await waitFor(
        async () => {
          const el = await findWithText('[data-testid=message][data-direction=outbound]', 'Orcamento.pdf');
          return el && ['sent', 'delivered', 'read'].includes(await el.getAttribute('data-status'));
        },
        { timeout: T, interval: 250, message: 'the file shown as sent' },
      );
    }),
  );

  const draftText = `Oi Carla, estou conferindo a fatura ${uniqueId()}`;

  test(
    'a half-written reply survives a restart of the app',
    run(async () => {
      const input = await openConversation('Carla Mendes');
      await input.click();
      await input.sendKeys(draftText);
      // Opening another conversation saves the draft; the list then says so.
      await openConversation('Fernanda Lima');
      await waitFor(
        async () => {
          const row = await findWithText('[data-testid=conversation-item]', 'Carla Mendes');
          return row && (await row.findElements(By.css('[data-testid=item-draft]'))).length === 1;
        },
        { timeout: T, interval: 250, message: 'the list to show the draft on Carla Mendes' },
      );

      await within(20000, 'closing the app', driver.quit());
      driver = null;
      // The demo's simulator runs inside the app: its port is free once the app has exited.
      const simPort = Number(new URL(sim.base).port);
      await waitForPortClosed(simPort, { timeout: 20000 });
      driver = await startApp();
      await waitForCss('[data-testid=demo-banner]', 60000);
      const again = await openConversation('Carla Mendes');
      await waitFor(async () => (await again.getAttribute('value')) === draftText, {
        timeout: T,
        interval: 250,
        message: 'the draft back in the composer after the restart',
      });
    }),
  );
});

// A start-up that fails shows why instead of exiting: a garbage file as the database gives the
// "damaged database" screen; moving it aside restarts the app (a new process, outside the
// WebDriver session), which opens normally on a fresh database beside the kept damaged file.
describe('desktop: a damaged database is shown, moved aside, and the app starts again', () => {
  let driverProc;
  let driver;
  let appLog;
  let app;
  let data;
  let damagedWrapper;
  const damaged = 'this is not a SQLite database, just text in its place\n'.repeat(40);
  const cleanups = [];

  const run = storySteps(
    () => [driverProc],
    async () => {
      if (driver) {
        try {
          const text = await within(10000, 'reading the page', driver.executeScript('return document.body.innerText;'));
          console.error(`----- page text -----\n${String(text).slice(0, 1500)}\n-----`);
          mkdirSync(OUTPUT_DIR, { recursive: true });
          const png = await within(10000, 'failure screenshot', driver.takeScreenshot());
          writeFileSync(path.join(OUTPUT_DIR, 'startup-failure-failed.png'), png, 'base64');
        } catch (e) {
          console.error(`could not read the page: ${e.message}`);
        }
      }
      if (appLog && existsSync(appLog)) {
        console.error(`----- app log -----\n${readFileSync(appLog, 'utf8').split('\n').slice(-60).join('\n')}\n-----`);
      }
    },
  );

  /** A launcher that starts the app on `dataDir`, logging to `appLog` (restarts included). */
  function launcher(name, dataDir, simPort) {
    const q = (v) => `'${String(v).replaceAll("'", "'\\''")}'`;
    const file = path.join(path.dirname(appLog), name);
    writeFileSync(
      file,
      '#!/bin/sh\n' +
        `export AGENT_INBOX_DATA_DIR=${q(dataDir)} AGENT_INBOX_DEMO=1 INBOX_SIM_ADDR=127.0.0.1:${simPort} ` +
        'AGENT_INBOX_WEBHOOK_LISTEN=127.0.0.1:0 RUST_LOG=info NO_COLOR=1\n' +
        `exec ${q(app)} "$@" >>${q(appLog)} 2>&1\n`,
      { mode: 0o755 },
    );
    return file;
  }

  const session = (application) =>
    within(
      90000,
      'creating the WebDriver session (starting the app)',
      new Builder()
        .usingServer(`http://127.0.0.1:${DRIVER_PORT}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application } })
        .build(),
    );

  async function endSession() {
    if (!driver) return;
    const d = driver;
    driver = null;
    await within(20000, 'closing the WebDriver session', d.quit()).catch((e) => console.error(`closing the session: ${e.message}`));
  }

  /** Ids of the running app processes (not their web views) started on `dataDir`. */
  function appProcesses(dataDir) {
    const wanted = `AGENT_INBOX_DATA_DIR=${dataDir}`;
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return (
            readlinkSync(`/proc/${p}/exe`) === app && readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(wanted)
          );
        } catch {
          return false; // gone, or not ours to read
        }
      })
      .map(Number);
  }

  const logLines = (re) => (existsSync(appLog) ? readFileSync(appLog, 'utf8').split('\n').filter((l) => re.test(l)) : []);

  const visible = async (css) => {
    for (const el of await driver.findElements(By.css(css))) if (await el.isDisplayed()) return el;
    return null;
  };
  const waitForCss = (css, timeout = T) => waitFor(() => visible(css), { timeout, interval: 250, message: `a visible ${css}` });
  const chooseLanguage = (code) =>
    driver.executeScript(
      "const s = document.querySelector('[data-testid=lang-switch]'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));",
      code,
    );
  const textOf = (css) => driver.executeScript('const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;', css);

  before(async () => {
    app = debugBinary('agent-inbox', 'ui: npm run build, then cargo build -p agent-inbox');
    requireEnv('DISPLAY', 'run under xvfb-run');
    requireEnv('DBUS_SESSION_BUS_ADDRESS', 'run under dbus-run-session');
    const tauriDriver = which('tauri-driver');
    if (!tauriDriver) throw new Error('prerequisite missing: tauri-driver is not on PATH (scripts/setup.sh --test)');
    await waitForPortClosed(DRIVER_PORT, { timeout: 10000 });

    data = tempDir('damaged-data');
    cleanups.push(data.cleanup);
    writeFileSync(path.join(data.dir, 'inbox.db'), damaged);
    const runDir = tempDir('damaged-run');
    cleanups.push(runDir.cleanup);
    appLog = path.join(runDir.dir, 'app.log');
    damagedWrapper = launcher('agent-inbox-damaged', data.dir, await freePort());

    driverProc = new Child('tauri-driver', tauriDriver, ['--port', String(DRIVER_PORT)], { env: process.env });
    await withReports(() => [driverProc], () => waitForPort(DRIVER_PORT, { timeout: 30000, proc: driverProc }));
    driver = await withReports(() => [driverProc], () => session(damagedWrapper));
  });

  after(async () => {
    await endSession();
    // Whatever this story started that is still running (a restarted app is no child of ours).
    for (const pid of data ? appProcesses(data.dir) : []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (driverProc) await driverProc.stop();
    if (appLog && existsSync(appLog)) copyFileSync(appLog, path.join(OUTPUT_DIR, 'startup-app.log'));
    runCleanups(cleanups);
  });

  test(
    'the window says the database is damaged, where it is, and what to do, in English and Portuguese',
    run(async () => {
      await waitForCss('[data-testid=startup-error][data-kind=corrupt_database]', 60000);
      await waitForCss('[data-testid=lang-switch]');
      await chooseLanguage('en');
      await waitFor(async () => (await textOf('[data-testid=startup-title]')) === "The inbox's database is damaged", {
        timeout: 5000,
        message: 'the English title',
      });
      assert.match(await textOf('[data-testid=startup-body]'), /damaged or is not a database.*kept, renamed, in the same folder/);
      assert.equal(await textOf('[data-testid=startup-path]'), path.join(data.dir, 'inbox.db'));
      assert.match(await textOf('[data-testid=startup-detail]'), /not a database/);
      assert.equal(await textOf('[data-testid=startup-move-aside]'), 'Move the damaged file aside and start again');
      assert.equal(await textOf('[data-testid=startup-quit]'), 'Quit');
      assert.equal(await visible('[data-testid=startup-retry]'), null, 'trying again cannot mend a damaged file');

      await (await waitForCss('[data-testid=startup-copy]')).click();
      await waitFor(async () => (await textOf('[data-testid=startup-copy]')) === 'Copied', {
        timeout: 5000,
        message: 'the copy button to say "Copied"',
      });

      await chooseLanguage('pt-BR');
      await waitFor(
        async () => (await textOf('[data-testid=startup-title]')) === 'O banco de dados da caixa de entrada está danificado',
        { timeout: 5000, message: 'the Portuguese title' },
      );
      assert.equal(await textOf('[data-testid=startup-move-aside]'), 'Mover o arquivo danificado para o lado e recomeçar');
      await chooseLanguage('en');
      await waitFor(async () => (await textOf('[data-testid=startup-quit]')) === 'Quit', { timeout: 5000, message: 'English again' });

      await sleep(500); // let the last change paint before the screenshot
      mkdirSync(OUTPUT_DIR, { recursive: true });
      const png = await within(15000, 'taking a screenshot', driver.takeScreenshot());
      writeFileSync(path.join(OUTPUT_DIR, 'startup-failure.png'), png, 'base64');
      console.log(`# screenshot: ${path.join(OUTPUT_DIR, 'startup-failure.png')}`);
      assert.equal(logLines(/the engine did not open/).length, 1);
    }),
  );

  test(
    'moving the damaged file aside keeps it and starts the app again on a fresh database',
    run(async () => {
      const first = appProcesses(data.dir);
      assert.equal(first.length, 1, `one app running on the data folder (${first})`);
      await (await waitForCss('[data-testid=startup-move-aside]')).click();

      // The app starts itself again: a new process, which opens the engine on a new database.
      const restarted = await waitFor(
        () => {
          const pids = appProcesses(data.dir).filter((p) => !first.includes(p));
          return pids.length === 1 && logLines(/webhook receiver listening/).length >= 1 ? pids : null;
        },
        { timeout: 60000, interval: 250, message: 'the restarted app to open its engine' },
      );
      assert.equal(logLines(/moved the damaged database aside/).length, 1);
      assert.equal(logLines(/the engine did not open/).length, 1, 'the restarted app opened normally');
      await waitFor(() => appProcesses(data.dir).every((p) => !first.includes(p)), {
        timeout: 10000,
        message: 'the first app process to exit',
      });

      const files = readdirSync(data.dir);
      const kept = files.filter((f) => /^inbox\.db\.damaged-\d{8}T\d{6}Z$/.test(f));
      assert.equal(kept.length, 1, `the damaged file beside the new one: ${files}`);
      assert.equal(readFileSync(path.join(data.dir, kept[0]), 'utf8'), damaged);
      assert.ok(files.includes('inbox.db'), `a fresh database: ${files}`);

      // The restarted app is not under WebDriver: stop it, and open the app again through it.
      await endSession();
      for (const pid of restarted) process.kill(pid, 'SIGTERM');
      await waitFor(() => appProcesses(data.dir).length === 0, { timeout: 15000, message: 'the restarted app to stop' });
    }),
  );

  test(
    'the app then opens normally, in demo mode, with the damaged file still beside its database',
    run(async () => {
      driver = await session(damagedWrapper);
      await waitForCss('[data-testid=demo-banner]', 60000);
      assert.equal(await visible('[data-testid=startup-error]'), null);
      const files = readdirSync(data.dir);
      assert.ok(files.some((f) => f.startsWith('inbox.db.damaged-')), `${files}`);
      await endSession();
      await waitFor(() => appProcesses(data.dir).length === 0, { timeout: 15000, message: 'the app to stop' });
    }),
  );

  test(
    'a data folder that cannot be made is explained, and Quit ends the app',
    run(async () => {
      const blocker = path.join(data.dir, 'a-file');
      writeFileSync(blocker, '');
      const folder = path.join(blocker, 'data');
      driver = await session(launcher('agent-inbox-no-folder', folder, await freePort()));
      await waitForCss('[data-testid=startup-error][data-kind=data_folder]', 60000);
      assert.equal(await textOf('[data-testid=startup-title]'), 'Agent Inbox cannot use its data folder');
      assert.ok(await visible('[data-testid=startup-retry]'));
      assert.equal(await visible('[data-testid=startup-move-aside]'), null, 'only a damaged file is moved aside');
      assert.equal(appProcesses(folder).length, 1);
      const quit = await waitForCss('[data-testid=startup-quit]');
      // The app may be gone before WebDriver hears back from the click.
      await quit.click().catch((e) => console.log(`# the click on Quit answered: ${e.name}`));
      await waitFor(() => appProcesses(folder).length === 0, { timeout: 15000, message: 'the app to quit' });
      driver = null; // its session ended with the app
    }),
  );
});
