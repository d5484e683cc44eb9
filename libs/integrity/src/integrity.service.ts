import { SerialRuns } from '@myfsio/scheduling';
import { AppConfig } from '@myfsio/config';
import { gcThresholds } from '@myfsio/gc';
import {
  BucketRepository,
  MaintenanceHistoryRepository,
  ObjectVersionRepository,
  SystemStateRepository,
  UnitOfWork,
  type MaintenanceRun,
  type MaintenanceRunPage,
  type MaintenanceTrigger,
} from '@myfsio/metadata';
import { MaintenanceStore, ObjectStore } from '@myfsio/storage';
import { Injectable, Logger } from '@nestjs/common';
import { IntegrityRun } from './integrity-run';
import type { IntegrityCounts, IntegrityCursor, IntegrityReport } from './integrity.types';

/** The system_state key of the scan position (shared by every gateway). */
export const INTEGRITY_CURSOR_KEY = 'integrity:cursor';

/** What `GET /admin/integrity/status` shows. */
export interface IntegrityStatus {
  enabled: boolean;
  running: boolean;
  intervalHours: number;
  batchSize: number;
  autoHeal: boolean;
  dryRun: boolean;
  /** Where the next run starts; null at the start of a pass. */
  cursor: IntegrityCursor | null;
  /** The issues found and healed by the last run (null before the first). */
  counts: { issues: IntegrityCounts; healed: IntegrityCounts } | null;
  lastRun: MaintenanceRun | null;
}

/**
 * The integrity scanner: reconciles the metadata with the files (docs/gc-and-integrity.md).
 * Runs in this process one at a time; a run asked for while another is under way starts when
 * it ends. The scan position lives in system_state, so runs resume where the last batch ended,
 * across restarts and gateways.
 */
@Injectable()
export class IntegrityService {
  private readonly logger = new Logger('Integrity');
  private readonly runs = new SerialRuns();

  constructor(
    private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly maintenance: MaintenanceStore,
    private readonly buckets: BucketRepository,
    private readonly versions: ObjectVersionRepository,
    private readonly uow: UnitOfWork,
    private readonly state: SystemStateRepository,
    private readonly history: MaintenanceHistoryRepository,
  ) {}

  /**
   * Scans up to INTEGRITY_BATCH_SIZE items from the saved position and records the run.
   * `dryRun` (default INTEGRITY_DRY_RUN) reports only; `autoHeal` (default
   * INTEGRITY_AUTO_HEAL) repairs what it finds unless this is a dry run.
   */
  run(
    options: { dryRun?: boolean; autoHeal?: boolean; trigger?: MaintenanceTrigger } = {},
  ): Promise<IntegrityReport> {
    const dryRun = options.dryRun ?? this.config.integrity.dryRun;
    const autoHeal = options.autoHeal ?? this.config.integrity.autoHeal;
    return this.runs.run(() => this.runNow(dryRun, autoHeal, options.trigger ?? 'manual'));
  }

  async status(): Promise<IntegrityStatus> {
    const c = this.config.integrity;
    const lastRun = await this.history.latest('integrity');
    const result = lastRun?.result as Partial<Pick<IntegrityReport, 'issues' | 'healed'>> | undefined;
    return {
      enabled: c.enabled,
      running: this.runs.isRunning,
      intervalHours: c.intervalHours,
      batchSize: c.batchSize,
      autoHeal: c.autoHeal,
      dryRun: c.dryRun,
      cursor: await this.cursor(),
      counts: result?.issues && result.healed ? { issues: result.issues, healed: result.healed } : null,
      lastRun,
    };
  }

  /** Past runs, newest first. */
  historyPage(limit: number, offset: number): Promise<MaintenanceRunPage> {
    return this.history.page('integrity', limit, offset);
  }

  private async cursor(): Promise<IntegrityCursor | null> {
    const raw = await this.state.get(INTEGRITY_CURSOR_KEY);
    return raw === null ? null : (JSON.parse(raw) as IntegrityCursor);
  }

  private async runNow(
    dryRun: boolean,
    autoHeal: boolean,
    trigger: MaintenanceTrigger,
  ): Promise<IntegrityReport> {
    const run = new IntegrityRun(
      {
        store: this.store,
        maintenance: this.maintenance,
        buckets: this.buckets,
        versions: this.versions,
        uow: this.uow,
      },
      {
        dryRun,
        autoHeal,
        batchSize: this.config.integrity.batchSize,
        thresholds: gcThresholds(this.config.gc),
      },
      async (cursor) => {
        if (cursor === null) {
          await this.state.delete(null, INTEGRITY_CURSOR_KEY);
        } else {
          await this.state.set(null, INTEGRITY_CURSOR_KEY, JSON.stringify(cursor));
        }
      },
    );
    const report = await run.execute(await this.cursor());
    const { startedAt, finishedAt, ...result } = report;
    await this.history.record({
      kind: 'integrity',
      trigger,
      dryRun,
      startedAt,
      finishedAt,
      result: { ...result },
    });
    this.logger.log(
      { issues: report.issues, healed: report.healed, scanned: report.scanned, dryRun, autoHeal, trigger },
      'integrity scan finished',
    );
    return report;
  }
}
