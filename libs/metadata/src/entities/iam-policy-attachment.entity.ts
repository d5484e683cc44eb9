import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ByteStringColumn } from '../columns/column-kinds';
import type { PrincipalType } from '../types';
import { IamPolicyEntity } from './iam-policy.entity';

@Entity('iam_policy_attachments')
@Index('IDX_iam_policy_attachments_principal', ['principalType', 'principalId'])
export class IamPolicyAttachmentEntity {
  @ByteStringColumn({ name: 'policy_name', length: 128, primary: true })
  policyName: string;

  @ManyToOne(() => IamPolicyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'policy_name', foreignKeyConstraintName: 'FK_iam_policy_attachments_policy' })
  policy?: IamPolicyEntity;

  @PrimaryColumn({ name: 'principal_type', type: 'varchar', length: 8 })
  principalType: PrincipalType;

  @PrimaryColumn({ name: 'principal_id', type: 'varchar', length: 36 })
  principalId: string;
}
