import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EpochMsColumn, TextColumn } from '../columns/column-kinds';
import { BucketEntity } from './bucket.entity';

@Entity('bucket_configs')
export class BucketConfigEntity {
  @PrimaryColumn({ name: 'bucket_id', type: 'varchar', length: 36 })
  bucketId: string;

  @ManyToOne(() => BucketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bucket_id', foreignKeyConstraintName: 'FK_bucket_configs_bucket' })
  bucket?: BucketEntity;

  @PrimaryColumn({ name: 'kind', type: 'varchar', length: 64 })
  kind: string;

  @TextColumn({ name: 'document' })
  document: string;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: Date;
}
