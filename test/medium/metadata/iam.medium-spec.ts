import { DuplicateError } from '@myfsio/metadata';
import { describeEachDialect } from '../support/db-matrix';
import { useMetadataDb } from './harness';

describeEachDialect('IamRepository', (entry) => {
  const db = useMetadataDb(entry);

  it('creates users, rejects duplicate names and updates them', async () => {
    const h = db();
    const root = await h.iam.createUser(null, { name: 'root-admin', isRoot: true, displayName: 'Root' });
    expect(root).toMatchObject({
      name: 'root-admin',
      isRoot: true,
      isEnabled: true,
      failedAttempts: 0,
      lockedUntil: null,
    });
    await expect(h.iam.createUser(null, { name: 'root-admin' })).rejects.toEqual(
      new DuplicateError('iam user', 'root-admin'),
    );
    expect(await h.iam.hasRootUser()).toBe(true);

    const expiresAt = new Date(1_900_000_000_000);
    expect(
      await h.iam.updateUser(null, root.id, {
        isEnabled: false,
        expiresAt,
        inlinePolicies: { readonly: '{"Version":"2012-10-17"}' },
        lockedUntil: new Date(1_800_000_000_000),
      }),
    ).toBe(true);
    expect(await h.iam.findUserByName('root-admin')).toMatchObject({
      isEnabled: false,
      expiresAt,
      inlinePolicies: { readonly: '{"Version":"2012-10-17"}' },
      lockedUntil: new Date(1_800_000_000_000),
    });
    expect(await h.iam.updateUser(null, 'missing', { isEnabled: true })).toBe(false);
  });

  it('counts failed attempts atomically', async () => {
    const h = db();
    const user = await h.iam.createUser(null, { name: 'attempts' });
    await Promise.all([1, 2, 3, 4].map(() => h.iam.incrementFailedAttempts(null, user.id)));
    expect((await h.iam.findUserById(user.id))?.failedAttempts).toBe(4);
    expect(await h.iam.incrementFailedAttempts(null, 'missing')).toBeNull();
  });

  it('reads a user for update inside a transaction and sees its own writes', async () => {
    const h = db();
    const user = await h.iam.createUser(null, { name: 'lockable' });
    const lockedUntil = new Date(1_900_000_000_000);
    const seen = await h.uow.run(async (tx) => {
      const before = await h.iam.findUserForUpdate(tx, user.id);
      await h.iam.updateUser(tx, user.id, { failedAttempts: (before?.failedAttempts ?? 0) + 1, lockedUntil });
      return { before, after: await h.iam.findUserForUpdate(tx, user.id) };
    });
    expect(seen.before).toMatchObject({ name: 'lockable', failedAttempts: 0, lockedUntil: null });
    expect(seen.after).toMatchObject({ failedAttempts: 1, lockedUntil });
    expect(await h.uow.run((tx) => h.iam.findUserForUpdate(tx, 'missing'))).toBeNull();
  });

  it('finds an access key with its user, comparing the id case-sensitively', async () => {
    const h = db();
    const user = await h.iam.createUser(null, { name: 'key-owner' });
    await h.iam.createAccessKey(null, {
      accessKeyId: 'AKIAEXAMPLEKEY',
      userId: user.id,
      secretEncrypted: 'v1:cipher',
      kind: 'user',
    });
    await h.iam.createAccessKey(null, {
      accessKeyId: 'akiaexamplekey',
      userId: user.id,
      secretEncrypted: 'v1:other',
      kind: 'user',
    });
    await expect(
      h.iam.createAccessKey(null, {
        accessKeyId: 'AKIAEXAMPLEKEY',
        userId: user.id,
        secretEncrypted: 'x',
        kind: 'user',
      }),
    ).rejects.toEqual(new DuplicateError('access key', 'AKIAEXAMPLEKEY'));

    const found = await h.iam.findAccessKey('AKIAEXAMPLEKEY');
    expect(found?.key).toMatchObject({
      accessKeyId: 'AKIAEXAMPLEKEY',
      secretEncrypted: 'v1:cipher',
      status: 'active',
    });
    expect(found?.user).toMatchObject({ id: user.id, name: 'key-owner' });
    expect((await h.iam.findAccessKey('akiaexamplekey'))?.key.secretEncrypted).toBe('v1:other');
    expect(await h.iam.findAccessKey('AKIAEXAMPLEKEy')).toBeNull();

    expect(await h.iam.updateAccessKey(null, 'AKIAEXAMPLEKEY', { status: 'inactive' })).toBe(true);
    expect((await h.iam.listAccessKeys(user.id)).map((k) => [k.accessKeyId, k.status]).sort()).toEqual([
      ['AKIAEXAMPLEKEY', 'inactive'],
      ['akiaexamplekey', 'active'],
    ]);
    expect(await h.iam.deleteAccessKey(null, 'akiaexamplekey')).toBe(true);
    expect(await h.iam.deleteAccessKey(null, 'akiaexamplekey')).toBe(false);
  });

  it('deletes expired STS credentials', async () => {
    const h = db();
    const user = await h.iam.createUser(null, { name: 'sts-user' });
    const base = {
      userId: user.id,
      secretEncrypted: 's',
      kind: 'sts' as const,
      sessionPolicy: '{"Statement":[]}',
    };
    await h.iam.createAccessKey(null, { ...base, accessKeyId: 'ASIAOLD', expiresAt: new Date(1000) });
    await h.iam.createAccessKey(null, {
      ...base,
      accessKeyId: 'ASIANEW',
      expiresAt: new Date(4_000_000_000_000),
    });
    expect(await h.iam.deleteExpiredAccessKeys(null, new Date(2000))).toBe(1);
    expect((await h.iam.findAccessKey('ASIANEW'))?.key.sessionPolicy).toBe('{"Statement":[]}');
  });

  it('lists service accounts under their parent and deletes them with it', async () => {
    const h = db();
    const parent = await h.iam.createUser(null, { name: 'svc-parent' });
    const svc = await h.iam.createUser(null, {
      name: 'svc-child',
      parentUserId: parent.id,
      sessionPolicy: '{}',
    });
    await h.iam.createAccessKey(null, {
      accessKeyId: 'SVCKEY',
      userId: svc.id,
      secretEncrypted: 's',
      kind: 'service',
    });
    expect((await h.iam.listUsers({ limit: 10, parentUserId: parent.id })).map((u) => u.name)).toEqual([
      'svc-child',
    ]);
    expect((await h.iam.listUsers({ limit: 100, parentUserId: null })).map((u) => u.name)).not.toContain(
      'svc-child',
    );

    expect(await h.iam.deleteUser(null, parent.id)).toBe(true);
    expect(await h.iam.findUserById(svc.id)).toBeNull();
    expect(await h.iam.findAccessKey('SVCKEY')).toBeNull();
  });

  it('manages groups and memberships', async () => {
    const h = db();
    const alice = await h.iam.createUser(null, { name: 'g-alice' });
    const bob = await h.iam.createUser(null, { name: 'g-bob' });
    const devs = await h.iam.createGroup(null, { name: 'devs' });
    const ops = await h.iam.createGroup(null, { name: 'ops', isEnabled: false });
    await expect(h.iam.createGroup(null, { name: 'devs' })).rejects.toBeInstanceOf(DuplicateError);

    expect(await h.iam.addMember(null, devs.id, alice.id)).toBe(true);
    expect(await h.iam.addMember(null, devs.id, alice.id)).toBe(false);
    await h.iam.addMember(null, devs.id, bob.id);
    await h.iam.addMember(null, ops.id, alice.id);
    expect((await h.iam.listMembers(devs.id)).map((u) => u.name)).toEqual(['g-alice', 'g-bob']);
    expect((await h.iam.listGroupsOfUser(alice.id)).map((g) => [g.name, g.isEnabled])).toEqual([
      ['devs', true],
      ['ops', false],
    ]);

    expect(await h.iam.removeMember(null, devs.id, bob.id)).toBe(true);
    expect(await h.iam.updateGroup(null, ops.id, { isEnabled: true })).toBe(true);
    expect(await h.iam.deleteGroup(null, ops.id)).toBe(true);
    expect((await h.iam.listGroupsOfUser(alice.id)).map((g) => g.name)).toEqual(['devs']);
    expect(await h.iam.findGroupByName('devs')).toEqual(devs);
  });

  it('attaches policies idempotently and cleans up attachments', async () => {
    const h = db();
    const user = await h.iam.createUser(null, { name: 'p-user' });
    const group = await h.iam.createGroup(null, { name: 'p-group' });
    await h.iam.createPolicy(null, {
      name: 'readwrite',
      document: '{"Version":"2012-10-17"}',
      isBuiltin: true,
    });
    await h.iam.createPolicy(null, { name: 'custom', document: '{}' });
    await expect(h.iam.createPolicy(null, { name: 'custom', document: '{}' })).rejects.toBeInstanceOf(
      DuplicateError,
    );

    expect(
      await h.iam.attachPolicy(null, {
        policyName: 'readwrite',
        principalType: 'user',
        principalId: user.id,
      }),
    ).toBe('attached');
    expect(
      await h.iam.attachPolicy(null, {
        policyName: 'readwrite',
        principalType: 'user',
        principalId: user.id,
      }),
    ).toBe('already-attached');
    expect(
      await h.iam.attachPolicy(null, { policyName: 'nope', principalType: 'user', principalId: user.id }),
    ).toBe('no-such-policy');
    await h.iam.attachPolicy(null, { policyName: 'custom', principalType: 'user', principalId: user.id });
    await h.iam.attachPolicy(null, { policyName: 'custom', principalType: 'group', principalId: group.id });
    expect(await h.iam.listAttachedPolicies('user', user.id)).toEqual(['custom', 'readwrite']);
    expect((await h.iam.listPolicyAttachments('custom')).map((a) => a.principalType).sort()).toEqual([
      'group',
      'user',
    ]);

    expect(await h.iam.updatePolicy(null, 'custom', '{"v":2}')).toBe(true);
    expect(await h.iam.findPolicy('custom')).toMatchObject({ document: '{"v":2}', isBuiltin: false });
    expect(await h.iam.deletePolicy(null, 'custom')).toBe(true);
    expect(await h.iam.listAttachedPolicies('user', user.id)).toEqual(['readwrite']);
    expect(
      await h.iam.detachPolicy(null, {
        policyName: 'readwrite',
        principalType: 'user',
        principalId: user.id,
      }),
    ).toBe(true);
    expect((await h.iam.listPolicies()).map((p) => p.name)).toContain('readwrite');

    await h.iam.attachPolicy(null, {
      policyName: 'readwrite',
      principalType: 'group',
      principalId: group.id,
    });
    await h.iam.deleteGroup(null, group.id);
    expect(await h.iam.listPolicyAttachments('readwrite')).toEqual([]);
  });

  it('bumps the IAM version once per transaction, also concurrently', async () => {
    const h = db();
    const before = await h.iam.getVersion();
    await Promise.all(Array.from({ length: 6 }, () => h.uow.run((tx) => h.iam.bumpVersion(tx))));
    expect(await h.iam.getVersion()).toBe(before + 6);
    await expect(
      h.uow.run(async (tx) => {
        await h.iam.bumpVersion(tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await h.iam.getVersion()).toBe(before + 6);
  });
});
