import { S3Error } from '@myfsio/common';
import type { HeaderBag } from './objects.types';
import { decodeHeaderText, headerValue } from './header-values';

/** The storage classes S3 accepts in `x-amz-storage-class`; all are stored alike here. */
export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
  'FSX_OPENZFS',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** S3's limit on user metadata: UTF-8 bytes of names (without `x-amz-meta-`) plus values. */
export const USER_METADATA_MAX_BYTES = 2048;

/** The content type S3 reports for objects stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const META_PREFIX = 'x-amz-meta-';

/** What a PutObject (or a CopyObject with REPLACE) says about the object besides its bytes. */
export interface ObjectAttributes {
  contentType: string;
  contentEncoding: string | null;
  contentDisposition: string | null;
  contentLanguage: string | null;
  cacheControl: string | null;
  expires: string | null;
  /** `x-amz-meta-*` by lower-case name without the prefix. */
  userMetadata: Record<string, string>;
  storageClass: StorageClass;
}

/**
 * Reads the stored attributes of a write request. Throws `MetadataTooLarge` past 2 KB of user
 * metadata (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html) and
 * `InvalidStorageClass` for an unknown `x-amz-storage-class`.
 */
export function readObjectAttributes(headers: HeaderBag): ObjectAttributes {
  const text = (name: string): string | null => {
    const value = headerValue(headers, name);
    return value === undefined ? null : decodeHeaderText(value);
  };
  return {
    contentType: text('content-type') || DEFAULT_CONTENT_TYPE,
    contentEncoding: storedContentEncoding(headerValue(headers, 'content-encoding')),
    contentDisposition: text('content-disposition'),
    contentLanguage: text('content-language'),
    cacheControl: text('cache-control'),
    expires: text('expires'),
    userMetadata: readUserMetadata(headers),
    storageClass: readStorageClass(headers) ?? 'STANDARD',
  };
}

/**
 * `aws-chunked` describes the transfer, not the object: S3 drops it from the stored
 * Content-Encoding and keeps the rest (`aws-chunked,gzip` → `gzip`).
 */
export function storedContentEncoding(value: string | undefined): string | null {
  if (value === undefined) {
    return null;
  }
  const codings = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c.toLowerCase() !== 'aws-chunked');
  return codings.length === 0 ? null : codings.join(',');
}

/** `x-amz-meta-*` headers, size-checked. Throws `MetadataTooLarge`. */
export function readUserMetadata(headers: HeaderBag): Record<string, string> {
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    const raw = headerValue(headers, name);
    if (!lower.startsWith(META_PREFIX) || raw === undefined) {
      continue;
    }
    const metaName = lower.slice(META_PREFIX.length);
    const value = decodeHeaderText(raw);
    metadata[metaName] = value;
    bytes += Buffer.byteLength(metaName) + Buffer.byteLength(value);
  }
  if (bytes > USER_METADATA_MAX_BYTES) {
    throw new S3Error('MetadataTooLarge');
  }
  return metadata;
}

/** `x-amz-storage-class` when present; throws `InvalidStorageClass` for an unknown class. */
export function readStorageClass(headers: HeaderBag): StorageClass | undefined {
  const value = headerValue(headers, 'x-amz-storage-class');
  if (value === undefined) {
    return undefined;
  }
  if (!(STORAGE_CLASSES as readonly string[]).includes(value)) {
    throw new S3Error('InvalidStorageClass', { fields: { StorageClassRequested: value } });
  }
  return value as StorageClass;
}
