import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { ObjectVersionEntity } from '../entities/object-version.entity';
import type {
  DeleteVersionResult,
  HealedContent,
  ListObjectsPage,
  ListObjectsQuery,
  ListVersionsPage,
  ListVersionsQuery,
  NewObjectVersion,
  ObjectRowExpectation,
  ObjectVersion,
  ObjectVersionPatch,
  PutCurrentResult,
} from '../types';
import { withPlaceholders } from '../dialect';
import { managerOf, type Tx } from '../unit-of-work';
import { rawToObjectVersion, toObjectVersion, type RawRow } from './mappers';
import { scanCurrent, scanVersions } from './object-listing';
import { RepositoryBase } from './repository-base';
import { RowInsert } from './row-insert';

/** The version id S3 gives objects written while versioning is off or suspended. */
const NULL_VERSION = 'null';
/** Keys per IN list: far below every dialect's bound-parameter limit. */
const FIND_MANY_CHUNK = 500;

/** Object versions: the latest-version pointer, history, and ordered listings. */
@Injectable()
export class ObjectVersionRepository extends RepositoryBase {
  /** What TypeORM binds for `isLatest: true` (TRUE_OR_NULL, then the driver's boolean). */
  private readonly latestValue: boolean | number = this.dialect === 'postgres' ? true : 1;
  private readonly findCurrentSql = this.sql(
    'SELECT * FROM object_versions WHERE bucket_id = ? AND is_latest = ? AND object_key = ? LIMIT 1',
  );

  private readonly rowInsert = new RowInsert(this.ds, ObjectVersionEntity);
  private readonly supersededSql = this.sql(
    'SELECT * FROM object_versions WHERE bucket_id = ? AND object_key = ? AND (is_latest = ? OR version_id = ?)' +
      (this.dialect === 'sqlite' ? '' : ' FOR UPDATE'),
  );
  private readonly demoteSql = this.sql('UPDATE object_versions SET is_latest = NULL WHERE id = ?');
  private readonly deleteByIdSql = this.sql('DELETE FROM object_versions WHERE id = ?');

  private sql(text: string): string {
    return withPlaceholders(this.dialect, text);
  }

  /** The latest version of `key` (possibly a delete marker), or null when the key has none. */
  async findCurrent(bucketId: string, key: string, tx?: Tx): Promise<ObjectVersion | null> {
    // Raw SQL: on the GET/HEAD hot path TypeORM's query building cost more than the query.
    const rows = await this.reader(tx).query<RawRow[]>(this.findCurrentSql, [
      bucketId,
      this.latestValue,
      key,
    ]);
    const row = rows[0];
    return row === undefined ? null : rawToObjectVersion(row);
  }

  /** One version of `key` by version id (`'null'` for the null version), or null. */
  async findVersion(
    bucketId: string,
    key: string,
    versionId: string,
    tx?: Tx,
  ): Promise<ObjectVersion | null> {
    const row = await this.reader(tx).findOne(ObjectVersionEntity, { where: { bucketId, key, versionId } });
    return row === null ? null : toObjectVersion(row);
  }

