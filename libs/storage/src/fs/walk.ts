import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { keyToRelativePath, relativePathToKey } from '../key-path/key-path';
import { RESERVED } from '../key-path/reserved-names';
import { decodeSegment } from '../key-path/segment-codec';
import type { WalkEntry } from '../object-store';
import { tolerate } from './fs-helpers';
import { statOrNull } from './object-files';

/**
 * Yields every file below `bucketDir` that is the canonical place of some key.
 * Directories that cannot hold mappable files (hashed names, the long form,
 * unknown reserved names) are not entered; symlinks to directories are not
 * followed (no loops). A file at a conversion path counts only while the
 * object has no plain or shadow file (an interrupted conversion).
 */
export async function* walkBucket(bucketDir: string): AsyncGenerator<WalkEntry> {
  yield* walkDirectory(bucketDir, bucketDir, '', false);
}

async function* walkDirectory(
  bucketDir: string,
  absolute: string,
  relative: string,
  isConversion: boolean,
): AsyncGenerator<WalkEntry> {
  const dir = await tolerate(opendir(absolute), 'ENOENT', 'ENOTDIR');
  if (dir === undefined) {
    return;
  }
  for await (const entry of dir) {
    const childAbsolute = `${absolute}/${entry.name}`;
    const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const type = await entryType(entry, childAbsolute);
    if (type === 'directory') {
      if (!isConversion && isWalkable(entry.name)) {
        yield* walkDirectory(
          bucketDir,
          childAbsolute,
          childRelative,
          entry.name.startsWith(RESERVED.conversion),
        );
      }
      continue;
    }
    const key = relativePathToKey(childRelative);
    if (key === null) {
      continue;
    }
    const stats = await statOrNull(childAbsolute);
    if (!stats?.isFile() || (isConversion && (await hasPrimaryFile(bucketDir, key)))) {
      continue;
    }
    yield { key, size: stats.size, mtimeMs: stats.mtimeMs };
  }
}

function isWalkable(name: string): boolean {
  return decodeSegment(name) !== null || name.startsWith(RESERVED.conversion);
}

async function entryType(entry: Dirent, path: string): Promise<'directory' | 'other'> {
  if (entry.isDirectory()) {
    return 'directory';
  }
  if (entry.isFile() || entry.isSymbolicLink()) {
    return 'other';
  }
  // Some file systems (older XFS, some network mounts) do not report entry types.
  const stats = await tolerate(lstat(path), 'ENOENT');
  return stats?.isDirectory() ? 'directory' : 'other';
}

async function hasPrimaryFile(bucketDir: string, key: string): Promise<boolean> {
  const kp = keyToRelativePath(key);
  const plain = await statOrNull(`${bucketDir}/${kp.plainPath}`);
  if (plain?.isFile()) {
    return true;
  }
  return kp.shadowPath !== null && (await statOrNull(`${bucketDir}/${kp.shadowPath}`))?.isFile() === true;
}
