import type { DataSource } from 'typeorm';
import { BYTE_STRING } from './columns/transformers';

/** The three supported database families. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql';

const DIALECTS: Partial<Record<DataSource['options']['type'], Dialect>> = {
  'better-sqlite3': 'sqlite',
  sqlite: 'sqlite',
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** The family of a DataSource's driver; throws for a type this lib does not support. */
export function dialectOf(ds: DataSource): Dialect {
  const dialect = DIALECTS[ds.options.type];
  if (dialect === undefined) {
    throw new Error(`Unsupported metadata database type '${ds.options.type}'`);
  }
  return dialect;
}

/**
 * Raw SQL written with `?` placeholders, as the dialect takes them: PostgreSQL numbers its
 * parameters (`$1`, `$2`, …); SQLite and MySQL take `?`. Only for SQL without `?` in literals.
 */
export function withPlaceholders(dialect: Dialect, sql: string): string {
  let n = 0;
  return dialect === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
}

/**
 * Entity decorators run before the dialect is known, so the column types that differ by
 * dialect are declared portably and switched here, right after TypeORM builds the
 * metadata (and before any synchronize or schema comparison). The initial migration
 * makes the same choices, so migrations and entities agree on every dialect.
 */
export function adaptColumnsToDialect(ds: DataSource): void {
  const dialect = dialectOf(ds);
  for (const entity of ds.entityMetadatas) {
    for (const column of entity.columns) {
      if (column.transformer === BYTE_STRING) {
        if (dialect === 'postgres') {
          // "C" compares bytes: UTF-8 byte order, and an index the range scans can use.
          column.collation = 'C';
        } else if (dialect === 'mysql') {
          // utf8mb4 varchar(1024) exceeds InnoDB's 3072-byte key limit; varbinary compares bytes, without PAD SPACE.
          column.type = 'varbinary';
        }
      }
      if (dialect === 'mysql' && column.type === 'boolean') {
        // BOOLEAN is tinyint(1); MariaDB reports the width, so the metadata must carry it.
        column.width = 1;
      }
      if (dialect === 'mysql' && column.type === 'text') {
        // TEXT stops at 64 KiB; lifecycle and policy documents may be larger.
        column.type = 'mediumtext';
      }
      if (dialect === 'sqlite' && column.isGenerated && column.generationStrategy === 'increment') {
        column.type = 'integer';
      }
    }
  }
}
