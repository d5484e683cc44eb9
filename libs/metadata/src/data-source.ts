import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { parseDatabaseUrl } from './database-url';
import { adaptColumnsToDialect, dialectOf } from './dialect';
import { METADATA_ENTITIES } from './entities';
import type { MetadataOptions } from './metadata-options';

const SQLITE_BUSY_TIMEOUT_MS = 5000;

interface SqliteHandle {
  pragma(source: string): unknown;
}

interface MetadataDataSourceSetup {
  synchronize: boolean;
  /** SQLite only: options of the second, read-only connection (see `readManager`). */
  reader: DataSourceOptions | null;
}

/**
 * The DataSource of the metadata database. Adds three things to TypeORM's: dialect
 * column types (`adaptColumnsToDialect`) applied as the metadata is built, test-only
 * synchronize after that, and on SQLite a second, read-only connection.
 */
export class MetadataDataSource extends DataSource {
  private reader: MetadataDataSource | null = null;

  constructor(
    options: DataSourceOptions,
    private readonly setup: MetadataDataSourceSetup,
  ) {
    super(options);
  }

  /**
   * The manager for reads outside a transaction. TypeORM runs everything on SQLite over one
   * connection, where a read issued while a transaction is open would see its uncommitted
   * rows; WAL gives the reader connection the last committed state instead, which is what
   * PostgreSQL and MySQL give pooled reads.
   */
  get readManager(): EntityManager {
    return this.reader?.manager ?? this.manager;
  }

  protected override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    adaptColumnsToDialect(this);
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    try {
      await this.alignMysqlFlavor();
      if (this.setup.synchronize) {
        await this.synchronize();
      }
      if (this.setup.reader !== null) {
        const reader = new MetadataDataSource(this.setup.reader, { synchronize: false, reader: null });
        await reader.initialize();
        this.reader = reader;
      }
    } catch (err) {
      await super.destroy();
      throw err;
    }
    return this;
  }

  /**
   * TypeORM reads MariaDB's information_schema correctly (COLUMN_DEFAULT quoting, NULL
   * defaults) only under type 'mariadb', and a mysql:// URL does not say which server it
   * is, so the type follows the server's version string. Queries are the same for both.
   */
  private async alignMysqlFlavor(): Promise<void> {
    if (this.options.type !== 'mysql') {
      return;
    }
    const rows = await this.query<{ version?: unknown }[]>('SELECT VERSION() AS version');
    if (/mariadb/i.test(String(rows[0]?.version))) {
      (this.options as { type: string }).type = 'mariadb';
      (this.driver.options as { type: string }).type = 'mariadb';
    }
  }

  override async destroy(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    try {
      if (reader?.isInitialized) {
        await reader.destroy();
      }
    } finally {
      await super.destroy();
    }
  }
}

function prepareSqlite(db: SqliteHandle, readOnly: boolean): void {
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
  }
  // A 200 must survive power loss, not just a crash: the writer's commits are made durable by
  // an fsync of the WAL on the libuv pool after each group commit (see WalSyncer), which
  // NORMAL leaves to us; FULL would do the same fsync inside COMMIT, on the event loop.
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  if (readOnly) {
    db.pragma('query_only = ON');
  }
}

/**
 * Builds (does not initialize) the metadata DataSource: SQLite at `options.sqlitePath`
 * when `databaseUrl` is unset, else PostgreSQL or MySQL/MariaDB from the URL. Migrations
 * never run implicitly (call `runMigrations`), and the schema is never synchronized
 * unless `options.synchronize` (tests). The caller owns it: `initialize()` then
 * `destroy()`. Throws for an unsupported or malformed URL.
 */
export function createDataSource(options: MetadataOptions): DataSource {
  const common = {
    entities: METADATA_ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: options.logging ?? false,
  };
  const synchronize = options.synchronize ?? false;
  if (options.databaseUrl === undefined || options.databaseUrl === '') {
    // The driver creates the parent directory of the file.
    const sqlite: DataSourceOptions = {
      ...common,
      type: 'better-sqlite3',
      database: options.sqlitePath,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      prepareDatabase: (db: SqliteHandle) => prepareSqlite(db, false),
    };
    const reader: DataSourceOptions | null =
      options.sqlitePath === ':memory:'
        ? null
        : { ...sqlite, migrations: [], prepareDatabase: (db: SqliteHandle) => prepareSqlite(db, true) };
    return new MetadataDataSource(sqlite, { synchronize, reader });
  }
  const { dialect, ssl, ...server } = parseDatabaseUrl(options.databaseUrl);
  if (dialect === 'postgres') {
    return new MetadataDataSource(
      { ...common, ...server, type: 'postgres', ssl, applicationName: 'myfsio' },
      { synchronize, reader: null },
    );
  }
  return new MetadataDataSource(
    {
      ...common,
      ...server,
      type: 'mysql',
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      ...(ssl === false ? {} : { ssl }),
    },
    { synchronize, reader: null },
  );
}

/** Arbitrary constant naming the migration lock on PostgreSQL ("myfs"). */
const PG_MIGRATION_LOCK = 0x6d796673;
const MYSQL_MIGRATION_LOCK = 'myfsio_migrations';

/**
 * Runs the pending migrations of an initialized DataSource, each in its own transaction,
 * and returns their names. Gateways of a fleet may start together, so on PostgreSQL and
 * MySQL the run holds a database-wide lock; SQLite is single-node. Throws whatever the
 * failing migration threw.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const dialect = dialectOf(ds);
  if (dialect === 'sqlite') {
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  // Session locks live on one connection, so hold them on a dedicated query runner.
  const lockRunner = ds.createQueryRunner();
  await lockRunner.connect();
  try {
    if (dialect === 'postgres') {
      await lockRunner.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK]);
    } else {
      const rows = (await lockRunner.query('SELECT GET_LOCK(?, 600) AS ok', [MYSQL_MIGRATION_LOCK])) as {
        ok: unknown;
      }[];
      if (Number(rows[0]?.ok) !== 1) {
        throw new Error('Timed out waiting for another process to finish the metadata migrations');
      }
    }
    try {
      return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await lockRunner.query(
        dialect === 'postgres' ? 'SELECT pg_advisory_unlock($1)' : 'SELECT RELEASE_LOCK(?)',
        [dialect === 'postgres' ? PG_MIGRATION_LOCK : MYSQL_MIGRATION_LOCK],
      );
    }
  } finally {
    await lockRunner.release();
  }
}
