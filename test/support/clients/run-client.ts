import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What one client invocation printed and how it ended. */
export interface ClientResult {
  /** The exit code; null when the process did not exit by itself (timeout, missing binary). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Extra environment (over a clean base), a kill timeout (default 30 s) and a working directory. */
export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Runs one external client without a shell (arguments are passed as an array, so keys with spaces or
 * unicode need no quoting) and resolves with its exit code and output; it never rejects on a non-zero
 * exit, so tests can assert exit codes and error text themselves.
 */
export function runClient(file: string, args: string[], options: RunOptions = {}): Promise<ClientResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        env: { ...baseEnv(), ...options.env },
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr });
        } else if (typeof error.code === 'number') {
          resolve({ code: error.code, stdout, stderr });
        } else {
          // Not an exit: a missing binary, a timeout kill or an output overflow; keep why in stderr.
          resolve({ code: null, stdout, stderr: `${stderr}\n[runClient] ${error.message}` });
        }
      },
    );
  });
}

/**
 * A clean environment for the clients: the caller's PATH and HOME, a UTF-8 locale (the Python clients
 * print unicode keys), and nothing else — in particular no AWS_* variables or CA bundles from the
 * developer's shell, which would change what the clients do.
 */
function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
  };
}

/** Formats a result for an assertion message, so a failing exit code shows what the client said. */
export function describeResult(r: ClientResult): string {
  return `exit ${String(r.code)}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Asserts exit code 0, failing with the client's own output. */
export function expectOk(r: ClientResult): ClientResult {
  if (r.code !== 0) {
    throw new Error(`client failed: ${describeResult(r)}`);
  }
  return r;
}

/** A fresh temp directory for one spec's local files. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `myfsio-${prefix}-`));
}

/** Writes `content` to `root/rel`, creating parent directories. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** The sha256 hex of a buffer or of a file's bytes. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sha256 hex of the file at `path`. */
export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/** Deterministic pseudo-random bytes (so a failure reproduces), without buffering a generator. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap and not compressible, unlike a repeated pattern.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
