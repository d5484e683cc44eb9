import { isOrphanedVersionFile, type GcThresholds } from '@myfsio/gc';
import {
  type Bucket,
  type BucketRepository,
  type ObjectVersion,
  type ObjectVersionRepository,
  type UnitOfWork,
} from '@myfsio/metadata';
import type { MaintenanceStore, ObjectStore, SystemFile, WalkEntry } from '@myfsio/storage';
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { contentTypeForKey } from './content-type';
import { smallestAfter } from './file-batch';
import type { IntegrityCounts, IntegrityCursor, IntegrityIssue, IntegrityReport } from './integrity.types';
import { md5Verdict, sameStat, statVerdict, type StatVerdict } from './object-checks';

/** What one scan uses. */
export interface IntegrityDeps {
  store: ObjectStore;
  maintenance: MaintenanceStore;
  buckets: BucketRepository;
  versions: ObjectVersionRepository;
  uow: UnitOfWork;
}

export interface IntegrityRunOptions {
  dryRun: boolean;
  autoHeal: boolean;
  /** INTEGRITY_BATCH_SIZE: items per batch, and the most a run examines. */
  batchSize: number;
  /** The GC thresholds (the temp-file age is the grace period of version files). */
  thresholds: GcThresholds;
}

const MAX_DETAILS = 1000;
const MAX_ERRORS = 100;
/** Version files checked per query. */
const VERSION_BATCH = 500;

function zero(): IntegrityCounts {
  return { corruptedObjects: 0, orphanedObjects: 0, phantomMetadata: 0, orphanedVersionFiles: 0 };
}

/**
 * One scan run: from `cursor`, batches of `batchSize` in the order bucket by bucket (name
 * order), each bucket's rows by key, then its files by key, then the version files; it stops
 * once it has examined `batchSize` items or reached the end of the pass. `saveCursor` is
 * called after every batch, so a crash or restart resumes from the last finished batch.
 *
 * Nothing is held across batches (no long transaction). A finding is re-checked before it is
 * reported and healed, and every heal is conditional on the row being unchanged, so a write
 * racing with the scan is never overwritten: the disk is authoritative only for files that
 * stayed put while they were hashed.
 */
export class IntegrityRun {
  private readonly report: IntegrityReport;
  private budget: number;

  constructor(
    private readonly deps: IntegrityDeps,
    private readonly options: IntegrityRunOptions,
    private readonly saveCursor: (cursor: IntegrityCursor | null) => Promise<void>,
  ) {
    const startedAt = new Date();
    this.budget = options.batchSize;
    this.report = {
      dryRun: options.dryRun,
      autoHeal: options.autoHeal,
      startedAt,
      finishedAt: startedAt,
      scanned: { objects: 0, files: 0, versionFiles: 0 },
      issues: zero(),
      healed: zero(),
      details: [],
      errors: [],
      cursor: null,
      passCompleted: false,
    };
  }

  private get heals(): boolean {
    return this.options.autoHeal && !this.options.dryRun;
  }

  async execute(start: IntegrityCursor | null): Promise<IntegrityReport> {
    let cursor: IntegrityCursor | null = start ?? (await this.firstCursor());
    while (cursor !== null && this.budget > 0) {
      cursor = await this.batch(cursor);
      this.report.cursor = cursor;
      await this.saveCursor(cursor);
      await yieldToEventLoop();
    }
    this.report.passCompleted = cursor === null;
    this.report.finishedAt = new Date();
    return this.report;
  }

  /** Runs one batch at `cursor`; returns where the next one starts (null at the end of the pass). */
  private async batch(cursor: IntegrityCursor): Promise<IntegrityCursor | null> {
    if (cursor.phase === 'versions') {
      await this.versionFiles();
      return null;
    }
    const bucket = cursor.bucket === null ? null : await this.deps.buckets.findByName(cursor.bucket);
    if (bucket === null) {
      return this.nextBucket(cursor.bucket);
    }
    const limit = Math.min(this.budget, this.options.batchSize);
    const done =
      cursor.phase === 'rows'
        ? await this.rows(bucket, cursor.afterKey, limit)
        : await this.files(bucket, cursor.afterKey, limit);
    if (done.lastKey !== null && !done.finished) {
      return { ...cursor, afterKey: done.lastKey };
    }
    return cursor.phase === 'rows'
      ? { bucket: bucket.name, phase: 'files', afterKey: null }
      : this.nextBucket(bucket.name);
  }

