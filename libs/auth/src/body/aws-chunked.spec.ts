import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { RequestAuthenticator } from '../request-authenticator';
import { ChunkSignatureChain } from '../sigv4/chunk-signature-chain';
import type { AuthenticatedRequest, CredentialSource, IncomingSignedRequest } from '../types';
import { AwsChunkedDecoder } from './aws-chunked-decoder';
import { createVerifiedBody } from './verified-body';

// The example of "Signature Calculations for the Authorization Header: Transferring Payload in
// Multiple Chunks (Chunked Upload)": 65536 + 1024 bytes of 'a' and the final empty chunk.
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNK_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const credentials: CredentialSource = {
  findSecret: (id) => Promise.resolve(id === ACCESS_KEY ? SECRET : null),
};
const authenticator = new RequestAuthenticator(
  { region: 'us-east-1', service: 's3', now: () => new Date('2013-05-24T00:00:00Z') },
  credentials,
);

function chunk(data: Buffer, signature?: string): Buffer {
  const ext = signature === undefined ? '' : `;chunk-signature=${signature}`;
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}${ext}\r\n`), data, Buffer.from('\r\n')]);
}

const DATA = Buffer.alloc(65536 + 1024, 'a');
const WIRE = Buffer.concat([
  chunk(DATA.subarray(0, 65536), CHUNK_SIGNATURES[0]),
  chunk(DATA.subarray(65536), CHUNK_SIGNATURES[1]),
  chunk(Buffer.alloc(0), CHUNK_SIGNATURES[2]),
]);

function exampleRequest(headers: Record<string, string> = {}): IncomingSignedRequest {
  return {
    method: 'PUT',
    rawUrl: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
      authorization:
        `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request,` +
        'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,' +
        `Signature=${SEED}`,
      ...headers,
    },
  };
}

async function consume(stream: Readable): Promise<{ data: Buffer; ended: boolean }> {
  const parts: Buffer[] = [];
  let ended = false;
  stream.on('end', () => (ended = true));
  for await (const part of stream) {
    parts.push(part as Buffer);
  }
  return { data: Buffer.concat(parts), ended };
}

/** Splits a buffer into pieces of the given sizes, cycling through them. */
function split(wire: Buffer, sizes: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let pos = 0, i = 0; pos < wire.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    pieces.push(wire.subarray(pos, pos + size));
    pos += size;
  }
  return pieces;
}

describe('aws-chunked bodies', () => {
  let auth: AuthenticatedRequest;
  beforeAll(async () => {
    auth = await authenticator.authenticate(exampleRequest());
  });

  it('accepts the seed signature of the AWS example and plans signed chunk verification', () => {
    expect(auth.payload).toMatchObject({
      mode: 'aws-chunked',
      hasTrailer: false,
      signing: {
        seedSignature: SEED,
        timestamp: '20130524T000000Z',
        scope: '20130524/us-east-1/s3/aws4_request',
      },
    });
  });

  it('verifies the chunk signatures of the AWS example and yields the 66560 bytes', async () => {
    const body = createVerifiedBody(Readable.from([WIRE]), auth, exampleRequest().headers);
    expect(body.decodedLength).toBe(66560);
    const { data } = await consume(body.stream);
    expect(data.equals(DATA)).toBe(true);
    await expect(body.trailers).resolves.toEqual({});
  });

  it('decodes the same bytes when the wire arrives one byte at a time', () => {
    if (auth.payload.mode !== 'aws-chunked' || !auth.payload.signing) {
      throw new Error('expected signed aws-chunked');
    }
    const decoder = new AwsChunkedDecoder({
      chain: new ChunkSignatureChain(auth.payload.signing),
      hasTrailer: false,
    });
    const out: Buffer[] = [];
    for (let i = 0; i < WIRE.length; i++) {
      decoder.write(WIRE.subarray(i, i + 1), (data) => out.push(Buffer.from(data)));
    }
    expect(decoder.end()).toEqual({});
    expect(Buffer.concat(out).equals(DATA)).toBe(true);
  });

  it.each([[[1, 7, 3]], [[87, 88, 89]], [[65536]], [[100_000]], [[2, 65_621]]])(
    'decodes the same bytes through the stream when the wire is split as %j',
    async (sizes) => {
      const body = createVerifiedBody(Readable.from(split(WIRE, sizes)), auth, exampleRequest().headers);
      expect((await consume(body.stream)).data.equals(DATA)).toBe(true);
    },
  );

  it('returns SignatureDoesNotMatch before the end when a data byte changes', async () => {
    const tampered = Buffer.from(WIRE);
    tampered[40_000] = 'b'.charCodeAt(0);
    const body = createVerifiedBody(Readable.from([tampered]), auth, exampleRequest().headers);
    const ended = jest.fn();
    body.stream.on('end', ended);
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(ended).not.toHaveBeenCalled();
    await expect(body.trailers).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('returns SignatureDoesNotMatch when chunks are reordered or a signature is missing', async () => {
    const reordered = Buffer.concat([
      chunk(DATA.subarray(0, 1024), CHUNK_SIGNATURES[1]),
      chunk(DATA.subarray(1024), CHUNK_SIGNATURES[0]),
      chunk(Buffer.alloc(0), CHUNK_SIGNATURES[2]),
    ]);
    const headers = exampleRequest().headers;
    const first = createVerifiedBody(Readable.from([reordered]), auth, {
      ...headers,
      'content-length': undefined,
    });
    await expect(consume(first.stream)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    const unsigned = Buffer.concat([chunk(DATA), chunk(Buffer.alloc(0))]);
    const second = createVerifiedBody(Readable.from([unsigned]), auth, {
      ...headers,
      'content-length': undefined,
    });
    await expect(consume(second.stream)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('returns IncompleteBody when the body stops before the final chunk', async () => {
    const body = createVerifiedBody(Readable.from([WIRE.subarray(0, 60_000)]), auth, {
      ...exampleRequest().headers,
      'content-length': undefined,
    });
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('returns IncompleteBody when fewer bytes arrive than Content-Length announces', async () => {
    const body = createVerifiedBody(Readable.from([WIRE]), auth, {
      ...exampleRequest().headers,
      'content-length': '70000',
    });
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('returns IncompleteBody when the decoded bytes fall short of x-amz-decoded-content-length', async () => {
    const headers = {
      ...exampleRequest().headers,
      'x-amz-decoded-content-length': '70000',
      'content-length': undefined,
    };
    const body = createVerifiedBody(Readable.from([WIRE]), auth, headers);
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('returns InvalidRequest for a malformed chunk size line', async () => {
    const body = createVerifiedBody(Readable.from([Buffer.from('zz;chunk-signature=00\r\n')]), auth, {
      'x-amz-decoded-content-length': '1',
    });
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'InvalidRequest' });
  });

  it('returns IncompleteBody when the source errors (client went away)', async () => {
    const source = new Readable({ read() {} });
    const body = createVerifiedBody(source, auth, exampleRequest().headers);
    source.push(WIRE.subarray(0, 1000));
    setImmediate(() => source.destroy(new Error('aborted')));
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });
});

describe('aws-chunked bodies with trailing checksums', () => {
  const payload = Buffer.from('Hello, trailing checksum!');
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(payload) >>> 0);
  const crc = checksum.toString('base64');
  const headers = {
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-trailer': 'x-amz-checksum-crc32',
    'x-amz-decoded-content-length': String(payload.length),
  };
  const unsignedAuth: AuthenticatedRequest = {
    scheme: 'anonymous',
    payload: { mode: 'aws-chunked', signing: null, hasTrailer: true },
  };
  // What @aws-sdk/client-s3 v3 sends by default.
  const sdkWire = (value: string) =>
    Buffer.concat([
      chunk(payload.subarray(0, 10)),
      chunk(payload.subarray(10)),
      Buffer.from(`0\r\nx-amz-checksum-crc32:${value}\r\n\r\n`),
    ]);

  it('decodes an unsigned-trailer body and resolves its trailers', async () => {
    for (const pieces of [[sdkWire(crc)], split(sdkWire(crc), [1])]) {
      const body = createVerifiedBody(Readable.from(pieces), unsignedAuth, headers);
      expect((await consume(body.stream)).data.equals(payload)).toBe(true);
      await expect(body.trailers).resolves.toEqual({ 'x-amz-checksum-crc32': crc });
    }
  });

  it('returns BadDigest before the end when the trailing CRC32 does not match', async () => {
    const body = createVerifiedBody(Readable.from([sdkWire('AAAAAA==')]), unsignedAuth, headers);
    const ended = jest.fn();
    body.stream.on('end', ended);
    await expect(consume(body.stream)).rejects.toMatchObject({ code: 'BadDigest' });
    expect(ended).not.toHaveBeenCalled();
  });

  it('returns InvalidRequest for a malformed or undeclared trailer', async () => {
    const malformed = createVerifiedBody(Readable.from([sdkWire('not base64')]), unsignedAuth, headers);
    await expect(consume(malformed.stream)).rejects.toMatchObject({ code: 'InvalidRequest' });
    const undeclared = createVerifiedBody(Readable.from([sdkWire(crc)]), unsignedAuth, {
      ...headers,
      'x-amz-trailer': undefined,
    });
    await expect(consume(undeclared.stream)).rejects.toMatchObject({ code: 'InvalidRequest' });
  });

  it('accepts a body that ends right after the last trailer line', async () => {
    const wire = sdkWire(crc).subarray(0, -2);
    const body = createVerifiedBody(Readable.from([wire]), unsignedAuth, headers);
    expect((await consume(body.stream)).data.equals(payload)).toBe(true);
  });

  describe('signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', () => {
    const signing = {
      signingKey: createHmac('sha256', 'key').update('fixed').digest(),
      timestamp: '20130524T000000Z',
      scope: '20130524/us-east-1/s3/aws4_request',
      seedSignature: SEED,
    };
    const signedAuth: AuthenticatedRequest = {
      scheme: 'sigv4-header',
      accessKeyId: ACCESS_KEY,
      payload: { mode: 'aws-chunked', signing, hasTrailer: true },
    };
    // An independent signer written from the AWS page, to check the decoder's chain.
    const sign = (kind: string, previous: string, hash: string) =>
      createHmac('sha256', signing.signingKey)
        .update(
          [
            kind,
            signing.timestamp,
            signing.scope,
            previous,
            ...(kind.endsWith('PAYLOAD') ? [EMPTY] : []),
            hash,
          ].join('\n'),
        )
        .digest('hex');
    const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
    const first = sign('AWS4-HMAC-SHA256-PAYLOAD', SEED, sha(payload));
    const last = sign('AWS4-HMAC-SHA256-PAYLOAD', first, EMPTY);
    const trailer = `x-amz-checksum-crc32:${crc}\n`;
    const trailerSignature = sign('AWS4-HMAC-SHA256-TRAILER', last, sha(trailer));
    const wire = (signature: string) =>
      Buffer.concat([
        chunk(payload, first),
        Buffer.from(`0;chunk-signature=${last}\r\n`),
        Buffer.from(`x-amz-checksum-crc32:${crc}\r\nx-amz-trailer-signature:${signature}\r\n\r\n`),
      ]);

    it('verifies the chunk and trailer signatures', async () => {
      const body = createVerifiedBody(Readable.from(split(wire(trailerSignature), [3])), signedAuth, headers);
      expect((await consume(body.stream)).data.equals(payload)).toBe(true);
      await expect(body.trailers).resolves.toEqual({ 'x-amz-checksum-crc32': crc });
    });

    it('returns SignatureDoesNotMatch for a wrong or missing trailer signature', async () => {
      const wrong = createVerifiedBody(Readable.from([wire('0'.repeat(64))]), signedAuth, headers);
      await expect(consume(wrong.stream)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
      const missing = Buffer.concat([
        chunk(payload, first),
        Buffer.from(`0;chunk-signature=${last}\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`),
      ]);
      const body = createVerifiedBody(Readable.from([missing]), signedAuth, headers);
      await expect(consume(body.stream)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    });
  });
});
