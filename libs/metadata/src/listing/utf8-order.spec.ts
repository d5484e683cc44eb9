import { commonPrefixOf, compareUtf8, prefixSuccessor } from './utf8-order';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareUtf8', () => {
  const samples = [
    '',
    'a',
    'b',
    'ab',
    'a/',
    'é',
    'z',
    '中',
    '\uffff',
    '\ue000',
    '😀',
    '𝄞',
    'a😀',
    'a\uffff',
    'Z',
    '0',
  ];

  it('orders like the UTF-8 bytes, including characters above U+FFFF', () => {
    for (const a of samples) {
      for (const b of samples) {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(byBytes(a, b)));
      }
    }
  });

  it('disagrees with UTF-16 order where the bytes say so', () => {
    // '\uffff' < '😀' in UTF-8 (EF BF BF < F0 9F 98 80) but not in UTF-16 code units.
    expect(compareUtf8('\uffff', '😀')).toBeLessThan(0);
    expect('\uffff' < '😀').toBe(false);
  });
});

describe('prefixSuccessor', () => {
  it.each([
    ['a', 'b'],
    ['photos/', 'photos0'],
    ['é', 'ê'],
    ['a\ud7ff', 'a\ue000'],
    ['x\u{10ffff}', 'y'],
    ['😀', '😁'],
  ])('returns the first string after every key starting with %j', (prefix, expected) => {
    expect(prefixSuccessor(prefix)).toBe(expected);
  });

  it('returns null when nothing sorts after the prefix', () => {
    expect(prefixSuccessor('')).toBeNull();
    expect(prefixSuccessor('\u{10ffff}\u{10ffff}')).toBeNull();
  });

  it('bounds every extension of the prefix in byte order', () => {
    const prefix = 'dir/é';
    const next = prefixSuccessor(prefix)!;
    for (const tail of ['', 'a', '\uffff', '😀', '\u{10ffff}\u{10ffff}']) {
      expect(byBytes(prefix + tail, next)).toBeLessThan(0);
    }
  });
});

describe('commonPrefixOf', () => {
  it('rolls a key up at the first delimiter after the prefix', () => {
    expect(commonPrefixOf('a/b/c', 'a/', '/')).toBe('a/b/');
    expect(commonPrefixOf('a/b', 'a/', '/')).toBeNull();
    expect(commonPrefixOf('a--b--c', '', '--')).toBe('a--');
    expect(commonPrefixOf('a/b', '', undefined)).toBeNull();
    expect(commonPrefixOf('a/b', '', '')).toBeNull();
  });
});
