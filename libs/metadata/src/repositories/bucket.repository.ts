import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BucketEntity } from '../entities/bucket.entity';
import { MultipartUploadEntity } from '../entities/multipart-upload.entity';
import { ObjectVersionEntity } from '../entities/object-version.entity';
import { DuplicateError, isUniqueViolation } from '../errors';
import { whereKeyHasPrefix } from '../listing/key-range-query';
import type { Bucket, BucketContents, BucketPatch, NewBucket } from '../types';
import type { Tx } from '../unit-of-work';
import { rawToBucket, toBucket, type RawRow } from './mappers';
import { RepositoryBase } from './repository-base';

/** Buckets by id and by (unique) name. */
@Injectable()
export class BucketRepository extends RepositoryBase {
  private readonly findByNameSql =
    this.dialect === 'postgres'
      ? 'SELECT * FROM buckets WHERE name = $1 LIMIT 1'
      : 'SELECT * FROM buckets WHERE name = ? LIMIT 1';

  /**
   * Inserts a bucket with a new id (in `tx`, or its own transaction when null).
   * Throws `DuplicateError('bucket', name)` when the name is taken.
   */
  async create(tx: Tx | null, input: NewBucket): Promise<Bucket> {
    const row: BucketEntity = {
      id: randomUUID(),
      name: input.name,
      ownerId: input.ownerId,
      region: input.region,
      createdAt: input.createdAt ?? new Date(),
      versioning: input.versioning ?? 'Unversioned',
      objectLockEnabled: input.objectLockEnabled ?? false,
      acl: input.acl ?? null,
    };
    try {
      // A savepoint keeps a caller's transaction usable after a duplicate on PostgreSQL.
      await this.write(tx, (m) => m.transaction((inner) => inner.insert(BucketEntity, row)));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DuplicateError('bucket', input.name);
      }
      throw err;
    }
    return toBucket(row);
  }

  /** The bucket named `name`, or null. */
  async findByName(name: string, tx?: Tx): Promise<Bucket | null> {
    // Raw SQL: this runs on every request, where TypeORM's query building cost more than the query.
    const rows = await this.reader(tx).query<RawRow[]>(this.findByNameSql, [name]);
    const row = rows[0];
    return row === undefined ? null : rawToBucket(row);
  }

  /** The bucket with id `id`, or null. */
  async findById(id: string, tx?: Tx): Promise<Bucket | null> {
    const row = await this.reader(tx).findOne(BucketEntity, { where: { id } });
    return row === null ? null : toBucket(row);
  }

  /** Buckets by name in byte order, optionally under a prefix and after a name; at most `limit`. */
  async list(q: { prefix?: string; afterName?: string; limit: number; ownerId?: string }): Promise<Bucket[]> {
    const qb = this.reader().getRepository(BucketEntity).createQueryBuilder('b');
    whereKeyHasPrefix(qb, 'b.name', q.prefix ?? '');
    if (q.afterName !== undefined) {
      qb.andWhere('b.name > :afterName', { afterName: q.afterName });
    }
    if (q.ownerId !== undefined) {
      qb.andWhere('b.ownerId = :ownerId', { ownerId: q.ownerId });
    }
    const rows = await qb.orderBy('b.name', 'ASC').limit(q.limit).getMany();
    return rows.map(toBucket);
  }

  /** Applies `patch`; false when the bucket does not exist. */
  async update(tx: Tx | null, id: string, patch: BucketPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) {
      return (await this.findById(id, tx ?? undefined)) !== null;
    }
    return this.write(tx, async (m) => ((await m.update(BucketEntity, { id }, patch)).affected ?? 0) > 0);
  }

  /**
   * Deletes the bucket row; its versions, uploads and configs go with it (ON DELETE
   * CASCADE). Emptiness is the caller's check (`hasObjects`). False when it did not exist.
   */
  async delete(tx: Tx | null, id: string): Promise<boolean> {
    return this.write(tx, async (m) => ((await m.delete(BucketEntity, { id })).affected ?? 0) > 0);
  }

  /** What the bucket still holds; each flag is one indexed existence probe. */
  async hasObjects(bucketId: string, tx?: Tx): Promise<BucketContents> {
    const m = this.reader(tx);
    return {
      hasCurrentObjects: await m.exists(ObjectVersionEntity, {
        where: { bucketId, isLatest: true, isDeleteMarker: false },
      }),
      hasVersions: await m.exists(ObjectVersionEntity, { where: { bucketId } }),
      hasUploads: await m.exists(MultipartUploadEntity, { where: { bucketId } }),
    };
  }
}
