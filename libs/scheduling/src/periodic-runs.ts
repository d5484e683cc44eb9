import { SystemStateRepository } from '@myfsio/metadata';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * "Once per interval across gateways" for periodic work (lifecycle, GC, integrity, …): every
 * gateway ticks on its own schedule, and a tick runs the job only when it claims the period
 * in the shared metadata database. A crashed holder loses nothing: the next period is
 * claimable by anyone, and each job is written to resume interrupted work.
 */
@Injectable()
export class PeriodicRuns {
  private readonly logger = new Logger('PeriodicRuns');
  /** Who claims, as recorded in the database (for operators reading system_state). */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly state: SystemStateRepository) {}

  /**
   * Runs `job` if this process claims period `periodMs` of `name`; resolves to whether it ran.
   * Errors of the job are logged, not thrown: a failed run is retried next period.
   */
  async runIfClaimed(name: string, periodMs: number, job: () => Promise<unknown>): Promise<boolean> {
    const claimed = await this.state.claimPeriod(name, this.holder, periodMs, new Date());
    if (!claimed) {
      return false;
    }
    try {
      await job();
    } catch (err) {
      this.logger.error({ err, job: name }, 'periodic job failed');
    }
    return true;
  }
}
