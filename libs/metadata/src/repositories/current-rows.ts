import type { EntityManager } from 'typeorm';
import { ObjectVersionEntity } from '../entities/object-version.entity';
import { keyFromParameters, whereKeyFrom, whereKeyHasPrefix, type KeyFrom } from '../listing/key-range-query';
import { rawString, runScanQuery } from '../listing/raw-scan';
import {
  prepareScan,
  sqliteDatabaseOf,
  type PreparedScan,
  type SqliteDatabase,
} from '../listing/sqlite-scan';
import type { ListObjectsQuery, ObjectVersion } from '../types';
import { rawToObjectVersion } from './mappers';

const LATEST_INDEX = 'IDX_object_versions_latest';

/**
 * A row of a ListObjects scan: its key, and its raw columns unless a seek read only the id
 * and key. Rows are mapped to ObjectVersion only when a page keeps them: the first batch of
 * a listing with a delimiter is often all skipped (the 1001 keys of one directory).
 */
export interface CurrentRow {
  key: string;
  id: string;
  raw: Record<string, unknown> | null;
}

/** The rows of a ListObjects scan in key order; `complete` reads in full those read by key alone. */
export interface CurrentRows {
  fetch(from: KeyFrom, limit: number): Promise<CurrentRow[]>;
  complete(rows: CurrentRow[]): ObjectVersion[];
}

function wholeRow(raw: Record<string, unknown>): CurrentRow {
  return { key: rawString(raw.v_object_key), id: rawString(raw.v_id), raw };
}

function keyOnlyRow(raw: Record<string, unknown>): CurrentRow {
  return { key: rawString(raw.v_object_key), id: rawString(raw.v_id), raw: null };
}

/** The whole rows of `rows`, those read by key alone read again through `readWhole`. */
function wholeRows(rows: CurrentRow[], readWhole: (id: string) => ObjectVersion[]): ObjectVersion[] {
  const out: ObjectVersion[] = [];
  for (const row of rows) {
    if (row.raw === null) {
      // Gone since the seek (deleted meanwhile by another process): left out, as in hydrateInOrder.
      out.push(...readWhole(row.id));
    } else {
      out.push(rawToObjectVersion(row.raw, 'v_'));
    }
  }
  return out;
}

/** Latest rows that are not delete markers, under the prefix, from `from` on, by key. */
function currentRowsQuery(m: EntityManager, q: ListObjectsQuery, from: KeyFrom, keysOnly: boolean) {
  const qb = m
    .getRepository(ObjectVersionEntity)
    .createQueryBuilder('v')
    .select(keysOnly ? ['v.id', 'v.key'] : ['v'])
    .where('v.bucketId = :bucketId', { bucketId: q.bucketId })
    .andWhere('v.isLatest = :isLatest', { isLatest: true })
    .andWhere('v.isDeleteMarker = :isDeleteMarker', { isDeleteMarker: false });
  whereKeyHasPrefix(qb, 'v.key', q.prefix);
  return whereKeyFrom(qb, 'v.key', from).orderBy('v.key', 'ASC');
}

/** The rows of a ListObjects scan: whole rows from every query, except seeks on SQLite. */
export function currentRows(m: EntityManager, q: ListObjectsQuery): CurrentRows {
  const batches = async (from: KeyFrom, limit: number) =>
    (await runScanQuery(m, currentRowsQuery(m, q, from, false).limit(limit), LATEST_INDEX)).map(wholeRow);
  const db = sqliteDatabaseOf(m);
  if (db === null) {
    return { fetch: batches, complete: (rows) => wholeRows(rows, () => []) };
  }
  const seeks = sqliteSeeks(m, q, db);
  return {
    fetch: (from, limit) =>
      from.kind === 'fromKey' ? Promise.resolve(seeks.seek(from, limit)) : batches(from, limit),
    complete: (rows) => wholeRows(rows, seeks.readWhole),
  };
}

/**
 * Seeks past a common prefix on SQLite (`fromKey`: scanKeys uses it for nothing else). A
 * page of 1000 common prefixes is 1000 seeks, so each is a statement prepared once and run
 * synchronously, which costs the index seek alone rather than a query built and run
 * through TypeORM (about 60 µs), and reads the id and key alone: most of what a seek reads
 * is skipped, and turning 29 columns into JavaScript values was two thirds of a two-row
 * seek. The few rows a page keeps from seeks are then read in full by id.
 */
function sqliteSeeks(m: EntityManager, q: ListObjectsQuery, db: SqliteDatabase) {
  let seekScan: PreparedScan | undefined;
  let byId: PreparedScan | undefined;
  return {
    seek: (from: Extract<KeyFrom, { kind: 'fromKey' }>, limit: number): CurrentRow[] => {
      seekScan ??= prepareScan(db, currentRowsQuery(m, q, from, true));
      return seekScan(keyFromParameters(from), limit).map(keyOnlyRow);
    },
    readWhole: (id: string): ObjectVersion[] => {
      byId ??= prepareScan(
        db,
        m.getRepository(ObjectVersionEntity).createQueryBuilder('v').select('v').where('v.id = :id', { id }),
      );
      return byId({ id }, 1).map((raw) => rawToObjectVersion(raw, 'v_'));
    },
  };
}
