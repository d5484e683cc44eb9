#!/usr/bin/env node
'use strict';
// `npm run bench`: benchmarks MyFSIO against a bare-Node baseline doing the same durable file work,
// both started here, on the same disk, in the same run. See docs/benchmarks.md.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { cpus, loadavg, tmpdir, totalmem } = require('node:os');
const { join, resolve } = require('node:path');
const { Target } = require('./lib/client');
const { Report } = require('./lib/report');
const { startBaseline, startMyfsio, rssBytes, REPO_ROOT, SECRET_KEY_AT_REST } = require('./lib/servers');

const WORKLOADS = ['small', 'large', 'delete', 'multipart', 'rss', 'list', 'policy'].map((name) =>
  require(`./workloads/${name}`),
);

const USAGE = `Usage: npm run bench -- [options]
  --quick              smaller counts and durations (a smoke run of 1–1.5 minutes)
  --only <names>       comma-separated workloads: ${WORKLOADS.map((w) => w.name).join(', ')}
  --auth <mode>        sigv4 (default: header SigV4 with UNSIGNED-PAYLOAD) or headers (X-Access-Key/X-Secret-Key)
  --profile <dir>      run the MyFSIO server with --cpu-prof, writing .cpuprofile files to <dir>
  --server-bin <path>  benchmark another build's bin/myfsio.js (default: this checkout's, built if dist/ is missing)
  --json <file>        also write the results as JSON
  --keep               keep the temporary directory (its path is printed)
Workloads: ${WORKLOADS.map((w) => `\n  ${w.name.padEnd(10)} ${w.description}`).join('')}`;

function parseArgs(argv) {
  const opts = {
    quick: false,
    only: null,
    auth: 'sigv4',
    profile: null,
    json: null,
    keep: false,
    serverBin: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${arg} needs a value`);
      }
      return argv[++i];
    };
    if (arg === '--quick') {
      opts.quick = true;
    } else if (arg === '--only') {
      opts.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    } else if (arg === '--auth') {
      opts.auth = value();
    } else if (arg === '--profile') {
      opts.profile = resolve(value());
    } else if (arg === '--server-bin') {
      opts.serverBin = resolve(value());
    } else if (arg === '--json') {
      opts.json = value();
    } else if (arg === '--keep') {
      opts.keep = true;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  const unknown = (opts.only ?? []).filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown workload(s): ${unknown.join(', ')}\n${USAGE}`);
  }
  if (opts.auth !== 'sigv4' && opts.auth !== 'headers') {
    throw new Error(`--auth must be sigv4 or headers`);
  }
  return opts;
}

/** A temp directory on the same file system as the repository (so the same disk). */
function scratchBase() {
  const tmp = tmpdir();
  if (statSync(tmp).dev === statSync(REPO_ROOT).dev) {
    return tmp;
  }
  const local = join(REPO_ROOT, '.bench-tmp');
  mkdirSync(local, { recursive: true });
  return local;
}

function ensureBuild() {
  if (existsSync(join(REPO_ROOT, 'dist/apps/cli/src/main.js'))) {
    return;
  }
  console.log('dist/ is missing: running npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (built.status !== 0) {
    throw new Error('npm run build failed');
  }
}

/** MD5 MiB/s on one core right now: the per-byte cost both servers pay, so a gauge of CPU speed. */
function md5Rate() {
  const data = Buffer.alloc(64 * 1024 * 1024, 1);
  const t0 = performance.now();
  createHash('md5').update(data).digest();
  return Math.round(64 / ((performance.now() - t0) / 1000));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.serverBin === null) {
    ensureBuild();
  }
  const selected = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.name));
  const dir = mkdtempSync(join(scratchBase(), 'myfsio-bench-'));
  const storageRoot = join(dir, 'myfsio', 'data');
  const scratchDir = join(dir, 'scratch');
  for (const d of [storageRoot, scratchDir, join(dir, 'baseline')]) {
    mkdirSync(d, { recursive: true });
  }
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
  const bin = opts.serverBin ?? undefined;
  const startMine = () => startMyfsio({ workDir: join(dir, 'myfsio'), storageRoot, nodeArgs, bin });
  const makeTarget = (server) =>
    new Target({ name: 'MyFSIO', port: server.port, auth: opts.auth, ...server });
  const report = new Report();
  let myfsio;
  let baseline;
  let crashes = 0;
  const ctx = {
    quick: opts.quick,
    report,
    scratchDir,
    storageRoot,
    /** The server's SECRET_KEY (secrets at rest), for workloads that seed users. */
    secretKey: SECRET_KEY_AT_REST,
    progress: (text) => console.log(`  … ${text}`),
    rss: () => rssBytes(myfsio.pid),
    myfsioPid: () => myfsio.pid,
    baselinePid: () => baseline.pid,
    /** Stops MyFSIO, runs `fn(storageRoot)` while it is down, starts it again on the same data. */
    restartMyfsio: async (fn) => {
      ctx.myfsio.close();
      await myfsio.stop();
      await fn(storageRoot);
      myfsio = await startMine();
      ctx.myfsio = makeTarget(myfsio);
    },
  };
  const cleanup = async () => {
    ctx.myfsio?.close();
    ctx.baseline?.close();
    await Promise.all([myfsio?.stop(), baseline?.stop()]);
    if (opts.keep) {
      console.log(`kept ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const machine =
      `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
      `MD5 ${md5Rate()} MiB/s on one core, load average ${loadavg()[0].toFixed(2)}`;
    console.log(`MyFSIO benchmark${opts.quick ? ' (quick)' : ''}: ${machine}`);
    console.log(`auth ${opts.auth}, temp ${dir}`);
    report.machine = machine;
    // One after the other, so that when one fails to start the other is already known to cleanup().
    baseline = await startBaseline({ root: join(dir, 'baseline') });
    myfsio = await startMine();
    ctx.myfsio = makeTarget(myfsio);
    ctx.baseline = new Target({ name: 'baseline', port: baseline.port, auth: 'none' });
    for (const workload of selected) {
      console.log(`\n## ${workload.name}: ${workload.description}`);
      const t0 = Date.now();
      try {
        await workload.run(ctx);
      } catch (err) {
        report.add({ workload: workload.name, myfsio: `failed: ${err.message}`, pass: false });
      }
      if (!myfsio.isRunning()) {
        // A crash: show why, and start it again on the same data so later workloads still run.
        const tail = myfsio.output().trim().split('\n').slice(-40).join('\n');
        console.log(`  MyFSIO exited (${await myfsio.exited}); its last output:\n${tail}`);
        report.note(`MyFSIO exited during ${workload.name}; its figures are void; it was restarted`);
        crashes++;
        myfsio = await startMine();
        ctx.myfsio = makeTarget(myfsio);
      }
      console.log(`  (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
  } finally {
    await cleanup();
  }
  console.log(`\n${report.machine ?? ''}\n\n${report.table()}\n`);
  for (const note of report.notes) {
    console.log(`Note: ${note}`);
  }
  if (opts.json) {
    const json = { date: new Date().toISOString(), machine: report.machine, opts, rows: report.rows };
    writeFileSync(opts.json, JSON.stringify(json, null, 2));
  }
  process.exitCode = report.failed() > 0 || crashes > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(2);
});
