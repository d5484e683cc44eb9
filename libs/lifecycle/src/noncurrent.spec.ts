import type { LifecycleRule } from './lifecycle.types';
import { expiredDeleteMarker, expiredNoncurrentVersions, type VersionFacts } from './noncurrent';

const DAY = 86_400;
const t = (iso: string) => new Date(iso);

/** Versions of key `k`, newest first, created at the given instants. */
function history(created: string[], opts: { markerAt?: number[]; key?: string } = {}): VersionFacts[] {
  return created.map((iso, i) => ({
    id: `row${i}`,
    key: opts.key ?? 'k',
    versionId: `v${created.length - i}`,
    isLatest: i === 0,
    isDeleteMarker: opts.markerAt?.includes(i) ?? false,
    size: 10,
    tags: null,
    createdAt: t(iso),
  }));
}

const nve = (days: number, newer?: number, filter = {}): LifecycleRule => ({
  ID: 'nve',
  Status: 'Enabled',
  Filter: filter,
  NoncurrentVersionExpiration:
    newer === undefined ? { NoncurrentDays: days } : { NoncurrentDays: days, NewerNoncurrentVersions: newer },
});

describe('expiredNoncurrentVersions', () => {
  // v4 (latest, 05-10), v3 (noncurrent since 05-10), v2 (since 05-05), v1 (since 05-02).
  const versions = history([
    '2024-05-10T12:00:00Z',
    '2024-05-05T12:00:00Z',
    '2024-05-02T12:00:00Z',
    '2024-05-01T12:00:00Z',
  ]);

  it('counts noncurrent days from when the next version was created, rounded to midnight', () => {
    // NoncurrentDays 3: v2 is due 05-09 00:00 (05-05 12:00 + 3d → 05-09), v1 due 05-06, v3 due 05-14.
    const ids = (now: string) =>
      expiredNoncurrentVersions([nve(3)], versions, t(now), DAY).map((v) => v.versionId);
    expect(ids('2024-05-05T23:59:59Z')).toEqual([]);
    expect(ids('2024-05-06T00:00:00Z')).toEqual(['v1']);
    expect(ids('2024-05-09T00:00:00Z')).toEqual(['v2', 'v1']);
    expect(ids('2024-05-14T00:00:00Z')).toEqual(['v3', 'v2', 'v1']);
  });

  it('keeps the NewerNoncurrentVersions newest noncurrent versions whatever their age', () => {
    const ids = (newer: number) =>
      expiredNoncurrentVersions([nve(1, newer)], versions, t('2025-01-01T00:00:00Z'), DAY).map(
        (v) => v.versionId,
      );
    expect(ids(1)).toEqual(['v2', 'v1']);
    expect(ids(2)).toEqual(['v1']);
    expect(ids(3)).toEqual([]);
  });

  it('never expires the current version, and ignores disabled or non-matching rules', () => {
    const now = t('2030-01-01T00:00:00Z');
    expect(expiredNoncurrentVersions([nve(1)], versions.slice(0, 1), now, DAY)).toEqual([]);
    expect(expiredNoncurrentVersions([{ ...nve(1), Status: 'Disabled' }], versions, now, DAY)).toEqual([]);
    expect(expiredNoncurrentVersions([nve(1, undefined, { Prefix: 'other/' })], versions, now, DAY)).toEqual(
      [],
    );
  });

  it('treats noncurrent delete markers as noncurrent versions', () => {
    const withMarker = history(['2024-05-10T00:00:00Z', '2024-05-05T00:00:00Z', '2024-05-01T00:00:00Z'], {
      markerAt: [1],
    });
    const ids = expiredNoncurrentVersions([nve(1)], withMarker, t('2030-01-01T00:00:00Z'), DAY).map(
      (v) => v.versionId,
    );
    expect(ids).toEqual(['v2', 'v1']);
  });

  it('scales with a shortened day', () => {
    // 2-second days: v1 noncurrent since 10.5 s, NoncurrentDays 2 → due at 14.5 s → 16 s.
    const short = [
      { ...history(['1970-01-01T00:00:10.500Z'])[0]!, versionId: 'v2' },
      { ...history(['1970-01-01T00:00:05Z'])[0]!, id: 'row1', versionId: 'v1', isLatest: false },
    ];
    expect(expiredNoncurrentVersions([nve(2)], short, new Date(15_999), 2)).toEqual([]);
    expect(expiredNoncurrentVersions([nve(2)], short, new Date(16_000), 2).map((v) => v.versionId)).toEqual([
      'v1',
    ]);
  });
});

describe('expiredDeleteMarker', () => {
  const rule: LifecycleRule = {
    ID: 'dm',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    Expiration: { ExpiredObjectDeleteMarker: true },
  };

  it('returns a delete marker that is the only version left', () => {
    const only = history(['2024-05-10T00:00:00Z'], { markerAt: [0] });
    expect(expiredDeleteMarker([rule], only)?.versionId).toBe('v1');
  });

  it('keeps a marker with versions behind it, a live object, and markers no rule covers', () => {
    expect(
      expiredDeleteMarker(
        [rule],
        history(['2024-05-10T00:00:00Z', '2024-05-01T00:00:00Z'], { markerAt: [0] }),
      ),
    ).toBeNull();
    expect(expiredDeleteMarker([rule], history(['2024-05-10T00:00:00Z']))).toBeNull();
    const only = history(['2024-05-10T00:00:00Z'], { markerAt: [0] });
    expect(expiredDeleteMarker([{ ...rule, Filter: { Prefix: 'x/' } }], only)).toBeNull();
    expect(
      expiredDeleteMarker([{ ...rule, Expiration: { ExpiredObjectDeleteMarker: false } }], only),
    ).toBeNull();
    expect(expiredDeleteMarker([{ ...rule, Status: 'Disabled' }], only)).toBeNull();
  });
});
