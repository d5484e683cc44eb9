import { Entity } from 'typeorm';
import { BoolColumn, ByteStringColumn, EpochMsColumn, TextColumn } from '../columns/column-kinds';

@Entity('iam_policies')
export class IamPolicyEntity {
  @ByteStringColumn({ name: 'name', length: 128, primary: true })
  name: string;

  @TextColumn({ name: 'document' })
  document: string;

  @BoolColumn({ name: 'is_builtin' })
  isBuiltin: boolean;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: Date;
}
