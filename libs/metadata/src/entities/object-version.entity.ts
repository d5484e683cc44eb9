import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import {
  BigIntColumn,
  BoolColumn,
  ByteStringColumn,
  EpochMsColumn,
  JsonColumn,
  StringColumn,
  TextColumn,
} from '../columns/column-kinds';
import { TRUE_OR_NULL } from '../columns/transformers';
import type { ChecksumType, ObjectLockMode, PartSizes } from '../types';
import { BucketEntity } from './bucket.entity';

@Entity('object_versions')
@Index('IDX_object_versions_version', ['bucketId', 'key', 'versionId'], { unique: true })
// Serves ListObjects as a key-range scan and allows one latest row per key (see TRUE_OR_NULL).
@Index('IDX_object_versions_latest', ['bucketId', 'isLatest', 'key'], { unique: true })
// Serves ListObjectVersions; created DESC on the last two columns by the migration.
@Index('IDX_object_versions_history', ['bucketId', 'key', 'createdAt', 'versionId'])
export class ObjectVersionEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'bucket_id', type: 'varchar', length: 36 })
  bucketId: string;

  @ManyToOne(() => BucketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bucket_id', foreignKeyConstraintName: 'FK_object_versions_bucket' })
  bucket?: BucketEntity;

  @ByteStringColumn({ name: 'object_key', length: 1024 })
  key: string;

  @ByteStringColumn({ name: 'version_id', length: 64 })
  versionId: string;

  @Column({ name: 'is_latest', type: 'boolean', nullable: true, transformer: TRUE_OR_NULL })
  isLatest: boolean;

  @BoolColumn({ name: 'is_delete_marker' })
  isDeleteMarker: boolean;

  @BigIntColumn({ name: 'size' })
  size: number;

  @StringColumn({ name: 'etag', length: 80 })
  etag: string;

  @JsonColumn({ name: 'checksums', nullable: true })
  checksums: Record<string, string> | null;

  @StringColumn({ name: 'checksum_type', length: 16, nullable: true })
  checksumType: ChecksumType | null;

  @StringColumn({ name: 'content_type', length: 1024, nullable: true })
  contentType: string | null;

  @StringColumn({ name: 'content_encoding', length: 1024, nullable: true })
  contentEncoding: string | null;

  @StringColumn({ name: 'content_disposition', length: 2048, nullable: true })
  contentDisposition: string | null;

  @StringColumn({ name: 'content_language', length: 255, nullable: true })
  contentLanguage: string | null;

  @StringColumn({ name: 'cache_control', length: 1024, nullable: true })
  cacheControl: string | null;

  @StringColumn({ name: 'expires', length: 255, nullable: true })
  expires: string | null;

  @JsonColumn({ name: 'user_metadata' })
  userMetadata: Record<string, string>;

  @JsonColumn({ name: 'tags', nullable: true })
  tags: Record<string, string> | null;

  @StringColumn({ name: 'owner_id', length: 128 })
  ownerId: string;

  @StringColumn({ name: 'storage_path', length: 2048, nullable: true })
  storagePath: string | null;

  @StringColumn({ name: 'storage_class', length: 32 })
  storageClass: string;

  @Column({ name: 'parts_count', type: 'int', nullable: true })
  partsCount: number | null;

  @JsonColumn({ name: 'part_sizes', nullable: true })
  partSizes: PartSizes | null;

  @TextColumn({ name: 'acl', nullable: true })
  acl: string | null;
  @StringColumn({ name: 'lock_mode', length: 16, nullable: true })
  lockMode: ObjectLockMode | null;

  @EpochMsColumn({ name: 'lock_retain_until', nullable: true })
  lockRetainUntil: Date | null;

  @Column({ name: 'legal_hold', type: 'boolean', nullable: true })
  legalHold: boolean | null;

  @EpochMsColumn({ name: 'last_modified' })
  lastModified: Date;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;
}
