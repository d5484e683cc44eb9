import { S3Error, S3Errors } from '@myfsio/common';
import type { Bucket, ObjectVersion } from '@myfsio/metadata';
import { ObjectVersionRepository } from '@myfsio/metadata';
import { type ObjectReader, ObjectStore } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import type { ByteRange } from './range';

/** How many times a read re-fetches the row when the file it opened belongs to a newer write. */
const CONSISTENT_READ_ATTEMPTS = 3;

/**
 * Looks up object rows for reads and opens their bytes, keeping row and file consistent.
 * Shared by GetObject, HeadObject and CopyObject (for the source).
 */
@Injectable()
export class ObjectReaderService {
  private readonly logger = new Logger('ObjectReader');

  constructor(
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
  ) {}

  /**
   * The current row of `key` (possibly a delete marker) or the named version. Throws
   * `NoSuchKey` when the key has no row and `NoSuchVersion` for an unknown version.
   */
  async findRow(bucket: Bucket, key: string, versionId: string | undefined): Promise<ObjectVersion> {
    if (versionId === undefined) {
      const current = await this.versions.findCurrent(bucket.id, key);
      if (current === null) {
        throw S3Errors.noSuchKey(key);
      }
      return current;
    }
    const version = await this.versions.findVersion(bucket.id, key, versionId);
    if (version === null) {
      throw new S3Error('NoSuchVersion', { resource: key, fields: { Key: key, VersionId: versionId } });
    }
    return version;
  }

  /**
   * The object to read: {@link findRow}, refusing delete markers as GetObject does — a current
   * delete marker is `NoSuchKey` and a named one `MethodNotAllowed`, both with
   * `x-amz-delete-marker`.
   */
  async find(
    bucket: Bucket,
    key: string,
    versionId: string | undefined,
    method: string,
  ): Promise<ObjectVersion> {
    const row = await this.findRow(bucket, key, versionId);
    if (!row.isDeleteMarker) {
      return row;
    }
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.versionId };
    if (versionId === undefined) {
      throw new S3Error('NoSuchKey', { resource: key, fields: { Key: key }, headers });
    }
    throw new S3Error('MethodNotAllowed', {
      fields: { Method: method, ResourceType: 'DeleteMarker' },
      headers: { ...headers, Allow: 'DELETE' },
    });
  }

  /**
   * Opens the bytes of `object` (a range of them when given): the plain file for the current
   * version, the version file for a noncurrent one. A write publishes its file just before
   * committing its row, and a promotion moves a version back to the plain path after its commit,
   * so a reader may meet a file that does not belong to the row it read: the sizes then disagree
   * (or the file is gone) and the row is read again (the current row for a read without version
   * id, else the same version). Returns the row that matches the file; the caller re-evaluates
   * preconditions when it is not `object`.
   * Throws `NoSuchKey` when the file is gone (removed behind the gateway; logged).
   */
  async open(
    bucket: Bucket,
    object: ObjectVersion,
    range: (o: ObjectVersion) => ByteRange | null,
    options: { isVersionRead?: boolean } = {},
  ): Promise<{ object: ObjectVersion; reader: ObjectReader; range: ByteRange | null }> {
    let row = object;
    for (let attempt = 1; ; attempt++) {
      const wanted = range(row);
      const reader =
        row.storagePath === null
          ? await this.store.open(bucket.name, row.key, wanted ?? undefined)
          : await this.store.openVersion(row.storagePath, wanted ?? undefined);
      if (reader !== null && reader.size === row.size) {
        return { object: row, reader, range: wanted };
      }
      reader?.stream.destroy();
      const fresh = options.isVersionRead
        ? await this.versions.findById(row.id)
        : await this.versions.findCurrent(bucket.id, row.key);
      if (attempt >= CONSISTENT_READ_ATTEMPTS || fresh === null || fresh.isDeleteMarker) {
        if (reader === null) {
          this.logger.warn({ bucket: bucket.name, key: row.key }, 'metadata row without an object file');
          throw S3Errors.noSuchKey(row.key);
        }
        this.logger.warn(
          { bucket: bucket.name, key: row.key, rowSize: row.size, fileSize: reader.size },
          'object file and metadata disagree',
        );
        throw new S3Error('InternalError');
      }
      row = fresh;
    }
  }
}
