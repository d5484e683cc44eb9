import type { DefaultRetention } from '@myfsio/buckets';
import { S3Error, S3Errors } from '@myfsio/common';
import type { ObjectLockMode, ObjectVersion } from '@myfsio/metadata';
import { headerValue } from './header-values';
import type { HeaderBag } from './objects.types';

/** A retention period: mode and end. */
export interface Retention {
  mode: ObjectLockMode;
  retainUntil: Date;
}

/** The lock fields a write stores on its version row. */
export interface LockFields {
  lockMode: ObjectLockMode | null;
  lockRetainUntil: Date | null;
  legalHold: boolean | null;
}

const MODES: readonly string[] = ['GOVERNANCE', 'COMPLIANCE'];

/** S3's refusal of a change to a protected version. */
export function lockedAccessDenied(): S3Error {
  return new S3Error('AccessDenied', { message: 'Access Denied because object protected by object lock.' });
}

/** `InvalidRequest` for lock calls on a bucket without object lock, as S3 answers. */
export function missingLockConfiguration(): S3Error {
  return S3Errors.invalidRequest('Bucket is missing Object Lock Configuration');
}

/** A retention mode, or InvalidArgument (`name` is the header or element that carried it). */
export function parseLockMode(value: string, name: string): ObjectLockMode {
  if (!MODES.includes(value)) {
    throw S3Errors.invalidArgument(name, value, 'Unknown wormMode directive.');
  }
  return value as ObjectLockMode;
}

/** An ISO 8601 timestamp (`RetainUntilDate`), or InvalidArgument. */
export function parseRetainUntil(value: string, name: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw S3Errors.invalidArgument(name, value, 'The retain until date must be provided in ISO 8601 format');
  }
  return date;
}

/** `ON`/`OFF` of a legal hold, or InvalidArgument. */
export function parseLegalHoldStatus(value: string, name: string): boolean {
  if (value !== 'ON' && value !== 'OFF') {
    throw S3Errors.invalidArgument(name, value, "Legal Hold must be either of 'ON' or 'OFF'");
  }
  return value === 'ON';
}

/**
 * The `x-amz-object-lock-*` headers of a write
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax):
 * mode and retain-until-date only together (InvalidArgument otherwise), a future date, a legal
 * hold `ON`/`OFF`. Null fields for headers not sent.
 */
export function readLockHeaders(headers: HeaderBag, now: Date = new Date()): LockFields {
  const mode = headerValue(headers, 'x-amz-object-lock-mode');
  const until = headerValue(headers, 'x-amz-object-lock-retain-until-date');
  const hold = headerValue(headers, 'x-amz-object-lock-legal-hold');
  if ((mode === undefined) !== (until === undefined)) {
    throw S3Errors.invalidArgument(
      mode === undefined ? 'x-amz-object-lock-mode' : 'x-amz-object-lock-retain-until-date',
      '',
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  const fields: LockFields = { lockMode: null, lockRetainUntil: null, legalHold: null };
  if (mode !== undefined && until !== undefined) {
    fields.lockMode = parseLockMode(mode, 'x-amz-object-lock-mode');
    fields.lockRetainUntil = parseRetainUntil(until, 'x-amz-object-lock-retain-until-date');
    if (fields.lockRetainUntil.getTime() <= now.getTime()) {
      throw S3Errors.invalidArgument(
        'x-amz-object-lock-retain-until-date',
        until,
        'The retain until date must be in the future!',
      );
    }
  }
  if (hold !== undefined) {
    fields.legalHold = parseLegalHoldStatus(hold, 'x-amz-object-lock-legal-hold');
  }
  return fields;
}

/** True when any lock field is set (a write to a bucket without object lock must not carry one). */
export function hasLockFields(fields: LockFields): boolean {
  return fields.lockMode !== null || fields.legalHold !== null;
}

/** The end of a default retention period starting at `now`: days of 24 h, or calendar years (UTC). */
export function defaultRetainUntil(rule: DefaultRetention, now: Date = new Date()): Date {
  const until = new Date(now.getTime());
  if (rule.years !== undefined) {
    until.setUTCFullYear(until.getUTCFullYear() + rule.years);
  } else {
    until.setTime(until.getTime() + (rule.days ?? 0) * 86_400_000);
  }
  return until;
}

/**
 * The lock fields of a new version: the request's headers, else the bucket's default retention
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-bucket-config).
 */
export function lockFieldsForWrite(
  requested: LockFields,
  rule: DefaultRetention | null,
  now: Date = new Date(),
): LockFields {
  if (requested.lockMode !== null || rule === null) {
    return requested;
  }
  return { ...requested, lockMode: rule.mode, lockRetainUntil: defaultRetainUntil(rule, now) };
}

/** The version's retention if it is still in force at `now`, else null. */
export function activeRetention(
  row: Pick<ObjectVersion, 'lockMode' | 'lockRetainUntil'>,
  now: Date = new Date(),
): Retention | null {
  if (!row.lockMode || !row.lockRetainUntil || row.lockRetainUntil.getTime() <= now.getTime()) {
    return null;
  }
  return { mode: row.lockMode, retainUntil: row.lockRetainUntil };
}

/**
 * Whether a version may be removed for good (DeleteObject/DeleteObjects with a version id):
 * never under a legal hold or an active COMPLIANCE retention; under an active GOVERNANCE
 * retention only with `x-amz-bypass-governance-retention` and the s3:BypassGovernanceRetention
 * permission (`isBypassAllowed`). Throws AccessDenied otherwise. Delete markers carry no lock.
 */
export function checkVersionRemoval(
  row: Pick<ObjectVersion, 'lockMode' | 'lockRetainUntil' | 'legalHold' | 'isDeleteMarker'>,
  isBypassAllowed: boolean,
  now: Date = new Date(),
): void {
  if (row.isDeleteMarker) {
    return;
  }
  if (row.legalHold === true) {
    throw lockedAccessDenied();
  }
  const retention = activeRetention(row, now);
  if (retention === null) {
    return;
  }
  if (retention.mode === 'COMPLIANCE' || !isBypassAllowed) {
    throw lockedAccessDenied();
  }
}

/**
 * Whether a retention may replace the version's current one (PutObjectRetention): an expired or
 * absent retention may change freely; COMPLIANCE can only be kept or extended; GOVERNANCE can be
 * extended or turned into COMPLIANCE, and shortened or removed only with the bypass. `next` null
 * removes the retention. Throws AccessDenied; a date in the past is InvalidArgument.
 */
export function checkRetentionChange(
  row: Pick<ObjectVersion, 'lockMode' | 'lockRetainUntil'>,
  next: Retention | null,
  isBypassAllowed: boolean,
  now: Date = new Date(),
): void {
  if (next !== null && next.retainUntil.getTime() <= now.getTime()) {
    throw S3Errors.invalidArgument(
      'RetainUntilDate',
      next.retainUntil.toISOString(),
      'The retain until date must be in the future!',
    );
  }
  const current = activeRetention(row, now);
  if (current === null) {
    return;
  }
  const isExtension = next !== null && next.retainUntil.getTime() >= current.retainUntil.getTime();
  if (current.mode === 'COMPLIANCE') {
    if (!isExtension || next.mode !== 'COMPLIANCE') {
      throw lockedAccessDenied();
    }
    return;
  }
  if (!isExtension && !isBypassAllowed) {
    throw lockedAccessDenied();
  }
}
