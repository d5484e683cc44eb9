import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { adminCall, createUser, type Creds } from '../../support/iam-api';
import { s3Client } from '../../support/s3-client';
import { cleanup, startServer, type RunningServer } from '../../support/server';

const LIST_USERS_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' }],
};

describe('admin IAM API: groups, named policies and service accounts', () => {
  let server: RunningServer;
  const canList = async (creds: Creds) => (await adminCall(server, 'GET', '/admin/iam/users', creds)).status;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
    cleanup(server);
  });

  describe('named and canned policies', () => {
    it('lists the canned policies and refuses to change them', async () => {
      const list = await adminCall(server, 'GET', '/admin/iam/policies');
      expect(
        (list.body.policies as { name: string; builtin: boolean }[])
          .filter((p) => p.builtin)
          .map((p) => p.name),
      ).toEqual(['readonly', 'readwrite', 'writeonly', 'consoleAdmin']);
      expect(
        (await adminCall(server, 'PUT', '/admin/iam/policies/readonly', undefined, LIST_USERS_POLICY)).status,
      ).toBe(400);
      expect((await adminCall(server, 'DELETE', '/admin/iam/policies/consoleAdmin')).body.code).toBe(
        'DeleteConflict',
      );
    });

    it('validates documents with the policy engine', async () => {
      const badJson = await fetch(`${server.adminUrl}/admin/iam/policies/broken`, {
        method: 'PUT',
        headers: {
          'x-access-key': server.accessKeyId,
          'x-secret-key': server.secretAccessKey,
          'content-type': 'application/json',
        },
        body: '{"Statement": [',
      });
      expect(badJson.status).toBe(400);
      const unknown = await adminCall(server, 'PUT', '/admin/iam/policies/bad', undefined, {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:Teleport', Resource: '*' }],
      });
      expect(unknown).toMatchObject({ status: 400, body: { code: 'MalformedPolicyDocument' } });
      expect(unknown.body.message).toContain('s3:Teleport');
      expect((await adminCall(server, 'GET', '/admin/iam/policies/bad')).body.code).toBe('NoSuchEntity');
    });

    it('attaches a named policy to a user, applies at once, and refuses to delete it while attached', async () => {
      const user = await createUser(server);
      expect(await canList(user)).toBe(403);
      expect(
        (await adminCall(server, 'PUT', '/admin/iam/policies/user-readers', undefined, LIST_USERS_POLICY))
          .status,
      ).toBe(200);
      const attached = await adminCall(
        server,
        'PUT',
        `/admin/iam/users/${user.userId}/attached-policies/user-readers`,
      );
      expect(attached.body.attached_policies).toEqual(['user-readers']);
      expect(await canList(user)).toBe(200);
      expect((await adminCall(server, 'POST', '/admin/iam/users', user, {})).status).toBe(403);
      expect((await adminCall(server, 'DELETE', '/admin/iam/policies/user-readers')).body.code).toBe(
        'DeleteConflict',
      );
      // Editing the policy takes effect at once.
      await adminCall(server, 'PUT', '/admin/iam/policies/user-readers', undefined, {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }],
      });
      expect(await canList(user)).toBe(403);
      await adminCall(server, 'DELETE', `/admin/iam/users/${user.userId}/attached-policies/user-readers`);
      expect((await adminCall(server, 'DELETE', '/admin/iam/policies/user-readers')).status).toBe(204);
    });

    it('attaches a canned policy: consoleAdmin may manage users', async () => {
      const user = await createUser(server);
      await adminCall(server, 'PUT', `/admin/iam/users/${user.accessKeyId}/attached-policies/consoleAdmin`);
      const created = await adminCall(server, 'POST', '/admin/iam/users', user, {
        name: 'made-by-console-admin',
      });
      expect(created.status).toBe(201);
      const policies = await adminCall(server, 'GET', `/admin/iam/users/${user.userId}/policies`);
      expect(policies.body.attached_policies).toEqual(['consoleAdmin']);
    });

    it('answers NoSuchEntity for a missing policy, user or attachment', async () => {
      const user = await createUser(server);
      expect(
        (await adminCall(server, 'PUT', `/admin/iam/users/${user.userId}/attached-policies/nope`)).body.code,
      ).toBe('NoSuchEntity');
      expect(
        (await adminCall(server, 'PUT', '/admin/iam/users/nobody/attached-policies/readonly')).body.code,
      ).toBe('NoSuchEntity');
      expect(
        (await adminCall(server, 'DELETE', `/admin/iam/users/${user.userId}/attached-policies/readonly`)).body
          .code,
      ).toBe('NoSuchEntity');
    });
  });

  describe('groups', () => {
    it("grants admin actions through an enabled group's policies", async () => {
      const member = await createUser(server, { name: 'group-member' });
      const group = await adminCall(server, 'POST', '/admin/iam/groups', undefined, {
        name: 'listers',
        members: ['group-member'],
      });
      expect(group).toMatchObject({
        status: 201,
        body: { name: 'listers', enabled: true, members: ['group-member'] },
      });
      expect(await canList(member)).toBe(403);
      await adminCall(server, 'PUT', '/admin/iam/policies/group-list', undefined, LIST_USERS_POLICY);
      await adminCall(server, 'PUT', '/admin/iam/groups/listers/attached-policies/group-list');
      expect(await canList(member)).toBe(200);
      // Disabled: the group's policies stop applying.
      expect((await adminCall(server, 'POST', '/admin/iam/groups/listers/disable')).body.enabled).toBe(false);
      expect(await canList(member)).toBe(403);
      await adminCall(server, 'POST', '/admin/iam/groups/listers/enable');
      expect(await canList(member)).toBe(200);
      // Removed from the group: no longer.
      const removed = await adminCall(server, 'DELETE', '/admin/iam/groups/listers/members', undefined, {
        members: [member.accessKeyId],
      });
      expect(removed.body.members).toEqual([]);
      expect(await canList(member)).toBe(403);
      await adminCall(server, 'PUT', '/admin/iam/groups/listers/members', undefined, {
        members: [member.userId],
      });
      expect(await canList(member)).toBe(200);
      // A user's own policies and its groups' are a union.
      await adminCall(server, 'PUT', `/iam/users/${member.accessKeyId}/policies`, undefined, [
        { bucket: '*', actions: ['iam:create_user'] },
      ]);
      expect(await canList(member)).toBe(200);
      expect(
        (await adminCall(server, 'POST', '/admin/iam/users', member, { name: 'via-union' })).status,
      ).toBe(201);
      expect((await adminCall(server, 'DELETE', '/admin/iam/groups/listers')).status).toBe(204);
      expect(await canList(member)).toBe(403);
    });

    it('validates group bodies and names missing groups', async () => {
      expect(
        (await adminCall(server, 'POST', '/admin/iam/groups', undefined, { name: 'bad name' })).status,
      ).toBe(400);
      expect((await adminCall(server, 'GET', '/admin/iam/groups/none')).body.code).toBe('NoSuchEntity');
      await adminCall(server, 'POST', '/admin/iam/groups', undefined, { name: 'dup' });
      expect(
        (await adminCall(server, 'POST', '/admin/iam/groups', undefined, { name: 'dup' })).body.code,
      ).toBe('EntityAlreadyExists');
    });
  });

  describe('service accounts', () => {
    it('act as their parent, narrowed by their session policy', async () => {
      const parent = await createUser(server, {
        policies: [{ bucket: '*', actions: ['iam:list_users', 'iam:create_user', 'list'] }],
      });
      const wide = await adminCall(
        server,
        'POST',
        `/admin/iam/users/${parent.userId}/service-accounts`,
        undefined,
        {
          name: 'svc-wide',
        },
      );
      expect(wide.status).toBe(201);
      expect(wide.body.parent_user).toBe(parent.name);
      const narrow = await adminCall(
        server,
        'POST',
        `/admin/iam/users/${parent.accessKeyId}/service-accounts`,
        undefined,
        {
          name: 'svc-narrow',
          policy: [{ bucket: '*', actions: ['iam:list_users'] }],
        },
      );
      const wideCreds = {
        accessKeyId: wide.body.access_key as string,
        secretAccessKey: wide.body.secret_key as string,
      };
      const narrowCreds = {
        accessKeyId: narrow.body.access_key as string,
        secretAccessKey: narrow.body.secret_key as string,
      };
      expect(await canList(wideCreds)).toBe(200);
      expect(
        (await adminCall(server, 'POST', '/admin/iam/users', wideCreds, { name: 'by-svc' })).status,
      ).toBe(201);
      expect(await canList(narrowCreds)).toBe(200);
      expect(
        (await adminCall(server, 'POST', '/admin/iam/users', narrowCreds, { name: 'by-narrow' })).status,
      ).toBe(403);
      // A session policy cannot grant more than the parent has.
      await adminCall(
        server,
        'PUT',
        `/admin/iam/service-accounts/${narrowCreds.accessKeyId}/policy`,
        undefined,
        {
          policy: [{ bucket: '*', actions: ['iam:delete_user'] }],
        },
      );
      expect(await canList(narrowCreds)).toBe(403);
      expect((await adminCall(server, 'DELETE', '/iam/users/by-svc', narrowCreds)).status).toBe(403);
      const listing = await adminCall(server, 'GET', `/admin/iam/users/${parent.userId}/service-accounts`);
      expect((listing.body.service_accounts as { name: string }[]).map((a) => a.name)).toEqual([
        'svc-narrow',
        'svc-wide',
      ]);
      expect(JSON.stringify(listing.body)).not.toContain(wideCreds.secretAccessKey);
      // Service accounts are not listed as users and cannot have policies attached.
      const users = await adminCall(server, 'GET', '/admin/iam/users');
      expect((users.body.users as { name: string }[]).map((u) => u.name)).not.toContain('svc-wide');
      expect(
        (await adminCall(server, 'PUT', '/admin/iam/users/svc-wide/attached-policies/readonly')).status,
      ).toBe(400);

      // Disabling the parent disables them; enabling brings them back.
      await adminCall(server, 'POST', `/admin/iam/users/${parent.userId}/disable`);
      expect(await canList(wideCreds)).toBe(403);
      await adminCall(server, 'POST', `/admin/iam/users/${parent.userId}/enable`);
      expect(await canList(wideCreds)).toBe(200);
      // A disabled service account alone.
      await adminCall(server, 'POST', `/admin/iam/service-accounts/${wideCreds.accessKeyId}/disable`);
      expect(await canList(wideCreds)).toBe(403);
      await adminCall(server, 'POST', `/admin/iam/service-accounts/svc-wide/enable`);
      expect(await canList(wideCreds)).toBe(200);
      // Deleting the parent deletes them.
      await adminCall(server, 'DELETE', `/iam/users/${parent.accessKeyId}`);
      await expect(s3Client(server, wideCreds).send(new ListBucketsCommand({}))).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
      expect((await adminCall(server, 'GET', '/admin/iam/service-accounts/svc-wide')).body.code).toBe(
        'NoSuchEntity',
      );
    });

    it('refuses a malformed session policy', async () => {
      const parent = await createUser(server);
      const res = await adminCall(
        server,
        'POST',
        `/admin/iam/users/${parent.userId}/service-accounts`,
        undefined,
        {
          policy: [{ bucket: '*', actions: ['nope'] }],
        },
      );
      expect(res).toMatchObject({ status: 400, body: { code: 'MalformedPolicyDocument' } });
    });
  });
});
