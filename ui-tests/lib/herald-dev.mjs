// Starts `./herald dev` from this checkout on free loopback ports with a fresh data directory,
// waits for its banner and its API, and stops it again. SIGTERM lets herald dev's shutdown hook
// stop its worker, the Temporal server (a child in its process group) and embedded PostgreSQL
// (which daemonizes into a session of its own). If that does not finish in time, or the test
// process ends without stopping it (Ctrl-C), what is left is killed: herald dev's process group,
// and the PostgreSQL server whose postmaster.pid lies in this run's data directory. Nothing else
// is touched.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the directory above ui-tests/ that holds the `herald` script. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A wait that does not keep the process alive (for races against a child's exit). */
const deadlineAfter = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Starts `./herald dev`.
 *
 * @param {object} options
 * @param {string} options.logFile where its stdout and stderr go
 * @param {number} options.startSeconds how long to wait for the banner once the jar is built
 * @param {number} options.buildSeconds extra time allowed when `./herald` says it is building the jar
 */
export async function startHeraldDev({ logFile, startSeconds = 120, buildSeconds = 600 }) {
  const ports = {
    api: Number(process.env.HERALD_API_PORT) || (await freePort()),
    admin: Number(process.env.HERALD_ADMIN_PORT) || (await freePort()),
    temporal: Number(process.env.HERALD_TEMPORAL_PORT) || (await freePort()),
    ui: Number(process.env.HERALD_TEMPORAL_UI_PORT) || (await freePort()),
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-ui-test-'));
  const env = {
    ...process.env,
    HERALD_DATA_DIR: dataDir,
    HERALD_API_PORT: String(ports.api),
    HERALD_ADMIN_PORT: String(ports.admin),
    HERALD_TEMPORAL_PORT: String(ports.temporal),
    HERALD_TEMPORAL_UI_PORT: String(ports.ui),
  };
  delete env.HERALD_TEMPORAL_ADDRESS; // this check needs the server (and UI) that herald dev starts
  delete env.HERALD_DATABASE_URL;

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  const child = spawn(path.join(repositoryRoot, 'herald'), ['dev'], {
    cwd: repositoryRoot,
    env,
    detached: true, // its own process group: see stop()
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = null;
  let stopping = null;
  const onData = (chunk) => {
    log.write(chunk);
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const herald = {
    pid: child.pid,
    dataDir,
    ports,
    apiBase: `http://127.0.0.1:${ports.api}/v1`,
    uiBase: null,
    apiKey: null,
    logFile,
    logTail: (lines = 40) => output.split('\n').slice(-lines).join('\n'),
    stop: () => {
      stopping ??= stop(child, exit, () => exited, log, dataDir).then(() => process.removeListener('exit', onExit));
      return stopping;
    },
    removeData: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
  // Should the test process end without stop(): an uncaught error, process.exit, or Ctrl-C (on
  // SIGINT and SIGTERM node's test harness calls process.exit at once, and herald dev, in its own
  // process group, gets no signal from the terminal). Exit handlers must be synchronous, so this
  // kills rather than stops.
  function onExit() {
    killLeftovers(child.pid, dataDir);
    if (!process.env.HERALD_UI_KEEP_DATA) herald.removeData();
  }
  process.once('exit', onExit);

  try {
    const started = Date.now();
    for (;;) {
      const building = output.includes('building worker/target/herald.jar');
      const limit = (startSeconds + (building ? buildSeconds : 0)) * 1000;
      if (exited) {
        throw new Error(`./herald dev exited (${JSON.stringify(exited)}) before its banner (log: ${logFile}):\n${herald.logTail()}`);
      }
      const ui = /^\s*UI\s+(\S+)/m.exec(output);
      if (/API key\s+hrk_/.test(output) && ui) {
        if (!ui[1].startsWith('http://')) {
          throw new Error(
            `./herald dev started without the Temporal Web UI ("UI ${ui[1]} ..."): the temporal CLI was not ` +
              `found. Run scripts/install-temporal-cli (or set HERALD_TEMPORAL_CLI to the binary).`);
        }
        herald.uiBase = ui[1].replace(/\/$/, '');
        break;
      }
      if (Date.now() - started > limit) {
        throw new Error(`./herald dev printed no banner within ${limit / 1000} s:\n${herald.logTail()}`);
      }
      await sleep(250);
    }
    herald.apiKey = fs.readFileSync(path.join(dataDir, 'dev-api-key'), 'utf8').trim();
    // The banner comes once everything has started; make sure the API answers with the key anyway.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const res = await fetch(`${herald.apiBase}/subscriptions?limit=1`, {
          headers: { authorization: `Bearer ${herald.apiKey}` },
        });
        if (res.ok) break;
      } catch { /* not yet */ }
      if (Date.now() > deadline) {
        throw new Error(`the API at ${herald.apiBase} did not answer within 30 s:\n${herald.logTail()}`);
      }
      await sleep(250);
    }
  } catch (e) {
    await herald.stop();
    if (!process.env.HERALD_UI_KEEP_DATA) herald.removeData();
    throw e;
  }
  return herald;
}

/** SIGTERM, as Ctrl-C would; after 30 s (or if it left anything behind) killLeftovers. */
async function stop(child, exit, exited, log, dataDir) {
  if (!exited()) {
    try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
    const timedOut = await Promise.race([exit.then(() => false), deadlineAfter(30_000).then(() => true)]);
    if (timedOut) {
      killLeftovers(child.pid, dataDir);
      await Promise.race([exit, deadlineAfter(5_000)]);
    }
  }
  killLeftovers(child.pid, dataDir);
  await new Promise((resolve) => log.end(resolve));
}

/**
 * Synchronous, so that it also works in an 'exit' handler: SIGKILL to herald dev's process group
 * (the JVM, the Temporal server, a Maven build), and an immediate shutdown (SIGQUIT) of the
 * embedded PostgreSQL server of this data directory, if either is still there.
 */
function killLeftovers(groupId, dataDir) {
  try { process.kill(-groupId, 'SIGKILL'); } catch { /* nothing left */ }
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pid > 1 && cmdline.includes(path.join(dataDir, 'postgres'))) process.kill(pid, 'SIGQUIT');
  } catch { /* no server left, or not ours */ }
}

/** A small client for Herald's REST API. */
export function api(herald) {
  const call = async (method, pathname, body) => {
    const res = await fetch(herald.apiBase + pathname, {
      method,
      headers: {
        authorization: `Bearer ${herald.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${pathname} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, body) => call('POST', p, body),
  };
}

/** Polls `probe` until it returns a truthy value, or throws with `what` after `seconds`. */
export async function eventually(what, probe, { seconds = 20, intervalMs = 250 } = {}) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${seconds} s (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(intervalMs);
  }
}
