import { S3Error, S3Errors } from '@myfsio/common';
import {
  ACL_GROUP_URIS,
  cannedAclGrants,
  isCannedAcl,
  type AclGrant,
  type AclGrantee,
  type AclPermission,
} from './acl';

type HeaderBag = Record<string, string | string[] | undefined>;

const GRANT_HEADERS: Array<[string, AclPermission]> = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** One `type="value"` grantee of an x-amz-grant-* header (`id="…"`, `uri="…"`, `emailAddress="…"`). */
function parseGrantee(header: string, part: string): AclGrantee {
  const match = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
  if (!match) {
    throw S3Errors.invalidArgument(header, part);
  }
  const [, type = '', value = ''] = match;
  switch (type.toLowerCase()) {
    case 'id':
      return { type: 'CanonicalUser', id: value };
    case 'uri':
      if (!ACL_GROUP_URIS.includes(value)) {
        throw S3Errors.invalidArgument(header, part, 'Invalid group uri');
      }
      return { type: 'Group', uri: value };
    case 'emailaddress':
      // MyFSIO users have no e-mail addresses, so no grant by address can be resolved.
      throw S3Errors.invalidArgument(header, part, 'Grants by e-mail address are not supported; use id="…"');
    default:
      throw S3Errors.invalidArgument(header, part);
  }
}

/**
 * The grants a write request asks for: the canned `x-amz-acl` expanded for `ownerId` (and the
 * bucket's owner), or the `x-amz-grant-*` headers (which S3 does not add an owner grant to);
 * null when the request sets no ACL. Throws InvalidArgument for an unknown canned ACL or a bad
 * grantee, and InvalidRequest when both forms are used, as S3 does.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
 */
export function aclFromHeaders(
  headers: HeaderBag,
  ownerId: string,
  bucketOwnerId: string,
): AclGrant[] | null {
  const canned = headerValue(headers, 'x-amz-acl');
  const explicit: AclGrant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const value = headerValue(headers, name);
    if (value === undefined) {
      continue;
    }
    for (const part of value.split(',').filter((p) => p.trim() !== '')) {
      explicit.push({ grantee: parseGrantee(name, part), permission });
    }
  }
  const hasExplicit = GRANT_HEADERS.some(([name]) => headerValue(headers, name) !== undefined);
  if (canned !== undefined && hasExplicit) {
    throw new S3Error('InvalidRequest', {
      message: 'Specifying both Canned ACLs and Header Grants is not allowed',
    });
  }
  if (canned !== undefined) {
    const name = canned.trim();
    if (!isCannedAcl(name)) {
      throw S3Errors.invalidArgument('x-amz-acl', canned, 'Invalid canned ACL');
    }
    return cannedAclGrants(name, ownerId, bucketOwnerId);
  }
  return hasExplicit ? explicit : null;
}
