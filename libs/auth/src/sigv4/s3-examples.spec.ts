import { Readable } from 'node:stream';
import { isS3Error } from '@myfsio/common';
import { createVerifiedBody } from '../body/verified-body';
import { RequestAuthenticator } from '../request-authenticator';
import type { CredentialSource, IncomingSignedRequest } from '../types';

// The worked examples of the Amazon S3 API Reference, "Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk" and "Authenticating Requests: Using Query
// Parameters": bucket examplebucket in us-east-1, 24 May 2013.
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const credentials: CredentialSource = {
  findSecret: (id) => Promise.resolve(id === ACCESS_KEY ? SECRET : null),
};

function authenticator(now = '2013-05-24T00:00:00Z'): RequestAuthenticator {
  return new RequestAuthenticator(
    { region: 'us-east-1', service: 's3', now: () => new Date(now) },
    credentials,
  );
}

function authorization(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`;
}

const getObject: IncomingSignedRequest = {
  method: 'GET',
  rawUrl: '/test.txt',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    authorization: authorization(
      'host;range;x-amz-content-sha256;x-amz-date',
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    ),
  },
};

const putObject: IncomingSignedRequest = {
  method: 'PUT',
  rawUrl: '/test$file.text',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    date: 'Fri, 24 May 2013 00:00:00 GMT',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    'content-length': '21',
    authorization: authorization(
      'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    ),
  },
};

const getLifecycle: IncomingSignedRequest = {
  method: 'GET',
  rawUrl: '/?lifecycle',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-content-sha256': EMPTY,
    authorization: authorization(
      'host;x-amz-content-sha256;x-amz-date',
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    ),
  },
};

const listObjects: IncomingSignedRequest = {
  method: 'GET',
  rawUrl: '/?max-keys=2&prefix=J',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-content-sha256': EMPTY,
    authorization: authorization(
      'host;x-amz-content-sha256;x-amz-date',
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    ),
  },
};

const presignedGet: IncomingSignedRequest = {
  method: 'GET',
  rawUrl:
    '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  headers: { host: 'examplebucket.s3.amazonaws.com' },
};

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) {
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('SigV4 S3 documentation examples', () => {
  it.each([
    ['GET Object with a range', getObject],
    ['PUT Object', putObject],
    ['GET Bucket lifecycle', getLifecycle],
    ['GET Bucket (list objects)', listObjects],
  ])('accepts the %s example', async (_name, req) => {
    const auth = await authenticator().authenticate(req);
    expect(auth).toMatchObject({ scheme: 'sigv4-header', accessKeyId: ACCESS_KEY, service: 's3' });
  });

  it('accepts the presigned GET example until it expires 86400 s later', async () => {
    const auth = await authenticator('2013-05-24T23:59:59Z').authenticate(presignedGet);
    expect(auth).toMatchObject({
      scheme: 'sigv4-query',
      accessKeyId: ACCESS_KEY,
      payload: { mode: 'unsigned' },
    });
    const error = await errorOf(authenticator('2013-05-25T00:00:01Z').authenticate(presignedGet));
    expect(error).toMatchObject({ code: 'AccessDenied', message: 'Request has expired' });
  });

  it('returns SignatureDoesNotMatch with the string to sign when one signed header changes', async () => {
    const tampered = { ...getObject, headers: { ...getObject.headers, range: 'bytes=0-10' } };
    const error = await errorOf(authenticator().authenticate(tampered));
    expect(isS3Error(error) && error.code).toBe('SignatureDoesNotMatch');
    const fields = isS3Error(error) ? error.fields : {};
    expect(String(fields.StringToSign)).toMatch(
      /^AWS4-HMAC-SHA256\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/,
    );
    expect(String(fields.CanonicalRequest)).toContain('\nrange:bytes=0-10\n');
    expect(fields.SignatureProvided).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('verifies the PUT Object payload against x-amz-content-sha256 while it is read', async () => {
    const auth = await authenticator().authenticate(putObject);
    expect(auth.payload).toEqual({
      mode: 'sha256',
      sha256Hex: '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    });
    const body = createVerifiedBody(
      Readable.from([Buffer.from('Welcome to Amazon S3.')]),
      auth,
      putObject.headers,
    );
    expect(body.decodedLength).toBe(21);
    expect((await readAll(body.stream)).toString()).toBe('Welcome to Amazon S3.');
    await expect(body.trailers).resolves.toEqual({});
  });

  it('returns XAmzContentSHA256Mismatch before the end of a body that does not match', async () => {
    const auth = await authenticator().authenticate(putObject);
    const body = createVerifiedBody(
      Readable.from([Buffer.from('Welcome to Amazon S3!')]),
      auth,
      putObject.headers,
    );
    const ended = jest.fn();
    body.stream.on('end', ended);
    await expect(readAll(body.stream)).rejects.toMatchObject({ code: 'XAmzContentSHA256Mismatch' });
    expect(ended).not.toHaveBeenCalled();
    await expect(body.trailers).rejects.toMatchObject({ code: 'XAmzContentSHA256Mismatch' });
  });
});
