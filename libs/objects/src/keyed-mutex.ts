import type { LockFiles } from '@myfsio/storage';

/**
 * An in-process async mutex per key. Holders of one key run one after another in arrival
 * order; different keys run concurrently. Serialises publish + commit of one bucket/key so
 * the file at the plain path and the metadata row describe the same write (the last complete
 * one) under concurrent writers in this process.
 */
export class KeyedMutex {
  /** The tail of each key's queue; the entry is removed when the queue drains. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for every earlier holder of `key`; resolves to the release function (idempotent). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    let isReleased = false;
    return () => {
      if (isReleased) {
        return;
      }
      isReleased = true;
      resolve();
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    };
  }

  /**
   * Acquires several keys. They are taken one by one in sorted order, so two callers with
   * overlapping sets can never wait for each other in a cycle. Resolves to one release function.
   */
  async acquireAll(keys: Iterable<string>): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const key of [...new Set(keys)].sort()) {
      releases.push(await this.acquire(key));
    }
    return () => releases.reverse().forEach((release) => release());
  }

  /** Runs `fn` once every earlier holder of `key` has finished; returns or throws what `fn` does. */
  async runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Number of keys with a holder or waiters; for tests and metrics. */
  get size(): number {
    return this.tails.size;
  }
}

/** The mutex key of an object: bucket and key joined by a character neither may contain. */
export function objectLockKey(bucket: string, key: string): string {
  return `${bucket}\u0000${key}`;
}

/**
 * The per-object mutex shared by every write and delete path of this process and, when
 * `shared` is given (a fleet: gateways on one file system and one server database), of every
 * gateway: the in-process mutex first, so one process queues its own writers without touching
 * the file system, then the key's lock file. Provided by ObjectsModule's factory.
 */
export class ObjectLocks extends KeyedMutex {
  constructor(private readonly shared: LockFiles | null = null) {
    super();
  }

  override async acquire(key: string): Promise<() => void> {
    const release = await super.acquire(key);
    if (this.shared === null) {
      return release;
    }
    let releaseShared: () => Promise<void>;
    try {
      releaseShared = await this.shared.acquire(key);
    } catch (err) {
      release();
      throw err;
    }
    // The next holder in this process waits until the lock file is gone (both releases are
    // idempotent).
    return () => void releaseShared().finally(release);
  }
}
