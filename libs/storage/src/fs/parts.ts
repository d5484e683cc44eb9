import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import type { AssembledObject, PartRef, StagedPart, StageOptions } from '../object-store';
import { toStorageError } from '../storage-error';
import { assembleFiles } from './assemble';
import { errorCode, fsyncDir, fsyncDirs, succeeds, tolerate } from './fs-helpers';
import { claimSlabRegion, sealAndLocate, type SlabRegion, trimSealed } from './part-slab';
import { checkDeclaredSize, stageBodyWith, type StagingArea, withBodyErrors } from './staging';

/** Upload ids become directory names: plain, portable, bounded. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_PART_NUMBER = 10000;
/** A part's directory vanishing under a publish means the upload was removed; retry a few times, then fail. */
const PLACE_ATTEMPTS = 3;

/**
 * The parts of multipart uploads, in the system area beside the temp directory:
 * `<root>/<uploadId>/<partNumber>.<md5 hex>`. Parts are staged in the temp area like any
 * body and renamed into place, so a part file is always complete and fsynced. The MD5 in the
 * name makes a part file immutable: re-uploading a part number with other bytes adds a new
 * file and the metadata row says which one counts; leftovers go with the upload directory.
 */
export class UploadParts {
  /** Staging area whose publish() renames into an upload directory instead of a bucket. */
  private readonly partArea: StagingArea;

  constructor(
    /** `STORAGE_ROOT/.myfsio.sys/multipart`. */
    private readonly root: string,
    private readonly area: StagingArea,
  ) {
    this.partArea = {
      ...area,
      publish: (tempPath, uploadId, fileName, onPlaced) => this.place(tempPath, uploadId, fileName, onPlaced),
    };
  }

  async stage(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: StageOptions,
  ): Promise<StagedPart> {
    const dir = this.uploadDir(uploadId);
    if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new RangeError(`invalid part number ${partNumber}`);
    }
    checkDeclaredSize(options);
    // One listener for body errors from the start: claiming a region takes a few file system calls.
    return withBodyErrors(body, async (earlyError) => {
      const { expectedSize } = options;
      const region =
        expectedSize === undefined ? null : await this.claimRegion(dir, partNumber, expectedSize);
      if (region !== null) {
        const written = await region.write(body, options, this.area.writeBlockSize, earlyError);
        return {
          ...written,
          publish: () => region.publish(written.md5.toString('hex')),
          discard: () => region.release(),
        };
      }
      const staged = await stageBodyWith(this.partArea, body, options, earlyError);
      const fileName = partFileName({ partNumber, md5: staged.md5.toString('hex') });
      return {
        size: staged.size,
        md5: staged.md5,
        checksums: staged.checksums,
        publish: () => staged.publish(uploadId, fileName),
        discard: () => staged.discard(),
      };
    });
  }

  /**
   * The object made of `parts`: the sealed slab itself when it already is the object (see
   * {@link sealAndLocate}; cut to length and renamed into place on publish), else a copy of
   * every part (from its slab region or its file) into a new temp file.
   */
  async assemble(uploadId: string, parts: readonly PartRef[]): Promise<AssembledObject> {
    const dir = this.uploadDir(uploadId);
    let located;
    try {
      located = await sealAndLocate(
        dir,
        parts,
        (part) => `${dir}/${partFileName(part)}`,
        (part) => `part ${part.partNumber} of upload ${uploadId}`,
      );
    } catch (err) {
      throw toStorageError(err, `locating the parts of upload ${uploadId}`);
    }
    const whole = located.wholeObject;
    if (whole === null) {
      return await assembleFiles(this.area, located.sources);
    }
    // The sealed slab stays in the upload directory until published, so a completion that
    // fails (a precondition, a lost race) can be tried again; the directory's removal takes it.
    let isPublished = false;
    return {
      size: whole.size,
      publish: async (bucket, key) => {
        if (isPublished) {
          throw new Error('publish() on an assembled object that is published');
        }
        try {
          await trimSealed(whole.path, whole.size);
          await this.area.publish(whole.path, bucket, key, () => {
            isPublished = true;
          });
        } catch (err) {
          throw toStorageError(err, `publishing the slab of upload ${uploadId}`);
        }
      },
      discard: () => Promise.resolve(),
    };
  }

  /** A slab region for the part, or null when it goes to a file of its own. */
  private async claimRegion(dir: string, partNumber: number, size: number): Promise<SlabRegion | null> {
    try {
      const created = await this.ensureDir(dir);
      const region = await claimSlabRegion(dir, partNumber, size, created);
      if (region === null && created.length > 0) {
        // The part file's publish will find the directory there and fsync only it.
        await fsyncDirs(created);
      }
      return region;
    } catch (err) {
      throw toStorageError(err, `claiming a slab region in ${dir}`);
    }
  }

  async remove(uploadId: string): Promise<void> {
    const dir = this.uploadDir(uploadId);
    try {
      if (await succeeds(rm(dir, { recursive: true }), 'ENOENT')) {
        await tolerate(fsyncDir(this.root), 'ENOENT');
      }
    } catch (err) {
      throw toStorageError(err, `removing the parts of upload ${uploadId}`);
    }
  }

  /** `<root>/<uploadId>`; RangeError for an id that is not a plain name. */
  private uploadDir(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) {
      throw new RangeError(`invalid upload id ${JSON.stringify(uploadId)}`);
    }
    return `${this.root}/${uploadId}`;
  }

  /** Renames a staged part into its upload directory (created on first use) and fsyncs what changed. */
  private async place(
    tempPath: string,
    uploadId: string,
    fileName: string,
    onPlaced: () => void,
  ): Promise<void> {
    const dir = this.uploadDir(uploadId);
    for (let attempt = 1; ; attempt++) {
      const created = await this.ensureDir(dir);
      try {
        await rename(tempPath, `${dir}/${fileName}`);
      } catch (err) {
        if (errorCode(err) === 'ENOENT' && attempt < PLACE_ATTEMPTS) {
          continue;
        }
        throw err;
      }
      onPlaced();
      await fsyncDirs([dir, ...created]);
      return;
    }
  }

  /** Creates the upload directory if needed; returns the directories that gained an entry. */
  private async ensureDir(dir: string): Promise<string[]> {
    try {
      await mkdir(dir);
      return [this.root];
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') {
        return [];
      }
      if (code !== 'ENOENT') {
        throw err;
      }
    }
    await this.area.ready();
    const createdRoot = await succeeds(mkdir(this.root), 'EEXIST');
    const createdDir = await succeeds(mkdir(dir), 'EEXIST');
    return [...(createdRoot ? [dirname(this.root)] : []), ...(createdDir ? [this.root] : [])];
  }
}

function partFileName(part: Pick<PartRef, 'partNumber' | 'md5'>): string {
  if (!/^[0-9a-f]{32}$/.test(part.md5)) {
    throw new RangeError(`invalid part MD5 ${JSON.stringify(part.md5)}`);
  }
  return `${part.partNumber}.${part.md5}`;
}
