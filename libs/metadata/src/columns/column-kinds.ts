import { Column, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER, BYTE_STRING, EPOCH_MS, JSON_TEXT } from './transformers';

interface KindOptions {
  name: string;
  nullable?: boolean;
  primary?: boolean;
}

/**
 * A UTF-8 string compared and ordered by bytes: `varchar COLLATE "C"` on PostgreSQL,
 * `varbinary` on MySQL/MariaDB, `varchar` (BINARY collation) on SQLite. Declared as
 * varchar here; `adaptColumnsToDialect` switches the type once the dialect is known.
 */
export function ByteStringColumn(opts: KindOptions & { length: number }): PropertyDecorator {
  const options = {
    name: opts.name,
    type: 'varchar' as const,
    length: opts.length,
    transformer: BYTE_STRING,
  };
  return opts.primary ? PrimaryColumn(options) : Column({ ...options, nullable: opts.nullable ?? false });
}

/** A `Date` stored as bigint epoch milliseconds. */
export function EpochMsColumn(opts: KindOptions): PropertyDecorator {
  return Column({ name: opts.name, type: 'bigint', nullable: opts.nullable ?? false, transformer: EPOCH_MS });
}

/** A byte count or other integer that can exceed 2^31, returned as a number on every dialect. */
export function BigIntColumn(opts: KindOptions): PropertyDecorator {
  return Column({
    name: opts.name,
    type: 'bigint',
    nullable: opts.nullable ?? false,
    transformer: BIGINT_NUMBER,
  });
}

/** A JSON document stored as text (mediumtext on MySQL, see `adaptColumnsToDialect`). */
export function JsonColumn(opts: KindOptions): PropertyDecorator {
  return Column({ name: opts.name, type: 'text', nullable: opts.nullable ?? false, transformer: JSON_TEXT });
}

/** Free text (policy documents, encrypted secrets). */
export function TextColumn(opts: KindOptions): PropertyDecorator {
  return Column({ name: opts.name, type: 'text', nullable: opts.nullable ?? false });
}

/** A short varchar compared with the database's default collation. */
export function StringColumn(opts: KindOptions & { length: number }): PropertyDecorator {
  return Column({ name: opts.name, type: 'varchar', length: opts.length, nullable: opts.nullable ?? false });
}

/** A portable boolean (boolean on PostgreSQL, tinyint(1) on MySQL, integer on SQLite). */
export function BoolColumn(opts: KindOptions): PropertyDecorator {
  return Column({ name: opts.name, type: 'boolean', nullable: opts.nullable ?? false });
}
