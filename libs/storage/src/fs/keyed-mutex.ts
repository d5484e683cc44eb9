/**
 * Serialises async work per key inside this process. Used for the few layout
 * changes that touch more than one name (shadow conversions, removals), so two of
 * them never interleave on one path. Other processes are handled by the
 * no-clobber protocol in shadow-converter.ts, not by this lock.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Runs `work` while holding every key of `keys`. The keys are taken one by one in sorted
   * order, so holders of overlapping sets never wait for each other in a cycle; `work` must
   * not take any of them again (that would wait for itself).
   */
  async runAll<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) {
        releases.push(await this.acquire(key));
      }
      return await work();
    } finally {
      releases.reverse().forEach((release) => release());
    }
  }

  /** Number of keys with work queued or running; for tests. */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    };
  }
}
