import { createHash } from 'node:crypto';
import { RequestAuthenticator } from '../request-authenticator';
import type { CredentialSource, IncomingSignedRequest } from '../types';

// Cases of AWS's "Signature Version 4 Test Suite" (aws-sig-v4-test-suite): service "service" in
// us-east-1, 30 August 2015. The suite signs the SHA-256 of the body; S3 clients send it as
// x-amz-content-sha256, so each request carries that header (unsigned) with the body's digest.
const credentials: CredentialSource = {
  findSecret: (id) =>
    Promise.resolve(id === 'AKIDEXAMPLE' ? 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' : null),
};

interface SuiteCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly query?: readonly [string, string][];
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
const UNRESERVED = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CASES: readonly SuiteCase[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    path: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'get-vanilla-empty-query-key',
    method: 'GET',
    path: '/',
    query: [['Param1', 'value1']],
    signedHeaders: 'host;x-amz-date',
    signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    path: '/',
    query: [
      ['Param2', 'value2'],
      ['Param1', 'value1'],
    ],
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    path: '/',
    query: [[UNRESERVED, UNRESERVED]],
    signedHeaders: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    path: '/',
    query: [['ሴ', 'bar']],
    signedHeaders: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    path: `/${UNRESERVED}`,
    signedHeaders: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'get-utf8',
    method: 'GET',
    path: '/ሴ',
    signedHeaders: 'host;x-amz-date',
    signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85',
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': ' value1', 'my-header2': '"a   b   c"' },
    signedHeaders: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'get-header-value-order',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': 'value4,value1,value3,value2' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    path: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    path: '/',
    query: [['Param1', 'value1']],
    signedHeaders: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-vanilla-query-nonunreserved',
    method: 'POST',
    path: '/',
    query: [
      ['@#$%^', ''],
      ['+', '/,?><`";:\\|][{}'],
    ],
    signedHeaders: 'host;x-amz-date',
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-vanilla-query-space',
    method: 'POST',
    path: '/',
    query: [['p', '']],
    signedHeaders: 'host;x-amz-date',
    signature: 'e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    path: '/',
    headers: { 'my-header1': 'value1' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'post-header-value-case',
    method: 'POST',
    path: '/',
    headers: { 'my-header1': 'VALUE1' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d',
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    path: '/',
    headers: { 'x-amz-security-token': TOKEN },
    signedHeaders: 'host;x-amz-date;x-amz-security-token',
    signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8' },
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
  },
];

/** Percent-encodes every byte that is not unreserved, as a client puts it on the wire. */
function wireEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function toRequest(c: SuiteCase): IncomingSignedRequest {
  const query = (c.query ?? []).map(([name, value]) => `${wireEncode(name)}=${wireEncode(value)}`).join('&');
  const path = c.path.split('/').map(wireEncode).join('/');
  return {
    method: c.method,
    rawUrl: query === '' ? path : `${path}?${query}`,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      'x-amz-content-sha256': createHash('sha256')
        .update(c.body ?? '')
        .digest('hex'),
      ...c.headers,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${c.signedHeaders}, Signature=${c.signature}`,
    },
  };
}

describe('SigV4 test suite', () => {
  const authenticator = new RequestAuthenticator(
    { region: 'us-east-1', service: 'service', now: () => new Date('2015-08-30T12:36:00Z') },
    credentials,
  );

  it.each(CASES.map((c) => [c.name, c] as const))('accepts %s', async (_name, c) => {
    await expect(authenticator.authenticate(toRequest(c))).resolves.toMatchObject({
      scheme: 'sigv4-header',
      accessKeyId: 'AKIDEXAMPLE',
    });
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    'rejects %s with one signature digit changed',
    async (_name, c) => {
      const flipped = `${c.signature.slice(0, -1)}${c.signature.endsWith('0') ? '1' : '0'}`;
      await expect(authenticator.authenticate(toRequest({ ...c, signature: flipped }))).rejects.toMatchObject(
        {
          code: 'SignatureDoesNotMatch',
        },
      );
    },
  );

  it('accepts get-utf8 when the request target holds the raw UTF-8 character', async () => {
    const req = toRequest(CASES.find((c) => c.name === 'get-utf8')!);
    await expect(authenticator.authenticate({ ...req, rawUrl: '/ሴ' })).resolves.toBeDefined();
    // Node reads the request line as latin1: one char per byte.
    const latin1 = Buffer.from('/ሴ', 'utf8').toString('latin1');
    await expect(authenticator.authenticate({ ...req, rawUrl: latin1 })).resolves.toBeDefined();
  });

  it('passes the session token of post-sts-header-before through', async () => {
    const auth = await authenticator.authenticate(
      toRequest(CASES.find((c) => c.name === 'post-sts-header-before')!),
    );
    expect(auth.sessionToken).toBe(TOKEN);
  });

  it('accepts get-header-key-duplicate when rawHeaders carry the repeated header', async () => {
    const req = toRequest({
      name: 'get-header-key-duplicate',
      method: 'GET',
      path: '/',
      headers: { 'my-header1': 'value2, value2, value1' },
      signedHeaders: 'host;my-header1;x-amz-date',
      signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
    });
    const rawHeaders = [
      'Host',
      'example.amazonaws.com',
      'My-Header1',
      'value2',
      'My-Header1',
      'value2',
      'My-Header1',
      'value1',
      'X-Amz-Date',
      '20150830T123600Z',
    ];
    await expect(authenticator.authenticate(req)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(authenticator.authenticate({ ...req, rawHeaders })).resolves.toBeDefined();
  });

  it('uses the body hash the caller computed when x-amz-content-sha256 is absent (STS form posts)', async () => {
    const c = CASES.find((x) => x.name === 'post-x-www-form-urlencoded')!;
    const req = toRequest(c);
    const { 'x-amz-content-sha256': bodySha256Hex, ...headers } = req.headers;
    const auth = await authenticator.authenticate({
      ...req,
      headers,
      bodySha256Hex: bodySha256Hex as string,
    });
    expect(auth.payload).toEqual({ mode: 'sha256', sha256Hex: bodySha256Hex });
    await expect(authenticator.authenticate({ ...req, headers })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });
});
