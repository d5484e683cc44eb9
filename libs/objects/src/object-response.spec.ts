import type { StoredObject } from './objects.types';
import { objectResponseHeaders, readResponseOverrides } from './object-response';

const object: StoredObject = {
  id: 'row-1',
  bucketId: 'b-1',
  key: 'k',
  versionId: 'null',
  isLatest: true,
  isDeleteMarker: false,
  size: 5,
  etag: 'abc',
  checksums: { CRC32: 'NhCmhg==' },
  checksumType: 'FULL_OBJECT',
  contentType: null,
  contentEncoding: 'gzip',
  contentDisposition: null,
  contentLanguage: null,
  cacheControl: 'max-age=60',
  expires: null,
  userMetadata: { name: 'café' },
  tags: null,
  ownerId: 'o',
  storagePath: null,
  storageClass: 'STANDARD',
  partsCount: null,
  lastModified: new Date('2024-05-01T12:00:00.123Z'),
  createdAt: new Date('2024-05-01T12:00:00.123Z'),
};

describe('objectResponseHeaders', () => {
  it('writes validators, content headers and metadata (UTF-8 as raw bytes)', () => {
    expect(objectResponseHeaders(object, { isVersioned: false, withChecksums: false })).toEqual({
      ETag: '"abc"',
      'Last-Modified': 'Wed, 01 May 2024 12:00:00 GMT',
      'Accept-Ranges': 'bytes',
      'Content-Type': 'binary/octet-stream',
      'Content-Encoding': 'gzip',
      'Cache-Control': 'max-age=60',
      'x-amz-meta-name': Buffer.from('café', 'utf8').toString('latin1'),
    });
  });

  it('adds storage class when not STANDARD, tag count, version id and checksums on request', () => {
    const headers = objectResponseHeaders(
      { ...object, storageClass: 'GLACIER_IR', tags: { a: '1', b: '2' } },
      { isVersioned: true, withChecksums: true },
    );
    expect(headers).toMatchObject({
      'x-amz-storage-class': 'GLACIER_IR',
      'x-amz-tagging-count': '2',
      'x-amz-version-id': 'null',
      'x-amz-checksum-crc32': 'NhCmhg==',
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
  });

  it('applies response-* overrides last', () => {
    const overrides = readResponseOverrides(
      new URLSearchParams('response-content-type=text/csv&response-content-disposition=attachment&other=1'),
    );
    expect(overrides).toEqual({ 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment' });
    const headers = objectResponseHeaders(object, { isVersioned: false, withChecksums: false, overrides });
    expect(headers['Content-Type']).toBe('text/csv');
    expect(headers['Content-Disposition']).toBe('attachment');
  });
});
