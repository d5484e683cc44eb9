import { S3Error } from '@myfsio/common';
import {
  checkCopySourcePreconditions,
  checkReadPreconditions,
  checkWritePreconditions,
  etagMatches,
  type Preconditions,
  readPreconditions,
  validateWritePreconditions,
} from './conditionals';

const object = { etag: 'abc123', lastModified: new Date('2024-05-01T12:00:00.500Z') };
const now = new Date('2024-06-01T00:00:00Z');
const BEFORE = 'Tue, 30 Apr 2024 12:00:00 GMT';
const SAME = 'Wed, 01 May 2024 12:00:00 GMT';
const AFTER = 'Thu, 02 May 2024 12:00:00 GMT';
const FUTURE = 'Sat, 01 Jun 2030 00:00:00 GMT';

function outcome(run: () => void): string {
  try {
    run();
    return '200';
  } catch (err) {
    return String((err as S3Error).status);
  }
}

describe('etagMatches', () => {
  it.each([
    ['"abc123"', true],
    ['abc123', true],
    ['W/"abc123"', true],
    ['"zzz", "abc123"', true],
    ['*', true],
    ['"zzz"', false],
  ])('%s → %s', (list, expected) => {
    expect(etagMatches(list, 'abc123')).toBe(expected);
  });
});

describe('checkReadPreconditions', () => {
  // The rows of AWS's GetObject precedence notes plus the single-header cases.
  it.each<[string, Preconditions, string]>([
    ['no headers', {}, '200'],
    ['If-Match true', { ifMatch: '"abc123"' }, '200'],
    ['If-Match false', { ifMatch: '"other"' }, '412'],
    [
      'If-Match true + If-Unmodified-Since false → 200',
      { ifMatch: '"abc123"', ifUnmodifiedSince: BEFORE },
      '200',
    ],
    ['If-Unmodified-Since false', { ifUnmodifiedSince: BEFORE }, '412'],
    ['If-Unmodified-Since at the same second', { ifUnmodifiedSince: SAME }, '200'],
    ['If-None-Match false', { ifNoneMatch: '"abc123"' }, '304'],
    ['If-None-Match true', { ifNoneMatch: '"other"' }, '200'],
    [
      'If-None-Match false + If-Modified-Since true → 304',
      { ifNoneMatch: '"abc123"', ifModifiedSince: BEFORE },
      '304',
    ],
    [
      'If-None-Match true + If-Modified-Since false → 200',
      { ifNoneMatch: '"other"', ifModifiedSince: AFTER },
      '200',
    ],
    ['If-Modified-Since false', { ifModifiedSince: AFTER }, '304'],
    ['If-Modified-Since at the same second', { ifModifiedSince: SAME }, '304'],
    ['If-Modified-Since true', { ifModifiedSince: BEFORE }, '200'],
    ['If-Modified-Since in the future (ignored)', { ifModifiedSince: FUTURE }, '200'],
    ['an unparsable date (ignored)', { ifModifiedSince: 'yesterday', ifUnmodifiedSince: 'nope' }, '200'],
    ['If-Match false wins over If-None-Match false', { ifMatch: '"x"', ifNoneMatch: '"abc123"' }, '412'],
  ])('%s', (_name, p, expected) => {
    expect(outcome(() => checkReadPreconditions(p, object, now))).toBe(expected);
  });

  it('names the failed header and sends ETag on 304', () => {
    expect(() => checkReadPreconditions({ ifUnmodifiedSince: BEFORE }, object, now)).toThrow(
      expect.objectContaining({ code: 'PreconditionFailed', fields: { Condition: 'If-Unmodified-Since' } }),
    );
    expect(() => checkReadPreconditions({ ifNoneMatch: '*' }, object, now)).toThrow(
      expect.objectContaining({
        code: 'NotModified',
        headers: { ETag: '"abc123"', 'Last-Modified': 'Wed, 01 May 2024 12:00:00 GMT' },
      }),
    );
  });
});

describe('checkCopySourcePreconditions', () => {
  it.each<[string, Preconditions, string]>([
    [
      'if-match true + if-unmodified-since false → copies',
      { ifMatch: 'abc123', ifUnmodifiedSince: BEFORE },
      '200',
    ],
    [
      'if-none-match false + if-modified-since true → 412',
      { ifNoneMatch: 'abc123', ifModifiedSince: BEFORE },
      '412',
    ],
    ['if-modified-since false → 412', { ifModifiedSince: AFTER }, '412'],
    ['if-match false → 412', { ifMatch: 'nope' }, '412'],
  ])('%s', (_name, p, expected) => {
    expect(outcome(() => checkCopySourcePreconditions(p, object, now))).toBe(expected);
  });

  it('reads the x-amz-copy-source-if-* headers', () => {
    const p = readPreconditions(
      { 'x-amz-copy-source-if-match': '"abc123"', 'if-match': '"ignored"' },
      'x-amz-copy-source-',
    );
    expect(p).toEqual({ ifMatch: '"abc123"' });
  });
});

describe('write preconditions', () => {
  it('refuses If-None-Match values other than *', () => {
    expect(() => validateWritePreconditions({ ifNoneMatch: '"abc"' })).toThrow(
      expect.objectContaining({ code: 'NotImplemented' }),
    );
    expect(() => validateWritePreconditions({ ifNoneMatch: '*' })).not.toThrow();
  });

  it.each<[string, { ifMatch?: string; ifNoneMatch?: string }, { etag: string } | null, string]>([
    ['If-None-Match: * on a new key', { ifNoneMatch: '*' }, null, '200'],
    ['If-None-Match: * on an existing key', { ifNoneMatch: '*' }, { etag: 'abc123' }, '412'],
    ['If-Match on the current ETag', { ifMatch: '"abc123"' }, { etag: 'abc123' }, '200'],
    ['If-Match on another ETag', { ifMatch: '"zzz"' }, { etag: 'abc123' }, '412'],
    ['If-Match on a missing key (NoSuchKey)', { ifMatch: '"abc123"' }, null, '404'],
  ])('%s', (_name, p, current, expected) => {
    expect(outcome(() => checkWritePreconditions(p, current, 'k'))).toBe(expected);
  });
});
