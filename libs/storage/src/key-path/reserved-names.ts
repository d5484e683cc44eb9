/**
 * Names the layout reserves inside a bucket directory. Every one starts with
 * {@link RESERVED_PREFIX}; a user segment that starts with it is escaped, so no key
 * can produce one of these names by accident. See docs/storage-layout.md.
 */
export const RESERVED_PREFIX = '.myfsio';

/** The reserved names and name prefixes of the layout, by role (docs/storage-layout.md has the table). */
export const RESERVED = {
  /** Bytes of object `a` when `a` must be a directory (objects exist under `a/`). */
  self: '.myfsio.self',
  /** Bytes of a key ending in `/` (folder marker), inside that folder. */
  dir: '.myfsio.dir',
  /** The empty segment (`a//b`, a leading `/`). */
  empty: '.myfsio.empty',
  /** The segment `.`. */
  dot: '.myfsio.dot',
  /** The segment `..`. */
  dotdot: '.myfsio.dotdot',
  /** Prefix of an escaped user segment that itself starts with `.myfsio`. */
  escape: '.myfsio.esc',
  /** Prefix of a segment containing NUL, followed by its UTF-8 bytes in base64url. */
  nul: '.myfsio.nul.',
  /** Prefix of a segment whose encoded name exceeds NAME_MAX, followed by sha256 hex. */
  hashed: '.myfsio.h.',
  /** Prefix of the directory that holds `<name>/.myfsio.self` while `<name>` changes form. */
  conversion: '.myfsio.cv-',
  /** Same as `conversion` when `.myfsio.cv-<name>` would exceed NAME_MAX; sha256 hex of the name. */
  conversionHashed: '.myfsio.cvh-',
  /** Top-level directory of keys whose encoded path exceeds MAX_RELATIVE_PATH_BYTES; files are sha256 hex of the key. */
  long: '.myfsio.long',
} as const;

/** Longest file name most POSIX file systems accept, in bytes. */
export const NAME_MAX = 255;

/**
 * Longest encoded path below the bucket directory, in bytes. Longer keys use the
 * `.myfsio.long` form. With the bucket name and the shadow/conversion suffixes this
 * keeps absolute paths under PATH_MAX (4096) while STORAGE_ROOT is at most
 * {@link MAX_ROOT_BYTES} bytes.
 */
export const MAX_RELATIVE_PATH_BYTES = 3072;

/**
 * Longest absolute STORAGE_ROOT the layout supports: 700 + '/' + bucket (≤ 255) + '/'
 * + 3072 + 24 (conversion suffixes) stays below PATH_MAX.
 */
export const MAX_ROOT_BYTES = 700;

/** Longest bucket directory name accepted (S3's legacy limit; current S3 names are ≤ 63). */
export const MAX_BUCKET_BYTES = 255;

/** The system area beside the buckets; bucket names never start with '.', so it cannot collide. */
export const SYSTEM_DIR = '.myfsio.sys';
