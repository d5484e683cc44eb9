import { S3Error } from '@myfsio/common';
import {
  checksumResponseHeaders,
  claimedChecksum,
  isChecksumModeEnabled,
  readChecksumRequest,
  readContentMd5,
  verifyChecksum,
  verifyContentMd5,
} from './checksum-headers';

const CRC32_HELLO = 'NhCmhg==';
const SHA256_HELLO = 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=';
const MD5_HELLO_HEX = '5d41402abc4b2a76b9719d911017c592';
const MD5_HELLO_B64 = Buffer.from(MD5_HELLO_HEX, 'hex').toString('base64');

function errorOf(run: () => unknown): S3Error {
  try {
    run();
  } catch (err) {
    return err as S3Error;
  }
  throw new Error('expected an S3Error');
}

describe('readChecksumRequest', () => {
  it('is null when the client sent no checksum', () => {
    expect(readChecksumRequest({ 'content-type': 'text/plain' })).toBeNull();
  });

  it('reads a checksum header', () => {
    expect(
      readChecksumRequest({ 'x-amz-checksum-crc32': CRC32_HELLO, 'x-amz-sdk-checksum-algorithm': 'CRC32' }),
    ).toEqual({ algorithm: 'CRC32', value: CRC32_HELLO, trailer: null });
  });

  it('reads a declared trailer', () => {
    expect(
      readChecksumRequest({
        'x-amz-trailer': 'x-amz-checksum-crc64nvme',
        'x-amz-sdk-checksum-algorithm': 'crc64nvme',
      }),
    ).toEqual({ algorithm: 'CRC64NVME', value: null, trailer: 'x-amz-checksum-crc64nvme' });
  });

  it.each([
    [
      'a malformed value',
      { 'x-amz-checksum-crc32': 'not-base64!' },
      'Value for x-amz-checksum-crc32 header is invalid.',
    ],
    [
      'a value of the wrong length',
      { 'x-amz-checksum-sha256': CRC32_HELLO },
      'Value for x-amz-checksum-sha256 header is invalid.',
    ],
    [
      'two checksum headers',
      { 'x-amz-checksum-crc32': CRC32_HELLO, 'x-amz-checksum-sha256': SHA256_HELLO },
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    ],
    [
      'an SDK algorithm without a value',
      { 'x-amz-sdk-checksum-algorithm': 'CRC32' },
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    ],
    [
      'an unknown SDK algorithm',
      { 'x-amz-sdk-checksum-algorithm': 'MD4' },
      'Value for x-amz-sdk-checksum-algorithm header is invalid.',
    ],
    [
      'an SDK algorithm that differs from the header',
      { 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': CRC32_HELLO },
      'Value for x-amz-sdk-checksum-algorithm header is invalid.',
    ],
    [
      'an unsupported trailer',
      { 'x-amz-trailer': 'x-amz-foo' },
      'The value specified in the x-amz-trailer header is not supported',
    ],
  ])('returns InvalidRequest for %s', (_name, headers, message) => {
    const err = errorOf(() => readChecksumRequest(headers));
    expect(err.code).toBe('InvalidRequest');
    expect(err.message).toBe(message);
  });
});

describe('claimedChecksum', () => {
  it('takes the header value', () => {
    expect(claimedChecksum({ algorithm: 'CRC32', value: CRC32_HELLO, trailer: null }, {})).toBe(CRC32_HELLO);
  });

  it('takes the trailer value', () => {
    const request = { algorithm: 'CRC32' as const, value: null, trailer: 'x-amz-checksum-crc32' };
    expect(claimedChecksum(request, { 'x-amz-checksum-crc32': CRC32_HELLO })).toBe(CRC32_HELLO);
  });

  it('returns InvalidRequest when the declared trailer is missing', () => {
    const request = { algorithm: 'CRC32' as const, value: null, trailer: 'x-amz-checksum-crc32' };
    expect(errorOf(() => claimedChecksum(request, {})).code).toBe('InvalidRequest');
  });
});

describe('verifyChecksum', () => {
  it('returns BadDigest on a mismatch, in S3 words', () => {
    const err = errorOf(() => verifyChecksum('CRC32', CRC32_HELLO, 'AAAAAA=='));
    expect(err.code).toBe('BadDigest');
    expect(err.message).toBe('The CRC32 you specified did not match the calculated checksum.');
  });

  it('accepts a match', () => {
    expect(() => verifyChecksum('CRC32', CRC32_HELLO, CRC32_HELLO)).not.toThrow();
  });
});

describe('Content-MD5', () => {
  it('reads the base64 digest', () => {
    expect(readContentMd5({ 'content-md5': MD5_HELLO_B64 })?.toString('hex')).toBe(MD5_HELLO_HEX);
    expect(readContentMd5({})).toBeNull();
  });

  it.each(['abc', 'AAAA', `${MD5_HELLO_B64}AA`])('returns InvalidDigest for %s', (value) => {
    expect(errorOf(() => readContentMd5({ 'content-md5': value })).code).toBe('InvalidDigest');
  });

  it('returns BadDigest when the body differs', () => {
    const md5 = readContentMd5({ 'content-md5': MD5_HELLO_B64 })!;
    expect(() => verifyContentMd5(md5, MD5_HELLO_HEX)).not.toThrow();
    expect(errorOf(() => verifyContentMd5(md5, '00'.repeat(16))).code).toBe('BadDigest');
  });
});

describe('checksum responses', () => {
  it('reads x-amz-checksum-mode', () => {
    expect(isChecksumModeEnabled({ 'x-amz-checksum-mode': 'ENABLED' })).toBe(true);
    expect(isChecksumModeEnabled({})).toBe(false);
  });

  it('writes stored checksums with their type', () => {
    expect(checksumResponseHeaders({ CRC32: CRC32_HELLO }, 'FULL_OBJECT')).toEqual({
      'x-amz-checksum-crc32': CRC32_HELLO,
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
    expect(checksumResponseHeaders(null, null)).toEqual({});
  });
});
