// Shared helpers for the end-to-end tests: paths, free ports, child processes
// (started in their own process group, always killed), bounded waits and the
// provider simulator's control API.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, accessSync, constants } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Cargo's target directory: $CARGO_TARGET_DIR (relative to the repo root) or ./target. */
export function targetDir() {
  const t = process.env.CARGO_TARGET_DIR;
  if (t) return path.resolve(REPO_ROOT, t);
  return path.join(REPO_ROOT, 'target');
}

/** Path of a debug binary; throws a clear error when it has not been built. */
export function debugBinary(name, buildHint) {
  const p = path.join(targetDir(), 'debug', name);
  if (!existsSync(p)) {
    throw new Error(`prerequisite missing: ${p} does not exist — build it first (${buildHint})`);
  }
  return p;
}

/** Absolute path of an executable on PATH, or null. */
export function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

export function requireEnv(name, hint) {
  const v = process.env[name];
  if (!v) throw new Error(`prerequisite missing: environment variable ${name} is not set (${hint})`);
  return v;
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `agent-inbox-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/** A port that was free a moment ago (bind 127.0.0.1:0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Several distinct free ports. */
export async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A short unique marker for test data. */
export function uniqueId() {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Poll `fn` until it returns a truthy value (which is returned) or `timeout`
 * ms pass; then throw with `message` and the last error/value seen.
 */
export async function waitFor(fn, { timeout = 15000, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      if (err && err.fatal) throw err;
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      const what = typeof message === 'function' ? message() : message;
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(interval);
  }
}

/** Wait until something accepts TCP connections on host:port. */
export async function waitForPort(port, { host = '127.0.0.1', timeout = 30000, proc } = {}) {
  await waitFor(
    () => {
      if (proc && proc.exited) throw new Error(`${proc.name} exited (${proc.exitInfo()}) before listening on ${port}`);
      return new Promise((resolve) => {
        const s = net.connect({ host, port });
        s.setTimeout(1000);
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('timeout', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(false));
      });
    },
    { timeout, interval: 150, message: `${host}:${port} to accept connections` },
  );
}

/** Wait until nothing listens on host:port any more. */
export async function waitForPortClosed(port, { host = '127.0.0.1', timeout = 10000 } = {}) {
  await waitFor(
    () =>
      new Promise((resolve) => {
        const s = net.connect({ host, port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      }),
    { timeout, interval: 150, message: `${host}:${port} to be free` },
  );
}

/** Children still running, killed if this test process is interrupted or exits early. */
const LIVE = new Set();
function killLiveGroups() {
  for (const c of LIVE) {
    try {
      process.kill(-c.proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  LIVE.clear();
}
process.once('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killLiveGroups();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * A child process in its own process group, with its stdout/stderr kept
 * (and echoed when E2E_VERBOSE=1). `stop()` kills the whole group.
 */
export class Child {
  constructor(name, cmd, args, { env = process.env, cwd = REPO_ROOT } = {}) {
    this.name = name;
    this.cmdline = [cmd, ...args].join(' ');
    this.lines = [];
    this.exited = false;
    this.code = null;
    this.signal = null;
    this.listeners = [];
    this.proc = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.proc.pid !== undefined) LIVE.add(this);
    this.exitPromise = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exited = true;
        this.code = code;
        this.signal = signal;
        resolve();
      });
      this.proc.once('error', (err) => {
        this.lines.push(`[spawn error] ${err.message}`);
        this.exited = true;
        resolve();
      });
    });
    for (const [stream, tag] of [
      [this.proc.stdout, 'out'],
      [this.proc.stderr, 'err'],
    ]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          this.#line(tag, buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      stream.on('end', () => {
        if (buf) this.#line(tag, buf);
      });
    }
  }

  #line(tag, line) {
    this.lines.push(`[${tag}] ${line}`);
    if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
    if (process.env.E2E_VERBOSE === '1') process.stderr.write(`[${this.name}] ${line}\n`);
    for (const l of this.listeners) l(line);
  }

  exitInfo() {
    return this.signal ? `signal ${this.signal}` : `exit code ${this.code}`;
  }

  /** Resolve with the first output line matching `re` (match result). */
  waitForLine(re, timeout = 60000) {
    return new Promise((resolve, reject) => {
      for (const l of this.lines) {
        const m = l.replace(/^\[(out|err)\] /, '').match(re);
        if (m) return resolve(m);
      }
      const onLine = (line) => {
        const m = line.match(re);
        if (m) done(null, m);
      };
      const timer = setTimeout(
        () => done(new Error(`${this.name} printed no line matching ${re} within ${timeout} ms`)),
        timeout,
      );
      const onExit = () => done(new Error(`${this.name} exited (${this.exitInfo()}) before printing a line matching ${re}`));
      const exitCheck = this.exitPromise.then(onExit);
      void exitCheck;
      let finished = false;
      const done = (err, m) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== onLine);
        if (err) reject(err);
        else resolve(m);
      };
      this.listeners.push(onLine);
    });
  }

  /** The last `n` output lines, for failure reports. */
  tail(n = 120) {
    return this.lines.slice(-n).join('\n');
  }

  report(n = 120) {
    return `\n----- ${this.name} (${this.cmdline}) ${this.exited ? this.exitInfo() : 'running'}; last output lines -----\n${this.tail(n)}\n----- end of ${this.name} output -----`;
  }

  /** SIGTERM the process group, SIGKILL it after `grace` ms. */
  async stop(grace = 5000) {
    if (this.proc.pid === undefined) return;
    const pgid = -this.proc.pid;
    try {
      process.kill(pgid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = sleep(grace).then(() => 'timeout');
    if (!this.exited && (await Promise.race([this.exitPromise, timer])) === 'timeout') {
      try {
        process.kill(pgid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([this.exitPromise, sleep(2000)]);
    }
    // The leader is gone; make sure nothing else of its group lingers.
    try {
      process.kill(pgid, 'SIGKILL');
    } catch {
      // nothing left
    }
    LIVE.delete(this);
  }
}

/** Run `fn`; on failure print the given children's output, then rethrow. */
export async function withReports(children, fn) {
  try {
    return await fn();
  } catch (err) {
    for (const c of children()) {
      if (c) console.error(c.report());
    }
    throw err;
  }
}

/** Runs clean-up callbacks newest first; one that throws is reported and the rest still run. */
export function runCleanups(cleanups) {
  for (const c of [...cleanups].reverse()) {
    try {
      c();
    } catch (e) {
      console.error(`cleanup: ${e.message}`);
    }
  }
}

/**
 * Steps of one story: wraps each test body so that once a step fails, the later
 * ones fail at once (instead of each waiting out its timeouts), and a failure
 * prints the children's reports and whatever `onFailure` can tell about the
 * page.
 */
export function storySteps(children, onFailure) {
  let broken = null;
  return (fn) => () => {
    if (broken) throw new Error(`not run: an earlier step failed (${broken})`);
    return withReports(children, async () => {
      try {
        return await fn();
      } catch (err) {
        broken = err.message.split('\n')[0];
        await onFailure();
        throw err;
      }
    });
  };
}

// --- provider simulator (inbox-sim) control API ------------------------------

async function fetchJson(url, init = {}, timeout = 10000) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

export class Sim {
  constructor(addr) {
    this.base = `http://${addr}`;
  }

  /**
   * Make a customer write in (POST /_sim/mconnect/inbound). Retries while the
   * simulator has no webhook yet (409) or cannot reach it (502), since the demo
   * registers its webhook asynchronously.
   */
  async inbound(payload, { timeout = 20000 } = {}) {
    return waitFor(
      async () => {
        const r = await fetchJson(`${this.base}/_sim/mconnect/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'text', ...payload }),
        });
        if (r.status === 200) return r.body ?? true;
        if (r.status === 409 || r.status === 502) throw new Error(`simulator answered ${r.status}: ${JSON.stringify(r.body)}`);
        throw Object.assign(new Error(`simulator answered ${r.status}: ${JSON.stringify(r.body)}`), { fatal: true });
      },
      { timeout, interval: 300, message: 'the simulator to deliver the inbound webhook' },
    );
  }

  /** Every request the fake provider API received. */
  async requests() {
    const r = await fetchJson(`${this.base}/_sim/requests`);
    if (r.status !== 200 || !Array.isArray(r.body)) {
      throw new Error(`GET /_sim/requests answered ${r.status}: ${JSON.stringify(r.body)}`);
    }
    return r.body;
  }

  /**
   * Wait for a request the fake provider APIs received that `match` accepts; returns it. Failure
   * messages list the paths received (bodies may carry the demo's tokens).
   */
  async waitForRequest(match, what, timeout = 15000) {
    return waitFor(
      async () => {
        const reqs = await this.requests();
        const hit = reqs.find(match);
        if (hit) return hit;
        const seen = reqs.slice(-10).map((r) => `${r.method} ${r.path}`);
        throw new Error(`not yet; ${reqs.length} requests so far, the last: ${JSON.stringify(seen)}`);
      },
      { timeout, interval: 300, message: `the simulator to receive ${what}` },
    );
  }

  /** Wait for a sendWhatsappText request whose message is `message`; returns its element_data. */
  async waitForSentText(message, timeout = 15000) {
    return waitFor(
      async () => {
        const reqs = await this.requests();
        const hit = reqs.find(
          (r) => r?.body?.element_data?.action === 'sendWhatsappText' && r.body.element_data.message === message,
        );
        if (hit) return hit.body.element_data;
        const actions = reqs.map((r) => r?.body?.element_data?.action ?? `${r.method} ${r.path}`);
        throw new Error(`not yet; requests so far: ${JSON.stringify(actions)}`);
      },
      { timeout, interval: 300, message: `the simulator to receive sendWhatsappText "${message}"` },
    );
  }
}

/** What the demo account's reply to the test customer must look like on the wire. */
export function expectedSend(message) {
  return {
    action: 'sendWhatsappText',
    from: DEMO_NUMBER,
    to: CUSTOMER.from,
    message,
    is_group: '0',
    company: 'demo',
    username: 'demo',
  };
}

export const DEMO_NUMBER = '5511900000000';
export const CUSTOMER = { number: DEMO_NUMBER, from: '5511987654321', sender_name: 'Maria Teste' };
