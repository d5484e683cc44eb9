import { BucketsService } from '@myfsio/buckets';
import { S3Error, S3Errors } from '@myfsio/common';
import {
  ObjectVersionRepository,
  type ListObjectsPage,
  type ListVersionsPage,
  type ObjectVersion,
} from '@myfsio/metadata';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../http/request-context';
import type { S3Result } from '../http/s3-result';
import { ownerOf, requireBucketName } from './handler-support';

const MAX_KEYS = 1000;

interface ListParams {
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encode: (value: string) => string;
  isUrlEncoded: boolean;
}

function parseParams(q: URLSearchParams): ListParams {
  const rawMax = q.get('max-keys');
  let maxKeys = MAX_KEYS;
  if (rawMax !== null) {
    if (!/^\d+$/.test(rawMax)) {
      throw S3Errors.invalidArgument(
        'max-keys',
        rawMax,
        'Provided max-keys not an integer or within integer range',
      );
    }
    maxKeys = Math.min(Number(rawMax), MAX_KEYS);
  }
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding.toLowerCase() !== 'url') {
    throw S3Errors.invalidArgument('encoding-type', encoding, 'Invalid Encoding Method specified in Request');
  }
  const isUrlEncoded = encoding !== null;
  const delimiter = q.get('delimiter') || undefined;
  return {
    prefix: q.get('prefix') ?? '',
    delimiter,
    maxKeys,
    isUrlEncoded,
    // encoding-type=url: S3 percent-encodes keys so that XML 1.0 can carry any byte.
    encode: isUrlEncoded ? (v) => encodeURIComponent(v).replace(/%2F/g, '/') : (v) => v,
  };
}

/** One `<Contents>` element; v2 shows the owner only with fetch-owner, v1 always. */
function contentsEntry(
  v: ObjectVersion,
  params: ListParams,
  caller: { ID: string; DisplayName: string },
  options: { withOwner: boolean },
) {
  return {
    Key: params.encode(v.key),
    LastModified: v.lastModified,
    ETag: `"${v.etag}"`,
    ChecksumAlgorithm: v.checksums ? Object.keys(v.checksums) : undefined,
    Size: v.size,
    Owner: options.withOwner
      ? { ID: v.ownerId, DisplayName: v.ownerId === caller.ID ? caller.DisplayName : v.ownerId }
      : undefined,
    StorageClass: v.storageClass,
  };
}

/** ListObjects (v1), ListObjectsV2 and ListObjectVersions, served from the ordered metadata index: O(page). */
@Injectable()
export class ListHandlers {
  constructor(
    private readonly buckets: BucketsService,
    private readonly versions: ObjectVersionRepository,
  ) {}

