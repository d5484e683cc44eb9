import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './ports';

export const REPO_ROOT = resolve(__dirname, '../..');
export const CLI = join(REPO_ROOT, 'bin/myfsio.js');
export const ADMIN_ACCESS_KEY = 'MFTESTADMINKEY000001';
export const ADMIN_SECRET_KEY = 'test-admin-secret-key-0123456789abcdefgh';

export interface RunningServer {
  apiUrl: string;
  adminUrl: string;
  apiPort: number;
  adminPort: number;
  /** The working directory; STORAGE_ROOT is `${dir}/data` unless overridden. */
  dir: string;
  storageRoot: string;
  accessKeyId: string;
  secretAccessKey: string;
  process: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and waits for the exit code. */
  stop: () => Promise<number | null>;
  /** Sends SIGKILL and waits. */
  kill: () => Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Reuse a working directory (restart after a crash). */
  dir?: string;
  ports?: { api: number; admin: number };
}

/** Runs the CLI once to completion (no server), returning its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const dir = cwd ?? mkdtempSync(join(tmpdir(), 'myfsio-cli-'));
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_TO_FILE: 'false', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

/** Starts `myfsio` as a child process on free ports in a temp directory and waits until it is healthy. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'myfsio-e2e-'));
  const apiPort = options.ports?.api ?? (await freePort());
  const adminPort = options.ports?.admin ?? (await freePort());
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    APP_HOST: '127.0.0.1',
    APP_PORT: String(apiPort),
    UI_PORT: String(adminPort),
    ADMIN_ACCESS_KEY,
    ADMIN_SECRET_KEY,
    LOG_TO_FILE: 'false',
    LOG_LEVEL: 'WARNING',
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI, ...(options.args ?? [])], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const output = () => out;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const mode = options.args?.includes('admin') ? 'admin' : 'api';
  const probe =
    mode === 'admin'
      ? `http://127.0.0.1:${adminPort}/health/live`
      : `http://127.0.0.1:${apiPort}/myfsio/health`;
  await waitForHealth(probe, child, output);
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    apiPort,
    adminPort,
    dir,
    storageRoot: options.env?.STORAGE_ROOT ?? join(dir, 'data'),
    accessKeyId: env.ADMIN_ACCESS_KEY,
    secretAccessKey: env.ADMIN_SECRET_KEY,
    process: child,
    output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
      }
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}

/** Removes a server's working directory. */
export function cleanup(server: RunningServer | undefined): void {
  if (server) {
    rmSync(server.dir, { recursive: true, force: true });
  }
}
