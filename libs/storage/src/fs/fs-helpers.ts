import type { Stats } from 'node:fs';
import { link, lstat, rename, rmdir, unlink } from 'node:fs/promises';
import { CoalescedSyncs } from '@myfsio/common';
import { closeFd, fsyncFd, openFd } from './fd-io';

/** The errno code of a Node fs error (`ENOENT`, …), undefined for anything else. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return err.code;
  }
  return undefined;
}

/** Runs `action`, returning undefined instead of throwing when it fails with one of `codes`. */
export async function tolerate<T>(action: Promise<T>, ...codes: string[]): Promise<T | undefined> {
  try {
    return await action;
  } catch (err) {
    if (codes.includes(errorCode(err) ?? '')) {
      return undefined;
    }
    throw err;
  }
}

/** Runs `action`: true when it succeeded, false when it failed with one of `codes`. */
export async function succeeds(action: Promise<unknown>, ...codes: string[]): Promise<boolean> {
  try {
    await action;
    return true;
  } catch (err) {
    if (codes.includes(errorCode(err) ?? '')) {
      return false;
    }
    throw err;
  }
}

/** lstat, or null when nothing is there (or a parent is not a directory). */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  return (await tolerate(lstat(path), 'ENOENT', 'ENOTDIR')) ?? null;
}

/**
 * Makes a directory's entries durable. File systems that cannot fsync a directory
 * (EINVAL, e.g. some network mounts) make their own guarantees, so that is not an error.
 * Concurrent calls for one directory share fsyncs (see CoalescedSyncs).
 */
export function fsyncDir(path: string): Promise<void> {
  return dirSyncs.sync(path);
}

const dirSyncs = new CoalescedSyncs(async (path) => {
  const fd = await openFd(path, 'r');
  try {
    await tolerate(fsyncFd(fd), 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP');
  } finally {
    await closeFd(fd);
  }
});

/** fsyncs each distinct directory, in parallel. */
export async function fsyncDirs(paths: readonly string[]): Promise<void> {
  await Promise.all([...new Set(paths)].map(fsyncDir));
}

const NO_HARD_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'];

/**
 * Moves `source` to `target` unless `target` exists: true when moved, false when
 * `target` was there (then `source` stays). link+unlink makes the check atomic; file
 * systems without hard links fall back to lstat+rename, which has a small window.
 */
export async function moveNoClobber(source: string, target: string): Promise<boolean> {
  try {
    await link(source, target);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') {
      return false;
    }
    if (!NO_HARD_LINKS.includes(code ?? '')) {
      throw err;
    }
    if ((await lstatOrNull(target)) !== null) {
      return false;
    }
    await rename(source, target);
    return true;
  }
  await tolerate(unlink(source), 'ENOENT');
  return true;
}

/** rmdir that ignores a missing or non-empty directory; true when removed. */
export function rmdirIfEmpty(path: string): Promise<boolean> {
  return succeeds(rmdir(path), 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR');
}
