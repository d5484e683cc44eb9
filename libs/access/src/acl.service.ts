import { BucketsService } from '@myfsio/buckets';
import { type Bucket, BucketRepository, ObjectVersionRepository } from '@myfsio/metadata';
import { ObjectReaderService } from '@myfsio/objects';
import { Injectable } from '@nestjs/common';
import { AccessChanges } from './access-changes';
import type { AccessControlList, AclGrant } from './acl';
import { aclFromHeaders } from './acl-headers';
import { decodeStoredAcl, encodeStoredAcl } from './stored-acl';

type HeaderBag = Record<string, string | string[] | undefined>;

/** An object's ACL with the version it belongs to (for `x-amz-version-id`). */
export interface ObjectAclResult {
  acl: AccessControlList;
  versionId: string;
}

/**
 * Bucket and object ACLs: Get/PutBucketAcl, Get/PutObjectAcl, the ACL a write request asks
 * for (`x-amz-acl`, `x-amz-grant-*`), and the decoded ACLs the authorizer consults. A bucket's
 * ACL lives in its row (cached with the row by BucketsService); decoded lists are memoised by
 * their stored text, so a request decodes nothing while the ACL is unchanged.
 */
@Injectable()
export class AclService {
  private readonly decoded = new Map<string, AccessControlList>();

  constructor(
    private readonly buckets: BucketsService,
    private readonly bucketRows: BucketRepository,
    private readonly versions: ObjectVersionRepository,
    private readonly reader: ObjectReaderService,
    private readonly changes: AccessChanges,
  ) {}

  /** The decoded ACL of a bucket row. */
  bucketAcl(bucket: Bucket): AccessControlList {
    return this.decode(bucket.acl, bucket.ownerId);
  }

  /**
   * The ACL of the object the request names (its current version, or `versionId`), or null when
   * there is no such object or it is a delete marker. One query; only asked when policies alone
   * did not allow a request.
   */
  async objectAcl(bucket: Bucket, key: string, versionId?: string): Promise<AccessControlList | null> {
    const row =
      versionId === undefined
        ? await this.versions.findCurrent(bucket.id, key)
        : await this.versions.findVersion(bucket.id, key, versionId);
    return row === null || row.isDeleteMarker ? null : this.decode(row.acl, row.ownerId);
  }

  /**
   * The tags of the object a policy condition asks about (s3:ExistingObjectTag/<key>): the
   * current version's, or `versionId`'s; null for a missing object or a delete marker. Kept
   * beside objectAcl: both read the version row on the authorization path, and only when a
   * decision needs them.
   */
  async objectTags(bucket: Bucket, key: string, versionId?: string): Promise<Record<string, string> | null> {
    const row =
      versionId === undefined
        ? await this.versions.findCurrent(bucket.id, key)
        : await this.versions.findVersion(bucket.id, key, versionId);
    return row === null || row.isDeleteMarker ? null : (row.tags ?? {});
  }

  /** GetBucketAcl. Throws NoSuchBucket. */
  async getBucketAcl(name: string): Promise<AccessControlList> {
    return this.bucketAcl(await this.buckets.require(name));
  }

  /** PutBucketAcl: replaces the grants. Throws NoSuchBucket. */
  async putBucketAcl(name: string, grants: AclGrant[]): Promise<void> {
    const bucket = await this.buckets.require(name);
    await this.bucketRows.update(null, bucket.id, { acl: encodeStoredAcl(grants) });
    this.buckets.invalidate(name);
    await this.changes.changed(bucket.id);
  }

  /** GetObjectAcl. Throws NoSuchBucket, NoSuchKey, NoSuchVersion, MethodNotAllowed (delete marker). */
  async getObjectAcl(name: string, key: string, versionId: string | undefined): Promise<ObjectAclResult> {
    const bucket = await this.buckets.require(name);
    const row = await this.reader.find(bucket, key, versionId, 'GET');
    return { acl: this.decode(row.acl, row.ownerId), versionId: row.versionId };
  }

  /** PutObjectAcl: replaces the grants of one version. Throws as {@link getObjectAcl}. */
  async putObjectAcl(
    name: string,
    key: string,
    versionId: string | undefined,
    grants: AclGrant[],
  ): Promise<{ versionId: string }> {
    const bucket = await this.buckets.require(name);
    const row = await this.reader.find(bucket, key, versionId, 'PUT');
    await this.versions.update(null, row.id, { acl: encodeStoredAcl(grants) });
    return { versionId: row.versionId };
  }

  /**
   * The stored ACL a write (PutObject, CopyObject, CreateMultipartUpload) asks for through
   * `x-amz-acl`/`x-amz-grant-*`, for an object written by `ownerId`; null for the default.
   * Throws NoSuchBucket, InvalidArgument and InvalidRequest.
   */
  async aclForWrite(headers: HeaderBag, bucketName: string, ownerId: string): Promise<string | null> {
    if (!hasAclHeaders(headers)) {
      return null;
    }
    const bucket = await this.buckets.require(bucketName);
    const grants = aclFromHeaders(headers, ownerId, bucket.ownerId);
    return grants === null ? null : encodeStoredAcl(grants);
  }

  private decode(column: string | null | undefined, ownerId: string): AccessControlList {
    const memoKey = `${ownerId}\u0000${column ?? ''}`;
    let acl = this.decoded.get(memoKey);
    if (acl === undefined) {
      acl = decodeStoredAcl(column, ownerId);
      if (this.decoded.size > 10_000) {
        this.decoded.clear();
      }
      this.decoded.set(memoKey, acl);
    }
    return acl;
  }
}

/** Whether a request carries `x-amz-acl` or any `x-amz-grant-*` header. */
export function hasAclHeaders(headers: HeaderBag): boolean {
  return Object.keys(headers).some((h) => h === 'x-amz-acl' || h.startsWith('x-amz-grant-'));
}
