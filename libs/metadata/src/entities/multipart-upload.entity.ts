import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ByteStringColumn, EpochMsColumn, JsonColumn, StringColumn } from '../columns/column-kinds';
import type { ChecksumType, UploadMetadata } from '../types';
import { BucketEntity } from './bucket.entity';

@Entity('multipart_uploads')
// Serves ListMultipartUploads: key order, then initiation order within a key.
@Index('IDX_multipart_uploads_key', ['bucketId', 'key', 'initiatedAt', 'uploadId'])
// Serves the sweep of abandoned uploads.
@Index('IDX_multipart_uploads_initiated', ['initiatedAt'])
export class MultipartUploadEntity {
  @ByteStringColumn({ name: 'upload_id', length: 64, primary: true })
  uploadId: string;

  @Column({ name: 'bucket_id', type: 'varchar', length: 36 })
  bucketId: string;

  @ManyToOne(() => BucketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bucket_id', foreignKeyConstraintName: 'FK_multipart_uploads_bucket' })
  bucket?: BucketEntity;

  @ByteStringColumn({ name: 'object_key', length: 1024 })
  key: string;

  @EpochMsColumn({ name: 'initiated_at' })
  initiatedAt: Date;

  @StringColumn({ name: 'owner_id', length: 128 })
  ownerId: string;

  @StringColumn({ name: 'storage_class', length: 32 })
  storageClass: string;

  @StringColumn({ name: 'checksum_algorithm', length: 16, nullable: true })
  checksumAlgorithm: string | null;

  @StringColumn({ name: 'checksum_type', length: 16, nullable: true })
  checksumType: ChecksumType | null;

  @JsonColumn({ name: 'metadata' })
  metadata: UploadMetadata;
}
