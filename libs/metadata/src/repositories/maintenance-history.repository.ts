import { Injectable } from '@nestjs/common';
import { MaintenanceRunEntity } from '../entities/maintenance-run.entity';
import type { MaintenanceKind, MaintenanceRun, MaintenanceRunPage, NewMaintenanceRun } from '../types';
import { RepositoryBase } from './repository-base';

function toRun(e: MaintenanceRunEntity): MaintenanceRun {
  return {
    id: e.id,
    kind: e.kind,
    trigger: e.trigger,
    dryRun: e.dryRun,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    result: e.result,
  };
}

/** The history of garbage-collector and integrity-scanner runs (table `maintenance_history`). */
@Injectable()
export class MaintenanceHistoryRepository extends RepositoryBase {
  /** Appends a finished run; returns it with its id. */
  async record(run: NewMaintenanceRun): Promise<MaintenanceRun> {
    return this.write(null, async (m) => {
      const row = m.create(MaintenanceRunEntity, { ...run });
      await m.save(row);
      return toRun(row);
    });
  }

  /** Runs of `kind`, newest first, skipping `offset` and returning at most `limit`, with the total count. */
  async page(kind: MaintenanceKind, limit: number, offset: number): Promise<MaintenanceRunPage> {
    const m = this.reader();
    const [rows, total] = await Promise.all([
      m.find(MaintenanceRunEntity, { where: { kind }, order: { id: 'DESC' }, take: limit, skip: offset }),
      m.count(MaintenanceRunEntity, { where: { kind } }),
    ]);
    return { runs: rows.map(toRun), total };
  }

  /** The newest run of `kind`, or null when it never ran. */
  async latest(kind: MaintenanceKind): Promise<MaintenanceRun | null> {
    return (await this.page(kind, 1, 0)).runs[0] ?? null;
  }
}
