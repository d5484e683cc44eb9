/**
 * Runs jobs of one kind one at a time in this process: a job asked for while another is under
 * way starts when it ends (manual runs through the admin API and scheduled ticks share it).
 */
export class SerialRuns {
  private queue: Promise<unknown> = Promise.resolve();
  private active = 0;

  /** Whether a job is running or waiting. */
  get isRunning(): boolean {
    return this.active > 0;
  }

  /** Runs `job` after every job queued before it; resolves or rejects with its outcome. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.active++;
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined).finally(() => this.active--);
    return run;
  }
}
