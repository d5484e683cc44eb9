/** What a garbage-collector run collects, by category (counts of files or directories). */
export interface GcCounts {
  /** Temp files of interrupted uploads in `.myfsio.sys/tmp/` older than GC_TEMP_FILE_MAX_AGE_HOURS. */
  tempFiles: number;
  /** Multipart uploads initiated more than GC_MULTIPART_MAX_AGE_DAYS ago (row and part directory). */
  multipartUploads: number;
  /** Part directories in `.myfsio.sys/multipart/` with no upload row, untouched for GC_MULTIPART_MAX_AGE_DAYS. */
  orphanedPartDirectories: number;
  /** Conversion claims (`.myfsio.cv-*`) that are empty or hold a superseded copy, older than GC_LOCK_FILE_MAX_AGE_HOURS. */
  staleConversionClaims: number;
  /** Files in `.myfsio.sys/versions/` that no version row names, older than GC_TEMP_FILE_MAX_AGE_HOURS. */
  orphanedVersionFiles: number;
  /** Empty directories under buckets (never a bucket directory), untouched for GC_LOCK_FILE_MAX_AGE_HOURS. */
  emptyDirectories: number;
}

/** The report of one garbage-collector run; in a dry run the counts and bytes are what a real run would collect. */
export interface GcReport {
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date;
  collected: GcCounts;
  bytesFreed: number;
  /** Found but kept on purpose: interrupted conversions still serve their object's bytes. */
  kept: { interruptedConversions: number };
  /** Failures, one line each (the run goes on with the next item); at most 100. */
  errors: string[];
}

/** Age thresholds of a run, in milliseconds. */
export interface GcThresholds {
  tempFileMs: number;
  multipartMs: number;
  lockFileMs: number;
}
