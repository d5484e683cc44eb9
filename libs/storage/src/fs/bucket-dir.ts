import { readdir, rmdir } from 'node:fs/promises';
import { StorageError } from '../storage-error';
import { errorCode, lstatOrNull, tolerate } from './fs-helpers';

/**
 * Removes a bucket directory that holds directories only (empty ones, leftovers of
 * shadow conversions). Checks the whole tree before removing anything, then
 * removes bottom-up with rmdir, so a file published meanwhile is never deleted.
 * Returns false when the directory was already missing.
 * @throws StorageError 'NotEmpty' when any file (or symlink, socket, …) is found.
 */
export async function removeEmptyBucketDir(dir: string): Promise<boolean> {
  const directories: string[] = [];
  if (!(await collectDirectories(dir, directories))) {
    return false;
  }
  for (const path of directories) {
    try {
      await rmdir(path);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new StorageError('NotEmpty', `${path} gained an entry while the bucket was being removed`);
      }
      if (code !== 'ENOENT') {
        throw err;
      }
    }
  }
  return true;
}

/** Appends `dir` and its subdirectories in post-order; false when `dir` is missing. */
async function collectDirectories(dir: string, out: string[]): Promise<boolean> {
  const entries = await tolerate(readdir(dir, { withFileTypes: true }), 'ENOENT');
  if (entries === undefined) {
    return false;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    const isDirectory =
      entry.isDirectory() ||
      (!entry.isFile() && !entry.isSymbolicLink() && (await lstatOrNull(path))?.isDirectory() === true);
    if (!isDirectory) {
      throw new StorageError('NotEmpty', `the bucket directory holds ${path}`);
    }
    await collectDirectories(path, out);
  }
  out.push(dir);
  return true;
}
