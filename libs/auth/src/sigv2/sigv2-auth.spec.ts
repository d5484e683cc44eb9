import { RequestAuthenticator } from '../request-authenticator';
import type { CredentialSource, IncomingSignedRequest } from '../types';

// The examples of "Signing and Authenticating REST Requests" (Signature Version 2), bucket johnsmith.
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const credentials: CredentialSource = {
  findSecret: (id) => Promise.resolve(id === ACCESS_KEY ? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' : null),
};

function authenticatorAt(date: string): RequestAuthenticator {
  return new RequestAuthenticator(
    { region: 'us-east-1', service: 's3', now: () => new Date(date) },
    credentials,
  );
}

interface Example {
  readonly name: string;
  readonly request: IncomingSignedRequest;
  readonly rawHeaders?: readonly string[];
}

const auth = (signature: string) => `AWS ${ACCESS_KEY}:${signature}`;

const EXAMPLES: readonly Example[] = [
  {
    name: 'Object GET',
    request: {
      method: 'GET',
      rawUrl: '/photos/puppy.jpg',
      bucketFromHost: 'johnsmith',
      headers: {
        host: 'johnsmith.s3.amazonaws.com',
        date: 'Tue, 27 Mar 2007 19:36:42 +0000',
        authorization: auth('bWq2s1WEIj+Ydj0vQ697zp+IXMU='),
      },
    },
  },
  {
    name: 'Object PUT',
    request: {
      method: 'PUT',
      rawUrl: '/photos/puppy.jpg',
      bucketFromHost: 'johnsmith',
      headers: {
        host: 'johnsmith.s3.amazonaws.com',
        'content-type': 'image/jpeg',
        'content-length': '94328',
        date: 'Tue, 27 Mar 2007 21:15:45 +0000',
        authorization: auth('MyyxeRY7whkBe+bq8fHCL/2kKUg='),
      },
    },
  },
  {
    name: 'List',
    request: {
      method: 'GET',
      rawUrl: '/?prefix=photos&max-keys=50&marker=puppy',
      bucketFromHost: 'johnsmith',
      headers: {
        host: 'johnsmith.s3.amazonaws.com',
        'user-agent': 'Mozilla/5.0',
        date: 'Tue, 27 Mar 2007 19:42:41 +0000',
        authorization: auth('htDYFYduRNen8P9ZfE/s9SuKy0U='),
      },
    },
  },
  {
    name: 'Fetch (?acl)',
    request: {
      method: 'GET',
      rawUrl: '/?acl',
      bucketFromHost: 'johnsmith',
      headers: {
        host: 'johnsmith.s3.amazonaws.com',
        date: 'Tue, 27 Mar 2007 19:44:46 +0000',
        authorization: auth('c2WLPFtWHVgbEmeEG93a4cG37dM='),
      },
    },
  },
  {
    name: 'Delete (path style, x-amz-date)',
    request: {
      method: 'DELETE',
      rawUrl: '/johnsmith/photos/puppy.jpg',
      headers: {
        host: 's3.amazonaws.com',
        'user-agent': 'dotnet',
        date: 'Tue, 27 Mar 2007 21:20:27 +0000',
        'x-amz-date': 'Tue, 27 Mar 2007 21:20:26 +0000',
        authorization: auth('lx3byBScXR6KzyMaifNkardMwNk='),
      },
    },
  },
  {
    name: 'Upload (CNAME host, repeated x-amz-meta header)',
    request: {
      method: 'PUT',
      rawUrl: '/db-backup.dat.gz',
      bucketFromHost: 'static.johnsmith.net',
      headers: {
        host: 'static.johnsmith.net:8080',
        'user-agent': 'curl/7.15.5',
        date: 'Tue, 27 Mar 2007 21:06:08 +0000',
        'x-amz-acl': 'public-read',
        'content-type': 'application/x-download',
        'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
        'x-amz-meta-reviewedby': 'joe@johnsmith.net, jane@johnsmith.net',
        'x-amz-meta-filechecksum': '0x02661779',
        'x-amz-meta-checksumalgorithm': 'crc32',
        'content-disposition': 'attachment; filename=database.dat',
        'content-encoding': 'gzip',
        'content-length': '5913339',
        authorization: auth('ilyl83RwaSoYIEdixDQcA4OnAnc='),
      },
      rawHeaders: [
        'X-Amz-Meta-ReviewedBy',
        'joe@johnsmith.net',
        'X-Amz-Meta-ReviewedBy',
        'jane@johnsmith.net',
        'X-Amz-Meta-FileChecksum',
        '0x02661779',
        'X-Amz-Meta-ChecksumAlgorithm',
        'crc32',
        'x-amz-acl',
        'public-read',
      ],
    },
  },
  {
    name: 'List all my buckets',
    request: {
      method: 'GET',
      rawUrl: '/',
      headers: {
        host: 's3.amazonaws.com',
        date: 'Wed, 28 Mar 2007 01:29:59 +0000',
        authorization: auth('qGdzdERIC03wnaRNKh6OqZehG9s='),
      },
    },
  },
  {
    name: 'Unicode keys (path signed as sent)',
    request: {
      method: 'GET',
      rawUrl: '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re',
      headers: {
        host: 's3.amazonaws.com',
        date: 'Wed, 28 Mar 2007 01:49:49 +0000',
        authorization: auth('DNEZGsoieTZ92F3bUfSPQcbGmlM='),
      },
    },
  },
];

function dateOf(req: IncomingSignedRequest): string {
  return new Date(String(req.headers.date)).toISOString();
}

describe('SigV2', () => {
  it.each(EXAMPLES.map((e) => [e.name, e] as const))('accepts the %s example', async (_name, example) => {
    const result = await authenticatorAt(dateOf(example.request)).authenticate(example.request);
    expect(result).toMatchObject({
      scheme: 'sigv2-header',
      accessKeyId: ACCESS_KEY,
      payload: { mode: 'unsigned' },
    });
  });

  it.each(EXAMPLES.map((e) => [e.name, e] as const))(
    'rejects the %s example for another method',
    async (_name, e) => {
      const req = { ...e.request, method: e.request.method === 'GET' ? 'HEAD' : 'GET' };
      await expect(authenticatorAt(dateOf(req)).authenticate(req)).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    },
  );

  it('accepts the query string example until Expires, then reports it expired', async () => {
    const req: IncomingSignedRequest = {
      method: 'GET',
      rawUrl:
        '/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620',
      bucketFromHost: 'johnsmith',
      headers: { host: 'johnsmith.s3.amazonaws.com' },
    };
    await expect(authenticatorAt('2007-03-29T03:40:00Z').authenticate(req)).resolves.toMatchObject({
      scheme: 'sigv2-query',
      accessKeyId: ACCESS_KEY,
    });
    await expect(authenticatorAt('2007-03-29T03:40:21Z').authenticate(req)).rejects.toMatchObject({
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('returns RequestTimeTooSkewed for a Date 16 minutes off', async () => {
    const { request } = EXAMPLES[0]!;
    await expect(authenticatorAt('2007-03-27T19:52:43Z').authenticate(request)).rejects.toMatchObject({
      code: 'RequestTimeTooSkewed',
    });
  });

  it('returns AccessDenied without any date and InvalidAccessKeyId for an unknown key', async () => {
    const { request } = EXAMPLES[0]!;
    const noDate = { ...request, headers: { ...request.headers, date: undefined } };
    await expect(authenticatorAt(dateOf(request)).authenticate(noDate)).rejects.toMatchObject({
      code: 'AccessDenied',
    });
    const unknown = { ...request, headers: { ...request.headers, authorization: 'AWS AKIDUNKNOWN:abc=' } };
    await expect(authenticatorAt(dateOf(request)).authenticate(unknown)).rejects.toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });

  it('returns InvalidArgument for an Authorization header without a signature', async () => {
    const { request } = EXAMPLES[0]!;
    const bad = { ...request, headers: { ...request.headers, authorization: `AWS ${ACCESS_KEY}` } };
    await expect(authenticatorAt(dateOf(request)).authenticate(bad)).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });
});
