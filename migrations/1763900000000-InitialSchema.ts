import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';

type Extra = Partial<TableColumnOptions>;

/**
 * Column builders for one dialect. Kept inside this file on purpose: a merged migration
 * must never change, so it cannot share helpers that a later migration might edit.
 */
function columnsFor(type: string) {
  const isMysql = type === 'mysql' || type === 'mariadb';
  const isPostgres = type === 'postgres';
  // Explicit on MySQL so the schema does not depend on the database's default character set.
  const utf8 = isMysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
  return {
    /** uuid ids. */
    id: (name: string, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '36',
      ...utf8,
      ...extra,
    }),
    /**
     * UTF-8 strings ordered by bytes (object keys, names): COLLATE "C" on PostgreSQL, varbinary
     * on MySQL (utf8mb4 varchar(1024) is too long for an InnoDB index), BINARY on SQLite.
     */
    bytes: (name: string, length: number, extra: Extra = {}): TableColumnOptions =>
      isMysql
        ? { name, type: 'varbinary', length: String(length), ...extra }
        : {
            name,
            type: 'varchar',
            length: String(length),
            ...(isPostgres ? { collation: 'C' } : {}),
            ...extra,
          },
    str: (name: string, length: number, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...utf8,
      ...extra,
    }),
    text: (name: string, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: isMysql ? 'mediumtext' : 'text',
      ...utf8,
      ...extra,
    }),
    /** Also every timestamp: epoch milliseconds. */
    bigint: (name: string, extra: Extra = {}): TableColumnOptions => ({ name, type: 'bigint', ...extra }),
    int: (name: string, extra: Extra = {}): TableColumnOptions => ({
      name,
      type: isMysql || isPostgres ? 'int' : 'integer',
      ...extra,
    }),
    bool: (name: string, extra: Extra = {}): TableColumnOptions => ({ name, type: 'boolean', ...extra }),
    /** Auto-increment bigint; SQLite's AUTOINCREMENT requires INTEGER PRIMARY KEY. */
    serial: (name: string): TableColumnOptions => ({
      name,
      type: isMysql || isPostgres ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
  };
}

const NULL = { isNullable: true };
const PK = { isPrimary: true };

function cascade(name: string, column: string, table: string, referenced: string): TableForeignKey {
  return new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: [referenced],
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  });
}

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
];

