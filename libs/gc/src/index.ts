/**
 * @myfsio/gc: the garbage collector. Removes stale temp files, abandoned multipart uploads,
 * part directories without an upload, stale conversion claims, orphaned version files and
 * empty directories; records each run in the maintenance history. See docs/gc-and-integrity.md.
 */

/** Nest module providing {@link GcService}. */
export { GcModule } from './gc.module';
/** `run({ dryRun })`, `status()`, `historyPage(limit, offset)`. */
export { GcService, type GcStatus } from './gc.service';
/** The report of a run: counts per category, bytes freed, kept items, errors. */
export type { GcCounts, GcReport, GcThresholds } from './gc.types';
/** Pure classification rules (age thresholds, what is orphaned), shared with the integrity scanner. */
export { gcThresholds, isOrphanedVersionFile, isStale } from './gc-policy';
