import { isDeadSibling, THIS_PROCESS } from '@myfsio/common';
import {
  type Bucket,
  type ObjectVersion,
  ObjectVersionRepository,
  type PendingPromotion,
  PendingPromotionRepository,
  type Tx,
  UnitOfWork,
} from '@myfsio/metadata';
import { ObjectStore } from '@myfsio/storage';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ObjectLocks, objectLockKey } from './keyed-mutex';

/** How often the journal is swept for promotions nobody is finishing. */
const SWEEP_INTERVAL_MS = 60_000;
/**
 * Another gateway's entry older than this belongs to a gateway that crashed: a write keeps one
 * for the milliseconds between its publish and its commit.
 */
export const STALE_AFTER_MS = 10 * 60_000;
/** Entries looked at per sweep; there are only ever a handful. */
const SWEEP_LIMIT = 1000;

/** What the journal is told about the row whose bytes move back to the plain path. */
export interface PromotedRow {
  bucketId: string;
  bucketName: string;
  rowId: string;
  key: string;
  storagePath: string;
}

/**
 * Moves a latest version's bytes from the versions area back to its plain path, journaled so a
 * crash in the middle is finished later. Two paths leave a latest row naming a version file:
 * - a write to a versioned bucket points the current row at its preserved copy before it
 *   replaces the plain file, so that row's bytes stay readable whether or not the write commits
 *   (it then demotes the row; if it fails, the bytes go back to the plain path);
 * - deleting the latest version promotes the next one, whose bytes are in the versions area.
 * Either registers a {@link PendingPromotion} in the transaction that creates the state and
 * removes it in the one that ends it. Each gateway finishes, at its start and every minute, the
 * entries of processes known dead (its own predecessor after a restart, or a process of this
 * host that is gone: see isDeadSibling) and any entry older than {@link STALE_AFTER_MS}.
 */
@Injectable()
export class VersionPromotions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VersionPromotions');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly store: ObjectStore,
    private readonly versions: ObjectVersionRepository,
    private readonly journal: PendingPromotionRepository,
    private readonly uow: UnitOfWork,
    private readonly locks: ObjectLocks,
  ) {}

  /**
   * Records, in `tx`, that latest row `row` of `bucket` has its bytes at `storagePath` (a version
   * file); returns what {@link finish} needs to end that state.
   */
  async register(
    tx: Tx,
    bucket: Pick<Bucket, 'id' | 'name'>,
    row: Pick<ObjectVersion, 'id' | 'key'>,
    storagePath: string,
  ): Promise<PromotedRow> {
    const promoted: PromotedRow = {
      bucketId: bucket.id,
      bucketName: bucket.name,
      rowId: row.id,
      key: row.key,
      storagePath,
    };
    await this.journal.add(tx, {
      ...promoted,
      host: THIS_PROCESS.host,
      pid: THIS_PROCESS.pid,
      incarnation: THIS_PROCESS.incarnation,
      createdAt: new Date(),
    });
    return promoted;
  }

  /** Drops the entry of `rowId` in `tx` (the transaction that demoted the row). */
  async forget(tx: Tx, rowId: string): Promise<void> {
    await this.journal.remove(tx, rowId);
  }

  /**
   * Finishes the promotion of `row`; the caller holds the key's mutex.
   * 1. Re-read the row: when it is no longer latest or names another file, the state ended
   *    some other way and only the entry goes.
   * 2. Publish a copy (a hard link) of the version file at the plain path.
   * 3. One transaction: the row names the plain path again, the entry goes.
   * 4. Remove the version file.
   */
  async finish(row: PromotedRow): Promise<boolean> {
    const current = await this.versions.findById(row.rowId);
    if (
      current === null ||
      !current.isLatest ||
      current.isDeleteMarker ||
      current.storagePath !== row.storagePath
    ) {
      await this.journal.remove(null, row.rowId);
      return false;
    }
    if (!(await this.store.restoreVersion(row.storagePath, row.bucketName, row.key))) {
      // Removed behind the gateway: nothing to move. The row keeps naming the missing file, so
      // reads answer NoSuchKey and a delete of the version still works.
      this.logger.error(
        { bucket: row.bucketName, key: row.key, storagePath: row.storagePath },
        'promoted version has no file',
      );
      await this.journal.remove(null, row.rowId);
      return false;
    }
    const repointed = await this.uow.run(async (tx) => {
      const done = await this.versions.repointLatest(tx, row.rowId, row.storagePath, null);
      await this.journal.remove(tx, row.rowId);
      return done;
    });
    if (repointed) {
      await this.removeVersionFile(row.bucketName, row.storagePath);
    }
    return true;
  }

  /** Best effort: a version file left behind is unreferenced and reclaimed by GC. */
  async removeVersionFile(bucketName: string, storagePath: string): Promise<void> {
    try {
      await this.store.removeVersion(storagePath);
    } catch (err) {
      this.logger.warn({ err, bucket: bucketName, storagePath }, 'version file left behind');
    }
  }

  /** {@link finish} under the key's mutex, if the entry is still there once the mutex is held. */
  settle(entry: PendingPromotion): Promise<boolean> {
    return this.locks.runExclusive(objectLockKey(entry.bucketName, entry.key), async () =>
      (await this.journal.find(entry.rowId)) === null ? false : this.finish(entry),
    );
  }

  /**
   * Finishes the entries of this process (idle ones: the key's mutex orders them after any
   * write still at work), of processes known dead, and every stale one. Returns how many it
   * finished; one sweep at a time.
   */
  sweep(now = new Date()): Promise<number> {
    this.sweeping ??= this.sweepOnce(now).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(now: Date): Promise<number> {
    let finished = 0;
    for (const entry of await this.journal.list(SWEEP_LIMIT)) {
      const isStale = now.getTime() - entry.createdAt.getTime() >= STALE_AFTER_MS;
      const isOwn = entry.host === THIS_PROCESS.host && entry.incarnation === THIS_PROCESS.incarnation;
      if (!isOwn && !isStale && !isDeadSibling(entry)) {
        continue;
      }
      try {
        finished += (await this.settle(entry)) ? 1 : 0;
      } catch (err) {
        this.logger.error(
          { err, bucket: entry.bucketName, key: entry.key },
          'could not finish an interrupted write',
        );
      }
    }
    return finished;
  }

  /** Finishes what a crash of this gateway left before the listeners open, then sweeps periodically. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const finished = await this.sweep();
      if (finished > 0) {
        this.logger.warn({ finished }, 'finished writes interrupted by the previous stop');
      }
    } catch (err) {
      this.logger.error({ err }, 'could not read the promotion journal');
    }
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'could not read the promotion journal'));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
