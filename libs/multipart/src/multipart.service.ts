import { BucketsService } from '@myfsio/buckets';
import { S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import { MultipartRepository, type UploadMetadata } from '@myfsio/metadata';
import { checkKeyLength, readObjectAttributes, readTagging, requestedLockFields } from '@myfsio/objects';
import { ObjectStore } from '@myfsio/storage';
import { Injectable } from '@nestjs/common';
import type {
  CompleteUploadInput,
  CompleteUploadResult,
  CreateUploadInput,
  CreateUploadResult,
  ListPartsResult,
  ListUploadsInput,
  ListUploadsResult,
  UploadPartCopyInput,
  UploadPartCopyResult,
  UploadPartInput,
  UploadPartResult,
  UploadTarget,
} from './multipart.types';
import { PartUploader } from './part-uploader';
import { readMaxParts, readMaxUploads, readPartNumberMarker, readUploadIdParam } from './request-params';
import { lockExtra, UploadCompleter } from './upload-completer';
import { readUploadChecksum } from './upload-checksum';
import { newUploadId } from './upload-id';
import { UploadLookup } from './upload-lookup';

/**
 * The S3 multipart upload operations. Bytes go through the ObjectStore port (parts in the
 * system area, the assembled object at its plain path), rows through MultipartRepository and
 * ObjectVersionRepository; client mistakes are S3Errors, infrastructure failures pass through.
 */
@Injectable()
export class MultipartService {
  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly lookup: UploadLookup,
    private readonly multipart: MultipartRepository,
    private readonly store: ObjectStore,
    private readonly parts: PartUploader,
    private readonly completer: UploadCompleter,
  ) {}

  /**
   * CreateMultipartUpload (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html):
   * records the upload with the attributes the object will get. Throws NoSuchBucket,
   * KeyTooLongError, MetadataTooLarge, InvalidStorageClass, InvalidTag, InvalidRequest (checksum).
   */
  async createMultipartUpload(input: CreateUploadInput): Promise<CreateUploadResult> {
    checkKeyLength(input.key);
    const attributes = readObjectAttributes(input.headers);
    const tags = readTagging(input.headers, this.config.storage.objectTagLimit);
    const checksum = readUploadChecksum(input.headers);
    const bucket = await this.buckets.require(input.bucket);
    const lock = requestedLockFields(bucket, input.headers);
    const metadata: UploadMetadata = {
      contentType: attributes.contentType,
      contentEncoding: attributes.contentEncoding ?? undefined,
      contentDisposition: attributes.contentDisposition ?? undefined,
      contentLanguage: attributes.contentLanguage ?? undefined,
      cacheControl: attributes.cacheControl ?? undefined,
      expires: attributes.expires ?? undefined,
      userMetadata: attributes.userMetadata,
      tags,
      acl: input.acl ?? undefined,
      extra: lockExtra(lock),
    };
    const upload = await this.multipart.create(null, {
      uploadId: newUploadId(),
      bucketId: bucket.id,
      key: input.key,
      ownerId: input.ownerId,
      storageClass: attributes.storageClass,
      checksumAlgorithm: checksum?.algorithm ?? null,
      checksumType: checksum?.type ?? null,
      metadata,
    });
    return { uploadId: upload.uploadId, checksum };
  }

  /** UploadPart; see {@link PartUploader.uploadPart}. */
  uploadPart(input: UploadPartInput): Promise<UploadPartResult> {
    return this.parts.uploadPart(input);
  }

  /** UploadPartCopy; see {@link PartUploader.uploadPartCopy}. */
  uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyResult> {
    return this.parts.uploadPartCopy(input);
  }

  /** CompleteMultipartUpload; see {@link UploadCompleter.complete}. */
  completeMultipartUpload(input: CompleteUploadInput): Promise<CompleteUploadResult> {
    return this.completer.complete(input);
  }

  /**
   * AbortMultipartUpload (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html):
   * deletes the upload row (conditionally: of a racing completion or abort exactly one wins,
   * the other gets NoSuchUpload), then its part files. Throws NoSuchBucket, NoSuchUpload.
   */
  async abortMultipartUpload(input: UploadTarget): Promise<void> {
    const uploadId = readUploadIdParam(input.query);
    await this.lookup.require(input.bucket, input.key, uploadId);
    if (!(await this.multipart.delete(null, uploadId))) {
      throw S3Errors.noSuchUpload(uploadId);
    }
    await this.store.removeUploadParts(uploadId);
  }

  /**
   * ListParts (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html): parts after
   * `part-number-marker`, at most `max-parts` (≤ 1000). Throws NoSuchBucket, NoSuchUpload,
   * InvalidArgument.
   */
  async listParts(input: UploadTarget): Promise<ListPartsResult> {
    const maxParts = readMaxParts(input.query);
    const partNumberMarker = readPartNumberMarker(input.query);
    const { upload } = await this.lookup.require(input.bucket, input.key, readUploadIdParam(input.query));
    const page = await this.multipart.listParts(upload.uploadId, { partNumberMarker, maxParts });
    return { upload, page, maxParts, partNumberMarker };
  }

  /**
   * ListMultipartUploads (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html):
   * uploads in progress in key order (then initiation order), rolled up at `delimiter`, after
   * `key-marker` / `upload-id-marker`, at most `max-uploads` (≤ 1000). O(page) index reads.
   * Throws NoSuchBucket, InvalidArgument.
   */
  async listMultipartUploads(input: ListUploadsInput): Promise<ListUploadsResult> {
    const q = input.query;
    const maxUploads = readMaxUploads(q);
    const bucket = await this.buckets.require(input.bucket);
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') || undefined;
    const keyMarker = q.get('key-marker') || undefined;
    // S3 ignores upload-id-marker without key-marker.
    const uploadIdMarker = keyMarker === undefined ? undefined : q.get('upload-id-marker') || undefined;
    const page =
      maxUploads === 0
        ? {
            uploads: [],
            commonPrefixes: [],
            isTruncated: false,
            nextKeyMarker: null,
            nextUploadIdMarker: null,
          }
        : await this.multipart.listUploads({
            bucketId: bucket.id,
            prefix,
            delimiter,
            keyMarker,
            uploadIdMarker,
            maxUploads,
          });
    return { page, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads };
  }
}
