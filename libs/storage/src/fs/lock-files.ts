import { isDeadSibling, type ProcessIdentity, THIS_PROCESS } from '@myfsio/common';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, readFile, unlink, utimes } from 'node:fs/promises';
import { closeFd, openFd, writeFullyFd } from './fd-io';
import { errorCode, tolerate } from './fs-helpers';

/** When a lock file counts as left by a dead holder: no refresh for this long. */
export const LOCK_STALE_MS = 15_000;
/** How often a holder refreshes its lock file's modification time. */
const LOCK_REFRESH_MS = 3_000;
/** Waiting for a held lock: polls from 1 ms, doubling, up to this. */
const MAX_POLL_MS = 20;

/** Releases a lock; never rejects. */
export type ReleaseLock = () => Promise<void>;

/**
 * Named mutual exclusion between processes that share a file system (the gateways of a
 * fleet): a lock is a file `<dir>/<sha256 of the name>` created with O_EXCL, which every
 * POSIX file system and NFSv3+ make atomic. Waiters poll. The file names its holder (host,
 * pid, incarnation) and a random token. A holder refreshes its file's modification time while
 * it holds the lock, so a file left unrefreshed for {@link LOCK_STALE_MS} belongs to a dead
 * process and is broken; so is, at once, one whose holder is known dead (a predecessor of a
 * process on this host, see isDeadSibling).
 */
export class LockFiles {
  constructor(
    /** Created on first use. */
    private readonly dir: string,
    private readonly staleMs = LOCK_STALE_MS,
    private readonly self: ProcessIdentity = THIS_PROCESS,
  ) {}

  /** Waits until the lock named `name` is free, takes it, and resolves to its release. */
  async acquire(name: string): Promise<ReleaseLock> {
    const path = `${this.dir}/${createHash('sha256').update(name, 'utf8').digest('hex')}`;
    let pollMs = 1;
    for (;;) {
      const token = await this.tryCreate(path);
      if (token !== null) {
        return this.held(path, token);
      }
      await this.breakIfStale(path);
      await new Promise((r) => setTimeout(r, pollMs));
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }

  /**
   * Creates the lock file holding a random token; the token, or null when another holder has
   * the lock. (Inode numbers cannot tell lock files apart: a file system reuses a freed one at once.)
   */
  private async tryCreate(path: string): Promise<string | null> {
    const token = JSON.stringify({ ...this.self, token: randomBytes(16).toString('hex') });
    for (;;) {
      try {
        const fd = await openFd(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
        try {
          await writeFullyFd(fd, Buffer.from(token), 0);
        } finally {
          await closeFd(fd);
        }
        return token;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EEXIST') {
          return null;
        }
        if (code !== 'ENOENT') {
          throw err;
        }
        await mkdir(this.dir, { recursive: true });
      }
    }
  }

  /** Refreshes the held file until released; the release removes it only if it is still ours. */
  private held(path: string, token: string): ReleaseLock {
    const refresh = setInterval(() => {
      const now = new Date();
      void utimes(path, now, now).catch(() => undefined);
    }, LOCK_REFRESH_MS);
    refresh.unref();
    let released = false;
    return async () => {
      if (released) {
        return;
      }
      released = true;
      clearInterval(refresh);
      // If we stalled past the stale limit, another process may hold a lock file of its own here.
      const holder = await tolerate(readFile(path, 'utf8'), 'ENOENT').catch(() => undefined);
      if (holder === token) {
        await tolerate(unlink(path), 'ENOENT').catch(() => undefined);
      }
    };
  }

  /**
   * Removes the lock file if its holder is known dead, or nobody refreshed it for `staleMs`
   * (and it is still that file).
   */
  private async breakIfStale(path: string): Promise<void> {
    const seen = await tolerate(lstat(path), 'ENOENT');
    if (seen === undefined) {
      return;
    }
    const holder = await tolerate(readFile(path, 'utf8'), 'ENOENT');
    if (holder === undefined) {
      return;
    }
    if (Date.now() - seen.mtimeMs < this.staleMs && !isDeadSibling(holderOf(holder))) {
      return;
    }
    // Still the same file (same holder, not refreshed since) just before removing it.
    const again = await tolerate(lstat(path), 'ENOENT');
    if (again?.mtimeMs === seen.mtimeMs && (await tolerate(readFile(path, 'utf8'), 'ENOENT')) === holder) {
      await tolerate(unlink(path), 'ENOENT');
    }
  }
}

/** The holder named in a lock file; an unreadable one names nobody known dead. */
function holderOf(content: string): ProcessIdentity {
  try {
    const parsed = JSON.parse(content) as Partial<ProcessIdentity>;
    return { host: String(parsed.host), pid: Number(parsed.pid), incarnation: String(parsed.incarnation) };
  } catch {
    return { host: '', pid: 0, incarnation: '' };
  }
}
