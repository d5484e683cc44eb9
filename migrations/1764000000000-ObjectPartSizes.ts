import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'object_versions';
const COLUMN = 'part_sizes';

function isSqlite(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'better-sqlite3' || type === 'sqlite';
}

/**
 * `object_versions.part_sizes`: the part sizes of a multipart object as run-length JSON
 * (`[[size, count], …]`), so GetObject/HeadObject with `partNumber` can serve one part's
 * byte range. Null for objects written in one piece.
 */
export class ObjectPartSizes1764000000000 implements MigrationInterface {
  name = 'ObjectPartSizes1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (isSqlite(queryRunner)) {
      // TypeORM adds a SQLite column by rebuilding the table, which would drop the DESC order of
      // the history index made by raw SQL in the initial schema; SQLite's own ADD COLUMN keeps it.
      await queryRunner.query(`ALTER TABLE "${TABLE}" ADD COLUMN "${COLUMN}" text`);
      return;
    }
    const type = queryRunner.connection.options.type;
    const isMysql = type === 'mysql' || type === 'mariadb';
    // The same column shape as the initial schema's JSON text columns.
    await queryRunner.addColumn(
      TABLE,
      new TableColumn({
        name: COLUMN,
        type: isMysql ? 'mediumtext' : 'text',
        isNullable: true,
        ...(isMysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (isSqlite(queryRunner)) {
      await queryRunner.query(`ALTER TABLE "${TABLE}" DROP COLUMN "${COLUMN}"`);
      return;
    }
    await queryRunner.dropColumn(TABLE, COLUMN);
  }
}
