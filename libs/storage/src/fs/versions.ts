import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SYSTEM_DIR } from '../key-path/reserved-names';
import { errorCode, fsyncDir, fsyncDirs, rmdirIfEmpty, succeeds } from './fs-helpers';
import { PendingFile } from './pending-file';
import type { StagingArea } from './staging';
import { tempFileName } from './temp-file';

/** The directory of noncurrent version files below STORAGE_ROOT. */
export const VERSIONS_DIR = `${SYSTEM_DIR}/versions`;

/** Errors of `link` that mean "this file system cannot hard-link here": copy instead. */
const NO_HARD_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'];

/** Version ids we generate and `null` are plain names; anything else is stored encoded. */
const PLAIN_VERSION_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * The storage path (relative to STORAGE_ROOT) of version `versionId` of bucket/key:
 * `.myfsio.sys/versions/<bucket>/<first 2 hex of h>/<h>/<versionId>` with h = sha256 hex of the
 * key. Hashing keeps every key at a fixed depth and name length, whatever its shadow form, so
 * no key's versions can collide with another key's and no path exceeds PATH_MAX.
 */
export function versionStoragePath(bucket: string, key: string, versionId: string): string {
  const h = createHash('sha256').update(key, 'utf8').digest('hex');
  const name =
    PLAIN_VERSION_NAME.test(versionId) && versionId !== '.' && versionId !== '..'
      ? versionId
      : `b64.${Buffer.from(versionId, 'utf8').toString('base64url')}`;
  return `${VERSIONS_DIR}/${bucket}/${h.slice(0, 2)}/${h}/${name}`;
}

/** Refuses a storage path that does not name a file of the versions area (caller bug or a tampered row). */
export function checkVersionPath(storagePath: string): void {
  const segments = storagePath.split('/');
  if (
    !storagePath.startsWith(`${VERSIONS_DIR}/`) ||
    segments.length !== 6 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))
  ) {
    throw new RangeError(`not a version storage path: ${JSON.stringify(storagePath)}`);
  }
}

/**
 * The noncurrent versions area: one immutable file per version, made by hard-linking the
 * current file (no bytes copied, and the plain path keeps its bytes until the next publish
 * replaces them), or by a fsynced copy where the file system has no hard links.
 */
export class VersionFiles {
  constructor(
    /** STORAGE_ROOT. */
    private readonly root: string,
    private readonly area: StagingArea,
  ) {}

  /**
   * Makes `source` (the current file of a key) durable at `storagePath` as well:
   * 1. create the directory chain, remembering what was created;
   * 2. link `source` there (a leftover of an interrupted attempt is replaced), or copy + fsync;
   * 3. fsync the directory that got the entry and each one created in step 1.
   * Throws ENOENT when `source` vanished (the caller retries after locating it again).
   */
  async preserve(source: string, storagePath: string): Promise<void> {
    checkVersionPath(storagePath);
    const target = `${this.root}/${storagePath}`;
    const created = await this.ensureDir(dirname(target));
    await this.linkOrCopy(source, target);
    await fsyncDirs([dirname(target), ...created]);
  }

  /**
   * A temp file holding the bytes of a version, ready to publish at a plain path (promotion
   * of a noncurrent version). The version file itself stays until the caller removes it.
   * Null when the version file is missing.
   */
  async stageCopy(storagePath: string): Promise<{ file: PendingFile; tempPath: string } | null> {
    checkVersionPath(storagePath);
    await this.area.ready();
    const tempPath = `${this.area.tempDir}/${tempFileName()}`;
    const file = new PendingFile(tempPath, this.area.live);
    try {
      await this.linkOrCopy(`${this.root}/${storagePath}`, tempPath);
    } catch (err) {
      await file.discard();
      if (errorCode(err) === 'ENOENT') {
        return null;
      }
      throw err;
    }
    return { file, tempPath };
  }

  /** Removes a version file (idempotent), fsyncs its directory and prunes emptied directories. */
  async remove(storagePath: string): Promise<void> {
    checkVersionPath(storagePath);
    const target = `${this.root}/${storagePath}`;
    if (!(await succeeds(unlink(target), 'ENOENT', 'ENOTDIR'))) {
      return;
    }
    const keyDir = dirname(target);
    await fsyncDir(keyDir);
    if (await rmdirIfEmpty(keyDir)) {
      await rmdirIfEmpty(dirname(keyDir));
    }
  }

  /** Absolute path of a version file. */
  absolute(storagePath: string): string {
    checkVersionPath(storagePath);
    return `${this.root}/${storagePath}`;
  }

  private async linkOrCopy(source: string, target: string): Promise<void> {
    try {
      await link(source, target);
      return;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') {
        // A leftover of an attempt that crashed before its commit: nothing references it.
        await unlink(target);
        await link(source, target);
        return;
      }
      if (!NO_HARD_LINKS.includes(code ?? '')) {
        throw err;
      }
    }
    // No hard links here: copy to a temp name, fsync, then rename into place.
    const temp = `${target}.${randomBytes(6).toString('hex')}.part`;
    try {
      await copyFile(source, temp);
      const handle = await open(temp, 'r+');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (err) {
      await succeeds(unlink(temp), 'ENOENT');
      throw err;
    }
  }

  /** mkdir -p that returns the parents of the directories it created (they need an fsync). */
  private async ensureDir(dir: string): Promise<string[]> {
    // Walk up to the first directory that exists, then create the chain back down.
    const chain: string[] = [];
    let current = dir;
    while (current.length > this.root.length) {
      try {
        await mkdir(current);
        break;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EEXIST') {
          if (current === dir) {
            return [];
          }
          break;
        }
        if (code !== 'ENOENT') {
          throw err;
        }
        chain.push(current);
        current = dirname(current);
      }
    }
    const parents = current === dir || chain.length > 0 ? [dirname(current)] : [];
    for (const path of chain.reverse()) {
      if (await succeeds(mkdir(path), 'EEXIST')) {
        parents.push(dirname(path));
      }
    }
    return parents;
  }
}
