import { BucketsService } from '@myfsio/buckets';
import { type ChecksumAlgorithm, checksumHeader, isS3Error, S3Error, S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { MultipartRepository, type MultipartPart } from '@myfsio/metadata';
import {
  checkBodyLength,
  checkCopySourcePreconditions,
  claimedChecksum,
  MAX_SINGLE_PUT_BYTES,
  ObjectReaderService,
  parseCopySource,
  readChecksumRequest,
  readContentMd5,
  readPreconditions,
  verifyChecksum,
  verifyContentMd5,
} from '@myfsio/objects';
import { isStorageError, ObjectStore, type StagedPart, type StageOptions } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type {
  UploadPartCopyInput,
  UploadPartCopyResult,
  UploadPartInput,
  UploadPartResult,
} from './multipart.types';
import { readCopySourceRange, readPartNumber, readUploadIdParam } from './request-params';
import { partAlgorithms, uploadChecksumOf } from './upload-checksum';
import { UploadLookup, type UploadRef } from './upload-lookup';

function base64Checksums(staged: StagedPart): Partial<Record<ChecksumAlgorithm, string>> {
  const out: Partial<Record<ChecksumAlgorithm, string>> = {};
  for (const [algorithm, digest] of Object.entries(staged.checksums) as [ChecksumAlgorithm, Buffer][]) {
    out[algorithm] = digest.toString('base64');
  }
  return out;
}

function header(headers: UploadPartCopyInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** UploadPart and UploadPartCopy: a part body streamed into the upload's part area. */
@Injectable()
export class PartUploader {
  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly lookup: UploadLookup,
    private readonly multipart: MultipartRepository,
    private readonly store: ObjectStore,
    private readonly reader: ObjectReaderService,
  ) {}

  /** The largest part one request may carry: MAX_UPLOAD_SIZE, capped at S3's 5 GiB. */
  get maxPartSize(): number {
    return Math.min(this.config.storage.maxUploadSize, MAX_SINGLE_PUT_BYTES);
  }

  /**
   * UploadPart (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html). Throws
   * InvalidArgument (part number), NoSuchBucket, NoSuchUpload, InvalidRequest / InvalidDigest
   * (checksum headers), MissingContentLength, EntityTooLarge, IncompleteBody, BadDigest.
   */
  async uploadPart(input: UploadPartInput): Promise<UploadPartResult> {
    // 1. Validate the request before reading a byte of the body.
    const partNumber = readPartNumber(input.query);
    const ref = await this.lookup.require(input.bucket, input.key, readUploadIdParam(input.query));
    const checksum = readChecksumRequest(input.headers);
    const algorithms = partAlgorithms(uploadChecksumOf(ref.upload), checksum);
    const contentMd5 = readContentMd5(input.headers);
    checkBodyLength(input.bodyLength, input.isAwsChunked, this.maxPartSize);
    // 2. Stage the bytes: MD5 and the checksums are computed on the way through.
    const staged = await this.stage(ref, partNumber, input.body, {
      maxSize: this.maxPartSize,
      expectedSize: input.bodyLength,
      checksums: algorithms,
    });
    try {
      // 3. Verify what the client claimed before the part becomes part of the upload.
      if (contentMd5 !== null) {
        verifyContentMd5(contentMd5, staged.md5.toString('hex'));
      }
      const checksums = base64Checksums(staged);
      if (checksum !== null) {
        const trailers = checksum.trailer === null ? {} : await input.trailers;
        verifyChecksum(
          checksum.algorithm,
          claimedChecksum(checksum, trailers),
          checksums[checksum.algorithm] ?? '',
        );
      }
      // 4. Publish the part file, then record it.
      const part = await this.record(ref, partNumber, staged, checksums);
      const checksumHeaders: Record<string, string> = {};
      for (const [algorithm, value] of Object.entries(checksums) as [ChecksumAlgorithm, string][]) {
        checksumHeaders[checksumHeader(algorithm)] = value;
      }
      return { etag: part.etag, checksumHeaders };
    } finally {
      // 5. A no-op after publish; removes the temp file on every failure path.
      await staged.discard();
    }
  }

  /**
   * UploadPartCopy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html):
   * the source (or `x-amz-copy-source-range` of it) streamed into a part. Throws as UploadPart,
   * plus NoSuchKey/NoSuchVersion (source), InvalidArgument (copy source, malformed range),
   * InvalidRange (range past the source), PreconditionFailed (`x-amz-copy-source-if-*`) and
   * InvalidRequest (a whole source over 5 GiB, a delete marker named by version id).
   */
  async uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyResult> {
    const { headers } = input;
    // 1. Validate the request and resolve the upload and the source row.
    const partNumber = readPartNumber(input.query);
    const source = parseCopySource(header(headers, 'x-amz-copy-source') ?? '');
    const ref = await this.lookup.require(input.bucket, input.key, readUploadIdParam(input.query));
    const sourceBucket =
      source.bucket === ref.bucket.name ? ref.bucket : await this.buckets.require(source.bucket);
    const row = await this.reader.findRow(sourceBucket, source.key, source.versionId);
    if (row.isDeleteMarker) {
      throw source.versionId === undefined
        ? S3Errors.noSuchKey(source.key)
        : S3Errors.invalidRequest(
            'The source of a copy request may not specifically refer to a delete marker by version id.',
          );
    }
    // 2. Source conditions and range are decided on the row; again on the file's row if it changed.
    const conditions = readPreconditions(headers, 'x-amz-copy-source-');
    checkCopySourcePreconditions(conditions, row);
    const range = readCopySourceRange(headers, row.size);
    if (range === null && row.size > MAX_SINGLE_PUT_BYTES) {
      throw S3Errors.invalidRequest(
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_SINGLE_PUT_BYTES}`,
      );
    }
    const algorithms = partAlgorithms(uploadChecksumOf(ref.upload), null);
    const opened = await this.reader.open(sourceBucket, row, (o) => readCopySourceRange(headers, o.size), {
      isVersionRead: source.versionId !== undefined,
    });
    let staged: StagedPart;
    try {
      if (opened.object !== row) {
        checkCopySourcePreconditions(conditions, opened.object);
      }
      const length = opened.range === null ? opened.object.size : opened.range.end - opened.range.start + 1;
      if (length > this.maxPartSize) {
        throw new S3Error('EntityTooLarge', {
          fields: { ProposedSize: length, MaxSizeAllowed: this.maxPartSize },
        });
      }
      // 3. Stream the bytes into a staged part, never buffering them.
      staged = await this.stage(ref, partNumber, opened.reader.stream, {
        expectedSize: length,
        checksums: algorithms,
      });
    } finally {
      opened.reader.stream.destroy();
    }
    try {
      // 4. Publish the part file, then record it.
      const checksums = base64Checksums(staged);
      const part = await this.record(ref, partNumber, staged, checksums);
      return {
        etag: part.etag,
        lastModified: part.lastModified,
        checksums,
        sourceVersionId: sourceBucket.versioning === 'Unversioned' ? null : opened.object.versionId,
      };
    } finally {
      await staged.discard();
    }
  }

  /** Stages a part body, translating the size errors to S3's. */
  private async stage(
    ref: UploadRef,
    partNumber: number,
    body: Readable,
    options: StageOptions,
  ): Promise<StagedPart> {
    try {
      return await this.store.stagePart(ref.upload.uploadId, partNumber, body, options);
    } catch (err) {
      if (isStorageError(err, 'TooLarge')) {
        throw new S3Error('EntityTooLarge', { fields: { MaxSizeAllowed: options.maxSize ?? 0 } });
      }
      if (isStorageError(err, 'SizeMismatch')) {
        throw new S3Error('IncompleteBody');
      }
      throw await this.unlessUploadGone(ref.upload.uploadId, err);
    }
  }

  /**
   * `err`, or `NoSuchUpload` when the upload was completed or aborted meanwhile (its directory
   * can vanish under a part being stored).
   */
  private async unlessUploadGone(uploadId: string, err: unknown): Promise<unknown> {
    if (isS3Error(err)) {
      return err;
    }
    return (await this.multipart.find(uploadId).catch(() => undefined)) === null
      ? S3Errors.noSuchUpload(uploadId)
      : err;
  }

  /**
   * Publishes the staged part and upserts its row (a part number uploaded again replaces the
   * earlier one). When the upload was completed or aborted meanwhile, its leftover files are
   * removed and the answer is `NoSuchUpload`.
   */
  private async record(
    ref: UploadRef,
    partNumber: number,
    staged: StagedPart,
    checksums: Partial<Record<ChecksumAlgorithm, string>>,
  ): Promise<MultipartPart> {
    const { uploadId } = ref.upload;
    try {
      await staged.publish();
    } catch (err) {
      throw await this.unlessUploadGone(uploadId, err);
    }
    const part = await this.multipart.putPart(null, {
      uploadId,
      partNumber,
      size: staged.size,
      etag: staged.md5.toString('hex'),
      checksums: Object.keys(checksums).length > 0 ? checksums : null,
      lastModified: new Date(),
    });
    if (part === null) {
      await this.store.removeUploadParts(uploadId);
      throw S3Errors.noSuchUpload(uploadId);
    }
    return part;
  }
}
