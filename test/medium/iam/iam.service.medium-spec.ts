import { loadConfig } from '@myfsio/config';
import {
  CredentialLoader,
  IamChangeBus,
  IamGroupsService,
  IamPoliciesService,
  IamService,
  IamUsersService,
  SecretKeyProvider,
  ServiceAccountsService,
  StsService,
  type UserPrincipal,
} from '@myfsio/iam';
import { decide } from '@myfsio/policy';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMetadataDb } from '../metadata/harness';
import { describeEachDialect } from '../support/db-matrix';

/** The IAM services over a real database: principal assembly, lockout, service accounts, STS. */
describeEachDialect('IamService principal resolution', (entry) => {
  const db = useMetadataDb(entry);
  const root = mkdtempSync(join(tmpdir(), 'myfsio-iam-'));
  const config = loadConfig(
    { STORAGE_ROOT: root, SECRET_KEY: 'medium-test-secret-key', AUTH_MAX_ATTEMPTS: '2' },
    { cwd: root, envFile: false },
  );
  const services = () => {
    const h = db();
    const secretKey = new SecretKeyProvider(config);
    const iam = new IamService(
      config,
      h.iam,
      h.uow,
      secretKey,
      new CredentialLoader(h.iam, secretKey),
      new IamChangeBus(),
    );
    const users = new IamUsersService(h.iam, h.uow, iam);
    const groups = new IamGroupsService(h.iam, users);
    return {
      h,
      iam,
      users,
      groups,
      policies: new IamPoliciesService(h.iam, users, groups),
      accounts: new ServiceAccountsService(h.iam, users),
      sts: new StsService(h.iam, iam),
    };
  };
  const principal = async (iam: IamService, accessKeyId: string, sessionToken?: string) =>
    (await iam.principalFor({
      scheme: 'sigv4-header',
      accessKeyId,
      sessionToken,
      payload: { mode: 'unsigned' },
    })) as UserPrincipal;
  const allows = (p: UserPrincipal, action: string, resource = '*') =>
    decide(
      { identity: [...p.identityPolicies], session: p.sessionPolicy, isRoot: p.isRoot },
      {
        action,
        resource,
        principal: {
          type: 'user',
          arn: p.arn,
          accessKeyId: p.accessKeyId,
          userName: p.userName,
          userId: p.userId,
        },
        context: {},
      },
    ).allowed;

  it('unions inline, attached and enabled-group policies, and keeps the secret out of the database', async () => {
    const s = services();
    const user = await s.users.create({
      name: `u-${entry.dialect}`,
      policies: [{ bucket: '*', actions: ['iam:list_users'] }],
    });
    const row = await s.h.iam.findAccessKey(user.access_key);
    expect(row?.key.secretEncrypted).not.toContain(user.secret_key);
    expect(await s.iam.findSecret(user.access_key)).toBe(user.secret_key);
    await s.policies.put('can-get', { Statement: [{ Effect: 'Allow', Action: 'iam:GetUser' }] });
    await s.policies.attach('can-get', { type: 'user', ref: user.user_id });
    await s.groups.create(`g-${entry.dialect}`, [user.name]);
    await s.policies.attach('readonly', { type: 'group', ref: `g-${entry.dialect}` });
    let p = await principal(s.iam, user.access_key);
    expect(p).toMatchObject({
      userId: user.user_id,
      userName: user.name,
      isRoot: false,
      sessionPolicy: undefined,
    });
    expect(p.identityPolicies).toHaveLength(3);
    expect(
      allows(p, 'iam:ListUsers') &&
        allows(p, 'iam:GetUser') &&
        allows(p, 's3:GetObject', 'arn:aws:s3:::bucket/key'),
    ).toBe(true);
    await s.groups.setEnabled(`g-${entry.dialect}`, false);
    p = await principal(s.iam, user.access_key);
    expect(p.identityPolicies).toHaveLength(2);
    expect(allows(p, 's3:GetObject', 'arn:aws:s3:::bucket/key')).toBe(false);
  });

  it('ignores a stored policy that no longer parses', async () => {
    const s = services();
    const user = await s.users.create({ name: `bad-${entry.dialect}` });
    await s.h.iam.updateUser(null, user.user_id, {
      inlinePolicies: {
        broken: '[{"bucket":"*","actions":["warp"]}]',
        ok: '[{"bucket":"*","actions":["iam:get_user"]}]',
      },
    });
    s.iam.invalidate();
    const p = await principal(s.iam, user.access_key);
    expect(p.identityPolicies).toHaveLength(1);
    expect(allows(p, 'iam:GetUser')).toBe(true);
  });

  it('resolves a service account to its parent, with its session policy', async () => {
    const s = services();
    const parent = await s.users.create({
      name: `p-${entry.dialect}`,
      policies: [{ bucket: '*', actions: ['iam:*'] }],
    });
    const account = await s.accounts.create(parent.user_id, {
      policy: [{ bucket: '*', actions: ['iam:list_users'] }],
    });
    const p = await principal(s.iam, account.access_key);
    expect(p).toMatchObject({
      userId: parent.user_id,
      userName: parent.name,
      arn: `arn:aws:iam::000000000000:user/${parent.name}`,
      accessKeyId: account.access_key,
    });
    expect(allows(p, 'iam:ListUsers')).toBe(true);
    expect(allows(p, 'iam:CreateUser')).toBe(false);
    await s.users.setEnabled(parent.user_id, false);
    await expect(principal(s.iam, account.access_key)).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it('locks a user after AUTH_MAX_ATTEMPTS failures and resets on success', async () => {
    const s = services();
    const user = await s.users.create({ name: `l-${entry.dialect}` });
    await s.iam.recordSignatureFailure(user.access_key);
    await principal(s.iam, user.access_key);
    await new Promise((r) => setTimeout(r, 200));
    expect((await s.h.iam.findUserById(user.user_id))?.failedAttempts).toBe(0);
    await s.iam.recordSignatureFailure(user.access_key);
    await s.iam.recordSignatureFailure(user.access_key);
    const locked = await s.h.iam.findUserById(user.user_id);
    expect(locked?.failedAttempts).toBe(2);
    expect(locked!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    await expect(principal(s.iam, user.access_key)).rejects.toThrow(/locked/);
  });

  it('issues STS credentials that need their token', async () => {
    const s = services();
    const user = await s.users.create({
      name: `s-${entry.dialect}`,
      policies: [{ bucket: '*', actions: ['iam:*'] }],
    });
    const caller = await principal(s.iam, user.access_key);
    const creds = await s.sts.assumeRole(caller, {
      durationSeconds: 900,
      policy: '[{"bucket":"*","actions":["iam:get_user"]}]',
    });
    expect(await s.iam.findSecret(creds.accessKeyId)).toBe(creds.secretAccessKey);
    await expect(principal(s.iam, creds.accessKeyId)).rejects.toMatchObject({ code: 'InvalidToken' });
    const p = await principal(s.iam, creds.accessKeyId, creds.sessionToken);
    expect(p).toMatchObject({ userId: user.user_id, isRoot: false });
    expect(allows(p, 'iam:GetUser')).toBe(true);
    expect(allows(p, 'iam:ListUsers')).toBe(false);
    expect(await s.sts.deleteExpired()).toBe(0);
    await s.h.iam.updateAccessKey(null, creds.accessKeyId, { expiresAt: new Date(Date.now() - 1000) });
    s.iam.invalidate();
    await expect(principal(s.iam, creds.accessKeyId, creds.sessionToken)).rejects.toMatchObject({
      code: 'ExpiredToken',
    });
    expect(await s.sts.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await s.h.iam.findAccessKey(creds.accessKeyId)).toBeNull();
  });

  it('refuses AssumeRole to a user whose policy explicitly denies sts:AssumeRole', async () => {
    const s = services();
    const user = await s.users.create({
      name: `deny-${entry.dialect}`,
      policies: [{ bucket: '*', actions: ['list'] }],
    });
    const caller = await principal(s.iam, user.access_key);
    await expect(s.sts.assumeRole(caller, { durationSeconds: 900 })).resolves.toBeDefined();
    await s.policies.put(`no-sts-${entry.dialect}`, {
      Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole' }],
    });
    await s.policies.attach(`no-sts-${entry.dialect}`, { type: 'user', ref: user.user_id });
    const denied = await principal(s.iam, user.access_key);
    await expect(s.sts.assumeRole(denied, { durationSeconds: 900 })).rejects.toMatchObject({
      code: 'AccessDenied',
    });
  });
});
