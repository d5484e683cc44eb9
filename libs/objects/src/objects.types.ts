import type { ChecksumAlgorithm } from '@myfsio/common';
import type { ObjectVersion } from '@myfsio/metadata';
import type { Readable } from 'node:stream';

/** Request headers as Node delivers them: lower-case names, repeated ones as arrays. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** An object version as stored in the metadata database. */
export type StoredObject = ObjectVersion;

/** PutObject: where, the body as the gateway verified it, and the request headers. */
export interface PutObjectInput {
  bucket: string;
  key: string;
  /** The verified body; consumed (or left to the caller on a size error) by putObject. */
  body: Readable;
  /** Decoded body length (Content-Length or x-amz-decoded-content-length); undefined when unknown. */
  bodyLength: number | undefined;
  /** True for aws-chunked bodies, whose length may legitimately be unknown up front. */
  isAwsChunked: boolean;
  /** Trailing headers of an aws-chunked body; resolves when the body ends. */
  trailers: Promise<Record<string, string>>;
  headers: HeaderBag;
  ownerId: string;
  /** The stored ACL the request set (x-amz-acl / x-amz-grant-*), or null/absent for the default. */
  acl?: string | null;
}

/** What PutObject answers with. */
export interface PutObjectResult {
  /** MD5 hex, unquoted. */
  etag: string;
  /** Set once the bucket has had versioning configured (Enabled: a fresh id; Suspended: `null`). */
  versionId: string | null;
  /** `x-amz-checksum-*` (and `x-amz-checksum-type`) for the checksum the client sent; empty otherwise. */
  checksumHeaders: Record<string, string>;
}

/** GetObject/HeadObject: where, the query (versionId, partNumber, response-*) and the headers. */
export interface ReadObjectInput {
  bucket: string;
  key: string;
  query: URLSearchParams;
  headers: HeaderBag;
}

/** HeadObject's answer: status (200 or 206) and every response header. */
export interface HeadObjectResult {
  status: 200 | 206;
  headers: Record<string, string>;
  object: StoredObject;
}

/** GetObject's answer: HeadObject's plus the bytes, which the caller must consume or destroy. */
export interface GetObjectResult extends HeadObjectResult {
  body: Readable;
}

/** DeleteObject: where, the query (`versionId`), the headers and the caller (owner of a delete marker). */
export interface DeleteObjectInput {
  bucket: string;
  key: string;
  query: URLSearchParams;
  /**
   * Internal callers only (lifecycle): delete only while the version addressed (the current one
   * without `versionId`) is still this row (`ObjectVersion.id`), so a write that landed after the
   * caller decided survives. Never read from a request.
   */
  expectedRowId?: string;
  headers: HeaderBag;
  ownerId: string;
  /** `x-amz-bypass-governance-retention` and s3:BypassGovernanceRetention; none when absent. */
  bypassGovernance?: () => Promise<boolean>;
}

/** What DeleteObject answers with (always 204). */
export interface DeleteObjectResult {
  /** `x-amz-version-id`: the version removed or the delete marker created; null when unversioned. */
  versionId: string | null;
  /** `x-amz-delete-marker: true`: a delete marker was created or removed. */
  isDeleteMarker: boolean;
}

/** DeleteObjects: the bucket, the XML body and the request headers (Content-MD5 / checksum). */
export interface DeleteObjectsInput {
  bucket: string;
  body: Readable;
  headers: HeaderBag;
  /** Trailing headers of an aws-chunked body (a trailing checksum); resolves when the body ends. */
  trailers: Promise<Record<string, string>>;
  /**
   * The caller's permission to delete each listed key (s3:DeleteObject, or s3:DeleteObjectVersion
   * with a versionId); a refused key is reported as AccessDenied and left alone. Omitted: all may.
   */
  isKeyAllowed?: (key: string, versionId: string | undefined) => Promise<boolean>;
  /** The caller, owner of the delete markers created; the bucket owner when absent. */
  ownerId?: string;
  /** `x-amz-bypass-governance-retention` and s3:BypassGovernanceRetention; none when absent. */
  bypassGovernance?: () => Promise<boolean>;
}

/** One `<Deleted>` entry. */
export interface DeletedEntry {
  key: string;
  versionId?: string;
  /** `<DeleteMarker>true`: a delete marker was created, or the version removed was one. */
  deleteMarker?: boolean;
  /** `<DeleteMarkerVersionId>`: the version id of that delete marker. */
  deleteMarkerVersionId?: string;
}

/** One `<Error>` entry. */
export interface DeleteErrorEntry {
  key: string;
  versionId?: string;
  code: string;
  message: string;
}

/** DeleteObjects' answer; `deleted` is empty in quiet mode. */
export interface DeleteObjectsResult {
  deleted: DeletedEntry[];
  errors: DeleteErrorEntry[];
}

/** CopyObject: the destination, the request headers (copy source, directives, conditions). */
export interface CopyObjectInput {
  bucket: string;
  key: string;
  headers: HeaderBag;
  ownerId: string;
  /** The stored ACL the request set (x-amz-acl / x-amz-grant-*), or null/absent for the default. */
  acl?: string | null;
}

/** What CopyObject answers with: the `CopyObjectResult` fields and its headers. */
export interface CopyObjectResult {
  etag: string;
  lastModified: Date;
  /** Checksums of the copy by algorithm (base64). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Set once the destination bucket has had versioning configured. */
  versionId: string | null;
  /** Set only when the source bucket is versioned. */
  sourceVersionId: string | null;
}
