import { CoalescedSyncs } from '@myfsio/common';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Makes SQLite commits durable off the event loop. The database runs `synchronous = NORMAL`,
 * so a COMMIT appends its frames to the write-ahead log without fsync (SQLite still syncs the
 * log before each checkpoint and the database file after it); this fsyncs the log on the libuv
 * pool instead, and a unit's promise settles only after a sync that *started* after its commit.
 * The result is the durability of `synchronous = FULL` without blocking every request behind
 * each commit's fsync: `FULL` did that sync inside COMMIT, on the event loop's thread, where
 * it took most of a small PUT's time.
 *
 * Syncs coalesce (CoalescedSyncs): while one runs, callers share a single follow-up sync.
 */
export class WalSyncer {
  private hasSyncedDir = false;
  private readonly syncs = new CoalescedSyncs(() => this.syncOnce());

  constructor(private readonly databasePath: string) {}

  /** Resolves once everything committed before this call is on stable storage. */
  sync(): Promise<void> {
    return this.syncs.sync(this.databasePath);
  }

  private async syncOnce(): Promise<void> {
    // Opened per sync rather than kept: the syncer outlives no database, holds no descriptor
    // between commits, and never syncs a log that was removed and recreated meanwhile.
    const log = await open(`${this.databasePath}-wal`, 'r');
    try {
      await log.sync();
    } finally {
      await log.close();
    }
    if (!this.hasSyncedDir) {
      // The log file's own directory entry must survive power loss too (once is enough).
      const dir = await open(dirname(this.databasePath), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
      this.hasSyncedDir = true;
    }
  }
}
