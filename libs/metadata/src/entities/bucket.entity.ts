import { Entity, Index, PrimaryColumn } from 'typeorm';
import {
  BoolColumn,
  ByteStringColumn,
  EpochMsColumn,
  StringColumn,
  TextColumn,
} from '../columns/column-kinds';
import type { BucketVersioning } from '../types';

@Entity('buckets')
@Index('IDX_buckets_name', ['name'], { unique: true })
export class BucketEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  // Byte-ordered so ListBuckets and uniqueness do not depend on the server collation.
  @ByteStringColumn({ name: 'name', length: 63 })
  name: string;

  @StringColumn({ name: 'owner_id', length: 128 })
  ownerId: string;

  @StringColumn({ name: 'region', length: 64 })
  region: string;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;

  @StringColumn({ name: 'versioning', length: 16 })
  versioning: BucketVersioning;

  @BoolColumn({ name: 'object_lock_enabled' })
  objectLockEnabled: boolean;

  @TextColumn({ name: 'acl', nullable: true })
  acl: string | null;
}
