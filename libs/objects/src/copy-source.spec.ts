import { parseCopySource } from './copy-source';

describe('parseCopySource', () => {
  it.each([
    ['bucket/key', { bucket: 'bucket', key: 'key' }],
    ['/bucket/key', { bucket: 'bucket', key: 'key' }],
    ['/bucket/dir/sub/file.txt', { bucket: 'bucket', key: 'dir/sub/file.txt' }],
    ['bucket/my%20file%2Bx.txt', { bucket: 'bucket', key: 'my file+x.txt' }],
    ['bucket/what%3F.txt', { bucket: 'bucket', key: 'what?.txt' }],
    ['bucket/%E2%82%AC', { bucket: 'bucket', key: '€' }],
    ['bucket/dir/', { bucket: 'bucket', key: 'dir/' }],
    ['/bucket/key?versionId=abc', { bucket: 'bucket', key: 'key', versionId: 'abc' }],
    ['/bucket/key?versionId=null', { bucket: 'bucket', key: 'key', versionId: 'null' }],
    ['/bucket/key?other=1', { bucket: 'bucket', key: 'key' }],
  ])('parses %s', (value, expected) => {
    expect(parseCopySource(value)).toEqual(expected);
  });

  it.each([
    ['a bucket without key', 'bucket'],
    ['a bucket with an empty key', '/bucket/'],
    ['an empty value', ''],
    ['malformed percent-encoding', 'bucket/%E2%82'],
    ['an empty version id', 'bucket/key?versionId='],
  ])('returns InvalidArgument for %s', (_name, value) => {
    expect(() => parseCopySource(value)).toThrow(
      expect.objectContaining({
        code: 'InvalidArgument',
        fields: { ArgumentName: 'x-amz-copy-source', ArgumentValue: value },
      }),
    );
  });
});
