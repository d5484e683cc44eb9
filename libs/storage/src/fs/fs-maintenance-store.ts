import { opendir, readdir, rmdir, unlink } from 'node:fs/promises';
import { RESERVED } from '../key-path/reserved-names';
import {
  MaintenanceStore,
  type ConversionClaim,
  type EmptyDirectory,
  type SystemFile,
  type UploadPartsDir,
} from '../maintenance-store';
import { toStorageError } from '../storage-error';
import { classifyClaim, findClaims, findEmptyDirectories, isConversionName } from './bucket-sweep';
import type { DirTree } from './dir-tree';
import { lstatOrNull, rmdirIfEmpty, succeeds, tolerate } from './fs-helpers';
import type { KeyedMutex } from './keyed-mutex';
import type { StagingArea } from './staging';
import { VERSIONS_DIR } from './versions';

/** What the maintenance adapter shares with the FsObjectStore it belongs to. */
export interface MaintenanceContext {
  root: string;
  staging: StagingArea;
  multipartDir: string;
  mutex: KeyedMutex;
  tree: DirTree;
  /** `STORAGE_ROOT/<bucket>`; RangeError for an invalid bucket name. */
  bucketDir(bucket: string): string;
}

/** {@link MaintenanceStore} over the tree of an {@link FsObjectStore} (shares its temp-file registry, locks and directory cache). */
export class FsMaintenanceStore extends MaintenanceStore {
  constructor(private readonly ctx: MaintenanceContext) {
    super();
  }

  async *tempFiles(): AsyncGenerator<SystemFile> {
    const { tempDir, live } = this.ctx.staging;
    for (const name of (await tolerate(readdir(tempDir), 'ENOENT')) ?? []) {
      const path = `${tempDir}/${name}`;
      const stats = live.has(path) ? null : await lstatOrNull(path);
      if (stats?.isFile()) {
        yield { name, size: stats.size, mtimeMs: stats.mtimeMs };
      }
    }
  }

  async removeTempFile(name: string, olderThanMs: number): Promise<boolean> {
    plainName(name);
    const { tempDir, live } = this.ctx.staging;
    const path = `${tempDir}/${name}`;
    return this.io(`removing temp file ${name}`, async () => {
      const stats = live.has(path) ? null : await lstatOrNull(path);
      if (!stats?.isFile() || stats.mtimeMs >= Date.now() - olderThanMs) {
        return false;
      }
      return succeeds(unlink(path), 'ENOENT');
    });
  }

  async *uploadPartDirs(): AsyncGenerator<UploadPartsDir> {
    const root = this.ctx.multipartDir;
    for (const uploadId of (await tolerate(readdir(root), 'ENOENT')) ?? []) {
      const dirStats = await lstatOrNull(`${root}/${uploadId}`);
      if (!dirStats?.isDirectory()) {
        continue;
      }
      let size = 0;
      let mtimeMs = dirStats.mtimeMs;
      for (const name of (await tolerate(readdir(`${root}/${uploadId}`), 'ENOENT')) ?? []) {
        const stats = await lstatOrNull(`${root}/${uploadId}/${name}`);
        // Allocated bytes: a slab (see part-slab.ts) is sparse until its parts are written.
        size += stats?.isFile() ? Math.min(stats.size, stats.blocks * 512) : 0;
        mtimeMs = Math.max(mtimeMs, stats?.mtimeMs ?? 0);
      }
      yield { uploadId, size, mtimeMs };
    }
  }

  conversionClaims(bucket: string): AsyncIterable<ConversionClaim> {
    return findClaims(this.ctx.bucketDir(bucket));
  }

