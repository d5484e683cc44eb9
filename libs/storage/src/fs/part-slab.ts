import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, readlink, rename, symlink, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { PartRef, StageOptions } from '../object-store';
import { toStorageError } from '../storage-error';
import type { AssemblySource } from './assembly-plan';
import { closeFd, closeFdQuietly, fdatasyncFd, fstatFd, ftruncateFd, futimesFd, openFd } from './fd-io';
import { errorCode, fsyncDirs, succeeds, tolerate } from './fs-helpers';
import { syncAndClose, writeBodyAt, type WrittenBody } from './staging';

/**
 * The slab of a multipart upload: one sparse file in the upload directory where part N lives
 * at offset (N - 1) × stride, the stride being the size of the first part written there. Real
 * clients upload equal parts but the last, so the slab of a finished upload already is the
 * object, and completion is a truncate and a rename instead of a copy of every byte.
 *
 * Names in `<upload dir>/`:
 * - `slab` → `slab.<stride>.<random>`: a symlink naming the data file (and so the stride),
 *   made atomically by the first writer (the data file exists before the link);
 * - `<N>.claim`: region N is taken. Created exclusively before writing, removed only when that
 *   write fails, so a second upload of part N never overwrites the bytes of the first: it goes
 *   to a part file of its own, like every part that does not fit the stride;
 * - `<N>.<md5>.slab`: region N holds part N with that MD5, complete and fdatasynced. Made after
 *   the writer closed its descriptor, so a claim without one is a writer still at work (or
 *   one that crashed);
 * - `slab.sealed`: the data file once a completion took it. No writer can open it after the
 *   rename (they open the `slab.<stride>.<random>` name), so a late part goes to a file.
 */
const SLAB_LINK = 'slab';
const SEALED = 'slab.sealed';
const DATA_NAME = /^slab\.([1-9][0-9]*)\.[0-9a-f]+$/;
const CLAIM_NAME = /^([1-9][0-9]*)\.claim$/;
const MARKER_NAME = /^([1-9][0-9]*)\.([0-9a-f]{32})\.slab$/;
/** No region may end beyond the largest object S3 allows (far below ext4's 16 TiB file limit). */
const MAX_SLAB_BYTES = 5 * 1024 ** 4;

/** A region claimed for one part upload: the body goes there, then publish() or discard(). */
export class SlabRegion {
  private state: 'claimed' | 'written' | 'published' | 'released' = 'claimed';

  constructor(
    private readonly dir: string,
    private readonly partNumber: number,
    private fd: number | null,
    readonly offset: number,
    /** Directories created for the upload; fsynced with the marker. */
    private readonly created: readonly string[],
  ) {}

  /**
   * Streams the body into the region, fdatasyncs and closes the slab. On failure the region is
   * released (another upload of the part may use it) and the error rethrown. `earlyError`
   * reports a body error seen before the read began (see withBodyErrors).
   */
  async write(
    body: Readable,
    options: StageOptions,
    writeBlockSize: number,
    earlyError: () => { error: unknown } | null,
  ): Promise<WrittenBody> {
    const fd = this.fd!;
    try {
      const written = await writeBodyAt(fd, this.offset, body, options, writeBlockSize, earlyError);
      this.fd = null;
      await syncAndClose(fd);
      this.state = 'written';
      return written;
    } catch (err) {
      if (this.fd !== null) {
        this.fd = null;
        await closeFdQuietly(fd);
      }
      await this.release();
      throw err;
    }
  }

  /** Records the written region as part N with `md5` and makes that durable. */
  async publish(md5: string): Promise<void> {
    if (this.state !== 'written') {
      throw new Error(`publish() on a slab region that is ${this.state}`);
    }
    try {
      const fd = await openFd(`${this.dir}/${this.partNumber}.${md5}.slab`, 'w');
      await closeFd(fd);
      this.state = 'published';
      await fsyncDirs([this.dir, ...this.created]);
    } catch (err) {
      throw toStorageError(err, `recording part ${this.partNumber} in ${this.dir}`);
    }
  }

  /** Frees the region unless it was published; never throws. */
  async release(): Promise<void> {
    if (this.state === 'published' || this.state === 'released') {
      return;
    }
    this.state = 'released';
    await succeeds(unlink(`${this.dir}/${this.partNumber}.claim`), 'ENOENT').catch(() => undefined);
  }
}

/**
 * Claims region `partNumber` of the upload's slab for a body of exactly `size` bytes, creating
 * the slab (with `size` as its stride) if the upload has none. Null when the part must go to a
 * file of its own: it is larger than the stride, its region is taken or out of bounds, or a
 * completion has sealed the slab.
 */
