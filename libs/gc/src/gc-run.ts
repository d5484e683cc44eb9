import type { BucketRepository, MultipartRepository, ObjectVersionRepository } from '@myfsio/metadata';
import type { MaintenanceStore, ObjectStore, UploadPartsDir } from '@myfsio/storage';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { addError, emptyCounts, isOrphanedPartDirectory, isOrphanedVersionFile, isStale } from './gc-policy';
import type { GcReport, GcThresholds } from './gc.types';

/** What one run uses. */
export interface GcDeps {
  store: ObjectStore;
  maintenance: MaintenanceStore;
  buckets: BucketRepository;
  uploads: MultipartRepository;
  versions: ObjectVersionRepository;
}

/** Rows and files handled per query or between two yields to the event loop. */
const BATCH = 100;
/** A dry run lists at most this many abandoned uploads (it removes none, so it cannot page by removing). */
const DRY_RUN_UPLOAD_LIMIT = 10_000;

/**
 * One garbage-collector run. Each category is swept on its own, and a failure is recorded and
 * skipped, never fatal. Every removal re-checks its condition at the moment it removes (the
 * MaintenanceStore contract), so a stale listing never deletes what a request is using, and
 * every step leaves a state the next run can finish: rows go before files, so a crash between
 * the two leaves a file with nothing pointing at it, which the next run collects.
 */
export class GcRun {
  private readonly report: GcReport;
  private readonly now: number;
  private handled = 0;

  constructor(
    private readonly deps: GcDeps,
    private readonly t: GcThresholds,
    dryRun: boolean,
  ) {
    const startedAt = new Date();
    this.now = startedAt.getTime();
    this.report = {
      dryRun,
      startedAt,
      finishedAt: startedAt,
      collected: emptyCounts(),
      bytesFreed: 0,
      kept: { interruptedConversions: 0 },
      errors: [],
    };
  }

  async execute(): Promise<GcReport> {
    await this.guard('temp files', () => this.tempFiles());
    const partDirs = new Map<string, UploadPartsDir>();
    await this.guard('listing part directories', async () => {
      for await (const dir of this.deps.maintenance.uploadPartDirs()) {
        partDirs.set(dir.uploadId, dir);
      }
    });
    await this.guard('multipart uploads', () => this.abandonedUploads(partDirs));
    await this.guard('part directories', () => this.orphanedPartDirectories(partDirs));
    await this.guard('version files', () => this.orphanedVersionFiles());
    await this.guard('buckets', () => this.bucketTrees());
    this.report.finishedAt = new Date();
    return this.report;
  }

  /** 1. Temp files of interrupted uploads. */
  private async tempFiles(): Promise<void> {
    for await (const file of this.deps.maintenance.tempFiles()) {
      if (!isStale(file.mtimeMs, this.now, this.t.tempFileMs)) {
        continue;
      }
      await this.collect('tempFiles', file.size, `temp file ${file.name}`, () =>
        this.deps.maintenance.removeTempFile(file.name, this.t.tempFileMs),
      );
    }
  }

  /**
   * 2. Uploads initiated before the multipart age: the row goes first (a conditional delete, as
   * AbortMultipartUpload does), then the part directory; a crash in between leaves a directory
   * without a row, which step 3 of a later run collects.
   */
  private async abandonedUploads(partDirs: Map<string, UploadPartsDir>): Promise<void> {
    const before = new Date(this.now - this.t.multipartMs);
    if (this.report.dryRun) {
      for (const upload of await this.deps.uploads.listInitiatedBefore(before, DRY_RUN_UPLOAD_LIMIT)) {
        this.count('multipartUploads', partDirs.get(upload.uploadId)?.size ?? 0);
        partDirs.delete(upload.uploadId);
      }
      return;
    }
    // Each pass removes what it lists; a row that fails to go is seen again and ends the loop.
    const seen = new Set<string>();
    for (;;) {
      const batch = (await this.deps.uploads.listInitiatedBefore(before, BATCH)).filter(
        (upload) => !seen.has(upload.uploadId),
      );
      if (batch.length === 0) {
        return;
      }
      for (const upload of batch) {
        seen.add(upload.uploadId);
        const size = partDirs.get(upload.uploadId)?.size ?? 0;
        partDirs.delete(upload.uploadId);
        await this.collect('multipartUploads', size, `upload ${upload.uploadId}`, async () => {
          const deleted = await this.deps.uploads.delete(null, upload.uploadId);
          await this.deps.store.removeUploadParts(upload.uploadId);
          return deleted;
        });
      }
    }
  }