/** The first metadata schema: buckets, object versions, multipart uploads, IAM, configs, outbox, state. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner.connection.options.type);
    const create = (table: Table) => queryRunner.createTable(table, false, true, true);

    await create(
      new Table({
        name: 'buckets',
        columns: [
          c.id('id', PK),
          c.bytes('name', 63),
          c.str('owner_id', 128),
          c.str('region', 64),
          c.bigint('created_at'),
          c.str('versioning', 16),
          c.bool('object_lock_enabled'),
          c.text('acl', NULL),
        ],
        indices: [new TableIndex({ name: 'IDX_buckets_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await create(
      new Table({
        name: 'object_versions',
        columns: [
          c.id('id', PK),
          c.id('bucket_id'),
          c.bytes('object_key', 1024),
          c.bytes('version_id', 64),
          // TRUE or NULL, never FALSE: the unique latest index then allows one latest row per key.
          c.bool('is_latest', NULL),
          c.bool('is_delete_marker'),
          c.bigint('size'),
          c.str('etag', 80),
          c.text('checksums', NULL),
          c.str('checksum_type', 16, NULL),
          c.str('content_type', 1024, NULL),
          c.str('content_encoding', 1024, NULL),
          c.str('content_disposition', 2048, NULL),
          c.str('content_language', 255, NULL),
          c.str('cache_control', 1024, NULL),
          c.str('expires', 255, NULL),
          c.text('user_metadata'),
          c.text('tags', NULL),
          c.str('owner_id', 128),
          c.str('storage_path', 2048, NULL),
          c.str('storage_class', 32),
          c.int('parts_count', NULL),
          c.bigint('last_modified'),
          c.bigint('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_object_versions_version',
            columnNames: ['bucket_id', 'object_key', 'version_id'],
            isUnique: true,
          }),
          // ListObjects: equality on (bucket_id, is_latest), then an ordered range of object_key.
          new TableIndex({
            name: 'IDX_object_versions_latest',
            columnNames: ['bucket_id', 'is_latest', 'object_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascade('FK_object_versions_bucket', 'bucket_id', 'buckets', 'id')],
      }),
    );
    // ListObjectVersions reads keys ascending and each key's versions newest first. TableIndex
    // cannot say DESC, and the same statement is valid on all three dialects.
    const q = (name: string) => queryRunner.connection.driver.escape(name);
    await queryRunner.query(
      `CREATE INDEX ${q('IDX_object_versions_history')} ON ${q('object_versions')} ` +
        `(${q('bucket_id')}, ${q('object_key')}, ${q('created_at')} DESC, ${q('version_id')} DESC)`,
    );

    await create(
      new Table({
        name: 'multipart_uploads',
        columns: [
          c.bytes('upload_id', 64, PK),
          c.id('bucket_id'),
          c.bytes('object_key', 1024),
          c.bigint('initiated_at'),
          c.str('owner_id', 128),
          c.str('storage_class', 32),
          c.str('checksum_algorithm', 16, NULL),
          c.str('checksum_type', 16, NULL),
          c.text('metadata'),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_multipart_uploads_key',
            columnNames: ['bucket_id', 'object_key', 'initiated_at', 'upload_id'],
          }),
          new TableIndex({ name: 'IDX_multipart_uploads_initiated', columnNames: ['initiated_at'] }),
        ],
        foreignKeys: [cascade('FK_multipart_uploads_bucket', 'bucket_id', 'buckets', 'id')],
      }),
    );

    await create(
      new Table({
        name: 'multipart_parts',
        columns: [
          c.bytes('upload_id', 64, PK),
          c.int('part_number', PK),
          c.bigint('size'),
          c.str('etag', 80),
          c.text('checksums', NULL),
          c.bigint('last_modified'),
        ],
        foreignKeys: [cascade('FK_multipart_parts_upload', 'upload_id', 'multipart_uploads', 'upload_id')],
      }),
    );

    await create(
      new Table({
        name: 'iam_users',
        columns: [
          c.id('id', PK),
          c.bytes('name', 128),
          c.str('display_name', 256, NULL),
          c.bool('is_root'),
          c.bool('is_enabled'),
          c.bigint('expires_at', NULL),
          c.text('inline_policies', NULL),
          c.id('parent_user_id', NULL),
          c.text('session_policy', NULL),
          c.int('failed_attempts', { default: 0 }),
          c.bigint('locked_until', NULL),
          c.bigint('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_iam_users_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'IDX_iam_users_parent', columnNames: ['parent_user_id'] }),
        ],
        foreignKeys: [cascade('FK_iam_users_parent', 'parent_user_id', 'iam_users', 'id')],
      }),
    );

    await create(
      new Table({
        name: 'iam_access_keys',
        columns: [
          c.bytes('access_key_id', 128, PK),
          c.id('user_id'),
          c.text('secret_encrypted'),
          c.str('kind', 16),
          c.str('status', 16),
          c.text('session_policy', NULL),
          c.bigint('expires_at', NULL),
          c.bigint('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_iam_access_keys_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'IDX_iam_access_keys_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [cascade('FK_iam_access_keys_user', 'user_id', 'iam_users', 'id')],
      }),
    );

    await create(
      new Table({
        name: 'iam_groups',
        columns: [c.id('id', PK), c.bytes('name', 128), c.bool('is_enabled'), c.bigint('created_at')],
        indices: [new TableIndex({ name: 'IDX_iam_groups_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await create(
      new Table({
        name: 'iam_group_members',
        columns: [c.id('group_id', PK), c.id('user_id', PK)],
        indices: [new TableIndex({ name: 'IDX_iam_group_members_user', columnNames: ['user_id'] })],
        foreignKeys: [
          cascade('FK_iam_group_members_group', 'group_id', 'iam_groups', 'id'),
          cascade('FK_iam_group_members_user', 'user_id', 'iam_users', 'id'),
        ],
      }),
    );

    await create(
      new Table({
        name: 'iam_policies',
        columns: [
          c.bytes('name', 128, PK),
          c.text('document'),
          c.bool('is_builtin'),
          c.bigint('created_at'),
          c.bigint('updated_at'),
        ],
      }),
    );

    await create(
      new Table({
        name: 'iam_policy_attachments',
        columns: [c.bytes('policy_name', 128, PK), c.str('principal_type', 8, PK), c.id('principal_id', PK)],
        indices: [
          new TableIndex({
            name: 'IDX_iam_policy_attachments_principal',
            columnNames: ['principal_type', 'principal_id'],
          }),
        ],
        foreignKeys: [cascade('FK_iam_policy_attachments_policy', 'policy_name', 'iam_policies', 'name')],
      }),
    );

    await create(
      new Table({
        name: 'bucket_configs',
        columns: [c.id('bucket_id', PK), c.str('kind', 64, PK), c.text('document'), c.bigint('updated_at')],
        foreignKeys: [cascade('FK_bucket_configs_bucket', 'bucket_id', 'buckets', 'id')],
      }),
    );

    await create(
      new Table({
        name: 'outbox',
        columns: [
          c.serial('id'),
          c.str('topic', 64),
          c.text('payload'),
          c.bigint('created_at'),
          c.bigint('available_at'),
          c.int('attempts', { default: 0 }),
          c.bigint('locked_until', NULL),
          c.str('locked_by', 128, NULL),
        ],
        indices: [new TableIndex({ name: 'IDX_outbox_available', columnNames: ['available_at'] })],
      }),
    );

    await create(
      new Table({
        name: 'system_state',
        columns: [c.str('key', 128, PK), c.text('value'), c.bigint('updated_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Children before parents, so no foreign key blocks a drop.
    for (const table of [...TABLES].reverse()) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}
