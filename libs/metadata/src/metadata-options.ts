/**
 * Connection settings of the metadata database, bound by the app (usually derived from
 * `AppConfig.database`). Abstract so it doubles as the Nest DI token.
 */
export abstract class MetadataOptions {
  /** `postgres://…`, `postgresql://…`, `mysql://…` or `mariadb://…`; undefined or empty → SQLite at `sqlitePath`. */
  databaseUrl?: string;
  /** SQLite file used when `databaseUrl` is unset, normally `STORAGE_ROOT/.myfsio.sys/meta.db`; its directory is created. */
  sqlitePath: string;
  /** Create the schema from the entities instead of migrations. Tests only: never in production. */
  synchronize?: boolean;
  /** Log every SQL statement through TypeORM's console logger. */
  logging?: boolean;
}
