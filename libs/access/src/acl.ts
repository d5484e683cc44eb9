/** The five ACL permissions of S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html). */
export const ACL_PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'] as const;
export type AclPermission = (typeof ACL_PERMISSIONS)[number];

/** The predefined groups S3 grants to; LogDelivery is accepted and stored but never matches a caller. */
export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
export const ACL_GROUP_URIS: readonly string[] = [ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI];

/** Whom a grant names: a canonical user (a MyFSIO user id) or a predefined group. */
export type AclGrantee =
  { type: 'CanonicalUser'; id: string; displayName?: string } | { type: 'Group'; uri: string };

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** A bucket's or object's access control list: its owner and the grants. */
export interface AccessControlList {
  owner: { id: string; displayName?: string };
  grants: AclGrant[];
}

/** The canned ACLs S3 accepts in `x-amz-acl`. */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

export function isCannedAcl(value: string): value is CannedAcl {
  return (CANNED_ACLS as readonly string[]).includes(value);
}

const user = (id: string, permission: AclPermission): AclGrant => ({
  grantee: { type: 'CanonicalUser', id },
  permission,
});
const group = (uri: string, permission: AclPermission): AclGrant => ({
  grantee: { type: 'Group', uri },
  permission,
});

/**
 * The grants of a canned ACL for a resource owned by `ownerId` in a bucket owned by
 * `bucketOwnerId`. The bucket-owner-* ACLs only add a grant on objects, and only when the
 * bucket owner is someone else; on a bucket they mean `private`, as in S3.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 */
export function cannedAclGrants(canned: CannedAcl, ownerId: string, bucketOwnerId: string): AclGrant[] {
  const grants = [user(ownerId, 'FULL_CONTROL')];
  switch (canned) {
    case 'private':
      break;
    case 'public-read':
      grants.push(group(ALL_USERS_URI, 'READ'));
      break;
    case 'public-read-write':
      grants.push(group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(group(AUTHENTICATED_USERS_URI, 'READ'));
      break;
    case 'bucket-owner-read':
      if (bucketOwnerId !== ownerId) {
        grants.push(user(bucketOwnerId, 'READ'));
      }
      break;
    case 'bucket-owner-full-control':
      if (bucketOwnerId !== ownerId) {
        grants.push(user(bucketOwnerId, 'FULL_CONTROL'));
      }
      break;
  }
  return grants;
}

/** The ACL of a resource that has none stored: its owner has FULL_CONTROL (S3's default `private`). */
export function defaultAcl(ownerId: string): AccessControlList {
  return { owner: { id: ownerId }, grants: [user(ownerId, 'FULL_CONTROL')] };
}

// What each permission allows, from "Mapping of ACL permissions and access policy permissions":
// on a bucket READ lists it and WRITE creates, overwrites and deletes its objects; on an object
// READ reads it. READ_ACP/WRITE_ACP read and write the ACL itself.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#acl-access-policy-permission-mapping
const BUCKET_PERMISSION_ACTIONS: Record<Exclude<AclPermission, 'FULL_CONTROL'>, string[]> = {
  READ: ['s3:listbucket', 's3:listbucketversions', 's3:listbucketmultipartuploads'],
  WRITE: [
    's3:putobject',
    's3:deleteobject',
    's3:deleteobjectversion',
    's3:abortmultipartupload',
    's3:listmultipartuploadparts',
  ],
  READ_ACP: ['s3:getbucketacl'],
  WRITE_ACP: ['s3:putbucketacl'],
};
const OBJECT_PERMISSION_ACTIONS: Record<Exclude<AclPermission, 'FULL_CONTROL' | 'WRITE'>, string[]> = {
  READ: ['s3:getobject', 's3:getobjectversion'],
  READ_ACP: ['s3:getobjectacl', 's3:getobjectversionacl'],
  WRITE_ACP: ['s3:putobjectacl', 's3:putobjectversionacl'],
};

/** The ACL permission that would allow `action` on a bucket (`'bucket'`) or an object; null when none can. */
export function aclPermissionFor(action: string, on: 'bucket' | 'object'): AclPermission | null {
  const a = action.toLowerCase();
  const table: Record<string, string[]> =
    on === 'bucket' ? BUCKET_PERMISSION_ACTIONS : OBJECT_PERMISSION_ACTIONS;
  for (const [permission, actions] of Object.entries(table)) {
    if (actions.includes(a)) {
      return permission as AclPermission;
    }
  }
  return null;
}

/** The caller as ACL grants see it: anonymous, or a signed user with its canonical id. */
export type AclCaller = { type: 'anonymous' } | { type: 'user'; userId: string };

function granteeMatches(grantee: AclGrantee, caller: AclCaller): boolean {
  if (grantee.type === 'Group') {
    return (
      grantee.uri === ALL_USERS_URI || (grantee.uri === AUTHENTICATED_USERS_URI && caller.type === 'user')
    );
  }
  return caller.type === 'user' && grantee.id === caller.userId;
}

/** Whether some grant of `acl` gives `caller` the `permission` (FULL_CONTROL implies every one). */
export function aclGrants(acl: AccessControlList, caller: AclCaller, permission: AclPermission): boolean {
  return acl.grants.some(
    (g) =>
      (g.permission === permission || g.permission === 'FULL_CONTROL') && granteeMatches(g.grantee, caller),
  );
}

/** Whether the ACL grants anything to AllUsers or AuthenticatedUsers (GetBucketPolicyStatus ignores ACLs; the admin view does not). */
export function aclIsPublic(acl: AccessControlList): boolean {
  return acl.grants.some((g) => g.grantee.type === 'Group' && g.grantee.uri !== LOG_DELIVERY_URI);
}
