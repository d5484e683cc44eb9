'use strict';
// Starts the two servers under test as child processes: MyFSIO (`node bin/myfsio.js` in its default
// mode, gateway and admin app in one process, embedded defaults: SQLite, STORAGE_ROOT in the
// bench's temp directory) and the bare-Node baseline.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const net = require('node:net');
const { join, resolve } = require('node:path');

const REPO_ROOT = resolve(__dirname, '../..');
const ACCESS_KEY = 'BENCHADMINKEY0000001';
const SECRET_KEY = 'bench-admin-secret-key-0123456789abcdefg';
// SECRET_KEY (secrets at rest) is fixed so workloads can seed users whose secrets the server opens.
const SECRET_KEY_AT_REST = 'bench-secrets-at-rest-key-0123456789abcdef';
// bin/myfsio.js sizes the libuv pool to 16 unless told otherwise; the baseline gets the same pool.
const THREADPOOL = process.env.UV_THREADPOOL_SIZE || '16';

function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function wrap(child, extra) {
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  return {
    ...extra,
    pid: child.pid,
    output: () => out,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    exited,
    /** SIGTERM, then SIGKILL after 15 s; resolves the exit code or signal. */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

async function waitFor(check, child, output, what) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    }
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start:\n${output()}`);
}

/**
 * Starts MyFSIO (`bin`, by default this checkout's bin/myfsio.js) on free ports with `storageRoot`;
 * `nodeArgs` (e.g. --cpu-prof) go to its node.
 */
async function startMyfsio({ workDir, storageRoot, nodeArgs = [], bin = join(REPO_ROOT, 'bin/myfsio.js') }) {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    APP_HOST: '127.0.0.1',
    APP_PORT: String(port),
    UI_PORT: String(await freePort()),
    ADMIN_ACCESS_KEY: ACCESS_KEY,
    ADMIN_SECRET_KEY: SECRET_KEY,
    SECRET_KEY: SECRET_KEY_AT_REST,
    STORAGE_ROOT: storageRoot,
    LOG_TO_FILE: 'false',
    LOG_LEVEL: 'WARNING',
    // S3 accepts up to 1000 keys per DeleteObjects (and the AWS CLI sends 1000); MyFSIO's
    // default is 500, so the DeleteObjects workload raises it to S3's limit.
    BULK_DELETE_MAX_KEYS: '1000',
  };
  for (const name of ['SERVER_THREADS', 'UV_THREADPOOL_SIZE']) {
    if (process.env[name]) {
      env[name] = process.env[name];
    }
  }
  const child = spawn(process.execPath, [...nodeArgs, bin], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = wrap(child, { port, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY });
  const healthy = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/myfsio/health`)).ok;
    } catch {
      return false;
    }
  };
  await waitFor(healthy, child, server.output, 'MyFSIO').catch(async (err) => {
    await server.stop();
    throw err;
  });
  return server;
}

/** Starts the baseline server over `root`. */
async function startBaseline({ root }) {
  const child = spawn(process.execPath, [join(__dirname, 'baseline-server.js'), root], {
    env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: THREADPOOL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = wrap(child, {});
  await waitFor(async () => /listening (\d+)/.test(server.output()), child, server.output, 'baseline').catch(
    async (err) => {
      await server.stop();
      throw err;
    },
  );
  server.port = Number(/listening (\d+)/.exec(server.output())[1]);
  return server;
}

/** Resident set size of `pid` in bytes (VmRSS), or NaN once the process is gone. */
function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples VmRSS of `pid` every `intervalMs`; `stop()` returns { peak, samples }. */
function sampleRss(pid, intervalMs = 100) {
  let peak = 0;
  let samples = 0;
  const take = () => {
    const rss = rssBytes(pid);
    if (!Number.isNaN(rss)) {
      peak = Math.max(peak, rss);
      samples++;
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { peak, samples };
    },
  };
}

module.exports = { startMyfsio, startBaseline, sampleRss, rssBytes, REPO_ROOT, SECRET_KEY_AT_REST };
