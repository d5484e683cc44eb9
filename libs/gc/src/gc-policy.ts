import type { GcCounts, GcThresholds } from './gc.types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Errors kept in one report; the rest are counted in the last line. */
export const MAX_REPORTED_ERRORS = 100;

/** The age thresholds from the GC_* settings. */
export function gcThresholds(gc: {
  tempFileMaxAgeHours: number;
  multipartMaxAgeDays: number;
  lockFileMaxAgeHours: number;
}): GcThresholds {
  return {
    tempFileMs: gc.tempFileMaxAgeHours * HOUR_MS,
    multipartMs: gc.multipartMaxAgeDays * DAY_MS,
    lockFileMs: gc.lockFileMaxAgeHours * HOUR_MS,
  };
}

/** True when something last changed at `mtimeMs` is strictly older than `maxAgeMs` at `nowMs`. */
export function isStale(mtimeMs: number, nowMs: number, maxAgeMs: number): boolean {
  return mtimeMs < nowMs - maxAgeMs;
}

/**
 * A part directory is orphaned when no upload row has its id (the upload was completed or
 * aborted and a crash left the parts) and it has not been touched for the multipart age, so
 * a part published by an UploadPart racing with an abort is never taken from under it.
 */
export function isOrphanedPartDirectory(
  dir: { uploadId: string; mtimeMs: number },
  existingUploads: ReadonlySet<string>,
  nowMs: number,
  t: GcThresholds,
): boolean {
  return !existingUploads.has(dir.uploadId) && isStale(dir.mtimeMs, nowMs, t.multipartMs);
}

/**
 * A version file is orphaned when no version row names it as its storage path. The temp-file
 * age is a grace period: the bytes of a noncurrent version may be moved into place before the
 * row naming them commits.
 */
export function isOrphanedVersionFile(
  file: { name: string; mtimeMs: number },
  referenced: ReadonlySet<string>,
  nowMs: number,
  t: GcThresholds,
): boolean {
  return !referenced.has(file.name) && isStale(file.mtimeMs, nowMs, t.tempFileMs);
}

/** A report's counts, all zero. */
export function emptyCounts(): GcCounts {
  return {
    tempFiles: 0,
    multipartUploads: 0,
    orphanedPartDirectories: 0,
    staleConversionClaims: 0,
    orphanedVersionFiles: 0,
    emptyDirectories: 0,
  };
}

/** Appends an error line, keeping at most MAX_REPORTED_ERRORS. */
export function addError(errors: string[], what: string, err: unknown): void {
  if (errors.length < MAX_REPORTED_ERRORS) {
    errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
