import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ByteStringColumn, EpochMsColumn, StringColumn, TextColumn } from '../columns/column-kinds';
import type { AccessKeyKind, AccessKeyStatus } from '../types';
import { IamUserEntity } from './iam-user.entity';

@Entity('iam_access_keys')
@Index('IDX_iam_access_keys_user', ['userId'])
@Index('IDX_iam_access_keys_expires', ['expiresAt'])
export class IamAccessKeyEntity {
  // Byte-compared: access key ids are case-sensitive even where the server collation is not.
  @ByteStringColumn({ name: 'access_key_id', length: 128, primary: true })
  accessKeyId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => IamUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_iam_access_keys_user' })
  user?: IamUserEntity;

  @TextColumn({ name: 'secret_encrypted' })
  secretEncrypted: string;

  @StringColumn({ name: 'kind', length: 16 })
  kind: AccessKeyKind;

  @StringColumn({ name: 'status', length: 16 })
  status: AccessKeyStatus;

  @TextColumn({ name: 'session_policy', nullable: true })
  sessionPolicy: string | null;

  @EpochMsColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;
}
