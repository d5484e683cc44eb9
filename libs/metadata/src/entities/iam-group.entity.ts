import { Entity, Index, PrimaryColumn } from 'typeorm';
import { BoolColumn, ByteStringColumn, EpochMsColumn } from '../columns/column-kinds';

@Entity('iam_groups')
@Index('IDX_iam_groups_name', ['name'], { unique: true })
export class IamGroupEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @ByteStringColumn({ name: 'name', length: 128 })
  name: string;

  @BoolColumn({ name: 'is_enabled' })
  isEnabled: boolean;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;
}
