/** What the integrity scanner detects, by category. */
export interface IntegrityCounts {
  /** The file changed behind the gateway: size or MD5 (or, for multipart ETags, mtime/part layout) differ from the row. */
  corruptedObjects: number;
  /** A file under a bucket that no current version row describes (added behind the gateway). */
  orphanedObjects: number;
  /** A current version row whose file is gone. */
  phantomMetadata: number;
  /** A file in `.myfsio.sys/versions/` that no version row names. */
  orphanedVersionFiles: number;
}

export type IntegrityIssueType =
  'corrupted_object' | 'orphaned_object' | 'phantom_metadata' | 'orphaned_version';

/** One finding of a scan. */
export interface IntegrityIssue {
  type: IntegrityIssueType;
  bucket?: string;
  key?: string;
  /** Version files: the path relative to STORAGE_ROOT. */
  path?: string;
  detail: string;
  healed: boolean;
}

/** Where the next batch of a scan starts: a bucket and phase, and the last key handled in it. */
export interface IntegrityCursor {
  /** The bucket being scanned; null in the `versions` phase. */
  bucket: string | null;
  /** `rows`: metadata → files; `files`: files → metadata; `versions`: the version files (after every bucket). */
  phase: 'rows' | 'files' | 'versions';
  /** Keys up to and including this one are done (null: from the first key). */
  afterKey: string | null;
}

/** The report of one scan run. */
export interface IntegrityReport {
  dryRun: boolean;
  autoHeal: boolean;
  startedAt: Date;
  finishedAt: Date;
  /** Rows checked against their file, files checked against the metadata, version files checked. */
  scanned: { objects: number; files: number; versionFiles: number };
  issues: IntegrityCounts;
  healed: IntegrityCounts;
  /** The findings (at most 1000 per run). */
  details: IntegrityIssue[];
  errors: string[];
  /** Where the next run starts; null when this run finished a whole pass. */
  cursor: IntegrityCursor | null;
  /** This run reached the end of the last bucket (the next run starts over). */
  passCompleted: boolean;
}
