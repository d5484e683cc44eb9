import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { MultipartPartEntity } from '../entities/multipart-part.entity';
import { MultipartUploadEntity } from '../entities/multipart-upload.entity';
import { isForeignKeyViolation } from '../errors';
import { whereKeyFrom, whereKeyHasPrefix } from '../listing/key-range-query';
import { scanKeys, type ScanFrom, type ScanSource } from '../listing/key-scan';
import { hydrateInOrder, rawString, runScanQuery } from '../listing/raw-scan';
import type {
  ListPartsPage,
  ListUploadsPage,
  ListUploadsQuery,
  MultipartPart,
  MultipartUpload,
  NewMultipartUpload,
} from '../types';
import type { Tx } from '../unit-of-work';
import { toPart, toUpload } from './mappers';
import { RepositoryBase } from './repository-base';

/** Multipart uploads and their parts. */
@Injectable()
export class MultipartRepository extends RepositoryBase {
  /** Records a new upload; the caller generates the upload id. Throws on a missing bucket (foreign key). */
  async create(tx: Tx | null, input: NewMultipartUpload): Promise<MultipartUpload> {
    const row: MultipartUploadEntity = {
      uploadId: input.uploadId,
      bucketId: input.bucketId,
      key: input.key,
      initiatedAt: input.initiatedAt ?? new Date(),
      ownerId: input.ownerId,
      storageClass: input.storageClass,
      checksumAlgorithm: input.checksumAlgorithm ?? null,
      checksumType: input.checksumType ?? null,
      metadata: input.metadata,
    };
    await this.write(tx, (m) => m.insert(MultipartUploadEntity, row));
    return toUpload(row);
  }

  /** The upload, or null when it never existed or was completed or aborted. */
  async find(uploadId: string, tx?: Tx): Promise<MultipartUpload | null> {
    const row = await this.reader(tx).findOne(MultipartUploadEntity, { where: { uploadId } });
    return row === null ? null : toUpload(row);
  }

  /**
   * Records a part, replacing an earlier part with the same number (S3 lets a client
   * upload a part again). Returns null when the upload no longer exists (completed or
   * aborted meanwhile) instead of throwing.
   */
  async putPart(tx: Tx | null, part: MultipartPart): Promise<MultipartPart | null> {
    const row: MultipartPartEntity = { ...part };
    try {
      await this.write(tx, (m) =>
        // A savepoint keeps a caller's transaction usable after a foreign key failure on PostgreSQL.
        m.transaction((inner) => inner.upsert(MultipartPartEntity, row, ['uploadId', 'partNumber'])),
      );
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        return null;
      }
      throw err;
    }
    return toPart(row);
  }

  /** ListParts: parts numbered after `partNumberMarker`, ascending, at most `maxParts`. */
  async listParts(
    uploadId: string,
    q: { partNumberMarker?: number; maxParts: number },
  ): Promise<ListPartsPage> {
    if (q.maxParts <= 0) {
      return { parts: [], isTruncated: false, nextPartNumberMarker: null };
    }
    const rows = await this.reader()
      .getRepository(MultipartPartEntity)
      .createQueryBuilder('p')
      .where('p.uploadId = :uploadId', { uploadId })
      .andWhere('p.partNumber > :marker', { marker: q.partNumberMarker ?? 0 })
      .orderBy('p.partNumber', 'ASC')
      .limit(q.maxParts + 1)
      .getMany();
    const isTruncated = rows.length > q.maxParts;
    const parts = rows.slice(0, q.maxParts).map(toPart);
    return {
      parts,
      isTruncated,
      nextPartNumberMarker: isTruncated ? (parts[parts.length - 1]?.partNumber ?? null) : null,
    };
  }

  /** Every part of the upload by part number (CompleteMultipartUpload, abort cleanup). */
  async allParts(uploadId: string, tx?: Tx): Promise<MultipartPart[]> {
    const rows = await this.reader(tx).find(MultipartPartEntity, {
      where: { uploadId },
      order: { partNumber: 'ASC' },
    });
    return rows.map(toPart);
  }

  /**
   * Deletes the upload and its parts if it still exists. The delete is conditional and
   * reports the rows it removed, so of a concurrent complete and abort exactly one sees
   * true and owns the outcome.
   */
  async delete(tx: Tx | null, uploadId: string): Promise<boolean> {
    return this.write(
      tx,
      async (m) => ((await m.delete(MultipartUploadEntity, { uploadId })).affected ?? 0) > 0,
    );
  }

  /** Uploads initiated before `before`, oldest first, for the abandoned-upload sweep. */
  async listInitiatedBefore(before: Date, limit: number): Promise<MultipartUpload[]> {
    const rows = await this.reader()
      .getRepository(MultipartUploadEntity)
      .createQueryBuilder('u')
      .where('u.initiatedAt < :before', { before: before.getTime() })
      .orderBy('u.initiatedAt', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(toUpload);
  }

  /** Which of `uploadIds` are uploads in progress (GC: a part directory without one is a leftover). */
  async existingUploadIds(uploadIds: readonly string[]): Promise<Set<string>> {
    if (uploadIds.length === 0) {
      return new Set();
    }
    const rows = await this.reader().find(MultipartUploadEntity, {
      select: { uploadId: true },
      where: { uploadId: In([...uploadIds]) },
    });
    return new Set(rows.map((r) => r.uploadId));
  }

  /** ListMultipartUploads with S3's key/upload-id markers and delimiter roll-up, O(page) like object listings. */
  async listUploads(q: ListUploadsQuery): Promise<ListUploadsPage> {
    const m = this.reader();
    let start: ScanFrom<UploadRef> = { kind: 'start' };
    if (q.keyMarker !== undefined) {
      start = { kind: 'afterKey', key: q.keyMarker };
      if (q.uploadIdMarker !== undefined) {
        const marker = await m.findOne(MultipartUploadEntity, {
          where: { bucketId: q.bucketId, key: q.keyMarker, uploadId: q.uploadIdMarker },
        });
        if (marker !== null) {
          start = {
            kind: 'afterRow',
            cursor: { key: marker.key, initiatedAt: marker.initiatedAt.getTime(), uploadId: marker.uploadId },
          };
        }
      }
    }
    const res = await scanKeys(uploadSource(m, q), {
      prefix: q.prefix,
      delimiter: q.delimiter,
      marker: q.keyMarker,
      start,
      maxItems: q.maxUploads,
    });
    const uploads = await hydrateInOrder(
      res.rows.map((r) => r.uploadId),
      (ids) => m.find(MultipartUploadEntity, { where: { uploadId: In(ids) } }),
      (row) => row.uploadId,
    );
    const last = res.isTruncated ? res.last : null;
    return {
      uploads: uploads.map(toUpload),
      commonPrefixes: res.commonPrefixes,
      isTruncated: res.isTruncated,
      nextKeyMarker: last === null ? null : 'row' in last ? last.row.key : last.prefix,
      nextUploadIdMarker: last !== null && 'row' in last ? last.row.uploadId : null,
    };
  }
}

