import { SerialRuns } from '@myfsio/scheduling';
import { AppConfig } from '@myfsio/config';
import {
  BucketRepository,
  MaintenanceHistoryRepository,
  MultipartRepository,
  ObjectVersionRepository,
  type MaintenanceRun,
  type MaintenanceRunPage,
  type MaintenanceTrigger,
} from '@myfsio/metadata';
import { MaintenanceStore, ObjectStore } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import { gcThresholds } from './gc-policy';
import { GcRun } from './gc-run';
import type { GcReport } from './gc.types';

/** What `GET /admin/gc/status` shows. */
export interface GcStatus {
  enabled: boolean;
  running: boolean;
  intervalHours: number;
  dryRun: boolean;
  tempFileMaxAgeHours: number;
  multipartMaxAgeDays: number;
  lockFileMaxAgeHours: number;
  lastRun: MaintenanceRun | null;
}

/**
 * The garbage collector: removes what interrupted or abandoned work leaves on the file system
 * (docs/gc-and-integrity.md has the table). Runs in this process one at a time: a run asked
 * for while another is under way starts when it ends. Runs of several gateways may overlap
 * (manual runs are not claimed); that is safe because every removal re-checks its condition.
 */
@Injectable()
export class GcService {
  private readonly logger = new Logger('GC');
  private readonly runs = new SerialRuns();

  constructor(
    private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly maintenance: MaintenanceStore,
    private readonly buckets: BucketRepository,
    private readonly uploads: MultipartRepository,
    private readonly versions: ObjectVersionRepository,
    private readonly history: MaintenanceHistoryRepository,
  ) {}

  /**
   * Runs the collector and records the run in the history. `dryRun` defaults to GC_DRY_RUN;
   * a dry run changes nothing and reports what a real run would collect.
   */
  run(options: { dryRun?: boolean; trigger?: MaintenanceTrigger } = {}): Promise<GcReport> {
    const dryRun = options.dryRun ?? this.config.gc.dryRun;
    return this.runs.run(() => this.runNow(dryRun, options.trigger ?? 'manual'));
  }

  async status(): Promise<GcStatus> {
    const gc = this.config.gc;
    return {
      enabled: gc.enabled,
      running: this.runs.isRunning,
      intervalHours: gc.intervalHours,
      dryRun: gc.dryRun,
      tempFileMaxAgeHours: gc.tempFileMaxAgeHours,
      multipartMaxAgeDays: gc.multipartMaxAgeDays,
      lockFileMaxAgeHours: gc.lockFileMaxAgeHours,
      lastRun: await this.history.latest('gc'),
    };
  }

  /** Past runs, newest first. */
  historyPage(limit: number, offset: number): Promise<MaintenanceRunPage> {
    return this.history.page('gc', limit, offset);
  }

  private async runNow(dryRun: boolean, trigger: MaintenanceTrigger): Promise<GcReport> {
    const deps = {
      store: this.store,
      maintenance: this.maintenance,
      buckets: this.buckets,
      uploads: this.uploads,
      versions: this.versions,
    };
    const report = await new GcRun(deps, gcThresholds(this.config.gc), dryRun).execute();
    await this.history.record({
      kind: 'gc',
      trigger,
      dryRun,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      result: {
        collected: report.collected,
        bytesFreed: report.bytesFreed,
        kept: report.kept,
        errors: report.errors,
      },
    });
    this.logger.log({ ...report, trigger }, dryRun ? 'GC dry run finished' : 'GC run finished');
    return report;
  }
}
