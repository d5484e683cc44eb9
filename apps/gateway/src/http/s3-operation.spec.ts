import { S3Error } from '@myfsio/common';
import { resolveOperation, type S3OperationName } from './s3-operation';

const resolve = (
  method: string,
  rawUrl: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1:5000',
) => resolveOperation({ method, rawUrl, host, headers, domains: ['s3.example.com'] });

/** Request lines from the AWS API reference examples, and the operation each names. */
const EXAMPLES: [string, string, S3OperationName, Record<string, string>?][] = [
  ['GET', '/', 'ListBuckets'],
  ['PUT', '/examplebucket', 'CreateBucket'],
  ['HEAD', '/examplebucket', 'HeadBucket'],
  ['DELETE', '/examplebucket', 'DeleteBucket'],
  ['GET', '/examplebucket?location', 'GetBucketLocation'],
  ['GET', '/examplebucket', 'ListObjects'],
  ['GET', '/examplebucket?list-type=2&prefix=photos', 'ListObjectsV2'],
  ['GET', '/examplebucket?versions', 'ListObjectVersions'],
  ['GET', '/examplebucket?uploads&max-uploads=3', 'ListMultipartUploads'],
  ['POST', '/examplebucket?delete', 'DeleteObjects'],
  ['PUT', '/examplebucket?versioning', 'PutBucketVersioning'],
  ['GET', '/examplebucket?policy', 'GetBucketPolicy'],
  ['DELETE', '/examplebucket?lifecycle', 'DeleteBucketLifecycle'],
  ['PUT', '/examplebucket?object-lock', 'PutObjectLockConfiguration'],
  ['PUT', '/examplebucket/my-image.jpg', 'PutObject'],
  ['PUT', '/examplebucket/copy.jpg', 'CopyObject', { 'x-amz-copy-source': '/src/a.jpg' }],
  ['GET', '/examplebucket/my-image.jpg', 'GetObject'],
  ['GET', '/examplebucket/my-image.jpg?versionId=3/L4kqtJlcpXroDTDmpUMLUo', 'GetObject'],
  ['HEAD', '/examplebucket/my-image.jpg', 'HeadObject'],
  ['DELETE', '/examplebucket/my-image.jpg', 'DeleteObject'],
  ['GET', '/examplebucket/my-image.jpg?tagging', 'GetObjectTagging'],
  ['GET', '/examplebucket/my-image.jpg?acl', 'GetObjectAcl'],
  ['POST', '/examplebucket/large.mov?uploads', 'CreateMultipartUpload'],
  ['PUT', '/examplebucket/large.mov?partNumber=1&uploadId=VXBsb2Fk', 'UploadPart'],
  [
    'PUT',
    '/examplebucket/large.mov?partNumber=2&uploadId=VXBsb2Fk',
    'UploadPartCopy',
    { 'x-amz-copy-source': '/b/k' },
  ],
  ['POST', '/examplebucket/large.mov?uploadId=VXBsb2Fk', 'CompleteMultipartUpload'],
  ['DELETE', '/examplebucket/large.mov?uploadId=VXBsb2Fk', 'AbortMultipartUpload'],
  ['GET', '/examplebucket/large.mov?uploadId=VXBsb2Fk&max-parts=2', 'ListParts'],
  ['POST', '/examplebucket/data.csv?select&select-type=2', 'SelectObjectContent'],
  ['POST', '/?Action=AssumeRole&Version=2011-06-15', 'AssumeRole'],
  ['POST', '/', 'AssumeRole', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }],
];

describe('resolveOperation', () => {
  for (const [method, url, name, headers] of EXAMPLES) {
    it(`${method} ${url} is ${name}`, () => {
      expect(resolve(method, url, headers).name).toBe(name);
    });
  }

  it('decodes the key, keeping slashes, dots and empty segments', () => {
    const op = resolve('GET', '/b/a%20b//c/../%E4%B8%AD');
    expect(op.bucket).toBe('b');
    expect(op.key).toBe('a b//c/../中');
  });

  it('treats a trailing slash after the bucket as the bucket itself', () => {
    expect(resolve('GET', '/b/').name).toBe('ListObjects');
    expect(resolve('PUT', '/b/dir/').key).toBe('dir/');
  });

  it('takes the bucket from the Host under S3_DOMAIN', () => {
    const op = resolve('GET', '/photos/cat.jpg', {}, 'media.s3.example.com:5000');
    expect(op).toMatchObject({
      name: 'GetObject',
      bucket: 'media',
      key: 'photos/cat.jpg',
      bucketFromHost: true,
    });
    expect(resolve('GET', '/', {}, 'media.s3.example.com').name).toBe('ListObjects');
    expect(resolve('GET', '/', {}, 's3.example.com').name).toBe('ListBuckets');
  });

  it('keeps response-* and X-Amz-* parameters out of the dispatch', () => {
    expect(resolve('GET', '/b/k?response-content-type=text/plain&X-Amz-Signature=abc').name).toBe(
      'GetObject',
    );
  });

  it('answers NotImplemented for an unknown subresource instead of a listing', () => {
    expect(() => resolve('GET', '/b?accelerate')).toThrow(
      expect.objectContaining({ code: 'NotImplemented' }),
    );
  });

  it('answers MethodNotAllowed for a method the resource does not have', () => {
    expect(() => resolve('PATCH', '/b/k')).toThrow(expect.objectContaining({ code: 'MethodNotAllowed' }));
    expect(() => resolve('GET', '/b?delete')).toThrow(expect.objectContaining({ code: 'MethodNotAllowed' }));
  });

  it('answers InvalidURI for a malformed percent-encoding', () => {
    expect(() => resolve('GET', '/b/%E4%B8')).toThrow(S3Error);
  });
});
