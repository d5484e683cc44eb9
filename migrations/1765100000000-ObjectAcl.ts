import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'object_versions';
const COLUMN = 'acl';

function isSqlite(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'better-sqlite3' || type === 'sqlite';
}

/**
 * `object_versions.acl`: the object ACL (PutObjectAcl, `x-amz-acl` on PutObject, CopyObject and
 * CreateMultipartUpload) as the same JSON document buckets keep in `buckets.acl`. Null is the
 * default ACL: the object's owner has FULL_CONTROL.
 */
export class ObjectAcl1765100000000 implements MigrationInterface {
  name = 'ObjectAcl1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (isSqlite(queryRunner)) {
      // As in ObjectPartSizes: SQLite's own ADD COLUMN keeps the DESC history index intact.
      await queryRunner.query(`ALTER TABLE "${TABLE}" ADD COLUMN "${COLUMN}" text`);
      return;
    }
    const type = queryRunner.connection.options.type;
    const isMysql = type === 'mysql' || type === 'mariadb';
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
