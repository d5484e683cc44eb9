import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { adminCall, adminCallSigV4, createUser, type Creds } from '../../support/iam-api';
import { s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const IAM_READER = [{ bucket: '*', actions: ['iam:list_users', 'iam:get_user'] }];

// A user may list its buckets only when a policy says so (s3:ListAllMyBuckets, simple `list`).
const LISTER = { policies: [{ bucket: '*', actions: ['list'] }] };

describe('admin IAM API: users and access keys', () => {
  let server: RunningServer;
  const issuedSecrets: string[] = [];
  const track = <T extends Creds>(c: T): T => {
    issuedSecrets.push(c.secretAccessKey);
    return c;
  };
  const listBuckets = (creds: Creds) => s3Client(server, creds).send(new ListBucketsCommand({}));

  beforeAll(async () => {
    server = await startServer({ env: { LOG_LEVEL: 'DEBUG' } });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  it('creates a user whose simple policy grants exactly the admin routes it names', async () => {
    const user = track(
      await createUser(server, { display_name: 'Reader', policies: [...IAM_READER, ...LISTER.policies] }),
    );
    const list = await adminCall(server, 'GET', '/iam/users', user);
    expect(list.status).toBe(200);
    expect((list.body.users as { name: string }[]).map((u) => u.name)).toEqual(
      expect.arrayContaining(['admin', user.name]),
    );
    expect((await adminCall(server, 'GET', `/admin/iam/users/${user.accessKeyId}`, user)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/iam/users', {}],
      ['DELETE', `/iam/users/${user.accessKeyId}`, undefined],
      ['POST', `/iam/users/${user.accessKeyId}/rotate`, undefined],
      ['GET', `/admin/iam/users/${user.accessKeyId}/policies`, undefined],
      ['POST', `/admin/iam/users/${user.accessKeyId}/keys`, undefined],
      ['POST', `/admin/iam/users/${user.accessKeyId}/disable`, undefined],
    ] as const) {
      const res = await adminCall(server, method, path, user, body);
      expect({ method, path, status: res.status, code: res.body?.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'AccessDenied',
      });
    }
  });

  it('authenticates the admin API with SigV4 as well', async () => {
    const user = track(await createUser(server, { policies: [...IAM_READER, ...LISTER.policies] }));
    const ok = await adminCallSigV4(server, 'GET', '/admin/iam/users', user);
    expect(ok.status).toBe(200);
    const denied = await adminCallSigV4(server, 'POST', '/admin/iam/users', user, {});
    expect(denied).toMatchObject({ status: 403, body: { code: 'AccessDenied' } });
    const wrong = await adminCallSigV4(server, 'GET', '/admin/iam/users', {
      ...user,
      secretAccessKey: 'nope',
    });
    expect(wrong).toMatchObject({ status: 403, body: { code: 'SignatureDoesNotMatch' } });
  });

  it('answers 400 naming the field for a bad body and MalformedPolicyDocument for a bad policy', async () => {
    const bad = await adminCall(server, 'POST', '/iam/users', undefined, { expires_at: 'soon', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('ValidationError');
    expect(bad.body.message).toContain('expires_at must be a valid ISO 8601 date string');
    expect(bad.body.message).toContain('property extra should not exist');
    const policy = await adminCall(server, 'POST', '/iam/users', undefined, {
      policies: [{ bucket: '*', actions: ['teleport'] }],
    });
    expect(policy).toMatchObject({ status: 400, body: { code: 'MalformedPolicyDocument' } });
    expect(policy.body.message).toContain('teleport');
  });

  it('replaces policies and shows them', async () => {
    const user = track(await createUser(server, LISTER));
    expect((await adminCall(server, 'GET', '/iam/users', user)).status).toBe(403);
    const put = await adminCall(server, 'PUT', `/iam/users/${user.accessKeyId}/policies`, undefined, [
      { bucket: '*', actions: ['iam:list_users'] },
    ]);
    expect(put.status).toBe(200);
    // The change applies at once: no restart, no wait.
    expect((await adminCall(server, 'GET', '/iam/users', user)).status).toBe(200);
    const shown = await adminCall(server, 'GET', `/admin/iam/users/${user.userId}/policies`);
    expect(shown.body.policies).toEqual([{ bucket: '*', actions: ['iam:list_users'] }]);
  });

  it('rotates a secret: the old one stops working, the new one works', async () => {
    const user = track(await createUser(server, { policies: [...IAM_READER, ...LISTER.policies] }));
    const rotated = await adminCall(server, 'POST', `/iam/users/${user.accessKeyId}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.access_key).toBe(user.accessKeyId);
    const fresh = track({
      accessKeyId: user.accessKeyId,
      secretAccessKey: rotated.body.secret_key as string,
    });
    expect(fresh.secretAccessKey).not.toBe(user.secretAccessKey);
    await expect(listBuckets(user)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect((await adminCall(server, 'GET', '/iam/users', user)).body.code).toBe('SignatureDoesNotMatch');
    await expect(listBuckets(fresh)).resolves.toBeDefined();
    expect((await adminCall(server, 'GET', '/iam/users', fresh)).status).toBe(200);
  });

  it('disables and re-enables a user', async () => {
    const user = track(await createUser(server, LISTER));
    expect(
      (await adminCall(server, 'POST', `/admin/iam/users/${user.accessKeyId}/disable`)).body.enabled,
    ).toBe(false);
    await expect(listBuckets(user)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await adminCall(server, 'POST', `/admin/iam/users/${user.userId}/enable`)).body.enabled).toBe(
      true,
    );
    await expect(listBuckets(user)).resolves.toBeDefined();
  });

  it('rejects expired credentials and accepts them again once the expiry is cleared (form body)', async () => {
    const user = track(await createUser(server, LISTER));
    const set = await adminCall(
      server,
      'POST',
      `/iam/users/${user.accessKeyId}/expiry`,
      undefined,
      'expires_at=2020-01-01T00:00:00Z',
      'application/x-www-form-urlencoded',
    );
    expect(set).toMatchObject({ status: 200, body: { expires_at: '2020-01-01T00:00:00.000Z' } });
    const err = await listBuckets(user).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', message: 'The credentials have expired.' });
    const cleared = await adminCall(
      server,
      'POST',
      `/iam/users/${user.accessKeyId}/expiry`,
      undefined,
      'expires_at=',
      'application/x-www-form-urlencoded',
    );
    expect(cleared.body.expires_at).toBeNull();
    await expect(listBuckets(user)).resolves.toBeDefined();
    const future = await adminCall(server, 'POST', `/iam/users/${user.accessKeyId}/expiry`, undefined, {
      expires_at: '2999-01-01T00:00:00Z',
    });
    expect(future.body.expires_at).toBe('2999-01-01T00:00:00.000Z');
    await expect(listBuckets(user)).resolves.toBeDefined();
  });

  it('creates and deletes extra access keys', async () => {
    const user = track(await createUser(server, LISTER));
    const key = await adminCall(server, 'POST', `/admin/iam/users/${user.userId}/keys`);
    expect(key.status).toBe(201);
    const second = track({
      accessKeyId: key.body.access_key as string,
      secretAccessKey: key.body.secret_key as string,
    });
    await expect(listBuckets(second)).resolves.toBeDefined();
    const shown = await adminCall(server, 'GET', `/admin/iam/users/${second.accessKeyId}`);
    expect((shown.body.access_keys as { access_key: string }[]).map((k) => k.access_key).sort()).toEqual(
      [user.accessKeyId, second.accessKeyId].sort(),
    );
    const other = track(await createUser(server, LISTER));
    expect(
      (await adminCall(server, 'DELETE', `/admin/iam/users/${other.userId}/keys/${second.accessKeyId}`)).body
        .code,
    ).toBe('NoSuchEntity');
    expect(
      (await adminCall(server, 'DELETE', `/admin/iam/users/${user.userId}/keys/${second.accessKeyId}`))
        .status,
    ).toBe(204);
    await expect(listBuckets(second)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    await expect(listBuckets(user)).resolves.toBeDefined();
  });

  it('deletes a user; the root user cannot be deleted', async () => {
    const user = track(await createUser(server, LISTER));
    expect((await adminCall(server, 'DELETE', `/iam/users/${user.accessKeyId}`)).status).toBe(204);
    await expect(listBuckets(user)).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    expect((await adminCall(server, 'GET', `/admin/iam/users/${user.userId}`)).body.code).toBe(
      'NoSuchEntity',
    );
    const root = await adminCall(server, 'DELETE', `/iam/users/${server.accessKeyId}`);
    expect(root).toMatchObject({ status: 409, body: { code: 'DeleteConflict' } });
  });

  it('never shows a secret in a listing or in the server log', async () => {
    const listing = JSON.stringify((await adminCall(server, 'GET', '/admin/iam/users')).body);
    expect(issuedSecrets.length).toBeGreaterThan(5);
    // (The bootstrap admin's secret is printed once at first start, as the spec says; not checked here.)
    for (const secret of issuedSecrets) {
      expect(listing).not.toContain(secret);
      expect(server.output()).not.toContain(secret);
    }
    expect(listing).not.toContain(server.secretAccessKey);
    expect(listing).not.toMatch(/secret/i);
  });

  it('documents every IAM route in /docs', async () => {
    const doc = (await (await fetch(`${server.adminUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/iam/users',
        '/iam/users/{accessKey}/rotate',
        '/iam/users/{accessKey}/policies',
        '/iam/users/{accessKey}/expiry',
        '/iam/users/{accessKey}',
        '/admin/iam/users/{ref}',
        '/admin/iam/users/{ref}/policies',
        '/admin/iam/users/{ref}/keys',
        '/admin/iam/users/{ref}/keys/{accessKey}',
        '/admin/iam/users/{ref}/disable',
        '/admin/iam/users/{ref}/enable',
        '/admin/iam/groups',
        '/admin/iam/policies/{name}',
        '/admin/iam/service-accounts/{ref}',
      ]),
    );
  });
});
