import { Entity, Index, PrimaryColumn } from 'typeorm';
import { BoolColumn, EpochMsColumn, JsonColumn, StringColumn } from '../columns/column-kinds';
import { BIGINT_NUMBER } from '../columns/transformers';
import type { MaintenanceKind, MaintenanceTrigger } from '../types';

@Entity('maintenance_history')
// Serves the history pages of one kind, newest first.
@Index('IDX_maintenance_history_kind', ['kind', 'id'])
export class MaintenanceRunEntity {
  // integer on SQLite, where AUTOINCREMENT requires INTEGER PRIMARY KEY (see adaptColumnsToDialect).
  @PrimaryColumn({ name: 'id', type: 'bigint', generated: 'increment', transformer: BIGINT_NUMBER })
  id: number;

  @StringColumn({ name: 'kind', length: 16 })
  kind: MaintenanceKind;

  @StringColumn({ name: 'triggered_by', length: 16 })
  trigger: MaintenanceTrigger;

  @BoolColumn({ name: 'dry_run' })
  dryRun: boolean;

  @EpochMsColumn({ name: 'started_at' })
  startedAt: Date;

  @EpochMsColumn({ name: 'finished_at' })
  finishedAt: Date;

  @JsonColumn({ name: 'result' })
  result: Record<string, unknown>;
}
