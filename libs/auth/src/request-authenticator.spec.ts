import { createHash, createHmac } from 'node:crypto';
import { RequestAuthenticator } from './request-authenticator';
import type { AuthenticatorOptions, CredentialSource, IncomingSignedRequest } from './types';

const ACCESS_KEY = 'AKIAMYFSIOTEST';
const SECRET = 'secret/With+Special=Chars';
const NOW = new Date('2024-03-01T12:00:00Z');
const AMZ_DATE = '20240301T120000Z';
const EMPTY = createHash('sha256').update('').digest('hex');

function credentialSource(): CredentialSource {
  return { findSecret: (id: string) => Promise.resolve(id === ACCESS_KEY ? SECRET : null) };
}

function authenticator(options: Partial<AuthenticatorOptions> = {}, credentials = credentialSource()) {
  return new RequestAuthenticator(
    { region: 'us-east-1', service: 's3', now: () => NOW, ...options },
    credentials,
  );
}

// An independent, minimal SigV4 signer written from the AWS page (RFC 3986 encoding of each part).
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

interface SignSpec {
  method?: string;
  path?: string;
  query?: [string, string][];
  headers?: Record<string, string>;
  date?: string;
  region?: string;
  service?: string;
  secret?: string;
  presign?: { expires: number; extra?: [string, string][] };
  /** Canonical URI override (what the client believes it signed). */
  canonicalPath?: string;
  /** Sign the empty-body hash without sending x-amz-content-sha256. */
  omitContentSha256?: boolean;
}