  async removeConversionClaim(bucket: string, path: string, olderThanMs: number): Promise<number | null> {
    const segments = relativeSegments(path);
    const claim = segments.pop() ?? '';
    if (!isConversionName(claim)) {
      throw new RangeError(`not a conversion directory: ${JSON.stringify(path)}`);
    }
    const dir = [this.ctx.bucketDir(bucket), ...segments].join('/');
    // The converter serialises work on a name under the lock of `<dir>/<name>`; take the same one
    // (the hashed form does not reveal the name: its claim path is locked instead).
    const lockKey = claim.startsWith(RESERVED.conversion)
      ? `${dir}/${claim.slice(RESERVED.conversion.length)}`
      : `${dir}/${claim}`;
    return this.io(`removing conversion directory ${path}`, () =>
      this.ctx.mutex.run(lockKey, async () => {
        const found = await classifyClaim(dir, claim);
        if (found === null || found.mtimeMs >= Date.now() - olderThanMs) {
          return null;
        }
        if (found.state === 'superseded') {
          await tolerate(unlink(`${dir}/${claim}/${RESERVED.self}`), 'ENOENT');
        } else if (found.state !== 'empty') {
          return null;
        }
        return (await rmdirIfEmpty(`${dir}/${claim}`)) ? found.size : null;
      }),
    );
  }

  emptyDirectories(bucket: string): AsyncIterable<EmptyDirectory> {
    return findEmptyDirectories(this.ctx.bucketDir(bucket));
  }

  async removeEmptyDirectory(bucket: string, path: string): Promise<boolean> {
    const segments = relativeSegments(path);
    const bucketDir = this.ctx.bucketDir(bucket);
    return this.io(`removing directory ${path}`, async () => {
      // A publish that cached this directory gets ENOENT at its rename and redoes the chain.
      this.ctx.tree.forget(bucketDir, segments);
      return succeeds(rmdir(`${bucketDir}/${path}`), 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR');
    });
  }

  async *versionFiles(): AsyncGenerator<SystemFile> {
    yield* listFiles(`${this.ctx.root}/${VERSIONS_DIR}`, VERSIONS_DIR);
  }

  async removeVersionFile(storagePath: string): Promise<boolean> {
    const segments = relativeSegments(storagePath);
    if (!storagePath.startsWith(`${VERSIONS_DIR}/`) || segments.length < 3) {
      throw new RangeError(`not a version file: ${JSON.stringify(storagePath)}`);
    }
    return this.io(`removing version file ${storagePath}`, async () => {
      if (!(await succeeds(unlink(`${this.ctx.root}/${storagePath}`), 'ENOENT', 'ENOTDIR'))) {
        return false;
      }
      // Prune the directories it emptied, up to (not including) the versions directory.
      for (let depth = segments.length - 1; depth > 2; depth--) {
        if (!(await rmdirIfEmpty(`${this.ctx.root}/${segments.slice(0, depth).join('/')}`))) {
          break;
        }
      }
      return true;
    });
  }

  private async io<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toStorageError(err, action);
    }
  }
}

/** Regular files below `absolute`, named `<prefix>/<relative path>`; symlinks are not followed. */
async function* listFiles(absolute: string, prefix: string): AsyncGenerator<SystemFile> {
  const dir = await tolerate(opendir(absolute), 'ENOENT', 'ENOTDIR');
  if (dir === undefined) {
    return;
  }
  for await (const entry of dir) {
    const path = `${absolute}/${entry.name}`;
    const stats = await lstatOrNull(path);
    if (stats?.isDirectory()) {
      yield* listFiles(path, `${prefix}/${entry.name}`);
    } else if (stats?.isFile()) {
      yield { name: `${prefix}/${entry.name}`, size: stats.size, mtimeMs: stats.mtimeMs };
    }
  }
}

function plainName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new RangeError(`not a plain file name: ${JSON.stringify(name)}`);
  }
}

/** The segments of a relative path; RangeError for an empty path, `.`/`..` or empty segments. */
function relativeSegments(path: string): string[] {
  const segments = path.split('/');
  for (const segment of segments) {
    plainName(segment);
  }
  return segments;
}
