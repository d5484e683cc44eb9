import { randomBytes } from 'node:crypto';

/** 12 hex digits of milliseconds (good until the year 10889), then 128 random bits in base64url. */
const UPLOAD_ID = /^[0-9a-f]{12}[A-Za-z0-9_-]{22}$/;

/**
 * A new upload id: the creation time in fixed-width hex, so ids sort by time as bytes, then 16
 * random bytes, so an id cannot be guessed from another. URL-safe (`[0-9a-zA-Z_-]`), 34
 * characters, and a valid directory name for the part files.
 */
export function newUploadId(now: number = Date.now()): string {
  return Math.floor(now).toString(16).padStart(12, '0') + randomBytes(16).toString('base64url');
}

/** True for a string {@link newUploadId} could have produced; anything else names no upload. */
export function isUploadId(value: string): boolean {
  return UPLOAD_ID.test(value);
}
