import type { ValueTransformer } from 'typeorm';

/**
 * Marks byte-ordered string columns (object keys, names, ids). Besides turning the
 * Buffers MySQL returns for `varbinary` back into UTF-8 strings, its identity is how
 * `adaptColumnsToDialect` finds the columns whose type depends on the dialect.
 */
export const BYTE_STRING: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : value),
};

/** bigint columns come back as strings from pg (and from mysql2 above 2^53); sizes and ids are numbers. */
export const BIGINT_NUMBER: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
};

/** Timestamps are stored as bigint epoch milliseconds: portable, ms precision, no time zones. */
export const EPOCH_MS: ValueTransformer = {
  to: (value: unknown) => (value instanceof Date ? value.getTime() : value),
  from: (value: unknown) => (value === null || value === undefined ? null : new Date(Number(value))),
};

/** JSON documents are stored as text. */
export const JSON_TEXT: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : null),
};

/**
 * `object_versions.is_latest` is TRUE or NULL, never FALSE: NULLs are distinct in a unique
 * index on all three dialects, so UNIQUE (bucket_id, is_latest, object_key) allows any
 * number of noncurrent versions but at most one latest row per key, enforced by the
 * database even for concurrent first writes of a key.
 */
export const TRUE_OR_NULL: ValueTransformer = {
  to: (value: unknown) => (value === true ? true : value === false ? null : value),
  from: (value: unknown) => value === true || value === 1 || value === '1',
};
