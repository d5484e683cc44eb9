import { createDataSource, runMigrations } from '@myfsio/metadata';
import type { DataSource } from 'typeorm';
import { createScratchDb, describeEachDialect, type ScratchDb } from '../support/db-matrix';

const TABLES = [
  'buckets',
  'object_versions',
  'multipart_uploads',
  'multipart_parts',
  'iam_users',
  'iam_access_keys',
  'iam_groups',
  'iam_group_members',
  'iam_policies',
  'iam_policy_attachments',
  'bucket_configs',
  'outbox',
  'system_state',
  'maintenance_history',
];

/** Every migration, in order; append here when adding one to migrations/index.ts. */
const MIGRATION_NAMES = [
  'InitialSchema1763900000000',
  'ObjectPartSizes1764000000000',
  'ObjectLockColumns1764200000000',
  'ObjectAcl1765100000000',
  'MaintenanceHistory1765200000000',
];

async function existingTables(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  try {
    const tables = await runner.getTables(TABLES);
    return tables.map((t) => t.name.split('.').pop()!).sort();
  } finally {
    await runner.release();
  }
}

describeEachDialect('metadata migrations', (entry) => {
  let db: ScratchDb;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createScratchDb(entry);
    ds = createDataSource({ databaseUrl: db.databaseUrl, sqlitePath: db.sqlitePath });
    await ds.initialize();
  });

  afterAll(async () => {
    if (ds?.isInitialized) {
      await ds.destroy();
    }
    await db?.drop();
  });

  it('runs up, down and up again', async () => {
    expect(await runMigrations(ds)).toEqual(MIGRATION_NAMES);
    expect(await existingTables(ds)).toEqual([...TABLES].sort());

    for (const _ of MIGRATION_NAMES) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect(await existingTables(ds)).toEqual([]);

    expect(await runMigrations(ds)).toEqual(MIGRATION_NAMES);
    expect(await runMigrations(ds)).toEqual([]);
  });

  it('leaves nothing for the entities to change', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('creates the version history index newest first', async () => {
    let definition: string;
    if (entry.dialect === 'postgres') {
      const rows = await ds.query(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'IDX_object_versions_history'`,
      );
      definition = rows[0].indexdef;
    } else if (entry.dialect === 'mariadb') {
      const rows = await ds.query<{ Column_name: string; Collation: string }[]>(
        `SHOW INDEX FROM object_versions WHERE Key_name = 'IDX_object_versions_history'`,
      );
      definition = rows.map((r) => `${r.Column_name} ${r.Collation}`).join(', ');
      expect(definition).toBe('bucket_id A, object_key A, created_at D, version_id D');
      return;
    } else {
      const rows = await ds.query(`SELECT sql FROM sqlite_master WHERE name = 'IDX_object_versions_history'`);
      definition = rows[0].sql;
    }
    expect(definition).toMatch(/"?created_at"? DESC, "?version_id"? DESC\)/);
  });

  if (entry.dialect === 'sqlite') {
    // synchronous = NORMAL (1): commits are made durable by WalSyncer's fsync of the log, off the event loop.
    it('opens SQLite in WAL mode with NORMAL sync, a busy timeout and foreign keys', async () => {
      const [journal] = await ds.query('PRAGMA journal_mode');
      const [sync] = await ds.query('PRAGMA synchronous');
      const [busy] = await ds.query('PRAGMA busy_timeout');
      const [fk] = await ds.query('PRAGMA foreign_keys');
      expect([journal.journal_mode, sync.synchronous, Object.values(busy)[0], fk.foreign_keys]).toEqual([
        'wal',
        1,
        5000,
        1,
      ]);
    });
  }

  it('builds the same tables from the entities when synchronize is on (tests only)', async () => {
    const scratch = await createScratchDb(entry);
    const synced = createDataSource({
      databaseUrl: scratch.databaseUrl,
      sqlitePath: scratch.sqlitePath,
      synchronize: true,
    });
    try {
      await synced.initialize();
      expect(await existingTables(synced)).toEqual([...TABLES].sort());
      const pending = await synced.driver.createSchemaBuilder().log();
      expect(pending.upQueries).toEqual([]);
      const runner = synced.createQueryRunner();
      const keyColumn = (await runner.getTable('object_versions'))!.findColumnByName('object_key')!;
      await runner.release();
      if (entry.dialect === 'mariadb') {
        expect(keyColumn.type).toBe('varbinary');
      } else if (entry.dialect === 'postgres') {
        expect(keyColumn.collation).toBe('C');
      } else {
        expect(keyColumn.type).toBe('varchar');
      }
    } finally {
      if (synced.isInitialized) {
        await synced.destroy();
      }
      await scratch.drop();
    }
  });
});
