import { S3Error } from '@myfsio/common';
import { DEFAULT_CONTENT_TYPE, readObjectAttributes, storedContentEncoding } from './object-headers';
import { readTagging } from './tagging';

function errorOf(run: () => unknown): S3Error {
  try {
    run();
  } catch (err) {
    return err as S3Error;
  }
  throw new Error('expected an S3Error');
}

describe('readObjectAttributes', () => {
  it('reads content headers, metadata and storage class', () => {
    expect(
      readObjectAttributes({
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
        'content-disposition': 'attachment',
        'content-language': 'en',
        'cache-control': 'no-cache',
        expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
        'x-amz-meta-color': 'blue',
        'x-amz-storage-class': 'STANDARD_IA',
      }),
    ).toEqual({
      contentType: 'text/plain',
      contentEncoding: 'gzip',
      contentDisposition: 'attachment',
      contentLanguage: 'en',
      cacheControl: 'no-cache',
      expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
      userMetadata: { color: 'blue' },
      storageClass: 'STANDARD_IA',
    });
  });

  it('defaults the content type and storage class', () => {
    const attrs = readObjectAttributes({});
    expect(attrs.contentType).toBe(DEFAULT_CONTENT_TYPE);
    expect(attrs.storageClass).toBe('STANDARD');
    expect(attrs.contentEncoding).toBeNull();
  });

  it('decodes UTF-8 metadata and content headers sent as raw bytes', () => {
    const raw = Buffer.from('café', 'utf8').toString('latin1');
    const attrs = readObjectAttributes({
      'x-amz-meta-name': raw,
      'content-disposition': `attachment; filename="${raw}"`,
    });
    expect(attrs.userMetadata).toEqual({ name: 'café' });
    expect(attrs.contentDisposition).toBe('attachment; filename="café"');
  });

  it('accepts exactly 2 KB of metadata (names without prefix + values)', () => {
    // 'k' (1 byte) + 2047 bytes = 2048.
    expect(() => readObjectAttributes({ 'x-amz-meta-k': 'v'.repeat(2047) })).not.toThrow();
  });

  it('returns MetadataTooLarge one byte past 2 KB', () => {
    expect(errorOf(() => readObjectAttributes({ 'x-amz-meta-k': 'v'.repeat(2048) })).code).toBe(
      'MetadataTooLarge',
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 'k' + 1024 × 'é' (2 bytes each) = 2049 bytes.
    const raw = Buffer.from('é'.repeat(1024), 'utf8').toString('latin1');
    expect(errorOf(() => readObjectAttributes({ 'x-amz-meta-k': raw })).code).toBe('MetadataTooLarge');
  });

  it('returns InvalidStorageClass for an unknown class', () => {
    const err = errorOf(() => readObjectAttributes({ 'x-amz-storage-class': 'SUPERFAST' }));
    expect(err.code).toBe('InvalidStorageClass');
    expect(err.fields).toEqual({ StorageClassRequested: 'SUPERFAST' });
  });
});

describe('storedContentEncoding', () => {
  it.each([
    [undefined, null],
    ['aws-chunked', null],
    ['aws-chunked,gzip', 'gzip'],
    ['gzip, aws-chunked', 'gzip'],
    ['br', 'br'],
  ])('%s → %s', (value, expected) => {
    expect(storedContentEncoding(value)).toBe(expected);
  });
});

describe('readTagging', () => {
  it('parses a URL query string', () => {
    expect(readTagging({ 'x-amz-tagging': 'a=1&b=two%20words&empty=' }, 10)).toEqual({
      a: '1',
      b: 'two words',
      empty: '',
    });
  });

  it('is undefined without the header', () => {
    expect(readTagging({}, 10)).toBeUndefined();
  });

  it.each([
    ['too many tags', 'a=1&b=2&c=3', 'Object tags cannot be greater than 2'],
    ['a duplicate key', 'a=1&a=2', 'Cannot provide multiple Tags with the same key'],
    ['an aws: key', 'aws%3Afoo=1', 'Your TagKey cannot be prefixed with aws:'],
    ['a long key', `${'k'.repeat(129)}=1`, 'The TagKey you have provided is too long, max 128'],
    ['a long value', `k=${'v'.repeat(257)}`, 'The TagValue you have provided is too long, max 256'],
    ['an invalid character', 'k=%3Cx%3E', 'The TagValue you have provided is invalid'],
  ])('returns InvalidTag for %s', (_name, value, message) => {
    const err = errorOf(() => readTagging({ 'x-amz-tagging': value }, 2));
    expect(err.code).toBe('InvalidTag');
    expect(err.message).toBe(message);
  });
});
