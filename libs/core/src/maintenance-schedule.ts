import { AppConfig } from '@myfsio/config';
import { GcService } from '@myfsio/gc';
import { IntegrityService } from '@myfsio/integrity';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicRuns } from '@myfsio/scheduling';

const HOUR_MS = 3_600_000;
/**
 * The first tick comes this soon after start-up (claimed like every other tick, so it runs
 * only when the period is due): restarts more frequent than the interval must not starve a job.
 */
export const FIRST_TICK_MS = 60_000;

/** A periodic job registered from the configuration. */
export interface MaintenanceJob {
  /** Name of the period claim (`run:<name>` in system_state) and of the registered timers. */
  name: 'gc' | 'integrity';
  periodMs: number;
  run(): Promise<unknown>;
}

/**
 * Registers the periodic runs of the garbage collector and the integrity scanner with
 * SchedulerRegistry, each only when enabled (GC_ENABLED, INTEGRITY_ENABLED). Every gateway
 * ticks; `PeriodicRuns` lets one tick per interval across gateways run the job. Timers are
 * unref'd (they never keep the process alive) and removed on shutdown.
 */
@Injectable()
export class MaintenanceSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly names: string[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly runs: PeriodicRuns,
    private readonly gc: GcService,
    private readonly integrity: IntegrityService,
  ) {}

  /** The jobs the configuration enables. */
  jobs(): MaintenanceJob[] {
    const jobs: MaintenanceJob[] = [];
    if (this.config.gc.enabled) {
      jobs.push({
        name: 'gc',
        periodMs: this.config.gc.intervalHours * HOUR_MS,
        run: () => this.gc.run({ trigger: 'scheduled' }),
      });
    }
    if (this.config.integrity.enabled) {
      jobs.push({
        name: 'integrity',
        periodMs: this.config.integrity.intervalHours * HOUR_MS,
        run: () => this.integrity.run({ trigger: 'scheduled' }),
      });
    }
    return jobs;
  }

  onApplicationBootstrap(): void {
    for (const job of this.jobs()) {
      const tick = () => void this.runs.runIfClaimed(job.name, job.periodMs, () => job.run());
      const first = setTimeout(tick, Math.min(FIRST_TICK_MS, job.periodMs));
      first.unref();
      this.registry.addTimeout(`maintenance:${job.name}:first`, first);
      const every = setInterval(tick, job.periodMs);
      every.unref();
      this.registry.addInterval(`maintenance:${job.name}`, every);
      this.names.push(job.name);
    }
  }

  onApplicationShutdown(): void {
    for (const name of this.names.splice(0)) {
      if (this.registry.doesExist('timeout', `maintenance:${name}:first`)) {
        this.registry.deleteTimeout(`maintenance:${name}:first`);
      }
      if (this.registry.doesExist('interval', `maintenance:${name}`)) {
        this.registry.deleteInterval(`maintenance:${name}`);
      }
    }
  }
}
