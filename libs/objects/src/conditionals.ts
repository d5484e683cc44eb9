import { S3Error, S3Errors } from '@myfsio/common';
import { headerValue } from './header-values';
import type { HeaderBag } from './objects.types';

/** The four RFC 7232 preconditions, as sent (raw header values). */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** What preconditions are evaluated against: the unquoted ETag and the modification time. */
export interface Validators {
  etag: string;
  lastModified: Date;
}

/** Reads `If-*` (prefix '') or `x-amz-copy-source-if-*` (prefix 'x-amz-copy-source-'). */
export function readPreconditions(headers: HeaderBag, prefix = ''): Preconditions {
  return {
    ifMatch: headerValue(headers, `${prefix}if-match`),
    ifNoneMatch: headerValue(headers, `${prefix}if-none-match`),
    ifModifiedSince: headerValue(headers, `${prefix}if-modified-since`),
    ifUnmodifiedSince: headerValue(headers, `${prefix}if-unmodified-since`),
  };
}

/** True when an entity-tag list (`"a", W/"b"` or `*`) names `etag`; quotes and weakness ignored. */
export function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((raw) => {
    const tag = raw
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
    return tag === '*' || tag === etag;
  });
}

/** An HTTP date in whole seconds, or undefined when it does not parse (S3 then ignores it). */
function seconds(date: string | undefined): number | undefined {
  if (date === undefined) {
    return undefined;
  }
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

type Outcome =
  | { kind: 'ok' }
  | { kind: 'precondition-failed'; header: 'If-Match' | 'If-Unmodified-Since' }
  | { kind: 'not-modified'; header: 'If-None-Match' | 'If-Modified-Since' };

/**
 * RFC 7232 section 6 order, which is also S3's documented precedence: a true If-Match makes
 * If-Unmodified-Since irrelevant (200), and a false If-None-Match answers 304 whatever
 * If-Modified-Since says. An If-Modified-Since in the future is ignored (RFC 7232 3.3;
 * S3 copies in that case too).
 */
function evaluate(p: Preconditions, v: Validators, now: Date): Outcome {
  const modified = Math.floor(v.lastModified.getTime() / 1000);
  if (p.ifMatch !== undefined) {
    if (!etagMatches(p.ifMatch, v.etag)) {
      return { kind: 'precondition-failed', header: 'If-Match' };
    }
  } else {
    const since = seconds(p.ifUnmodifiedSince);
    if (since !== undefined && modified > since) {
      return { kind: 'precondition-failed', header: 'If-Unmodified-Since' };
    }
  }
  if (p.ifNoneMatch !== undefined) {
    if (etagMatches(p.ifNoneMatch, v.etag)) {
      return { kind: 'not-modified', header: 'If-None-Match' };
    }
  } else {
    const since = seconds(p.ifModifiedSince);
    if (since !== undefined && since <= Math.floor(now.getTime() / 1000) && modified <= since) {
      return { kind: 'not-modified', header: 'If-Modified-Since' };
    }
  }
  return { kind: 'ok' };
}

/**
 * GetObject/HeadObject preconditions
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 * Throws `PreconditionFailed` (412, naming the failed header in `<Condition>`) or `NotModified`
 * (304, carrying ETag and Last-Modified as RFC 7232 4.1 asks).
 */
export function checkReadPreconditions(p: Preconditions, v: Validators, now = new Date()): void {
  const outcome = evaluate(p, v, now);
  if (outcome.kind === 'precondition-failed') {
    throw preconditionFailed(outcome.header);
  }
  if (outcome.kind === 'not-modified') {
    throw new S3Error('NotModified', {
      headers: { ETag: `"${v.etag}"`, 'Last-Modified': v.lastModified.toUTCString() },
    });
  }
}

/**
 * CopyObject `x-amz-copy-source-if-*`: the same evaluation, but every failure is 412
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax).
 */
export function checkCopySourcePreconditions(p: Preconditions, v: Validators, now = new Date()): void {
  const outcome = evaluate(p, v, now);
  if (outcome.kind !== 'ok') {
    throw preconditionFailed(`x-amz-copy-source-${outcome.header.toLowerCase()}`);
  }
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', { fields: { Condition: condition } });
}

/** Conditional-write headers of PutObject and CopyObject (destination). */
export interface WritePreconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/**
 * Validates conditional-write headers before any byte is read: `If-None-Match` accepts only
 * `*` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
export function validateWritePreconditions(p: WritePreconditions): void {
  if (p.ifNoneMatch !== undefined && p.ifNoneMatch.trim() !== '*') {
    throw S3Errors.notImplemented('If-None-Match with a value other than *');
  }
}

/**
 * Evaluates conditional writes against the current object (null when the key is absent):
 * `If-None-Match: *` fails with 412 when the key exists; `If-Match` fails with 412 on another
 * ETag and with `NoSuchKey` when there is no object, as S3 answers.
 */
export function checkWritePreconditions(
  p: WritePreconditions,
  current: { etag: string } | null,
  key: string,
): void {
  if (p.ifNoneMatch !== undefined && current !== null) {
    throw preconditionFailed('If-None-Match');
  }
  if (p.ifMatch !== undefined) {
    if (current === null) {
      throw S3Errors.noSuchKey(key);
    }
    if (!etagMatches(p.ifMatch, current.etag)) {
      throw preconditionFailed('If-Match');
    }
  }
}
