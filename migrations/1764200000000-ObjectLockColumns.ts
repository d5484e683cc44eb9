import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'object_versions';

function dialectOf(queryRunner: QueryRunner): 'sqlite' | 'mysql' | 'postgres' {
  const type = queryRunner.connection.options.type;
  if (type === 'better-sqlite3' || type === 'sqlite') {
    return 'sqlite';
  }
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'postgres';
}

/**
 * Object lock on `object_versions`: `lock_mode` (GOVERNANCE or COMPLIANCE), `lock_retain_until`
 * (epoch ms, as every timestamp) and `legal_hold` (true while a legal hold is ON; null or false
 * when OFF). All nullable, so existing rows need no default: they are simply not locked. The
 * bucket's default retention is a bucket config document and needs no column.
 */
export class ObjectLockColumns1764200000000 implements MigrationInterface {
  name = 'ObjectLockColumns1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    if (dialect === 'sqlite') {
      // SQLite's own ADD COLUMN: TypeORM would rebuild the table and lose the DESC history index.
      await queryRunner.query(`ALTER TABLE "${TABLE}" ADD COLUMN "lock_mode" varchar(16)`);
      await queryRunner.query(`ALTER TABLE "${TABLE}" ADD COLUMN "lock_retain_until" bigint`);
      await queryRunner.query(`ALTER TABLE "${TABLE}" ADD COLUMN "legal_hold" boolean`);
      return;
    }
    const utf8 = dialect === 'mysql' ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    await queryRunner.addColumns(TABLE, [
      new TableColumn({ name: 'lock_mode', type: 'varchar', length: '16', isNullable: true, ...utf8 }),
      new TableColumn({ name: 'lock_retain_until', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'legal_hold', type: 'boolean', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const columns = ['legal_hold', 'lock_retain_until', 'lock_mode'];
    if (dialectOf(queryRunner) === 'sqlite') {
      for (const column of columns) {
        await queryRunner.query(`ALTER TABLE "${TABLE}" DROP COLUMN "${column}"`);
      }
      return;
    }
    await queryRunner.dropColumns(TABLE, columns);
  }
}
