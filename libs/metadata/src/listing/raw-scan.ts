import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf } from '../dialect';

/**
 * Runs a listing scan query and returns its raw rows. On MySQL/MariaDB the ordered index
 * is forced: given `bucket_id = ? AND is_latest = ? AND object_key > ?` and a
 * non-covering select, MariaDB's optimizer may choose a `ref` lookup on the first two
 * columns, which reads the bucket's index from its start and filters, O(bucket) for a
 * page deep in the key space. FORCE INDEX makes it use the range on all three columns.
 */
export async function runScanQuery<E extends ObjectLiteral>(
  m: EntityManager,
  qb: SelectQueryBuilder<E>,
  index: string,
): Promise<Record<string, unknown>[]> {
  const [sql, params] = qb.useIndex(index).getQueryAndParameters();
  if (dialectOf(m.connection) !== 'mysql') {
    return m.query<Record<string, unknown>[]>(sql, params);
  }
  const forced = sql.replace(` USE INDEX (${index})`, ` FORCE INDEX (${index})`);
  if (forced === sql) {
    throw new Error(`could not place the index hint for ${index}`);
  }
  return m.query<Record<string, unknown>[]>(forced, params);
}

/** A raw string column: MySQL returns varbinary as a Buffer. */
export function rawString(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** Loads full rows for a page's ids and returns them in the page's order. */
export async function hydrateInOrder<E extends ObjectLiteral>(
  ids: readonly string[],
  load: (ids: string[]) => Promise<E[]>,
  idOf: (row: E) => string,
): Promise<E[]> {
  if (ids.length === 0) {
    return [];
  }
  const byId = new Map((await load([...ids])).map((row) => [idOf(row), row]));
  // A row deleted between the scan and the load is left out rather than failing the page.
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [row];
  });
}
