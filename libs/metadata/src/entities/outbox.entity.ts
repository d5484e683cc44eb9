import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochMsColumn, StringColumn, TextColumn } from '../columns/column-kinds';
import { BIGINT_NUMBER } from '../columns/transformers';

@Entity('outbox')
@Index('IDX_outbox_available', ['availableAt'])
export class OutboxEntity {
  // integer on SQLite, where AUTOINCREMENT requires INTEGER PRIMARY KEY (see adaptColumnsToDialect).
  @PrimaryColumn({ name: 'id', type: 'bigint', generated: 'increment', transformer: BIGINT_NUMBER })
  id: number;

  @StringColumn({ name: 'topic', length: 64 })
  topic: string;

  @TextColumn({ name: 'payload' })
  payload: string;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: Date;

  @EpochMsColumn({ name: 'available_at' })
  availableAt: Date;

  @Column({ name: 'attempts', type: 'int', default: 0 })
  attempts: number;

  @EpochMsColumn({ name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @StringColumn({ name: 'locked_by', length: 128, nullable: true })
  lockedBy: string | null;
}
