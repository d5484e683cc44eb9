import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'maintenance_history';

/**
 * `maintenance_history`: one row per finished run of the garbage collector (`kind = 'gc'`) or
 * the integrity scanner (`kind = 'integrity'`), with its JSON report. Paged newest first by
 * `(kind, id)`.
 */
export class MaintenanceHistory1765200000000 implements MigrationInterface {
  name = 'MaintenanceHistory1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    const isMysql = type === 'mysql' || type === 'mariadb';
    const isPostgres = type === 'postgres';
    // The same column shapes as the initial schema (kept local: a merged migration never changes).
    const utf8 = isMysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          {
            name: 'id',
            type: isMysql || isPostgres ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'kind', type: 'varchar', length: '16', ...utf8 },
          { name: 'triggered_by', type: 'varchar', length: '16', ...utf8 },
          { name: 'dry_run', type: 'boolean' },
          { name: 'started_at', type: 'bigint' },
          { name: 'finished_at', type: 'bigint' },
          { name: 'result', type: isMysql ? 'mediumtext' : 'text', ...utf8 },
        ],
        indices: [new TableIndex({ name: 'IDX_maintenance_history_kind', columnNames: ['kind', 'id'] })],
      }),
      false,
      true,
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true, true, true);
  }
}
