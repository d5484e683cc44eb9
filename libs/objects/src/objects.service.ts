import { BucketsService, ObjectLockConfigService } from '@myfsio/buckets';
import { checksumHeader, S3Error, S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { type Bucket, ObjectVersionRepository, UnitOfWork } from '@myfsio/metadata';
import { ObjectStore } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import { BulkDeleter } from './bulk-delete';
import {
  claimedChecksum,
  isChecksumModeEnabled,
  readChecksumRequest,
  readContentMd5,
  verifyChecksum,
  verifyContentMd5,
} from './checksum-headers';
import { checkReadPreconditions, readPreconditions } from './conditionals';
import { ObjectCopier } from './copy-object';
import { headerValue } from './header-values';
import { objectLockKey } from './keyed-mutex';
import { readObjectAttributes } from './object-headers';
import { ObjectDeleter } from './object-deleter';
import { lockRemovalCheck, writeLockFields } from './object-lock.service';
import { ObjectReaderService } from './object-reader';
import { objectResponseHeaders, readResponseOverrides } from './object-response';
import { ObjectLocks, ObjectWriter } from './object-writer';
import type {
  CopyObjectInput,
  CopyObjectResult,
  DeleteObjectInput,
  DeleteObjectResult,
  DeleteObjectsInput,
  DeleteObjectsResult,
  GetObjectResult,
  HeadObjectResult,
  PutObjectInput,
  PutObjectResult,
  ReadObjectInput,
  StoredObject,
} from './objects.types';
import { contentRange, resolveRange, type ByteRange } from './range';
import {
  checkBodyLength,
  checkKeyLength,
  MAX_SINGLE_PUT_BYTES,
  readPartNumber,
  readVersionId,
  readWritePreconditions,
} from './request-checks';
import { readTagging } from './tagging';
import { reportedVersionId } from './version-rules';

/** A prepared read: the bucket, the row, how to resolve the range against a row, the request. */
interface PreparedRead {
  bucket: Bucket;
  object: StoredObject;
  range: (object: StoredObject) => ByteRange | null;
  input: ReadObjectInput;
  /** The `partNumber` asked for, if any. */
  partNumber?: number;
  /** The `versionId` asked for, if any. */
  versionId?: string;
}

/** S3's answer to a part number past the last part. */
function partNotSatisfiable(object: StoredObject, partNumber: number): S3Error {
  return new S3Error('InvalidPartNumber', {
    fields: { PartNumberRequested: partNumber, ActualPartCount: object.partsCount ?? 1 },
    headers: { 'Content-Range': `bytes */${object.size}` },
  });
}

/**
 * The bytes of part `partNumber` of `object` (GetObject/HeadObject `partNumber`), from the part
 * sizes stored at completion; null for part 1 of an object written in one piece, which is served
 * whole. Throws InvalidArgument for another part of such an object, as before, and 416 past the
 * last part of a multipart object.
 */
function partByteRange(object: StoredObject, partNumber: number): ByteRange | null {
  if (object.partsCount === null) {
    if (partNumber !== 1) {
      throw S3Errors.invalidArgument(
        'partNumber',
        String(partNumber),
        'The requested partnumber is not satisfiable',
      );
    }
    return null;
  }
  if (partNumber > object.partsCount) {
    throw partNotSatisfiable(object, partNumber);
  }
  if (!object.partSizes) {
    throw S3Errors.notImplemented('GetObject by part number of a multipart object stored without part sizes');
  }
  let start = 0;
  let n = partNumber;
  for (const [size, count] of object.partSizes) {
    if (n <= count) {
      start += (n - 1) * size;
      if (size === 0) {
        // An empty part has no byte range; only an empty object can serve it (whole).
        if (object.size === 0) {
          return null;
        }
        throw partNotSatisfiable(object, partNumber);
      }
      return { start, end: start + size - 1 };
    }
    start += size * count;
    n -= count;
  }
  throw partNotSatisfiable(object, partNumber);
}

/**
 * The S3 object operations: PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects and
 * CopyObject, with S3's rules for headers, conditions, ranges and checksums. Bytes go through
 * the ObjectStore port, rows through the metadata repositories; errors are S3Errors.
 */
@Injectable()
export class ObjectsService {
  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
    private readonly uow: UnitOfWork,
    private readonly locks: ObjectLocks,
    private readonly writer: ObjectWriter,
    private readonly reader: ObjectReaderService,
    private readonly copier: ObjectCopier,
    private readonly bulk: BulkDeleter,
    private readonly deleter: ObjectDeleter,
    private readonly lockConfig: ObjectLockConfigService,
  ) {}

  /** The largest object one PutObject may store: MAX_UPLOAD_SIZE, capped at S3's 5 GiB. */
  get maxObjectSize(): number {
    return Math.min(this.config.storage.maxUploadSize, MAX_SINGLE_PUT_BYTES);
  }

  /**
   * PutObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html).
   * Throws NoSuchBucket, KeyTooLongError, MetadataTooLarge, InvalidStorageClass, InvalidTag,
   * InvalidDigest, InvalidRequest (checksum headers), MissingContentLength, EntityTooLarge,
   * IncompleteBody, BadDigest, PreconditionFailed, NoSuchKey (If-Match), and the body's own
   * verification errors.
   */
  async putObject(input: PutObjectInput): Promise<PutObjectResult> {
    // 1. Validate everything the headers say before reading a byte of the body.
    checkKeyLength(input.key);
    const bucket = await this.buckets.require(input.bucket);
    const attributes = readObjectAttributes(input.headers);
    const tags = readTagging(input.headers, this.config.storage.objectTagLimit);
    const checksum = readChecksumRequest(input.headers);
    const contentMd5 = readContentMd5(input.headers);
    const conditions = readWritePreconditions(input.headers);
    const lock = await writeLockFields(bucket, input.headers, this.lockConfig);
    const maxSize = this.maxObjectSize;
    checkBodyLength(input.bodyLength, input.isAwsChunked, maxSize);
    // 2. Stage the bytes: MD5 and the requested checksum are computed on the way through.
    const staged = await this.writer.stage(input.body, {
      maxSize,
      expectedSize: input.bodyLength,
      checksums: checksum === null ? [] : [checksum.algorithm],
    });
    try {
      // 3. Verify the digests the client claimed before anything becomes visible.
      if (contentMd5 !== null) {
        verifyContentMd5(contentMd5, staged.md5.toString('hex'));
      }
      const checksumHeaders: Record<string, string> = {};
      if (checksum !== null) {
        const trailers = checksum.trailer === null ? {} : await input.trailers;
        const computed = staged.checksums[checksum.algorithm]?.toString('base64') ?? '';
        verifyChecksum(checksum.algorithm, claimedChecksum(checksum, trailers), computed);
        checksumHeaders[checksumHeader(checksum.algorithm)] = computed;
        checksumHeaders['x-amz-checksum-type'] = 'FULL_OBJECT';
      }
      // 4. Publish the file and commit its row, under the key's mutex.
      const version = await this.writer.commit(
        bucket,
        input.key,
        staged,
        { ...attributes, ...lock, tags: tags ?? null, ownerId: input.ownerId, acl: input.acl ?? null },
        conditions,
      );
      return { etag: version.etag, versionId: reportedVersionId(bucket, version), checksumHeaders };
    } finally {
      // 5. A no-op after publish; removes the temp file on every failure path.
      await staged.discard();
    }
  }

  /**
   * HeadObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): the
   * GetObject headers without opening the file. Throws as {@link getObject}.
   */
  async headObject(input: ReadObjectInput): Promise<HeadObjectResult> {
    const read = await this.prepareRead(input, 'HEAD');
    return this.readResult(read, read.object, read.range(read.object));
  }

  /**
   * GetObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). The body
   * is a file stream the caller must consume or destroy. Throws NoSuchBucket, NoSuchKey,
   * NoSuchVersion, InvalidArgument (versionId, partNumber), InvalidRequest, InvalidRange,
   * PreconditionFailed, NotModified.
   */
  async getObject(input: ReadObjectInput): Promise<GetObjectResult> {
    const read = await this.prepareRead(input, 'GET');
    const opened = await this.reader.open(read.bucket, read.object, read.range, {
      isVersionRead: read.versionId !== undefined,
    });
    try {
      if (opened.object !== read.object) {
        // The row changed under the read: its conditions are decided on what is served.
        checkReadPreconditions(readPreconditions(input.headers), opened.object);
      }
      return { ...this.readResult(read, opened.object, opened.range), body: opened.reader.stream };
    } catch (err) {
      opened.reader.stream.destroy();
      throw err;
    }
  }

  /**
   * DeleteObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html): in an
   * unversioned bucket removes the row and the file; in a versioned one adds a delete marker, or
   * with `versionId` removes that version for good (promoting the previous one). A missing key
   * or version is not an error (204). Throws NoSuchBucket and InvalidArgument (version id).
   */
  async deleteObject(input: DeleteObjectInput): Promise<DeleteObjectResult> {
    const versionId = readVersionId(input.query);
    const bucket = await this.buckets.require(input.bucket);
    const outcome = await this.locks.runExclusive(objectLockKey(bucket.name, input.key), () =>
      this.deleter.deleteLocked(
        bucket,
        input.key,
        versionId,
        input.ownerId,
        lockRemovalCheck(input.bypassGovernance),
        input.expectedRowId,
      ),
    );
    return { versionId: outcome.versionId, isDeleteMarker: outcome.isDeleteMarker };
  }

  /**
   * Permanently deletes one version of `key` (lifecycle's NoncurrentVersionExpiration and expired
   * delete markers), as DeleteObject with `versionId` does, but only while that version is still
   * the row `expectedRowId`. A missing version is not an error. Throws NoSuchBucket.
   */
  async deleteVersion(bucket: string, key: string, versionId: string, expectedRowId: string): Promise<void> {
    const { ownerId } = await this.buckets.require(bucket);
    // No bypass header: an object-lock retention or legal hold refuses this like any delete.
    await this.deleteObject({
      bucket,
      key,
      query: new URLSearchParams({ versionId }),
      headers: {},
      ownerId,
      expectedRowId,
    });
  }

  /** DeleteObjects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html); see {@link BulkDeleter}. */
  deleteObjects(input: DeleteObjectsInput): Promise<DeleteObjectsResult> {
    return this.bulk.deleteObjects(input);
  }

  /** CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html); see {@link ObjectCopier}. */
  copyObject(input: CopyObjectInput): Promise<CopyObjectResult> {
    return this.copier.copyObject(input);
  }

  /** Steps shared by GET and HEAD: bucket, row, preconditions, part number, range. */
  private async prepareRead(input: ReadObjectInput, method: string): Promise<PreparedRead> {
    const bucket = await this.buckets.require(input.bucket);
    const versionId = readVersionId(input.query);
    const rangeHeader = headerValue(input.headers, 'range');
    const partNumber = readPartNumber(input.query, rangeHeader);
    const object = await this.reader.find(bucket, input.key, versionId, method);
    checkReadPreconditions(readPreconditions(input.headers), object);
    if (partNumber !== undefined) {
      // Validated now, so a bad part number fails before any file is opened.
      partByteRange(object, partNumber);
      return { bucket, object, input, versionId, partNumber, range: (o) => partByteRange(o, partNumber) };
    }
    return { bucket, object, input, versionId, range: (o) => resolveRange(rangeHeader, o.size) };
  }

  private readResult(read: PreparedRead, object: StoredObject, range: ByteRange | null): HeadObjectResult {
    const headers = objectResponseHeaders(object, {
      isVersioned: read.bucket.versioning !== 'Unversioned',
      // A full-object checksum cannot describe a range, so S3 sends none for ranged reads.
      withChecksums: range === null && isChecksumModeEnabled(read.input.headers),
      overrides: readResponseOverrides(read.input.query),
    });
    if (read.partNumber !== undefined && object.partsCount !== null) {
      headers['x-amz-mp-parts-count'] = String(object.partsCount);
    }
    if (range === null) {
      headers['Content-Length'] = String(object.size);
      return { status: 200, headers, object };
    }
    headers['Content-Length'] = String(range.end - range.start + 1);
    headers['Content-Range'] = contentRange(range, object.size);
    return { status: 206, headers, object };
  }
}
