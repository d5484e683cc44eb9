import { unlink } from 'node:fs/promises';
import type { KeyPath } from '../key-path/key-path';
import { errorCode, fsyncDir, lstatOrNull, rmdirIfEmpty, succeeds } from './fs-helpers';

/** What removing the current file of one key changed. */
export interface FileRemoval {
  /** The directory that lost an entry and must be fsynced; null when nothing was there. */
  readonly changed: string | null;
  /** The directory segments to prune afterwards (the shadow directory itself included when it was one). */
  readonly emptied: readonly string[];
}

/**
 * Removes every file holding the bytes of `kp` below `bucketDir`: the plain file or, when that
 * name is a directory, its `.myfsio.self`; plus a copy left at the conversion path by an
 * interrupted conversion, so the object cannot reappear. fsyncs the directory that lost the
 * entry. Returns the directory segments the caller should prune. Callers hold the per-path lock.
 */
export async function removeObjectFiles(bucketDir: string, kp: KeyPath): Promise<readonly string[]> {
  const { changed, emptied } = await removeCurrentFile(bucketDir, kp);
  await removeConversionCopy(bucketDir, kp);
  if (changed !== null) {
    await succeeds(fsyncDir(changed), 'ENOENT', 'ENOTDIR');
  }
  return emptied;
}

/**
 * Unlinks the plain file of `kp` or, when the plain name is a directory (shadow form), its
 * `.myfsio.self`. No fsync. Missing files are not an error. Callers hold the per-path lock.
 */
export async function removeCurrentFile(bucketDir: string, kp: KeyPath): Promise<FileRemoval> {
  const plain = `${bucketDir}/${kp.plainPath}`;
  try {
    await unlink(plain);
    return { changed: plain.slice(0, plain.lastIndexOf('/')), emptied: kp.dirSegments };
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { changed: null, emptied: kp.dirSegments };
    }
    if (
      (code === 'EISDIR' || code === 'EPERM') &&
      kp.shadowPath !== null &&
      (await lstatOrNull(plain))?.isDirectory()
    ) {
      const removed = await succeeds(unlink(`${bucketDir}/${kp.shadowPath}`), 'ENOENT');
      return { changed: removed ? plain : null, emptied: [...kp.dirSegments, kp.leaf] };
    }
    throw err;
  }
}

/**
 * Unlinks the copy of `kp` an interrupted conversion left at its conversion path, and the
 * conversion directory when that empties it. True when a copy was removed (its directory's
 * parent changed, no fsync). Callers hold the per-path lock.
 */
export async function removeConversionCopy(bucketDir: string, kp: KeyPath): Promise<boolean> {
  if (kp.conversionPath === null) {
    return false;
  }
  const held = `${bucketDir}/${kp.conversionPath}`;
  if (!(await succeeds(unlink(held), 'ENOENT', 'ENOTDIR'))) {
    return false;
  }
  await rmdirIfEmpty(held.slice(0, held.lastIndexOf('/')));
  return true;
}
