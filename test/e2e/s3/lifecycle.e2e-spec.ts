import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bucketName, s3Client } from '../../support/s3-client';
import {
  ADMIN_ACCESS_KEY,
  ADMIN_SECRET_KEY,
  cleanup,
  startServer,
  type RunningServer,
} from '../../support/server';
import { eventually } from '../../support/eventually';

/** The hash constructor @smithy/signature-v4 expects, over node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** A lifecycle "day" of one second, checked every second: rules with Days 1 act within seconds. */
const FAST_LIFECYCLE = {
  LIFECYCLE_ENABLED: 'true',
  LIFECYCLE_INTERVAL_SECONDS: '1',
  LIFECYCLE_DAY_SECONDS: '1',
};

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('bucket lifecycle', () => {
  let server: RunningServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startServer({ env: FAST_LIFECYCLE });
    s3 = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  const newBucket = async (prefix: string) => {
    const bucket = bucketName(prefix);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  };
  const putRules = (Bucket: string, Rules: LifecycleRule[]) =>
    s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
  const keys = async (Bucket: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((c) => c.Key);

  /** A PutBucketLifecycleConfiguration signed by hand, so the body and headers are exactly these. */
  async function rawPut(bucket: string, xml: string, headers: Record<string, string> = {}) {
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      sha256: Sha256 as never,
    });
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.apiPort,
      path: `/${bucket}`,
      query: { lifecycle: '' },
      headers: {
        host: `127.0.0.1:${server.apiPort}`,
        'x-amz-content-sha256': createHash('sha256').update(xml).digest('hex'),
        'content-length': String(Buffer.byteLength(xml)),
        ...headers,
      },
      body: xml,
    });
    const res = await fetch(`${server.apiUrl}/${bucket}?lifecycle`, {
      method: 'PUT',
      headers: signed.headers,
      body: xml,
    });
    const text = await res.text();
    const unescape = (v: string | undefined) =>
      v
        ?.replace(/&apos;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
    return {
      status: res.status,
      code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
      message: unescape(/<Message>([^<]*)<\/Message>/.exec(text)?.[1]),
    };
  }
  const md5 = (xml: string) => ({ 'content-md5': createHash('md5').update(xml).digest('base64') });

  describe('PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle', () => {
    it('stores the rules, returns them, and deletes them with 204', async () => {
      const bucket = await newBucket('lc-crud');
      const rules: LifecycleRule[] = [
        { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
        {
          ID: 'tagged',
          Status: 'Disabled',
          Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'k', Value: 'v' }], ObjectSizeGreaterThan: 1 } },
          NoncurrentVersionExpiration: { NoncurrentDays: 5, NewerNoncurrentVersions: 2 },
        },
        { ID: 'date', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2100-01-01T00:00:00Z') } },
        {
          ID: 'mpu',
          Status: 'Enabled',
          Prefix: 'up/',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ];
      expect((await putRules(bucket, rules)).$metadata.httpStatusCode).toBe(200);
      const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
      expect(got.Rules).toEqual(rules);
      const del = await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      const after = await errorOf(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })));
      expect(after).toMatchObject({ name: 'NoSuchLifecycleConfiguration', status: 404 });
      // Deleting again is not an error.
      expect(
        (await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }))).$metadata.httpStatusCode,
      ).toBe(204);
    });

    it('returns NoSuchLifecycleConfiguration for a bucket without one and NoSuchBucket for no bucket', async () => {
      const bucket = await newBucket('lc-none');
      expect(
        await errorOf(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))),
      ).toMatchObject({
        name: 'NoSuchLifecycleConfiguration',
        status: 404,
      });
      expect(
        await errorOf(
          putRules('lc-missing-bucket-x', [
            { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } },
          ]),
        ),
      ).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    });

    it('rejects bad configurations with S3 errors and keeps the stored one', async () => {
      const bucket = await newBucket('lc-bad');
      const keep: LifecycleRule[] = [
        { ID: 'keep', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 99 } },
      ];
      await putRules(bucket, keep);
      const rule = (inner: string, id = 'r') => `<Rule><ID>${id}</ID><Status>Enabled</Status>${inner}</Rule>`;
      const doc = (rules: string) => `<LifecycleConfiguration>${rules}</LifecycleConfiguration>`;
      const good = doc(rule('<Filter/><Expiration><Days>1</Days></Expiration>'));
      const days0 = doc(rule('<Filter/><Expiration><Days>0</Days></Expiration>'));
      const wrongMd5 = { 'content-md5': createHash('md5').update('other').digest('base64') };
      const cases: [string, Record<string, string> | 'md5', string][] = [
        [good, {}, 'InvalidRequest'],
        [good, wrongMd5, 'BadDigest'],
        [days0, 'md5', 'InvalidArgument'],
        [
          doc(rule('<Filter/><Expiration><Date>2100-01-01T12:00:00Z</Date></Expiration>')),
          'md5',
          'InvalidArgument',
        ],
        [
          doc(
            rule('<Filter/><Expiration><Days>1</Days></Expiration>', 'x') +
              rule('<Filter/><Expiration><Days>2</Days></Expiration>', 'x'),
          ),
          'md5',
          'InvalidArgument',
        ],
        [
          doc(rule('<Filter/><Expiration><Days>1</Days></Expiration>', 'i'.repeat(256))),
          'md5',
          'InvalidArgument',
        ],
        [doc(rule('<Filter/>')), 'md5', 'InvalidRequest'],
        [
          doc(rule('<Filter/><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>')),
          'md5',
          'InvalidRequest',
        ],
        ['<LifecycleConfiguration><Rule>', 'md5', 'MalformedXML'],
        [doc(rule('<Filter/><Expiration><Days>soon</Days></Expiration>')), 'md5', 'MalformedXML'],
      ];
      for (const [xml, integrity, code] of cases) {
        const res = await rawPut(bucket, xml, integrity === 'md5' ? md5(xml) : integrity);
        expect({ xml, status: res.status, code: res.code }).toEqual({ xml, status: 400, code });
      }
      expect((await rawPut(bucket, days0, md5(days0))).message).toBe(
        "'Days' for Expiration action must be a positive integer",
      );
      expect((await rawPut(bucket, good, {})).message).toBe(
        'Missing required header for this request: Content-MD5',
      );
      expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules).toEqual(
        keep,
      );
      // A well-formed body with Content-MD5 is accepted by the same path.
      expect((await rawPut(bucket, good, md5(good))).status).toBe(200);
    });
  });

  describe('enforcement', () => {
    it('expires objects under the prefix (listing, GET, plain file) and keeps the others', async () => {
      const bucket = await newBucket('lc-exp');
      for (const key of ['tmp/a', 'tmp/b/c', 'keep/a', 'tmpx']) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
      }
      await putRules(bucket, [
        { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
      ]);
      await eventually(async () => (await keys(bucket)).every((k) => !k?.startsWith('tmp/')));
      expect(await keys(bucket)).toEqual(['keep/a', 'tmpx']);
      expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tmp/a' })))).toMatchObject({
        name: 'NoSuchKey',
        status: 404,
      });
      expect(existsSync(join(server.storageRoot, bucket, 'tmp/a'))).toBe(false);
      expect(existsSync(join(server.storageRoot, bucket, 'tmp/b/c'))).toBe(false);
      expect(existsSync(join(server.storageRoot, bucket, 'keep/a'))).toBe(true);
      const kept = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'keep/a' }));
      expect(await kept.Body?.transformToString()).toBe('body of keep/a');
    });

    it('expires by tag and size only what matches', async () => {
      const bucket = await newBucket('lc-tag');
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'big-tagged',
          Body: 'x'.repeat(100),
          Tagging: 'class=scratch',
        }),
      );
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'small-tagged', Body: 'x', Tagging: 'class=scratch' }),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big-untagged', Body: 'x'.repeat(100) }));
      await putRules(bucket, [
        {
          ID: 'scratch',
          Status: 'Enabled',
          Filter: { And: { Tags: [{ Key: 'class', Value: 'scratch' }], ObjectSizeGreaterThan: 10 } },
          Expiration: { Days: 1 },
        },
      ]);
      await eventually(async () => !(await keys(bucket)).includes('big-tagged'));
      expect(await keys(bucket)).toEqual(['big-untagged', 'small-tagged']);
    });

    it('leaves objects alone under a Disabled rule', async () => {
      const bucket = await newBucket('lc-off');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'a' }));
      await putRules(bucket, [{ ID: 'off', Status: 'Disabled', Filter: {}, Expiration: { Days: 1 } }]);
      await new Promise((r) => setTimeout(r, 4000));
      expect(await keys(bucket)).toEqual(['a']);
    });

    it('aborts incomplete multipart uploads and removes their parts', async () => {
      const bucket = await newBucket('lc-mpu');
      const stale = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'up/big' }));
      await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'up/big',
          UploadId: stale.UploadId,
          PartNumber: 1,
          Body: 'part',
        }),
      );
      const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'elsewhere' }));
      const partsDir = join(server.storageRoot, '.myfsio.sys', 'multipart', stale.UploadId ?? '');
      expect(existsSync(partsDir)).toBe(true);
      await putRules(bucket, [
        {
          ID: 'mpu',
          Status: 'Enabled',
          Filter: { Prefix: 'up/' },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ]);
      const uploads = async () =>
        ((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).map(
          (u) => u.UploadId,
        );
      // The row goes first (it decides the race with a client's completion), the part files
      // right after it: wait for both.
      await eventually(async () => !(await uploads()).includes(stale.UploadId) && !existsSync(partsDir));
      expect(await uploads()).toEqual([other.UploadId]);
    });
  });

  describe('x-amz-expiration', () => {
    it('is sent on PUT, GET and HEAD of objects an Expiration rule covers, and not on others', async () => {
      const bucket = await newBucket('lc-hdr');
      await putRules(bucket, [
        {
          ID: 'far-date',
          Status: 'Enabled',
          Filter: { Prefix: 'd/' },
          Expiration: { Date: new Date('2100-01-01T00:00:00Z') },
        },
        // 100000 one-second days: the expiry is last-modified + 100000 s, rounded up to a whole second.
        { ID: 'many-days', Status: 'Enabled', Filter: { Prefix: 'n/' }, Expiration: { Days: 100_000 } },
      ]);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'd/x', Body: 'x' }));
      expect(put.Expiration).toBe('expiry-date="Fri, 01 Jan 2100 00:00:00 GMT", rule-id="far-date"');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'd/x' }));
      expect(head.Expiration).toBe('expiry-date="Fri, 01 Jan 2100 00:00:00 GMT", rule-id="far-date"');
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'd/x' }));
      await get.Body?.transformToString();
      expect(get.Expiration).toBe(head.Expiration);

      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'n/y', Body: 'y' }));
      const n = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'n/y' }));
      // Last-Modified has whole seconds while the stored time has milliseconds: the expiry is the
      // stored time + 100000 s rounded up to a second, so 100000 or 100001 s after the header's.
      const match = /^expiry-date="([^"]+)", rule-id="many-days"$/.exec(n.Expiration ?? '');
      const delta = new Date(match?.[1] ?? 0).getTime() - (n.LastModified?.getTime() ?? 0);
      expect([100_000_000, 100_001_000]).toContain(delta);

      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'other', Body: 'z' }));
      expect(
        (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'other' }))).Expiration,
      ).toBeUndefined();
    });
  });
});

