/**
 * Thrown by repository create methods when a unique key (bucket name, IAM user name,
 * access key id, …) is already taken. A repository error, not an S3 error: the calling
 * service decides what it means (for example BucketAlreadyOwnedByYou).
 */
export class DuplicateError extends Error {
  constructor(
    /** What was being created, e.g. `'bucket'`. */
    readonly entity: string,
    /** The duplicated value, e.g. the bucket name. */
    readonly value: string,
  ) {
    super(`${entity} '${value}' already exists`);
    this.name = 'DuplicateError';
  }
}

interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
}

function driverErrorOf(err: unknown): DriverErrorShape | null {
  if (typeof err !== 'object' || err === null) {
    return null;
  }
  // TypeORM wraps driver errors in QueryFailedError.driverError; raw driver errors come through too.
  const inner = (err as { driverError?: unknown }).driverError;
  return typeof inner === 'object' && inner !== null ? inner : err;
}

/** True for a unique/primary key violation on PostgreSQL (23505), MySQL/MariaDB (1062) or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = driverErrorOf(err);
  return (
    e !== null &&
    (e.code === '23505' ||
      e.code === 'ER_DUP_ENTRY' ||
      e.errno === 1062 ||
      e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/** True for a foreign key violation (the referenced row is gone) on any of the three dialects. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = driverErrorOf(err);
  return (
    e !== null &&
    (e.code === '23503' ||
      e.code === 'ER_NO_REFERENCED_ROW_2' ||
      e.code === 'ER_NO_REFERENCED_ROW' ||
      e.errno === 1452 ||
      e.errno === 1216 ||
      e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
  );
}

/**
 * True when the server chose this transaction as a deadlock victim and rolled it back whole:
 * PostgreSQL 40P01, MySQL/MariaDB 1213. (Three inserts racing on one unique key deadlock on
 * MariaDB: the losers' duplicate-key S locks block each other's next write.)
 */
export function isDeadlock(err: unknown): boolean {
  const e = driverErrorOf(err);
  return e !== null && (e.code === '40P01' || e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213);
}
