import { In, type EntityManager } from 'typeorm';
import { ObjectVersionEntity } from '../entities/object-version.entity';
import { whereKeyFrom, whereKeyHasPrefix } from '../listing/key-range-query';
import { scanKeys, type ScanFrom, type ScanResult, type ScanSource } from '../listing/key-scan';
import { hydrateInOrder, rawString, runScanQuery } from '../listing/raw-scan';
import type { ListObjectsQuery, ListVersionsQuery, ObjectVersion } from '../types';
import { currentRows, type CurrentRow } from './current-rows';

/** What a scan reads per row: the key and position only; full rows are loaded for the page alone. */
interface VersionRef {
  id: string;
  key: string;
  createdAt: number;
  versionId: string;
}

/** A listing page over full rows, `last` being the last row or common prefix returned. */
export interface VersionScan {
  rows: ObjectVersionEntity[];
  commonPrefixes: string[];
  isTruncated: boolean;
  last: { key: string; versionId: string | null } | null;
}

function toRef(raw: Record<string, unknown>): VersionRef {
  return {
    id: rawString(raw.v_id),
    key: rawString(raw.v_object_key),
    createdAt: Number(raw.v_created_at),
    versionId: rawString(raw.v_version_id),
  };
}

/** Loads the page's full rows, in scan order, and turns the scan result into a page. */
async function finish(
  res: ScanResult<VersionRef>,
  load: (refs: VersionRef[]) => Promise<ObjectVersionEntity[]>,
  idOf: (row: { id: string; key: string }) => string,
): Promise<VersionScan> {
  const rows = await hydrateInOrder(res.rows.map(idOf), () => load(res.rows), idOf);
  let last: VersionScan['last'] = null;
  if (res.isTruncated && res.last !== null) {
    last =
      'row' in res.last
        ? { key: res.last.row.key, versionId: res.last.row.versionId }
        : { key: res.last.prefix, versionId: null };
  }
  return { rows, commonPrefixes: res.commonPrefixes, isTruncated: res.isTruncated, last };
}

function selectRefs(m: EntityManager, bucketId: string, prefix: string) {
  const qb = m
    .getRepository(ObjectVersionEntity)
    .createQueryBuilder('v')
    .select(['v.id', 'v.key', 'v.createdAt', 'v.versionId'])
    .where('v.bucketId = :bucketId', { bucketId });
  return whereKeyHasPrefix(qb, 'v.key', prefix);
}

/** A ListObjects page: full rows straight from the scan. */
export interface CurrentScan {
  rows: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned when the page is truncated. */
  lastKey: string | null;
}

/**
 * ListObjects: latest rows that are not delete markers, by key, from IDX_object_versions_latest.
 * The scan reads whole rows, so a page is one query per batch and no second load: every row of
 * a flat page is returned, and after a common prefix the seek reads just two rows (on SQLite
 * their keys alone, see `currentRows`).
 */
export async function scanCurrent(m: EntityManager, q: ListObjectsQuery): Promise<CurrentScan> {
  const rowsOf = currentRows(m, q);
  const source: ScanSource<CurrentRow, string> = {
    fetch: (from, limit) =>
      rowsOf.fetch(from.kind === 'afterRow' ? { kind: 'afterKey', key: from.cursor } : from, limit),
    keyOf: (row) => row.key,
    cursorOf: (row) => row.key,
  };
  const res = await scanKeys(source, {
    prefix: q.prefix,
    delimiter: q.delimiter,
    marker: q.startAfter,
    start: q.startAfter === undefined ? { kind: 'start' } : { kind: 'afterKey', key: q.startAfter },
    maxItems: q.maxKeys,
  });
  let lastKey: string | null = null;
  if (res.isTruncated && res.last !== null) {
    lastKey = 'row' in res.last ? res.last.row.key : res.last.prefix;
  }
  const rows = rowsOf.complete(res.rows);
  return { rows, commonPrefixes: res.commonPrefixes, isTruncated: res.isTruncated, lastKey };
}

/** ListObjectVersions: every row, keys ascending and each key newest first, from IDX_object_versions_history. */
export async function scanVersions(m: EntityManager, q: ListVersionsQuery): Promise<VersionScan> {
  const ordered = async (qb: ReturnType<typeof selectRefs>, limit: number) => {
    qb.orderBy('v.key', 'ASC')
      .addOrderBy('v.createdAt', 'DESC')
      .addOrderBy('v.versionId', 'DESC')
      .limit(limit);
    return (await runScanQuery(m, qb, 'IDX_object_versions_history')).map(toRef);
  };
  const source: ScanSource<VersionRef, VersionRef> = {
    fetch: async (from, limit) => {
      if (from.kind !== 'afterRow') {
        return ordered(whereKeyFrom(selectRefs(m, q.bucketId, q.prefix), 'v.key', from), limit);
      }
      // Two index range scans instead of one OR: the rest of the cursor's key, then later keys.
      const { key, createdAt, versionId } = from.cursor;
      const sameKey = await ordered(
        selectRefs(m, q.bucketId, q.prefix)
          .andWhere('v.key = :cursorKey', { cursorKey: key })
          .andWhere(
            '(v.createdAt < :cursorAt OR (v.createdAt = :cursorAt AND v.versionId < :cursorVersion))',
            {
              cursorAt: createdAt,
              cursorVersion: versionId,
            },
          ),
        limit,
      );
      if (sameKey.length >= limit) {
        return sameKey;
      }
      const later = whereKeyFrom(selectRefs(m, q.bucketId, q.prefix), 'v.key', { kind: 'afterKey', key });
      return [...sameKey, ...(await ordered(later, limit - sameKey.length))];
    },
    keyOf: (row) => row.key,
    cursorOf: (row) => row,
  };

  let start: ScanFrom<VersionRef> = { kind: 'start' };
  if (q.keyMarker !== undefined) {
    start = { kind: 'afterKey', key: q.keyMarker };
    if (q.versionIdMarker !== undefined) {
      const marker = await m.findOne(ObjectVersionEntity, {
        where: { bucketId: q.bucketId, key: q.keyMarker, versionId: q.versionIdMarker },
      });
      if (marker !== null) {
        start = {
          kind: 'afterRow',
          cursor: {
            id: marker.id,
            key: marker.key,
            createdAt: marker.createdAt.getTime(),
            versionId: marker.versionId,
          },
        };
      }
    }
  }
  const res = await scanKeys(source, {
    prefix: q.prefix,
    delimiter: q.delimiter,
    marker: q.keyMarker,
    start,
    maxItems: q.maxKeys,
  });
  return finish(
    res,
    (refs) => m.find(ObjectVersionEntity, { where: { id: In(refs.map((r) => r.id)) } }),
    (row) => row.id,
  );
}
