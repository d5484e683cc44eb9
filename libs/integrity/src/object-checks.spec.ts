import { isSinglePartEtag, md5Verdict, MTIME_SLACK_MS, sameStat, statVerdict } from './object-checks';

const T0 = new Date(1_800_000_000_000);
const single = {
  size: 3,
  etag: 'acbd18db4cc2f85cedef654fccc4a4d8',
  lastModified: T0,
  partsCount: null,
  partSizes: null,
};
const multi = {
  size: 15,
  etag: '0123456789abcdef0123456789abcdef-2',
  lastModified: T0,
  partsCount: 2,
  partSizes: [
    [10, 1],
    [5, 1],
  ] as [number, number][],
};

describe('integrity object checks', () => {
  it('tells single-part ETags from multipart ones', () => {
    expect(isSinglePartEtag(single.etag)).toBe(true);
    expect(isSinglePartEtag(multi.etag)).toBe(false);
  });

  it('reports phantom metadata when the file is gone', () => {
    expect(statVerdict(single, null)).toEqual({ status: 'phantom' });
  });

  it('reports a size change without hashing', () => {
    expect(statVerdict(single, { size: 4, mtimeMs: 0 })).toEqual({
      status: 'changed',
      detail: 'size 4 on disk, 3 in metadata',
    });
  });

  it('asks for the MD5 of single-part objects and compares it', () => {
    expect(statVerdict(single, { size: 3, mtimeMs: T0.getTime() + 99_999 })).toEqual({ status: 'hash' });
    expect(md5Verdict(single, single.etag)).toEqual({ status: 'ok' });
    expect(md5Verdict(single, 'ffffffffffffffffffffffffffffffff').status).toBe('changed');
  });

  it('judges multipart objects by size, mtime and part layout', () => {
    expect(statVerdict(multi, { size: 15, mtimeMs: T0.getTime() - 5000 })).toEqual({ status: 'ok' });
    expect(statVerdict(multi, { size: 15, mtimeMs: T0.getTime() + MTIME_SLACK_MS })).toEqual({
      status: 'ok',
    });
    expect(statVerdict(multi, { size: 15, mtimeMs: T0.getTime() + MTIME_SLACK_MS + 1 }).status).toBe(
      'changed',
    );
    expect(statVerdict({ ...multi, partsCount: 3 }, { size: 15, mtimeMs: 0 })).toMatchObject({
      status: 'changed',
      detail: expect.stringContaining('part layout'),
    });
    expect(statVerdict({ ...multi, partSizes: null }, { size: 15, mtimeMs: 0 })).toEqual({ status: 'ok' });
  });

  it('treats a file that changed while being read as not comparable', () => {
    expect(sameStat({ size: 1, mtimeMs: 5 }, { size: 1, mtimeMs: 5 })).toBe(true);
    expect(sameStat({ size: 1, mtimeMs: 5 }, { size: 1, mtimeMs: 6 })).toBe(false);
    expect(sameStat({ size: 1, mtimeMs: 5 }, null)).toBe(false);
  });
});
