import { bucketNameProblem } from './bucket-name';

describe('bucketNameProblem', () => {
  it.each(['abc', 'my-bucket', 'my.bucket.name', 'a1b2c3', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(bucketNameProblem(name)).toBeNull();
  });

  it.each([
    'ab',
    'x'.repeat(64),
    'MyBucket',
    '-bucket',
    'bucket-',
    'my..bucket',
    '192.168.1.1',
    'xn--bucket',
    'bucket-s3alias',
    'my_bucket',
    '.myfsio.sys',
    'bucket name',
  ])('refuses %s', (name) => {
    expect(bucketNameProblem(name)).not.toBeNull();
  });
});
