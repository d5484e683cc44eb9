import { constants, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { KeyPath } from '../key-path/key-path';
import { closeFd, closeFdQuietly, fstatFd, openFd } from './fd-io';
import { errorCode, tolerate } from './fs-helpers';

/** What a probe found at one path: a file (with what it opened), a directory, or nothing. */
type Probed<T> = { value: T; stats: Stats } | 'directory' | null;
type Probe<T> = (path: string) => Promise<Probed<T>>;

/** The file holding a key's bytes, with what the probe returned for it. */
export interface Located<T> {
  readonly path: string;
  readonly value: T;
  readonly stats: Stats;
}

/** stat (following symlinks), or null when nothing is there. */
export async function statOrNull(path: string): Promise<Stats | null> {
  return (await tolerate(stat(path), 'ENOENT', 'ENOTDIR')) ?? null;
}

/** Finds the file of a key by stat alone (stat, pathOf). */
export function locateByStat(bucketDir: string, kp: KeyPath): Promise<Located<null> | null> {
  return locate(bucketDir, kp, async (path) => {
    const stats = await statOrNull(path);
    if (stats === null) {
      return null;
    }
    return stats.isFile() ? { value: null, stats } : stats.isDirectory() ? 'directory' : null;
  });
}

/** Opens the file of a key; the caller owns (and must close) the returned descriptor. */
export function locateAndOpen(bucketDir: string, kp: KeyPath): Promise<Located<number> | null> {
  return locate(bucketDir, kp, openProbe);
}

/** Opens one regular file by path (a version file); null when it is missing or not a file. */
export async function openFile(path: string): Promise<{ value: number; stats: Stats } | null> {
  const probed = await openProbe(path);
  return probed === 'directory' ? null : probed;
}

// O_NONBLOCK: a FIFO placed behind the gateway must not hang the open; no effect on regular files.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

async function openProbe(path: string): Promise<Probed<number>> {
  let fd: number;
  try {
    fd = await openFd(path, READ_FLAGS);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EISDIR') {
      return 'directory';
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return null;
    }
    throw err;
  }
  try {
    const stats = await fstatFd(fd);
    if (stats.isFile()) {
      return { value: fd, stats };
    }
    await closeFd(fd);
    return stats.isDirectory() ? 'directory' : null;
  } catch (err) {
    await closeFdQuietly(fd);
    throw err;
  }
}

/**
 * Tries the places a key's bytes can be, in order: the plain file; if that name is
 * a directory, its `.myfsio.self`; then the conversion path used while the name
 * changes form. A miss is retried once, because a conversion moves the bytes
 * between these places (each move is one atomic rename, so a second pass finds them).
 */
async function locate<T>(bucketDir: string, kp: KeyPath, probe: Probe<T>): Promise<Located<T> | null> {
  const attempts = kp.form === 'plain' ? 2 : 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const plainPath = `${bucketDir}/${kp.plainPath}`;
    const plain = await probe(plainPath);
    if (plain !== null && plain !== 'directory') {
      return { path: plainPath, ...plain };
    }
    const others = [plain === 'directory' ? kp.shadowPath : null, kp.conversionPath];
    for (const relative of others) {
      if (relative === null) {
        continue;
      }
      const path = `${bucketDir}/${relative}`;
      const found = await probe(path);
      if (found !== null && found !== 'directory') {
        return { path, ...found };
      }
    }
  }
  return null;
}