  async listObjects(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const params = parseParams(ctx.op.query);
    const marker = ctx.op.query.get('marker') ?? '';
    const page = await this.page(name, params, marker);
    const owner = ownerOf(ctx);
    return {
      xml: {
        root: 'ListBucketResult',
        body: {
          Name: name,
          Prefix: params.encode(params.prefix),
          Marker: params.encode(marker),
          // S3 sends NextMarker only with a delimiter; without one, clients continue from the last key.
          NextMarker:
            page.isTruncated && params.delimiter && page.nextMarker
              ? params.encode(page.nextMarker)
              : undefined,
          MaxKeys: params.maxKeys,
          Delimiter: params.delimiter === undefined ? undefined : params.encode(params.delimiter),
          IsTruncated: page.isTruncated,
          EncodingType: params.isUrlEncoded ? 'url' : undefined,
          Contents: page.entries.map((v) => contentsEntry(v, params, owner, { withOwner: true })),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: params.encode(p) })),
        },
      },
    };
  }

  async listObjectsV2(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const q = ctx.op.query;
    const params = parseParams(q);
    const token = q.get('continuation-token');
    const startAfter = q.get('start-after') ?? undefined;
    let after = startAfter ?? '';
    if (token !== null) {
      after = decodeToken(token);
    }
    const page = await this.page(name, params, after);
    const fetchOwner = q.get('fetch-owner') === 'true';
    const owner = ownerOf(ctx);
    return {
      xml: {
        root: 'ListBucketResult',
        body: {
          Name: name,
          Prefix: params.encode(params.prefix),
          StartAfter: startAfter === undefined ? undefined : params.encode(startAfter),
          ContinuationToken: token ?? undefined,
          NextContinuationToken:
            page.isTruncated && page.nextMarker ? encodeToken(page.nextMarker) : undefined,
          KeyCount: page.entries.length + page.commonPrefixes.length,
          MaxKeys: params.maxKeys,
          Delimiter: params.delimiter === undefined ? undefined : params.encode(params.delimiter),
          IsTruncated: page.isTruncated,
          EncodingType: params.isUrlEncoded ? 'url' : undefined,
          Contents: page.entries.map((v) => contentsEntry(v, params, owner, { withOwner: fetchOwner })),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: params.encode(p) })),
        },
      },
    };
  }

  /** ListObjectVersions: versions and delete markers, keys in byte order, each key newest first. */
  async listObjectVersions(ctx: RequestContext): Promise<S3Result> {
    const name = requireBucketName(ctx);
    const q = ctx.op.query;
    const params = parseParams(q);
    const keyMarker = q.get('key-marker') ?? '';
    const versionIdMarker = q.get('version-id-marker') ?? '';
    if (versionIdMarker !== '' && keyMarker === '') {
      throw S3Errors.invalidArgument(
        'version-id-marker',
        versionIdMarker,
        'A version-id marker cannot be specified without a key marker.',
      );
    }
    const bucket = await this.buckets.require(name);
    const page: ListVersionsPage =
      params.maxKeys === 0
        ? {
            versions: [],
            commonPrefixes: [],
            isTruncated: false,
            nextKeyMarker: null,
            nextVersionIdMarker: null,
          }
        : await this.versions.listVersions({
            bucketId: bucket.id,
            prefix: params.prefix,
            delimiter: params.delimiter,
            keyMarker: keyMarker === '' ? undefined : keyMarker,
            versionIdMarker: versionIdMarker === '' ? undefined : versionIdMarker,
            maxKeys: params.maxKeys,
          });
    const caller = ownerOf(ctx);
    const owner = (v: ObjectVersion) => ({
      ID: v.ownerId,
      DisplayName: v.ownerId === caller.ID ? caller.DisplayName : v.ownerId,
    });
    return {
      xml: {
        root: 'ListVersionsResult',
        body: {
          Name: name,
          Prefix: params.encode(params.prefix),
          KeyMarker: params.encode(keyMarker),
          VersionIdMarker: versionIdMarker,
          NextKeyMarker:
            page.isTruncated && page.nextKeyMarker !== null ? params.encode(page.nextKeyMarker) : undefined,
          NextVersionIdMarker:
            page.isTruncated && page.nextVersionIdMarker !== null ? page.nextVersionIdMarker : undefined,
          MaxKeys: params.maxKeys,
          Delimiter: params.delimiter === undefined ? undefined : params.encode(params.delimiter),
          IsTruncated: page.isTruncated,
          EncodingType: params.isUrlEncoded ? 'url' : undefined,
          // Versions and delete markers interleaved in listing order, as S3 writes them.
          '#sequence': page.versions.map((v) =>
            v.isDeleteMarker
              ? {
                  DeleteMarker: {
                    Key: params.encode(v.key),
                    VersionId: v.versionId,
                    IsLatest: v.isLatest,
                    LastModified: v.lastModified,
                    Owner: owner(v),
                  },
                }
              : {
                  Version: {
                    Key: params.encode(v.key),
                    VersionId: v.versionId,
                    IsLatest: v.isLatest,
                    LastModified: v.lastModified,
                    ETag: `"${v.etag}"`,
                    ChecksumAlgorithm: v.checksums ? Object.keys(v.checksums) : undefined,
                    Size: v.size,
                    Owner: owner(v),
                    StorageClass: v.storageClass,
                  },
                },
          ),
          CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: params.encode(p) })),
        },
      },
    };
  }

  private async page(bucketName: string, params: ListParams, after: string): Promise<ListObjectsPage> {
    const bucket = await this.buckets.require(bucketName);
    if (params.maxKeys === 0) {
      return { entries: [], commonPrefixes: [], isTruncated: false, nextMarker: null };
    }
    return this.versions.listCurrent({
      bucketId: bucket.id,
      prefix: params.prefix,
      delimiter: params.delimiter,
      startAfter: after === '' ? undefined : after,
      maxKeys: params.maxKeys,
    });
  }
}

/** Continuation tokens are opaque to clients: the last key returned, base64url-encoded. */
function encodeToken(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {
    throw new S3Error('InvalidArgument', {
      message: 'The continuation token provided is incorrect',
      fields: { ArgumentName: 'continuation-token', ArgumentValue: token },
    });
  }
  return Buffer.from(token, 'base64url').toString('utf8');
}