  /**
   * The version `versionId` of each of `keys` that has one, by key, in one query per
   * FIND_MANY_CHUNK keys (DeleteObjects looks up a whole batch at once). Keys may repeat.
   */
  async findVersions(
    bucketId: string,
    keys: readonly string[],
    versionId: string,
    tx?: Tx,
  ): Promise<Map<string, ObjectVersion>> {
    const found = new Map<string, ObjectVersion>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += FIND_MANY_CHUNK) {
      const chunk = unique.slice(i, i + FIND_MANY_CHUNK);
      // Raw SQL: hydrating entities through TypeORM cost more than the query for a batch of keys.
      const sql = this.sql(
        `SELECT * FROM object_versions WHERE bucket_id = ? AND version_id = ? AND object_key IN (${chunk.map(() => '?').join(', ')})`,
      );
      const rows = await this.reader(tx).query<RawRow[]>(sql, [bucketId, versionId, ...chunk]);
      for (const raw of rows) {
        const row = rawToObjectVersion(raw);
        found.set(row.key, row);
      }
    }
    return found;
  }

  /** A version by row id, or null. */
  async findById(id: string, tx?: Tx): Promise<ObjectVersion | null> {
    const row = await this.reader(tx).findOne(ObjectVersionEntity, { where: { id } });
    return row === null ? null : toObjectVersion(row);
  }

  /**
   * Inserts `v` as the latest version of its key. The previous latest row is marked
   * noncurrent and returned as `demoted`; with `replaceNullVersion` (unversioned or
   * suspended writes) the existing `'null'` version is deleted instead and returned in
   * `removed`. Concurrent writers of one key serialize on the row locks and the unique
   * latest index; the last to commit is latest. Throws on a missing bucket (foreign key).
   */
  async putCurrent(
    tx: Tx,
    v: NewObjectVersion,
    opts: { replaceNullVersion: boolean },
  ): Promise<PutCurrentResult> {
    return this.retryOnConflict(managerOf(tx), (m) => this.putOnce(m, v, opts.replaceNullVersion));
  }

  /**
   * One attempt of putCurrent, in raw SQL: on the PUT hot path TypeORM's query builders cost
   * more than the statements. `rowInsert` writes exactly what `repository.insert` would.
   */
  private async putOnce(
    m: EntityManager,
    v: NewObjectVersion,
    replaceNull: boolean,
  ): Promise<PutCurrentResult> {
    // 1. Lock the rows this write supersedes: the latest one and, if replacing it, the null version.
    const superseded = (
      await m.query<RawRow[]>(this.supersededSql, [v.bucketId, v.key, this.latestValue, NULL_VERSION])
    ).map((raw) => rawToObjectVersion(raw));
    const removed = replaceNull ? superseded.filter((r) => r.versionId === NULL_VERSION) : [];
    const demoted = superseded.find((r) => r.isLatest && !removed.includes(r)) ?? null;
    // 2. Delete the replaced null version, then demote the old latest row.
    for (const row of removed) {
      await m.query(this.deleteByIdSql, [row.id]);
    }
    if (demoted !== null) {
      await m.query(this.demoteSql, [demoted.id]);
      demoted.isLatest = false;
    }
    // 3. Insert the new latest row; a concurrent first write of the key makes this fail and retry.
    const row: ObjectVersion = {
      id: randomUUID(),
      bucketId: v.bucketId,
      key: v.key,
      versionId: v.versionId,
      isLatest: true,
      isDeleteMarker: v.isDeleteMarker,
      size: v.size,
      etag: v.etag,
      checksums: v.checksums ?? null,
      checksumType: v.checksumType ?? null,
      contentType: v.contentType ?? null,
      contentEncoding: v.contentEncoding ?? null,
      contentDisposition: v.contentDisposition ?? null,
      contentLanguage: v.contentLanguage ?? null,
      cacheControl: v.cacheControl ?? null,
      expires: v.expires ?? null,
      userMetadata: v.userMetadata ?? {},
      tags: v.tags ?? null,
      ownerId: v.ownerId,
      storagePath: v.storagePath ?? null,
      storageClass: v.storageClass,
      partsCount: v.partsCount ?? null,
      partSizes: v.partSizes ?? null,
      acl: v.acl ?? null,
      lockMode: v.lockMode ?? null,
      lockRetainUntil: v.lockRetainUntil ?? null,
      legalHold: v.legalHold ?? null,
      lastModified: v.lastModified,
      createdAt: v.createdAt ?? new Date(),
    };
    await this.rowInsert.insert(m, row as ObjectVersionEntity);
    return { version: row, demoted, removed };
  }

  /**
   * Deletes one version row. When it was the latest, the next newest version of the key
   * (delete markers included) becomes latest and is returned as `promoted`.
   */
  async deleteVersion(tx: Tx, id: string): Promise<DeleteVersionResult> {
    return this.retryOnConflict(managerOf(tx), async (m) => {
      const repo = m.getRepository(ObjectVersionEntity);
      const row = await this.forUpdate(repo.createQueryBuilder('v').where('v.id = :id', { id })).getOne();
      if (row === null) {
        return { deleted: null, promoted: null };
      }
      await repo.delete({ id });
      if (!row.isLatest) {
        return { deleted: toObjectVersion(row), promoted: null };
      }
      const next = await this.forUpdate(
        repo
          .createQueryBuilder('v')
          .where('v.bucketId = :bucketId AND v.key = :key', { bucketId: row.bucketId, key: row.key })
          .orderBy('v.createdAt', 'DESC')
          .addOrderBy('v.versionId', 'DESC')
          .limit(1),
      ).getOne();
      if (next !== null) {
        await repo.update({ id: next.id }, { isLatest: true });
        next.isLatest = true;
      }
      return { deleted: toObjectVersion(row), promoted: next === null ? null : toObjectVersion(next) };
    });
  }

  /** Deletes rows by id without touching the latest flags (noncurrent expiry, bucket cleanup); returns the count. */
  async deleteMany(tx: Tx, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) {
      return 0;
    }
    const result = await managerOf(tx).delete(ObjectVersionEntity, { id: In([...ids]) });
    return result.affected ?? 0;
  }

  /** Updates mutable attributes of one version (tags, storage path, …); false when it does not exist. */
  async update(tx: Tx | null, id: string, patch: ObjectVersionPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) {
      return (await this.findById(id, tx ?? undefined)) !== null;
    }
    return this.write(tx, async (m) => {
      const result = await m.update(ObjectVersionEntity, { id }, patch);
      return (result.affected ?? 0) > 0;
    });
  }

  /**
   * Points latest row `id` at `next` (a version file, or null for the plain path), only while it
   * is still the latest version and still points at `expected`; false when it changed meanwhile.
   */
  async repointLatest(tx: Tx, id: string, expected: string | null, next: string | null): Promise<boolean> {
    const qb = managerOf(tx)
      .createQueryBuilder()
      .update(ObjectVersionEntity)
      .set({ storagePath: next })
      .where('id = :id AND is_latest = :latest', { id, latest: this.latestValue });
    const result = await (
      expected === null
        ? qb.andWhere('storage_path IS NULL')
        : qb.andWhere('storage_path = :expected', { expected })
    ).execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * One page of ListObjects/ListObjectsV2: latest non-delete-marker versions under
   * `prefix` after `startAfter`, rolled up at `delimiter`, in UTF-8 byte order. Costs
   * O(maxKeys + common prefixes on the page) index reads, whatever the bucket size.
   */
  async listCurrent(q: ListObjectsQuery): Promise<ListObjectsPage> {
    const res = await scanCurrent(this.reader(), q);
    return {
      entries: res.rows,
      commonPrefixes: res.commonPrefixes,
      isTruncated: res.isTruncated,
      nextMarker: res.lastKey,
    };
  }

  /** One page of ListObjectVersions, delete markers included, with the same cost bound as `listCurrent`. */
  async listVersions(q: ListVersionsQuery): Promise<ListVersionsPage> {
    const res = await scanVersions(this.reader(), q);
    const next = res.last;
    return {
      versions: res.rows.map(toObjectVersion),
      commonPrefixes: res.commonPrefixes,
      isTruncated: res.isTruncated,
      nextKeyMarker: next?.key ?? null,
      nextVersionIdMarker: next?.versionId ?? null,
    };
  }

  /** Current objects (not delete markers) of a bucket and their total size. Scans the bucket: for admin and metrics, not requests. */
  async countByBucket(bucketId: string): Promise<{ objectCount: number; totalSize: number }> {
    const raw = await this.reader()
      .getRepository(ObjectVersionEntity)
      .createQueryBuilder('v')
      .select('COUNT(*)', 'objectCount')
      .addSelect('COALESCE(SUM(v.size), 0)', 'totalSize')
      .where('v.bucketId = :bucketId', { bucketId })
      .andWhere('v.isLatest = :isLatest', { isLatest: true })
      .andWhere('v.isDeleteMarker = :isDeleteMarker', { isDeleteMarker: false })
      .getRawOne<{ objectCount: unknown; totalSize: unknown }>();
    return { objectCount: Number(raw?.objectCount ?? 0), totalSize: Number(raw?.totalSize ?? 0) };
  }

  // --- Maintenance queries (integrity scanner, GC): batched, ordered by key, O(batch).

  /**
   * The latest versions of a bucket (delete markers included) with keys strictly after
   * `afterKey` (null: from the first key), in UTF-8 byte order, at most `limit`. A range
   * scan of IDX_object_versions_latest, so a batch costs O(limit) whatever the bucket size.
   */
  async scanLatestAfter(bucketId: string, afterKey: string | null, limit: number): Promise<ObjectVersion[]> {
    const qb = this.reader()
      .getRepository(ObjectVersionEntity)
      .createQueryBuilder('v')
      .where('v.bucketId = :bucketId AND v.isLatest = :isLatest', { bucketId, isLatest: true });
    if (afterKey !== null) {
      qb.andWhere('v.key > :afterKey', { afterKey });
    }
    const rows = await qb.orderBy('v.key', 'ASC').limit(limit).getMany();
    return rows.map(toObjectVersion);
  }

  /** The latest version (delete markers included) of each of `keys` that has one, by key. One indexed query. */
  async findLatestMany(bucketId: string, keys: readonly string[]): Promise<Map<string, ObjectVersion>> {
    const out = new Map<string, ObjectVersion>();
    if (keys.length === 0) {
      return out;
    }
    const rows = await this.reader()
      .getRepository(ObjectVersionEntity)
      .createQueryBuilder('v')
      .where('v.bucketId = :bucketId AND v.isLatest = :isLatest', { bucketId, isLatest: true })
      .andWhere('v.key IN (:...keys)', { keys: [...keys] })
      .getMany();
    for (const row of rows) {
      out.set(row.key, toObjectVersion(row));
    }
    return out;
  }

  /**
   * Makes version `id` describe the bytes on disk (the integrity scanner's heal of a changed
   * file): size, single-part ETag and last-modified time; checksums and part layout no longer
   * hold and become null. Only while the row still has `expected` ETag and last-modified
   * time, so a write committed meanwhile is never overwritten. False when nothing changed.
   */
  async replaceContentIf(
    tx: Tx | null,
    id: string,
    expected: ObjectRowExpectation,
    content: HealedContent,
  ): Promise<boolean> {
    return this.write(tx, async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(ObjectVersionEntity)
        .set({
          size: content.size,
          etag: content.etag,
          lastModified: content.lastModified,
          checksums: null,
          checksumType: null,
          partsCount: null,
          partSizes: null,
        })
        .where('id = :id AND etag = :etag AND last_modified = :lastModified', {
          id,
          etag: expected.etag,
          lastModified: expected.lastModified.getTime(),
        })
        .execute();
      return (result.affected ?? 0) > 0;
    });
  }

  /**
   * Deletes version `id` as `deleteVersion` does (promoting the next newest when it was the
   * latest), but only while it still has `expected` ETag and last-modified time. Null when
   * the row is gone or was rewritten meanwhile.
   */
  async deleteVersionIf(
    tx: Tx,
    id: string,
    expected: ObjectRowExpectation,
  ): Promise<DeleteVersionResult | null> {
    const m = managerOf(tx);
    const row = await this.forUpdate(
      m.getRepository(ObjectVersionEntity).createQueryBuilder('v').where('v.id = :id', { id }),
    ).getOne();
    if (
      row === null ||
      row.etag !== expected.etag ||
      row.lastModified.getTime() !== expected.lastModified.getTime()
    ) {
      return null;
    }
    return this.deleteVersion(tx, id);
  }

  /**
   * Which of `paths` some version row names as its storage_path (a file in the versions area
   * that no row names is orphaned). One query per call; storage_path has no index (it is too
   * long for one on MySQL), so callers pass batches.
   */
  async referencedStoragePaths(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) {
      return new Set();
    }
    const rows = await this.reader()
      .getRepository(ObjectVersionEntity)
      .createQueryBuilder('v')
      .select('v.storagePath', 'path')
      .where('v.storagePath IN (:...paths)', { paths: [...paths] })
      .getRawMany<{ path: string }>();
    return new Set(rows.map((r) => String(r.path)));
  }
}
