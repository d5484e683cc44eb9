import { S3Error } from '@myfsio/common';
import { contentRange, resolveRange } from './range';

function rangeError(header: string, size: number): S3Error {
  try {
    resolveRange(header, size);
  } catch (err) {
    return err as S3Error;
  }
  throw new Error('expected InvalidRange');
}

describe('resolveRange', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=10-', 100, { start: 10, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-1000', 100, { start: 0, end: 99 }],
    ['bytes=50-1000', 100, { start: 50, end: 99 }],
    ['bytes=99-99', 100, { start: 99, end: 99 }],
    ['bytes= 0 - 4 ', 100, { start: 0, end: 4 }],
  ])('serves %s of a %d-byte object as %o', (header, size, expected) => {
    expect(resolveRange(header, size)).toEqual(expected);
  });

  it.each([
    ['no header', undefined],
    ['another unit', 'items=0-9'],
    ['a malformed spec', 'bytes=a-b'],
    ['an empty spec', 'bytes=-'],
    ['first after last', 'bytes=9-0'],
    ['several ranges', 'bytes=0-1,5-6'],
  ])('serves the whole object for %s', (_name, header) => {
    expect(resolveRange(header, 100)).toBeNull();
  });

  it('serves an empty object whole for a suffix range', () => {
    expect(resolveRange('bytes=-5', 0)).toBeNull();
  });

  it.each([
    ['a start at the size', 'bytes=100-', 100],
    ['a start past the size', 'bytes=200-300', 100],
    ['a zero-length suffix', 'bytes=-0', 100],
    ['any range of an empty object', 'bytes=0-', 0],
  ])('returns InvalidRange for %s', (_name, header, size) => {
    const err = rangeError(header, size);
    expect(err.code).toBe('InvalidRange');
    expect(err.status).toBe(416);
    expect(err.fields).toEqual({ RangeRequested: header, ActualObjectSize: size });
    expect(err.headers).toEqual({ 'Content-Range': `bytes */${size}` });
  });
});

describe('contentRange', () => {
  it('writes the inclusive range and the total size', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
  });
});
