import type { ChecksumAlgorithm } from '@myfsio/common';
import type { ChecksumType, ListPartsPage, ListUploadsPage, MultipartUpload } from '@myfsio/metadata';
import type { HeaderBag } from '@myfsio/objects';
import type { Readable } from 'node:stream';
import type { CompletedPart } from './part-list';

/** Where an upload operation applies: bucket and key from the path, `uploadId`/`partNumber`/list options in the query. */
export interface UploadTarget {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/** CreateMultipartUpload: the object to be, the request headers, and who starts it. */
export interface CreateUploadInput {
  bucket: string;
  key: string;
  headers: HeaderBag;
  ownerId: string;
  /** The stored ACL the request set (x-amz-acl / x-amz-grant-*), applied on completion; null/absent: default. */
  acl?: string | null;
}

/** What CreateMultipartUpload answers with. */
export interface CreateUploadResult {
  uploadId: string;
  /** `x-amz-checksum-algorithm` / `x-amz-checksum-type` to echo; null without an algorithm. */
  checksum: { algorithm: ChecksumAlgorithm; type: ChecksumType } | null;
}

/** UploadPart: the target, the verified body and its headers (as PutObject). */
export interface UploadPartInput extends UploadTarget {
  /** The verified body; consumed (or left to the caller on a size error). */
  body: Readable;
  /** Decoded body length; undefined when unknown (aws-chunked without a decoded length). */
  bodyLength: number | undefined;
  isAwsChunked: boolean;
  /** Trailing headers of an aws-chunked body (a trailing checksum); resolves when the body ends. */
  trailers: Promise<Record<string, string>>;
  headers: HeaderBag;
}

/** What UploadPart answers with. */
export interface UploadPartResult {
  /** MD5 hex of the part, unquoted. */
  etag: string;
  /** `x-amz-checksum-<algorithm>` of the part, when one was computed. */
  checksumHeaders: Record<string, string>;
}

/** UploadPartCopy: the target and the headers (`x-amz-copy-source*`). */
export interface UploadPartCopyInput extends UploadTarget {
  headers: HeaderBag;
}

/** What UploadPartCopy answers with (`CopyPartResult`). */
export interface UploadPartCopyResult {
  etag: string;
  lastModified: Date;
  /** Checksums of the part by algorithm (base64). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Set when the source bucket is versioned. */
  sourceVersionId: string | null;
}

/** CompleteMultipartUpload: the target, the parts listed in the XML body, and the request headers. */
export interface CompleteUploadInput extends UploadTarget {
  parts: CompletedPart[];
  /** `If-Match` / `If-None-Match`, `x-amz-checksum-*` of the whole object, `x-amz-checksum-type`. */
  headers: HeaderBag;
}

/** What CompleteMultipartUpload answers with. */
export interface CompleteUploadResult {
  /** `<md5 of part md5s>-N`, unquoted. */
  etag: string;
  size: number;
  /** The object checksum (base64, `-N` for COMPOSITE), or null when the upload had no algorithm. */
  checksum: { algorithm: ChecksumAlgorithm; value: string; type: ChecksumType } | null;
  /** Set only for buckets with versioning enabled. */
  versionId: string | null;
}

/** What ListParts answers with: the upload, the page and the options it was read with. */
export interface ListPartsResult {
  upload: MultipartUpload;
  page: ListPartsPage;
  maxParts: number;
  partNumberMarker: number;
}

/** ListMultipartUploads: the bucket and the query (prefix, delimiter, markers, max-uploads). */
export interface ListUploadsInput {
  bucket: string;
  query: URLSearchParams;
}

/** What ListMultipartUploads answers with: the page and the options it was read with. */
export interface ListUploadsResult {
  page: ListUploadsPage;
  prefix: string;
  delimiter: string | undefined;
  keyMarker: string | undefined;
  uploadIdMarker: string | undefined;
  maxUploads: number;
}
