import { rename } from 'node:fs/promises';
import type { KeyPath } from '../key-path/key-path';
import { RESERVED } from '../key-path/reserved-names';
import { StorageError } from '../storage-error';
import type { DirTree } from './dir-tree';
import { errorCode, fsyncDirs } from './fs-helpers';

const MAX_ATTEMPTS = 5;
// A directory of the chain vanished (pruned) or is a file now (converted back) —
// possibly by another process after we cached it: forget the chain and redo it.
const STALE_CHAIN = ['ENOENT', 'ENOTDIR'];
// rename(file, name) when `name` is a directory.
const NAME_IS_DIRECTORY = ['EISDIR', 'EEXIST', 'ENOTEMPTY'];

/**
 * Publishes a staged, fsynced temp file as the bytes of `kp` below `bucketDir`:
 *  1. ensure the directory chain (mkdir, or convert a plain file in the way to its shadow form);
 *  2. rename the temp file onto the plain name — atomic, the last rename wins;
 *  3. if that name is a directory (objects exist below it), rename onto `<name>/.myfsio.self` instead;
 *  4. fsync the directory that got the entry and every directory created in step 1.
 * `onPlaced` runs right after the rename, before the fsyncs.
 */
export async function publishTempFile(
  tree: DirTree,
  tempPath: string,
  bucketDir: string,
  kp: KeyPath,
  onPlaced: () => void,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let toSync: string[];
    try {
      const created = await tree.ensure(bucketDir, kp.dirSegments);
      toSync = [await place(tempPath, bucketDir, kp), ...created];
    } catch (err) {
      if (!STALE_CHAIN.includes(errorCode(err) ?? '')) {
        throw err;
      }
      lastError = err;
      tree.forget(bucketDir, kp.dirSegments);
      continue;
    }
    onPlaced();
    await fsyncDirs(toSync);
    return;
  }
  throw new StorageError('Io', `cannot publish into ${bucketDir}/${kp.plainPath}`, { cause: lastError });
}

/** Renames the temp file into place; returns the directory that received the entry. */
async function place(tempPath: string, bucketDir: string, kp: KeyPath): Promise<string> {
  const dir = kp.dirSegments.length === 0 ? bucketDir : `${bucketDir}/${kp.dirSegments.join('/')}`;
  const plain = `${dir}/${kp.leaf}`;
  try {
    await rename(tempPath, plain);
    return dir;
  } catch (err) {
    if (kp.shadowPath === null || !NAME_IS_DIRECTORY.includes(errorCode(err) ?? '')) {
      throw err;
    }
  }
  await rename(tempPath, `${plain}/${RESERVED.self}`);
  return plain;
}