function sign(spec: SignSpec = {}): IncomingSignedRequest {
  const date = spec.date ?? AMZ_DATE;
  const region = spec.region ?? 'us-east-1';
  const service = spec.service ?? 's3';
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const path = spec.path ?? '/bucket/key.txt';
  const headers: Record<string, string> = { host: 'localhost:5000', ...spec.headers };
  const query: [string, string][] = [...(spec.query ?? [])];
  if (spec.presign) {
    query.push(
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', `${ACCESS_KEY}/${scope}`],
      ['X-Amz-Date', date],
      ['X-Amz-Expires', String(spec.presign.expires)],
      ['X-Amz-SignedHeaders', 'host'],
      ...(spec.presign.extra ?? []),
    );
  } else {
    headers['x-amz-date'] ??= date;
    if (!spec.omitContentSha256) {
      headers['x-amz-content-sha256'] ??= EMPTY;
    }
  }
  const signedNames = spec.presign ? ['host'] : Object.keys(headers).sort();
  const canonicalQuery = query
    .map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const payloadHash = spec.presign
    ? (headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD')
    : (headers['x-amz-content-sha256'] ?? EMPTY);
  const canonicalRequest = [
    spec.method ?? 'GET',
    spec.canonicalPath ?? path,
    canonicalQuery,
    signedNames.map((n) => `${n}:${headers[n]}\n`).join(''),
    signedNames.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${spec.secret ?? SECRET}`, date.slice(0, 8)), region), service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (spec.presign) {
    query.push(['X-Amz-Signature', signature]);
  } else {
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${signedNames.join(';')}, Signature=${signature}`;
  }
  const rawQuery = query.map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`).join('&');
  return { method: spec.method ?? 'GET', rawUrl: rawQuery ? `${path}?${rawQuery}` : path, headers };
}

describe('RequestAuthenticator', () => {
  describe('anonymous', () => {
    it('returns anonymous with an unsigned payload when no credentials are present', async () => {
      await expect(
        authenticator().authenticate({ method: 'GET', rawUrl: '/b/k', headers: {} }),
      ).resolves.toEqual({
        scheme: 'anonymous',
        payload: { mode: 'unsigned' },
      });
    });

    it('still decodes an unsigned aws-chunked body', async () => {
      const req = {
        method: 'PUT',
        rawUrl: '/b/k',
        headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
      };
      await expect(authenticator().authenticate(req)).resolves.toMatchObject({
        payload: { mode: 'aws-chunked', signing: null, hasTrailer: true },
      });
    });
  });

  describe('SigV4 Authorization header', () => {
    it('accepts a valid request and reports key, service and payload', async () => {
      await expect(authenticator().authenticate(sign())).resolves.toEqual({
        scheme: 'sigv4-header',
        accessKeyId: ACCESS_KEY,
        sessionToken: undefined,
        service: 's3',
        payload: { mode: 'sha256', sha256Hex: EMPTY },
      });
    });

    it.each([
      ['UNSIGNED-PAYLOAD', { mode: 'unsigned' }],
      ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', { mode: 'aws-chunked', signing: null, hasTrailer: true }],
      ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', { mode: 'aws-chunked', hasTrailer: true }],
    ])('plans the body check for x-amz-content-sha256 %s', async (value, payload) => {
      const auth = await authenticator().authenticate(
        sign({ method: 'PUT', headers: { 'x-amz-content-sha256': value } }),
      );
      expect(auth.payload).toMatchObject(payload);
    });

    it('returns InvalidArgument for an x-amz-content-sha256 S3 does not accept', async () => {
      const req = sign({ headers: { 'x-amz-content-sha256': 'abc' } });
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({ code: 'InvalidArgument' });
    });

    it('takes the empty-body hash as signed when x-amz-content-sha256 is absent', async () => {
      await expect(authenticator().authenticate(sign({ omitContentSha256: true }))).resolves.toMatchObject({
        payload: { mode: 'sha256', sha256Hex: EMPTY },
      });
      // A signed header that goes missing changes the canonical request.
      const req = sign();
      delete req.headers['x-amz-content-sha256'];
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    });

    it('returns AuthorizationHeaderMalformed naming the expected region, before any key lookup', async () => {
      const findSecret = jest.fn((id: string) => Promise.resolve(id === ACCESS_KEY ? SECRET : null));
      const error = authenticator({}, { findSecret }).authenticate(sign({ region: 'us-west-2' }));
      await expect(error).rejects.toMatchObject({
        code: 'AuthorizationHeaderMalformed',
        message:
          "The authorization header is malformed; the region 'us-west-2' is wrong; expecting 'us-east-1'",
        fields: { Region: 'us-east-1' },
      });
      expect(findSecret).not.toHaveBeenCalled();
    });

    it('does not treat us-east-1 as special when another region is configured', async () => {
      await expect(authenticator({ region: 'eu-central-1' }).authenticate(sign())).rejects.toMatchObject({
        code: 'AuthorizationHeaderMalformed',
      });
      await expect(
        authenticator({ region: 'eu-central-1' }).authenticate(sign({ region: 'eu-central-1' })),
      ).resolves.toMatchObject({ scheme: 'sigv4-header' });
    });

    it('accepts the sts service by default and rejects services not listed', async () => {
      await expect(authenticator().authenticate(sign({ service: 'sts' }))).resolves.toMatchObject({
        service: 'sts',
      });
      await expect(authenticator().authenticate(sign({ service: 'ec2' }))).rejects.toMatchObject({
        code: 'AuthorizationHeaderMalformed',
      });
      await expect(
        authenticator({ services: ['s3'] }).authenticate(sign({ service: 'sts' })),
      ).rejects.toMatchObject({
        code: 'AuthorizationHeaderMalformed',
      });
    });

    it.each([
      ['a credential without its terminal', (a: string) => a.replace('/aws4_request', '')],
      ['a missing Signature', (a: string) => a.replace(/, Signature=.*/, '')],
      ['SignedHeaders without host', (a: string) => a.replace('SignedHeaders=host;', 'SignedHeaders=')],
      ['a scope date unlike X-Amz-Date', (a: string) => a.replace('/20240301/', '/20240302/')],
    ])('returns AuthorizationHeaderMalformed for %s', async (_name, mutate) => {
      const req = sign();
      req.headers.authorization = mutate(String(req.headers.authorization));
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({
        code: 'AuthorizationHeaderMalformed',
      });
    });

    it('returns RequestTimeTooSkewed beyond 15 minutes and accepts within', async () => {
      const late = new Date(NOW.getTime() + 16 * 60_000);
      await expect(authenticator({ now: () => late }).authenticate(sign())).rejects.toMatchObject({
        code: 'RequestTimeTooSkewed',
      });
      const close = new Date(NOW.getTime() - 14 * 60_000);
      await expect(authenticator({ now: () => close }).authenticate(sign())).resolves.toBeDefined();
      await expect(
        authenticator({ now: () => close, maxClockSkewMs: 60_000 }).authenticate(sign()),
      ).rejects.toMatchObject({
        code: 'RequestTimeTooSkewed',
      });
    });

    it('returns AccessDenied when neither X-Amz-Date nor Date is usable', async () => {
      const req = sign();
      req.headers['x-amz-date'] = 'yesterday';
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({ code: 'AccessDenied' });
    });

    it('returns InvalidAccessKeyId for an unknown key and SignatureDoesNotMatch for a wrong secret', async () => {
      const unknown = sign();
      unknown.headers.authorization = String(unknown.headers.authorization).replace(
        ACCESS_KEY,
        'AKIAUNKNOWN',
      );
      await expect(authenticator().authenticate(unknown)).rejects.toMatchObject({
        code: 'InvalidAccessKeyId',
        fields: { AWSAccessKeyId: 'AKIAUNKNOWN' },
      });
      await expect(authenticator().authenticate(sign({ secret: 'other' }))).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    });

    it('reports a wrong signature for a known key to the credential source, and nothing else', async () => {
      const failures: string[] = [];
      const source: CredentialSource = {
        ...credentialSource(),
        recordSignatureFailure: (id: string) => {
          failures.push(id);
          return Promise.resolve();
        },
      };
      await expect(authenticator({}, source).authenticate(sign({ secret: 'other' }))).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
      expect(failures).toEqual([ACCESS_KEY]);
      await authenticator({}, source).authenticate(sign());
      const unknown = sign();
      unknown.headers.authorization = String(unknown.headers.authorization).replace(
        ACCESS_KEY,
        'AKIAUNKNOWN',
      );
      await expect(authenticator({}, source).authenticate(unknown)).rejects.toMatchObject({
        code: 'InvalidAccessKeyId',
      });
      expect(failures).toEqual([ACCESS_KEY]);
    });

    it('returns SignatureDoesNotMatch when the path or query differs from what was signed', async () => {
      const req = sign({ query: [['versionId', 'v1']] });
      await expect(
        authenticator().authenticate({ ...req, rawUrl: req.rawUrl.replace('key.txt', 'key.TXT') }),
      ).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
      await expect(
        authenticator().authenticate({ ...req, rawUrl: req.rawUrl.replace('v1', 'v2') }),
      ).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    });

    it('uses the path as sent, without normalising dot segments or double slashes', async () => {
      const req = sign({ path: '/bucket/a/../b//c' });
      await expect(authenticator().authenticate(req)).resolves.toBeDefined();
    });

    it('accepts keys with reserved characters encoded by the client', async () => {
      const key = 'dir/a b+c&d=e!(f)*~.txt';
      const path = `/bucket/${key.split('/').map(rfc3986).join('/')}`;
      await expect(authenticator().authenticate(sign({ path }))).resolves.toBeDefined();
    });

    it('accepts an encoded slash in a key whether the client signed it encoded or decoded', async () => {
      const path = '/bucket/a%2Fb';
      await expect(authenticator().authenticate(sign({ path }))).resolves.toBeDefined();
      await expect(
        authenticator().authenticate(sign({ path, canonicalPath: '/bucket/a/b' })),
      ).resolves.toBeDefined();
    });

    it('returns InvalidArgument for Authorization schemes it does not implement', async () => {
      for (const authorization of ['Bearer token', 'AWS4-ECDSA-P256-SHA256 Credential=x']) {
        const req = { method: 'GET', rawUrl: '/', headers: { authorization } };
        await expect(authenticator().authenticate(req)).rejects.toMatchObject({ code: 'InvalidArgument' });
      }
    });

    it('returns InvalidArgument when a request carries two auth mechanisms', async () => {
      const req = sign({ query: [['X-Amz-Algorithm', 'AWS4-HMAC-SHA256']] });
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({
        code: 'InvalidArgument',
        message: expect.stringContaining('Only one auth mechanism allowed') as string,
      });
    });

    it('caches signing keys per scope', async () => {
      const credentials = credentialSource();
      const instance = authenticator({}, credentials);
      await instance.authenticate(sign());
      await instance.authenticate(sign());
      expect((instance as unknown as { keys: { size: number } }).keys.size).toBe(1);
    });
  });

  describe('SigV4 presigned query', () => {
    it('accepts a presigned URL and passes X-Amz-Security-Token through', async () => {
      const req = sign({ presign: { expires: 3600, extra: [['X-Amz-Security-Token', 'token+/=']] } });
      await expect(authenticator().authenticate(req)).resolves.toEqual({
        scheme: 'sigv4-query',
        accessKeyId: ACCESS_KEY,
        sessionToken: 'token+/=',
        service: 's3',
        payload: { mode: 'unsigned' },
      });
    });

    it('uses x-amz-content-sha256 as the payload hash when the client sends it', async () => {
      const hash = createHash('sha256').update('body').digest('hex');
      const req = sign({
        method: 'PUT',
        presign: { expires: 60 },
        headers: { 'x-amz-content-sha256': hash },
      });
      await expect(authenticator().authenticate(req)).resolves.toMatchObject({
        payload: { mode: 'sha256', sha256Hex: hash },
      });
    });

    it.each([['0'], ['604801'], ['abc']])(
      'returns AuthorizationQueryParametersError for X-Amz-Expires=%s',
      async (value) => {
        const req = sign({ presign: { expires: 60 } });
        req.rawUrl = req.rawUrl.replace('X-Amz-Expires=60', `X-Amz-Expires=${value}`);
        await expect(authenticator().authenticate(req)).rejects.toMatchObject({
          code: 'AuthorizationQueryParametersError',
        });
      },
    );

    it('accepts the maximum X-Amz-Expires of one week', async () => {
      const later = new Date(NOW.getTime() + 604_799_000);
      await expect(
        authenticator({ now: () => later }).authenticate(sign({ presign: { expires: 604800 } })),
      ).resolves.toBeDefined();
    });

    it('returns AccessDenied "Request has expired" after X-Amz-Expires seconds', async () => {
      const later = new Date(NOW.getTime() + 61_000);
      await expect(
        authenticator({ now: () => later }).authenticate(sign({ presign: { expires: 60 } })),
      ).rejects.toMatchObject({
        code: 'AccessDenied',
        message: 'Request has expired',
      });
    });

    it('returns AccessDenied for a URL dated in the future beyond the clock skew', async () => {
      const earlier = new Date(NOW.getTime() - 20 * 60_000);
      await expect(
        authenticator({ now: () => earlier }).authenticate(sign({ presign: { expires: 3600 } })),
      ).rejects.toMatchObject({
        code: 'AccessDenied',
      });
    });

    it.each([
      ['a missing parameter', (u: string) => u.replace(/&X-Amz-SignedHeaders=host/, '')],
      [
        'another algorithm',
        (u: string) => u.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1'),
      ],
      ['a wrong region', (u: string) => u.replace('%2Fus-east-1%2F', '%2Fus-west-2%2F')],
      ['a malformed X-Amz-Date', (u: string) => u.replace(`X-Amz-Date=${AMZ_DATE}`, 'X-Amz-Date=2024-03-01')],
    ])('returns AuthorizationQueryParametersError for %s', async (_name, mutate) => {
      const req = sign({ presign: { expires: 60 } });
      req.rawUrl = mutate(req.rawUrl);
      await expect(authenticator().authenticate(req)).rejects.toMatchObject({
        code: 'AuthorizationQueryParametersError',
      });
    });

    it('returns SignatureDoesNotMatch when another query parameter is added', async () => {
      const req = sign({ presign: { expires: 60 } });
      await expect(
        authenticator().authenticate({ ...req, rawUrl: `${req.rawUrl}&acl` }),
      ).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    });
  });

  describe('X-Access-Key / X-Secret-Key', () => {
    const req = (accessKey: string | undefined, secret: string | undefined): IncomingSignedRequest => ({
      method: 'GET',
      rawUrl: '/',
      headers: { 'x-access-key': accessKey, 'x-secret-key': secret },
    });

    it('accepts the right secret', async () => {
      await expect(authenticator().authenticate(req(ACCESS_KEY, SECRET))).resolves.toEqual({
        scheme: 'access-key-headers',
        accessKeyId: ACCESS_KEY,
        payload: { mode: 'unsigned' },
      });
    });

    it('rejects a wrong secret, an unknown key and a lone header', async () => {
      await expect(authenticator().authenticate(req(ACCESS_KEY, `${SECRET}x`))).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
      await expect(authenticator().authenticate(req('AKIAUNKNOWN', SECRET))).rejects.toMatchObject({
        code: 'InvalidAccessKeyId',
      });
      await expect(authenticator().authenticate(req(ACCESS_KEY, undefined))).rejects.toMatchObject({
        code: 'AccessDenied',
      });
    });
  });
});
