import { newVersionId, nextCreatedAt, NULL_VERSION_ID, writeRule } from './version-rules';
import { isValidVersionId } from './request-checks';

describe('version ids', () => {
  it('are 32 hex digits that sort by the clock and are valid version ids', () => {
    const a = newVersionId(1_700_000_000_000);
    const b = newVersionId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a < b).toBe(true);
    expect(isValidVersionId(a)).toBe(true);
    expect(a).not.toBe(NULL_VERSION_ID);
  });

  it('differ within one millisecond', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newVersionId(5)));
    expect(ids.size).toBe(100);
  });
});

describe('writeRule', () => {
  const object = (versionId: string) => ({ versionId, isDeleteMarker: false });
  const marker = (versionId: string) => ({ versionId, isDeleteMarker: true });

  it('replaces the null version in an unversioned bucket and preserves nothing', () => {
    expect(writeRule('Unversioned', object('null'))).toEqual({
      versionId: 'null',
      replaceNullVersion: true,
      preserveCurrent: false,
    });
    expect(writeRule('Unversioned', null).preserveCurrent).toBe(false);
  });

  it('adds a fresh version when Enabled and keeps the current object, null version included', () => {
    const rule = writeRule('Enabled', object('null'));
    expect(rule.versionId).toMatch(/^[0-9a-f]{32}$/);
    expect(rule.replaceNullVersion).toBe(false);
    expect(rule.preserveCurrent).toBe(true);
  });

  it('keeps a current delete marker without preserving bytes (it has none)', () => {
    expect(writeRule('Enabled', marker('v1')).preserveCurrent).toBe(false);
    expect(writeRule('Suspended', marker('null')).preserveCurrent).toBe(false);
  });

  it('writes the null version when Suspended: replaces a current null version, preserves a real one', () => {
    expect(writeRule('Suspended', object('null'))).toEqual({
      versionId: 'null',
      replaceNullVersion: true,
      preserveCurrent: false,
    });
    expect(writeRule('Suspended', object('0123abc'))).toEqual({
      versionId: 'null',
      replaceNullVersion: true,
      preserveCurrent: true,
    });
  });
});

describe('nextCreatedAt', () => {
  it('is now unless the current version is as new or newer', () => {
    const now = new Date(1000);
    expect(nextCreatedAt(null, now)).toEqual(now);
    expect(nextCreatedAt({ createdAt: new Date(999) }, now)).toEqual(now);
    expect(nextCreatedAt({ createdAt: new Date(1000) }, now)).toEqual(new Date(1001));
    expect(nextCreatedAt({ createdAt: new Date(2000) }, now)).toEqual(new Date(2001));
  });
});
