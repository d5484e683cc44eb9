import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { prefixRange, type ScanFrom } from './key-scan';

/**
 * Restricts `column` to keys starting with `prefix`, as a range (key ≥ prefix and
 * key < successor) rather than LIKE, so every dialect answers from the ordered index.
 */
export function whereKeyHasPrefix<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  column: string,
  prefix: string,
): SelectQueryBuilder<E> {
  const { lower, upper } = prefixRange(prefix);
  if (lower !== null) {
    qb.andWhere(`${column} >= :rangeLower`, { rangeLower: lower });
  }
  if (upper !== null) {
    qb.andWhere(`${column} < :rangeUpper`, { rangeUpper: upper });
  }
  return qb;
}

/** A scan position given by a key alone; `afterRow` cursors are handled by each source. */
export type KeyFrom = Exclude<ScanFrom<never>, { kind: 'afterRow' }>;

/** Applies a key-only scan position. */
export function whereKeyFrom<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  column: string,
  from: KeyFrom,
): SelectQueryBuilder<E> {
  switch (from.kind) {
    case 'start':
      return qb;
    case 'afterKey':
      return qb.andWhere(`${column} > :fromKey`, keyFromParameters(from));
    case 'fromKey':
      return qb.andWhere(`${column} >= :fromKey`, keyFromParameters(from));
  }
}

/** The parameters `whereKeyFrom` binds for `from`, to rerun a prepared query of the same kind. */
export function keyFromParameters(from: KeyFrom): Record<string, unknown> {
  return from.kind === 'start' ? {} : { fromKey: from.key };
}
