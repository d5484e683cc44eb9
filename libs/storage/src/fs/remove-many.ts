import { opendir } from 'node:fs/promises';
import type { KeyPath } from '../key-path/key-path';
import { RESERVED } from '../key-path/reserved-names';
import { conversionName } from '../key-path/segment-codec';
import { errorCode, fsyncDir, succeeds, tolerate } from './fs-helpers';
import { removeConversionCopy, removeCurrentFile } from './remove';

/** One key of a batch removal. */
export interface RemovalTarget {
  readonly key: string;
  readonly kp: KeyPath;
}

/** What a batch removal did. */
export interface BatchRemoval {
  /** Keys whose files could not be removed or made durably gone, with the error. */
  readonly failed: Map<string, unknown>;
  /** Directory chains to prune, each with the key whose removal emptied it. */
  readonly emptied: { segments: readonly string[]; owner: string }[];
}

// A directory listed to find conversion directories is read up to this many entries per key
// removed from it (at least LIST_MIN); past that, checking each key's conversion path is cheaper.
const LIST_PER_KEY = 4;
const LIST_MIN = 1024;

/**
 * Removes the current files of many keys below `bucketDir` with at most `concurrency` file
 * operations in flight, then makes the removals durable with one fsync per directory:
 *  1. unlink each plain file (or `.myfsio.self` where the plain name is a directory);
 *  2. remove copies left at conversion paths by interrupted conversions — only for names whose
 *     conversion directory is present, found by listing each directory once (a conversion
 *     directory sits beside the name it converts, so a directory without one needs no unlink);
 *  3. fsync each directory that lost an entry, once, after all its unlinks.
 * A key is reported failed when any step of it fails, including the fsync of its directory.
 * Callers hold the per-path locks of every key; pruning is left to the caller.
 */
export async function removeManyObjectFiles(
  bucketDir: string,
  targets: readonly RemovalTarget[],
  concurrency: number,
): Promise<BatchRemoval> {
  const failed = new Map<string, unknown>();
  const emptied: BatchRemoval['emptied'] = [];
  const changed = new Map<string, string[]>();
  const touch = (dir: string, key: string): void => {
    const keys = changed.get(dir) ?? [];
    keys.push(key);
    changed.set(dir, keys);
  };
  // 1. The current files.
  await forEachLimited(targets, concurrency, async ({ key, kp }) => {
    try {
      const removal = await removeCurrentFile(bucketDir, kp);
      if (removal.changed !== null) {
        touch(removal.changed, key);
      }
      emptied.push({ segments: removal.emptied, owner: key });
    } catch (err) {
      failed.set(key, err);
    }
  });
  // 2. Conversion copies, directory by directory.
  const byDir = new Map<string, RemovalTarget[]>();
  for (const target of targets) {
    if (target.kp.conversionPath !== null && !failed.has(target.key)) {
      const dir = dirOf(bucketDir, target.kp);
      const group = byDir.get(dir) ?? [];
      group.push(target);
      byDir.set(dir, group);
    }
  }
  await forEachLimited([...byDir], concurrency, async ([dir, group]) => {
    let holding: RemovalTarget[];
    try {
      const present = await conversionNamesIn(dir, Math.max(LIST_MIN, LIST_PER_KEY * group.length));
      holding = present === null ? group : group.filter(({ kp }) => present.has(conversionName(kp.leaf)));
    } catch (err) {
      group.forEach(({ key }) => failed.set(key, err));
      return;
    }
    await forEachLimited(holding, concurrency, async ({ key, kp }) => {
      try {
        if (await removeConversionCopy(bucketDir, kp)) {
          touch(dir, key);
        }
      } catch (err) {
        failed.set(key, err);
      }
    });
  });
  // 3. One fsync per directory that lost entries.
  await forEachLimited([...changed], concurrency, async ([dir, keys]) => {
    try {
      await succeeds(fsyncDir(dir), 'ENOENT', 'ENOTDIR');
    } catch (err) {
      keys.forEach((key) => failed.set(key, err));
    }
  });
  return { failed, emptied: emptied.filter(({ owner }) => !failed.has(owner)) };
}

/** The directory holding the plain name of `kp` (where its conversion directory would be). */
function dirOf(bucketDir: string, kp: KeyPath): string {
  return kp.dirSegments.length === 0 ? bucketDir : `${bucketDir}/${kp.dirSegments.join('/')}`;
}

/**
 * Names of the conversion directories (`.myfsio.cv-*`, `.myfsio.cvh-*`) in `dir`; an empty set
 * when `dir` is gone; null when `dir` has more than `limit` entries (not worth reading).
 */
async function conversionNamesIn(dir: string, limit: number): Promise<Set<string> | null> {
  const handle = await tolerate(opendir(dir, { bufferSize: 256 }), 'ENOENT', 'ENOTDIR');
  const names = new Set<string>();
  if (handle === undefined) {
    return names;
  }
  let seen = 0;
  try {
    for (let entry = await handle.read(); entry !== null; entry = await handle.read()) {
      if (++seen > limit) {
        return null;
      }
      if (entry.name.startsWith(RESERVED.conversion) || entry.name.startsWith(RESERVED.conversionHashed)) {
        names.add(entry.name);
      }
    }
  } catch (err) {
    // The directory was removed while being read: nothing left in it.
    if (errorCode(err) !== 'ENOENT') {
      throw err;
    }
  } finally {
    await handle.close();
  }
  return names;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; `fn` handles its own errors. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      await fn(items[next++] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
