import {
  readCopySourceRange,
  readMaxParts,
  readMaxUploads,
  readPartNumber,
  readPartNumberMarker,
} from './request-params';

const q = (s: string) => new URLSearchParams(s);
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('request parameters', () => {
  it('reads part numbers 1..10000 and refuses the rest with InvalidArgument', () => {
    expect(readPartNumber(q('partNumber=1'))).toBe(1);
    expect(readPartNumber(q('partNumber=10000'))).toBe(10000);
    for (const bad of [
      'partNumber=0',
      'partNumber=10001',
      'partNumber=-1',
      'partNumber=1.5',
      'partNumber=x',
      '',
    ]) {
      expect(code(() => readPartNumber(q(bad)))).toBe('InvalidArgument');
    }
  });

  it('reads list limits with S3 defaults and caps', () => {
    expect(readMaxParts(q(''))).toBe(1000);
    expect(readMaxParts(q('max-parts=2'))).toBe(2);
    expect(readMaxParts(q('max-parts=5000'))).toBe(1000);
    expect(readMaxUploads(q('max-uploads=0'))).toBe(0);
    expect(readPartNumberMarker(q(''))).toBe(0);
    expect(readPartNumberMarker(q('part-number-marker=7'))).toBe(7);
    for (const fn of [
      () => readMaxParts(q('max-parts=-1')),
      () => readMaxUploads(q('max-uploads=abc')),
      () => readPartNumberMarker(q('part-number-marker=x')),
    ]) {
      expect(code(fn)).toBe('InvalidArgument');
    }
  });

  it('reads x-amz-copy-source-range within the source', () => {
    expect(readCopySourceRange({}, 10)).toBeNull();
    expect(readCopySourceRange({ 'x-amz-copy-source-range': 'bytes=0-9' }, 10)).toEqual({ start: 0, end: 9 });
    expect(readCopySourceRange({ 'x-amz-copy-source-range': 'bytes=3-3' }, 10)).toEqual({ start: 3, end: 3 });
  });

  it.each([
    ['bytes=-5', 'InvalidArgument'],
    ['bytes=5-3', 'InvalidArgument'],
    ['bytes=0-', 'InvalidArgument'],
    ['bytes=0', 'InvalidArgument'],
    ['0-3', 'InvalidArgument'],
    ['bytes=0-10', 'InvalidRange'],
    ['bytes=10-12', 'InvalidRange'],
  ])('refuses copy range %s with %s', (value, expected) => {
    expect(code(() => readCopySourceRange({ 'x-amz-copy-source-range': value }, 10))).toBe(expected);
  });
});
