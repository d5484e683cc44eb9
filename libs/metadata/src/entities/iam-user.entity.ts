import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import {
  BoolColumn,
  ByteStringColumn,
  EpochMsColumn,
  JsonColumn,
  StringColumn,
  TextColumn,
} from '../columns/column-kinds';

@Entity('iam_users')
@Index('IDX_iam_users_name', ['name'], { unique: true })
@Index('IDX_iam_users_parent', ['parentUserId'])
export class IamUserEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @ByteStringColumn({ name: 'name', length: 128 })
  name: string;

  @StringColumn({ name: 'display_name', length: 256, nullable: true })
  displayName: string | null;

  @BoolColumn({ name: 'is_root' })
  isRoot: boolean;

  @BoolColumn({ name: 'is_enabled' })
  isEnabled: boolean;

  @EpochMsColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @JsonColumn({ name: 'inline_policies', nullable: true })
  inlinePolicies: Record<string, string> | null;

  // Service accounts point at the user they act for; deleting that user deletes them.
  @Column({ name: 'parent_user_id', type: 'varchar', length: 36, nullable: true })
  parentUserId: string | null;

  @ManyToOne(() => IamUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_user_id', foreignKeyConstraintName: 'FK_iam_users_parent' })
  parent?: IamUserEntity;

  @TextColumn({ name: 'session_policy', nullable: true })
  sessionPolicy: string | null;

  @Column({ name: 'failed_attempts', type: 'int', default: 0 })
  failedAttempts: number;

  @EpochMsColumn({ name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;
}
