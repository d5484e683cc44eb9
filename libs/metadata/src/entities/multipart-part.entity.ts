import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import {
  BigIntColumn,
  ByteStringColumn,
  EpochMsColumn,
  JsonColumn,
  StringColumn,
} from '../columns/column-kinds';
import { MultipartUploadEntity } from './multipart-upload.entity';

@Entity('multipart_parts')
export class MultipartPartEntity {
  @ByteStringColumn({ name: 'upload_id', length: 64, primary: true })
  uploadId: string;

  @ManyToOne(() => MultipartUploadEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'upload_id', foreignKeyConstraintName: 'FK_multipart_parts_upload' })
  upload?: MultipartUploadEntity;

  @PrimaryColumn({ name: 'part_number', type: 'int' })
  partNumber: number;

  @BigIntColumn({ name: 'size' })
  size: number;

  @StringColumn({ name: 'etag', length: 80 })
  etag: string;

  @JsonColumn({ name: 'checksums', nullable: true })
  checksums: Record<string, string> | null;

  @EpochMsColumn({ name: 'last_modified' })
  lastModified: Date;
}