  private async firstCursor(): Promise<IntegrityCursor> {
    return this.nextBucket(null);
  }

  private async nextBucket(after: string | null): Promise<IntegrityCursor> {
    const [next] = await this.deps.buckets.list({ afterName: after ?? undefined, limit: 1 });
    return next === undefined
      ? { bucket: null, phase: 'versions', afterKey: null }
      : { bucket: next.name, phase: 'rows', afterKey: null };
  }

  // --- rows → files: corrupted objects and phantom metadata

  private async rows(bucket: Bucket, afterKey: string | null, limit: number) {
    const rows = await this.deps.versions.scanLatestAfter(bucket.id, afterKey, limit);
    for (const row of rows) {
      this.budget--;
      if (row.isDeleteMarker || row.storagePath !== null) {
        continue;
      }
      this.report.scanned.objects++;
      await this.guard(`${bucket.name}/${row.key}`, () => this.checkRow(bucket, row));
    }
    return { lastKey: rows[rows.length - 1]?.key ?? null, finished: rows.length < limit };
  }

  private async checkRow(bucket: Bucket, row: ObjectVersion): Promise<void> {
    const before = await this.deps.store.stat(bucket.name, row.key);
    let verdict: StatVerdict = statVerdict(row, before);
    let md5: string | null = null;
    if (verdict.status === 'hash') {
      md5 = await this.hash(bucket.name, row.key);
      const after = await this.deps.store.stat(bucket.name, row.key);
      if (md5 === null || !sameStat(before, after)) {
        return; // The file changed while being read: the next pass judges it.
      }
      verdict = md5Verdict(row, md5);
    }
    if (verdict.status === 'ok' || verdict.status === 'hash') {
      return;
    }
    // Re-read the row: a write committed meanwhile explains the difference.
    const current = await this.deps.versions.findById(row.id);
    if (
      current === null ||
      current.etag !== row.etag ||
      current.lastModified.getTime() !== row.lastModified.getTime()
    ) {
      return;
    }
    const expected = { etag: row.etag, lastModified: row.lastModified };
    if (verdict.status === 'phantom') {
      if ((await this.deps.store.stat(bucket.name, row.key)) !== null) {
        return;
      }
      const healed =
        this.heals &&
        (await this.deps.uow.run((tx) => this.deps.versions.deleteVersionIf(tx, row.id, expected))) !== null;
      this.found('phantomMetadata', {
        type: 'phantom_metadata',
        bucket: bucket.name,
        key: row.key,
        detail: 'file missing',
        healed,
      });
      return;
    }
    let healed = false;
    if (this.heals && before !== null) {
      // Multipart ETags and size changes are healed with the MD5 of the whole file.
      md5 ??= await this.hash(bucket.name, row.key);
      const after = await this.deps.store.stat(bucket.name, row.key);
      if (md5 !== null && sameStat(before, after)) {
        healed = await this.deps.versions.replaceContentIf(null, row.id, expected, {
          size: before.size,
          etag: md5,
          lastModified: new Date(before.mtimeMs),
        });
      }
    }
    this.found('corruptedObjects', {
      type: 'corrupted_object',
      bucket: bucket.name,
      key: row.key,
      detail: verdict.detail,
      healed,
    });
  }

  // --- files → rows: orphaned objects

