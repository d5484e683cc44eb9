import {
  aclGrants,
  aclIsPublic,
  aclPermissionFor,
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  cannedAclGrants,
  defaultAcl,
  type AccessControlList,
  type CannedAcl,
} from './acl';
import { aclFromHeaders } from './acl-headers';
import { decodeStoredAcl, encodeStoredAcl } from './stored-acl';

const OWNER = 'owner-id';
const OTHER = 'other-id';

describe('cannedAclGrants', () => {
  it.each<[CannedAcl, string[]]>([
    ['private', [`id:${OWNER}:FULL_CONTROL`]],
    ['public-read', [`id:${OWNER}:FULL_CONTROL`, `uri:${ALL_USERS_URI}:READ`]],
    [
      'public-read-write',
      [`id:${OWNER}:FULL_CONTROL`, `uri:${ALL_USERS_URI}:READ`, `uri:${ALL_USERS_URI}:WRITE`],
    ],
    ['authenticated-read', [`id:${OWNER}:FULL_CONTROL`, `uri:${AUTHENTICATED_USERS_URI}:READ`]],
    ['bucket-owner-read', [`id:${OWNER}:FULL_CONTROL`, `id:${OTHER}:READ`]],
    ['bucket-owner-full-control', [`id:${OWNER}:FULL_CONTROL`, `id:${OTHER}:FULL_CONTROL`]],
  ])('%s expands to its grants', (canned, expected) => {
    const grants = cannedAclGrants(canned, OWNER, OTHER).map(
      (g) => `${g.grantee.type === 'Group' ? `uri:${g.grantee.uri}` : `id:${g.grantee.id}`}:${g.permission}`,
    );
    expect(grants).toEqual(expected);
  });

  it('bucket-owner-* add nothing when the writer owns the bucket', () => {
    expect(cannedAclGrants('bucket-owner-full-control', OWNER, OWNER)).toHaveLength(1);
  });
});

describe('aclGrants', () => {
  const publicRead: AccessControlList = {
    owner: { id: OWNER },
    grants: cannedAclGrants('public-read', OWNER, OWNER),
  };
  const authRead: AccessControlList = {
    owner: { id: OWNER },
    grants: cannedAclGrants('authenticated-read', OWNER, OWNER),
  };

  it.each([
    ['anonymous reads a public-read resource', publicRead, { type: 'anonymous' as const }, 'READ', true],
    [
      'anonymous cannot write a public-read resource',
      publicRead,
      { type: 'anonymous' as const },
      'WRITE',
      false,
    ],
    [
      'anonymous cannot read an authenticated-read one',
      authRead,
      { type: 'anonymous' as const },
      'READ',
      false,
    ],
    [
      'any signed user reads an authenticated-read one',
      authRead,
      { type: 'user' as const, userId: OTHER },
      'READ',
      true,
    ],
    [
      'the owner has every permission through FULL_CONTROL',
      defaultAcl(OWNER),
      { type: 'user' as const, userId: OWNER },
      'WRITE_ACP',
      true,
    ],
    [
      'another user has none on a private resource',
      defaultAcl(OWNER),
      { type: 'user' as const, userId: OTHER },
      'READ',
      false,
    ],
  ] as const)('%s', (_name, acl, caller, permission, expected) => {
    expect(aclGrants(acl, caller, permission)).toBe(expected);
  });

  it('reports group grants as public', () => {
    expect(aclIsPublic(publicRead)).toBe(true);
    expect(aclIsPublic(defaultAcl(OWNER))).toBe(false);
  });
});

describe('aclPermissionFor', () => {
  it.each([
    ['s3:ListBucket', 'bucket', 'READ'],
    ['s3:PutObject', 'bucket', 'WRITE'],
    ['s3:DeleteObject', 'bucket', 'WRITE'],
    ['s3:GetBucketAcl', 'bucket', 'READ_ACP'],
    ['s3:PutBucketAcl', 'bucket', 'WRITE_ACP'],
    ['s3:GetObject', 'object', 'READ'],
    ['s3:GetObjectVersion', 'object', 'READ'],
    ['s3:GetObjectAcl', 'object', 'READ_ACP'],
    ['s3:PutObjectAcl', 'object', 'WRITE_ACP'],
    ['s3:GetObject', 'bucket', null],
    ['s3:PutObject', 'object', null],
    ['s3:PutBucketPolicy', 'bucket', null],
    ['s3:DeleteBucket', 'bucket', null],
  ] as const)('%s on a %s → %s', (action, on, expected) => {
    expect(aclPermissionFor(action, on)).toBe(expected);
  });
});

describe('aclFromHeaders', () => {
  it('returns null without ACL headers', () => {
    expect(aclFromHeaders({ 'content-type': 'text/plain' }, OWNER, OWNER)).toBeNull();
  });

  it('expands a canned x-amz-acl', () => {
    expect(aclFromHeaders({ 'x-amz-acl': 'public-read' }, OWNER, OWNER)).toEqual(
      cannedAclGrants('public-read', OWNER, OWNER),
    );
  });

  it('reads x-amz-grant-* headers with several grantees', () => {
    const grants = aclFromHeaders(
      {
        'x-amz-grant-read': `uri="${ALL_USERS_URI}", id="${OTHER}"`,
        'x-amz-grant-full-control': `id="${OWNER}"`,
      },
      OWNER,
      OWNER,
    );
    expect(grants).toEqual([
      { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: OTHER }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
    ]);
  });

  it('returns InvalidArgument for an unknown canned ACL', () => {
    expect(() => aclFromHeaders({ 'x-amz-acl': 'world-writable' }, OWNER, OWNER)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
  });

  it('returns InvalidArgument for an unknown group and for e-mail grantees', () => {
    expect(() => aclFromHeaders({ 'x-amz-grant-read': 'uri="http://example.com/x"' }, OWNER, OWNER)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
    expect(() => aclFromHeaders({ 'x-amz-grant-read': 'emailAddress="a@b.c"' }, OWNER, OWNER)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
  });

  it('returns InvalidRequest when canned and explicit grants are combined', () => {
    expect(() =>
      aclFromHeaders({ 'x-amz-acl': 'private', 'x-amz-grant-read': `id="${OTHER}"` }, OWNER, OWNER),
    ).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
  });
});

describe('stored ACL', () => {
  it('round-trips grants and takes the owner from the row', () => {
    const grants = cannedAclGrants('public-read-write', OWNER, OWNER);
    expect(decodeStoredAcl(encodeStoredAcl(grants), OWNER)).toEqual({ owner: { id: OWNER }, grants });
  });

  it('treats null and unreadable values as the default ACL', () => {
    expect(decodeStoredAcl(null, OWNER)).toEqual(defaultAcl(OWNER));
    expect(decodeStoredAcl('{not json', OWNER)).toEqual(defaultAcl(OWNER));
  });

  it('drops grants of an unknown shape instead of trusting them', () => {
    const column = JSON.stringify({ grants: [{ grantee: { type: 'Group' }, permission: 'READ' }] });
    expect(decodeStoredAcl(column, OWNER).grants).toEqual([]);
  });
});