  /** 3. Part directories whose upload row is gone (crash leftovers of complete/abort). */
  private async orphanedPartDirectories(partDirs: Map<string, UploadPartsDir>): Promise<void> {
    const dirs = [...partDirs.values()];
    for (let i = 0; i < dirs.length; i += BATCH) {
      const batch = dirs.slice(i, i + BATCH);
      const existing = await this.deps.uploads.existingUploadIds(batch.map((d) => d.uploadId));
      for (const dir of batch) {
        if (isOrphanedPartDirectory(dir, existing, this.now, this.t)) {
          await this.collect('orphanedPartDirectories', dir.size, `parts of ${dir.uploadId}`, async () => {
            await this.deps.store.removeUploadParts(dir.uploadId);
            return true;
          });
        }
      }
    }
  }

  /** 4. Version files no version row names. */
  private async orphanedVersionFiles(): Promise<void> {
    let batch: { name: string; size: number; mtimeMs: number }[] = [];
    const flush = async () => {
      const referenced = await this.deps.versions.referencedStoragePaths(batch.map((f) => f.name));
      for (const file of batch) {
        if (isOrphanedVersionFile(file, referenced, this.now, this.t)) {
          await this.collect('orphanedVersionFiles', file.size, `version file ${file.name}`, () =>
            this.deps.maintenance.removeVersionFile(file.name),
          );
        }
      }
      batch = [];
    };
    for await (const file of this.deps.maintenance.versionFiles()) {
      batch.push(file);
      if (batch.length >= BATCH) {
        await flush();
      }
    }
    await flush();
  }

  /** 5–6. Per bucket: stale conversion claims, then empty directories. */
  private async bucketTrees(): Promise<void> {
    let afterName: string | undefined;
    for (;;) {
      const buckets = await this.deps.buckets.list({ afterName, limit: BATCH });
      for (const bucket of buckets) {
        await this.guard(`conversion claims of ${bucket.name}`, () => this.conversionClaims(bucket.name));
        await this.guard(`directories of ${bucket.name}`, () => this.emptyDirectories(bucket.name));
      }
      if (buckets.length < BATCH) {
        return;
      }
      afterName = buckets[buckets.length - 1]?.name;
    }
  }

  private async conversionClaims(bucket: string): Promise<void> {
    for await (const claim of this.deps.maintenance.conversionClaims(bucket)) {
      if (claim.state === 'interrupted' || claim.state === 'unknown') {
        this.report.kept.interruptedConversions++;
        continue;
      }
      if (!isStale(claim.mtimeMs, this.now, this.t.lockFileMs)) {
        continue;
      }
      await this.collect('staleConversionClaims', claim.size, `${bucket}/${claim.path}`, async () => {
        const freed = await this.deps.maintenance.removeConversionClaim(
          bucket,
          claim.path,
          this.t.lockFileMs,
        );
        return freed !== null;
      });
    }
  }

  private async emptyDirectories(bucket: string): Promise<void> {
    for await (const dir of this.deps.maintenance.emptyDirectories(bucket)) {
      if (isStale(dir.mtimeMs, this.now, this.t.lockFileMs)) {
        await this.collect('emptyDirectories', 0, `${bucket}/${dir.path}`, () =>
          this.deps.maintenance.removeEmptyDirectory(bucket, dir.path),
        );
      }
    }
  }

  /** Counts one item (and removes it unless this is a dry run); yields to the event loop every BATCH items. */
  private async collect(
    category: keyof GcReport['collected'],
    size: number,
    what: string,
    remove: () => Promise<boolean>,
  ): Promise<void> {
    if (this.report.dryRun) {
      this.count(category, size);
    } else {
      try {
        if (await remove()) {
          this.count(category, size);
        }
      } catch (err) {
        addError(this.report.errors, what, err);
      }
    }
    if (++this.handled % BATCH === 0) {
      await yieldToEventLoop();
    }
  }

  private count(category: keyof GcReport['collected'], size: number): void {
    this.report.collected[category]++;
    this.report.bytesFreed += size;
  }

  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      addError(this.report.errors, what, err);
    }
  }
}