describe('POST /admin/lifecycle/run', () => {
  let server: RunningServer;
  let s3: S3Client;
  beforeAll(async () => {
    // Enforcement off: only the admin endpoint runs it.
    server = await startServer({ env: { LIFECYCLE_DAY_SECONDS: '1' } });
    s3 = s3Client(server);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  const run = (headers: Record<string, string>) =>
    fetch(`${server.adminUrl}/admin/lifecycle/run`, { method: 'POST', headers });

  it('runs enforcement on demand for the root user and refuses anonymous callers', async () => {
    const bucket = bucketName('lc-admin');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'old/a', Body: 'a' }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'old', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Days: 1 } }],
        },
      }),
    );
    // Past the object's expiry (at most two one-second days), nothing has run on its own.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(1);
    expect((await run({})).status).toBe(403);
    const res = await run({ 'X-Access-Key': ADMIN_ACCESS_KEY, 'X-Secret-Key': ADMIN_SECRET_KEY });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ buckets: 1, objectsExpired: 1, uploadsAborted: 0, errors: 0 });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });
});

describe('lifecycle and kill -9', () => {
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.kill();
    cleanup(server);
  });

  it('leaves each object kept or gone after a crash mid-run, and the next run finishes', async () => {
    // 1. Objects and the rule, with enforcement off.
    server = await startServer();
    const { dir, apiPort, adminPort } = server;
    let s3 = s3Client(server);
    const bucket = bucketName('lc-crash');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = Array.from({ length: 400 }, (_, i) => `c/${String(i).padStart(3, '0')}`);
    for (let i = 0; i < keys.length; i += 20) {
      await Promise.all(
        keys
          .slice(i, i + 20)
          .map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `v:${Key}` }))),
      );
    }
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'c', Status: 'Enabled', Filter: { Prefix: 'c/' }, Expiration: { Days: 1 } }],
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 2500));
    s3.destroy();
    await server.stop();
    // 2. Restart with enforcement on and kill -9 once deletions have begun.
    const restart = (env: Record<string, string>) =>
      startServer({ dir, ports: { api: apiPort, admin: adminPort }, env });
    server = await restart(FAST_LIFECYCLE);
    s3 = s3Client(server);
    const count = async () =>
      (await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }))).KeyCount ?? 0;
    await eventually(async () => (await count()) < keys.length, 20_000);
    await server.kill();
    s3.destroy();
    // 3. Enforcement off again: every key is listed and readable whole, or absent and 404.
    server = await restart({ LIFECYCLE_DAY_SECONDS: '1' });
    s3 = s3Client(server);
    const listed = new Set(
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }))).Contents ?? []).map(
        (c) => c.Key,
      ),
    );
    expect(listed.size).toBeLessThan(keys.length);
    for (const key of listed) {
      expect(existsSync(join(server.storageRoot, bucket, key ?? ''))).toBe(true);
    }
    // DeleteObject commits the row, then removes the file: a kill between the two leaves the file
    // of the one object in flight for the integrity scanner (deletions run one at a time).
    const orphans = keys.filter(
      (k) => !listed.has(k) && existsSync(join(server?.storageRoot ?? '', bucket, k)),
    );
    expect(orphans.length).toBeLessThanOrEqual(1);
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key })).then(
        async (r) => r.Body?.transformToString(),
        (err: { name: string }) => err.name,
      );
      expect({ Key, got }).toEqual({ Key, got: listed.has(Key) ? `v:${Key}` : 'NoSuchKey' });
    }
    s3.destroy();
    await server.stop();
    // 4. The next run finishes the work.
    server = await restart(FAST_LIFECYCLE);
    s3 = s3Client(server);
    await eventually(async () => (await count()) === 0, 30_000);
    s3.destroy();
    // SIGTERM with the lifecycle interval registered: the process exits cleanly.
    expect(await server.stop()).toBe(0);
  });
});
