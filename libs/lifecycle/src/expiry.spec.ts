import { dueAfterDays, expirationHeader, objectExpiration, uploadAbortDate } from './expiry';
import type { LifecycleRule } from './lifecycle.types';

const DAY = 86_400;

describe('dueAfterDays', () => {
  it('adds the days and rounds up to the next midnight UTC, as S3 documents', () => {
    // S3's example: created 2014-01-15 10:30 UTC, Days 3 → expires 2014-01-19 00:00 UTC.
    expect(dueAfterDays(new Date('2014-01-15T10:30:00Z'), 3, DAY).toISOString()).toBe(
      '2014-01-19T00:00:00.000Z',
    );
    expect(dueAfterDays(new Date('2014-01-15T23:59:59.999Z'), 1, DAY).toISOString()).toBe(
      '2014-01-17T00:00:00.000Z',
    );
  });

  it('leaves a time already at midnight there', () => {
    expect(dueAfterDays(new Date('2014-01-15T00:00:00Z'), 2, DAY).toISOString()).toBe(
      '2014-01-17T00:00:00.000Z',
    );
  });

  it('scales with a shortened day: days of daySeconds, midnight every daySeconds since the epoch', () => {
    // A 2-second day: modified at 1001.5 s → +3 days = 1007.5 s → next boundary 1008 s.
    expect(dueAfterDays(new Date(1_001_500), 3, 2).getTime()).toBe(1_008_000);
    // On a boundary: 1000 s + 1 day = 1002 s, kept.
    expect(dueAfterDays(new Date(1_000_000), 1, 2).getTime()).toBe(1_002_000);
    // A 1-second day: 10.2 s + 1 → 12 s.
    expect(dueAfterDays(new Date(10_200), 1, 1).getTime()).toBe(12_000);
  });
});

describe('objectExpiration', () => {
  const rules: LifecycleRule[] = [
    { ID: 'slow', Status: 'Enabled', Filter: { Prefix: 'a/' }, Expiration: { Days: 30 } },
    { ID: 'fast', Status: 'Enabled', Filter: { Prefix: 'a/b/' }, Expiration: { Days: 2 } },
    { ID: 'off', Status: 'Disabled', Filter: {}, Expiration: { Days: 1 } },
    {
      ID: 'date',
      Status: 'Enabled',
      Filter: { Prefix: 'd/' },
      Expiration: { Date: '2030-01-01T00:00:00.000Z' },
    },
    { ID: 'marker', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    { ID: 'mpu', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
  ];
  const modified = new Date('2024-05-01T12:00:00Z');
  const at = (key: string) => objectExpiration(rules, { key, size: 1, tags: null }, modified, DAY);

  it('picks the earliest matching enabled rule', () => {
    expect(at('a/b/c')).toEqual({ expiryDate: new Date('2024-05-04T00:00:00Z'), ruleId: 'fast' });
    expect(at('a/c')).toEqual({ expiryDate: new Date('2024-06-01T00:00:00Z'), ruleId: 'slow' });
  });

  it('uses a Date as an absolute instant', () => {
    expect(at('d/x')).toEqual({ expiryDate: new Date('2030-01-01T00:00:00Z'), ruleId: 'date' });
    expect(
      objectExpiration(rules, { key: 'd/x', size: 1, tags: null }, modified, 1)?.expiryDate.toISOString(),
    ).toBe('2030-01-01T00:00:00.000Z');
  });

  it('is null when only disabled, delete-marker or multipart rules match', () => {
    expect(at('z')).toBeNull();
  });

  it('formats x-amz-expiration as S3 does', () => {
    expect(
      expirationHeader({ expiryDate: new Date('2012-12-23T00:00:00Z'), ruleId: 'picture-deletion-rule' }),
    ).toBe('expiry-date="Sun, 23 Dec 2012 00:00:00 GMT", rule-id="picture-deletion-rule"');
    expect(expirationHeader({ expiryDate: new Date(0), ruleId: 'say "hi"' })).toBe(
      'expiry-date="Thu, 01 Jan 1970 00:00:00 GMT", rule-id="say \\"hi\\""',
    );
  });
});

describe('uploadAbortDate', () => {
  const rules: LifecycleRule[] = [
    { ID: 'a', Status: 'Enabled', Prefix: 'up/', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    { ID: 'b', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
    { ID: 'c', Status: 'Disabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
  ];

  it('takes the earliest deadline of the enabled rules covering the key', () => {
    const initiated = new Date('2024-05-01T12:00:00Z');
    expect(uploadAbortDate(rules, 'up/x', initiated, DAY)?.toISOString()).toBe('2024-05-05T00:00:00.000Z');
    expect(uploadAbortDate(rules.slice(0, 1), 'other', initiated, DAY)).toBeNull();
    expect(uploadAbortDate(rules.slice(0, 1), 'up/x', initiated, DAY)?.toISOString()).toBe(
      '2024-05-09T00:00:00.000Z',
    );
  });
});
