import { AppConfig } from '@myfsio/config';
import { PeriodicRuns } from '@myfsio/scheduling';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LifecycleRunner } from './lifecycle-runner';

/** The SchedulerRegistry name of the enforcement interval, and the periodic job's name. */
export const LIFECYCLE_JOB = 'lifecycle';

/**
 * Runs lifecycle enforcement every LIFECYCLE_INTERVAL_SECONDS when LIFECYCLE_ENABLED, once per
 * interval across gateways. Each gateway ticks four times per interval and runs only when it
 * claims the period (PeriodicRuns), so timer jitter never skips a whole interval. The timer is
 * unref'd (it never keeps the process alive) and stopped, with the pass in progress, on shutdown.
 */
@Injectable()
export class LifecycleScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private ticking: Promise<unknown> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly periodic: PeriodicRuns,
    private readonly runner: LifecycleRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.lifecycle.enabled) {
      return;
    }
    const periodMs = this.config.lifecycle.intervalSeconds * 1000;
    const handle = setInterval(() => this.tick(periodMs), Math.max(250, Math.floor(periodMs / 4)));
    handle.unref();
    this.registry.addInterval(LIFECYCLE_JOB, handle);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', LIFECYCLE_JOB)) {
      this.registry.deleteInterval(LIFECYCLE_JOB);
    }
    await this.runner.stop();
    await this.ticking;
  }

  private tick(periodMs: number): void {
    if (this.ticking !== null) {
      return;
    }
    this.ticking = this.periodic
      .runIfClaimed(LIFECYCLE_JOB, periodMs, () => this.runner.run())
      .catch(() => undefined)
      .finally(() => {
        this.ticking = null;
      });
  }
}