export async function claimSlabRegion(
  dir: string,
  partNumber: number,
  size: number,
  created: readonly string[],
): Promise<SlabRegion | null> {
  if (!Number.isSafeInteger(size) || size <= 0) {
    return null;
  }
  const data = await dataFile(dir, size);
  if (size > data.stride || partNumber * data.stride > MAX_SLAB_BYTES) {
    return null;
  }
  const claim = `${dir}/${partNumber}.claim`;
  try {
    await closeFd(await openFd(claim, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY));
  } catch (err) {
    if (errorCode(err) === 'EEXIST') {
      return null;
    }
    throw err;
  }
  let fd: number;
  try {
    fd = await openFd(`${dir}/${data.name}`, constants.O_RDWR);
  } catch (err) {
    await tolerate(unlink(claim), 'ENOENT');
    if (errorCode(err) === 'ENOENT') {
      return null;
    }
    throw err;
  }
  return new SlabRegion(dir, partNumber, fd, (partNumber - 1) * data.stride, created);
}

/** The slab's data file, made with stride `size` when the upload has none yet. */
async function dataFile(dir: string, size: number): Promise<{ name: string; stride: number }> {
  for (;;) {
    const existing = await slabTarget(dir);
    if (existing !== null) {
      return existing;
    }
    const name = `slab.${size}.${randomBytes(6).toString('hex')}`;
    await closeFd(await openFd(`${dir}/${name}`, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY));
    try {
      await symlink(name, `${dir}/${SLAB_LINK}`);
      return { name, stride: size };
    } catch (err) {
      await tolerate(unlink(`${dir}/${name}`), 'ENOENT');
      if (errorCode(err) !== 'EEXIST') {
        throw err;
      }
    }
  }
}

/** The data file the `slab` link names, with its stride; null when the upload has no slab. */
async function slabTarget(dir: string): Promise<{ name: string; stride: number } | null> {
  const name = await tolerate(readlink(`${dir}/${SLAB_LINK}`), 'ENOENT');
  if (name === undefined) {
    return null;
  }
  const match = DATA_NAME.exec(name);
  if (match === null) {
    throw new Error(`unexpected slab link ${JSON.stringify(name)} in ${dir}`);
  }
  return { name, stride: Number(match[1]) };
}

/** Where each listed part's bytes are, once a completion has sealed the slab. */
export interface SealedParts {
  /** One source per part, in order: a region of the sealed slab or a part file. */
  sources: AssemblySource[];
  /**
   * The sealed slab when it is exactly the object once cut to length: every part is in it,
   * numbered 1..K, all but the last of the stride's size, and no writer is still at work on it.
   */
  wholeObject: { path: string; size: number } | null;
}

/**
 * Seals the upload's slab (a rename no writer can follow) and locates each part of `parts`:
 * in the slab where its marker says so, else in its part file `<N>.<md5>`.
 */
export async function sealAndLocate(
  dir: string,
  parts: readonly PartRef[],
  partFile: (part: PartRef) => string,
  label: (part: PartRef) => string,
): Promise<SealedParts> {
  const fromFiles = (part: PartRef): AssemblySource => ({
    path: partFile(part),
    size: part.size,
    label: label(part),
  });
  const target = await slabTarget(dir);
  const sealed = target === null ? null : await seal(dir, target.name);
  if (target === null || sealed === null) {
    return { sources: parts.map(fromFiles), wholeObject: null };
  }
  const markers = new Set<string>();
  const claims = new Set<number>();
  const written = new Set<number>();
  for (const name of await readdir(dir)) {
    const marker = MARKER_NAME.exec(name);
    if (marker !== null) {
      markers.add(name);
      written.add(Number(marker[1]));
    }
    const claim = CLAIM_NAME.exec(name);
    if (claim !== null) {
      claims.add(Number(claim[1]));
    }
  }
  const inSlab = (part: PartRef) => markers.has(`${part.partNumber}.${part.md5}.slab`);
  const sources = parts.map((part) =>
    inSlab(part)
      ? { path: sealed, size: part.size, label: label(part), offset: (part.partNumber - 1) * target.stride }
      : fromFiles(part),
  );
  const isAtWork = [...claims].some((n) => !written.has(n));
  const isWhole =
    !isAtWork &&
    parts.length > 0 &&
    parts.every(
      (part, i) =>
        inSlab(part) &&
        part.partNumber === i + 1 &&
        (i === parts.length - 1 ? part.size <= target.stride : part.size === target.stride),
    );
  const size = parts.reduce((sum, p) => sum + p.size, 0);
  return { sources, wholeObject: isWhole ? { path: sealed, size } : null };
}

/** Renames the data file to `slab.sealed` (or finds it sealed by an earlier completion attempt). */
async function seal(dir: string, name: string): Promise<string | null> {
  const sealed = `${dir}/${SEALED}`;
  try {
    await rename(`${dir}/${name}`, sealed);
    return sealed;
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') {
      throw err;
    }
  }
  return (await succeeds(access(sealed), 'ENOENT')) ? sealed : null;
}

/**
 * Cuts the sealed slab to the object's size and flushes it, ready to be renamed into place. The
 * modification time stays that of the last part written: the integrity scanner takes a file
 * modified after its row's LastModified for one changed behind the gateway.
 */
export async function trimSealed(path: string, size: number): Promise<void> {
  const fd = await openFd(path, 'r+');
  try {
    const before = await fstatFd(fd);
    if (before.size !== size) {
      await ftruncateFd(fd, size);
      await futimesFd(fd, before.atime, before.mtime);
    }
    await fdatasyncFd(fd);
  } finally {
    await closeFd(fd);
  }
}
