import {
  addError,
  gcThresholds,
  isOrphanedPartDirectory,
  isOrphanedVersionFile,
  isStale,
  MAX_REPORTED_ERRORS,
} from './gc-policy';

const HOUR = 3_600_000;
const NOW = 1_800_000_000_000;
const T = gcThresholds({ tempFileMaxAgeHours: 24, multipartMaxAgeDays: 7, lockFileMaxAgeHours: 1 });

describe('gc policy', () => {
  it('turns the GC_* settings into milliseconds', () => {
    expect(T).toEqual({ tempFileMs: 24 * HOUR, multipartMs: 7 * 24 * HOUR, lockFileMs: HOUR });
  });

  it.each([
    [NOW - 2 * HOUR, HOUR, true],
    [NOW - HOUR, HOUR, false],
    [NOW - HOUR + 1, HOUR, false],
    [NOW - HOUR - 1, HOUR, true],
    [NOW + 5000, 0, false],
    [NOW - 1, 0, true],
  ])('isStale(mtime %d, max age %d) is %s', (mtime, maxAge, expected) => {
    expect(isStale(mtime, NOW, maxAge)).toBe(expected);
  });

  it('calls a part directory orphaned only without an upload row and once untouched for the multipart age', () => {
    const old = NOW - 8 * 24 * HOUR;
    expect(isOrphanedPartDirectory({ uploadId: 'a', mtimeMs: old }, new Set(), NOW, T)).toBe(true);
    expect(isOrphanedPartDirectory({ uploadId: 'a', mtimeMs: old }, new Set(['a']), NOW, T)).toBe(false);
    expect(isOrphanedPartDirectory({ uploadId: 'a', mtimeMs: NOW - HOUR }, new Set(), NOW, T)).toBe(false);
  });

  it('calls a version file orphaned only when no row names it and after the temp-file grace period', () => {
    const name = '.myfsio.sys/versions/b/k/v1';
    const old = NOW - 25 * HOUR;
    expect(isOrphanedVersionFile({ name, mtimeMs: old }, new Set(), NOW, T)).toBe(true);
    expect(isOrphanedVersionFile({ name, mtimeMs: old }, new Set([name]), NOW, T)).toBe(false);
    expect(isOrphanedVersionFile({ name, mtimeMs: NOW - HOUR }, new Set(), NOW, T)).toBe(false);
  });

  it('keeps at most MAX_REPORTED_ERRORS error lines', () => {
    const errors: string[] = [];
    for (let i = 0; i < MAX_REPORTED_ERRORS + 5; i++) {
      addError(errors, `item ${i}`, new Error('EACCES'));
    }
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(errors[0]).toBe('item 0: EACCES');
  });
});
