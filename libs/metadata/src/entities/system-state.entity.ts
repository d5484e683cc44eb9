import { Entity, PrimaryColumn } from 'typeorm';
import { EpochMsColumn, TextColumn } from '../columns/column-kinds';

@Entity('system_state')
export class SystemStateEntity {
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 128 })
  key: string;

  @TextColumn({ name: 'value' })
  value: string;

  @EpochMsColumn({ name: 'updated_at' })
  updatedAt: Date;
}