  private async files(bucket: Bucket, afterKey: string | null, limit: number) {
    const entries = await smallestAfter(this.deps.store.walk(bucket.name), afterKey, limit);
    const rows = await this.deps.versions.findLatestMany(
      bucket.id,
      entries.map((e) => e.key),
    );
    for (const entry of entries) {
      this.budget--;
      this.report.scanned.files++;
      const row = rows.get(entry.key);
      if (row !== undefined && !row.isDeleteMarker) {
        continue;
      }
      await this.guard(`${bucket.name}/${entry.key}`, () => this.orphan(bucket, entry));
    }
    return { lastKey: entries[entries.length - 1]?.key ?? null, finished: entries.length < limit };
  }

  /**
   * A file without a current row. Heal indexes it as a PutObject without Content-Type would
   * (type guessed from the extension): the whole file is hashed first, and the row is
   * inserted only if the file did not change meanwhile and no row appeared. A crash before
   * the insert leaves the file unindexed, for the next pass.
   */
  private async orphan(bucket: Bucket, entry: WalkEntry): Promise<void> {
    const before = await this.deps.store.stat(bucket.name, entry.key);
    if (before === null) {
      return;
    }
    const detail = `file of ${before.size} bytes without metadata`;
    if (!this.heals) {
      this.found('orphanedObjects', {
        type: 'orphaned_object',
        bucket: bucket.name,
        key: entry.key,
        detail,
        healed: false,
      });
      return;
    }
    const md5 = await this.hash(bucket.name, entry.key);
    const after = await this.deps.store.stat(bucket.name, entry.key);
    if (md5 === null || !sameStat(before, after)) {
      return;
    }
    const healed = await this.deps.uow.run(async (tx) => {
      const current = await this.deps.versions.findCurrent(bucket.id, entry.key, tx);
      if (current !== null && !current.isDeleteMarker) {
        return false;
      }
      await this.deps.versions.putCurrent(
        tx,
        {
          bucketId: bucket.id,
          key: entry.key,
          versionId: 'null',
          isDeleteMarker: false,
          size: before.size,
          etag: md5,
          ownerId: bucket.ownerId,
          storageClass: 'STANDARD',
          contentType: contentTypeForKey(entry.key),
          lastModified: new Date(before.mtimeMs),
        },
        { replaceNullVersion: true },
      );
      return true;
    });
    if (healed || (await this.deps.versions.findCurrent(bucket.id, entry.key)) === null) {
      this.found('orphanedObjects', {
        type: 'orphaned_object',
        bucket: bucket.name,
        key: entry.key,
        detail,
        healed,
      });
    }
  }

  // --- version files

  private async versionFiles(): Promise<void> {
    let batch: SystemFile[] = [];
    const flush = async () => {
      const referenced = await this.deps.versions.referencedStoragePaths(batch.map((f) => f.name));
      for (const file of batch) {
        this.report.scanned.versionFiles++;
        if (!isOrphanedVersionFile(file, referenced, Date.now(), this.options.thresholds)) {
          continue;
        }
        const healed = this.heals && (await this.deps.maintenance.removeVersionFile(file.name));
        this.found('orphanedVersionFiles', {
          type: 'orphaned_version',
          path: file.name,
          detail: 'no version row names it',
          healed,
        });
      }
      batch = [];
      await yieldToEventLoop();
    };
    for await (const file of this.deps.maintenance.versionFiles()) {
      batch.push(file);
      if (batch.length >= VERSION_BATCH) {
        await flush();
      }
    }
    await flush();
  }

  // --- helpers

  /** Streams the file through MD5; null when it vanished. */
  private async hash(bucket: string, key: string): Promise<string | null> {
    const reader = await this.deps.store.open(bucket, key);
    if (reader === null) {
      return null;
    }
    const md5 = createHash('md5');
    for await (const chunk of reader.stream) {
      md5.update(chunk as Buffer);
    }
    return md5.digest('hex');
  }

  private found(category: keyof IntegrityCounts, issue: IntegrityIssue): void {
    this.report.issues[category]++;
    if (issue.healed) {
      this.report.healed[category]++;
    }
    if (this.report.details.length < MAX_DETAILS) {
      this.report.details.push(issue);
    }
  }

  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (this.report.errors.length < MAX_ERRORS) {
        this.report.errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
