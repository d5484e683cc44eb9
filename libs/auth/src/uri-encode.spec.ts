import {
  canonicalEncode,
  percentDecode,
  percentDecodeBytes,
  targetBytes,
  uriEncodeBytes,
} from './uri-encode';

describe('uri-encode', () => {
  it('keeps unreserved characters and encodes every other byte in upper-case hex', () => {
    expect(uriEncodeBytes(Buffer.from("AZaz09-_.~ !*'()+,/:=@$&é"), false)).toBe(
      'AZaz09-_.~%20%21%2A%27%28%29%2B%2C%2F%3A%3D%40%24%26%C3%A9',
    );
  });

  it('keeps slashes only when asked to (canonical URI)', () => {
    expect(uriEncodeBytes(Buffer.from('a/b c'), true)).toBe('a/b%20c');
  });

  it('re-encodes an encoded fragment canonically: %7e becomes ~, lower-case escapes become upper-case', () => {
    expect(canonicalEncode('%7e%2a%c3%a9+', false)).toBe('~%2A%C3%A9%2B');
  });

  it('leaves a % that starts no escape literal', () => {
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%zz%41')).toBe('%zzA');
    expect(canonicalEncode('100%', false)).toBe('100%25');
  });

  it('decodes to bytes, keeping invalid UTF-8 intact', () => {
    expect([...percentDecodeBytes('%FF%00a')]).toEqual([0xff, 0x00, 0x61]);
  });

  it('reads latin1 request targets byte for byte and Unicode strings as UTF-8', () => {
    expect([...targetBytes('\u00e9')]).toEqual([0xe9]);
    expect([...targetBytes('\u1234')]).toEqual([0xe1, 0x88, 0xb4]);
  });
});
