import { checksumHeader, S3Error, S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import {
  MultipartRepository,
  type MultipartPart,
  type MultipartUpload,
  type NewObjectVersion,
  type ObjectVersion,
} from '@myfsio/metadata';
import { ObjectLockConfigService } from '@myfsio/buckets';
import {
  KeyedMutex,
  type LockFields,
  newVersionLockFields,
  ObjectWriter,
  type VersionWrite,
} from '@myfsio/objects';
import { type AssembledObject, ObjectStore } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import { compositeEtag, objectChecksum, partSizeRuns } from './composite';
import type { CompleteUploadInput, CompleteUploadResult } from './multipart.types';
import { selectParts } from './part-list';
import { readUploadIdParam } from './request-params';
import { type UploadChecksum, uploadChecksumOf } from './upload-checksum';
import { UploadLookup, type UploadRef } from './upload-lookup';

/** The `x-amz-object-lock-*` headers of CreateMultipartUpload, kept in the upload's `extra` attributes. */
export function lockExtra(lock: LockFields): Record<string, string> | undefined {
  const extra: Record<string, string> = {};
  if (lock.lockMode !== null && lock.lockRetainUntil !== null) {
    extra['object-lock-mode'] = lock.lockMode;
    extra['object-lock-retain-until-date'] = lock.lockRetainUntil.toISOString();
  }
  if (lock.legalHold !== null) {
    extra['object-lock-legal-hold'] = lock.legalHold ? 'ON' : 'OFF';
  }
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/** The lock fields {@link lockExtra} kept. */
function lockFromExtra(extra: Record<string, string> | undefined): LockFields {
  const mode = extra?.['object-lock-mode'];
  const until = extra?.['object-lock-retain-until-date'];
  const hold = extra?.['object-lock-legal-hold'];
  return {
    lockMode: mode === 'GOVERNANCE' || mode === 'COMPLIANCE' ? mode : null,
    lockRetainUntil: until === undefined ? null : new Date(until),
    legalHold: hold === undefined ? null : hold === 'ON',
  };
}

/** S3's largest object: 5 TiB. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;

function header(headers: CompleteUploadInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `If-Match` / `If-None-Match` of the completion; `If-None-Match` takes only `*`, as on PutObject. */
function readConditions(headers: CompleteUploadInput['headers']): { ifMatch?: string; ifNoneMatch?: string } {
  const ifNoneMatch = header(headers, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw S3Errors.notImplemented('If-None-Match with a value other than *');
  }
  return { ifMatch: header(headers, 'if-match'), ifNoneMatch };
}

/**
 * `x-amz-checksum-type` and a full-object `x-amz-checksum-<algorithm>` sent with the completion
 * must agree with what the upload computes, else `BadDigest`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_RequestSyntax).
 */
function verifyClaimedChecksum(
  headers: CompleteUploadInput['headers'],
  checksum: UploadChecksum | null,
  value: string | null,
): void {
  const type = header(headers, 'x-amz-checksum-type');
  if (type !== undefined && type.toUpperCase() !== (checksum?.type ?? '')) {
    throw new S3Error('BadDigest', { message: `The checksum type ${type} does not match the upload's.` });
  }
  if (checksum !== null && value !== null) {
    const claimed = header(headers, checksumHeader(checksum.algorithm));
    if (claimed !== undefined && claimed.trim() !== value) {
      throw new S3Error('BadDigest', {
        message: `The ${checksum.algorithm} you specified did not match the calculated checksum.`,
      });
    }
  }
}

/**
 * CompleteMultipartUpload: checks the part list, concatenates the part files into one temp
 * file, then publishes it and commits the object row exactly as PutObject does, deleting the
 * upload row in the same transaction.
 */
@Injectable()
export class UploadCompleter {
  private readonly logger = new Logger('CompleteMultipartUpload');
  /** One completion per upload at a time in this process; a second waits, then finds the upload gone. */
  private readonly completing = new KeyedMutex();

  constructor(
    private readonly config: AppConfig,
    private readonly lookup: UploadLookup,
    private readonly multipart: MultipartRepository,
    private readonly store: ObjectStore,
    private readonly writer: ObjectWriter,
    private readonly lockConfig: ObjectLockConfigService,
  ) {}

  /**
   * CompleteMultipartUpload (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
   * Throws NoSuchBucket, NoSuchUpload (also to the loser of a race with another completion or an
   * abort), MalformedXML, InvalidPartOrder, InvalidPart, EntityTooSmall, EntityTooLarge,
   * InvalidRequest, BadDigest, PreconditionFailed, NoSuchKey (If-Match). On any error before
   * the commit, nothing is published and the upload stays as it was, so the client can retry.
   */
  async complete(input: CompleteUploadInput): Promise<CompleteUploadResult> {
    const uploadId = readUploadIdParam(input.query);
    const conditions = readConditions(input.headers);
    return this.completing.runExclusive(uploadId, async () => {
      // 1. Resolve the upload and check the requested list against the stored parts.
      const ref = await this.lookup.require(input.bucket, input.key, uploadId);
      const checksum = uploadChecksumOf(ref.upload);
      const parts = selectParts(input.parts, await this.multipart.allParts(uploadId), {
        minPartSize: this.config.storage.multipartMinPartSize,
        checksum,
      });
      const size = parts.reduce((sum, p) => sum + p.size, 0);
      if (size > MAX_OBJECT_BYTES) {
        throw new S3Error('EntityTooLarge', {
          fields: { ProposedSize: size, MaxSizeAllowed: MAX_OBJECT_BYTES },
        });
      }
      // 2. ETag and checksum come from the stored part digests: the object is never re-read.
      const etag = compositeEtag(parts);
      const checksumValue = checksum === null ? null : await objectChecksum(checksum, parts);
      verifyClaimedChecksum(input.headers, checksum, checksumValue);
      // 3. Concatenate the part files into a temp file (fsynced, not yet visible).
      const assembled = await this.assemble(ref, parts);
      try {
        // 4. Publish and commit under the key's mutex, claiming the upload in the same transaction.
        const version = await this.commit(ref, assembled, conditions, {
          etag,
          size,
          checksums:
            checksum === null || checksumValue === null ? null : { [checksum.algorithm]: checksumValue },
          checksumType: checksum?.type ?? null,
          parts,
        });
        // 5. The upload is gone; its part files are garbage now. They are removed after the
        //    answer, not before: unlinking 1 GiB of parts costs ~0.2 s that the client need not
        //    wait for. Whatever a stop or a failure leaves behind, GC reclaims as an orphaned
        //    part directory.
        void this.store.removeUploadParts(uploadId).catch((err: unknown) => {
          this.logger.warn({ err, uploadId }, 'completed upload left part files behind');
        });
        return {
          etag: version.etag,
          size: version.size,
          checksum:
            checksum === null || checksumValue === null
              ? null
              : { algorithm: checksum.algorithm, value: checksumValue, type: checksum.type },
          versionId: ref.bucket.versioning === 'Unversioned' ? null : version.versionId,
        };
      } finally {
        // A no-op after publish; removes the temp file on every failure path.
        await assembled.discard();
      }
    });
  }

  /**
   * Assembles the parts. An abort racing with the completion removes the part files; the
   * failure then reads as the `NoSuchUpload` it is rather than a storage error.
   */
  private async assemble(ref: UploadRef, parts: MultipartPart[]): Promise<AssembledObject> {
    const { uploadId } = ref.upload;
    try {
      return await this.store.assembleParts(
        uploadId,
        parts.map((p) => ({ partNumber: p.partNumber, md5: p.etag, size: p.size })),
      );
    } catch (err) {
      if ((await this.multipart.find(uploadId)) === null) {
        throw S3Errors.noSuchUpload(uploadId);
      }
      throw err;
    }
  }

  /**
   * Makes the assembled file the current object, as PutObject does (ObjectWriter.commitVersion:
   * the key's mutex, conditional-write headers, S3's versioning rules), with the upload claimed
   * in the commit transaction: its row is deleted conditionally (if it is gone, a concurrent
   * completion or abort won and this one is `NoSuchUpload`; its row lock holds off the other
   * until commit) before the file is published. A failure before the commit rolls the upload
   * row back, so the upload can be completed again.
   */
  private async commit(
    ref: UploadRef,
    assembled: AssembledObject,
    conditions: { ifMatch?: string; ifNoneMatch?: string },
    object: Pick<NewObjectVersion, 'etag' | 'size' | 'checksums' | 'checksumType'> & {
      parts: MultipartPart[];
    },
  ): Promise<ObjectVersion> {
    const { bucket, upload } = ref;
    // The retention period of a bucket default starts when the object is created, at completion.
    const lock = await newVersionLockFields(bucket, lockFromExtra(upload.metadata.extra), this.lockConfig);
    return this.writer.commitVersion(bucket, upload.key, {
      row: { ...this.versionRow(ref, object), ...lock },
      conditions,
      claim: async (tx) => {
        if (!(await this.multipart.delete(tx, upload.uploadId))) {
          throw S3Errors.noSuchUpload(upload.uploadId);
        }
      },
      publish: () => assembled.publish(bucket.name, upload.key),
    });
  }

  private versionRow(
    ref: UploadRef,
    object: Pick<NewObjectVersion, 'etag' | 'size' | 'checksums' | 'checksumType'> & {
      parts: MultipartPart[];
    },
  ): VersionWrite['row'] {
    const upload: MultipartUpload = ref.upload;
    const m = upload.metadata;
    return {
      isDeleteMarker: false,
      size: object.size,
      etag: object.etag,
      checksums: object.checksums,
      checksumType: object.checksumType,
      ownerId: upload.ownerId,
      storageClass: upload.storageClass,
      contentType: m.contentType ?? null,
      contentEncoding: m.contentEncoding ?? null,
      contentDisposition: m.contentDisposition ?? null,
      contentLanguage: m.contentLanguage ?? null,
      cacheControl: m.cacheControl ?? null,
      expires: m.expires ?? null,
      userMetadata: m.userMetadata,
      tags: m.tags ?? null,
      acl: m.acl ?? null,
      partsCount: object.parts.length,
      partSizes: partSizeRuns(object.parts),
      lastModified: new Date(),
    };
  }
}
