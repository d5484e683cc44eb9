import { BucketsService, ObjectLockConfigService } from '@myfsio/buckets';
import { type ChecksumAlgorithm, parseChecksumAlgorithm, S3Errors } from '@myfsio/common';
import { AppConfig } from '@myfsio/config';
import type { ObjectVersion } from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import { checkCopySourcePreconditions, readPreconditions } from './conditionals';
import { parseCopySource } from './copy-source';
import { headerValue } from './header-values';
import { type ObjectAttributes, readObjectAttributes, readStorageClass } from './object-headers';
import { writeLockFields } from './object-lock.service';
import { ObjectReaderService } from './object-reader';
import { ObjectWriter, stagedChecksums } from './object-writer';
import type { CopyObjectInput, CopyObjectResult, HeaderBag } from './objects.types';
import { checkKeyLength, MAX_SINGLE_PUT_BYTES, readWritePreconditions } from './request-checks';
import { readTagging } from './tagging';
import { reportedVersionId } from './version-rules';

type Directive = 'COPY' | 'REPLACE';

const SELF_COPY_MESSAGE =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

/** Headers whose presence changes an object in place (besides metadata and storage class). */
const IN_PLACE_CHANGES = [
  'x-amz-website-redirect-location',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-server-side-encryption-aws-kms-key-id',
];

function readDirective(headers: HeaderBag, name: string, what: string): Directive {
  const value = headerValue(headers, name);
  if (value === undefined) {
    return 'COPY';
  }
  if (value !== 'COPY' && value !== 'REPLACE') {
    throw S3Errors.invalidArgument(name, value, `Unknown ${what} directive.`);
  }
  return value;
}

/** `x-amz-checksum-algorithm` of a copy: the algorithm the copy is to carry instead of the source's. */
function readChecksumAlgorithm(headers: HeaderBag): ChecksumAlgorithm | null {
  const value = headerValue(headers, 'x-amz-checksum-algorithm');
  if (value === undefined) {
    return null;
  }
  const algorithm = parseChecksumAlgorithm(value);
  if (algorithm === null) {
    throw S3Errors.invalidRequest('Value for x-amz-checksum-algorithm header is invalid.');
  }
  return algorithm;
}

function sourceAttributes(source: ObjectVersion): Omit<ObjectAttributes, 'storageClass'> {
  return {
    contentType: source.contentType ?? 'binary/octet-stream',
    contentEncoding: source.contentEncoding,
    contentDisposition: source.contentDisposition,
    contentLanguage: source.contentLanguage,
    cacheControl: source.cacheControl,
    expires: source.expires,
    userMetadata: source.userMetadata,
  };
}

/** CopyObject: a server-side copy streamed from the source file into a new staged file. */
@Injectable()
export class ObjectCopier {
  constructor(
    private readonly config: AppConfig,
    private readonly buckets: BucketsService,
    private readonly reader: ObjectReaderService,
    private readonly writer: ObjectWriter,
    private readonly lockConfig: ObjectLockConfigService,
  ) {}

  /**
   * Throws NoSuchBucket (either bucket), NoSuchKey/NoSuchVersion (source), InvalidArgument
   * (copy source, directives), InvalidRequest (self-copy without change, source over 5 GiB,
   * a delete marker by version id), PreconditionFailed (source or destination conditions),
   * MetadataTooLarge, InvalidStorageClass, InvalidTag, KeyTooLongError.
   */
  async copyObject(input: CopyObjectInput): Promise<CopyObjectResult> {
    const { headers } = input;
    // 1. Validate the request headers.
    checkKeyLength(input.key);
    const source = parseCopySource(headerValue(headers, 'x-amz-copy-source') ?? '');
    const metadataDirective = readDirective(headers, 'x-amz-metadata-directive', 'metadata');
    const taggingDirective = readDirective(headers, 'x-amz-tagging-directive', 'tagging');
    const storageClass = readStorageClass(headers);
    const checksumAlgorithm = readChecksumAlgorithm(headers);
    const conditions = readWritePreconditions(headers);
    const replaced = metadataDirective === 'REPLACE' ? readObjectAttributes(headers) : null;
    const replacedTags =
      taggingDirective === 'REPLACE'
        ? (readTagging(headers, this.config.storage.objectTagLimit) ?? {})
        : null;
    const bucket = await this.buckets.require(input.bucket);
    const sourceBucket = source.bucket === bucket.name ? bucket : await this.buckets.require(source.bucket);
    // The copy's lock comes from this request or the destination's default, never from the source.
    const lock = await writeLockFields(bucket, headers, this.lockConfig);

    // 2. Resolve the source and evaluate the x-amz-copy-source-if-* conditions.
    const row = await this.reader.findRow(sourceBucket, source.key, source.versionId);
    if (row.isDeleteMarker) {
      throw source.versionId === undefined
        ? S3Errors.noSuchKey(source.key)
        : S3Errors.invalidRequest(
            'The source of a copy request may not specifically refer to a delete marker by version id.',
          );
    }
    const sourceConditions = readPreconditions(headers, 'x-amz-copy-source-');
    checkCopySourcePreconditions(sourceConditions, row);
    if (row.size > MAX_SINGLE_PUT_BYTES) {
      throw S3Errors.invalidRequest(
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_SINGLE_PUT_BYTES}`,
      );
    }
    const isSelfCopy = sourceBucket.id === bucket.id && source.key === input.key && row.isLatest;
    const changesInPlace = IN_PLACE_CHANGES.some((name) => headerValue(headers, name) !== undefined);
    if (isSelfCopy && metadataDirective === 'COPY' && storageClass === undefined && !changesInPlace) {
      throw S3Errors.invalidRequest(SELF_COPY_MESSAGE);
    }

    // 3. Stream the source bytes into a staged file, recomputing MD5 and the checksums.
    const algorithms: ChecksumAlgorithm[] =
      checksumAlgorithm !== null
        ? [checksumAlgorithm]
        : Object.keys(row.checksums ?? {}).flatMap((name) => parseChecksumAlgorithm(name) ?? []);
    const opened = await this.reader.open(sourceBucket, row, () => null, {
      isVersionRead: source.versionId !== undefined,
    });
    let staged;
    try {
      if (opened.object !== row) {
        checkCopySourcePreconditions(sourceConditions, opened.object);
      }
      staged = await this.writer.stage(opened.reader.stream, {
        maxSize: MAX_SINGLE_PUT_BYTES,
        expectedSize: opened.object.size,
        checksums: algorithms,
      });
    } finally {
      opened.reader.stream.destroy();
    }
    const copied = opened.object;

    try {
      // 4. Publish and commit under the destination key's mutex, as PutObject does.
      const attributes = replaced ?? sourceAttributes(copied);
      const version = await this.writer.commit(
        bucket,
        input.key,
        staged,
        {
          ...attributes,
          ...lock,
          // x-amz-storage-class applies whatever the directive; S3 copies to STANDARD without it.
          storageClass: storageClass ?? 'STANDARD',
          tags: replacedTags ?? copied.tags,
          ownerId: input.ownerId,
          // S3 does not copy the source's ACL: the copy gets the requested one or the default.
          acl: input.acl ?? null,
        },
        conditions,
      );
      return {
        etag: version.etag,
        lastModified: version.lastModified,
        checksums: stagedChecksums(staged),
        versionId: reportedVersionId(bucket, version),
        sourceVersionId: sourceBucket.versioning === 'Unversioned' ? null : copied.versionId,
      };
    } finally {
      await staged.discard();
    }
  }
}
