import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminCall, adminCallSigV4, createUser, type Creds } from '../../support/iam-api';
import { AWS_CLI } from '../../support/clients/aws-cli';
import { describeResult, runClient } from '../../support/clients/run-client';
import { bucketName, s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const ROLE_ARN = 'arn:aws:iam::000000000000:role/anything';

describe('STS AssumeRole', () => {
  let server: RunningServer;
  let user: Creds & { userId: string; name: string };

  const sts = (creds: Creds) =>
    new STSClient({ endpoint: server.apiUrl, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const assume = async (creds: Creds, extra: { DurationSeconds?: number; Policy?: string } = {}) => {
    const out = await sts(creds).send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'e2e-session', ...extra }),
    );
    const c = out.Credentials!;
    return {
      creds: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      },
      expiration: c.Expiration!,
      out,
    };
  };

  beforeAll(async () => {
    server = await startServer({ env: { IAM_REFRESH_INTERVAL_SECONDS: '1' } });
    user = await createUser(server, {
      name: 'sts-user',
      policies: [{ bucket: '*', actions: ['*', 'iam:*'] }],
    });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('issues temporary credentials with @aws-sdk/client-sts that work with @aws-sdk/client-s3', async () => {
    const before = Date.now();
    const { creds, expiration, out } = await assume(user, { DurationSeconds: 900 });
    expect(creds.accessKeyId).toMatch(/^[A-Z0-9]{20}$/);
    expect(creds.accessKeyId).not.toBe(user.accessKeyId);
    expect(expiration.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(expiration.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/sts-user/e2e-session');
    const s3 = s3Client(server, creds);
    const bucket = bucketName('sts');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'from temporary credentials' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k.txt' }));
    expect(await got.Body!.transformToString()).toBe('from temporary credentials');
    // A presigned URL carries the token in X-Amz-Security-Token.
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k.txt' }), {
      expiresIn: 300,
    });
    expect(url).toContain('X-Amz-Security-Token=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('from temporary credentials');
    // The token is signed: changing it breaks the signature, as on S3.
    const tampered = await fetch(
      url.replace(/X-Amz-Security-Token=[^&]+/, 'X-Amz-Security-Token=MFST1.forged'),
    );
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a temporary key with a wrong or missing session token', async () => {
    const { creds } = await assume(user);
    await expect(
      s3Client(server, { ...creds, sessionToken: `${creds.sessionToken}x` }).send(new ListBucketsCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
    const { sessionToken: _omit, ...withoutToken } = creds;
    await expect(s3Client(server, withoutToken).send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    // Another key's token does not fit either.
    const other = await assume(user);
    await expect(
      s3Client(server, { ...creds, sessionToken: other.creds.sessionToken }).send(new ListBucketsCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('answers ValidationError for DurationSeconds outside 900..604800, in STS XML', async () => {
    for (const DurationSeconds of [899, 604_801]) {
      await expect(assume(user, { DurationSeconds })).rejects.toMatchObject({
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(assume(user, { DurationSeconds: 604_800 })).resolves.toBeDefined();
  });

  it('narrows the session to the intersection with Policy (checked on the admin API)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListUsers', 's3:ListAllMyBuckets'], Resource: '*' }],
    });
    const { creds } = await assume(user, { Policy: policy });
    expect((await adminCallSigV4(server, 'GET', '/admin/iam/users', creds)).status).toBe(200);
    const denied = await adminCallSigV4(server, 'POST', '/admin/iam/users', creds, { name: 'nope' });
    expect(denied).toMatchObject({ status: 403, body: { code: 'AccessDenied' } });
    // Without a policy the session has all of the user's permissions.
    const full = await assume(user);
    expect(
      (await adminCallSigV4(server, 'POST', '/admin/iam/users', full.creds, { name: 'by-sts' })).status,
    ).toBe(201);
    await expect(assume(user, { Policy: '{"Statement": 1}' })).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
    });
  });

  it('refuses the root user and temporary credentials', async () => {
    await expect(
      assume({ accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const { creds } = await assume(user);
    await expect(assume(creds)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('stops temporary credentials when their user is disabled', async () => {
    const other = await createUser(server, {
      name: 'sts-disabled',
      policies: [{ bucket: '*', actions: ['list'] }],
    });
    const { creds } = await assume(other);
    await expect(s3Client(server, creds).send(new ListBucketsCommand({}))).resolves.toBeDefined();
    await adminCall(server, 'POST', `/admin/iam/users/${other.userId}/disable`);
    await expect(s3Client(server, creds).send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('answers ExpiredToken once the credentials have expired', async () => {
    const { creds } = await assume(user);
    await expect(s3Client(server, creds).send(new ListBucketsCommand({}))).resolves.toBeDefined();
    // Move the expiry into the past behind the server's back (the shortest duration is 15
    // minutes) and bump the IAM version, as another gateway's change would.
    const script = [
      'import sqlite3, sys',
      'db = sqlite3.connect(sys.argv[1], timeout=10)',
      'db.execute("UPDATE iam_access_keys SET expires_at = ? WHERE access_key_id = ?", (int(sys.argv[2]), sys.argv[3]))',
      'db.execute("UPDATE system_state SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = \'iam_version\'")',
      'db.commit()',
    ].join('\n');
    const dbPath = join(server.storageRoot, '.myfsio.sys', 'meta.db');
    execFileSync('/usr/bin/python3', ['-c', script, dbPath, String(Date.now() - 1000), creds.accessKeyId]);
    // The version poll (IAM_REFRESH_INTERVAL_SECONDS=1) drops the cached credential.
    await new Promise((r) => setTimeout(r, 2500));
    await expect(s3Client(server, creds).send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('works with `aws sts assume-role`, and the CLI can use the credentials', async () => {
    const dir = mkdtempSync(join(server.dir, 'awscli-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
    const base = {
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
    };
    const result = await runClient(
      AWS_CLI,
      [
        'sts',
        'assume-role',
        '--role-arn',
        ROLE_ARN,
        '--role-session-name',
        'cli',
        '--duration-seconds',
        '900',
        '--endpoint-url',
        server.apiUrl,
      ],
      { env: { ...base, AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey } },
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    };
    expect(Date.parse(out.Credentials.Expiration)).toBeGreaterThan(Date.now() + 800_000);
    const ls = await runClient(AWS_CLI, ['s3api', 'list-buckets', '--endpoint-url', server.apiUrl], {
      env: {
        ...base,
        AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
        AWS_SESSION_TOKEN: out.Credentials.SessionToken,
      },
    });
    expect(ls.code).toBe(0);
    const bad = await runClient(
      AWS_CLI,
      [
        'sts',
        'assume-role',
        '--role-arn',
        ROLE_ARN,
        '--role-session-name',
        'cli',
        '--duration-seconds',
        '604801',
        '--endpoint-url',
        server.apiUrl,
      ],
      { env: { ...base, AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey } },
    );
    expect(bad.code).not.toBe(0);
    expect(describeResult(bad)).toContain('ValidationError');
    expect(server.output()).not.toContain(out.Credentials.SecretAccessKey);
  });
});