/** What the upload scan reads per row; full rows are loaded for the page alone. */
interface UploadRef {
  key: string;
  initiatedAt: number;
  uploadId: string;
}

function uploadSource(m: EntityManager, q: ListUploadsQuery): ScanSource<UploadRef, UploadRef> {
  const base = () =>
    whereKeyHasPrefix(
      m
        .getRepository(MultipartUploadEntity)
        .createQueryBuilder('u')
        .select(['u.uploadId', 'u.key', 'u.initiatedAt'])
        .where('u.bucketId = :bucketId', { bucketId: q.bucketId }),
      'u.key',
      q.prefix,
    );
  const ordered = async (qb: ReturnType<typeof base>, limit: number): Promise<UploadRef[]> => {
    qb.orderBy('u.key', 'ASC')
      .addOrderBy('u.initiatedAt', 'ASC')
      .addOrderBy('u.uploadId', 'ASC')
      .limit(limit);
    const raw = await runScanQuery(m, qb, 'IDX_multipart_uploads_key');
    return raw.map((r) => ({
      key: rawString(r.u_object_key),
      initiatedAt: Number(r.u_initiated_at),
      uploadId: rawString(r.u_upload_id),
    }));
  };
  return {
    fetch: async (from, limit) => {
      if (from.kind !== 'afterRow') {
        return ordered(whereKeyFrom(base(), 'u.key', from), limit);
      }
      // The rest of the cursor's key, then later keys: two index range scans.
      const { key, initiatedAt, uploadId } = from.cursor;
      const sameKey = await ordered(
        base()
          .andWhere('u.key = :cursorKey', { cursorKey: key })
          .andWhere('(u.initiatedAt > :cursorAt OR (u.initiatedAt = :cursorAt AND u.uploadId > :cursorId))', {
            cursorAt: initiatedAt,
            cursorId: uploadId,
          }),
        limit,
      );
      if (sameKey.length >= limit) {
        return sameKey;
      }
      const later = await ordered(
        whereKeyFrom(base(), 'u.key', { kind: 'afterKey', key }),
        limit - sameKey.length,
      );
      return [...sameKey, ...later];
    },
    keyOf: (row) => row.key,
    cursorOf: (row) => row,
  };
}
