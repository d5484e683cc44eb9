import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { IamGroupEntity } from './iam-group.entity';
import { IamUserEntity } from './iam-user.entity';

@Entity('iam_group_members')
@Index('IDX_iam_group_members_user', ['userId'])
export class IamGroupMemberEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => IamGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'FK_iam_group_members_group' })
  group?: IamGroupEntity;

  @ManyToOne(() => IamUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_iam_group_members_user' })
  user?: IamUserEntity;
}
